/*
 * One compile check as a state machine, for check.c's run only (include it
 * from src/sys/check*.c, nowhere else).
 *
 * A task is set up from its job (task_setup()): build directory, config
 * target or fragment, configure stamp, baseline cache prefix, the objects
 * to build and the pin and unpin statements their preprocessed text must
 * hold.  The run exports the tree, then calls task_advance() whenever the
 * task has no running child: it goes ST_INIT -> configure (ST_CFG_*,
 * skipped when the stamp matches) -> ST_VERIFY_CONFIG -> ST_BUILD in the
 * patched phase, and ST_INIT -> ST_BASELINE in the baseline phase.  A task
 * that needs the baseline's diagnostics to decide (need_baseline) is left
 * at ST_DONE unfinished; the run finishes it after the baseline phase.
 */
#ifndef BM_CHECK_TASK_H
#define BM_CHECK_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/diag.h"
#include "sys/build.h"
#include "sys/check.h"

struct expect;		/* a statement the preprocessed text must hold */

/* kbuild's KCFLAGS for one compiler run per object (check-task.c) */
#define CHECK_ONE_RUN_FLAGS "-save-temps=obj -fdirectives-only"

enum task_state {
	ST_INIT,
	ST_CFG_BASE,		/* make <defconfig or target> */
	ST_CFG_ENABLE,		/* scripts/config --enable LRU_GEN ... */
	ST_CFG_OLDDEF,		/* make olddefconfig */
	ST_VERIFY_CONFIG,
	ST_BUILD,		/* make X.o (X.i saved by gcc), patched */
	ST_BASELINE,		/* make X.o, unpatched */
	ST_DONE,
};

enum phase {
	PHASE_PATCHED,
	PHASE_BASELINE,
};

struct task {
	const struct check_job *job;
	struct check_result *res;
	const struct check_opts *opts;	/* the run's; set by task_setup() */
	size_t round;		/* tasks sharing a tree run in rounds by tree content */
	char *tree_name;	/* "6.1.y" */
	char *tree, *dir, *log;
	char *target;		/* config make target */
	char *fragment;		/* config fragment path or NULL */
	char *fragment_text;
	char *stamp_path, *stamp_text;
	char *baseline_prefix;	/* <cache>/baseline/<commit>-<arch>-<config> */
	char *baseline_path;	/* <prefix>-<inputs>.diag, once the .config is read */
	struct build_config bc;
	struct build_argv objs;	/* "mm/vmscan.o" */
	struct build_argv pre;	/* "mm/vmscan.i": made apart only with a wrapper */
	struct expect *expects;
	size_t nr_expects, alloc_expects;
	struct build_proc proc;
	enum task_state state;
	double start, deadline;
	double last_seconds;	/* the last patched build's time here; < 0: none */
	off_t log_offset;
	struct diag_list diags, base_diags;
	bool have_baseline;	/* base_diags is loaded */
	bool need_baseline;
	bool build_failed;	/* the patched build has errors */
	bool finished;
	char *running_cmd;
	char *key;		/* savedcmd_key() of this build, or NULL */
	bool only_c_patched;	/* the saved commands may serve (sys/savedcmd.h) */
	bool step_direct;	/* the running step is the saved commands, not make */
};

/* Whether o asks for progress lines on stderr. */
bool task_show_progress(const struct check_opts *o);

/*
 * Sets up *t (zeroed by the caller) for job, with its build directory under
 * root, its outcome going to *res and o kept as t->opts (both must outlive
 * t).  A check that cannot run (unknown arch, no compiler, unreadable
 * fragment, ...) is finished here, as data.  Returns 0 (check_run() would
 * stop on < 0; no path returns it today).
 */
int task_setup(struct task *t, const struct check_job *job, const char *root,
	       const struct check_opts *o, struct check_result *res);

/* Frees what t owns; t->res is the caller's. */
void task_release(struct task *t);

/* One progress line for t on stderr, when t->opts asks for them. */
void task_progress(const struct task *t, const char *step);

/*
 * Moves t on until it has a child running (true) or is done (false).  Called
 * when t has no running child.
 */
bool task_advance(struct task *t, enum phase phase);

/* Ends t with outcome o; detail (owned, may be NULL) goes to t->res. */
void task_finish(struct task *t, enum check_outcome o, char *detail);

/* The patched build failed; the detail says whether the unpatched one does too. */
void task_finish_error(struct task *t);

#endif
