/* bootjudge: recorded console logs into a boot test's result. */
#include "testlib.h"

#include <string.h>

#include "core/bootjudge.h"
#include "core/xalloc.h"

static void judge(const char *name, bool timed_out, struct boot_verdict *v)
{
	size_t len;
	char *rel = xstrfmt("boot/%s", name);
	char *text = tl_fixture(rel, &len);

	boot_judge(text, len, timed_out, v);
	free(text);
	free(rel);
}

static void test_pass(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("pass.log", false, &v);
	assert_int_equal(v.result, BOOT_PASS);
	assert_string_equal(boot_result_name(v.result), "pass");
	assert_true(v.guest_started);
	assert_true(v.kasan_on);
	assert_true(v.sum.found);
	assert_int_equal(v.sum.rounds, 40);
	assert_int_equal(v.sum.gen_before, 3);
	assert_int_equal(v.sum.gen_after, 43);
	assert_int_equal(v.sum.exited, 160);
	assert_int_equal(v.sum.caps, 7);
	assert_int_equal(v.sum.leaf_ptes, 183920);
	assert_int_equal(v.nr_lines, 0);
	assert_int_equal(v.line, 0);
	assert_false(boot_control_caught(&v));
	boot_verdict_release(&v);
}

static void test_kasan_use_after_free(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("kasan-uaf.log", false, &v);
	/* the panic after it (panic_on_warn) does not hide it */
	assert_int_equal(v.result, BOOT_KASAN);
	assert_string_equal(v.kasan_kind, "use-after-free");
	assert_int_equal(v.line, 7);
	assert_string_equal(v.lines[0], "BUG: KASAN: use-after-free in should_skip_mm+0x4b/0x170");
	assert_string_equal(v.lines[1], "Read of size 8 at addr ffff888003a1c0c8 by task init/1");
	assert_int_equal(v.nr_lines, BOOT_MAX_LINES);
	assert_contains(v.why, "console line 7");
	assert_true(boot_control_caught(&v));
	assert_false(v.sum.found);
	boot_verdict_release(&v);
}

static void test_kasan_wins_over_an_earlier_warning(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("warning-then-kasan.log", false, &v);
	/* a summary that looks good does not make a pass either */
	assert_true(v.sum.found);
	assert_int_equal(v.result, BOOT_KASAN);
	assert_string_equal(v.kasan_kind, "slab-use-after-free");
	assert_int_equal(v.line, 7);
	/* offending lines run to the end of the log, the guest's lines included */
	assert_int_equal(v.nr_lines, 3);
	assert_true(boot_control_caught(&v));
	boot_verdict_release(&v);
}

static void test_panic(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("panic.log", false, &v);
	assert_int_equal(v.result, BOOT_PANIC);
	assert_int_equal(v.line, 6);
	assert_true(strstr(v.lines[0], "No working init found") != NULL);
	assert_false(v.guest_started);
	assert_false(boot_control_caught(&v));
	boot_verdict_release(&v);
}

static void test_timeout_truncated(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("timeout.log", true, &v);
	assert_int_equal(v.result, BOOT_TIMEOUT);
	assert_true(v.guest_started);
	assert_contains(v.why, "did not finish");
	/* the last lines, the cut one included */
	assert_int_equal(v.nr_lines, 4);
	assert_string_equal(v.lines[3], "lru-walk: round 2 max_gen=5 chil");
	boot_verdict_release(&v);

	/* the same log, qemu exited by itself: no summary */
	judge("timeout.log", false, &v);
	assert_int_equal(v.result, BOOT_NO_SUMMARY);
	boot_verdict_release(&v);
}

static void test_walk_never_ran(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("walk-never-ran.log", false, &v);
	assert_int_equal(v.result, BOOT_WALK_NEVER_RAN);
	assert_string_equal(boot_result_name(v.result), "walk-never-ran");
	assert_contains(v.why, "max_gen did not grow");
	boot_verdict_release(&v);
}

/* pass.log with a walk that visited no PTE: the walk did not run */
static void test_no_pte_walked(void **state)
{
	size_t len;
	char *text = tl_fixture("boot/pass.log", &len);
	char *p = strstr(text, "leaf_ptes=183920");
	struct boot_verdict v;

	(void)state;
	assert_non_null(p);
	memcpy(p, "leaf_ptes=000000", 16);
	boot_judge(text, len, false, &v);
	assert_int_equal(v.result, BOOT_WALK_NEVER_RAN);
	assert_contains(v.why, "visited no PTE");
	boot_verdict_release(&v);
	free(text);
}

static void test_no_mm_walk_cap(void **state)
{
	static const char log[] =
		"kasan: KernelAddressSanitizer initialized\n"
		"lru-walk: start pid=1 memcg=0 node=0 max_gen=3 caps=0x0005\n"
		"lru-walk: summary rounds=5 max_gen_before=3 max_gen_after=8 exited=20 "
		"errors=0 caps=0x0005 leaf_ptes=500\n";
	struct boot_verdict v;

	(void)state;
	boot_judge(log, sizeof(log) - 1, false, &v);
	assert_int_equal(v.result, BOOT_WALK_NEVER_RAN);
	assert_contains(v.why, "lack the mm walk");
	boot_verdict_release(&v);
}

/* pass.log without KASAN's line: a quiet KASAN that was off proves nothing */
static void test_kasan_off(void **state)
{
	size_t len;
	char *text = tl_fixture("boot/pass.log", &len);
	char *p = strstr(text, "KernelAddressSanitizer");
	struct boot_verdict v;

	(void)state;
	assert_non_null(p);
	memcpy(p, "KernelAddressSanitizeR", 22);
	boot_judge(text, len, false, &v);
	assert_int_equal(v.result, BOOT_NO_KASAN);
	assert_false(v.kasan_on);
	assert_string_equal(boot_result_name(v.result), "no-kasan");
	boot_verdict_release(&v);
	free(text);
}

static void test_guest_error(void **state)
{
	struct boot_verdict v;

	(void)state;
	judge("guest-error.log", false, &v);
	assert_int_equal(v.result, BOOT_GUEST_ERROR);
	assert_int_equal(v.line, 3);
	assert_contains(v.lines[0], "cannot open /sys/kernel/debug/lru_gen");
	boot_verdict_release(&v);
}

static void test_summary_parser(void **state)
{
	struct boot_summary s;
	static const char ok[] = "[   12.345678] lru-walk: summary rounds=2 max_gen_before=3 "
				 "max_gen_after=5 exited=8 errors=0 caps=0x0007\r\n";
	static const char missing[] = "lru-walk: summary rounds=2 max_gen_before=3 exited=8 "
				      "errors=0 caps=0x0007";
	static const char bad[] = "lru-walk: summary rounds=2x max_gen_before=3 max_gen_after=5 "
				  "exited=8 errors=0 caps=0x0007";
	static const char kernel[] = "foo: lru-walk: summary rounds=2 max_gen_before=3 "
				     "max_gen_after=5 exited=8 errors=0 caps=0x0007";

	(void)state;
	assert_true(boot_parse_summary(ok, sizeof(ok) - 1, &s));
	assert_int_equal(s.rounds, 2);
	assert_int_equal(s.gen_after, 5);
	assert_int_equal(s.caps, 7);
	assert_int_equal(s.leaf_ptes, -1);	/* optional */
	assert_false(boot_parse_summary(missing, sizeof(missing) - 1, &s));
	assert_false(boot_parse_summary(bad, sizeof(bad) - 1, &s));
	assert_false(boot_parse_summary(kernel, sizeof(kernel) - 1, &s));
}

static void test_empty_log(void **state)
{
	struct boot_verdict v;

	(void)state;
	boot_judge("", 0, false, &v);
	assert_int_equal(v.result, BOOT_NO_SUMMARY);
	assert_contains(v.why, "never started");
	assert_int_equal(v.nr_lines, 0);
	boot_verdict_release(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_kasan_use_after_free),
		cmocka_unit_test(test_kasan_wins_over_an_earlier_warning),
		cmocka_unit_test(test_panic),
		cmocka_unit_test(test_timeout_truncated),
		cmocka_unit_test(test_walk_never_ran),
		cmocka_unit_test(test_no_pte_walked),
		cmocka_unit_test(test_no_mm_walk_cap),
		cmocka_unit_test(test_kasan_off),
		cmocka_unit_test(test_guest_error),
		cmocka_unit_test(test_summary_parser),
		cmocka_unit_test(test_empty_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
