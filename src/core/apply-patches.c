/*
 * Several patches over several files: each file is fetched once, each patch
 * applies to what the patches before it left, a patch that fails leaves
 * every file as it was (the following ones are still tried, for their
 * results), and the new contents are handed out only when all applied.
 * Placing each hunk is apply.c's apply_file_diff().  Also the names and
 * descriptions of results.
 */
#include "core/apply.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"

struct work_file {
	char *path;
	char *orig; /* as fetched */
	size_t orig_len;
	struct strbuf cur;     /* as the applied patches left it */
	struct strbuf pending; /* as the current patch leaves it */
	bool touched;	       /* pending is valid */
};

struct work_set {
	struct work_file *v;
	size_t nr, alloc;
};

static struct work_file *work_get(struct work_set *ws, const char *path,
				  fetch_fn fetch, void *ctx)
{
	struct work_file *wf;
	char *content = NULL;
	size_t len = 0;

	for (size_t i = 0; i < ws->nr; i++)
		if (!strcmp(ws->v[i].path, path))
			return &ws->v[i];
	if (!fetch) {
		error("cannot read '%s': no source of files given", path);
		return NULL;
	}
	if (fetch(ctx, path, &content, &len))
		return NULL;
	if (!content && len) {
		error("cannot read '%s': fetch returned no content", path);
		return NULL;
	}
	ALLOC_GROW(ws->v, ws->nr + 1, ws->alloc);
	wf = &ws->v[ws->nr++];
	memset(wf, 0, sizeof(*wf));
	wf->path = xstrdup(path);
	wf->orig = content ? content : xstrdup("");
	wf->orig_len = len;
	strbuf_init(&wf->cur, len);
	strbuf_add(&wf->cur, wf->orig, len);
	strbuf_init(&wf->pending, 0);
	return wf;
}

static void work_set_release(struct work_set *ws)
{
	for (size_t i = 0; i < ws->nr; i++) {
		free(ws->v[i].path);
		free(ws->v[i].orig);
		strbuf_release(&ws->v[i].cur);
		strbuf_release(&ws->v[i].pending);
	}
	free(ws->v);
}

static enum apply_status combine(enum apply_status acc, enum apply_status s,
				 bool first)
{
	if (first)
		return s;
	return acc == s ? s : APPLY_FAILED;
}

static int apply_one_patch(struct work_set *ws, const struct patch *p,
			   fetch_fn fetch, void *ctx,
			   const struct apply_opts *opts,
			   struct patch_result *pr)
{
	pr->name = xstrdup(p->name);
	pr->files = xcalloc(p->nr_files ? p->nr_files : 1, sizeof(*pr->files));
	pr->status = APPLY_FAILED;

	for (size_t i = 0; i < ws->nr; i++)
		ws->v[i].touched = false;
	for (size_t i = 0; i < p->nr_files; i++) {
		const struct file_diff *fd = &p->files[i];
		struct work_file *wf = work_get(ws, fd->path, fetch, ctx);
		struct strbuf out = STRBUF_INIT;
		const struct strbuf *in;

		if (!wf)
			return -1;
		in = wf->touched ? &wf->pending : &wf->cur;
		pr->nr_files++;
		if (apply_file_diff(fd, in->buf, in->len, opts, &pr->files[i],
				    &out)) {
			strbuf_release(&out);
			return -1;
		}
		if (pr->files[i].status == APPLY_OK) {
			strbuf_release(&wf->pending);
			wf->pending = out;
			wf->touched = true;
		} else {
			strbuf_release(&out);
		}
		pr->status = combine(pr->status, pr->files[i].status, i == 0);
	}
	if (pr->status == APPLY_OK) {
		for (size_t i = 0; i < ws->nr; i++) {
			struct work_file *wf = &ws->v[i];

			if (!wf->touched)
				continue;
			strbuf_release(&wf->cur);
			wf->cur = wf->pending;
			strbuf_init(&wf->pending, 0);
			wf->touched = false;
		}
	}
	return 0;
}

int apply_patches(const struct patch *const *patches, size_t nr, fetch_fn fetch,
		  void *fetch_ctx, const struct apply_opts *opts,
		  struct apply_result *res)
{
	struct apply_opts no_opts = APPLY_OPTS_INIT;
	struct work_set ws = {0};
	bool any_ok = false, any_already = false, any_failed = false;
	int ret = -1;

	if (!opts)
		opts = &no_opts;
	memset(res, 0, sizeof(*res));
	res->status = APPLY_FAILED;
	res->patches = xcalloc(nr ? nr : 1, sizeof(*res->patches));
	for (size_t i = 0; i < nr; i++) {
		res->nr_patches++;
		if (apply_one_patch(&ws, patches[i], fetch, fetch_ctx, opts,
				    &res->patches[i]))
			goto out;
		switch (res->patches[i].status) {
		case APPLY_OK:
			any_ok = true;
			break;
		case APPLY_ALREADY_APPLIED:
			any_already = true;
			break;
		case APPLY_FAILED:
			any_failed = true;
			break;
		}
	}
	if (any_failed)
		res->status = APPLY_FAILED;
	else if (any_already && !any_ok)
		res->status = APPLY_ALREADY_APPLIED;
	else if (any_already && !opts->skip_applied)
		res->status = APPLY_FAILED;
	else
		res->status = APPLY_OK;

	if (res->status == APPLY_OK) {
		for (size_t i = 0; i < ws.nr; i++) {
			struct work_file *wf = &ws.v[i];
			struct applied_file *af;

			ALLOC_GROW(res->files, res->nr_files + 1,
				   res->alloc_files);
			af = &res->files[res->nr_files++];
			af->changed =
				wf->cur.len != wf->orig_len ||
				memcmp(wf->cur.buf, wf->orig, wf->orig_len);
			af->path = xstrdup(wf->path);
			af->content = strbuf_detach(&wf->cur, &af->len);
		}
	}
	ret = 0;
out:
	work_set_release(&ws);
	return ret;
}

void apply_result_release(struct apply_result *res)
{
	for (size_t i = 0; i < res->nr_patches; i++) {
		struct patch_result *pr = &res->patches[i];

		for (size_t j = 0; j < pr->nr_files; j++)
			file_result_release(&pr->files[j]);
		free(pr->files);
		free(pr->name);
	}
	free(res->patches);
	for (size_t i = 0; i < res->nr_files; i++) {
		free(res->files[i].path);
		free(res->files[i].content);
	}
	free(res->files);
	memset(res, 0, sizeof(*res));
}

void hunk_result_describe(const struct hunk_result *r, struct strbuf *out)
{
	switch (r->status) {
	case HUNK_APPLIED:
		strbuf_addf(out, "applied at line %zu", r->line);
		break;
	case HUNK_RELOCATED:
		strbuf_addf(out, "relocated into %s at line %zu",
			    r->function && *r->function ? r->function
							: "the given span",
			    r->line);
		break;
	case HUNK_ALREADY_APPLIED:
		strbuf_addf(out, "already applied at line %zu", r->line);
		break;
	case HUNK_FAILED:
		strbuf_addf(out, "failed: %s", r->reason ? r->reason : "");
		return;
	}
	if (r->offset && r->fuzz)
		strbuf_addf(out, " (offset %ld, fuzz %u)", r->offset, r->fuzz);
	else if (r->offset)
		strbuf_addf(out, " (offset %ld)", r->offset);
	else if (r->fuzz)
		strbuf_addf(out, " (fuzz %u)", r->fuzz);
}

static const char *const apply_status_names[] = {
	[APPLY_OK] = "applied",
	[APPLY_ALREADY_APPLIED] = "already-applied",
	[APPLY_FAILED] = "failed",
};

const char *apply_status_name(enum apply_status status)
{
	if ((size_t)status >= ARRAY_SIZE(apply_status_names) || !apply_status_names[status])
		BUG("bad apply_status %d", (int)status);
	return apply_status_names[status];
}

static const char *const hunk_status_names[] = {
	[HUNK_APPLIED] = "applied",
	[HUNK_RELOCATED] = "relocated",
	[HUNK_ALREADY_APPLIED] = "already-applied",
	[HUNK_FAILED] = "failed",
};

const char *hunk_status_name(enum hunk_status status)
{
	if ((size_t)status >= ARRAY_SIZE(hunk_status_names) || !hunk_status_names[status])
		BUG("bad hunk_status %d", (int)status);
	return hunk_status_names[status];
}
