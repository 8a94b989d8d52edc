/*
 * The result of one compile check (branch, arch, config) and its rendering
 * as a table cell and a JSON object.  Pure: the check itself is in
 * sys/check.h.
 */
#ifndef BM_REPORT_CHECK_H
#define BM_REPORT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/strbuf.h"

enum check_outcome {
	CHECK_OK,
	CHECK_NEW_WARNINGS,	/* compiled, warnings the baseline does not have */
	CHECK_ERROR,		/* the patched object does not compile */
	CHECK_NOT_COMPILED,	/* the patched lines are not built under this config */
	CHECK_TIMEOUT,
	CHECK_INTERRUPTED,
	CHECK_SKIPPED,		/* e.g. no cross compiler for the arch */
	CHECK_FAILED,		/* the check itself could not run: see detail */
};

struct check_result {
	enum check_outcome outcome;
	char *branch;		/* label; owned */
	char *arch;		/* owned */
	char *config;		/* config target or fragment path; owned */
	char *summary;		/* "ok", "error at mm/vmscan.c:3470: ...", ...; owned */
	char *detail;		/* why, for not-compiled / skipped / failed; for error,
				   whether the unpatched tree fails too; owned or NULL */
	struct diag_list errors;	/* of the patched build */
	struct diag_list new_warnings;
	char *log_path;		/* the build log, kept; owned or NULL */
	char *build_dir;	/* owned or NULL */
	double seconds;		/* wall time from its first step to its result */
	bool configured;	/* configure ran in this run (not reused) */
	bool baseline_built;	/* the baseline object was built in this run */
	bool saved_command;	/* compiled with kbuild's saved commands, make skipped */
};

void check_result_release(struct check_result *res);
/* "ok", "new-warnings", "error", "not-compiled", ... (JSON and scripts). */
const char *check_outcome_name(enum check_outcome o);
/* Whether the outcome makes the run exit 1. */
bool check_outcome_failed(enum check_outcome o);
/*
 * Fills res->summary from the outcome, errors and warnings:
 * "new warnings (2)", "error at mm/vmscan.c:3470: 'foo' undeclared", ...
 */
void check_result_summarise(struct check_result *res);
/* One JSON object (no trailing newline), indented by indent spaces. */
void check_result_json(struct strbuf *sb, const struct check_result *res, int indent);
/* Table row: "linux-6.1.y  x86_64  x86_64_defconfig  ok  (log: ...)". */
void check_result_line(struct strbuf *sb, const struct check_result *res);

#endif
