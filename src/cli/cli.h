/* Shared by main.c and the cmd-*.c files: exit codes and option helpers. */
#ifndef BM_CLI_H
#define BM_CLI_H

#include <stdbool.h>
#include <stddef.h>

/* Exit codes, documented in docs/backport-mglru.1. */
enum {
	EXIT_OK = 0,	   /* every branch classified / applied / built */
	EXIT_FAILED = 1,   /* some branch unknown, failed to apply or build */
	EXIT_FATAL = 128,  /* cannot go on: bad repository, unknown branch, I/O */
	EXIT_USAGE = 129,  /* bad command line */
};

/* Prints "fatal: <msg>" to stderr; returns EXIT_FATAL. */
int cli_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "usage error: <msg>" and the usage text to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_locate(int argc, char **argv);

#endif
