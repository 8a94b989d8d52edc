/*
 * libFuzzer target: the C reader and the MGLRU locator on a blob.  The
 * input is mm/vmscan.c's text, then optionally a NUL byte and the text of
 * the file holding exit_mmap().  Reads it as C (csource), looks every
 * function up by name and by line, classifies it (locate, locate-shape,
 * precondition) and renders the result as the table and the JSON.
 * Built by tests/fuzz/run.sh, not by CMake.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csource.h"
#include "core/locate.h"
#include "core/report.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_as_c(const char *text, size_t len)
{
	struct csource cs = CSOURCE_INIT;

	if (csource_parse(&cs, text, len) == 0) {
		for (size_t i = 0; i < cs.nr_funcs; i++) {
			const struct cfunc *f = &cs.funcs[i];
			char *name = ctok_dup(&cs, f->name_tok);

			if (strcmp(name, f->name) ||
			    !csource_find_func(&cs, f->name, 0) ||
			    csource_func_at_line(&cs, f->name_line) == NULL ||
			    csource_func_at_tok(&cs, f->body_open_tok) != f ||
			    f->start_line > f->name_line || f->name_line > f->body_line ||
			    f->body_line > f->end_line)
				__builtin_trap();	/* the reader contradicts itself */
			free(name);
		}
	}
	csource_release(&cs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t vlen = nul ? (size_t)(nul - text) : size;
	struct locate_result res;
	struct strbuf out = STRBUF_INIT;

	read_as_c(text, vlen);
	memset(&res, 0, sizeof(res));
	res.branch.label = "linux-6.1.y";
	res.branch.spec = "6.1.y";
	res.vmscan_path = "mm/vmscan.c";
	res.mmap_path = nul ? "mm/mmap.c" : NULL;
	variant_init(&res.variant);
	variant_classify(&res.variant, "mm/vmscan.c", text, vlen, nul ? nul + 1 : NULL,
			 nul ? size - vlen - 1 : 0, "exit_mmap");
	if (!res.variant.reason && res.variant.status != STATUS_NEEDS_FIX &&
	    res.variant.status != STATUS_ALREADY_FIXED)
		__builtin_trap();	/* every other status says why */
	report_locate_table(&out, &res, 1);
	report_locate_json_object(&out, &res, 2);
	strbuf_release(&out);
	variant_release(&res.variant);
	return 0;
}
