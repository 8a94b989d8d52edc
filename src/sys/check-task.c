/*
 * One compile check's state machine (sys/check-task.h): a task's setup and
 * release, the configure steps (target, LRU_GEN on, fragment merge,
 * olddefconfig, stamp), the proof from the .config and the preprocessed
 * text, the patched build and the cached baseline's diagnostics, and
 * kbuild's saved commands in place of make when make would do no more
 * (sys/savedcmd.h).  The run that drives the tasks is in check.c.
 */
#define _GNU_SOURCE
#include "sys/check-task.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/compiled.h"
#include "core/error.h"
#include "core/kversion.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"
#include "sys/savedcmd.h"
#include "sys/treecache.h"

/* A statement that must be in a function of the preprocessed object. */
struct expect {
	char *file;		/* "mm/vmscan.c" */
	char *function;
	char *stmt;		/* as in the patched source, trimmed, comments out */
};

void task_release(struct task *t)
{
	free(t->tree_name);
	free(t->tree);
	free(t->dir);
	free(t->log);
	free(t->target);
	free(t->fragment);
	free(t->fragment_text);
	free(t->stamp_path);
	free(t->stamp_text);
	free(t->baseline_prefix);
	free(t->baseline_path);
	build_argv_release(&t->objs);
	build_argv_release(&t->pre);
	for (size_t i = 0; i < t->nr_expects; i++) {
		free(t->expects[i].file);
		free(t->expects[i].function);
		free(t->expects[i].stmt);
	}
	free(t->expects);
	diag_list_release(&t->diags);
	diag_list_release(&t->base_diags);
	free(t->running_cmd);
	free(t->key);
}

bool task_show_progress(const struct check_opts *o)
{
	return o->progress > 0 || (o->progress < 0 && isatty(2));
}

void task_progress(const struct task *t, const char *step)
{
	if (!task_show_progress(t->opts))
		return;
	fprintf(stderr, "%s %s %s: %s (%.0fs)\n", t->res->branch, t->res->arch,
		t->res->config, step, build_now() - t->start);
}

void task_finish(struct task *t, enum check_outcome o, char *detail)
{
	t->res->outcome = o;
	free(t->res->detail);
	t->res->detail = detail;
	t->state = ST_DONE;
	t->finished = true;
	t->res->seconds = build_now() - t->start;
	check_result_summarise(t->res);
	task_progress(t, t->res->summary);
}

/* Keeps [A-Za-z0-9._-] of s, the rest becomes '_'. */
static char *sanitise(const char *s)
{
	char *r = xstrdup(s);

	for (char *p = r; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
	return r;
}

static bool is_fragment(const char *config)
{
	return strchr(config, '/') || (strlen(config) > 7 &&
					!strcmp(config + strlen(config) - 7, ".config"));
}

/*
 * The cached diagnostics of the baseline built from the same inputs: the
 * commit, arch and config (in the prefix), the .config, the compiler and
 * the flag variables (a compiler upgrade can break the unpatched tree).
 */
static void load_baseline(struct task *t)
{
	struct strbuf sb = STRBUF_INIT;
	char hash[41];

	repo_hash_blob(t->key, strlen(t->key), hash);
	free(t->baseline_path);
	t->baseline_path = xstrfmt("%s-%.12s.diag", t->baseline_prefix, hash);
	diag_list_release(&t->base_diags);
	t->have_baseline = false;
	if (fs_exists(t->baseline_path)) {
		if (fs_read_file(t->baseline_path, &sb, FS_MAX_OWN) == 0 &&
		    diag_load(&t->base_diags, sb.buf, sb.len) == 0)
			t->have_baseline = true;
		else
			diag_list_release(&t->base_diags);
		error_clear();
	}
	strbuf_release(&sb);
}

/* t->key from the .config's text. */
static void set_key(struct task *t, const char *config)
{
	free(t->key);
	t->key = savedcmd_key(&t->bc, t->stamp_text, config);
}

/*
 * NULL when the .config enables what the patched code needs, else why not.
 * Also sets t->key.
 */
static char *check_config(struct task *t)
{
	char *path = xstrfmt("%s/.config", t->dir);
	struct strbuf sb = STRBUF_INIT;
	char *r;

	free(t->key);
	t->key = NULL;
	if (fs_read_file(path, &sb, FS_MAX_OWN) < 0) {
		r = xstrdup(error_last());
	} else {
		r = compiled_config_reason(sb.buf, (const char *const *)t->job->fix->kconfig,
					   t->job->fix->nr_kconfig, t->job->variant);
		set_key(t, sb.buf);
		load_baseline(t);
	}
	strbuf_release(&sb);
	free(path);
	return r;
}

/*
 * After make succeeded in t->dir: the key it ran under, with the .config
 * as make left it (its syncconfig may rewrite it), for the next run.
 */
static void record_make(struct task *t)
{
	char *path = xstrfmt("%s/.config", t->dir);
	struct strbuf sb = STRBUF_INIT;

	if (t->only_c_patched && fs_read_file(path, &sb, FS_MAX_OWN) == 0) {
		set_key(t, sb.buf);
		savedcmd_record(t->dir, t->key);
	}
	error_clear();	/* a failure loses only the shortcut */
	strbuf_release(&sb);
	free(path);
}

/* NULL when every expected statement is in its function in the .i files. */
static char *check_preprocessed(const struct task *t)
{
	struct strbuf text = STRBUF_INIT;
	const char *read_for = NULL;	/* the source whose .i text holds */
	char *dir = t->res->saved_command ? savedcmd_outdir(t->dir) : xstrdup(t->dir);
	char *r = NULL;

	for (size_t i = 0; i < t->nr_expects && !r; i++) {
		const struct expect *e = &t->expects[i];
		size_t n = strlen(e->file);
		char *ipath = xstrfmt("%s/%.*s.i", dir, (int)(n - 2), e->file);
		char *iname = xstrfmt("%.*s.i", (int)(n - 2), e->file);

		/* the pin and the unpin are in one file: its .i is read once */
		if (!read_for || strcmp(read_for, e->file)) {
			read_for = NULL;
			if (fs_read_file(ipath, &text, FS_MAX_OWN) < 0)
				r = xstrfmt("no preprocessed output '%s'", ipath);
			else
				read_for = e->file;
		}
		if (!r)
			r = compiled_missing(text.buf, text.len, iname, e->function, e->stmt);
		free(iname);
		free(ipath);
	}
	strbuf_release(&text);
	free(dir);
	return r;
}

/*
 * The patched pin and unpin statements, as backport.c located them on the
 * patched text (job->after): classified once, not again here.
 */
static void add_expects(struct task *t, const struct commit_file *f)
{
	const struct variant *v = t->job->after;

	if (!v || strcmp(f->path, t->job->fix->files[0].path))
		return;
	for (int i = 0; i < 2; i++) {
		const struct site *s = i ? &v->unpin : &v->pin;
		struct expect *e;

		if (!s->found || !s->function || !s->text)
			continue;
		ALLOC_GROW(t->expects, t->nr_expects + 1, t->alloc_expects);
		e = &t->expects[t->nr_expects++];
		e->file = xstrdup(f->path);
		e->function = xstrdup(s->function);
		e->stmt = compiled_strip_comments(s->text);
	}
}

#define SECONDS_NAME ".backport-mglru-seconds"

/* How long the last patched build in t's directory took, or -1. */
static double read_last_seconds(const struct task *t)
{
	char *path = xstrfmt("%s/" SECONDS_NAME, t->dir);
	struct strbuf sb = STRBUF_INIT;
	double v = -1;

	if (fs_exists(path) && fs_read_file(path, &sb, FS_MAX_OWN) == 0) {
		char *end;
		double d = strtod(sb.buf, &end);

		if (end != sb.buf && d >= 0)
			v = d;
	}
	error_clear();
	strbuf_release(&sb);
	free(path);
	return v;
}

/* Records this patched build's time, for the next run's order (check.c). */
static void write_last_seconds(const struct task *t)
{
	char *path = xstrfmt("%s/" SECONDS_NAME, t->dir);
	char *text = xstrfmt("%.3f\n", build_now() - t->start);

	if (fs_write_atomic(path, text, strlen(text)) < 0)
		error_clear();	/* only a hint */
	free(text);
	free(path);
}

int task_setup(struct task *t, const struct check_job *job, const char *root,
	       const struct check_opts *o, struct check_result *res)
{
	const char *cfg = job->config ? job->config : build_defconfig(job->arch);
	struct strbuf frag = STRBUF_INIT;
	char line[32], fhash[41] = "";
	char *cfgname = NULL;
	int ret = -1;

	t->job = job;
	t->res = res;
	t->opts = o;
	res->branch = xstrdup(job->branch->label ? job->branch->label : job->branch->commit);
	res->arch = xstrdup(job->arch);
	res->config = xstrdup(cfg ? cfg : "defconfig");
	t->start = build_now();
	if (!cfg) {
		task_finish(t, CHECK_FAILED, xstrfmt("unknown arch '%s'", job->arch));
		return 0;
	}
	if (!build_have_compiler(job->arch)) {
		task_finish(t, CHECK_SKIPPED, xstrfmt("%sgcc not found",
						      build_cross_compile(job->arch)));
		return 0;
	}
	if (is_fragment(cfg)) {
		if (fs_read_file(cfg, &frag, FS_MAX_INPUT) < 0) {
			task_finish(t, CHECK_FAILED, xstrfmt("cannot read config fragment '%s'",
							     cfg));
			ret = 0;
			goto out;
		}
		repo_hash_blob(frag.buf, frag.len, fhash);
		t->fragment = xstrdup(cfg);
		t->fragment_text = strbuf_detach(&frag, NULL);
		t->target = xstrdup(build_defconfig(job->arch));
		{
			const char *base = strrchr(cfg, '/');
			char *b = sanitise(base ? base + 1 : cfg);

			cfgname = xstrfmt("%s-%.8s", b, fhash);
			free(b);
		}
	} else {
		t->target = xstrdup(cfg);
		cfgname = sanitise(cfg);
	}
	if (job->branch->has_version) {
		kversion_format_line(&job->branch->version, line, sizeof(line));
		t->tree_name = xstrdup(line);
	} else {
		t->tree_name = sanitise(res->branch);
	}
	t->tree = treecache_path(root, t->tree_name);
	t->dir = xstrfmt("%s/build/%s-%s-%s", root, t->tree_name, job->arch, cfgname);
	t->log = xstrfmt("%s/backport-mglru.log", t->dir);
	t->stamp_path = xstrfmt("%s/.backport-mglru-configured", t->dir);
	{
		struct strbuf en = STRBUF_INIT;

		for (size_t i = 0; i < job->fix->nr_kconfig; i++)
			strbuf_addf(&en, " %s", job->fix->kconfig[i]);
		for (size_t i = 0; i < job->fix->nr_enable; i++)
			strbuf_addf(&en, " %s", job->fix->enable[i]);
		t->stamp_text = xstrfmt("commit %s\narch %s\ntarget %s\nfragment %s\n"
					"enable%s\n", job->branch->commit, job->arch,
					t->target, *fhash ? fhash : "-", en.buf);
		strbuf_release(&en);
	}
	t->baseline_prefix = xstrfmt("%s/baseline/%s-%s-%s", root, job->branch->commit,
				     job->arch, cfgname);
	res->build_dir = xstrdup(t->dir);
	res->log_path = xstrdup(t->log);
	t->bc.tree = t->tree;
	t->bc.dir = t->dir;
	t->bc.arch = job->arch;
	t->bc.cc_wrapper = o->cc_wrapper;
	/*
	 * One compiler run per object: gcc saves the text it compiled next to
	 * the object (X.i), which the proof reads.  -fdirectives-only keeps the
	 * macros in that text for the compile proper to expand, so warnings and
	 * errors are gcc's usual ones, at the same file:line:column (only a
	 * "note: in definition of macro" may point at another line of a
	 * multi-line #define).  A wrapper gets the second run of old: distcc
	 * leaves the saved text on the server, ccache does not cache
	 * -save-temps; and clang (LLVM=) has no -fdirectives-only.
	 */
	{
		const char *llvm = getenv("LLVM");

		if ((!o->cc_wrapper || !*o->cc_wrapper) && (!llvm || !*llvm))
			t->bc.kcflags_add = CHECK_ONE_RUN_FLAGS;
	}
	t->only_c_patched = true;
	for (size_t i = 0; i < job->nr_files; i++) {
		const char *p = job->files[i].path;
		size_t n = strlen(p);

		if (n > 2 && !strcmp(p + n - 2, ".c")) {
			build_argv_pushf(&t->objs, "%.*s.o", (int)(n - 2), p);
			build_argv_pushf(&t->pre, "%.*s.i", (int)(n - 2), p);
		} else {
			t->only_c_patched = false;
		}
		add_expects(t, &job->files[i]);
	}
	if (fs_mkdirs(t->dir) < 0) {
		task_finish(t, CHECK_FAILED, xstrdup(error_last()));
		ret = 0;
		goto out;
	}
	t->last_seconds = read_last_seconds(t);
	/* one log per check and run */
	if (fs_write_atomic(t->log, "", 0) < 0)
		error_clear();
	ret = 0;
out:
	free(cfgname);
	strbuf_release(&frag);
	return ret;
}

static void log_line(const struct task *t, const char *line)
{
	int fd = open(t->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return;
	/* the log is best effort */
	n = write(fd, line, strlen(line));
	if (n >= 0)
		n = write(fd, "\n", 1);
	(void)n;
	close(fd);
}

static int task_spawn(struct task *t, struct build_argv *argv, enum task_state next)
{
	struct stat st;
	char *cmd = build_argv_join(argv);
	char *hdr = xstrfmt("### %s", cmd);
	int ret;

	log_line(t, hdr);
	free(hdr);
	t->log_offset = stat(t->log, &st) ? 0 : st.st_size;
	ret = build_spawn(&t->proc, (const char *const *)argv->v, t->log);
	free(t->running_cmd);
	t->running_cmd = cmd;
	build_argv_release(argv);
	if (ret < 0) {
		task_finish(t, CHECK_FAILED, xstrdup(error_last()));
		return -1;
	}
	t->state = next;
	return 0;
}

static int spawn_make(struct task *t, bool keep_going, const char *const *targets,
		      size_t nr, enum task_state next)
{
	struct build_argv a = BUILD_ARGV_INIT;

	savedcmd_forget(t->dir);
	t->step_direct = false;
	build_make_argv(&t->bc, keep_going, targets, nr, &a);
	return task_spawn(t, &a, next);
}

/*
 * Compiles targets with kbuild's saved commands when make would do no more
 * (sys/savedcmd.h), else with make.  Either way they are compiled: make gets
 * no old target to call up to date, because a check needs the compiler's
 * diagnostics of this run.  Returns what task_spawn() returns.
 */
static int spawn_compile(struct task *t, const char *const *targets, size_t nr,
			 enum task_state next)
{
	char *script = NULL;

	/*
	 * The commands at once even when checks run in parallel: with a
	 * wrapper, X.i is short next to X.o, and more, smaller jobs leave less
	 * of a tail on the cores.
	 */
	if (t->opts->no_shortcut)
		;	/* asked for make */
	else if (!t->only_c_patched)
		error("a patched file is not a .c file");
	else
		script = savedcmd_script(&t->bc, t->key, targets, nr,
					 sysconf(_SC_NPROCESSORS_ONLN) > 1);
	if (script) {
		struct build_argv a = BUILD_ARGV_INIT;
		char *outdir = savedcmd_outdir(t->dir);
		char *why = xstrfmt("### make skipped: only patched .c files changed since "
				    "the last make; kbuild's saved commands, outputs in %s",
				    outdir);

		log_line(t, why);
		free(why);
		free(outdir);
		build_argv_push(&a, "/bin/sh");
		build_argv_push(&a, "-c");
		build_argv_push(&a, script);
		free(script);
		t->step_direct = true;
		return task_spawn(t, &a, next);
	}
	if (!t->opts->no_shortcut) {
		char *why = xstrfmt("### make: %s", error_last());

		log_line(t, why);
		free(why);
		error_clear();
	}
	for (size_t i = 0; i < 2 * nr; i++) {
		const char *tg = targets[i / 2];
		size_t n = strlen(tg);
		char *path;

		/* and the text gcc saves beside an object (X.i) */
		if (i % 2 == 0)
			path = xstrfmt("%s/%s", t->dir, tg);
		else if (t->bc.kcflags_add && n > 2 && !strcmp(tg + n - 2, ".o"))
			path = xstrfmt("%s/%.*s.i", t->dir, (int)(n - 2), tg);
		else
			continue;
		if (unlink(path) && errno != ENOENT) {
			task_finish(t, CHECK_FAILED, xstrfmt("cannot remove '%s': %s", path,
							     strerror(errno)));
			free(path);
			return -1;
		}
		free(path);
	}
	return spawn_make(t, true, targets, nr, next);
}

/* Reads the diagnostics the current step wrote to the log. */
static void parse_step_log(const struct task *t, struct diag_list *out)
{
	struct strbuf sb = STRBUF_INIT;
	char *outdir = savedcmd_outdir(t->dir);
	/* the moved outputs' directory first: it is under the build directory */
	const char *roots[3] = { outdir, t->tree, t->dir };
	size_t off = (size_t)t->log_offset;

	if (fs_read_file(t->log, &sb, FS_MAX_OWN) < 0) {
		error_clear();
	} else if (off <= sb.len) {
		diag_parse(out, sb.buf + off, sb.len - off, roots, 3);
	}
	strbuf_release(&sb);
	free(outdir);
}

/* Merges the fragment into .config: its symbols replace the old lines. */
static int merge_fragment(const struct task *t)
{
	char *path = xstrfmt("%s/.config", t->dir);
	struct strbuf cfg = STRBUF_INIT, out = STRBUF_INIT, sym = STRBUF_INIT;
	const char *p;
	int ret = -1;

	if (fs_read_file(path, &cfg, FS_MAX_OWN) < 0)
		goto out;
	for (p = cfg.buf; *p; ) {
		const char *nl = strchrnul(p, '\n');
		const char *s = p, *e;
		bool drop = false;

		if (!strncmp(s, "# CONFIG_", 9))
			s += 2;
		if (!strncmp(s, "CONFIG_", 7)) {
			for (e = s; *e == '_' || isalnum((unsigned char)*e); e++)
				;
			strbuf_reset(&sym);
			strbuf_add(&sym, s, (size_t)(e - s));
			/* set in the fragment, either way */
			for (const char *f = t->fragment_text; (f = strstr(f, sym.buf)); f++) {
				bool bol = f == t->fragment_text || f[-1] == '\n' ||
					   (f - t->fragment_text >= 2 && f[-1] == ' ' &&
					    f[-2] == '#');
				char after = f[sym.len];

				if (bol && (after == '=' || after == ' ')) {
					drop = true;
					break;
				}
			}
		}
		if (!drop)
			strbuf_add(&out, p, (size_t)(nl - p) + (*nl ? 1 : 0));
		p = *nl ? nl + 1 : nl;
	}
	strbuf_addstr(&out, t->fragment_text);
	if (out.len && out.buf[out.len - 1] != '\n')
		strbuf_addch(&out, '\n');
	ret = fs_write_atomic(path, out.buf, out.len);
out:
	strbuf_release(&cfg);
	strbuf_release(&out);
	strbuf_release(&sym);
	free(path);
	return ret;
}

static bool stamp_matches(const struct task *t)
{
	struct strbuf sb = STRBUF_INIT;
	bool ok = fs_exists(t->stamp_path) && fs_read_file(t->stamp_path, &sb, FS_MAX_OWN) == 0 &&
		  !strcmp(sb.buf, t->stamp_text);
	char *cfg = xstrfmt("%s/.config", t->dir);

	ok = ok && fs_exists(cfg);
	free(cfg);
	strbuf_release(&sb);
	error_clear();
	return ok;
}

/* What a finished command means; false when the task is over. */
static bool step_ok(struct task *t, const char *what)
{
	if (t->proc.exit_code == 0)
		return true;
	task_finish(t, CHECK_FAILED, xstrfmt("%s failed: '%s' exited %d (see %s)", what,
					     t->running_cmd, t->proc.exit_code, t->log));
	return false;
}

/* The patched build failed; the detail says whether the unpatched one does too. */
void task_finish_error(struct task *t)
{
	const struct diag *e = t->have_baseline ? diag_first_error(&t->base_diags) : NULL;
	char *detail = NULL;

	if (e) {
		char *s = diag_format(e);

		detail = xstrfmt("the unpatched tree fails too: %s", s);
		free(s);
	}
	task_finish(t, CHECK_ERROR, detail);
}

static void after_patched_build(struct task *t)
{
	char *why;

	write_last_seconds(t);
	t->res->saved_command = t->step_direct;
	if (!t->step_direct && t->proc.exit_code == 0)
		record_make(t);
	diag_list_release(&t->diags);
	parse_step_log(t, &t->diags);
	for (size_t i = 0; i < t->diags.nr; i++)
		if (t->diags.items[i].kind != DIAG_WARNING)
			diag_list_add(&t->res->errors, &t->diags.items[i]);
	if (t->res->errors.nr || t->proc.exit_code) {
		t->build_failed = true;
		if (t->have_baseline) {
			task_finish_error(t);
			return;
		}
		/* does the unpatched tree fail too?  Told after the baseline phase */
		t->need_baseline = true;
		t->state = ST_DONE;
		task_progress(t, "errors: building the baseline to compare");
		return;
	}
	why = check_preprocessed(t);
	if (why) {
		task_finish(t, CHECK_NOT_COMPILED, why);
		return;
	}
	if (!diag_count(&t->diags, DIAG_WARNING)) {
		task_finish(t, CHECK_OK, NULL);
		return;
	}
	/* Warnings: new against the baseline?  Decided after the baseline phase. */
	t->need_baseline = true;
	t->state = ST_DONE;
	task_progress(t, "warnings: comparing with the baseline");
}

/*
 * Moves t on until it has a child running (true) or is done (false).  Called
 * when t has no running child.
 */
bool task_advance(struct task *t, enum phase phase)
{
	const char *const targets_cfg[] = { t->target };
	const char *const olddef[] = { "olddefconfig" };
	struct build_argv a = BUILD_ARGV_INIT;
	char *why;

	for (;;) {
		switch (t->state) {
		case ST_INIT:
			if (phase == PHASE_BASELINE) {
				task_progress(t, "baseline build");
				return !spawn_compile(t, (const char *const *)t->objs.v,
						      t->objs.nr, ST_BASELINE);
			}
			if (stamp_matches(t)) {
				t->state = ST_VERIFY_CONFIG;
				continue;
			}
			unlink(t->stamp_path);
			task_progress(t, "configure");
			t->res->configured = true;
			return !spawn_make(t, false, targets_cfg, 1, ST_CFG_BASE);
		case ST_CFG_BASE:
			if (!step_ok(t, "configure"))
				return false;
			build_argv_pushf(&a, "%s/scripts/config", t->tree);
			build_argv_pushf(&a, "--file");
			build_argv_pushf(&a, "%s/.config", t->dir);
			for (size_t i = 0; i < t->job->fix->nr_kconfig; i++) {
				build_argv_push(&a, "--enable");
				build_argv_push(&a, t->job->fix->kconfig[i]);
			}
			for (size_t i = 0; i < t->job->fix->nr_enable; i++) {
				build_argv_push(&a, "--enable");
				build_argv_push(&a, t->job->fix->enable[i]);
			}
			return !task_spawn(t, &a, ST_CFG_ENABLE);
		case ST_CFG_ENABLE:
			if (!step_ok(t, "configure"))
				return false;
			if (t->fragment && merge_fragment(t) < 0) {
				task_finish(t, CHECK_FAILED, xstrdup(error_last()));
				return false;
			}
			return !spawn_make(t, false, olddef, 1, ST_CFG_OLDDEF);
		case ST_CFG_OLDDEF:
			if (!step_ok(t, "configure"))
				return false;
			if (fs_write_atomic(t->stamp_path, t->stamp_text,
					    strlen(t->stamp_text)) < 0) {
				task_finish(t, CHECK_FAILED, xstrdup(error_last()));
				return false;
			}
			t->state = ST_VERIFY_CONFIG;
			continue;
		case ST_VERIFY_CONFIG:
			why = check_config(t);
			if (why) {
				task_finish(t, CHECK_NOT_COMPILED, why);
				return false;
			}
			task_progress(t, "build");
			for (size_t i = 0; !t->bc.kcflags_add && i < t->pre.nr; i++)
				build_argv_push(&a, t->pre.v[i]);
			for (size_t i = 0; i < t->objs.nr; i++)
				build_argv_push(&a, t->objs.v[i]);
			{
				int rc = spawn_compile(t, (const char *const *)a.v, a.nr,
						       ST_BUILD);

				build_argv_release(&a);
				return !rc;
			}
		case ST_BUILD:
			after_patched_build(t);
			return false;
		case ST_BASELINE:
			parse_step_log(t, &t->base_diags);
			t->have_baseline = true;
			t->res->baseline_built = true;
			{
				char *dump = diag_dump(&t->base_diags);
				char *dir = xstrdup(t->baseline_path);

				*strrchr(dir, '/') = '\0';
				if (fs_mkdirs(dir) < 0 ||
				    fs_write_atomic(t->baseline_path, dump, strlen(dump)) < 0)
					error_clear();	/* only a cache */
				free(dump);
				free(dir);
			}
			t->state = ST_DONE;
			return false;
		case ST_DONE:
			return false;
		}
	}
}
