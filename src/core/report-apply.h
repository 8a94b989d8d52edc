/* Rendering of apply results: table and JSON (schema in docs/json.md). */
#ifndef BM_REPORT_APPLY_H
#define BM_REPORT_APPLY_H

#include "core/backport.h"
#include "core/report-boot.h"
#include "core/report-check.h"
#include "core/report.h"

struct apply_report {
	const struct locate_result *loc;
	const char *series_file;	/* "series/6.1.y", or NULL */
	const char *series_why;		/* how it was chosen, or why there is none */
	const struct backport *bp;
	const char *output;		/* directory written, or NULL */
	const char *commit;		/* commit made with --commit, or NULL */
	const char *ref;		/* its ref */
	const char *upstream;		/* upstream check note, or NULL */
	const char *error;		/* a failure writing outputs, or NULL */
	const char *subject;		/* the fix's subject, or NULL */
	const char *upstream_id;	/* its upstream commit, 40 hex, or NULL */
	const char *failed_file;	/* FAILED text written, or NULL */
	const char *assumption;		/* --assume-prerequisite's note, or NULL */
	const struct check_result *checks;	/* compile checks run, or NULL */
	size_t nr_checks;
	const struct boot_test *boots;	/* boot tests (JSON "boots" when any), or NULL */
	size_t nr_boots;
};

/* Whether this branch counts as failed for the exit code. */
bool apply_report_failed(const struct apply_report *r);

void report_apply_table(struct strbuf *out, const struct apply_report *r, size_t nr);
void report_apply_json(struct strbuf *out, const char *repo, bool dry_run,
		       const struct apply_report *r, size_t nr);

#endif
