/*
 * The boot test (`--boot`, `--boot-control`): does the patched kernel boot,
 * does the MGLRU page-table walk run, and does KASAN stay quiet?
 *
 * One test: the branch's tree is exported into the cache with the given
 * files (sys/treecache.h; the same tree the compile check uses); its build
 * directory <cache>/boot/<X.Y.y>-<arch>/ is configured from tinyconfig plus
 * the symbols of core/bootconfig.h (skipped when a stamp says the same
 * inputs were configured) and checked; `make bzImage` rebuilds what
 * changed; the guest program (src/guest/lru-walk.c) is compiled with the
 * host's gcc -static (aarch64-linux-gnu-gcc for arm64) into an initramfs
 * the tool writes (core/cpio.h); and qemu-system-x86_64 (or
 * qemu-system-aarch64 -M virt) boots it under TCG with the console in a log
 * file, killed at the timeout or on SIGINT/SIGTERM.  core/bootjudge.h
 * judges the log.
 *
 * The control (job->control) is the same kernel from a tree whose
 * mm/vmscan.c has only the unpin converted (core/bootcontrol.h), in the same
 * build directory, so it costs one object and a link; it passes when KASAN
 * (or refcount_t, or a list check) reports the use-after-free.
 *
 * qemu is $BACKPORT_MGLRU_QEMU when set (a path or a name on $PATH), else
 * the arch's.
 *
 * Tests run one at a time (a kernel build takes the cores it is given).
 * The cache is locked (<cache>/lock) for the whole run.
 */
#ifndef BM_BOOT_H
#define BM_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/branch.h"
#include "core/report-boot.h"
#include "sys/repo.h"

struct boot_opts {
	const char *cache;	/* NULL: cache_root() */
	int make_jobs;		/* make -j; 0: online cores */
	const char *cc_wrapper;	/* NULL, "ccache", ... for the kernel build */
	double build_timeout;	/* per configure / make step; <= 0: none */
	double guest_timeout;	/* qemu; <= 0: BOOT_GUEST_TIMEOUT */
	long rounds;		/* the guest's aging rounds; <= 0: BOOT_ROUNDS */
	bool wait_for_lock;	/* wait for another run's lock instead of failing */
	int progress;		/* -1: when stderr is a terminal; 0 off; 1 on */
};

#define BOOT_GUEST_TIMEOUT 300.0
#define BOOT_ROUNDS 30
#define BOOT_OPTS_INIT { NULL, 0, NULL, 0, 0, 0, true, -1 }

struct boot_job {
	const struct branch *branch;	/* label, commit, version */
	const struct commit_file *files;	/* mm/vmscan.c patched, or the control's */
	size_t nr_files;
	const char *arch;		/* "x86_64", "arm64"; others are skipped */
	bool control;
};

/*
 * Runs the tests; out[i] (released by the caller with boot_test_release())
 * is the result of jobs[i].  Outcomes, "interrupted" included, are data:
 * returns -1 (error() set) only when nothing could run (the cache cannot be
 * created or locked).
 */
int boot_run(struct repo *r, const struct boot_job *jobs, size_t nr,
	     const struct boot_opts *o, struct boot_test *out);

/* The guest program's source: installed, else the source tree's; caller frees. */
char *boot_guest_source(void);

#endif
