/*
 * Growable string buffer with git strbuf's invariants: buf is never NULL,
 * buf[len] is always '\0', and ownership of the memory leaves only through
 * strbuf_detach().
 */
#ifndef BM_STRBUF_H
#define BM_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Hands the string to the caller, who frees it; sb is reset to empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
static inline void strbuf_reset(struct strbuf *sb)
{
	strbuf_setlen(sb, 0);
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addchars(struct strbuf *sb, int c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included. */
void strbuf_add_json_str(struct strbuf *sb, const char *s);
void strbuf_rtrim(struct strbuf *sb);
/* Appends s as a JSON string literal, or null when s is NULL. */
void strbuf_add_json_str_or_null(struct strbuf *sb, const char *s);

/*
 * The offsets where text's lines start (a last line without a '\n'
 * counts), *nr of them.  Caller frees.
 */
size_t *text_line_starts(const char *text, size_t len, size_t *nr);

#endif
