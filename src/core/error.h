/*
 * The error model (libgit2's): a function that fails returns -1 and records
 * one message saying what failed, on which input, and why, in git's style:
 * lower case, subject quoted, no trailing period.  The message is per thread;
 * the CLI prints it.  Outcomes (a hunk that failed, a variant not found) are
 * not errors: they are returned as data.
 */
#ifndef BM_ERROR_H
#define BM_ERROR_H

/* Records the message and returns -1, so `return error(...)` reads well. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last recorded message, or "unknown error"; valid until the next error(). */
const char *error_last(void);
void error_clear(void);

#endif
