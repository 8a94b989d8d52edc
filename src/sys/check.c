/*
 * The compile check's run (sys/check.h): the cache lock, rounds of tasks
 * by tree content, and in each round the patched phase (tree exports, the
 * pool of running checks) and the baseline phase where needed.  One
 * check's own steps are in check-task.c.
 */
#define _GNU_SOURCE
#include "sys/check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/check-task.h"
#include "sys/fsutil.h"
#include "sys/treecache.h"

size_t check_default_arches(const char *out[2], const char **note)
{
	size_t n = 0;

	out[n++] = "x86_64";
	if (note)
		*note = NULL;
	if (build_have_compiler("arm64"))
		out[n++] = "arm64";
	else if (note)
		*note = "arm64 left out: aarch64-linux-gnu-gcc not found "
			"(install gcc-aarch64-linux-gnu)";
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Runs tasks[0..nr) to the end, up to parallel at once.  Returns true when
 * interrupted (the running ones are killed and marked).
 */
static bool run_pool(struct task **tasks, size_t nr, size_t parallel, int make_jobs,
		     double timeout, enum phase phase)
{
	size_t next = 0, nr_active = 0;
	struct task **active = xcalloc(parallel, sizeof(*active));
	bool interrupted = false;

	for (size_t i = 0; i < nr; i++)
		tasks[i]->bc.jobs = make_jobs;
	while (next < nr || nr_active) {
		/* fill free slots */
		for (size_t s = 0; s < parallel && next < nr && !interrupted; s++) {
			struct task *t;

			if (active[s])
				continue;
			t = tasks[next++];
			t->state = phase == PHASE_BASELINE ? ST_INIT : t->state;
			if (phase == PHASE_PATCHED)
				t->start = build_now();	/* not the wait for a slot */
			t->deadline = timeout > 0 ? build_now() + timeout : 0;
			if (task_advance(t, phase)) {
				active[s] = t;
				nr_active++;
			}
		}
		if (!nr_active)
			continue;
		sleep_ms(20);
		if (build_interrupted() && !interrupted) {
			interrupted = true;
			next = nr;
		}
		for (size_t s = 0; s < parallel; s++) {
			struct task *t = active[s];

			if (!t)
				continue;
			if (interrupted || (t->deadline && build_now() > t->deadline)) {
				build_kill(&t->proc);
				task_finish(t, interrupted ? CHECK_INTERRUPTED : CHECK_TIMEOUT,
					    NULL);
			} else if (!build_poll(&t->proc)) {
				continue;
			} else if (build_interrupted()) {
				/* make died of the forwarded signal */
				interrupted = true;
				next = nr;
				task_finish(t, CHECK_INTERRUPTED, NULL);
			} else if (task_advance(t, phase)) {
				continue;
			}
			active[s] = NULL;
			nr_active--;
		}
	}
	free(active);
	return interrupted;
}

/*
 * Longest first, by each build directory's last patched build (none known:
 * first of all, a cold build is the longest): fewer cores idle at the end
 * of a parallel run.  Stable, so equal times keep the order asked.
 */
static void order_longest_first(struct task **sel, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct task *t = sel[i];
		double key = t->last_seconds < 0 ? 1e300 : t->last_seconds;
		size_t j = i;

		for (; j > 0; j--) {
			double prev = sel[j - 1]->last_seconds < 0 ? 1e300 :
				      sel[j - 1]->last_seconds;

			if (prev >= key)
				break;
			sel[j] = sel[j - 1];
		}
		sel[j] = t;
	}
}

/* The tree content a task needs: same tree name, commit and patched files. */
static bool same_content(const struct task *a, const struct task *b)
{
	const struct check_job *x = a->job, *y = b->job;

	if (strcmp(a->tree_name, b->tree_name) || strcmp(x->branch->commit, y->branch->commit) ||
	    x->nr_files != y->nr_files)
		return false;
	for (size_t i = 0; i < x->nr_files; i++)
		if (strcmp(x->files[i].path, y->files[i].path) ||
		    x->files[i].len != y->files[i].len ||
		    memcmp(x->files[i].data, y->files[i].data, x->files[i].len))
			return false;
	return true;
}

/*
 * Exports the tree of every unfinished task in sel (patched or not); tasks
 * whose export fails are finished as failed.  True when interrupted.
 */
static bool export_trees(struct repo *r, const char *root, struct task **sel, size_t nr,
			 bool patched)
{
	for (size_t i = 0; i < nr; i++) {
		struct task *t = sel[i];
		bool seen = false;
		int rc;

		if (t->finished)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !sel[j]->finished && same_content(sel[j], t);
		if (seen)
			continue;
		task_progress(t, patched ? "export tree" : "export unpatched tree");
		rc = treecache_export(r, root, t->tree_name, t->job->branch->commit,
				      patched ? t->job->files : NULL,
				      patched ? t->job->nr_files : 0, NULL);
		if (rc == TREECACHE_EINTR)
			return true;
		if (rc < 0) {
			char *msg = xstrdup(error_last());

			for (size_t j = i; j < nr; j++)
				if (!sel[j]->finished && same_content(sel[j], t))
					task_finish(sel[j], CHECK_FAILED, xstrdup(msg));
			free(msg);
		}
	}
	return false;
}

static int lock_cache(const char *root, const struct check_opts *o, int *fd_out)
{
	char *path = xstrfmt("%s/lock", root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), ret = -1;

	if (fd < 0) {
		error("cannot open lock '%s': %s", path, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK || !o->wait_for_lock) {
			error("cannot lock cache '%s': %s", root, errno == EWOULDBLOCK ?
			      "another backport-mglru run is using it" : strerror(errno));
			goto out;
		}
		if (task_show_progress(o))
			fprintf(stderr, "waiting for another run to release '%s'\n", path);
		while (flock(fd, LOCK_EX)) {
			if (errno != EINTR || build_interrupted()) {
				error("cannot lock cache '%s': %s", root, strerror(errno));
				goto out;
			}
		}
	}
	*fd_out = fd;
	fd = -1;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

static void mark_interrupted(struct task *tasks, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (!tasks[i].finished)
			task_finish(&tasks[i], CHECK_INTERRUPTED, NULL);
}

/* make -j for nr checks, parallel at once: the cores shared out, at least 1. */
static int make_jobs(const struct check_opts *o, size_t parallel, size_t nr)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t at_once = parallel < nr ? parallel : (nr ? nr : 1);
	long mj = o->make_jobs > 0 ? o->make_jobs : cores / (long)at_once;

	return mj < 1 ? 1 : (int)mj;
}

int check_run(struct repo *r, const struct check_job *jobs, size_t nr,
	      const struct check_opts *opts, struct check_result *results)
{
	struct check_opts defaults = CHECK_OPTS_INIT;
	const struct check_opts *o = opts ? opts : &defaults;
	char *root = o->cache ? fs_absolute(o->cache) : cache_root();
	struct task *tasks = xcalloc(nr ? nr : 1, sizeof(*tasks));
	struct task **sel = xcalloc(nr ? nr : 1, sizeof(*sel));
	size_t parallel = o->parallel ? o->parallel : 1, rounds = 0;
	int lock_fd = -1, ret = -1;
	bool interrupted = false;

	memset(results, 0, nr * sizeof(*results));
	build_signals_install();
	if (fs_mkdirs(root) < 0 || lock_cache(root, o, &lock_fd) < 0)
		goto out;
	for (size_t i = 0; i < nr; i++)
		if (task_setup(&tasks[i], &jobs[i], root, o, &results[i]) < 0)
			goto out;
	/* Tasks of one tree name with different content go in separate rounds. */
	for (size_t i = 0; i < nr; i++) {
		tasks[i].round = 0;
		for (size_t j = 0; j < i; j++) {
			if (tasks[j].finished || tasks[i].finished ||
			    strcmp(tasks[i].tree_name, tasks[j].tree_name))
				continue;
			if (same_content(&tasks[i], &tasks[j])) {
				tasks[i].round = tasks[j].round;
				break;
			}
			if (tasks[j].round >= tasks[i].round)
				tasks[i].round = tasks[j].round + 1;
		}
		if (tasks[i].round + 1 > rounds)
			rounds = tasks[i].round + 1;
	}
	for (size_t round = 0; round < rounds && !interrupted; round++) {
		size_t n = 0, nb = 0;

		for (size_t i = 0; i < nr; i++)
			if (tasks[i].round == round && !tasks[i].finished)
				sel[n++] = &tasks[i];
		if (!n)
			continue;
		/* Phase 1: patched trees, configure, verify, build. */
		interrupted = export_trees(r, root, sel, n, true);
		if (interrupted)
			break;
		for (size_t i = 0; i < n; i++)
			if (!sel[i]->finished)
				sel[nb++] = sel[i];
		n = nb;
		if (parallel > 1)
			order_longest_first(sel, n);
		interrupted = run_pool(sel, n, parallel, make_jobs(o, parallel, n),
				       o->timeout_sec, PHASE_PATCHED);
		if (interrupted)
			break;
		/* Phase 2: baselines where the patched build warned or failed. */
		nb = 0;
		for (size_t i = 0; i < n; i++)
			if (sel[i]->need_baseline && !sel[i]->have_baseline)
				sel[nb++] = sel[i];
		if (nb) {
			interrupted = export_trees(r, root, sel, nb, false);
			if (!interrupted)
				interrupted = run_pool(sel, nb, parallel,
						       make_jobs(o, parallel, nb),
						       o->timeout_sec, PHASE_BASELINE);
			/* the tree goes back to the patched content */
			if (!interrupted)
				interrupted = export_trees(r, root, sel, nb, true);
		}
		for (size_t i = 0; i < nr; i++) {
			struct task *t = &tasks[i];

			if (t->round != round || t->finished || !t->need_baseline)
				continue;
			if (t->build_failed) {
				task_finish_error(t);	/* with or without a baseline */
				continue;
			}
			if (!t->have_baseline) {
				task_finish(t, interrupted ? CHECK_INTERRUPTED : CHECK_FAILED,
					    interrupted ? NULL : xstrdup("no baseline build"));
				continue;
			}
			diag_new_warnings(&t->base_diags, &t->diags, &t->res->new_warnings);
			task_finish(t, t->res->new_warnings.nr ? CHECK_NEW_WARNINGS : CHECK_OK,
				    NULL);
		}
	}
	if (interrupted)
		mark_interrupted(tasks, nr);
	ret = 0;
out:
	for (size_t i = 0; i < nr; i++) {
		if (!tasks[i].finished)
			results[i].seconds = build_now() - tasks[i].start;
		if (!results[i].summary)
			check_result_summarise(&results[i]);
		task_release(&tasks[i]);
	}
	if (lock_fd >= 0)
		close(lock_fd);
	build_signals_restore();
	free(sel);
	free(tasks);
	free(root);
	return ret;
}
