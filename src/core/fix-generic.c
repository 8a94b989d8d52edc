/*
 * The generic status of a fix with no semantic rule, from the code: each
 * hunk of the fix's patch is looked for in the functions the descriptor
 * says it lives in.  A hunk is "in" (already-fixed) when its added lines
 * are in such a function, in order, and its removed lines are not; "out"
 * (needs-fix) when its removed lines are and its added lines are not;
 * the functions looked in are the hunk's own (its definition line or @@
 * text, core/import.c) when the descriptor lists it, else all of its file's;
 * otherwise it conflicts (the function is there but holds neither, or
 * both).  A hunk whose functions are all missing does not affect the tree.
 * A hunk that changes only "#define M" lines of macros the descriptor lists
 * for its file (fix_file.macros) lives in no function: it is looked for in
 * the whole file, and where every other hunk's function is missing, the
 * tree is not affected whatever the macro hunks find.
 * Only the changed lines count: context is what stable trees change most;
 * only where both a hunk's removed and its added lines are there (it moves
 * a line) does its context decide, the side whose whole text is there.
 * Blank lines are skipped (they match anywhere).
 */
#include "core/fix.h"

#include <stdlib.h>
#include <string.h>

#include "core/csource.h"
#include "core/error.h"
#include "core/import.h"
#include "core/patch.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

enum hunk_state {
	HS_OUT,		/* removed lines there, added lines not: needs the fix */
	HS_IN,		/* added lines there, removed lines not: has it */
	HS_CONFLICT,	/* the function is there, the hunk fits neither */
	HS_MISSING,	/* none of the hunk's functions is in the file */
};

static const char *const state_names[] = {
	[HS_OUT] = "needs-fix",
	[HS_IN] = "already-fixed",
	[HS_CONFLICT] = "conflict",
	[HS_MISSING] = "not-affected",
};

/* The text of line n (1-based) of text, trimmed of blanks at both ends. */
static void line_at(const size_t *starts, size_t nr, const char *text, size_t len,
		    size_t n, const char **s, size_t *slen)
{
	size_t b = starts[n - 1], e = n < nr ? starts[n] : len;

	while (e > b && (text[e - 1] == '\n' || text[e - 1] == '\r' || text[e - 1] == ' ' ||
			 text[e - 1] == '\t'))
		e--;
	while (b < e && (text[b] == ' ' || text[b] == '\t'))
		b++;
	*s = text + b;
	*slen = e - b;
}

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t'))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			(*s)[*len - 1] == '\r'))
		(*len)--;
}

/*
 * Whether the hunk's op lines ('-' or '+'; blank ones skipped) are all in
 * lines first..last of text, in order.  *any says whether it has such lines.
 */
static bool seq_in_span(const struct hunk *h, char op, const char *text, size_t len,
			const size_t *starts, size_t nr, size_t first, size_t last, bool *any)
{
	size_t line = first;

	*any = false;
	for (size_t i = 0; i < h->nr_lines; i++) {
		const char *want = h->lines[i].text;
		size_t wlen = h->lines[i].len;
		bool found = false;

		if (h->lines[i].op != op)
			continue;
		trim(&want, &wlen);
		if (!wlen)
			continue;
		*any = true;
		for (; line <= last && line <= nr; line++) {
			const char *s;
			size_t slen;

			line_at(starts, nr, text, len, line, &s, &slen);
			if (slen == wlen && !memcmp(s, want, wlen)) {
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

/* How many of the hunk's non-blank context lines are in lines first..last. */
static size_t context_score(const struct hunk *h, const char *text, size_t len,
			    const size_t *starts, size_t nr, size_t first, size_t last)
{
	size_t score = 0;

	for (size_t i = 0; i < h->nr_lines; i++) {
		const char *want = h->lines[i].text;
		size_t wlen = h->lines[i].len;

		if (h->lines[i].op != ' ')
			continue;
		trim(&want, &wlen);
		if (!wlen)
			continue;
		for (size_t line = first; line <= last && line <= nr; line++) {
			const char *s;
			size_t slen;

			line_at(starts, nr, text, len, line, &s, &slen);
			if (slen == wlen && !memcmp(s, want, wlen)) {
				score++;
				break;
			}
		}
	}
	return score;
}

/* Whether the hunk's @@ text holds name as a word ("static int name(..."). */
static bool names_function(const struct hunk *h, const char *name, size_t n)
{
	for (size_t i = 0; i + n <= h->section_len; i++)
		if (!memcmp(h->section + i, name, n) &&
		    (i + n == h->section_len || h->section[i + n] == '(' ||
		     h->section[i + n] == ' '))
			return true;
	return false;
}

/*
 * Whether one side of the hunk (its context and its op lines, '-' or '+',
 * blank ones skipped) is in lines first..last as one run of consecutive
 * non-blank lines: the hunk's text as a whole, context and all.
 */
static bool side_in_span(const struct hunk *h, char op, const char *text, size_t len,
			 const size_t *starts, size_t nr, size_t first, size_t last)
{
	for (size_t at = first; at <= last && at <= nr; at++) {
		size_t line = at;
		bool ok = true;

		for (size_t i = 0; i < h->nr_lines && ok; i++) {
			const char *want = h->lines[i].text, *s = NULL;
			size_t wlen = h->lines[i].len, slen = 0;

			if (h->lines[i].op != ' ' && h->lines[i].op != op)
				continue;
			trim(&want, &wlen);
			if (!wlen)
				continue;
			for (; line <= last && line <= nr; line++) {
				line_at(starts, nr, text, len, line, &s, &slen);
				if (slen)
					break;
			}
			ok = line <= last && line <= nr && slen == wlen && !memcmp(s, want, wlen);
			line++;
		}
		if (ok)
			return true;
	}
	return false;
}

/*
 * What one hunk finds in lines first..last (a function's, or the file's).
 * Where both its removed and its added lines are there (a hunk that moves
 * a line, so that one side's changed lines are among the other's), the
 * side whose whole text, context included, is there decides.
 */
static enum hunk_state state_in(const struct hunk *h, size_t first, size_t last,
				const char *text, size_t len, const size_t *starts,
				size_t nr, bool *both)
{
	bool any_old, any_new;
	bool old_in = seq_in_span(h, '-', text, len, starts, nr, first, last, &any_old);
	bool new_in = seq_in_span(h, '+', text, len, starts, nr, first, last, &any_new);

	if (!any_old)		/* only adds: in when the added lines are there */
		return new_in ? HS_IN : HS_OUT;
	if (!any_new)		/* only removes: out while the removed lines are there */
		return old_in ? HS_OUT : HS_IN;
	if (old_in && !new_in)
		return HS_OUT;
	if (new_in && !old_in)
		return HS_IN;
	if (old_in && new_in) {
		bool old_side = side_in_span(h, '-', text, len, starts, nr, first, last);
		bool new_side = side_in_span(h, '+', text, len, starts, nr, first, last);

		if (old_side != new_side)
			return old_side ? HS_OUT : HS_IN;
	}
	*both = old_in && new_in;
	return HS_CONFLICT;
}

struct hunk_verdict {
	enum hunk_state state;
	const char *macro;	/* a macro hunk: the macro; borrowed from ff */
	const char *function;	/* where it was decided, or the one named */
	size_t line;		/* that function's first line, 0 if none */
	bool both;		/* HS_CONFLICT: both old and new are there */
	const char *missing;	/* HS_MISSING: the hunk's own function, when the
				   descriptor lists it; borrowed from it */
};

static const struct fix_file *desc_file(const struct fix_desc *fix, const char *path,
					size_t *index)
{
	for (size_t i = 0; i < fix->nr_files; i++)
		if (!strcmp(fix->files[i].path, path)) {
			*index = i;
			return &fix->files[i];
		}
	return NULL;
}

/*
 * The macro of ff that hunk h defines, when every non-blank line it adds or
 * removes is "#define M..." (or "# define M") for a macro M ff lists; NULL
 * when not, or when it has no such line.
 */
static const char *macro_of(const struct hunk *h, const struct fix_file *ff)
{
	const char *macro = NULL;

	for (size_t i = 0; ff->nr_macros && i < h->nr_lines; i++) {
		const char *s = h->lines[i].text, *name;
		size_t len = h->lines[i].len, n;
		const char *found = NULL;

		if (h->lines[i].op == ' ')
			continue;
		trim(&s, &len);
		if (!len)
			continue;
		if (*s != '#')
			return NULL;
		s++, len--;
		trim(&s, &len);
		if (len < 7 || memcmp(s, "define", 6) || (s[6] != ' ' && s[6] != '\t'))
			return NULL;
		s += 6, len -= 6;
		trim(&s, &len);
		name = s;
		for (n = 0; n < len && (name[n] == '_' || (name[n] >= 'a' && name[n] <= 'z') ||
					(name[n] >= 'A' && name[n] <= 'Z') ||
					(name[n] >= '0' && name[n] <= '9'));
		     n++)
			;
		for (size_t k = 0; k < ff->nr_macros && !found; k++)
			if (strlen(ff->macros[k]) == n && !memcmp(ff->macros[k], name, n))
				found = ff->macros[k];
		if (!found || (macro && macro != found))
			return NULL;
		macro = found;
	}
	return macro;
}

/*
 * The verdict on hunk h of a file whose descriptor entry is ff: the first
 * definition of one of ff's functions in which h is in or out; else a
 * conflict in the function that holds most of its context lines (ties: the
 * one its @@ text names, a hint never trusted for placement, else the
 * first); else missing.
 */
static void judge_hunk(struct hunk_verdict *hv, const struct hunk *h,
		       const struct fix_file *ff, const struct csource *cs, const char *text,
		       size_t len, const size_t *starts, size_t nr)
{
	const struct cfunc *first = NULL, *named = NULL, *best = NULL;
	size_t best_score = 0, own_k = ff->nr_functions;
	bool own_found = false;
	char *own = import_hunk_function(h);

	memset(hv, 0, sizeof(*hv));
	hv->state = HS_MISSING;
	hv->macro = macro_of(h, ff);
	if (hv->macro) {
		/* file scope: the whole file, when the tree has it */
		if (text)
			hv->state = state_in(h, 1, nr, text, len, starts, nr, &hv->both);
		goto out;
	}
	for (size_t k = 0; own && k < ff->nr_functions; k++)
		if (!strcmp(ff->functions[k], own))
			own_k = k;
	/* the hunk's own function first (a hint: a @@ text may name another) */
	for (size_t n = 0; n < ff->nr_functions; n++) {
		size_t k = own_k == ff->nr_functions ? n : n == 0 ? own_k : n <= own_k ? n - 1 : n;
		const struct cfunc *f;

		for (size_t d = 0; cs && (f = csource_find_func(cs, ff->functions[k], d)); d++) {
			bool both = false;
			enum hunk_state st = state_in(h, f->start_line, f->end_line, text, len,
						      starts, nr, &both);
			size_t score = context_score(h, text, len, starts, nr, f->start_line,
						     f->end_line);

			own_found |= k == own_k;
			if (!first)
				first = f;
			if (score > best_score) {
				best = f;
				best_score = score;
			}
			if (!named && names_function(h, f->name, strlen(f->name)))
				named = f;
			if (st == HS_IN || st == HS_OUT) {
				hv->state = st;
				hv->function = f->name;
				hv->line = f->start_line;
				goto out;
			}
			if (st == HS_CONFLICT && both)
				hv->both = true;
		}
	}
	if (own_k < ff->nr_functions && !own_found && first) {
		/* its own function is not here, and no other holds it */
		hv->missing = ff->functions[own_k];
	} else if (first) {
		const struct cfunc *pick = best ? best : named ? named : first;

		hv->state = HS_CONFLICT;
		hv->function = pick->name;
		hv->line = pick->start_line;
	}
out:
	free(own);
}

static void add_note(struct variant *v, char *note)
{
	ALLOC_GROW(v->notes, v->nr_notes + 1, v->alloc_notes);
	v->notes[v->nr_notes++] = note;
}

/* The generic status of the tree by one form of the fix: its patches' hunks. */
static void classify_by(struct variant *v, const struct fix_desc *fix,
			const struct patch *ps, size_t nr_ps, const struct fix_text *files)
{
	size_t nr_hunks = 0, count[4] = { 0 };
	size_t nr_func_hunks = 0, func_missing = 0;	/* the hunks not of a macro */
	char *first_conflict = NULL, *first_missing = NULL;
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;

	const struct file_diff **fds;
	size_t nr_fds = 0;

	variant_release(v);
	/* every file diff of every patch of the form, in order */
	for (size_t pi = 0; pi < nr_ps; pi++)
		nr_fds += ps[pi].nr_files;
	fds = xcalloc(nr_fds + 1, sizeof(*fds));
	nr_fds = 0;
	for (size_t pi = 0; pi < nr_ps; pi++)
		for (size_t i = 0; i < ps[pi].nr_files; i++)
			fds[nr_fds++] = &ps[pi].files[i];
	for (size_t i = 0; i < nr_fds; i++) {
		const struct file_diff *fd = fds[i];
		const struct fix_text *t = NULL;
		const struct fix_file *ff;
		struct csource cs = CSOURCE_INIT;
		bool parsed = false;
		size_t idx = 0, nr_lines = 0, *starts = NULL;

		ff = desc_file(fix, fd->path, &idx);
		if (!ff)
			BUG("patch file '%s' not in the descriptor", fd->path);
		t = &files[idx];
		if (t->text) {
			parsed = csource_parse(&cs, t->text, t->len) == 0;
			if (!parsed)
				error_clear();
			starts = text_line_starts(t->text, t->len, &nr_lines);
		}
		for (size_t k = 0; k < fd->nr_hunks; k++) {
			struct hunk_verdict hv;
			char *where;

			nr_hunks++;
			judge_hunk(&hv, &fd->hunks[k], ff, parsed ? &cs : NULL, t->text, t->len,
				   starts, nr_lines);
			count[hv.state]++;
			if (!hv.macro) {
				nr_func_hunks++;
				func_missing += hv.state == HS_MISSING;
			}
			where = hv.macro ? xstrfmt("#define %s", hv.macro) :
				hv.function ? xstrfmt("%s() at line %zu", hv.function, hv.line) :
				hv.missing ? xstrfmt("no %s()", hv.missing) :
					      xstrdup("no function of the fix");
			add_note(v, xstrfmt("hunk %zu of %s: %s (%s)", nr_hunks, fd->path,
					    state_names[hv.state], where));
			if (hv.state == HS_IN || hv.state == HS_OUT)
				strbuf_addf(hv.state == HS_IN ? &in : &out, "%s%zu",
					    (hv.state == HS_IN ? in.len : out.len) ? ", " : "",
					    nr_hunks);
			if (hv.state == HS_CONFLICT && !first_conflict && hv.macro)
				first_conflict = xstrfmt(
					"hunk %zu of %s cannot be placed: the file holds %s the "
					"lines the fix removes %s those it adds (#define %s)",
					nr_hunks, fd->path, hv.both ? "both" : "neither",
					hv.both ? "and" : "nor", hv.macro);
			else if (hv.state == HS_CONFLICT && !first_conflict)
				first_conflict = xstrfmt(
					"hunk %zu of %s cannot be placed: %s() at line %zu holds "
					"%s the lines the fix removes %s those it adds",
					nr_hunks, fd->path, hv.function, hv.line,
					hv.both ? "both" : "neither", hv.both ? "and" : "nor");
			if (hv.state == HS_MISSING && !first_missing && hv.missing && t->text)
				first_missing = xstrfmt("hunk %zu of %s: %s() is not in the file",
							nr_hunks, fd->path, hv.missing);
			else if (hv.state == HS_MISSING && !first_missing)
				first_missing = xstrfmt("hunk %zu of %s: %s", nr_hunks, fd->path,
							t->text ? "none of its functions is "
								  "in the file" :
								  "the file is not in the tree");
			free(where);
		}
		free(starts);
		csource_release(&cs);
	}
	/*
	 * Not affected: no hunk found its function or file.  A macro hunk
	 * (a #define moved with the change) cannot tell alone: where none of
	 * the functions is there, the fix does not affect the tree.
	 */
	if (count[HS_MISSING] == nr_hunks || (nr_func_hunks && func_missing == nr_func_hunks)) {
		v->status = STATUS_NOT_AFFECTED;
		v->reason = xstrfmt("not affected: the code the fix changes is not here (%s)",
				    first_missing ? first_missing : "the patch has no hunk");
	} else if (count[HS_CONFLICT] || count[HS_MISSING]) {
		v->status = STATUS_CONFLICT;
		v->reason = first_conflict ? xstrdup(first_conflict) :
			    xstrfmt("some hunks have no function here: %s", first_missing);
	} else if (count[HS_IN] == nr_hunks) {
		v->status = STATUS_ALREADY_FIXED;
		v->reason = xstrfmt("already fixed: every hunk (%zu) is in", nr_hunks);
	} else if (count[HS_OUT] == nr_hunks) {
		v->status = STATUS_NEEDS_FIX;
		v->reason = xstrfmt("needs the fix: no hunk of %zu is in", nr_hunks);
	} else {
		v->status = STATUS_HALF_APPLIED;
		v->reason = xstrfmt("HALF-APPLIED FIX: hunks %s are in, hunks %s are not",
				    in.buf, out.buf);
	}
	free(fds);
	free(first_conflict);
	free(first_missing);
	strbuf_release(&in);
	strbuf_release(&out);
}

void fix_generic_classify(struct variant *v, const struct fix_desc *fix,
			  const struct fix_text *files)
{
	struct variant alt;

	variant_release(v);
	if (!fix->patch) {
		v->reason = xstrfmt("fix '%s' has neither a rule nor a patch", fix->id);
		return;
	}
	classify_by(v, fix, fix->patch, 1, files);
	/*
	 * Where fix.patch cannot place a hunk, the tree may hold one of the
	 * line adaptations the fix ships: judged by those, a clean verdict
	 * (needs-fix or already-fixed) wins.  A half-applied verdict is only
	 * ever overruled by already-fixed: a form never hides half a fix.
	 */
	if (v->status != STATUS_CONFLICT && v->status != STATUS_HALF_APPLIED)
		return;
	variant_init(&alt);
	for (size_t i = 0; i < fix->nr_forms; i++) {
		const struct fix_form *f = &fix->forms[i];

		classify_by(&alt, fix, f->patches, f->nr_patches, files);
		if (alt.status == STATUS_ALREADY_FIXED ||
		    (alt.status == STATUS_NEEDS_FIX && v->status == STATUS_CONFLICT)) {
			char *r = xstrfmt("%s, by the %s form (%s/%s)", alt.reason, f->line,
					  fix->series_label ? fix->series_label : "series",
					  f->line);

			free(alt.reason);
			alt.reason = r;
			variant_release(v);
			*v = alt;
			return;
		}
	}
	variant_release(&alt);
}
