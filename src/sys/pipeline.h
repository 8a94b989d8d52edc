/*
 * The per-branch pipeline every command runs: open the repository, select
 * branches, locate, choose and apply the series in memory (all or nothing,
 * checked by locating again), and, for the commands that write, the outputs
 * and the commit.  The compile check (sys/check.h) runs on its results.
 */
#ifndef BM_PIPELINE_H
#define BM_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/backport.h"
#include "core/render.h"
#include "core/report-boot.h"
#include "core/report-check.h"
#include "core/report.h"
#include "sys/repo.h"
#include "sys/seriesdir.h"

/* Everything one branch carries through a command. */
struct branch_work {
	struct locate_result loc;
	struct strbuf mmap;	/* the text exit_mmap() was read from; empty if none */
	struct series_set set;
	bool have_set;
	char *series_why;	/* how the series was chosen, or why none; owned */
	struct backport bp;
	char line[32];		/* "6.1.y" */
	char *ref;		/* refs/heads/backport-mglru/<line>; owned */
	char *output;		/* directory written; owned */
	char commit[41];
	bool committed;
	char *upstream;		/* what the mainline check found; owned or NULL */
	char *error;		/* why this branch cannot be written: an upstream
				   id mismatch, or writing failed; owned */
	struct check_result *checks;	/* compile checks; owned */
	size_t nr_checks;
	struct boot_test *boots;	/* boot tests (sys/boot.h); owned */
	size_t nr_boots;
};

struct pipeline {
	struct repo *repo;
	struct strbuf series_dir;
	struct branch_work *work;
	size_t nr;
};

#define PIPELINE_INIT { NULL, STRBUF_INIT, NULL, 0 }

/*
 * Opens repo (NULL: the default), selects specs / all, and locates on each
 * branch.  -1 with error() set on fatal errors (bad repository, unknown
 * branch, a tree without mm/vmscan.c, no branch at all).
 */
int pipeline_locate(struct pipeline *p, const char *repo, const char *const *specs,
		    size_t nr_specs, bool all);

/*
 * Finds the series directory (series_opt or the default), then on each
 * branch that needs the fix loads its series and backports in memory.  When
 * the repository holds mainline, each patch's recorded upstream id is
 * checked against the commit there with the same subject; a mismatch is
 * the branch's error.  -1 with error() set on fatal errors (unreadable or
 * malformed series).
 */
int pipeline_backport(struct pipeline *p, const char *series_opt, unsigned fuzz);

/* Two branches of one line would write the same outputs: -1 with error(). */
int pipeline_one_branch_per_line(const struct pipeline *p);

/*
 * Writes <dir>/<line>/series and the regenerated patches for w (applied),
 * all or nothing (temp directory, then rename).  -1 with error() set.
 */
int pipeline_write_outputs(struct branch_work *w, const char *dir, enum render_format f);

/* Commits w's patched files on w->ref.  -1 with error() set. */
int pipeline_commit(struct pipeline *p, struct branch_work *w, bool force);

void pipeline_release(struct pipeline *p);

#endif
