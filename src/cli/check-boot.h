/* `--boot` and `--boot-control` on check and the full job (sys/boot.h). */
#ifndef BM_CHECK_BOOT_H
#define BM_CHECK_BOOT_H

#include <stdbool.h>
#include <stddef.h>

struct pipeline;

struct check_boot_opts {
	bool boot;		/* --boot: boot the patched kernel */
	bool control;		/* --boot-control: boot the half-applied one */
	double guest_timeout;	/* --boot-timeout; 0: the default */
	double build_timeout;	/* --timeout */
	const char *cc;		/* --cc */
	const char *const *archs;	/* --arch: one boot test per arch asked */
	size_t nr_archs;
};

/*
 * Boots, on each arch asked (x86_64, arm64), each branch whose backport applied (or that has the fix
 * already) and whose compile checks passed; results go to each branch's
 * boots.  *interrupted is set after SIGINT/SIGTERM.  -1 with error() set
 * only when nothing could run.
 */
int cli_run_boots(struct pipeline *pl, const struct check_boot_opts *o, bool *interrupted);

#endif
