/*
 * The text a stable maintainer pastes into a reply when a fix does not go
 * to a line: which fix, which branch at which commit, why (the hunk that
 * failed and the function it was placed in, the refusal, the failed
 * build), and what the tree has there.  Pure.
 */
#ifndef BM_REPORT_FAILED_H
#define BM_REPORT_FAILED_H

#include <stdbool.h>

#include "core/report-apply.h"

/* The first line of every such text: how a later run knows it wrote it. */
#define REPORT_FAILED_MARK "FAILED: "

/*
 * Whether r is a branch the fix does not go to: a hunk failed, the tree was
 * refused (half-applied, unknown, no series for its shape), the precondition
 * fails, the result converts one site only, or a compile check failed.
 */
bool report_is_refusal(const struct apply_report *r);

/*
 * Appends the text for r (report_is_refusal() holds).  subject is the fix's
 * subject, upstream its commit id (either may be NULL).
 */
void report_failed_text(struct strbuf *out, const struct apply_report *r,
			const char *subject, const char *upstream);

#endif
