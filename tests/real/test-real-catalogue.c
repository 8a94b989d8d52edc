/*
 * The fixes the catalogue ships besides the seed fix, judged against the
 * real stable backports between the Debian releases in $REAL_KERNEL_REPO:
 * each is needs-fix on the older release and already-fixed on the newer,
 * and the tool's own backport of the older release, pushed with quilt at
 * fuzz 0, gives the functions it changes the newer release's text.
 */
#include "testlib.h"

#include "core/csource.h"
#include "core/xalloc.h"

struct case_ {
	const char *fix, *older, *newer, *line;
	const char *functions[3];
};

static const struct case_ cases[] = {
	{ "mglru-skip-special-vmas", "v6.1.170", "v6.1.192", "6.1.y",
	  { "lru_gen_look_around" } },
	{ "mglru-unevictable-cull", "v6.1.170", "v6.1.192", "6.1.y",
	  { "sort_folio", "evict_folios" } },
	/* on 6.12 two more fixes of 6.12.114 change sort_folio(): evict_folios() only */
	{ "mglru-unevictable-cull", "v6.12.107", "v6.12.117", "6.12.y",
	  { "evict_folios" } },
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
	if (!strstr(r.out.buf, status))
		fail_msg("%s at %s: wanted %s in:\n%s%s", fix, tag, want, r.out.buf, r.err.buf);
	tl_run_release(&r);
	free(status);
}

static void test_shipped_fixes_match_stable(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO");

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct case_ *c = &cases[i];
		char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
		char *patched_path = xstrfmt("%s/x/mm/vmscan.c", dir);
		char *patched, *newer, *spec;
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
		tl_sh("mkdir '%s/x' && git --git-dir='%s' archive %s mm/vmscan.c | tar -x -C "
		      "'%s/x' && cd '%s/x' && QUILT_PATCHES='%s/%s' QUILT_SERIES=series quilt "
		      "push -a --fuzz=0 >/dev/null", dir, repo, c->older, dir, dir, out, c->line);
		spec = xstrfmt("%s:mm/vmscan.c", c->newer);
		patched = tl_read_file(patched_path, NULL);
		newer = tl_git_out(repo, "show", spec, NULL);
		free(spec);
		assert_non_null(patched);
		for (size_t k = 0; k < ARRAY_SIZE(c->functions) && c->functions[k]; k++) {
			char *a = function_text(patched, c->functions[k]);
			char *b = function_text(newer, c->functions[k]);

			if (strcmp(a, b))
				fail_msg("%s: %s() of %s + the tool's backport differs from %s",
					 c->fix, c->functions[k], c->older, c->newer);
			free(a);
			free(b);
		}
		free(patched);
		free(newer);
		tl_rmtree(dir);
		free(patched_path);
		free(out);
		free(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_fixes_match_stable),
	};

	/* the shipped catalogue only: no per-user fixes directory */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
