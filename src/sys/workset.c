#include "sys/workset.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/workers.h"

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

/* No C file of a kernel comes near this; a larger blob is not read. */
#define MAX_SOURCE ((size_t)64 << 20)

/*
 * Why the text read at path cannot be classified (a symbolic link's target,
 * nothing, an empty file), or NULL when it can.  Caller frees.
 */
static char *not_a_source(const char *path, unsigned mode, size_t len)
{
	switch (mode) {
	case REPO_MODE_FILE:
	case REPO_MODE_EXECUTABLE:
		return len ? NULL : xstrfmt("%s is empty", path);
	case REPO_MODE_SYMLINK:
		return xstrfmt("%s is a symbolic link, not a file", path);
	case REPO_MODE_SUBMODULE:
		return xstrfmt("%s is a submodule, not a file", path);
	case REPO_MODE_TREE:
		return xstrfmt("%s is a directory, not a file", path);
	}
	return xstrfmt("%s is not a file (mode %06o)", path, mode);
}

/*
 * Reads path at the branch into buf.  0 when it is a file to classify; 1
 * with res->variant unknown and its reason set when it is not one (see
 * not_a_source(), or too large); REPO_ENOTFOUND; -1 with error() set.
 */
static int read_source(struct repo *r, struct locate_result *res, const char *path,
		       struct strbuf *buf)
{
	unsigned mode;
	int rc = repo_read_path(r, res->branch.commit, path, MAX_SOURCE, buf, &mode);
	char *why = NULL;

	if (rc == REPO_ETOOBIG)
		why = xstrfmt("%s is larger than %zu MiB", path, MAX_SOURCE >> 20);
	else if (rc < 0)
		return rc;
	else
		why = not_a_source(path, mode, buf->len);
	if (!why)
		return 0;
	error_clear();
	res->variant.status = STATUS_UNKNOWN;
	free(res->variant.reason);
	res->variant.reason = why;
	return 1;
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
	rc = read_source(r, res, VMSCAN, &vmscan);
	if (rc == REPO_ENOTFOUND) {
		error("cannot read '%s' at '%s': path not in tree", VMSCAN,
		      res->branch.spec);
		goto out;
	}
	if (rc < 0)
		goto out;
	if (rc > 0) {
		ret = 0;	/* unknown, reason set: nothing to classify */
		goto out;
	}
	rc = read_source(r, res, MMAP, &mmap);
	if (rc < 0 && rc != REPO_ENOTFOUND)
		goto out;
	if (rc > 0) {
		res->mmap_path = MMAP;
		ret = 0;
		goto out;
	}
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
 * The branches of one workset_locate_all() call, shared by its workers.
 * Each takes the next index; its error message is kept per index because
 * error() is thread-local.
 */
struct locate_pool {
	struct repo *repo;
	struct locate_result *const *res;
	struct strbuf *const *mmap;
	size_t nr;
	atomic_size_t next;
	int *rc;
	char **err;
};

/* Worker 0 uses the caller's handle; the others open their own. */
static void pool_run(void *ctx, size_t k)
{
	struct locate_pool *p = ctx;
	struct repo *r = k ? NULL : p->repo, *own = NULL;
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

int workset_locate_all(struct repo *r, struct branch *branches, size_t nr,
		       struct locate_result *const *res, struct strbuf *const *mmap)
{
	struct locate_pool p = { .repo = r, .res = res, .mmap = mmap, .nr = nr };
	size_t n = workers_cpus();
	int ret = 0;

	for (size_t i = 0; i < nr; i++)
		result_init(res[i], &branches[i]);
	p.rc = xcalloc(nr, sizeof(*p.rc));
	p.err = xcalloc(nr, sizeof(*p.err));
	workers_run(n < nr ? n : nr, pool_run, &p);
	for (size_t i = 0; i < nr; i++) {
		if (p.rc[i] < 0 && !ret)
			ret = error("%s", p.err[i]);
		free(p.err[i]);
	}
	free(p.rc);
	free(p.err);
	return ret;
}
