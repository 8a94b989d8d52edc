/* The negative control's half-applied mm/vmscan.c (core/bootcontrol.h). */
#define _GNU_SOURCE
#include "core/bootcontrol.h"

#include <string.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

static const char *line_start(const char *s, size_t len, size_t line, size_t *line_len)
{
	size_t n = 1, i = 0;

	while (n < line && i < len) {
		const char *nl = memchr(s + i, '\n', len - i);

		if (!nl)
			return NULL;
		i = nl - s + 1;
		n++;
	}
	if (i >= len)
		return NULL;
	*line_len = strcspn(s + i, "\n");
	if (i + *line_len > len)
		*line_len = len - i;
	return s + i;
}

char *control_unpin_only(const char *vmscan, size_t len, const struct variant *v,
			 size_t *out_len)
{
	static const char from[] = "mmput_async(", to[] = "mmdrop(";
	struct strbuf sb = STRBUF_INIT;
	struct variant check;
	const char *line, *call;
	size_t line_len;

	if (v->status != STATUS_NEEDS_FIX || !v->pin.found || !v->unpin.found ||
	    v->pin.call != PIN_CALL_MMGET_NOT_ZERO || v->unpin.call != PIN_CALL_MMPUT_ASYNC) {
		error("cannot make the control: mm/vmscan.c is not an unfixed "
		      "mmget_not_zero/mmput_async pair (%s)", status_name(v->status));
		return NULL;
	}
	line = line_start(vmscan, len, v->unpin.line, &line_len);
	call = line ? memmem(line, line_len, from, sizeof(from) - 1) : NULL;
	if (!call) {
		error("cannot make the control: no mmput_async( at mm/vmscan.c:%zu",
		      v->unpin.line);
		return NULL;
	}
	strbuf_add(&sb, vmscan, call - vmscan);
	strbuf_addstr(&sb, to);
	call += sizeof(from) - 1;
	strbuf_add(&sb, call, vmscan + len - call);
	variant_init(&check);
	variant_classify(&check, "mm/vmscan.c", sb.buf, sb.len, NULL, 0, "exit_mmap");
	if (check.status != STATUS_HALF_APPLIED) {
		error("cannot make the control: the half-applied mm/vmscan.c locates as %s",
		      status_name(check.status));
		variant_release(&check);
		strbuf_release(&sb);
		return NULL;
	}
	variant_release(&check);
	return strbuf_detach(&sb, out_len);
}
