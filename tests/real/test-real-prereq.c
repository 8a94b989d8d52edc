/*
 * The shipped backports of the seed fix's prerequisite (64591e8605d6:
 * exit_mmap() tears the VMAs down under mmap_write_lock()) on real trees of
 * the lines they are for ($REAL_KERNEL_REPO_PREREQ, from make-kernel-repo.sh
 * --prerequisite-lines: Debian 11's 5.10.262 on linux-5.10.y, Ubuntu
 * 22.04's 5.15.224 on linux-5.15.y), carried by the tool's own chain as any
 * fix is: imported, located (needs-fix), placed hunk by hunk, located again
 * (already-fixed), compile-checked (x86_64 defconfig, mm/mmap.o, the
 * patched lines proved compiled), and the result equal to GNU patch's at
 * fuzz 0.  Each form on the other line is a conflict (its context is its
 * own line's) and is refused.  Neither line has the MGLRU walk: the seed
 * fix is not-affected there, and --with-prerequisites applies nothing.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/xalloc.h"

struct line_case {
	const char *line;	/* "5.10": branch linux-5.10.y, series dir 5.10.y */
	const char *version;	/* its Makefile's */
	unsigned exit_mmap;	/* the line exit_mmap() starts at */
	const char *other;	/* the other line, whose form does not fit */
};

static const struct line_case lines[] = {
	{ "5.10", "5.10.262", 3212, "5.15" },
	{ "5.15", "5.15.224", 3202, "5.10" },
};

static char *dir, *fixes, *cache;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		fail_msg("getcwd failed");
	dir = tl_tmpdir();
	fixes = xstrfmt("%s/fixes", dir);
	/* its own build directories: no other real test compiles these lines */
	cache = xstrfmt("%s/real-prereq-cache", cwd);
	setenv("BACKPORT_MGLRU_CACHE", cache, 1);
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_rmtree(dir);
	free(cache);
	free(fixes);
	free(dir);
	return 0;
}

static char *form_path(const char *line)
{
	return xstrfmt("%s/backports/mglru-mmgrab/exit_mmap-write-lock-%s.patch",
		       tl_env("SOURCE_DIR"), line);
}

/* The line's form as fix exit-mmap-LINE in the scratch fixes directory. */
static void import_form(const char *line)
{
	char *path = form_path(line), *id = xstrfmt("exit-mmap-%s", line), *conf;
	struct tl_run r;

	conf = xstrfmt("%s/%s/fix.conf", fixes, id);
	if (access(conf, F_OK)) {
		tl_run(&r, NULL, tl_bin(), "import", "--fixes-dir", fixes, "--id", id,
		       "--kconfig", "MMU", path, NULL);
		if (r.status)
			fail_msg("import %s: %s", path, r.err.buf);
		tl_run_release(&r);
	}
	free(conf);
	free(id);
	free(path);
}

/* The seed fix on both lines: no MGLRU walk, nothing to patch, prerequisite or not. */
static void test_seed_fix_not_affected(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO_PREREQ");

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char *branch = xstrfmt("linux-%s.y", lines[i].line);
		char *version = xstrfmt("\"version\": \"%s\"", lines[i].version);
		struct tl_run r;

		tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--branch", branch, "--json",
		       NULL);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "\"status\": \"not-affected\"");
		assert_contains(r.out.buf, version);
		tl_run_release(&r);
		tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--branch", branch,
		       "--with-prerequisites", "--dry-run", NULL);
		assert_int_equal(r.status, 0);
		assert_contains(r.out.buf, "not-affected: no MGLRU mm walk in this tree: "
					   "nothing to patch");
		tl_run_release(&r);
		free(version);
		free(branch);
	}
}

static void test_forms_place_and_compile(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO_PREREQ");

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const struct line_case *c = &lines[i];
		char *branch = xstrfmt("linux-%s.y", c->line), *id = xstrfmt("exit-mmap-%s", c->line);
		char *out = xstrfmt("%s/out-%s", dir, c->line), *x = xstrfmt("%s/x-%s", dir, c->line);
		char *form = form_path(c->line);
		struct tl_run r;

		import_form(c->line);
		tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fixes-dir", fixes, "--fix",
		       id, "--branch", branch, NULL);
		if (r.status)
			fail_msg("locate %s: %s%s", branch, r.out.buf, r.err.buf);
		for (int h = 1; h <= 3; h++) {
			char *note = xstrfmt("hunk %d of mm/mmap.c: needs-fix (exit_mmap() at line "
					     "%u)", h, c->exit_mmap);

			assert_contains(r.out.buf, note);
			free(note);
		}
		tl_run_release(&r);

		/* the full job: apply, write the quilt series, compile-check */
		tl_run(&r, NULL, tl_bin(), "--repo", repo, "--fixes-dir", fixes, "--fix", id,
		       "--branch", branch, "--arch", "x86_64", "--output", out, "--json", NULL);
		if (r.status)
			fail_msg("%s: exit %d: %s%s", branch, r.status, r.out.buf, r.err.buf);
		assert_contains(r.out.buf, "\"result\": \"applied\"");
		assert_contains(r.out.buf, "\"after\": {\"status\": \"already-fixed\"");
		assert_contains(r.out.buf, "\"config\": \"x86_64_defconfig\",\n"
					   "          \"result\": \"ok\"");
		assert_contains(r.out.buf, "\"errors\": [],\n          \"new_warnings\": []");
		tl_run_release(&r);

		/* the tool's patch, pushed with quilt at fuzz 0, is GNU patch's result */
		tl_sh("mkdir -p '%s/a' '%s/b' && git --git-dir='%s' archive %s mm/mmap.c | "
		      "tar -x -C '%s/a' && git --git-dir='%s' archive %s mm/mmap.c | tar -x -C "
		      "'%s/b' && cd '%s/a' && QUILT_PATCHES='%s/%s.y' QUILT_SERIES=series quilt "
		      "push -a --fuzz=0 >/dev/null && cd '%s/b' && patch -s -p1 -F0 < '%s' && "
		      "cmp '%s/a/mm/mmap.c' '%s/b/mm/mmap.c'", x, x, repo, branch, x, repo, branch,
		      x, x, out, c->line, x, form, x, x);
		free(form);
		free(x);
		free(out);
		free(id);
		free(branch);
	}
}

/* Each form's context is its own line's: on the other line, a conflict, refused. */
static void test_other_line_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const struct line_case *c = &lines[i];
		char *branch = xstrfmt("linux-%s.y", c->line), *id = xstrfmt("exit-mmap-%s", c->other);
		struct tl_run r;

		import_form(c->other);
		tl_run(&r, NULL, tl_bin(), "apply", "--repo", tl_env("REAL_KERNEL_REPO_PREREQ"),
		       "--fixes-dir", fixes, "--fix", id, "--branch", branch, "--dry-run", NULL);
		assert_int_equal(r.status, 1);
		assert_contains(r.out.buf, "refused: not patched: the tree is conflict: hunk 1 of "
					   "mm/mmap.c cannot be placed");
		tl_run_release(&r);
		free(id);
		free(branch);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_fix_not_affected),
		cmocka_unit_test(test_forms_place_and_compile),
		cmocka_unit_test(test_other_line_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
