/* Allocation that never returns NULL, and overflow-checked size arithmetic. */
#ifndef BM_XALLOC_H
#define BM_XALLOC_H

#include <stddef.h>

/* Each aborts with a message on out-of-memory; the caller frees the result. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* a + b and a * b, aborting on overflow (git's st_add / st_mult). */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

/*
 * Grow array 'x' of 'nr' used items and 'alloc' capacity so it can hold
 * at least 'n' items (git's ALLOC_GROW).
 */
#define ALLOC_GROW(x, n, alloc)                                              \
	do {                                                                 \
		if ((n) > (alloc)) {                                         \
			size_t new_alloc_ = (alloc) < 8 ? 16 : (alloc);      \
			while (new_alloc_ < (n))                             \
				new_alloc_ = st_mult(new_alloc_, 2);         \
			(x) = xrealloc((x), st_mult(new_alloc_, sizeof(*(x)))); \
			(alloc) = new_alloc_;                                \
		}                                                            \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Aborts: for broken invariants only, never for bad input. */
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void bug_fl(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
