#include "core/error.h"

#include <stdarg.h>

#include "core/strbuf.h"

static _Thread_local struct strbuf last_error = STRBUF_INIT;

int error(const char *fmt, ...)
{
	va_list ap;
	struct strbuf tmp = STRBUF_INIT;

	/* fmt may reference the previous message: format first, then swap. */
	va_start(ap, fmt);
	strbuf_vaddf(&tmp, fmt, ap);
	va_end(ap);
	strbuf_release(&last_error);
	last_error = tmp;
	return -1;
}

const char *error_last(void)
{
	return last_error.len ? last_error.buf : "unknown error";
}

void error_clear(void)
{
	strbuf_release(&last_error);
}
