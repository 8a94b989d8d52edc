/*
 * The fixes the catalogue ships besides the seed fix, judged against the
 * real stable backports between the Debian releases in $REAL_KERNEL_REPO:
 * each is needs-fix on the older release and already-fixed on the newer,
 * and the tool's own backport of the older release, pushed with quilt at
 * fuzz 0, gives the functions it changes the newer release's text.  On the
 * line that never needed it, a fix says what that line's code holds.
 */
#include "testlib.h"

#include "core/csource.h"
#include "core/xalloc.h"

/* The files the MGLRU fixes touch, archived from a release for quilt. */
#define MGLRU_FILES "mm/vmscan.c include/linux/mm_inline.h include/linux/mmzone.h"

struct case_ {
	const char *fix, *older, *newer, *line;
	const char *functions[4];	/* "path:function", or a mm/vmscan.c function */
};

static const struct case_ cases[] = {
	{ "mglru-skip-special-vmas", "v6.1.170", "v6.1.192", "6.1.y",
	  { "lru_gen_look_around" } },
	{ "mglru-unevictable-cull", "v6.1.170", "v6.1.192", "6.1.y",
	  { "sort_folio", "evict_folios" } },
	/* on 6.12 two more fixes of 6.12.114 change sort_folio(): evict_folios() only */
	{ "mglru-unevictable-cull", "v6.12.107", "v6.12.117", "6.12.y",
	  { "evict_folios" } },
	{ "mglru-cgroup-v1-dirty-throttling", "v6.12.107", "v6.12.117", "6.12.y",
	  { "try_to_shrink_lruvec" } },
	{ "mglru-memcg-disabled-lruvec", "v6.12.107", "v6.12.117", "6.12.y",
	  { "lru_gen_shrink_node" } },
};

/* What a fix says on the releases of a line that did not take it. */
static const struct {
	const char *fix, *tag, *status;
} other_lines[] = {
	/* no try_to_shrink_lruvec() / lru_gen_shrink_node() on 6.1 */
	{ "mglru-cgroup-v1-dirty-throttling", "v6.1.170", "not-affected" },
	{ "mglru-cgroup-v1-dirty-throttling", "v6.1.192", "not-affected" },
	{ "mglru-memcg-disabled-lruvec", "v6.1.170", "not-affected" },
	{ "mglru-memcg-disabled-lruvec", "v6.1.192", "not-affected" },
};

/* The text of function name in the C text (its lines, start to end); caller frees. */
static char *function_text(const char *text, const char *name)
{
	struct csource cs = CSOURCE_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t line = 1;
	const struct cfunc *f = NULL;

	assert_int_equal(csource_parse(&cs, text, strlen(text)), 0);
	for (size_t i = 0; i < cs.nr_funcs && !f; i++)
		if (!strcmp(cs.funcs[i].name, name))
			f = &cs.funcs[i];
	if (!f)
		fail_msg("no %s() in the text", name);
	for (const char *p = text; *p; p++) {
		if (line >= f->start_line && line <= f->end_line)
			strbuf_addch(&sb, *p);
		if (*p == '\n')
			line++;
	}
	csource_release(&cs);
	return strbuf_detach(&sb, NULL);
}

static void locate_status(const char *fix, const char *tag, const char *want)
{
	char *status = xstrfmt("\"status\": \"%s\"", want);
	struct tl_run r;

	tl_run(&r, NULL, tl_bin(), "locate", "--repo", tl_env("REAL_KERNEL_REPO"), "--fix", fix,
	       "--branch", tag, "--json", NULL);
	/* every status but conflict is a clean answer: exit 0 */
	if (!strstr(r.out.buf, status) || r.status != !strcmp(want, "conflict"))
		fail_msg("%s at %s: wanted %s in (exit %d):\n%s%s", fix, tag, want, r.status,
			 r.out.buf, r.err.buf);
	tl_run_release(&r);
	free(status);
}

/*
 * fn ("path:function", or a function of mm/vmscan.c) in the patched tree
 * dir/x has the text it has in the newer release.
 */
static void same_function(const struct case_ *c, const char *dir, const char *fn)
{
	const char *colon = strchr(fn, ':');
	char *path = colon ? xstrndup(fn, colon - fn) : xstrdup("mm/vmscan.c");
	const char *name = colon ? colon + 1 : fn;
	char *patched_path = xstrfmt("%s/x/%s", dir, path);
	char *spec = xstrfmt("%s:%s", c->newer, path);
	char *patched = tl_read_file(patched_path, NULL);
	char *newer = tl_git_out(tl_env("REAL_KERNEL_REPO"), "show", spec, NULL);
	char *a, *b;

	assert_non_null(patched);
	a = function_text(patched, name);
	b = function_text(newer, name);
	if (strcmp(a, b))
		fail_msg("%s: %s() of %s + the tool's backport differs from %s", c->fix, name,
			 c->older, c->newer);
	free(a);
	free(b);
	free(patched);
	free(newer);
	free(spec);
	free(patched_path);
	free(path);
}

static void test_other_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(other_lines); i++)
		locate_status(other_lines[i].fix, other_lines[i].tag, other_lines[i].status);
}

static void test_shipped_fixes_match_stable(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO");

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct case_ *c = &cases[i];
		char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
		struct tl_run r;

		locate_status(c->fix, c->older, "needs-fix");
		locate_status(c->fix, c->newer, "already-fixed");
		tl_run(&r, NULL, tl_bin(), "apply", "--repo", repo, "--fix", c->fix, "--branch",
		       c->older, "--output", out, NULL);
		if (r.status)
			fail_msg("%s on %s: exit %d: %s%s", c->fix, c->older, r.status, r.out.buf,
				 r.err.buf);
		assert_contains(r.out.buf, "applied");
		tl_run_release(&r);
		tl_sh("mkdir '%s/x' && git --git-dir='%s' archive %s " MGLRU_FILES " | tar -x -C "
		      "'%s/x' && cd '%s/x' && QUILT_PATCHES='%s/%s' QUILT_SERIES=series quilt "
		      "push -a --fuzz=0 >/dev/null", dir, repo, c->older, dir, dir, out, c->line);
		for (size_t k = 0; k < ARRAY_SIZE(c->functions) && c->functions[k]; k++)
			same_function(c, dir, c->functions[k]);
		tl_rmtree(dir);
		free(out);
		free(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_fixes_match_stable),
		cmocka_unit_test(test_other_lines),
	};

	/* the shipped catalogue only: no per-user fixes directory */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
