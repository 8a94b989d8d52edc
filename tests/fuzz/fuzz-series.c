/*
 * libFuzzer target: the quilt series parser.  What it accepts must survive
 * series_write() and a second parse unchanged (names and -pN, in order).
 * Built by tests/fuzz/run.sh, not by CMake.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/series.h"
#include "core/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct series s = SERIES_INIT, again = SERIES_INIT;
	struct strbuf out = STRBUF_INIT;

	if (series_parse(&s, "fuzz", (const char *)data, size) == 0) {
		series_write(&s, &out);
		if (series_parse(&again, "written", out.buf, out.len) < 0 ||
		    again.nr != s.nr)
			__builtin_trap();	/* what we write we cannot read */
		for (size_t i = 0; i < s.nr; i++)
			if (strcmp(s.entries[i].name, again.entries[i].name) ||
			    s.entries[i].strip != again.entries[i].strip ||
			    s.entries[i].strip < 0 || !s.entries[i].name[0])
				__builtin_trap();
	}
	series_release(&s);
	series_release(&again);
	strbuf_release(&out);
	return 0;
}
