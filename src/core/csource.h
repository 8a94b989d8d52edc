/*
 * A C source reader that is good enough for kernel files: it tokenises
 * (comments skipped; string and character literals kept whole; preprocessor
 * lines, with their backslash continuations, recorded apart) and finds every
 * top-level function definition with its full span by brace matching, and
 * the #if/#ifdef/#else condition it sits under.
 *
 * It does not preprocess: both arms of an #ifdef/#else are read, so two
 * definitions of one function are both reported, each with its condition.
 */
#ifndef BM_CSOURCE_H
#define BM_CSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum ctok_kind {
	CTOK_IDENT,	/* identifiers and keywords */
	CTOK_NUMBER,
	CTOK_STRING,	/* "..." whole, quotes included */
	CTOK_CHAR,	/* '...' whole */
	CTOK_PUNCT,	/* one punctuator: ( ) { } [ ] ; , * -> == ... */
};

/*
 * 20 bytes: a kernel file has some 50k tokens, and locate's time goes
 * largely into the page faults of this array.  Texts are limited to
 * CSOURCE_MAX_LEN bytes so that offsets and lines fit.
 */
struct ctok {
	enum ctok_kind kind;
	uint32_t off;	/* byte offset into the text */
	uint32_t len;
	uint32_t line;	/* 1-based */
	int depth;	/* brace depth before this token ('{' is at depth d, its '}' too) */
};

#define CSOURCE_MAX_LEN ((size_t)UINT32_MAX)

struct cfunc {
	char *name;		/* owned */
	size_t start_line;	/* first line of the definition (return type, storage class) */
	size_t name_line;	/* line of the name token */
	size_t body_line;	/* line of the opening '{' */
	size_t end_line;	/* line of the closing '}' */
	size_t name_tok;	/* token indices into csource.toks */
	size_t params_open_tok, params_close_tok;  /* '(' and ')' of the parameter list */
	size_t body_open_tok, body_close_tok;	  /* '{' and '}' */
	char *condition;	/* preprocessor condition, e.g. "CONFIG_X && !(CONFIG_Y)"; NULL at top level; owned */
};

struct csource {
	const char *text;	/* borrowed: the caller keeps it alive as long as the csource */
	size_t len;
	struct ctok *toks;
	size_t nr_toks, alloc_toks;
	struct cfunc *funcs;	/* in file order */
	size_t nr_funcs, alloc_funcs;
};

#define CSOURCE_INIT { 0 }

/*
 * Tokenises text and finds its functions.  Returns -1 (error() set, naming
 * the line) on input it cannot read: an unterminated comment or literal,
 * unbalanced braces, more than CSOURCE_MAX_LEN bytes.  csource_release() is needed either way.
 */
int csource_parse(struct csource *cs, const char *text, size_t len);
void csource_release(struct csource *cs);

/*
 * Whether token i is the identifier / punctuator s.  Inline: s is nearly
 * always a literal, whose length the compiler then knows.
 */
static inline bool ctok_is(const struct csource *cs, size_t i, const char *s)
{
	size_t n = strlen(s);

	return i < cs->nr_toks && cs->toks[i].len == n &&
	       !memcmp(cs->text + cs->toks[i].off, s, n);
}
/* Token i's text, copied; caller frees. */
char *ctok_dup(const struct csource *cs, size_t i);

/* The function whose span (start_line..end_line) holds line, or NULL. */
const struct cfunc *csource_func_at_line(const struct csource *cs, size_t line);
/* The function whose body holds token i, or NULL. */
const struct cfunc *csource_func_at_tok(const struct csource *cs, size_t i);
/*
 * The n-th (0-based) definition of name in file order, or NULL; definitions
 * under #ifdef/#else count separately.
 */
const struct cfunc *csource_find_func(const struct csource *cs, const char *name, size_t n);

#endif
