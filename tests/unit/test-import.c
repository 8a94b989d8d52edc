/*
 * core/import.c: which function a hunk lives in (a definition line in the
 * hunk before its first change wins over git's @@ text, which names the
 * function before a hunk that starts above a definition), the derived id,
 * the descriptor text; a b4 / lore mbox split into one plan per patch, its
 * cover letter skipped, all or nothing.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/import.h"
#include "core/xalloc.h"
#include "core/patch.h"

static const char two_hunks[] =
	"From: A <a@example.com>\n"
	"Subject: [PATCH v2 1/3] mm/vmscan: a subject long enough to be cut somewhere "
	"after forty-eight\n"
	"\n"
	"---\n"
	"--- a/mm/x.c\n"
	"+++ b/mm/x.c\n"
	"@@ -1,5 +1,5 @@ static int before(void)\n"
	" }\n"
	" \n"
	" static int after(struct x *x)\n"
	" {\n"
	"-\treturn 0;\n"
	"+\treturn 1;\n"
	"@@ -20,2 +20,2 @@ static bool named(struct y *y)\n"
	" \tint z;\n"
	"-\tz = 0;\n"
	"+\tz = 1;\n"
	"@@ -30,2 +30,2 @@ struct table {\n"
	" \tint a;\n"
	"-\tint b;\n"
	"+\tlong b;\n";

static void test_hunk_function(void **state)
{
	struct patch p = PATCH_INIT;
	char *f;

	(void)state;
	assert_int_equal(patch_parse(&p, "t", two_hunks, strlen(two_hunks), 1), 0);
	assert_int_equal(p.files[0].nr_hunks, 3);
	f = import_hunk_function(&p.files[0].hunks[0]);
	assert_string_equal(f, "after");	/* not the @@ text's before() */
	free(f);
	f = import_hunk_function(&p.files[0].hunks[1]);
	assert_string_equal(f, "named");
	free(f);
	assert_null(import_hunk_function(&p.files[0].hunks[2]));
	patch_release(&p);
}

static void test_plan(void **state)
{
	struct patch p = PATCH_INIT;
	struct import_plan ip;
	static const char *const syms[] = { "LRU_GEN", "NUMA" };
	const struct import_opts none = { NULL, NULL, 0 }, bad_id = { "a/b", NULL, 0 };
	const struct import_opts with_kconfig = { "k", syms, 2 };
	/* the same patch without its struct hunk: every hunk has a function */
	size_t len = (size_t)(strstr(two_hunks, "@@ -30") - two_hunks);

	(void)state;
	assert_int_equal(patch_parse(&p, "t", two_hunks, len, 1), 0);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, len, "t", &none), 0);
	/* cut after the last whole word within 48 characters */
	assert_string_equal(ip.id, "mm-vmscan-a-subject-long-enough-to-be-cut");
	assert_null(ip.upstream);
	assert_contains(ip.conf, "[file \"mm/x.c\"]\n\tfunction = after\n\tfunction = named\n");
	assert_contains(ip.conf, "\tpatch = mm-vmscan-a-subject-long-enough-to-be-cut.patch\n");
	assert_contains(ip.conf, "# kconfig = LRU_GEN\n");	/* a hint, commented out */
	import_plan_release(&ip);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, len, "t", &with_kconfig), 0);
	assert_contains(ip.conf, "\tid = \"k\"\n");
	assert_contains(ip.conf, "\tkconfig = LRU_GEN\n\tkconfig = NUMA\n");
	import_plan_release(&ip);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, len, "t", &bad_id), -1);
	assert_contains(error_last(), "'a/b' is not a fix id");
	patch_release(&p);

	assert_int_equal(patch_parse(&p, "t", two_hunks, strlen(two_hunks), 1), 0);
	assert_int_equal(import_plan_make(&ip, &p, two_hunks, strlen(two_hunks), "t", &none), -1);
	assert_contains(error_last(), "cannot tell which function hunk 3 of 'mm/x.c'");
	patch_release(&p);
}

/* "[PATCH v2 2/3]" and its kin: which message of a series this is. */
static void test_subject_number(void **state)
{
	static const struct {
		const char *subject;
		bool numbered;
		size_t k, n;
	} cases[] = {
		{ "[PATCH 0/3] mm: cover", true, 0, 3 },
		{ "[PATCH v2 2/3] mm: x", true, 2, 3 },
		{ "  [RFC PATCH mm-unstable 01/12] mm: x", true, 1, 12 },
		{ "[RFC][PATCH 3/4] mm: x", true, 3, 4 },
		{ "[PATCH 00/10] mm: cover", true, 0, 10 },
		{ "[PATCH] mm: x", false, 0, 0 },
		{ "mm: fix 1/2 of it", false, 0, 0 },	/* not in a tag */
		{ "Re: [PATCH 2/3] mm: x", false, 0, 0 },	/* a reply */
		{ "[PATCH 2/3x] mm: x", false, 0, 0 },
		{ "[PATCH 2/3", false, 0, 0 },
		{ NULL, false, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t k = 99, n = 99;
		bool got = import_subject_number(cases[i].subject, &k, &n);

		if (got != cases[i].numbered || k != cases[i].k || n != cases[i].n)
			fail_msg("'%s': %d %zu/%zu, want %d %zu/%zu",
				 cases[i].subject ? cases[i].subject : "(null)", got, k, n,
				 cases[i].numbered, cases[i].k, cases[i].n);
	}
}

/* b4's mbox: the cover letter skipped, each patch its own plan and text. */
static void test_series(void **state)
{
	size_t len;
	char *text = tl_fixture("fix/series.mbox", &len);
	const char *second = strstr(text + 1, "\nFrom mboxrd@z") + 1;
	const char *third = strstr(second, "\nFrom mboxrd@z") + 1;
	const struct import_opts none = { NULL, NULL, 0 }, one_id = { "one", NULL, 0 };
	struct import_series s = IMPORT_SERIES_INIT;

	(void)state;
	assert_int_equal(import_series_make(&s, text, len, "s.mbox", &none), 0);
	assert_int_equal(s.nr_messages, 3);
	assert_int_equal(s.nr_skipped, 1);
	assert_int_equal(s.skipped[0].message, 1);
	assert_string_equal(s.skipped[0].subject, "[PATCH v2 0/2] mm/vmscan: two small walk fixes");
	assert_int_equal(s.nr, 2);
	assert_int_equal(s.plans[0].message, 2);
	assert_string_equal(s.plans[0].id, "mm-vmscan-skip-ownerless-mms");
	assert_null(s.plans[0].upstream);
	assert_contains(s.plans[0].conf, "from s.mbox (message 2)\n");
	assert_contains(s.plans[0].conf, "[file \"mm/vmscan.c\"]\n\tfunction = should_skip_mm\n");
	/* each patch file is its own message, byte for byte */
	assert_int_equal(s.plans[0].patch_len, (size_t)(third - second));
	assert_memory_equal(s.plans[0].patch_text, second, s.plans[0].patch_len);
	assert_int_equal(s.plans[1].message, 3);
	/* the folded Subject: line, joined */
	assert_string_equal(s.plans[1].id, "mm-vmscan-read-nr-walkers-once");
	assert_string_equal(s.plans[1].upstream, "4444444444444444444444444444444444444444");
	assert_contains(s.plans[1].conf, "\tfunction = iterate_mm_list\n");
	assert_int_equal(s.plans[1].patch_len, (size_t)(text + len - third));
	assert_memory_equal(s.plans[1].patch_text, third, s.plans[1].patch_len);
	import_series_release(&s);

	/* a lore thread: a reply quoting the diff is mail with no diff, skipped too */
	{
		char *thread = xstrfmt("%sFrom mboxrd@z Thu Jan  1 00:00:00 1970\n"
				       "From: Reviewer <r@example.com>\n"
				       "Subject: Re: [PATCH v2 2/2] mm/vmscan: read nr_walkers once\n"
				       "\n"
				       "> diff --git a/mm/vmscan.c b/mm/vmscan.c\n"
				       "> -\tif (mm_state->nr_walkers)\n"
				       "> +\tif (READ_ONCE(mm_state->nr_walkers))\n"
				       "\n"
				       "Reviewed-by: Reviewer <r@example.com>\n", text);

		assert_int_equal(import_series_make(&s, thread, strlen(thread), "s.mbox", &none),
				 0);
		assert_int_equal(s.nr_messages, 4);
		assert_int_equal(s.nr, 2);
		assert_int_equal(s.nr_skipped, 2);
		assert_int_equal(s.skipped[1].message, 4);
		assert_string_equal(s.skipped[1].subject,
				    "Re: [PATCH v2 2/2] mm/vmscan: read nr_walkers once");
		/* the last patch ends where the reply starts */
		assert_int_equal(s.plans[1].patch_len, (size_t)(text + len - third));
		import_series_release(&s);
		free(thread);
	}
	/* a reply that brings a diff of its own is refused, not imported */
	{
		char *thread = xstrfmt("%sFrom mboxrd@z Thu Jan  1 00:00:00 1970\n"
				       "From: Reviewer <r@example.com>\n"
				       "Subject: Re: [PATCH v2 2/2] mm/vmscan: read nr_walkers once\n"
				       "\n"
				       "How about this instead?\n"
				       "\n"
				       "--- a/mm/vmscan.c\n"
				       "+++ b/mm/vmscan.c\n"
				       "@@ -41,2 +41,2 @@ static bool iterate_mm_list(struct lruvec *l)\n"
				       "-\tif (mm_state->nr_walkers)\n"
				       "+\tif (data_race(mm_state->nr_walkers))\n"
				       " \t\tlast = false;\n", text);

		assert_int_equal(import_series_make(&s, thread, strlen(thread), "s.mbox", &none),
				 -1);
		assert_contains(error_last(), "'s.mbox' message 4: a reply ('Re: [PATCH v2 2/2] "
					      "mm/vmscan: read nr_walkers once') with a diff");
		assert_int_equal(s.nr, 0);
		free(thread);
	}

	/* --id names one fix: two patches are a usage error */
	assert_int_equal(import_series_make(&s, text, len, "s.mbox", &one_id), IMPORT_USAGE);
	assert_contains(error_last(), "--id names one fix, and 's.mbox' holds 2 patches");
	assert_int_equal(s.nr, 0);
	/* the cover letter and one patch: --id is fine */
	assert_int_equal(import_series_make(&s, text, (size_t)(third - text), "s.mbox", &one_id),
			 0);
	assert_int_equal(s.nr, 1);
	assert_string_equal(s.plans[0].id, "one");
	import_series_release(&s);
	/* the cover letter alone is one message, and no patch */
	assert_int_equal(import_series_make(&s, text, (size_t)(second - text), "s.mbox", &none),
			 -1);
	assert_contains(error_last(), "patch 's.mbox': no diff found");
	/* two messages, neither with a diff */
	{
		char *two = xstrfmt("%.*s%.*s", (int)(second - text), text, (int)(second - text),
				    text);

		assert_int_equal(import_series_make(&s, two, strlen(two), "s.mbox", &none), -1);
		assert_contains(error_last(), "'s.mbox' holds 2 messages and no patch");
		free(two);
	}
	free(text);
}

/* One bad message and nothing is planned; the error names file and message. */
static void test_series_refused(void **state)
{
	static const struct {
		const char *fixture, *message;
	} cases[] = {
		{ "fix/two-messages.mbox", "'t' message 2: fix id 'mm-vmscan-skip-ownerless-mms-"
					   "read-nr-walkers' is message 1's too" },
		{ "fix/series-binary.mbox", "'t' message 3: patch 't' line 69: binary patches "
					    "are not supported" },
		{ "fix/series-no-diff.mbox", "'t' message 2: patch 2/2 ('[PATCH v2 2/2] "
					     "mm/vmscan: read nr_walkers once') has no diff" },
		{ "fix/series-no-function.mbox", "'t' message 3: cannot tell which function "
						 "hunk 1 of 'mm/vmscan.c' (line 71) lives in" },
	};
	const struct import_opts none = { NULL, NULL, 0 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len;
		char *text = tl_fixture(cases[i].fixture, &len);
		struct import_series s = IMPORT_SERIES_INIT;

		if (import_series_make(&s, text, len, "t", &none) != -1)
			fail_msg("%s: not refused", cases[i].fixture);
		assert_contains(error_last(), cases[i].message);
		assert_int_equal(s.nr, 0);
		assert_null(s.plans);
		free(text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hunk_function),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_subject_number),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_series_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
