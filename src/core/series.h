/*
 * Quilt series files: one patch name a line, optionally followed by -pN;
 * '#' starts a comment (at the start of a line or after blanks); blank lines
 * are skipped.  Other patch options (-R, --fuzz, ...) are refused, as are
 * names that are absolute or contain "..": names are relative to the patch
 * directory.
 */
#ifndef BM_SERIES_H
#define BM_SERIES_H

#include <stddef.h>

#include "core/strbuf.h"

struct series_entry {
	char *name;  /* owned */
	int strip;   /* -pN; 1 when not given */
	size_t line; /* 1-based line in the series file */
};

struct series {
	struct series_entry *entries; /* owned, in order */
	size_t nr, alloc;
};

#define SERIES_INIT                                                            \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/*
 * Parses len bytes of text; name is used in messages only.  Returns 0, or -1
 * with error() naming the series file and line.  series_release() is needed
 * either way.
 */
int series_parse(struct series *s, const char *name, const char *text,
		 size_t len);
void series_release(struct series *s);

/* Adds an entry; name is copied. */
void series_add(struct series *s, const char *name, int strip);

/* Appends the series in quilt's format ("name" or "name -pN") to out. */
void series_write(const struct series *s, struct strbuf *out);

#endif
