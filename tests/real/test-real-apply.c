/*
 * apply on the real stable repository ($REAL_KERNEL_REPO): on every release,
 * the regenerated series pushes with quilt --fuzz=0 onto an export of that
 * release and converts both sites; --commit on a shared clone touches
 * nothing else, and a second run says already-fixed.
 */
#include "testlib.h"

#include "core/xalloc.h"

static const char *const releases[] = { "v6.1.170", "v6.1.192", "v6.12.107", "v6.12.117" };

static char *series_dir(void)
{
	return xstrdup(tl_env("SOURCE_DIR"));
}

static void quilt_push_release(const char *tag)
{
	const char *repo = tl_env("REAL_KERNEL_REPO");
	char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir), *exp = xstrfmt("%s/tree", dir);
	char *line = xstrdup(strncmp(tag, "v6.12", 5) ? "6.1.y" : "6.12.y");
	char *patches = xstrfmt("QUILT_PATCHES=%s/%s", out, line);
	char *cmd = xstrfmt("mkdir -p '%s' && git --git-dir='%s' archive %s mm/vmscan.c | "
			    "tar -x -C '%s'", exp, repo, tag, exp);
	char *sdir = series_dir(), *path = xstrfmt("%s/mm/vmscan.c", exp), *text;
	const char *argv[] = { tl_bin(), "apply", "--repo", repo, "--series", sdir,
			       "--branch", tag, "--output", out, "--json", NULL };
	struct tl_run r;

	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("apply %s exited %d: %s%s", tag, r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "\"result\": \"applied\"");
	assert_contains(r.out.buf, "\"after\": {\"status\": \"already-fixed\"");
	tl_run_release(&r);

	tl_run(&r, NULL, "sh", "-c", cmd, NULL);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run(&r, exp, "env", patches, "QUILT_SERIES=series", "quilt", "push", "-a",
	       "--fuzz=0", NULL);
	if (r.status)
		fail_msg("quilt push on %s failed: %s%s", tag, r.out.buf, r.err.buf);
	assert_not_contains(r.out.buf, "offset");
	assert_not_contains(r.out.buf, "fuzz");
	tl_run_release(&r);

	text = tl_read_file(path, NULL);
	assert_non_null(text);
	assert_contains(text, "\t\tmmdrop(*iter);\n");
	assert_not_contains(text, "mmput_async(*iter)");
	assert_not_contains(text, "mmget_not_zero(mm)");
	if (!strcmp(line, "6.1.y"))
		assert_contains(text, "\tmmgrab(mm);\n\treturn false;\n}\n");
	else
		assert_contains(text, "\tclear_bit(key, &mm->lru_gen.bitmap);\n\tmmgrab(mm);\n"
				      "\n\treturn mm;\n}\n");
	free(text);

	tl_rmtree(dir);
	free(path);
	free(sdir);
	free(cmd);
	free(patches);
	free(line);
	free(exp);
	free(out);
	free(dir);
}

static void test_quilt_push_every_release(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(releases); i++)
		quilt_push_release(releases[i]);
}

static char *refs_and_head(const char *git_dir)
{
	char *refs = tl_git_out(NULL, "--git-dir", git_dir, "for-each-ref", NULL);
	char *head = tl_git_out(NULL, "--git-dir", git_dir, "symbolic-ref", "HEAD", NULL);
	char *all = xstrfmt("%s\nHEAD %s", refs, head);

	free(refs);
	free(head);
	return all;
}

static void test_commit_then_already_fixed(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO");
	char *dir = tl_tmpdir(), *clone = xstrfmt("%s/clone.git", dir), *sdir = series_dir();
	char *before, *after, *origin_before, *origin_after;
	const char *argv[] = { tl_bin(), "apply", "--repo", clone, "--series", sdir,
			       "--all", "--commit", NULL };
	const char *again[] = { tl_bin(), "apply", "--repo", clone, "--series", sdir,
				"--branch", "backport-mglru/6.1.y", "--branch",
				"backport-mglru/6.12.y", NULL };
	struct tl_run r;

	(void)state;
	origin_before = refs_and_head(repo);
	tl_git(dir, "clone", "-q", "--bare", "--shared", repo, clone, NULL);
	tl_git(NULL, "--git-dir", clone, "config", "user.name", "Stable Maintainer", NULL);
	tl_git(NULL, "--git-dir", clone, "config", "user.email", "stable@example.com", NULL);
	before = refs_and_head(clone);

	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("apply --commit exited %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "as refs/heads/backport-mglru/6.1.y");
	assert_contains(r.out.buf, "as refs/heads/backport-mglru/6.12.y");
	tl_run_release(&r);

	tl_git(NULL, "--git-dir", clone, "update-ref", "-d", "refs/heads/backport-mglru/6.1.y", NULL);
	after = refs_and_head(clone);
	/* only the 6.12.y one is left beyond what was there */
	assert_contains(after, "refs/heads/backport-mglru/6.12.y");
	tl_git(NULL, "--git-dir", clone, "update-ref", "-d", "refs/heads/backport-mglru/6.12.y", NULL);
	free(after);
	after = refs_and_head(clone);
	assert_string_equal(before, after);
	free(after);

	/* again, and a second run on the results says already-fixed */
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 0);
	tl_run_release(&r);
	tl_run_argv(&r, NULL, again);
	assert_int_equal(r.status, 0);
	assert_not_contains(r.out.buf, "  applied");
	{
		const char *p = strstr(r.out.buf, "already-fixed");

		assert_non_null(p);
		assert_non_null(strstr(p + 1, "already-fixed"));
	}
	tl_run_release(&r);

	/* the shared repository itself is untouched */
	origin_after = refs_and_head(repo);
	assert_string_equal(origin_before, origin_after);
	free(origin_after);
	free(origin_before);
	free(before);
	tl_rmtree(dir);
	free(sdir);
	free(clone);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quilt_push_every_release),
		cmocka_unit_test(test_commit_then_already_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
