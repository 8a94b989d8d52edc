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
	/* on 6.12 another fix of 6.12.114 changes sort_folio(): evict_folios() only */
	{ "mglru-unevictable-cull", "v6.12.107", "v6.12.117", "6.12.y",
	  { "evict_folios" } },
	{ "mglru-cgroup-v1-dirty-throttling", "v6.12.107", "v6.12.117", "6.12.y",
	  { "try_to_shrink_lruvec" } },
	{ "mglru-memcg-disabled-lruvec", "v6.12.107", "v6.12.117", "6.12.y",
	  { "lru_gen_shrink_node" } },
	/*
	 * isolate_folio() is changed by another fix of 6.12.114 too (dirty/
	 * writeback reactivation, not shipped): the three functions this fix
	 * alone gives the 6.12.117 text.  Its two LRU_REFS_FLAGS hunks (out of
	 * mm/vmscan.c, into mmzone.h) are file scope: the status judges them.
	 */
	{ "mglru-reset-lru-tier-bits", "v6.12.107", "v6.12.117", "6.12.y",
	  { "include/linux/mm_inline.h:folio_clear_lru_refs",
	    "include/linux/mm_inline.h:lru_gen_add_folio", "lru_gen_look_around" } },
};

/*
 * What a fix says on the releases of a line that did not take it, and a
 * text its record must hold (the reason or a note).
 */
static const struct {
	const char *fix, *tag, *status, *text;
} other_lines[] = {
	/* no try_to_shrink_lruvec() / lru_gen_shrink_node() on 6.1 */
	{ "mglru-cgroup-v1-dirty-throttling", "v6.1.170", "not-affected",
	  "none of its functions is in the file" },
	{ "mglru-cgroup-v1-dirty-throttling", "v6.1.192", "not-affected",
	  "none of its functions is in the file" },
	{ "mglru-memcg-disabled-lruvec", "v6.1.170", "not-affected",
	  "none of its functions is in the file" },
	{ "mglru-memcg-disabled-lruvec", "v6.1.192", "not-affected",
	  "none of its functions is in the file" },
	/* in 6.12 from v6.7: the mainline patch does not place, the 6.12 form does */
	{ "mglru-skip-special-vmas", "v6.12.107", "already-fixed",
	  "every hunk (4) is in, by the 6.12.y form" },
	{ "mglru-skip-special-vmas", "v6.12.117", "already-fixed",
	  "every hunk (4) is in, by the 6.12.y form" },
	/* 6.1 stable did not take it: still needed, the macro where it was */
	{ "mglru-reset-lru-tier-bits", "v6.1.170", "needs-fix",
	  "hunk 5 of mm/vmscan.c: needs-fix (#define LRU_REFS_FLAGS)" },
	{ "mglru-reset-lru-tier-bits", "v6.1.192", "needs-fix",
	  "hunk 4 of include/linux/mmzone.h: needs-fix (#define LRU_REFS_FLAGS)" },
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

/* locate --fix fix --branch tag in repo says want (and text, if not NULL). */
static void locate_status(const char *repo, const char *fix, const char *tag,
			  const char *want, const char *text)
{
	char *status = xstrfmt("\"status\": \"%s\"", want);
	struct tl_run r;

	tl_run(&r, NULL, tl_bin(), "locate", "--repo", repo, "--fix", fix, "--branch", tag,
	       "--json", NULL);
	/* every status but conflict is a clean answer: exit 0 */
	if (!strstr(r.out.buf, status) || (text && !strstr(r.out.buf, text)) ||
	    r.status != !strcmp(want, "conflict"))
		fail_msg("%s at %s: wanted %s%s%s in (exit %d):\n%s%s", fix, tag, want,
			 text ? " and " : "", text ? text : "", r.status, r.out.buf, r.err.buf);
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
		locate_status(tl_env("REAL_KERNEL_REPO"), other_lines[i].fix, other_lines[i].tag,
			      other_lines[i].status, other_lines[i].text);
}

static void test_shipped_fixes_match_stable(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO");

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct case_ *c = &cases[i];
		char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
		struct tl_run r;

		locate_status(repo, c->fix, c->older, "needs-fix", NULL);
		locate_status(repo, c->fix, c->newer, "already-fixed", NULL);
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

/*
 * The 6.12 form of mglru-skip-special-vmas is a reconstruction (6.12 never
 * needed a backport): taken out of v6.12.107, the tree says needs-fix, and
 * the tool's backport of that tree gives v6.12.107's function back.  So the
 * form finds the fix's absence as well as its presence.
 */
static void test_skip_special_vmas_6_12_form(void **state)
{
	const char *repo = tl_env("REAL_KERNEL_REPO");
	const char *src = tl_env("SOURCE_DIR");
	const struct case_ c = { "mglru-skip-special-vmas", "linux-6.12.y", "v6.12.107",
				 "6.12.y", { "lru_gen_look_around" } };
	char *dir = tl_tmpdir(), *scratch = xstrfmt("%s/repo", dir);
	char *out = xstrfmt("%s/out", dir);
	struct tl_run r;

	(void)state;
	tl_sh("mkdir '%s' && cd '%s' && git init -q && git --git-dir='%s' archive v6.12.107 "
	      "Makefile " MGLRU_FILES " | tar -x && patch -s -R -p1 -F0 < "
	      "'%s/backports/mglru-skip-special-vmas/mglru-skip-special-vmas-6.12.patch' && "
	      "git add -A && git -c user.name=t -c user.email=t@example.com commit -q -m "
	      "'v6.12.107 without the fix' && git branch -M linux-6.12.y", scratch, scratch,
	      repo, src);
	locate_status(scratch, c.fix, "linux-6.12.y", "needs-fix",
		      "hunk 4 of mm/vmscan.c: needs-fix (lru_gen_look_around()");
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", scratch, "--fix", c.fix, "--branch",
	       "linux-6.12.y", "--output", out, NULL);
	if (r.status)
		fail_msg("%s on the scratch tree: exit %d: %s%s", c.fix, r.status, r.out.buf,
			 r.err.buf);
	assert_contains(r.out.buf, "after: already-fixed: already fixed: every hunk (4) is in, "
				   "by the 6.12.y form");
	tl_run_release(&r);
	tl_sh("mkdir '%s/x' && git -C '%s' archive linux-6.12.y " MGLRU_FILES " | tar -x -C "
	      "'%s/x' && cd '%s/x' && QUILT_PATCHES='%s/6.12.y' QUILT_SERIES=series quilt "
	      "push -a --fuzz=0 >/dev/null", dir, scratch, dir, dir, out);
	same_function(&c, dir, "lru_gen_look_around");
	tl_rmtree(dir);
	free(out);
	free(scratch);
	free(dir);
}

/*
 * mglru-reset-lru-tier-bits ships no 6.1 series: on 6.1 its look-around hunk
 * does not place (6.1 activates from a second bitmap loop), so apply
 * refuses the line and changes nothing.
 */
static void test_reset_lru_tier_bits_on_6_1(void **state)
{
	struct tl_run r;

	(void)state;
	tl_run(&r, NULL, tl_bin(), "apply", "--repo", tl_env("REAL_KERNEL_REPO"), "--fix",
	       "mglru-reset-lru-tier-bits", "--branch", "v6.1.192", "--dry-run", NULL);
	if (r.status != 1)
		fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_contains(r.out.buf, "mm/vmscan.c: hunk 1 applied at line ");
	assert_contains(r.out.buf, "hunk 2 failed: not found in lru_gen_look_around (lines ");
	assert_contains(r.out.buf, "v6.1.192: failed: patch 'mglru-reset-lru-tier-bits-6.12.patch' "
				   "does not apply: nothing was changed\n");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_fixes_match_stable),
		cmocka_unit_test(test_other_lines),
		cmocka_unit_test(test_skip_special_vmas_6_12_form),
		cmocka_unit_test(test_reset_lru_tier_bits_on_6_1),
	};

	/* the shipped catalogue only: no per-user fixes directory */
	setenv("XDG_DATA_HOME", "/nonexistent/backport-mglru-test", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
