/*
 * libFuzzer target: the fix descriptor's pure part (core/fix.c).  The
 * input is a list of entries, one a line, "name<TAB>value" (a line with no
 * TAB is a name with no value), as libgit2's config reader would hand them
 * over; each goes through fix_desc_set(), then fix_desc_finish() and, when
 * the descriptor is whole, fix_shape_series().  Built like fuzz-patch.c,
 * with src/core/{fix,fix-generic,patch,locate,locate-shape,precondition,
 * csource,branch,kversion,strbuf,xalloc,error}.c; not by CMake (see
 * tests/fuzz/run.sh, which builds fuzz-patch.c only).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *p, *eol;
	struct fix_desc fix;
	int rc = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fix_desc_init(&fix);
	for (p = text; rc == 0 && p && *p; p = eol) {
		char *tab;

		eol = strchr(p, '\n');
		if (eol)
			*eol++ = '\0';
		tab = strchr(p, '\t');
		if (tab)
			*tab++ = '\0';
		rc = fix_desc_set(&fix, "fuzz.conf", p, tab);
	}
	if (rc == 0 && fix_desc_finish(&fix, "fuzz.conf", NULL) == 0) {
		for (size_t i = 0; i < fix.nr_shapes; i++)
			if (!fix_shape_series(&fix, fix.shapes[i].name))
				abort();
		if (!fix.id || !fix.subject || !fix.nr_files)
			abort();
	}
	error_clear();
	fix_desc_release(&fix);
	free(text);
	return 0;
}
