/*
 * Running kbuild: the make command line for a (tree, build dir, arch,
 * compiler wrapper), children in their own process group with their output
 * appended to a log file, and the signal handling that kills those groups on
 * SIGINT/SIGTERM or on timeout.  argv only, never a shell.
 */
#ifndef BM_BUILD_H
#define BM_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A NULL-terminated argument vector that owns its strings. */
struct build_argv {
	char **v;		/* v[nr] == NULL once anything was pushed */
	size_t nr, alloc;
};

#define BUILD_ARGV_INIT { NULL, 0, 0 }

void build_argv_push(struct build_argv *a, const char *s);
void build_argv_pushf(struct build_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void build_argv_release(struct build_argv *a);
/* "make -C ... mm/vmscan.o" for logs and messages; caller frees. */
char *build_argv_join(const struct build_argv *a);

/* What make needs to know about one build directory. */
struct build_config {
	const char *tree;	/* source tree, absolute */
	const char *dir;	/* O=, absolute */
	const char *arch;	/* "x86_64" or "arm64" */
	const char *cc_wrapper;	/* NULL, or "ccache", "distcc", ... */
	int jobs;		/* make -j; at least 1 */
	/* NULL, or compiler flags make gets after $KCFLAGS, in KCFLAGS= */
	const char *kcflags_add;
};

/* "" for the native x86_64, "aarch64-linux-gnu-" for arm64, NULL if unknown. */
const char *build_cross_compile(const char *arch);
/* The arch's defconfig target: "x86_64_defconfig", "defconfig"; NULL if unknown. */
const char *build_defconfig(const char *arch);
/* Whether the arch's gcc (<cross>gcc) is on $PATH. */
bool build_have_compiler(const char *arch);
/* Whether prog is an executable on $PATH (or a path to one). */
bool build_find_program(const char *prog);
/* The path of prog as build_find_program() finds it, or NULL. Caller frees. */
char *build_which(const char *prog);

/*
 * make -C <tree> O=<dir> ARCH=<arch> [CROSS_COMPILE=..] [CC=<wrapper> <gcc>]
 * -j<jobs> [-k] targets...
 */
void build_make_argv(const struct build_config *c, bool keep_going,
		     const char *const *targets, size_t nr, struct build_argv *out);

/* A child running in its own process group. */
struct build_proc {
	pid_t pid;		/* 0 when not running */
	int exit_code;		/* once done: exit status, or -1 when killed */
	int term_signal;	/* once done: the signal that ended it, or 0 */
};

/*
 * Starts argv (argv[0] looked up on $PATH) in a new process group, stdin
 * from /dev/null, stdout and stderr appended to log_path, LANG=LC_ALL=C and
 * no other locale variable.  The group is registered so that the signal
 * handlers forward to it.  -1 with error() set when it cannot start.
 */
int build_spawn(struct build_proc *p, const char *const *argv, const char *log_path);
/* Reaps p when it has ended; true then (p->pid becomes 0). Never blocks. */
bool build_poll(struct build_proc *p);
/* SIGTERM to p's group, SIGKILL after 2 s, reaped. */
void build_kill(struct build_proc *p);

enum build_status {
	BUILD_EXITED,		/* see exit_code */
	BUILD_TIMEOUT,
	BUILD_INTERRUPTED,
};

/*
 * Runs argv to the end (build_spawn + wait); timeout_sec <= 0: none.  On
 * timeout or interruption the group is killed.  -1 only when it cannot start.
 */
int build_run(const char *const *argv, const char *log_path, double timeout_sec,
	      enum build_status *status, int *exit_code);

/*
 * SIGINT/SIGTERM handlers that record the signal and forward it to every
 * registered process group; build_signals_restore() puts the previous
 * handlers back.  Nesting is counted.
 */
void build_signals_install(void);
void build_signals_restore(void);
/* Whether SIGINT or SIGTERM arrived since the handlers were installed. */
bool build_interrupted(void);
/* The signal that arrived (SIGINT, SIGTERM), or 0. */
int build_signal(void);

/* Monotonic seconds. */
double build_now(void);

#endif
