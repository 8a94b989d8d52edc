#include "core/backport.h"

#include <stdlib.h>
#include <string.h>

#include "core/csource.h"
#include "core/error.h"
#include "core/fix.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

void backport_init(struct backport *bp)
{
	memset(bp, 0, sizeof(*bp));
	variant_init(&bp->after);
}

static void files_free(struct backport_file *f, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(f[i].path);
		free(f[i].before);
		free(f[i].after);
	}
	free(f);
}

void backport_release(struct backport *bp)
{
	for (size_t i = 0; i < bp->nr_steps; i++) {
		apply_result_release(&bp->steps[i].result);
		files_free(bp->steps[i].files, bp->steps[i].nr_files);
	}
	free(bp->steps);
	files_free(bp->files, bp->nr_files);
	variant_release(&bp->after);
	free(bp->reason);
	free(bp->prereq_form);
	backport_init(bp);
}

static const char *const outcome_names[] = {
	[BACKPORT_APPLIED] = "applied",
	[BACKPORT_ALREADY_FIXED] = "already-fixed",
	[BACKPORT_NOT_AFFECTED] = "not-affected",
	[BACKPORT_NOT_SAFE] = "not-safe-as-is",
	[BACKPORT_REFUSED] = "refused",
	[BACKPORT_FAILED] = "failed",
	[BACKPORT_HALF_APPLIED] = "half-applied",
};

const char *backport_outcome_name(enum backport_outcome o)
{
	if ((size_t)o >= ARRAY_SIZE(outcome_names) || !outcome_names[o])
		BUG("bad backport outcome %d", (int)o);
	return outcome_names[o];
}

bool backport_outcome_failed(enum backport_outcome o)
{
	return o != BACKPORT_APPLIED && o != BACKPORT_ALREADY_FIXED &&
	       o != BACKPORT_NOT_AFFECTED;
}

static void set_reason(struct backport *bp, enum backport_outcome o, const char *refusal,
		       char *reason)
{
	backport_set(bp, o, refusal, reason);
}

void backport_set(struct backport *bp, enum backport_outcome o, const char *refusal,
		  char *reason)
{
	bp->outcome = o;
	bp->refusal = refusal;
	free(bp->reason);
	bp->reason = reason;
}

/*
 * The current content of every file, as the patches so far left it; the
 * fetch callback of each step reads from here first, then from the tree.
 */
struct state {
	fetch_fn fetch;
	void *fetch_ctx;
	struct backport *bp;
	const struct variant *located;
	const char *walk_path;	/* the fix's first file: where the sites are */
	/* span lookup: the last content parsed, and its functions */
	const char *parsed;
	size_t parsed_len;
	struct csource cs;
	bool cs_ok;
};

static struct backport_file *find_file(struct backport *bp, const char *path)
{
	for (size_t i = 0; i < bp->nr_files; i++)
		if (!strcmp(bp->files[i].path, path))
			return &bp->files[i];
	return NULL;
}

static int state_fetch(void *ctx, const char *path, char **content, size_t *len)
{
	struct state *st = ctx;
	struct backport_file *f = find_file(st->bp, path);

	if (!f) {
		char *data;
		size_t n;

		if (st->fetch(st->fetch_ctx, path, &data, &n) < 0)
			return -1;
		ALLOC_GROW(st->bp->files, st->bp->nr_files + 1, st->bp->alloc_files);
		f = &st->bp->files[st->bp->nr_files++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(path);
		f->before = data;
		f->before_len = n;
		f->after = xmalloc(n + 1);
		memcpy(f->after, data, n);
		f->after[n] = '\0';
		f->after_len = n;
	}
	*content = xmalloc(f->after_len + 1);
	memcpy(*content, f->after, f->after_len);
	(*content)[f->after_len] = '\0';
	*len = f->after_len;
	return 0;
}

/* Whether line (trimmed of blanks at both ends) equals text[0..len) trimmed. */
static bool same_trimmed(const char *a, size_t alen, const char *b, size_t blen)
{
	while (alen && (*a == ' ' || *a == '\t'))
		a++, alen--;
	while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t' || a[alen - 1] == '\r'))
		alen--;
	while (blen && (*b == ' ' || *b == '\t'))
		b++, blen--;
	while (blen && (b[blen - 1] == ' ' || b[blen - 1] == '\t' || b[blen - 1] == '\r'))
		blen--;
	return alen == blen && !memcmp(a, b, alen);
}

/*
 * Whether function f of content holds the hunk's removed lines, in order
 * (or, for a hunk that only adds, its context lines).
 */
static bool func_holds_hunk(const char *text, const size_t *starts, size_t nr_lines,
			    size_t len, const struct cfunc *f, const struct hunk *h)
{
	size_t line = f->start_line;
	bool any_removed = false;

	for (size_t i = 0; i < h->nr_lines; i++)
		if (h->lines[i].op == '-')
			any_removed = true;
	for (size_t i = 0; i < h->nr_lines; i++) {
		const struct patch_line *pl = &h->lines[i];
		bool found = false;

		if (pl->op == '+' || (any_removed && pl->op != '-'))
			continue;
		if (!any_removed && pl->text[0] == '\0')
			continue;
		for (; line <= f->end_line && line <= nr_lines; line++) {
			size_t s = starts[line - 1];
			size_t e = line < nr_lines ? starts[line] : len;

			if (same_trimmed(text + s, e - s - (e > s && text[e - 1] == '\n'),
					 pl->text, pl->len)) {
				found = true;
				line++;
				break;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

/* The located site whose function span holds line, if any. */
static bool span_is_site(const struct variant *v, const struct cfunc *f)
{
	return (v->pin.found && v->pin.line >= f->start_line && v->pin.line <= f->end_line) ||
	       (v->unpin.found && v->unpin.line >= f->start_line &&
		v->unpin.line <= f->end_line);
}

/*
 * The span callback: the function of the target that holds the lines the
 * hunk removes.  Several such functions (an #ifdef/#else pair): the one
 * the locator found the pin or unpin in.  None, or still several: no
 * opinion, and the hunk is placed by its context alone.
 */
static int find_span(void *ctx, const char *path, const char *content, size_t len,
		     const struct hunk *h, struct span *span)
{
	struct state *st = ctx;
	const struct cfunc *any = NULL, *site = NULL;
	size_t nr_any = 0, nr_site = 0, nr_lines, *starts;
	bool on_vmscan = st->located && !strcmp(path, st->walk_path);
	const struct cfunc *pick;

	if (st->parsed != content || st->parsed_len != len) {
		csource_release(&st->cs);
		st->cs_ok = csource_parse(&st->cs, content, len) == 0;
		if (!st->cs_ok)
			error_clear();
		st->parsed = content;
		st->parsed_len = len;
	}
	if (!st->cs_ok)
		return 0;
	starts = text_line_starts(content, len, &nr_lines);
	for (size_t i = 0; i < st->cs.nr_funcs; i++) {
		const struct cfunc *f = &st->cs.funcs[i];

		if (!func_holds_hunk(content, starts, nr_lines, len, f, h))
			continue;
		any = f;
		nr_any++;
		if (on_vmscan && span_is_site(st->located, f)) {
			site = f;
			nr_site++;
		}
	}
	free(starts);
	pick = nr_any == 1 ? any : nr_site == 1 ? site : NULL;
	if (!pick)
		return 0;
	span->first_line = pick->start_line;
	span->last_line = pick->end_line;
	span->name = pick->name;
	return 1;
}

static void record_step_files(struct backport_step *step, const struct apply_result *res,
			      struct backport *bp)
{
	step->files = xcalloc(res->nr_files ? res->nr_files : 1, sizeof(*step->files));
	for (size_t i = 0; i < res->nr_files; i++) {
		const struct applied_file *af = &res->files[i];
		struct backport_file *cur = find_file(bp, af->path);
		struct backport_file *sf = &step->files[step->nr_files++];

		if (!cur)
			BUG("applied file '%s' was never fetched", af->path);
		sf->path = xstrdup(af->path);
		sf->before = xmalloc(cur->after_len + 1);
		memcpy(sf->before, cur->after, cur->after_len);
		sf->before[cur->after_len] = '\0';
		sf->before_len = cur->after_len;
		sf->after = xmalloc(af->len + 1);
		memcpy(sf->after, af->content, af->len);
		sf->after[af->len] = '\0';
		sf->after_len = af->len;
		free(cur->after);
		cur->after = xmalloc(af->len + 1);
		memcpy(cur->after, af->content, af->len);
		cur->after[af->len] = '\0';
		cur->after_len = af->len;
	}
}

/*
 * The texts of fix's files after the steps in bp: each as the steps left
 * it, else the tree's own (fetched into own[i], which the caller frees),
 * else none (not in this tree).
 */
static void after_texts(struct backport *bp, const struct fix_desc *fix, fetch_fn fetch,
			void *fetch_ctx, struct fix_text *texts, char **own)
{
	for (size_t i = 0; i < fix->nr_files; i++) {
		const struct backport_file *f = find_file(bp, fix->files[i].path);

		texts[i].path = fix->files[i].path;
		if (f) {
			texts[i].text = f->after;
			texts[i].len = f->after_len;
		} else if (fetch(fetch_ctx, fix->files[i].path, &own[i], &texts[i].len) == 0) {
			texts[i].text = own[i];
		} else {
			error_clear();	/* not in this tree */
		}
	}
}

/*
 * Classifies the result for fix: its files as the series left them (the
 * original content of those it did not touch), its precondition's text.
 */
static int classify_after(struct backport *bp, const struct fix_desc *fix,
			  const char *pre, size_t pre_len, fetch_fn fetch, void *fetch_ctx)
{
	struct fix_text *texts = xcalloc(fix->nr_files + 1, sizeof(*texts));
	char **own = xcalloc(fix->nr_files + 1, sizeof(*own));
	struct fix_text pre_text = { NULL, pre, pre_len };
	int ret = -1;

	after_texts(bp, fix, fetch, fetch_ctx, texts, own);
	if (fix->nr_preconditions)
		pre_text.path = fix->preconditions[0].file;
	fix_classify(&bp->after, fix, texts, &pre_text);
	bp->have_after = true;
	ret = 0;
	for (size_t i = 0; i < fix->nr_files; i++)
		free(own[i]);
	free(own);
	free(texts);
	return ret;
}

/*
 * Applies patches[0..nr) one step each, on top of what the earlier steps
 * left (bp->steps has room).  *failed when one does not apply (bp says
 * which, nothing of it kept); *nr_already counts those already there.
 */
static int apply_steps(struct backport *bp, struct state *st, const struct apply_opts *opts,
		       const struct patch *const *patches, size_t nr, size_t *nr_already,
		       bool *failed)
{
	*failed = false;
	for (size_t i = 0; i < nr; i++) {
		struct backport_step *step = &bp->steps[bp->nr_steps++];
		const struct patch *one[1] = { patches[i] };

		step->patch = patches[i];
		if (apply_patches(one, 1, state_fetch, st, opts, &step->result) < 0)
			return -1;
		if (step->result.status == APPLY_FAILED) {
			set_reason(bp, BACKPORT_FAILED, REFUSAL_HUNK_FAILED,
				   xstrfmt("patch '%s' does not apply: nothing was changed",
					   patches[i]->name));
			*failed = true;
			return 0;
		}
		if (step->result.status == APPLY_ALREADY_APPLIED)
			(*nr_already)++;
		else
			record_step_files(step, &step->result, bp);
	}
	return 0;
}

/* The fix's patches on top of the steps so far, then the result located again. */
static int run_fix(struct backport *bp, struct state *st, const struct apply_opts *opts,
		   const struct patch *const *patches, size_t nr, const struct fix_desc *fix,
		   const char *mmap, size_t mmap_len, fetch_fn fetch, void *fetch_ctx)
{
	const char *vmscan_path = fix->files[0].path;
	size_t nr_already = 0;
	bool failed;

	if (apply_steps(bp, st, opts, patches, nr, &nr_already, &failed) < 0)
		return -1;
	if (failed)
		return 0;
	if (nr && nr_already == nr) {
		set_reason(bp, BACKPORT_ALREADY_FIXED, NULL,
			   xstrdup("every patch of the series is already applied"));
		return 0;
	}

	/* Trust the result, not the patches: locate again. */
	if (!find_file(bp, vmscan_path)) {
		set_reason(bp, BACKPORT_FAILED, REFUSAL_RESULT_NOT_FIXED,
			   xstrfmt("the series does not touch %s", vmscan_path));
		return 0;
	}
	if (classify_after(bp, fix, mmap, mmap_len, fetch, fetch_ctx) < 0)
		return -1;
	switch (bp->after.status) {
	case STATUS_ALREADY_FIXED:
		set_reason(bp, BACKPORT_APPLIED, NULL, NULL);
		break;
	case STATUS_HALF_APPLIED:
		set_reason(bp, BACKPORT_HALF_APPLIED, REFUSAL_RESULT_HALF_APPLIED,
			   fix->rule ?
			   xstrfmt("refused: the result converts one site and not "
				   "the other: %s", bp->after.reason ?
				   bp->after.reason : "use-after-free") :
			   xstrfmt("refused: the result has some hunks of the fix and "
				   "not others: %s", bp->after.reason));
		break;
	default:
		set_reason(bp, BACKPORT_HALF_APPLIED, REFUSAL_RESULT_NOT_FIXED,
			   xstrfmt("refused: after applying, the locator says %s%s%s",
				   status_name(bp->after.status),
				   bp->after.reason ? ": " : "",
				   bp->after.reason ? bp->after.reason : ""));
		break;
	}
	return 0;
}

/* The outcome for a tree that is not patched as located; false to go on. */
static bool outcome_as_located(struct backport *bp, const struct variant *located,
			       const struct fix_desc *fix)
{
	switch (located->status) {
	case STATUS_NOT_AFFECTED:
		set_reason(bp, BACKPORT_NOT_AFFECTED, NULL,
			   fix->rule ? xstrdup("no MGLRU mm walk in this tree: nothing to patch") :
			   xstrfmt("nothing to patch: %s", located->reason));
		return true;
	case STATUS_ALREADY_FIXED:
		set_reason(bp, BACKPORT_ALREADY_FIXED, NULL,
			   fix->rule ? xstrdup("mmgrab at the pin and mmdrop at the unpin already") :
			   xstrdup(located->reason));
		return true;
	case STATUS_NOT_SAFE:
		set_reason(bp, BACKPORT_NOT_SAFE, REFUSAL_NOT_SAFE,
			   xstrfmt("not patched: %s", located->reason ? located->reason :
				   "exit_mmap() precondition fails"));
		return true;
	case STATUS_PREREQ_UNVERIFIABLE:
		set_reason(bp, BACKPORT_REFUSED, REFUSAL_PREREQUISITE,
			   xstrfmt("not patched: the prerequisite cannot be verified: %s "
				   "(--assume-prerequisite patches it anyway and writes the "
				   "assumption into the patch)",
				   located->reason ? located->reason : "no reason given"));
		return true;
	case STATUS_HALF_APPLIED:
	case STATUS_UNKNOWN:
	case STATUS_CONFLICT:
		set_reason(bp, BACKPORT_REFUSED,
			   located->status == STATUS_HALF_APPLIED ? REFUSAL_TREE_HALF_APPLIED :
			   located->status == STATUS_CONFLICT ? REFUSAL_TREE_CONFLICT :
			   REFUSAL_TREE_UNKNOWN,
			   xstrfmt("not patched: the tree is %s: %s",
				   status_name(located->status),
				   located->reason ? located->reason : "no reason given"));
		return true;
	case STATUS_NEEDS_FIX:
		break;
	}
	return false;
}

int backport_run(struct backport *bp, const struct variant *located,
		 const struct patch *const *patches, size_t nr,
		 const struct fix_desc *fix, const char *mmap, size_t mmap_len,
		 fetch_fn fetch, void *fetch_ctx, unsigned fuzz)
{
	struct state st = { fetch, fetch_ctx, bp, located, fix->files[0].path, NULL, 0,
			    CSOURCE_INIT, false };
	struct apply_opts opts = APPLY_OPTS_INIT;
	int ret;

	if (outcome_as_located(bp, located, fix))
		return 0;
	opts.fuzz = fuzz;
	opts.find_span = find_span;
	opts.span_ctx = &st;
	bp->steps = xcalloc(nr ? nr : 1, sizeof(*bp->steps));
	ret = run_fix(bp, &st, &opts, patches, nr, fix, mmap, mmap_len, fetch, fetch_ctx);
	csource_release(&st.cs);
	return ret;
}

/*
 * One form of the prerequisite on the tree: its patches applied, then the
 * tree classified again with the precondition's file as they left it.
 * Returns 0 with *applied, *v set and *pre_file (that file in bp) when it
 * applied (v->status and v->pre say whether the precondition now holds), 0
 * with *applied false when it did not apply, -1 on errors.
 */
static int try_prereq_form(struct backport *bp, struct state *st, const struct apply_opts *opts,
			   const struct backport_form *form, const struct fix_desc *fix,
			   struct variant *v, const struct backport_file **pre_file,
			   bool *applied)
{
	const struct fix_precondition *p = &fix->preconditions[0];
	struct fix_text *texts = xcalloc(fix->nr_files + 1, sizeof(*texts));
	char **own = xcalloc(fix->nr_files + 1, sizeof(*own));
	struct fix_text pre = { p->file, NULL, 0 };
	size_t nr_already = 0;
	bool failed;
	int ret = -1;

	*applied = false;
	if (apply_steps(bp, st, opts, form->patches, form->nr, &nr_already, &failed) < 0)
		goto out;
	ret = 0;
	if (failed || nr_already == form->nr || !(*pre_file = find_file(bp, p->file)))
		goto out;
	*applied = true;
	pre.text = (*pre_file)->after;
	pre.len = (*pre_file)->after_len;
	after_texts(bp, fix, st->fetch, st->fetch_ctx, texts, own);
	fix_classify(v, fix, texts, &pre);
out:
	for (size_t i = 0; i < fix->nr_files; i++)
		free(own[i]);
	free(own);
	free(texts);
	return ret;
}

int backport_run_with_prerequisite(struct backport *bp, const struct variant *located,
				   const struct backport_form *forms, size_t nr_forms,
				   const struct patch *const *patches, size_t nr,
				   const struct fix_desc *fix, const char *mmap, size_t mmap_len,
				   fetch_fn fetch, void *fetch_ctx, unsigned fuzz)
{
	struct strbuf tried = STRBUF_INIT;
	/* the fix is there, its prerequisite not: that alone is carried */
	bool fixed_unsafe = located->status == STATUS_ALREADY_FIXED && located->pre.checked &&
			    !located->pre.holds;
	int ret = -1;

	if ((located->status != STATUS_NOT_SAFE && !fixed_unsafe) || !fix->nr_preconditions)
		return backport_run(bp, located, patches, nr, fix, mmap, mmap_len, fetch,
				    fetch_ctx, fuzz);
	for (size_t k = 0; k < nr_forms; k++) {
		const struct backport_form *form = &forms[k];
		struct state st = { fetch, fetch_ctx, bp, located, fix->files[0].path, NULL, 0,
				    CSOURCE_INIT, false };
		struct apply_opts opts = APPLY_OPTS_INIT;
		const struct backport_file *pre_file = NULL;
		struct variant v;
		bool applied;
		int rc;

		backport_release(bp);
		variant_init(&v);
		opts.fuzz = fuzz;
		opts.find_span = find_span;
		opts.span_ctx = &st;
		bp->steps = xcalloc(form->nr + nr + 1, sizeof(*bp->steps));
		rc = try_prereq_form(bp, &st, &opts, form, fix, &v, &pre_file, &applied);
		if (rc == 0 && applied && fixed_unsafe && v.status == STATUS_ALREADY_FIXED &&
		    v.pre.holds) {
			bp->nr_prereq_steps = bp->nr_steps;
			bp->prereq_form = xstrdup(form->name);
			variant_release(&bp->after);
			bp->after = v;	/* moved */
			bp->have_after = true;
			set_reason(bp, BACKPORT_APPLIED, NULL,
				   xstrdup("the fix was there already, its prerequisite was not: "
					   "only the prerequisite is carried"));
			csource_release(&st.cs);
			ret = 0;
			goto out;
		}
		if (rc == 0 && applied && !fixed_unsafe && v.status == STATUS_NEEDS_FIX) {
			/* the precondition holds now: the fix, on top */
			size_t pre_len = pre_file->after_len;
			char *pre_text = xmalloc(pre_len + 1);	/* bp->files may move */

			memcpy(pre_text, pre_file->after, pre_len + 1);
			bp->nr_prereq_steps = bp->nr_steps;
			bp->prereq_form = xstrdup(form->name);
			st.located = &v;
			rc = run_fix(bp, &st, &opts, patches, nr, fix, pre_text, pre_len, fetch,
				     fetch_ctx);
			free(pre_text);
			csource_release(&st.cs);
			variant_release(&v);
			ret = rc;
			goto out;
		}
		if (rc == 0)
			strbuf_addf(&tried, "%s%s %s", tried.len ? "; " : "", form->name,
				    !applied ? "does not apply" :
				    !v.pre.holds ? "applies but the precondition still fails" :
				    "applies but the tree is then not one that needs the fix");
		if (rc == 0 && applied && v.reason)
			strbuf_addf(&tried, " (%s)", v.reason);
		csource_release(&st.cs);
		variant_release(&v);
		if (rc < 0)
			goto out;
	}
	backport_release(bp);
	{
		const char *why = fixed_unsafe ? located->pre.reason : located->reason;

		set_reason(bp, BACKPORT_FAILED, REFUSAL_PREREQUISITE_FAILED,
			   nr_forms ? xstrfmt("not patched: %s; and no backport of the "
					      "prerequisite makes it hold here: %s",
					      why ? why : "the precondition fails", tried.buf) :
			   xstrfmt("not patched: %s; and no backport of the prerequisite is "
				   "shipped for this line", why ? why : "the precondition fails"));
	}
	ret = 0;
out:
	strbuf_release(&tried);
	return ret;
}
