/* Shared by main.c and the cmd-*.c files: exit codes and option helpers. */
#ifndef BM_CLI_H
#define BM_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/render.h"
#include "sys/pipeline.h"

/* Exit codes, documented in docs/backport-mglru.1. */
enum {
	EXIT_OK = 0,	   /* every branch classified / applied / built */
	EXIT_FAILED = 1,   /* some branch unknown, failed to apply or build */
	EXIT_FATAL = 128,  /* cannot go on: bad repository, unknown branch, I/O */
	EXIT_USAGE = 129,  /* bad command line */
	EXIT_INTERRUPTED = 130, /* SIGINT/SIGTERM: builds killed, nothing written */
};

/* Prints "fatal: <msg>" to stderr; returns EXIT_FATAL. */
int cli_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "usage error: <msg>" and the usage text to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --repo, --branch, --all, --json, --fix, --fixes-dir: every command takes them. */
struct common_opts {
	const char *repo;
	const char **branches;
	size_t nr_branches, alloc_branches;
	bool all;
	bool json;
	const char **fixes;	/* --fix ID, repeatable; "all" for every fix */
	size_t nr_fixes, alloc_fixes;
	const char *fixes_dir;	/* --fixes-dir DIR */
	const char *arg_name;	/* set by a command taking one argument ("FILE") */
	const char *arg;	/* that argument */
};

void common_opts_release(struct common_opts *o);

/*
 * A command's own option: fn stores arg (NULL for a flag) into the
 * command's options and returns NULL, or a message saying what is wrong.
 */
struct cli_option {
	const char *name;
	bool has_arg;
	const char *(*fn)(void *cmd, const char *arg);
	char short_name;	/* 'j' for -j N; 0 for none */
};

/*
 * Parses argv (argv[0] is the command name).  Returns 0 to go on; 1 after
 * -h printed usage (exit code 0), -1 after a usage error was printed
 * (exit code 129); *exit_code says which.
 */
int parse_options(int argc, char **argv, const struct cli_option *opts, size_t nr,
		  struct common_opts *common, void *cmd, const char *usage,
		  int *exit_code);

/* The fix a command carries when no --fix names one: the seed fix. */
#define DEFAULT_FIX "mglru-mmgrab"

struct catalogue;
struct fix_desc;

/*
 * Loads the catalogue (series: --series DIR or NULL; o->fixes_dir) and
 * picks the fixes a command carries: o->fixes in the order given (repeats
 * dropped), every fix for "all", the seed fix when none is named.  *fixes
 * (caller frees the array, not the fixes) has *nr entries.  -1 after
 * printing a fatal error (exit code 128): a bad catalogue or an unknown id.
 */
int cli_load_fixes(struct catalogue *c, const char *series, const struct common_opts *o,
		   const struct fix_desc ***fixes, size_t *nr);

struct pipeline;
struct branch_work;
struct apply_report;
struct strbuf;

/* One branch's row of the report, pointing into w (and pl's fix). */
void cli_report_fill(const struct pipeline *pl, struct branch_work *w,
		     struct apply_report *r);

/*
 * Fills the report from the pipelines (one per fix, nr of them), prints the
 * table (with more than one fix, one table per fix under a "fix <id>:"
 * line) or one JSON document to stdout and HALF-APPLIED warnings to
 * stderr; returns the exit code.
 */
int cli_report(struct pipeline *pls, size_t nr, bool json, bool dry_run, struct strbuf *out);

/* The output directory of a pipeline's fix: dir, or dir/<fix> with several. Caller frees. */
char *cli_output_dir(const char *dir, const struct pipeline *pl, size_t nr_fixes);

/*
 * --series, --fuzz, --output, --format: the commands that apply take them.
 * A command's own options struct has this as its first member, so the
 * handlers below take the command's struct.
 */
struct backport_opts {
	const char *series;
	unsigned fuzz;
	const char *output;
	enum render_format format;
	bool semantic;		/* --semantic */
	bool assume_prerequisite;	/* --assume-prerequisite */
	bool with_prerequisites;	/* --with-prerequisites */
};

/* What the writing step of apply and the full job writes. */
struct write_request {
	const char *dir;	/* --output, or NULL */
	enum render_format format;
	bool commit;		/* --commit */
	bool force;		/* --force: replace a ref, an output directory */
	bool dry_run;		/* vet the outputs, write nothing */
	size_t nr_fixes;	/* more than one: DIR/<fix>/ each (cli_output_dir()) */
};

/*
 * What the writing step does for each branch of each of the nr pipelines
 * (want[p][i]): its outputs and commit when passed(w) and it has no error,
 * else, for a branch the fix does not go to, a FAILED text with --output
 * and the stable-queue format.  Free with cli_write_plan_free().
 */
enum pipeline_write **cli_write_plan(struct pipeline *pls, size_t nr,
				     bool (*passed)(const struct branch_work *w),
				     const struct write_request *req);
void cli_write_plan_free(enum pipeline_write **want, size_t nr);
/*
 * Vets what every branch of every pipeline would write, then, unless one
 * is refused (then nothing is written; the branch errors say why) or
 * dry_run, writes each one's outputs and commit.  SIGINT / SIGTERM are
 * held: the step in hand is finished or undone (no temp directory is
 * left), and no later one starts.  Returns whether a signal came;
 * cli_say_interrupted() then says what was done.
 */
bool cli_write_outputs(struct pipeline *pls, size_t nr, enum pipeline_write **want,
		       const struct write_request *req);
/* The last line of an interrupted run: what was written, what was not. */
void cli_say_interrupted(const struct pipeline *pls, size_t nr, enum pipeline_write **want,
			 const struct write_request *req);

/*
 * Backports every pipeline (nr) with the flags of b (--fuzz, --semantic,
 * --assume-prerequisite, --with-prerequisites).  -1 after printing a fatal
 * error (exit 128).
 */
int cli_backport(struct pipeline *pls, size_t nr, const struct backport_opts *b);

const char *opt_series(void *cmd, const char *arg);
const char *opt_fuzz(void *cmd, const char *arg);
const char *opt_output(void *cmd, const char *arg);
const char *opt_format(void *cmd, const char *arg);
const char *opt_semantic(void *cmd, const char *arg);
const char *opt_assume_prerequisite(void *cmd, const char *arg);
const char *opt_with_prerequisites(void *cmd, const char *arg);

int cmd_locate(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_fixes(int argc, char **argv);
int cmd_import(int argc, char **argv);
/* The full job: what runs when the first argument is an option. */
int cmd_run(int argc, char **argv);

#endif
