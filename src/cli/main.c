/*
 * backport-mglru: carry "mm/vmscan: prevent MGLRU reclaim from pinning
 * address space" to every stable and vendor kernel line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sys/fsutil.h"

static const char usage_text[] =
	"usage: backport-mglru [--branch SPEC]... [--all] [<options>]\n"
	"   or: backport-mglru <command> [<options>]\n"
	"\n"
	"Without a command: locate, apply and compile-check each branch, and with\n"
	"--output write the patches of the branches that passed.\n"
	"\n"
	"commands:\n"
	"   locate    find the MGLRU mm-walk pin and unpin sites on each branch\n"
	"   apply     apply the series kept for each branch's line, all or nothing\n"
	"   check     apply in memory and compile-check with kernel defconfigs\n"
	"\n"
	"Run 'backport-mglru <command> -h' for a command's options.\n"
	"Exit codes: 0 ok, 1 some branch failed, 128 fatal error, 129 usage,\n"
	"130 interrupted.\n";

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "locate", cmd_locate },
	{ "apply", cmd_apply },
	{ "check", cmd_check },
};

int cli_fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FATAL;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	/* read before any thread starts: reading it sets it for a moment */
	fs_umask();
	if (argc < 2)
		return cli_usage_error(usage_text, "no command given");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("backport-mglru %s\n", BACKPORT_MGLRU_VERSION);
		return EXIT_OK;
	}
	if (argv[1][0] == '-')
		return cmd_run(argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return cli_usage_error(usage_text, "unknown command '%s'", argv[1]);
}
