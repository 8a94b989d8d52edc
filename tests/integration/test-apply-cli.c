/*
 * backport-mglru apply on scratch repositories holding the hand-written
 * fixture tree (tests/fixtures/tree) and the fixture series
 * (tests/fixtures/seriesdir): dry runs, outputs checked with quilt, patch and
 * git am, --commit leaving everything else alone; one table of tree states
 * (each status apply can give) run under every --format and with --commit,
 * and one table of bad input.
 */
#include "testlib.h"

#include "core/xalloc.h"

struct scratch {
	char *dir;
	char *repo;
	char *series;
	char *out;
};

static int setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));

	s->dir = tl_tmpdir();
	s->repo = xstrfmt("%s/repo", s->dir);
	s->series = tl_fixture_path("seriesdir");
	s->out = xstrfmt("%s/out", s->dir);
	/* libgit2 reads the committer from config: keep the user's out of it */
	setenv("HOME", s->dir, 1);
	setenv("XDG_CONFIG_HOME", s->dir, 1);
	tl_fixture_repo(s->repo);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	tl_rmtree(s->dir);
	free(s->dir);
	free(s->repo);
	free(s->series);
	free(s->out);
	free(s);
	return 0;
}

/* backport-mglru apply --repo R --series S <args...> */
static void apply(struct tl_run *r, struct scratch *s, ...)
{
	const char *argv[32] = { tl_bin(), "apply", "--repo", s->repo, "--series", s->series };
	size_t n = 6;
	va_list ap;
	const char *a;

	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) && n < ARRAY_SIZE(argv) - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	tl_run_argv(r, NULL, argv);
}

/* refs, HEAD, index and work tree, as one string to compare. */
static char *repo_state(const char *repo)
{
	char *refs = tl_git_out(repo, "for-each-ref", NULL);
	char *head = tl_git_out(repo, "symbolic-ref", "HEAD", NULL);
	char *index = tl_git_out(repo, "ls-files", "-s", "--debug", NULL);
	char *status = tl_git_out(repo, "status", "--porcelain", "--ignored", NULL);
	char *objects = tl_git_out(repo, "count-objects", "-v", NULL);
	char *all = xstrfmt("%s\n%s\n%s\n%s\n%s", refs, head, index, status, objects);

	free(refs);
	free(head);
	free(index);
	free(status);
	free(objects);
	return all;
}

static void test_dry_run_writes_nothing(void **state)
{
	struct scratch *s = *state;
	char *before = repo_state(s->repo), *after;
	struct tl_run r;

	apply(&r, s, "--branch", "6.1.y", "--dry-run", "--output", s->out, "--commit", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "applied");
	assert_contains(r.out.buf, "hunk 1 applied at line 13");
	assert_contains(r.out.buf, "after: pin mm/vmscan.c:16 (should_skip_mm) mmgrab");
	assert_contains(r.out.buf, "unpin mm/vmscan.c:46 (iterate_mm_list) mmdrop");
	assert_not_contains(r.out.buf, "wrote");
	tl_run_release(&r);
	tl_run(&r, NULL, "test", "-e", s->out, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);
	after = repo_state(s->repo);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_output_quilt_pushes_cleanly(void **state)
{
	struct scratch *s = *state;
	char *exp = xstrfmt("%s/export", s->dir), *pdir = xstrfmt("%s/6.1.y", s->out);
	char *patches = xstrfmt("QUILT_PATCHES=%s", pdir);
	char *vmscan = xstrfmt("%s/mm/vmscan.c", exp), *text, *series;
	struct tl_run r;

	apply(&r, s, "--branch", "6.1.y", "--output", s->out, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "wrote");
	tl_run_release(&r);

	text = xstrfmt("%s/series", pdir);
	series = tl_read_file(text, NULL);
	free(text);
	assert_non_null(series);
	assert_contains(series, "fixture-6.1.patch");
	free(series);

	/* quilt push -a --fuzz=0 on an export of the branch */
	text = xstrfmt("mkdir -p '%s' && git -C '%s' archive linux-6.1.y | tar -x -C '%s'",
		       exp, s->repo, exp);
	tl_run(&r, NULL, "sh", "-c", text, NULL);
	free(text);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run(&r, exp, "env", patches, "QUILT_SERIES=series", "quilt", "push", "-a",
	       "--fuzz=0", NULL);
	if (r.status)
		fail_msg("quilt push failed: %s%s", r.out.buf, r.err.buf);
	assert_not_contains(r.out.buf, "offset");
	assert_not_contains(r.out.buf, "fuzz");
	tl_run_release(&r);
	text = tl_read_file(vmscan, NULL);
	assert_contains(text, "\tmmgrab(mm);\n\treturn false;\n");
	assert_contains(text, "mmdrop(*iter);");
	assert_not_contains(text, "mmget_not_zero");
	free(text);
	free(vmscan);
	free(patches);
	free(pdir);
	free(exp);
}

static void test_output_dep3_and_mbox(void **state)
{
	struct scratch *s = *state;
	char *patch, *path = xstrfmt("%s/6.1.y/fixture-6.1.patch", s->out);
	char *clone = xstrfmt("%s/clone", s->dir);
	struct tl_run r;

	setenv("SOURCE_DATE_EPOCH", "1767225600", 1);	/* 2026-01-01 */
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--format", "dep3", NULL);
	unsetenv("SOURCE_DATE_EPOCH");
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	patch = tl_read_file(path, NULL);
	assert_contains(patch, "From: Test Author <author@example.com>\n");
	assert_contains(patch, "Subject: mm/fixture: pin the mm_struct, not the address space\n");
	assert_contains(patch, "Origin: backport, https://git.kernel.org/linus/"
			       "2222222222222222222222222222222222222222\n");
	assert_contains(patch, "Applied-Upstream: commit:2222222222222222222222222222222222222222\n");
	assert_contains(patch, "Forwarded: not-needed\n");
	assert_contains(patch, "Last-Update: 2026-01-01\n");
	assert_contains(patch, "\n@@ -13,7 +13,8 @@");
	free(patch);

	/* mbox: git am takes it, with the stable subject prefix */
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--format", "mbox", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	patch = tl_read_file(path, NULL);
	assert_contains(patch, "From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n");
	assert_contains(patch, "Subject: [PATCH 6.1.y] mm/fixture:");
	assert_contains(patch, " mm/vmscan.c | 5 +++--\n 1 file changed, 3 insertions(+), 2 deletions(-)\n");
	free(patch);
	tl_git(s->dir, "clone", "-q", "-b", "linux-6.1.y", s->repo, clone, NULL);
	tl_git(clone, "am", "-q", path, NULL);
	patch = tl_git_out(clone, "log", "-1", "--format=%an <%ae>|%s", NULL);
	assert_string_equal(patch, "Test Author <author@example.com>|mm/fixture: pin the "
				   "mm_struct, not the address space");
	free(patch);
	free(clone);
	free(path);
}

static void test_commit_touches_nothing_else(void **state)
{
	struct scratch *s = *state;
	char *before = repo_state(s->repo), *after, *log, *before_objs;
	struct tl_run r;

	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "as refs/heads/backport-mglru/6.1.y");
	tl_run_release(&r);

	/* every ref but the new one, HEAD, index and work tree as they were */
	tl_git(s->repo, "update-ref", "-d", "refs/heads/backport-mglru/6.1.y", NULL);
	after = repo_state(s->repo);
	{
		/* objects were added (one pack), nothing else differs */
		char *cut_b = strstr(before, "\ncount:"), *cut_a = strstr(after, "\ncount:");

		assert_non_null(cut_b);
		assert_non_null(cut_a);
		*cut_b = *cut_a = '\0';
		assert_string_equal(before, after);
	}
	free(after);
	free(before);

	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	log = tl_git_out(s->repo, "log", "-1", "--format=%an <%ae>|%ad|%cn|%P|%s",
			 "--date=raw", "backport-mglru/6.1.y", NULL);
	{
		char *parent = tl_git_out(s->repo, "rev-parse", "linux-6.1.y", NULL);
		char *want = xstrfmt("Test Author <author@example.com>|1770110430 +0100|"
				     "C O Mitter|%s|mm/fixture: pin the mm_struct, not the "
				     "address space", parent);

		assert_string_equal(log, want);
		free(want);
		free(parent);
	}
	free(log);
	log = tl_git_out(s->repo, "show", "backport-mglru/6.1.y:mm/vmscan.c", NULL);
	assert_contains(log, "mmdrop(*iter);");
	assert_contains(log, "mmgrab(mm);");
	free(log);
	log = tl_git_out(s->repo, "log", "-1", "--format=%B", "backport-mglru/6.1.y", NULL);
	assert_contains(log, "[ Upstream commit 2222222222222222222222222222222222222222 ]");
	free(log);

	/* an existing ref is refused without --force, and nothing is written */
	before_objs = repo_state(s->repo);
	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 128);
	assert_contains(r.err.buf, "ref 'refs/heads/backport-mglru/6.1.y' already exists");
	tl_run_release(&r);
	after = repo_state(s->repo);
	assert_string_equal(before_objs, after);
	free(after);
	free(before_objs);

	apply(&r, s, "--branch", "6.1.y", "--commit", "--force", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);

	/* the committed tree has the fix: a second run says so */
	apply(&r, s, "--branch", "backport-mglru/6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "already-fixed");
	tl_run_release(&r);
}

static void test_failed_commit_leaves_no_objects(void **state)
{
	struct scratch *s = *state;
	char *before, *after;
	struct tl_run r;

	/* no committer identity anywhere: the commit fails */
	tl_git(s->repo, "config", "--unset", "user.name", NULL);
	tl_git(s->repo, "config", "--unset", "user.email", NULL);
	before = repo_state(s->repo);
	apply(&r, s, "--branch", "6.1.y", "--commit", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "no committer identity");
	tl_run_release(&r);
	after = repo_state(s->repo);
	assert_string_equal(before, after);
	free(after);
	free(before);
}

/* One edit of a file of the fixture tree. */
struct tree_edit {
	const char *path, *from, *to;	/* to NULL: the file is removed */
};

/* The fixture tree in some state, and what apply must make of it. */
static const struct state_case {
	const char *name;
	struct tree_edit edits[3];	/* applied in order, then one commit */
	const char *vmscan;		/* instead of the fixture's mm/vmscan.c */
	int status;			/* exit code */
	const char *result;		/* the RESULT column */
	const char *detail[2];		/* more of stdout, or NULL */
	bool patched;			/* outputs and a commit are made */
	bool failed_text;		/* stable-queue writes queue-6.1.FAILED.txt */
} state_cases[] = {
	{ .name = "needs-fix", .status = 0, .result = "applied",
	  .detail = { "hunk 1 applied at line 13; hunk 2 applied at line 42",
		      "after: pin mm/vmscan.c:16 (should_skip_mm) mmgrab" },
	  .patched = true },
	{ .name = "already-fixed",
	  .edits = { { "mm/vmscan.c", "return !mmget_not_zero(mm);",
		       "mmgrab(mm);\n\treturn false;" },
		     { "mm/vmscan.c", "mmput_async(*iter)", "mmdrop(*iter)" } },
	  .status = 0, .result = "already-fixed",
	  .detail = { "mmgrab at the pin and mmdrop at the unpin already" } },
	/* someone converted the unpin only: mmdrop with mmget_not_zero */
	{ .name = "half-applied",
	  .edits = { { "mm/vmscan.c", "mmput_async(*iter)", "mmdrop(*iter)" } },
	  .status = 1, .result = "refused", .detail = { "half-applied", "use-after-free" },
	  .failed_text = true },
	{ .name = "unknown",
	  .edits = { { "mm/vmscan.c", "return !mmget_not_zero(mm);", "return false;" } },
	  .status = 1, .result = "refused", .detail = { "not patched: the tree is unknown" },
	  .failed_text = true },
	/* the unpin's context changed: hunk 2 cannot apply, so neither does hunk 1 */
	{ .name = "context drift",
	  .edits = { { "mm/vmscan.c", "\t\tlast = false;\n\n\tif (*iter)",
		       "\t\tlast = !mm_state->nr_walkers;\n\n\tif (*iter)" } },
	  .status = 1, .result = "failed", .detail = { "hunk 2 failed", "nothing was changed" },
	  .failed_text = true },
	/* the 5.10 way: VMAs freed with no mmap_write_lock held */
	{ .name = "not-safe",
	  .edits = { { "mm/mmap.c", "\tmmap_write_lock(mm);\n\tfree_pgtables", "\tfree_pgtables" },
		     { "mm/mmap.c", "\tmmap_write_unlock(mm);\n}", "}" } },
	  .status = 1, .result = "not-safe-as-is", .detail = { "not patched" },
	  .failed_text = true },
	{ .name = "prerequisite-unverifiable", .edits = { { "mm/mmap.c", NULL, NULL } },
	  .status = 1, .result = "refused",
	  .detail = { "the prerequisite cannot be verified", "64591e8605d6" },
	  .failed_text = true },
	{ .name = "not-affected",
	  .vmscan = "/* no MGLRU here */\nstatic int shrink(int x)\n{\n\treturn x;\n}\n",
	  .status = 0, .result = "not-affected", .detail = { "no MGLRU mm walk in this tree" } },
};

/* Where each --format writes a patched line, and what tells it apart. */
static const struct format_case {
	const char *format;
	const char *files;	/* under --output, sorted, one a line */
	const char *patch;	/* the patch written */
	const char *marker;	/* in that patch */
} format_cases[] = {
	{ "quilt", "6.1.y/.backport-mglru\n6.1.y/fixture-6.1.patch\n6.1.y/series\n",
	  "6.1.y/fixture-6.1.patch", "\nSubject: [PATCH] mm/fixture: pin the mm_struct" },
	{ "dep3", "6.1.y/.backport-mglru\n6.1.y/fixture-6.1.patch\n6.1.y/series\n",
	  "6.1.y/fixture-6.1.patch", "\nOrigin: backport, https://git.kernel.org/linus/2222" },
	{ "mbox", "6.1.y/.backport-mglru\n6.1.y/fixture-6.1.patch\n6.1.y/series\n",
	  "6.1.y/fixture-6.1.patch", "\nSubject: [PATCH 6.1.y] mm/fixture: pin" },
	{ "stable-queue", "queue-6.1/.backport-mglru\nqueue-6.1/mm-fixture-pin-the-mm_struct-"
	  "not-the-address-space.patch\nqueue-6.1/series\n",
	  "queue-6.1/mm-fixture-pin-the-mm_struct-not-the-address-space.patch",
	  " 2001\nFrom: Test Author <author@example.com>\nDate: Tue, 3 Feb 2026 10:20:30 "
	  "+0100\nSubject: mm/fixture: pin" },
};

/* Puts the case's tree on linux-6.1.y, in one commit. */
static void make_state(struct scratch *s, const struct state_case *c)
{
	if (c->vmscan) {
		char *path = xstrfmt("%s/mm/vmscan.c", s->repo);

		tl_write_file(path, c->vmscan);
		free(path);
	}
	for (size_t i = 0; i < ARRAY_SIZE(c->edits) && c->edits[i].path; i++) {
		const struct tree_edit *e = &c->edits[i];
		char *path = xstrfmt("%s/%s", s->repo, e->path), *text, *at;
		struct strbuf sb = STRBUF_INIT;

		if (!e->from) {
			tl_git(s->repo, "rm", "-q", e->path, NULL);
			free(path);
			continue;
		}
		text = tl_read_file(path, NULL);
		at = strstr(text, e->from);
		if (!at)
			fail_msg("%s: '%s' not in %s", c->name, e->from, e->path);
		strbuf_add(&sb, text, (size_t)(at - text));
		strbuf_addstr(&sb, e->to);
		strbuf_addstr(&sb, at + strlen(e->from));
		tl_write_file(path, sb.buf);
		strbuf_release(&sb);
		free(text);
		free(path);
	}
	if (c->vmscan || c->edits[0].path) {
		tl_git(s->repo, "commit", "-q", "-a", "-m", c->name, NULL);
		tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);
	}
}

#define NOTHING "(none)\n"	/* files_under() a directory that is not there */

/* The files under dir, sorted, one a line; NOTHING when dir is not there. */
static char *files_under(const char *dir)
{
	char *cmd = xstrfmt("cd '%s' 2>/dev/null && find . -type f | sed 's|^\\./||' | sort || "
			    "echo '(none)'", dir), *out;
	struct tl_run r;

	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	out = xstrdup(r.out.buf);
	tl_run_release(&r);
	free(cmd);
	return out;
}

/* One tree state under every --format, then with --commit. */
static void check_state(struct scratch *s, const struct state_case *c)
{
	for (size_t f = 0; f < ARRAY_SIZE(format_cases); f++) {
		const struct format_case *fc = &format_cases[f];
		const char *want = c->patched ? fc->files :
				   c->failed_text && !strcmp(fc->format, "stable-queue") ?
				   "queue-6.1.FAILED.txt\n" : NOTHING;
		char *files;
		struct tl_run r;

		tl_rmtree(s->out);
		apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--format", fc->format, NULL);
		if (r.status != c->status)
			fail_msg("%s, %s: exit %d, want %d\n%s%s", c->name, fc->format, r.status,
				 c->status, r.out.buf, r.err.buf);
		if (!strstr(r.out.buf, c->result))
			fail_msg("%s, %s: no '%s' in\n%s", c->name, fc->format, c->result,
				 r.out.buf);
		for (size_t i = 0; i < ARRAY_SIZE(c->detail) && c->detail[i]; i++)
			if (!strstr(r.out.buf, c->detail[i]))
				fail_msg("%s, %s: no '%s' in\n%s", c->name, fc->format,
					 c->detail[i], r.out.buf);
		if (!strcmp(want, NOTHING) && strstr(r.out.buf, "wrote"))
			fail_msg("%s, %s: wrote something:\n%s", c->name, fc->format, r.out.buf);
		files = files_under(s->out);
		if (strcmp(files, want))
			fail_msg("%s, %s: wrote\n%s\nwant\n%s", c->name, fc->format, files, want);
		free(files);
		if (c->patched) {
			char *path = xstrfmt("%s/%s", s->out, fc->patch);
			char *text = tl_read_file(path, NULL);

			if (!text || !strstr(text, fc->marker))
				fail_msg("%s, %s: no '%s' in %s", c->name, fc->format, fc->marker,
					 fc->patch);
			free(text);
			free(path);
		} else if (strcmp(want, NOTHING)) {
			char *path = xstrfmt("%s/queue-6.1.FAILED.txt", s->out);
			char *text = tl_read_file(path, NULL), *line = xstrfmt("\nResult: %s\n",
									    c->result);

			if (!text || !strstr(text, line))
				fail_msg("%s: no '%s' in the FAILED text", c->name, line + 1);
			free(line);
			free(text);
			free(path);
		}
		tl_run_release(&r);
	}
	/* --commit (with --output): a ref only for a patched line */
	{
		struct tl_run r;
		char *refs;

		tl_rmtree(s->out);
		apply(&r, s, "--branch", "6.1.y", "--output", s->out, "--format", "quilt",
		      "--commit", NULL);
		if (r.status != c->status)
			fail_msg("%s, --commit: exit %d, want %d\n%s%s", c->name, r.status,
				 c->status, r.out.buf, r.err.buf);
		tl_run_release(&r);
		refs = tl_git_out(s->repo, "for-each-ref", NULL);
		/* and no other backport-mglru ref at all */
		if (!!strstr(refs, "refs/heads/backport-mglru/6.1.y") != c->patched ||
		    (!c->patched && strstr(refs, "backport-mglru")))
			fail_msg("%s, --commit: refs\n%s", c->name, refs);
		free(refs);
	}
}

static void test_state_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(state_cases); i++) {
		struct scratch *s;

		setup((void **)&s);
		make_state(s, &state_cases[i]);
		check_state(s, &state_cases[i]);
		teardown((void **)&s);
	}
}

/*
 * A decoy with the pin hunk's very lines (and a forward declaration that
 * gives it the same trailing context) sits where the hunk says; the real
 * should_skip_mm() moved 400 lines down.  GNU patch converts the decoy and
 * leaves the real pin: a half-applied fix that builds.  locate flags that
 * result; apply places the hunk in the function the locator found.
 */
static void test_decoy_gnu_patch_half_applies_we_relocate(void **state)
{
	struct scratch *s = *state;
	char *path = xstrfmt("%s/mm/vmscan.c", s->repo);
	char *text = tl_read_file(path, NULL);
	char *real = strstr(text, "static bool should_skip_mm");
	char *patch = tl_fixture_path("seriesdir/backports/fixture-6.1.patch");
	struct strbuf sb = STRBUF_INIT;
	struct tl_run r;

	strbuf_add(&sb, text, (size_t)(real - text));
	strbuf_addstr(&sb, "static bool debug_skip(struct mm_struct *mm)\n{\n"
			   "\tunsigned long pages = mm_pages(mm);\n\n"
			   "\tif (pages < MIN_BATCH)\n\t\treturn true;\n\n"
			   "\treturn !mmget_not_zero(mm);\n}\n\n"
			   "static bool iterate_mm_list(struct lruvec *lruvec, "
			   "struct lru_gen_mm_walk *walk,\n"
			   "\t\t\t    struct mm_struct **iter);\n\n");
	for (int i = 0; i < 50; i++)
		strbuf_addf(&sb, "static int filler_%d(int x)\n{\n\tint y = x * %d;\n\n"
				 "\ty += %d;\n\treturn y;\n}\n\n", i, i, i);
	strbuf_addstr(&sb, real);
	tl_write_file(path, sb.buf);
	tl_git(s->repo, "commit", "-q", "-a", "-m", "decoy", NULL);
	tl_git(s->repo, "branch", "-f", "linux-6.1.y", NULL);

	/* ours: hunk 1 relocated into should_skip_mm, both real sites converted */
	apply(&r, s, "--branch", "6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "hunk 1 relocated into should_skip_mm");
	assert_contains(r.out.buf, "after: pin mm/vmscan.c:429 (should_skip_mm) mmgrab");
	tl_run_release(&r);

	/* GNU patch: "succeeds" on the decoy */
	tl_run(&r, s->repo, "patch", "-p1", "-i", patch, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "Hunk #1 succeeded at 10");
	tl_run_release(&r);
	tl_git(s->repo, "commit", "-q", "-a", "-m", "patched by GNU patch", NULL);

	/* and locate says what that is */
	{
		const char *argv[] = { tl_bin(), "locate", "--repo", s->repo, "--branch",
				       "HEAD", NULL };

		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "half-applied");
		assert_contains(r.err.buf, "HALF-APPLIED");
		assert_contains(r.err.buf, "use-after-free");
		tl_run_release(&r);
	}
	strbuf_release(&sb);
	free(patch);
	free(text);
	free(path);
}

/* A mainline commit with the fixture patch's subject, dated after the patch. */
static char *commit_mainline_fix(struct scratch *s, const char *date)
{
	struct tl_run r;
	char *d = xstrfmt("GIT_COMMITTER_DATE=%s", date);

	/* the scratch repository is on master, which counts as mainline */
	tl_run(&r, s->repo, "env", d, "git", "commit", "-q", "--allow-empty", "-m",
	       "mm/fixture: pin the mm_struct, not the address space", NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	free(d);
	return tl_git_out(s->repo, "rev-parse", "HEAD", NULL);
}

static void test_upstream_id_checked_against_mainline(void **state)
{
	struct scratch *s = *state;
	char *id = commit_mainline_fix(s, "@1780000000 +0000");
	char *copy = xstrfmt("%s/series-copy", s->dir);
	char *cmd = xstrfmt("cp -R '%s' '%s' && sed -i 's/2222222222222222222222222222222222222222/%s/' "
			    "'%s/backports/fixture-6.1.patch'", s->series, copy, id, copy);
	char *expect = xstrfmt("upstream commit %.12s confirmed in refs/heads/master", id);
	struct tl_run r;

	/* the recorded id (2222...) is not mainline's: refused, nothing written */
	apply(&r, s, "--branch", "6.1.y", "--output", s->out, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "upstream id mismatch");
	assert_contains(r.out.buf, "recorded upstream commit 222222222222");
	tl_run_release(&r);
	tl_run(&r, NULL, "test", "-e", s->out, NULL);
	assert_int_not_equal(r.status, 0);
	tl_run_release(&r);

	/* the same series with mainline's id: confirmed */
	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	{
		const char *argv[] = { tl_bin(), "apply", "--repo", s->repo, "--series", copy,
				       "--branch", "6.1.y", "--output", s->out, NULL };

		tl_run_argv(&r, NULL, argv);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, expect);
		assert_contains(r.out.buf, "wrote");
		tl_run_release(&r);
	}
	free(expect);
	free(cmd);
	free(copy);
	free(id);
}

static void test_upstream_older_than_the_patch_is_not_it(void **state)
{
	struct scratch *s = *state;
	char *id = commit_mainline_fix(s, "@1112911993 +0000");
	struct tl_run r;

	/* mainline is there, but nothing as new as the patch has its subject */
	apply(&r, s, "--branch", "6.1.y", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out.buf, "no commit 'mm/fixture: pin the mm_struct, not the "
				   "address space' in mainline");
	tl_run_release(&r);
	free(id);
}

/*
 * Bad input: the arguments after --repo R --series S ("@out" is the output
 * directory), what to set up first (sh -c in the scratch directory), the
 * exit code and what stdout and stderr must say.
 */
static const struct bad_case {
	const char *name;
	const char *prep;		/* sh -c in the scratch directory, or NULL */
	const char *series;		/* --series (relative: to the scratch directory) */
	const char *args[8];
	int status;
	const char *out[2], *err;	/* substrings, or NULL */
} bad_cases[] = {
	{ "no series directory", NULL, "/nonexistent/series-dir", { NULL }, 128, { NULL },
	  "series directory '/nonexistent/series-dir' has no series/" },
	{ "unknown format", NULL, NULL, { "--format", "rpm" }, 129, { NULL },
	  "--format: expected quilt, dep3, mbox or stable-queue" },
	{ "fuzz not a number", NULL, NULL, { "--fuzz", "x" }, 129, { NULL }, NULL },
	{ "fuzz too big", NULL, NULL, { "--fuzz", "99" }, 129, { NULL },
	  "--fuzz: expected a number from 0 to 10" },
	{ "--force alone", NULL, NULL, { "--force" }, 129, { NULL }, "--force goes with --commit" },
	{ "unknown option", NULL, NULL, { "--bogus" }, 129, { NULL },
	  "unknown or incomplete option '--bogus'" },
	{ "unknown branch", NULL, NULL, { "--branch", "nosuch" }, 128, { NULL },
	  "unknown branch 'nosuch': not a branch, tag or commit" },
	{ "not a repository", NULL, NULL, { "--repo", "/nonexistent" }, 128, { NULL },
	  "cannot open repository '/nonexistent': not a git repository" },
	/* two branches of one line would write the same outputs */
	{ "two branches of one line", "git -C repo tag v6.1.20", NULL,
	  { "--branch", "6.1.y", "--branch", "v6.1.20", "--output", "@out" }, 128, { NULL },
	  "are both linux-6.1.y" },
	/* no series/6.1.y: series/shapes decides; a malformed line is fatal */
	{ "malformed series/shapes", "mkdir -p shapes/series shapes/backports && "
	  "echo '6.1-nr_walkers' > shapes/series/shapes", "shapes", { "--branch", "6.1.y" },
	  128, { NULL }, "series/shapes:1: expected '<shape> <series-file>'" },
	/* a shape mapped to "-" has no series: refused, exit 1 */
	{ "shape with no series", "mkdir -p shapes/series shapes/backports && "
	  "echo '6.1-nr_walkers -' > shapes/series/shapes", "shapes", { "--branch", "6.1.y" },
	  1, { "refused", "series/shapes names no series for shape 6.1-nr_walkers" }, NULL },
	/* a series file naming a patch that is not there */
	{ "series names a missing patch", "mkdir -p bad/series bad/backports && "
	  "echo 'missing.patch -p1' > bad/series/6.1.y", "bad", { "--branch", "6.1.y" }, 128,
	  { NULL }, "missing.patch" },
};

static void test_bad_input(void **state)
{
	struct scratch *s = *state;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		char *series = !c->series ? xstrdup(s->series) :
			       c->series[0] == '/' ? xstrdup(c->series) :
			       xstrfmt("%s/%s", s->dir, c->series);
		const char *argv[16] = { tl_bin(), "apply", "--repo", s->repo, "--series", series };
		size_t n = 6;
		struct tl_run r;

		if (c->prep) {
			tl_run(&r, s->dir, "sh", "-c", c->prep, NULL);
			if (r.status)
				fail_msg("%s: %s: %s", c->name, c->prep, r.err.buf);
			tl_run_release(&r);
		}
		for (size_t k = 0; k < ARRAY_SIZE(c->args) && c->args[k]; k++)
			argv[n++] = !strcmp(c->args[k], "@out") ? s->out : c->args[k];
		argv[n] = NULL;
		tl_run_argv(&r, NULL, argv);
		if (r.status != c->status)
			fail_msg("%s: exit %d, want %d\n%s%s", c->name, r.status, c->status,
				 r.out.buf, r.err.buf);
		for (size_t k = 0; k < ARRAY_SIZE(c->out) && c->out[k]; k++)
			if (!strstr(r.out.buf, c->out[k]))
				fail_msg("%s: no '%s' in stdout\n%s", c->name, c->out[k], r.out.buf);
		if (c->err && !strstr(r.err.buf, c->err))
			fail_msg("%s: no '%s' in stderr\n%s", c->name, c->err, r.err.buf);
		tl_run_release(&r);
		free(series);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dry_run_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_quilt_pushes_cleanly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_dep3_and_mbox, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_touches_nothing_else, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_commit_leaves_no_objects, setup, teardown),
		cmocka_unit_test(test_state_table),
		cmocka_unit_test_setup_teardown(test_decoy_gnu_patch_half_applies_we_relocate,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_upstream_id_checked_against_mainline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_upstream_older_than_the_patch_is_not_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
