/*
 * locate on the real stable repository built by scripts/make-kernel-repo.sh
 * from Debian's linux-source packages ($REAL_KERNEL_REPO).
 */
#include "testlib.h"

static void locate(struct tl_run *r, const char *spec, bool json)
{
	const char *argv[] = { tl_bin(), "locate", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--branch", spec, json ? "--json" : NULL, NULL };

	tl_run_argv(r, NULL, argv);
	if (r->status)
		fail_msg("locate %s exited %d: %s", spec, r->status, r->err.buf);
}

static void expect(const char *spec, const char *version, const char *shape,
		   const char *pin, const char *unpin)
{
	struct tl_run r;

	locate(&r, spec, false);
	assert_contains(r.out.buf, version);
	assert_contains(r.out.buf, shape);
	assert_contains(r.out.buf, pin);
	assert_contains(r.out.buf, unpin);
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);

	locate(&r, spec, true);
	assert_contains(r.out.buf, "\"status\": \"needs-fix\"");
	assert_contains(r.out.buf, "\"holds\": true");
	assert_contains(r.out.buf, "\"file\": \"mm/mmap.c\"");
	assert_contains(r.out.buf, "\"call\": \"mmget_not_zero\"");
	assert_contains(r.out.buf, "\"call\": \"mmput_async\"");
	tl_run_release(&r);
}

static void test_6_1_192(void **state)
{
	(void)state;
	expect("v6.1.192", "6.1.192", "6.1-nr_walkers",
	       "mm/vmscan.c:3467 (should_skip_mm)",
	       "mm/vmscan.c:3545 (iterate_mm_list)");
}

static void test_6_12_117(void **state)
{
	struct tl_run r;

	(void)state;
	expect("v6.12.117", "6.12.117", "mainline-get_next_mm",
	       "mm/vmscan.c:2829 (get_next_mm)",
	       "mm/vmscan.c:3029 (iterate_mm_list)");
	/* the !CONFIG_LRU_GEN_WALKS_MMU stub is reported, not taken */
	locate(&r, "v6.12.117", false);
	assert_contains(r.out.buf, "2940");
	assert_not_contains(r.out.buf, "mm/vmscan.c:2940 (");
	tl_run_release(&r);
}

static void test_oldest_releases(void **state)
{
	struct tl_run r;

	(void)state;
	locate(&r, "v6.1.170", false);
	assert_contains(r.out.buf, "6.1-nr_walkers");
	assert_contains(r.out.buf, "(should_skip_mm)");
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);
	locate(&r, "v6.12.107", false);
	assert_contains(r.out.buf, "mainline-get_next_mm");
	assert_contains(r.out.buf, "(get_next_mm)");
	assert_contains(r.out.buf, "needs-fix");
	tl_run_release(&r);
}

static void test_all_branches(void **state)
{
	struct tl_run r;
	const char *argv[] = { tl_bin(), "locate", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--all", NULL };
	const char *a, *b;

	(void)state;
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 0);
	a = strstr(r.out.buf, "\nlinux-6.1.y ");
	b = strstr(r.out.buf, "\nlinux-6.12.y ");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_contains(r.out.buf, "6.1.192");
	assert_contains(r.out.buf, "6.12.117");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_6_1_192),
		cmocka_unit_test(test_6_12_117),
		cmocka_unit_test(test_oldest_releases),
		cmocka_unit_test(test_all_branches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
