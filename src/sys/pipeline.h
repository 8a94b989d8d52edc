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
	struct series_set *prereq_sets;	/* --with-prerequisites: the forms of the
					   prerequisite tried; owned */
	size_t nr_prereq_sets;
	bool prereq_loaded;	/* prereq_sets was read */
	bool prereq_wanted;	/* --with-prerequisites, and the precondition fails */
	char *series_why;	/* how the series was chosen, or why none; owned */
	struct backport bp;
	char line[128];		/* "6.1.y" (branch_line_name()) */
	char *ref;		/* refs/heads/backport-mglru/<line>; owned */
	char *output;		/* directory written; owned */
	char *failed_file;	/* FAILED text written (stable-queue); owned */
	struct patch semantic_patch;	/* made by --semantic, when it ran */
	char *semantic_file;	/* the .cocci it ran, "backports/x.cocci"; owned */
	char *assumption;	/* --assume-prerequisite: the bracketed note said
				   in the patch and the report; owned or NULL */
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
	const struct fix_desc *fix;	/* the fix carried; borrowed (sys/catalogue.h) */
	struct branch_work *work;
	size_t nr;
	bool semantic;		/* --semantic: spatch where no series fits */
	bool assume_prerequisite;	/* patch where the precondition is unverifiable */
	bool with_prerequisites;	/* where it fails, apply the shipped backport
					   of the prerequisite first */
};

#define PIPELINE_INIT { NULL, NULL, NULL, 0, false, false, false }

/*
 * Opens repo (NULL: the default), selects specs / all, and locates fix on
 * each branch.  -1 with error() set on fatal errors (bad repository,
 * unknown branch, a tree without the fix's first file, no branch at all).
 */
int pipeline_locate(struct pipeline *p, const struct fix_desc *fix, const char *repo,
		    const char *const *specs, size_t nr_specs, bool all);

/*
 * On each branch that needs the fix, loads the fix's series (from the
 * folders the catalogue found) and backports in memory.  When
 * the repository holds mainline, each patch's recorded upstream id is
 * checked against the commit there with the same subject; a mismatch is
 * the branch's error.  -1 with error() set on fatal errors (unreadable or
 * malformed series).  With p->semantic, a branch no series fits (none for
 * its shape, its series fails, an unrecognised layout whose sites are
 * found) is adapted by the semantic patch instead (sys/pipeline-internal.h).
 * With p->with_prerequisites, a branch whose precondition fails gets the
 * shipped backport of the prerequisite first (prereq_forms_load(),
 * backport_run_with_prerequisite()): both in one series, or nothing.
 */
int pipeline_backport(struct pipeline *p, unsigned fuzz);

/* Two branches of one line would write the same outputs: -1 with error(). */
int pipeline_one_branch_per_line(const struct pipeline *p);

/* What the writing step writes for one branch. */
enum pipeline_write {
	WRITE_NOTHING,
	WRITE_OUTPUT,	/* <dir>/<line>/: the series and its patches */
	WRITE_FAILED,	/* <dir>/<line>.FAILED.txt (stable-queue): why not */
};

/*
 * Before anything is written: vets what every branch with no error yet
 * would write, as want[i] says (sys/outdir.h: never through a symbolic
 * link, never over a non-directory, never over files the tool did not write
 * unless force).  A refused branch's error says why; *refused (when still
 * NULL) gets the first one's label.  Returns the number refused.
 */
size_t pipeline_vet_outputs(struct pipeline *p, const char *dir, enum render_format f,
			    bool force, const enum pipeline_write *want, const char **refused);
/* One was refused, so none is written: each other wanted branch's error says so. */
void pipeline_mark_not_written(struct pipeline *p, const enum pipeline_write *want,
			       const char *refused);

/* <dir>/<name of line's outputs>.FAILED.txt; caller frees. */
char *pipeline_failed_path(const struct branch_work *w, const char *dir,
			   enum render_format f);
/* Writes text there (vetted again, atomically); -1 with error(). */
int pipeline_write_failed(struct branch_work *w, const char *dir, enum render_format f,
			  bool force, const char *text);

/*
 * Writes <dir>/<line>/series, the regenerated patches for w (applied) and
 * the manifest, all or nothing (temp directory, then rename; removed on
 * error or on a signal before the rename).  A patch's upstream commit is the
 * one its message records, else pl->fix's.  -1 with error() set.
 */
int pipeline_write_outputs(const struct pipeline *pl, struct branch_work *w, const char *dir,
			   enum render_format f, bool force);

/* Commits w's patched files on w->ref.  -1 with error() set. */
int pipeline_commit(struct pipeline *p, struct branch_work *w, bool force);

void pipeline_release(struct pipeline *p);

#endif
