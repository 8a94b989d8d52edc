/*
 * backport-mglru apply: on each branch, the series kept for its line applied
 * in memory, all or nothing, checked by locating again, then written out as
 * quilt / DEP-3 / mbox patches against that branch's exact tree, and with
 * --commit, committed on refs/heads/backport-mglru/<X.Y.y>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/backport.h"
#include "core/diff.h"
#include "core/error.h"
#include "core/render.h"
#include "core/report-apply.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"
#include "sys/seriesdir.h"
#include "sys/workset.h"

static const char apply_usage[] =
	"usage: backport-mglru apply [--repo DIR] [--branch SPEC]... [--all] [--series DIR]\n"
	"                            [--fuzz N] [--output DIR] [--format quilt|dep3|mbox]\n"
	"                            [--commit [--force]] [--dry-run] [--json]\n"
	"\n"
	"    --repo DIR       kernel git repository, bare or not\n"
	"    --branch SPEC    6.6.y, linux-6.6.y, stable/linux-6.6.y, v6.6.87, a ref or\n"
	"                     a commit; repeatable\n"
	"    --all            every branch named linux-X.Y.y\n"
	"    --series DIR     directory with series/ and backports/ (default: the\n"
	"                     installed copy, or the source tree's)\n"
	"    --fuzz N         context lines a hunk may ignore at each end (default 0)\n"
	"    --output DIR     write DIR/<X.Y.y>/series and its patches, regenerated\n"
	"                     against each branch's exact tree\n"
	"    --format FMT     quilt (default), dep3 (debian/patches), mbox (git am)\n"
	"    --commit         commit each patched tree on refs/heads/backport-mglru/<X.Y.y>\n"
	"    --force          with --commit, replace such a ref when it exists\n"
	"    --dry-run        write nothing, report only\n"
	"    --json           one JSON document (docs/json.md) instead of the table\n"
	"    -h, --help       this text\n";

struct apply_cli {
	const char *series;
	unsigned fuzz;
	const char *output;
	enum render_format format;
	bool commit, force, dry_run;
};

static const char *opt_series(void *cmd, const char *arg)
{
	((struct apply_cli *)cmd)->series = arg;
	return NULL;
}

static const char *opt_fuzz(void *cmd, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || v > 10)
		return "expected a number from 0 to 10";
	((struct apply_cli *)cmd)->fuzz = (unsigned)v;
	return NULL;
}

static const char *opt_output(void *cmd, const char *arg)
{
	if (!*arg)
		return "expected a directory";
	((struct apply_cli *)cmd)->output = arg;
	return NULL;
}

static const char *opt_format(void *cmd, const char *arg)
{
	if (!render_format_parse(arg, &((struct apply_cli *)cmd)->format))
		return "expected quilt, dep3 or mbox";
	return NULL;
}

static const char *opt_commit(void *cmd, const char *arg)
{
	(void)arg;
	((struct apply_cli *)cmd)->commit = true;
	return NULL;
}

static const char *opt_force(void *cmd, const char *arg)
{
	(void)arg;
	((struct apply_cli *)cmd)->force = true;
	return NULL;
}

static const char *opt_dry_run(void *cmd, const char *arg)
{
	(void)arg;
	((struct apply_cli *)cmd)->dry_run = true;
	return NULL;
}

static const struct cli_option apply_options[] = {
	{ "series", true, opt_series, 0 },
	{ "fuzz", true, opt_fuzz, 0 },
	{ "output", true, opt_output, 0 },
	{ "format", true, opt_format, 0 },
	{ "commit", false, opt_commit, 0 },
	{ "force", false, opt_force, 0 },
	{ "dry-run", false, opt_dry_run, 0 },
};

/* Everything one branch carries through the command. */
struct branch_work {
	struct locate_result loc;
	struct series_set set;
	bool have_set;
	char *series_why;
	struct backport bp;
	char line[32];		/* "6.1.y" */
	char *ref;		/* refs/heads/backport-mglru/<line> */
	char *output;		/* directory written */
	char commit[41];
	bool committed;
	char *error;		/* failure writing this branch's outputs */
};

struct fetch_ctx {
	struct repo *repo;
	const char *commit;
	const char *label;
};

static int fetch_from_repo(void *ctx, const char *path, char **content, size_t *len)
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

/* Writes DIR/<line>/series and one patch file per step, all or nothing. */
static int write_outputs(struct branch_work *w, const struct apply_cli *o)
{
	struct series out_series = SERIES_INIT;
	struct strbuf text = STRBUF_INIT, diff = STRBUF_INIT;
	char *final = xstrfmt("%s/%s", o->output, w->line), *tmp = NULL;
	char day[16], upstream[41];
	int ret = -1;

	today(day);
	if (fs_mkdirs(o->output) < 0 || fs_tmpdir_beside(final, &tmp) < 0)
		goto out;
	for (size_t s = 0; s < w->bp.nr_steps; s++) {
		const struct backport_step *step = &w->bp.steps[s];
		struct render_info ri = { step->patch, w->line, NULL, NULL, day,
					  BACKPORT_MGLRU_VERSION };
		char *path;
		int rc;

		if (!step->nr_files)	/* already there: nothing to carry */
			continue;
		strbuf_reset(&diff);
		step_diff(&diff, step);
		ri.diff = diff.buf;
		if (render_upstream_id(step->patch->message, upstream))
			ri.upstream = upstream;
		strbuf_reset(&text);
		render_patch(&text, o->format, &ri);
		path = xstrfmt("%s/%s", tmp, step->patch->name);
		rc = fs_write_atomic(path, text.buf, text.len);
		free(path);
		if (rc < 0)
			goto out;
		series_add(&out_series, step->patch->name, 1);
	}
	strbuf_reset(&text);
	strbuf_addf(&text, "# %s for linux-%s at %.12s, by backport-mglru\n",
		    render_format_name(o->format), w->line, w->loc.branch.commit);
	series_write(&out_series, &text);
	{
		char *path = xstrfmt("%s/series", tmp);
		int rc = fs_write_atomic(path, text.buf, text.len);

		free(path);
		if (rc < 0)
			goto out;
	}
	if (fs_replace_dir(tmp, final) < 0)
		goto out;
	free(tmp);
	tmp = NULL;
	w->output = final;
	final = NULL;
	ret = 0;
out:
	if (tmp) {
		fs_remove_flat_dir(tmp);
		free(tmp);
	}
	free(final);
	series_release(&out_series);
	strbuf_release(&text);
	strbuf_release(&diff);
	return ret;
}

static int commit_branch(struct repo *repo, struct branch_work *w, const struct apply_cli *o)
{
	const struct patch *p = w->bp.steps[0].patch;
	struct commit_request req = { 0 };
	struct commit_file *files = xcalloc(w->bp.nr_files, sizeof(*files));
	struct strbuf msg = STRBUF_INIT;
	char *name = NULL, *email = NULL;
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
		strbuf_addf(&msg, "%s\n\n%s", sp->subject ? sp->subject : sp->name,
			    sp->message ? sp->message : "");
		strbuf_rtrim(&msg);
		strbuf_addch(&msg, '\n');
	}
	for (size_t i = 0; i < w->bp.nr_files; i++) {
		files[i].path = w->bp.files[i].path;
		files[i].data = w->bp.files[i].after;
		files[i].len = w->bp.files[i].after_len;
	}
	req.parent = w->loc.branch.commit;
	req.ref = w->ref;
	req.force = o->force;
	req.author_name = name;
	req.author_email = email;
	req.message = msg.buf;
	req.files = files;
	req.nr_files = w->bp.nr_files;
	if (repo_commit(repo, &req, w->commit) < 0)
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
static int backport_branch(struct repo *repo, const char *series_dir,
			   struct branch_work *w, const struct apply_cli *o)
{
	struct fetch_ctx fc = { repo, w->loc.branch.commit, w->loc.branch.spec };
	struct strbuf mmap = STRBUF_INIT;
	const struct patch **patches = NULL;
	int rc, ret = -1;

	if (w->loc.variant.status == STATUS_NEEDS_FIX) {
		rc = series_set_load(&w->set, series_dir, w->line, w->loc.variant.shape);
		if (rc < 0)
			goto out;
		w->have_set = rc == 0;
		w->series_why = xstrdup(w->set.why);
		if (rc == SERIES_NONE) {
			w->bp.outcome = BACKPORT_REFUSED;
			w->bp.reason = xstrfmt("not patched: %s", w->set.why);
			ret = 0;
			goto out;
		}
	}
	if (w->loc.mmap_path) {
		rc = repo_read_blob(repo, w->loc.branch.commit, w->loc.mmap_path, &mmap, NULL);
		if (rc < 0)
			goto out;
	}
	patches = xcalloc(w->set.nr_patches + 1, sizeof(*patches));
	for (size_t i = 0; i < w->set.nr_patches; i++)
		patches[i] = &w->set.patches[i];
	ret = backport_run(&w->bp, &w->loc.variant, patches, w->set.nr_patches,
			   w->loc.vmscan_path, w->loc.mmap_path ? mmap.buf : NULL,
			   mmap.len, fetch_from_repo, &fc, o->fuzz);
out:
	free(patches);
	strbuf_release(&mmap);
	return ret;
}

/* Two branches of one line would write the same outputs: refuse up front. */
static int check_one_per_line(struct branch_work *w, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		for (size_t j = i + 1; j < nr; j++)
			if (!strcmp(w[i].line, w[j].line))
				return error("branches '%s' and '%s' are both linux-%s: "
					     "--output and --commit take one branch per line",
					     w[i].loc.branch.label, w[j].loc.branch.label,
					     w[i].line);
	return 0;
}

int cmd_apply(int argc, char **argv)
{
	struct common_opts common = { 0 };
	struct apply_cli o = { 0 };
	struct repo *repo = NULL;
	struct branch *branches = NULL;
	struct branch_work *work = NULL;
	struct apply_report *rep = NULL;
	struct strbuf series_dir = STRBUF_INIT, out = STRBUF_INIT;
	size_t nr = 0, nr_work = 0;
	int ret;

	o.format = RENDER_QUILT;
	if (parse_options(argc, argv, apply_options, ARRAY_SIZE(apply_options), &common,
			  &o, apply_usage, &ret))
		goto out;
	if (o.force && !o.commit) {
		ret = cli_usage_error(apply_usage, "--force goes with --commit");
		goto out;
	}
	ret = EXIT_FATAL;
	if (seriesdir_find(o.series, &series_dir) < 0 || repo_open(&repo, common.repo) < 0 ||
	    workset_select(repo, common.branches, common.nr_branches, common.all,
			   &branches, &nr) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	if (!nr) {
		cli_fatal("no branch named linux-X.Y.y in '%s'", repo_path(repo));
		goto out;
	}
	work = xcalloc(nr, sizeof(*work));
	for (; nr_work < nr; nr_work++) {
		struct branch_work *w = &work[nr_work];

		backport_init(&w->bp);
		if (workset_locate(repo, &branches[nr_work], &w->loc) < 0) {
			nr_work++;
			cli_fatal("%s", error_last());
			goto out;
		}
		kversion_format_line(&w->loc.branch.version, w->line, sizeof(w->line));
		w->ref = xstrfmt("refs/heads/backport-mglru/%s", w->line);
	}
	if ((o.output || o.commit) && check_one_per_line(work, nr) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	if (o.commit && !o.force && !o.dry_run) {
		for (size_t i = 0; i < nr; i++)
			if (repo_ref_exists(repo, work[i].ref)) {
				cli_fatal("ref '%s' already exists (use --force to replace it)",
					  work[i].ref);
				goto out;
			}
	}
	for (size_t i = 0; i < nr; i++) {
		if (backport_branch(repo, series_dir.buf, &work[i], &o) < 0) {
			cli_fatal("%s", error_last());
			goto out;
		}
	}
	/* Outputs only for branches that applied; a failing branch writes nothing. */
	for (size_t i = 0; i < nr && !o.dry_run; i++) {
		struct branch_work *w = &work[i];

		if (w->bp.outcome != BACKPORT_APPLIED)
			continue;
		if (o.output && write_outputs(w, &o) < 0)
			w->error = xstrdup(error_last());
		if (!w->error && o.commit && commit_branch(repo, w, &o) < 0)
			w->error = xstrdup(error_last());
	}

	rep = xcalloc(nr, sizeof(*rep));
	ret = EXIT_OK;
	for (size_t i = 0; i < nr; i++) {
		struct branch_work *w = &work[i];

		rep[i].loc = &w->loc;
		rep[i].series_file = w->have_set ? w->set.file : NULL;
		rep[i].series_why = w->series_why;
		rep[i].bp = &w->bp;
		rep[i].output = w->output;
		rep[i].commit = w->committed ? w->commit : NULL;
		rep[i].ref = w->ref;
		rep[i].error = w->error;
		if (apply_report_failed(&rep[i]))
			ret = EXIT_FAILED;
		if (w->bp.outcome == BACKPORT_HALF_APPLIED)
			fprintf(stderr, "warning: %s: HALF-APPLIED: %s\n",
				w->loc.branch.label, w->bp.reason);
	}
	if (common.json)
		report_apply_json(&out, repo_path(repo), o.dry_run, rep, nr);
	else
		report_apply_table(&out, rep, nr);
	fwrite(out.buf, 1, out.len, stdout);
	if (fflush(stdout))
		ret = cli_fatal("cannot write the report: standard output failed");
out:
	for (size_t i = 0; i < nr_work; i++) {
		struct branch_work *w = &work[i];

		locate_result_release(&w->loc);
		series_set_release(&w->set);
		backport_release(&w->bp);
		free(w->series_why);
		free(w->ref);
		free(w->output);
		free(w->error);
	}
	free(work);
	free(rep);
	branch_list_free(branches, nr);
	common_opts_release(&common);
	strbuf_release(&series_dir);
	strbuf_release(&out);
	repo_free(repo);
	return ret;
}
