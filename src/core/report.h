/*
 * Rendering of results: the readable table and the --json document.  Pure:
 * renders into a strbuf, the CLI prints it.  The JSON schema is documented
 * in docs/json.md.
 */
#ifndef BM_REPORT_H
#define BM_REPORT_H

#include "core/branch.h"
#include "core/locate.h"
#include "core/strbuf.h"

/* The table: one row a branch, then one line a reason or note. */
void report_locate_table(struct strbuf *out, const struct locate_result *res,
			 size_t nr);
/* One JSON document for all branches; repo is the repository path. */
void report_locate_json(struct strbuf *out, const char *repo,
			const struct locate_result *res, size_t nr);
/* Appends one branch's locate facts as a JSON object (used by apply too). */
void report_locate_json_object(struct strbuf *out, const struct locate_result *r,
			       int indent);

#endif
