/* Rendering of the fix catalogue (`backport-mglru fixes`): table and JSON. */
#ifndef BM_REPORT_FIXES_H
#define BM_REPORT_FIXES_H

#include <stddef.h>

#include "core/fix.h"
#include "core/strbuf.h"

/* FIX, UPSTREAM (12 digits or "-"), LINES (comma-separated or "-"), SUBJECT. */
void report_fixes_table(struct strbuf *out, const struct fix_desc *fixes, size_t nr);
/* One JSON document, schema backport-mglru.fixes/1 (docs/json.md). */
void report_fixes_json(struct strbuf *out, const struct fix_desc *fixes, size_t nr);

#endif
