/*
 * libFuzzer target: parse the input as a patch (-p1) and apply every file
 * diff to a fixed small buffer, with fuzz 2 and a span callback, then diff
 * the result back.  Built by tests/fuzz/run.sh, not by CMake.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/apply.h"
#include "core/diff.h"
#include "core/patch.h"
#include "core/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char target[] =
	"/* fuzz target file */\n"
	"static int counter;\n"
	"\n"
	"static int tally_add(int n)\n"
	"{\n"
	"\tif (n < 0)\n"
	"\t\treturn -1;\n"
	"\tcounter += n;\n"
	"\treturn counter;\n"
	"}\n"
	"\n"
	"int main(void)\n"
	"{\n"
	"\treturn tally_add(3);\n"
	"}";

static int whole_file_span(void *ctx, const char *path, const char *content,
			   size_t len, const struct hunk *h, struct span *sp)
{
	size_t lines = 0;

	(void)ctx;
	(void)path;
	for (size_t i = 0; i < len; i++)
		lines += content[i] == '\n';
	if (len && content[len - 1] != '\n')
		lines++;
	if (!lines || h->nr_lines % 3)
		return 0;
	sp->first_line = 1 + h->nr_lines % lines;
	sp->last_line = lines;
	sp->name = "f";
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patch p = PATCH_INIT;
	struct apply_opts opts = APPLY_OPTS_INIT;

	if (patch_parse(&p, "fuzz", (const char *)data, size, 1) == 0) {
		opts.fuzz = 2;
		opts.find_span = size % 2 ? whole_file_span : NULL;
		for (size_t i = 0; i < p.nr_files; i++) {
			struct file_result res;
			struct strbuf out = STRBUF_INIT, d = STRBUF_INIT;

			if (apply_file_diff(&p.files[i], target,
					    sizeof(target) - 1, &opts, &res,
					    &out) == 0 &&
			    res.status == APPLY_OK)
				diff_files(&d, "f", target, sizeof(target) - 1,
					   out.buf, out.len, NULL);
			file_result_release(&res);
			strbuf_release(&out);
			strbuf_release(&d);
		}
	}
	patch_release(&p);
	return 0;
}
