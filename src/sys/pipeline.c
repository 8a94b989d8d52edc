#include "sys/pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/diff.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "core/report-failed.h"
#include "sys/build.h"
#include "sys/fsutil.h"
#include "sys/outdir.h"
#include "sys/pipeline-internal.h"
#include "sys/workset.h"

int pipeline_fetch(void *ctx, const char *path, char **content, size_t *len)
{
	struct fetch_ctx *f = ctx;
	struct strbuf buf = STRBUF_INIT;
	int rc = repo_read_blob(f->repo, f->commit, path, &buf, NULL);

	if (rc == REPO_ENOTFOUND)
		error("cannot read '%s' at '%s': path not in tree", path, f->label);
	if (rc < 0) {
		strbuf_release(&buf);
		return -1;
	}
	*content = strbuf_detach(&buf, len);
	return 0;
}

static void today(char buf[16])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 16, "%Y-%m-%d", &tm);
}

/* The regenerated diff of one step (one patch) against this branch's tree. */
static void step_diff(struct strbuf *out, const struct backport_step *s)
{
	for (size_t i = 0; i < s->nr_files; i++) {
		const struct backport_file *f = &s->files[i];
		char old_id[41], new_id[41];
		struct diff_opts dopts = DIFF_OPTS_INIT;

		repo_hash_blob(f->before, f->before_len, old_id);
		repo_hash_blob(f->after, f->after_len, new_id);
		dopts.old_id = old_id;
		dopts.new_id = new_id;
		dopts.mode = "100644";
		diff_files(out, f->path, f->before, f->before_len, f->after,
			   f->after_len, &dopts);
	}
}

static char *output_path(const struct branch_work *w, const char *dir,
			 enum render_format f, const char *suffix)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/", dir);
	render_output_dir_name(&sb, f, w->line);
	strbuf_addstr(&sb, suffix);
	return strbuf_detach(&sb, NULL);
}

char *pipeline_failed_path(const struct branch_work *w, const char *dir,
			   enum render_format f)
{
	return output_path(w, dir, f, ".FAILED.txt");
}

size_t pipeline_vet_outputs(struct pipeline *p, const char *dir, enum render_format f,
			    bool force, const enum pipeline_write *want, const char **refused)
{
	size_t nr = 0;

	for (size_t i = 0; i < p->nr; i++) {
		struct branch_work *w = &p->work[i];
		char *path;
		int rc;

		if (!want[i] || w->error)
			continue;
		path = output_path(w, dir, f, want[i] == WRITE_FAILED ? ".FAILED.txt" : "");
		rc = want[i] == WRITE_FAILED ?
		     outdir_vet_file(path, REPORT_FAILED_MARK, force) :
		     outdir_vet(path, force);
		if (rc < 0) {
			w->error = xstrdup(error_last());
			if (!*refused)
				*refused = w->loc.branch.label;
			nr++;
		}
		free(path);
	}
	return nr;
}

void pipeline_mark_not_written(struct pipeline *p, const enum pipeline_write *want,
			       const char *refused)
{
	for (size_t i = 0; i < p->nr; i++) {
		struct branch_work *w = &p->work[i];

		if (want[i] && !w->error)
			w->error = xstrfmt("not written: the output of '%s' was refused, "
					   "so nothing was written", refused);
	}
}

int pipeline_write_failed(struct branch_work *w, const char *dir, enum render_format f,
			  bool force, const char *text)
{
	char *path = pipeline_failed_path(w, dir, f);

	if (fs_mkdirs(dir) < 0 ||
	    outdir_write_file(path, REPORT_FAILED_MARK, force, text, strlen(text)) < 0) {
		free(path);
		return -1;
	}
	w->failed_file = path;
	return 0;
}

/* The upstream commit step s's message records (a "[ Upstream commit ]" line). */
static bool recorded_upstream(const struct branch_work *w, size_t s, char out[41])
{
	const struct patch *p = w->bp.steps[s].patch;

	return p->message && render_upstream_id(p->message, out);
}

/*
 * Where step s's message records none: for the one patch a fix's series
 * carries, the descriptor's full id (a patch imported from mainline's git
 * format-patch says it in its "From <id>" line, not in its message).  A
 * prerequisite's backport has only its own message.
 */
static bool descriptor_upstream(const struct pipeline *pl, const struct branch_work *w,
				size_t s, char out[41])
{
	const char *id = pl->fix ? pl->fix->upstream : NULL;

	if (s < w->bp.nr_prereq_steps || w->bp.nr_steps - w->bp.nr_prereq_steps != 1 ||
	    !id || strlen(id) != 40)
		return false;
	memcpy(out, id, 41);
	return true;
}

/* Writes <dir>/<line>/series and one patch file per step, all or nothing. */
int pipeline_write_outputs(const struct pipeline *pl, struct branch_work *w, const char *dir,
			   enum render_format f, bool force)
{
	struct series out_series = SERIES_INIT;
	struct strbuf text = STRBUF_INIT, diff = STRBUF_INIT, name = STRBUF_INIT;
	struct outdir od = OUTDIR_INIT;
	char day[16], upstream[41];
	int ret = -1;

	if (w->error || w->bp.outcome != BACKPORT_APPLIED)
		BUG("writing outputs of branch '%s' that did not apply cleanly",
		    w->loc.branch.label);
	today(day);
	strbuf_reset(&text);
	render_output_dir_name(&text, f, w->line);
	if (outdir_begin(&od, dir, text.buf) < 0)
		goto out;
	for (size_t s = 0; s < w->bp.nr_steps; s++) {
		const struct backport_step *step = &w->bp.steps[s];
		struct render_info ri = { step->patch, w->line, NULL, NULL, day,
					  BACKPORT_MGLRU_VERSION, w->assumption };

		if (!step->nr_files)	/* already there: nothing to carry */
			continue;
		strbuf_reset(&diff);
		step_diff(&diff, step);
		ri.diff = diff.buf;
		if (recorded_upstream(w, s, upstream) || descriptor_upstream(pl, w, s, upstream))
			ri.upstream = upstream;
		strbuf_reset(&text);
		render_patch(&text, f, &ri);
		strbuf_reset(&name);
		if (f == RENDER_STABLE_QUEUE)
			render_stable_queue_name(&name, step->patch->subject ?
						 step->patch->subject : step->patch->name);
		else
			strbuf_addstr(&name, step->patch->name);
		if (outdir_add(&od, name.buf, text.buf, text.len) < 0)
			goto out;
		series_add(&out_series, name.buf, 1);
	}
	strbuf_reset(&text);
	strbuf_addf(&text, "# %s for linux-%s at %.12s, by backport-mglru\n",
		    render_format_name(f), w->line, w->loc.branch.commit);
	series_write(&out_series, &text);
	if (outdir_add(&od, "series", text.buf, text.len) < 0)
		goto out;
	/* a signal before the rename: the step is not done, and says so */
	if (build_interrupted()) {
		error("interrupted before '%s' was written", od.final);
		goto out;
	}
	if (outdir_finish(&od, force) < 0)
		goto out;
	/* a FAILED text an earlier run left for this line is no longer true */
	{
		char *failed = pipeline_failed_path(w, dir, f);

		outdir_drop_file(failed, REPORT_FAILED_MARK);
		free(failed);
	}
	w->output = od.final;
	od.final = NULL;
	ret = 0;
out:
	outdir_release(&od);
	series_release(&out_series);
	strbuf_release(&text);
	strbuf_release(&diff);
	strbuf_release(&name);
	return ret;
}

/* One commit with every file the series changed, author from the first patch. */
int pipeline_commit(struct pipeline *pl, struct branch_work *w, bool force)
{
	const struct patch *p = w->bp.steps[0].patch;
	struct commit_request req = { 0 };
	struct commit_file *files = xcalloc(w->bp.nr_files, sizeof(*files));
	struct strbuf msg = STRBUF_INIT;
	char *name = NULL, *email = NULL, upstream[41];
	int ret = -1;

	if (!p->from || !render_parse_ident(p->from, &name, &email)) {
		error("patch '%s' has no usable From: header for the commit author", p->name);
		goto out;
	}
	if (!p->date || !render_parse_date(p->date, &req.author_time, &req.author_offset)) {
		error("patch '%s' has no usable Date: header for the commit", p->name);
		goto out;
	}
	for (size_t s = 0; s < w->bp.nr_steps; s++) {
		const struct patch *sp = w->bp.steps[s].patch;

		if (s)
			strbuf_addstr(&msg, "\n");
		strbuf_addf(&msg, "%s\n\n", sp->subject ? sp->subject : sp->name);
		if (!recorded_upstream(w, s, upstream) && descriptor_upstream(pl, w, s, upstream))
			strbuf_addf(&msg, "[ Upstream commit %s ]\n\n", upstream);
		strbuf_addstr(&msg, sp->message ? sp->message : "");
		strbuf_rtrim(&msg);
		strbuf_addch(&msg, '\n');
		if (w->assumption && !s)
			strbuf_addf(&msg, "\n%s\n", w->assumption);
	}
	for (size_t i = 0; i < w->bp.nr_files; i++) {
		files[i].path = w->bp.files[i].path;
		files[i].data = w->bp.files[i].after;
		files[i].len = w->bp.files[i].after_len;
	}
	req.parent = w->loc.branch.commit;
	req.ref = w->ref;
	req.force = force;
	req.author_name = name;
	req.author_email = email;
	req.message = msg.buf;
	req.files = files;
	req.nr_files = w->bp.nr_files;
	if (repo_commit(pl->repo, &req, w->commit) < 0)
		goto out;
	w->committed = true;
	ret = 0;
out:
	free(files);
	free(name);
	free(email);
	strbuf_release(&msg);
	return ret;
}

/* Locate, choose the series, apply in memory.  -1 only on fatal errors. */
/*
 * --assume-prerequisite on a tree whose precondition cannot be seen: it is
 * patched as if it held, and the assumption is said in the patch and the
 * report.  The located variant stays as found; the copy says needs-fix.
 */
static void assume_prerequisite(const struct fix_desc *fix, struct branch_work *w,
				struct variant *located)
{
	const struct fix_precondition *p = fix->nr_preconditions ? &fix->preconditions[0] :
					   NULL;

	if (located->status != STATUS_PREREQ_UNVERIFIABLE || !p)
		return;
	located->status = STATUS_NEEDS_FIX;
	free(w->assumption);
	w->assumption = xstrfmt("[ backport-mglru: ASSUMED, not verified (--assume-prerequisite): "
				"%s() in %s holds the precondition%s%.12s%s%s%s; this tree "
				"does not show it: %s ]", p->function, p->file,
				p->commit ? ", as upstream " : "", p->commit ? p->commit : "",
				p->subject ? " (\"" : "", p->subject ? p->subject : "",
				p->subject ? "\")" : "", w->loc.variant.pre.reason ?
				w->loc.variant.pre.reason : "no reason given");
}

int pipeline_prereq_run(const struct fix_desc *fix, struct branch_work *w,
			const struct variant *located, const struct patch *const *patches,
			size_t nr, struct fetch_ctx *fc, unsigned fuzz)
{
	struct backport_form *forms;
	const struct patch **all;
	size_t total = 0;
	int ret;

	if (!w->prereq_loaded &&
	    prereq_forms_load(&w->prereq_sets, &w->nr_prereq_sets, fix, w->line) < 0)
		return -1;
	w->prereq_loaded = true;
	for (size_t i = 0; i < w->nr_prereq_sets; i++)
		total += w->prereq_sets[i].nr_patches;
	forms = xcalloc(w->nr_prereq_sets + 1, sizeof(*forms));
	all = xcalloc(total + 1, sizeof(*all));
	total = 0;
	for (size_t i = 0; i < w->nr_prereq_sets; i++) {
		struct series_set *set = &w->prereq_sets[i];

		forms[i].name = set->file;
		forms[i].patches = all + total;
		forms[i].nr = set->nr_patches;
		for (size_t k = 0; k < set->nr_patches; k++)
			all[total++] = &set->patches[k];
	}
	ret = backport_run_with_prerequisite(&w->bp, located, forms, w->nr_prereq_sets,
					     patches, nr, fix, w->loc.mmap_path ? w->mmap.buf :
					     NULL, w->mmap.len, pipeline_fetch, fc, fuzz);
	if (!ret && w->bp.prereq_form && !w->semantic_file) {
		char *why = w->series_why ?
			    xstrfmt("%s; first %s (--with-prerequisites), after which the "
				    "precondition holds", w->series_why, w->bp.prereq_form) :
			    xstrfmt("%s only (--with-prerequisites): the fix is there, its "
				    "prerequisite was not", w->bp.prereq_form);

		free(w->series_why);
		w->series_why = why;
	}
	free(all);
	free(forms);
	return ret;
}

static int backport_branch(struct repo *repo, const struct fix_desc *fix,
			   struct branch_work *w, unsigned fuzz, bool semantic, bool assume,
			   bool with_prereq)
{
	struct fetch_ctx fc = { repo, w->loc.branch.commit, w->loc.branch.spec };
	const struct patch **patches = NULL;
	struct variant located = w->loc.variant;	/* shallow: not released */
	bool fixed_unsafe = located.status == STATUS_ALREADY_FIXED && located.pre.checked &&
			    !located.pre.holds;
	bool prereq = with_prereq && (located.status == STATUS_NOT_SAFE || fixed_unsafe) &&
		      fix->nr_preconditions && fix->preconditions[0].series;
	size_t nr;
	int rc, ret = -1;

	if (assume)
		assume_prerequisite(fix, w, &located);
	w->prereq_wanted = prereq;
	if (located.status == STATUS_NEEDS_FIX || (prereq && !fixed_unsafe)) {
		rc = series_set_load(&w->set, fix, w->line, w->loc.variant.shape);
		if (rc < 0)
			goto out;
		w->have_set = rc == 0;
		if (rc == SERIES_NONE && !fix->rule && fix->patch) {
			/* an imported fix: its own patch, each hunk placed in its function */
			w->series_why = xstrfmt("%s: %s itself, placed hunk by hunk", w->set.why,
						fix->patch_name);
			patches = xcalloc(1, sizeof(*patches));
			patches[0] = fix->patch;
			nr = 1;
			goto run;
		}
		w->series_why = xstrdup(w->set.why);
		if (rc == SERIES_NONE) {
			backport_set(&w->bp, BACKPORT_REFUSED, REFUSAL_NO_SERIES,
				     xstrfmt("not patched: %s", w->set.why));
			ret = 0;
			goto out;
		}
	}
	patches = xcalloc(w->set.nr_patches + 1, sizeof(*patches));
	for (size_t i = 0; i < w->set.nr_patches; i++)
		patches[i] = &w->set.patches[i];
	nr = w->set.nr_patches;
run:
	if (prereq)
		ret = pipeline_prereq_run(fix, w, &located, patches, nr, &fc, fuzz);
	else
		ret = backport_run(&w->bp, &located, patches, nr,
				   fix, w->loc.mmap_path ? w->mmap.buf : NULL,
				   w->mmap.len, pipeline_fetch, &fc, fuzz);
out:
	if (!ret && semantic && pipeline_semantic_wanted(fix, w))
		ret = pipeline_semantic_branch(repo, fix, w, fuzz);
	else if (!ret && semantic && w->bp.outcome == BACKPORT_REFUSED)
		pipeline_semantic_not_tried(fix, w);
	free(patches);
	return ret;
}

/* Two branches of one line would write the same outputs: refuse up front. */
int pipeline_one_branch_per_line(const struct pipeline *p)
{
	const struct branch_work *w = p->work;
	size_t nr = p->nr;

	for (size_t i = 0; i < nr; i++)
		for (size_t j = i + 1; j < nr; j++)
			if (!strcmp(w[i].line, w[j].line))
				return error("branches '%s' and '%s' are both linux-%s: "
					     "--output and --commit take one branch per line",
					     w[i].loc.branch.label, w[j].loc.branch.label,
					     w[i].line);
	return 0;
}

int pipeline_locate(struct pipeline *p, const struct fix_desc *fix, const char *repo,
		    const char *const *specs, size_t nr_specs, bool all)
{
	struct branch *branches = NULL;
	struct locate_result **res = NULL;
	struct strbuf **mmap = NULL;
	size_t nr = 0;
	int ret = -1;

	p->fix = fix;
	if (repo_open(&p->repo, repo) < 0 ||
	    workset_select(p->repo, specs, nr_specs, all, &branches, &nr) < 0)
		return -1;
	if (!nr)
		return error("no branch named linux-X.Y.y in '%s'", repo_path(p->repo));
	p->work = xcalloc(nr, sizeof(*p->work));
	res = xcalloc(nr, sizeof(*res));
	mmap = xcalloc(nr, sizeof(*mmap));
	for (; p->nr < nr; p->nr++) {
		struct branch_work *w = &p->work[p->nr];

		backport_init(&w->bp);
		strbuf_init(&w->mmap, 0);
		res[p->nr] = &w->loc;
		mmap[p->nr] = &w->mmap;
	}
	if (workset_locate_all(p->repo, fix, branches, nr, res, mmap) < 0)
		goto out;
	for (size_t i = 0; i < nr; i++) {
		struct branch_work *w = &p->work[i];

		branch_line_name(&w->loc.branch, w->line, sizeof(w->line));
		w->ref = xstrfmt("refs/heads/backport-mglru/%s", w->line);
	}
	ret = 0;
out:
	free(res);
	free(mmap);
	branch_list_free(branches, nr);
	return ret;
}

/* One mainline search per subject and run. */
struct upstream_seen {
	char *subject;
	int found;		/* repo_find_upstream()'s answer */
	char id[41];
	char *where;
};

static int check_upstream(struct pipeline *p, struct branch_work *w,
			  struct upstream_seen **seen, size_t *nr_seen, size_t *alloc_seen)
{
	for (size_t i = 0; i < w->set.nr_patches; i++) {
		const struct patch *pt = &w->set.patches[i];
		struct upstream_seen *u = NULL;
		char recorded[41];
		long long when;
		int offset;

		if (!pt->subject || !pt->date || !render_upstream_id(pt->message, recorded) ||
		    !render_parse_date(pt->date, &when, &offset))
			continue;
		for (size_t k = 0; k < *nr_seen && !u; k++)
			if (!strcmp((*seen)[k].subject, pt->subject))
				u = &(*seen)[k];
		if (!u) {
			ALLOC_GROW(*seen, *nr_seen + 1, *alloc_seen);
			u = &(*seen)[(*nr_seen)++];
			memset(u, 0, sizeof(*u));
			u->subject = xstrdup(pt->subject);
			u->found = repo_find_upstream(p->repo, pt->subject, when - 86400,
						      u->id, &u->where);
			if (u->found < 0)
				return -1;
		}
		if (!u->where)
			continue;	/* no mainline here: nothing to check against */
		free(w->upstream);
		if (u->found == 0) {
			w->upstream = xstrfmt("%s: no commit '%s' in mainline (%s)", pt->name,
					      pt->subject, u->where);
		} else if (strcmp(u->id, recorded)) {
			w->upstream = xstrfmt("%s: recorded upstream commit %.12s, but mainline "
					      "(%s) has '%s' as %.12s", pt->name, recorded,
					      u->where, pt->subject, u->id);
			free(w->error);
			w->error = xstrfmt("upstream id mismatch: %s", w->upstream);
		} else {
			w->upstream = xstrfmt("%s: upstream commit %.12s confirmed in %s",
					      pt->name, u->id, u->where);
		}
	}
	return 0;
}

int pipeline_backport(struct pipeline *p, unsigned fuzz)
{
	struct upstream_seen *seen = NULL;
	size_t nr_seen = 0, alloc_seen = 0;
	int ret = -1;

	for (size_t i = 0; i < p->nr; i++) {
		if (backport_branch(p->repo, p->fix, &p->work[i], fuzz, p->semantic,
				    p->assume_prerequisite, p->with_prerequisites) < 0 ||
		    (p->work[i].have_set &&
		     check_upstream(p, &p->work[i], &seen, &nr_seen, &alloc_seen) < 0))
			goto out;
	}
	ret = 0;
out:
	for (size_t k = 0; k < nr_seen; k++) {
		free(seen[k].subject);
		free(seen[k].where);
	}
	free(seen);
	return ret;
}

void pipeline_release(struct pipeline *p)
{
	for (size_t i = 0; i < p->nr; i++) {
		struct branch_work *w = &p->work[i];

		locate_result_release(&w->loc);
		strbuf_release(&w->mmap);
		series_set_release(&w->set);
		for (size_t k = 0; k < w->nr_prereq_sets; k++)
			series_set_release(&w->prereq_sets[k]);
		free(w->prereq_sets);
		backport_release(&w->bp);
		free(w->series_why);
		free(w->ref);
		free(w->output);
		free(w->failed_file);
		patch_release(&w->semantic_patch);
		free(w->assumption);
		free(w->semantic_file);
		free(w->upstream);
		free(w->error);
		for (size_t c = 0; c < w->nr_checks; c++)
			check_result_release(&w->checks[c]);
		free(w->checks);
		for (size_t b = 0; b < w->nr_boots; b++)
			boot_test_release(&w->boots[b]);
		free(w->boots);
	}
	free(p->work);
	repo_free(p->repo);
	memset(p, 0, sizeof(*p));
}
