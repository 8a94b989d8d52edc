/*
 * The compile check: for each (branch, arch, config), does the patched tree
 * compile the patched lines, without errors and without warnings that the
 * unpatched tree does not have?
 *
 * One check: the branch's tree is exported into the cache with the patched
 * files (sys/treecache.h); its build directory
 * <cache>/build/<X.Y.y>-<arch>-<config>/ is configured (defconfig or the
 * given target, the fix's Kconfig symbols on (for the seed fix LRU_GEN
 * and LRU_GEN_ENABLED), a fragment merged on top,
 * olddefconfig; skipped when a stamp says the same inputs were configured);
 * the .config must enable what the located pin function sits under; then
 * `make mm/vmscan.i mm/vmscan.o` builds only the touched objects, and the
 * preprocessed text must hold the patched pin and unpin statements inside
 * their functions.  Warnings are compared with a baseline build of the
 * unpatched object, which is made only when the patched build has warnings
 * (no warnings: none can be new) or errors (the report then says whether
 * the unpatched tree fails too), and whose diagnostics are cached by
 * (commit, arch, config), so it is built once.  When only the patched .c
 * files changed since a build directory's last successful make, the objects
 * are compiled with kbuild's saved commands instead (sys/savedcmd.h).
 *
 * The cache is locked (<cache>/lock) for the whole run.  libgit2 work (the
 * exports) happens in the calling process; up to opts->parallel makes run at
 * once, each in its own process group, killed on timeout or SIGINT/SIGTERM.
 */
#ifndef BM_CHECK_H
#define BM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/branch.h"
#include "core/fix.h"
#include "core/locate.h"
#include "core/report-check.h"
#include "sys/repo.h"

struct check_opts {
	const char *cache;	/* NULL: cache_root() */
	size_t parallel;	/* checks at once (-j); 0 means 1 */
	int make_jobs;		/* make -j; 0: online cores / checks at once, >= 1 */
	const char *cc_wrapper;	/* NULL, "ccache", "distcc", ... */
	double timeout_sec;	/* per check and phase; <= 0: none */
	bool wait_for_lock;	/* wait for another run's lock instead of failing */
	int progress;		/* -1: when stderr is a terminal; 0 off; 1 on */
	bool no_shortcut;	/* always make, never the saved commands (sys/savedcmd.h) */
};

#define CHECK_OPTS_INIT { NULL, 1, 0, NULL, 0, true, -1, false }

struct check_job {
	const struct fix_desc *fix;	/* the fix: its Kconfig symbols, its rule */
	const struct branch *branch;	/* label, commit (the unpatched base), version */
	const struct commit_file *files;	/* patched contents (from apply) */
	size_t nr_files;
	const struct variant *variant;	/* located on the base; may be NULL */
	const struct variant *after;	/* located on the patched files (struct
					   backport's after); NULL: nothing to
					   look for in the preprocessed output */
	const char *arch;		/* "x86_64", "arm64" */
	const char *config;		/* NULL: the arch's defconfig; a make target;
					   or the path of a config fragment */
};

/*
 * Runs the checks; results[i] (released by the caller with
 * check_result_release()) is the outcome of jobs[i].  Outcomes, including
 * "interrupted" after SIGINT/SIGTERM, are data: returns -1 (error() set)
 * only when nothing could be checked (the cache cannot be created or
 * locked).  On return after an interruption the caller should exit.
 */
int check_run(struct repo *r, const struct check_job *jobs, size_t nr,
	      const struct check_opts *opts, struct check_result *results);

/*
 * The default arches into out[0..return): x86_64, plus arm64 when
 * aarch64-linux-gnu-gcc is on $PATH.  *note (static, may be NULL) says why
 * an arch was left out.
 */
size_t check_default_arches(const char *out[2], const char **note);

#endif
