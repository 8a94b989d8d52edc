#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fix.h"
#include "core/semantic.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"
#include "sys/pipeline-internal.h"
#include "sys/semantic-run.h"

/* spatch on one mm/vmscan.c takes about a second. */
#define SEMANTIC_TIMEOUT 300.0

bool pipeline_semantic_wanted(const struct fix_desc *fix, const struct branch_work *w)
{
	const struct variant *v = &w->loc.variant;

	if (!fix->semantic_name || !fix->rule)
		return false;
	switch (v->status) {
	case STATUS_PREREQ_UNVERIFIABLE:
		if (!w->assumption)	/* only with --assume-prerequisite */
			return false;
		/* fall through */
	case STATUS_NEEDS_FIX:
		return w->bp.outcome == BACKPORT_REFUSED || w->bp.outcome == BACKPORT_FAILED;
	case STATUS_UNKNOWN:
		return v->pin.found && v->unpin.found && !v->pin.converted &&
		       !v->unpin.converted && v->pre.checked && v->pre.holds;
	case STATUS_NOT_SAFE:	/* --with-prerequisites: a form fits, the series not */
		return w->prereq_wanted && w->bp.refusal != NULL &&
		       (!strcmp(w->bp.refusal, REFUSAL_NO_SERIES) ||
			(w->bp.prereq_form && w->bp.outcome == BACKPORT_FAILED));
	default:
		return false;
	}
}

void pipeline_semantic_not_tried(const struct fix_desc *fix, struct branch_work *w)
{
	const struct variant *v = &w->loc.variant;
	const char *why = !fix->semantic_name ? "the fix has no semantic patch (fix.semantic)" :
			  v->status == STATUS_HALF_APPLIED ?
			  "a half-applied tree is never adapted" :
			  v->status == STATUS_PREREQ_UNVERIFIABLE ?
			  "the prerequisite cannot be verified (--assume-prerequisite)" :
			  v->status != STATUS_UNKNOWN ? "the tree is not one it adapts" :
			  !v->pin.found || !v->unpin.found ? "the pin and the unpin are not both found" :
			  v->pin.converted || v->unpin.converted ? "a site is converted already" :
			  "the exit_mmap() precondition is not shown to hold";
	char *r = xstrfmt("%s (--semantic did not try: %s)", w->bp.reason ? w->bp.reason : "refused",
			  why);

	free(w->bp.reason);
	w->bp.reason = r;
}

/* How reports name the .cocci: from its backports/ on, as series/ are named. */
static char *semantic_label(const struct fix_desc *fix)
{
	const char *b = strstr(fix->patch_dir, "/backports");

	while (b && b[10] && b[10] != '/')
		b = strstr(b + 1, "/backports");
	return b ? xstrfmt("%s/%s", b + 1, fix->semantic_name) :
	       xstrfmt("%s/%s", fix->patch_dir, fix->semantic_name);
}

/* Why no series did it, for the note: the refusal or failure in hand. */
static char *why_semantic(const struct branch_work *w)
{
	if (w->loc.variant.status == STATUS_UNKNOWN)
		return xstrfmt("the layout is not one a series is written for (%s)",
			       w->loc.variant.reason ? w->loc.variant.reason : "unknown");
	return xstrdup(w->bp.reason ? w->bp.reason : "no series fits");
}

static int read_headers(const struct fix_desc *fix, const char *cocci_path,
			const char *cocci_text, struct patch *hdr)
{
	struct strbuf name = STRBUF_INIT, text = STRBUF_INIT;
	char *path = NULL;
	int ret = -1;

	if (!semantic_headers_name(cocci_text, &name)) {
		error("'%s' names no '%s' patch for the headers", cocci_path,
		      SEMANTIC_HEADERS_KEY);
		goto out;
	}
	path = xstrfmt("%s/%s", fix->patch_dir, name.buf);
	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0 ||
	    patch_parse(hdr, name.buf, text.buf, text.len, 1) < 0)
		goto out;
	ret = 0;
out:
	free(path);
	strbuf_release(&name);
	strbuf_release(&text);
	return ret;
}

int pipeline_semantic_branch(struct repo *repo, const struct fix_desc *fix,
			     struct branch_work *w, unsigned fuzz)
{
	struct fetch_ctx fc = { repo, w->loc.branch.commit, w->loc.branch.spec };
	struct strbuf cocci = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT;
	struct strbuf text = STRBUF_INIT;
	struct patch hdr = PATCH_INIT;
	struct variant located = w->loc.variant;	/* shallow: not released */
	const struct patch *one[1] = { &w->semantic_patch };
	char *cocci_path = xstrfmt("%s/%s", fix->patch_dir, fix->semantic_name);
	char *why = why_semantic(w), *note = NULL, *outside = NULL;
	const char *path = fix->files[0].path;
	int ret = -1;

	if (fs_read_file(cocci_path, &cocci, FS_MAX_INPUT) < 0 ||
	    read_headers(fix, cocci_path, cocci.buf, &hdr) < 0)
		goto out;
	if (repo_read_blob(repo, w->loc.branch.commit, path, &before, NULL) < 0) {
		error("cannot read '%s' at '%s'", path, w->loc.branch.label);
		goto out;
	}
	free(w->semantic_file);
	w->semantic_file = semantic_label(fix);
	free(w->series_why);
	w->series_why = xstrfmt("--semantic: %s, because %s", w->semantic_file, why);
	backport_release(&w->bp);
	backport_init(&w->bp);
	if (semantic_spatch(cocci_path, path, before.buf, before.len, SEMANTIC_TIMEOUT,
			    &after) < 0) {
		backport_set(&w->bp, BACKPORT_FAILED, REFUSAL_SEMANTIC_FAILED,
			     xstrfmt("the semantic patch failed: %s", error_last()));
		ret = 0;
		goto out;
	}
	if (after.len == before.len && !memcmp(after.buf, before.buf, before.len)) {
		backport_set(&w->bp, BACKPORT_FAILED, REFUSAL_SEMANTIC_NO_MATCH,
			     xstrfmt("the semantic patch %s matches nothing in %s: "
				     "nothing was changed", w->semantic_file, path));
		ret = 0;
		goto out;
	}
	note = xstrfmt("[ backport-mglru: generated for %s by the semantic patch %s, "
		       "because %s. Review it before queueing it. ]", w->loc.branch.label,
		       w->semantic_file, why);
	semantic_patch_text(&text, &hdr, note, path, before.buf, before.len, after.buf,
			    after.len);
	patch_release(&w->semantic_patch);
	if (patch_parse(&w->semantic_patch, "mglru-mmgrab-semantic.patch", text.buf, text.len,
			1) < 0)
		goto out;
	if (located.status == STATUS_NOT_SAFE) {
		/* --with-prerequisites: on top of the prerequisite's backport */
		if (pipeline_prereq_run(fix, w, &located, one, 1, &fc, fuzz) < 0)
			goto out;
		if (w->bp.prereq_form) {
			char *why2 = xstrfmt("%s; first %s (--with-prerequisites)", w->series_why,
					  w->bp.prereq_form);

			free(w->series_why);
			w->series_why = why2;
		}
	} else {
		/* the gate of backport_run(): pipeline_semantic_wanted() decided */
		located.status = STATUS_NEEDS_FIX;
		if (backport_run(&w->bp, &located, one, 1, fix,
				 w->loc.mmap_path ? w->mmap.buf : NULL, w->mmap.len,
				 pipeline_fetch, &fc, fuzz) < 0)
			goto out;
	}
	for (size_t i = 0; i < w->bp.nr_files; i++) {
		const struct backport_file *f = &w->bp.files[i];

		if (w->bp.outcome != BACKPORT_APPLIED || strcmp(f->path, path))
			continue;
		if (!semantic_only_sites_changed(before.buf, before.len, &w->loc.variant,
						 f->after, f->after_len, &w->bp.after, &outside))
			backport_set(&w->bp, BACKPORT_REFUSED, REFUSAL_SEMANTIC_OUTSIDE,
				     xstrfmt("refused: the semantic patch %s", outside));
	}
	ret = 0;
out:
	free(outside);
	free(note);
	free(why);
	free(cocci_path);
	patch_release(&hdr);
	strbuf_release(&cocci);
	strbuf_release(&before);
	strbuf_release(&after);
	strbuf_release(&text);
	return ret;
}
