/*
 * kbuild's record of how it built one target: the ".<name>.cmd" file next
 * to it in the build directory (mm/.vmscan.o.cmd), which fixdep writes after
 * a successful compile and the next make reads back to decide whether the
 * target is up to date.  It holds the command line (make-escaped), the
 * source, and every header and config file the compile read.
 *
 *   savedcmd_mm/vmscan.o := gcc -Wp,-MMD,mm/.vmscan.o.d ... -c -o mm/vmscan.o <src>
 *   source_mm/vmscan.o := /tree/mm/vmscan.c
 *   deps_mm/vmscan.o := \
 *     $(wildcard include/config/LRU_GEN) \
 *     /tree/include/linux/kconfig.h \
 *   mm/vmscan.o: $(deps_mm/vmscan.o)
 *   mm/vmscan.o: $(wildcard ./tools/objtool/objtool)
 *
 * (Before Linux 6.3 the first variable is "cmd_", not "savedcmd_".)  Pure:
 * the file's text in, strings out.
 */
#ifndef BM_KBUILD_CMD_H
#define BM_KBUILD_CMD_H

#include <stddef.h>

struct kbuild_cmd {
	char *target;		/* "mm/vmscan.o" */
	char *command;		/* unescaped: what make hands to the shell */
	char *source;		/* "/tree/mm/vmscan.c" */
	char **deps;		/* must exist: make rebuilds when one is missing */
	size_t nr_deps, alloc_deps;
	char **optional;	/* $(wildcard X): a dependency only when it exists */
	size_t nr_optional, alloc_optional;
};

#define KBUILD_CMD_INIT { NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 0 }

/*
 * Reads the .cmd text of target.  -1 with error() set when the text has no
 * command, source or dependency list for target, or a command with a make
 * construct other than "$$" and "$(pound)" (which is then not what the
 * shell would run).
 */
int kbuild_cmd_parse(struct kbuild_cmd *c, const char *target, const char *text,
		     size_t len);
void kbuild_cmd_release(struct kbuild_cmd *c);

/*
 * The command with its outputs moved: each word equal to the target
 * becomes out (the compiler's "-o" and, before 6.3 on x86, objtool's
 * argument), and "-Wp,-MMD,<depfile>" gets depfile.  out and depfile are
 * written as shell words (single-quoted when needed).  NULL with error()
 * set when the command has no "-o <target>" (so it is not a compile
 * whose output can be moved).  Caller frees.
 */
char *kbuild_cmd_redirect(const struct kbuild_cmd *c, const char *out, const char *depfile);

/* s as one shell word: as is when plain, else in single quotes. Caller frees. */
char *kbuild_shell_quote(const char *s);

#endif
