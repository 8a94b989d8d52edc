#include "sys/workset.h"

#include <string.h>

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

int workset_locate(struct repo *r, struct branch *b, struct locate_result *res,
		   struct strbuf *mmap_text)
{
	struct strbuf vmscan = STRBUF_INIT, mmap = STRBUF_INIT;
	int rc, ret = -1;
	bool have_mmap;

	memset(res, 0, sizeof(*res));
	variant_init(&res->variant);
	res->branch = *b;
	memset(b, 0, sizeof(*b));
	res->vmscan_path = VMSCAN;

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
