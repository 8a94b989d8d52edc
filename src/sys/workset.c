#define _GNU_SOURCE	/* sched_getcpu, CPU_SET, pthread affinity */
#include "sys/workset.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/xalloc.h"

static const char VMSCAN[] = "mm/vmscan.c";
static const char MMAP[] = "mm/mmap.c";

int workset_select(struct repo *r, const char *const *specs, size_t nr_specs,
		   bool all, struct branch **out, size_t *nr)
{
	struct branch *list = NULL;
	size_t n = 0, alloc = 0;

	*out = NULL;
	*nr = 0;
	if (all || !nr_specs) {
		if (repo_list_stable_branches(r, &list, &n) < 0)
			return -1;
		alloc = n;
		if (!all && !n) {
			static const char *const head[] = { "HEAD" };

			specs = head;
			nr_specs = 1;
		}
	}
	for (size_t i = 0; i < nr_specs; i++) {
		struct branch b;
		bool dup = false;

		if (repo_resolve_branch(r, specs[i], &b) < 0) {
			branch_list_free(list, n);
			return -1;
		}
		for (size_t j = 0; j < n && !dup; j++)
			dup = !strcmp(list[j].commit, b.commit) &&
			      !strcmp(list[j].label, b.label);
		if (dup) {
			branch_release(&b);
			continue;
		}
		ALLOC_GROW(list, n + 1, alloc);
		list[n++] = b;
	}
	*out = list;
	*nr = n;
	return 0;
}

/* Takes *b into res (b left zeroed): res is then safe to release. */
static void result_init(struct locate_result *res, struct branch *b)
{
	memset(res, 0, sizeof(*res));
	variant_init(&res->variant);
	res->branch = *b;
	memset(b, 0, sizeof(*b));
	res->vmscan_path = VMSCAN;
}

/* Reads and classifies; res was set up by result_init(). */
static int locate_one(struct repo *r, struct locate_result *res,
		      struct strbuf *mmap_text)
{
	struct strbuf vmscan = STRBUF_INIT, mmap = STRBUF_INIT;
	int rc, ret = -1;
	bool have_mmap;

	if (!res->branch.has_version && repo_read_version(r, &res->branch) < 0)
		goto out;
	rc = repo_read_blob(r, res->branch.commit, VMSCAN, &vmscan, NULL);
	if (rc == REPO_ENOTFOUND) {
		error("cannot read '%s' at '%s': path not in tree", VMSCAN,
		      res->branch.spec);
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = repo_read_blob(r, res->branch.commit, MMAP, &mmap, NULL);
	if (rc < 0 && rc != REPO_ENOTFOUND)
		goto out;
	have_mmap = rc == 0;
	res->mmap_path = have_mmap ? MMAP : NULL;
	variant_classify(&res->variant, vmscan.buf, vmscan.len,
			 have_mmap ? mmap.buf : NULL, have_mmap ? mmap.len : 0);
	if (mmap_text) {
		strbuf_release(mmap_text);
		*mmap_text = mmap;
		strbuf_init(&mmap, 0);
	}
	ret = 0;
out:
	strbuf_release(&vmscan);
	strbuf_release(&mmap);
	return ret;
}

/*
 * The branches of one workset_locate_all() call, shared by its threads.
 * Each thread takes the next index; its error message is kept per index
 * because error() is thread-local.
 */
struct locate_pool {
	struct repo *repo;
	struct locate_result *const *res;
	struct strbuf *const *mmap;
	size_t nr;
	atomic_size_t next;
	int *rc;
	char **err;
	cpu_set_t allowed;	/* the process's CPUs */
};

/* Works through the pool; r is NULL in a worker until it has an item. */
static void pool_run(struct locate_pool *p, struct repo *r)
{
	struct repo *own = NULL;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->nr) {
		if (!r && repo_open_again(p->repo, &own) == 0)
			r = own;
		p->rc[i] = r ? locate_one(r, p->res[i], p->mmap ? p->mmap[i] : NULL) : -1;
		if (p->rc[i] < 0)
			p->err[i] = xstrdup(error_last());
	}
	repo_free(own);
}

static void *pool_thread(void *arg)
{
	struct locate_pool *p = arg;

	/* started away from the caller's CPU (see below); now free to move */
	pthread_setaffinity_np(pthread_self(), sizeof(p->allowed), &p->allowed);
	pool_run(arg, NULL);
	error_clear();	/* the thread's message buffer dies with it */
	return NULL;
}

/*
 * Attributes that start a thread on one of the allowed CPUs other than the
 * caller's.  Left to itself the scheduler often queues a new thread behind
 * its creator on the creator's CPU, for milliseconds, while another CPU is
 * idle: as long as the work itself, here.
 */
static void attr_elsewhere(pthread_attr_t *attr, const cpu_set_t *allowed)
{
	cpu_set_t others = *allowed;
	int cur = sched_getcpu();

	if (cur >= 0)
		CPU_CLR(cur, &others);
	if (CPU_COUNT(&others))
		pthread_attr_setaffinity_np(attr, sizeof(others), &others);
}

int workset_locate_all(struct repo *r, struct branch *branches, size_t nr,
		       struct locate_result *const *res, struct strbuf *const *mmap)
{
	struct locate_pool p = { .repo = r, .res = res, .mmap = mmap, .nr = nr };
	size_t nr_threads = 1, started = 0;
	pthread_t *threads;
	pthread_attr_t attr;
	int ret = 0;

	if (!sched_getaffinity(0, sizeof(p.allowed), &p.allowed))
		nr_threads = (size_t)CPU_COUNT(&p.allowed);

	for (size_t i = 0; i < nr; i++)
		result_init(res[i], &branches[i]);
	if (nr_threads > nr)
		nr_threads = nr;
	p.rc = xcalloc(nr, sizeof(*p.rc));
	p.err = xcalloc(nr, sizeof(*p.err));
	/* The calling thread is one of them, with the handle it has. */
	threads = xcalloc(nr_threads, sizeof(*threads));
	pthread_attr_init(&attr);
	if (nr_threads > 1)
		attr_elsewhere(&attr, &p.allowed);
	for (; started + 1 < nr_threads; started++)
		if (pthread_create(&threads[started], &attr, pool_thread, &p))
			break;	/* fewer threads: the rest is done here */
	pthread_attr_destroy(&attr);
	pool_run(&p, r);
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	for (size_t i = 0; i < nr; i++) {
		if (p.rc[i] < 0 && !ret)
			ret = error("%s", p.err[i]);
		free(p.err[i]);
	}
	free(threads);
	free(p.rc);
	free(p.err);
	return ret;
}
