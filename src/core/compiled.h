/*
 * Whether the patched code is what gets compiled, from text alone: a
 * .config against the #if conditions the pin and unpin sit under, and a
 * preprocessed file (make mm/vmscan.i) against the patched statements.
 * A check that did not compile the patched lines is not a pass.
 */
#ifndef BM_COMPILED_H
#define BM_COMPILED_H

#include <stdbool.h>
#include <stddef.h>

#include "core/locate.h"
#include "core/strbuf.h"

/*
 * The statement as the preprocessor leaves it: comments become a space
 * (string and character literals are kept as they are), trailing blanks
 * trimmed.  Caller frees.
 */
char *compiled_strip_comments(const char *s);

/* Whether config (a .config's text) has the line "SYM=y" or "SYM=m". */
bool compiled_config_has(const char *config, const char *sym);

/*
 * What cond (a located function's preprocessor condition) asks of config:
 * NULL when met, else what is missing ("CONFIG_X is not set"; caller frees).
 * Only conjunctions are read; a condition with "||" is left to the
 * preprocessed-output check.
 */
char *compiled_unmet_condition(const char *cond, const char *config);

/*
 * NULL when config enables CONFIG_<kconfig[i]> for each of the nr symbols
 * (the fix's, e.g. LRU_GEN) and the conditions of v's pin and unpin (v may
 * be NULL), else why not.  Caller frees.
 */
char *compiled_config_reason(const char *config, const char *const *kconfig, size_t nr,
			     const struct variant *v);

/*
 * The body of the definition of function name in preprocessed text, without
 * whitespace, into body; false when there is no definition (prototypes and
 * calls are not definitions).
 */
bool compiled_find_definition(const char *text, size_t len, const char *name,
			      struct strbuf *body);

/*
 * NULL when stmt (compiled_strip_comments() form) is in the body of
 * function's definition in itext, whitespace aside; else why not, naming
 * iname (e.g. "mm/vmscan.i").  Caller frees.
 */
char *compiled_missing(const char *itext, size_t len, const char *iname,
		       const char *function, const char *stmt);

#endif
