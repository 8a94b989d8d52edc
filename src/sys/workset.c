#include "sys/workset.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/workers.h"

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
static void result_init(struct locate_result *res, const struct fix_desc *fix,
			struct branch *b)
{
	memset(res, 0, sizeof(*res));
	variant_init(&res->variant);
	res->branch = *b;
	memset(b, 0, sizeof(*b));
	res->fix = fix;
	res->vmscan_path = fix->files[0].path;
	res->pre_function = fix->nr_preconditions ? fix->preconditions[0].function : NULL;
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

/*
 * Reads every file of the fix and of its preconditions and classifies; res
 * was set up by result_init().  The fix's first file must exist; the others
 * may be absent (the rule is told).
 */
static int locate_one(struct repo *r, struct locate_result *res,
		      struct strbuf *pre_text)
{
	const struct fix_desc *fix = res->fix;
	size_t nr = fix->nr_files + fix->nr_preconditions;
	struct strbuf *bufs = xcalloc(nr, sizeof(*bufs));
	struct fix_text *texts = xcalloc(nr, sizeof(*texts));
	int rc, ret = -1;

	for (size_t i = 0; i < nr; i++)
		strbuf_init(&bufs[i], 0);
	if (!res->branch.has_version && repo_read_version(r, &res->branch) < 0)
		goto out;
	for (size_t i = 0; i < nr; i++) {
		const char *path = i < fix->nr_files ? fix->files[i].path :
				   fix->preconditions[i - fix->nr_files].file;

		texts[i].path = path;
		rc = read_source(r, res, path, &bufs[i]);
		/* the seed fix's rule needs its file; a generic fix is then not affected */
		if (rc == REPO_ENOTFOUND && i == 0 && fix->rule) {
			error("cannot read '%s' at '%s': path not in tree", path,
			      res->branch.spec);
			goto out;
		}
		if (rc < 0 && rc != REPO_ENOTFOUND)
			goto out;
		if (rc > 0) {	/* unknown, reason set: nothing to classify */
			if (i >= fix->nr_files)
				res->mmap_path = path;
			ret = 0;
			goto out;
		}
		if (rc == 0) {
			texts[i].text = bufs[i].buf;
			texts[i].len = bufs[i].len;
		}
	}
	if (fix->nr_preconditions && texts[fix->nr_files].text)
		res->mmap_path = texts[fix->nr_files].path;
	fix_classify(&res->variant, fix, texts, texts + fix->nr_files);
	if (pre_text && fix->nr_preconditions && texts[fix->nr_files].text) {
		strbuf_release(pre_text);
		*pre_text = bufs[fix->nr_files];
		strbuf_init(&bufs[fix->nr_files], 0);
	}
	ret = 0;
out:
	for (size_t i = 0; i < nr; i++)
		strbuf_release(&bufs[i]);
	free(bufs);
	free(texts);
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

int workset_locate_all(struct repo *r, const struct fix_desc *fix,
		       struct branch *branches, size_t nr,
		       struct locate_result *const *res, struct strbuf *const *mmap)
{
	struct locate_pool p = { .repo = r, .res = res, .mmap = mmap, .nr = nr };
	size_t n = workers_cpus();
	int ret = 0;

	for (size_t i = 0; i < nr; i++)
		result_init(res[i], fix, &branches[i]);
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
