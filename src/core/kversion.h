/* Kernel versions: from the top-level Makefile, and "X.Y.y" line names. */
#ifndef BM_KVERSION_H
#define BM_KVERSION_H

#include <stdbool.h>
#include <stddef.h>

struct kversion {
	int version, patchlevel, sublevel;	/* 6, 1, 192 */
	char extra[32];				/* EXTRAVERSION, e.g. "-rc3"; "" mostly */
};

/*
 * Reads VERSION, PATCHLEVEL, SUBLEVEL and EXTRAVERSION from the text of a
 * kernel's top-level Makefile.  Returns -1 (error() set) when VERSION or
 * PATCHLEVEL is missing.
 */
int kversion_parse_makefile(struct kversion *kv, const char *text, size_t len);
/* "6.1.192" (plus EXTRAVERSION) into buf of size n. */
void kversion_format(const struct kversion *kv, char *buf, size_t n);
/* "6.1.y" into buf of size n. */
void kversion_format_line(const struct kversion *kv, char *buf, size_t n);

/*
 * Parses a stable line name: "6.1.y" or "linux-6.1.y" gives 6 and 1.
 * Returns false when s is not of that form.
 */
bool kversion_parse_line(const char *s, int *version, int *patchlevel);

#endif
