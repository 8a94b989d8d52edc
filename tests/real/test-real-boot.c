/*
 * check --boot and --boot-control on the real 6.12 tree ($REAL_KERNEL_REPO):
 * the patched kernel boots under KASAN in qemu and the MGLRU walk runs
 * cleanly, the half-applied control is caught, and a missing or hung qemu
 * fails the run.  Shares the cache of the other real tests
 * (real-check-cache in the test directory); the first run builds the boot
 * kernel cold (a few minutes on 2 cores), the others rebuild one object.
 *
 * BACKPORT_MGLRU_SKIP_BOOT_TEST=1 skips it (the suite then says so).
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"

static char *cache_env;

static int setup(void **state)
{
	char cwd[4096];

	(void)state;
	if (!getcwd(cwd, sizeof(cwd)))
		fail_msg("getcwd failed");
	cache_env = xstrfmt("%s/real-check-cache", cwd);
	setenv("BACKPORT_MGLRU_CACHE", cache_env, 1);
	unsetenv("BACKPORT_MGLRU_QEMU");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cache_env);
	return 0;
}

static void skip_if_asked(void)
{
	const char *s = getenv("BACKPORT_MGLRU_SKIP_BOOT_TEST");

	if (s && *s && strcmp(s, "0")) {
		fprintf(stderr, "boot test skipped: BACKPORT_MGLRU_SKIP_BOOT_TEST=%s\n", s);
		skip();
	}
}

/* How many times needle occurs in hay. */
static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static long json_long(const char *json, const char *key)
{
	char *k = xstrfmt("\"%s\": ", key);
	const char *p = strstr(json, k);
	long v = p ? strtol(p + strlen(k), NULL, 10) : -1;

	free(k);
	return v;
}

static void test_boot_and_control(void **state)
{
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.12.y",
			       "--arch", "x86_64", "--boot", "--boot-control", "--json", NULL };
	struct tl_run r;

	(void)state;
	skip_if_asked();
	tl_run_argv(&r, NULL, argv);
	if (r.status)
		fail_msg("exit %d: %s%s", r.status, r.out.buf, r.err.buf);
	assert_int_equal(count(r.out.buf, "\"outcome\": \"ran\""), 2);
	/* the patched kernel: the walk ran, KASAN said nothing */
	assert_contains(r.out.buf, "\"result\": \"pass\"");
	assert_true(json_long(r.out.buf, "max_gen_after") > json_long(r.out.buf, "max_gen_before"));
	assert_true(json_long(r.out.buf, "rounds") > 0);
	assert_true(json_long(r.out.buf, "leaf_ptes") > 0);
	/* the control: KASAN caught the use-after-free */
	assert_contains(r.out.buf, "\"result\": \"kasan\"");
	assert_contains(r.out.buf, "\"caught\": true");
	assert_contains(r.out.buf, "use-after-free\"");
	assert_contains(r.out.buf, "BUG: KASAN: ");
	assert_int_equal(count(r.out.buf, "\"passed\": true"), 2);
	assert_not_contains(r.out.buf, "\"failed\": true");
	tl_run_release(&r);
}

static void test_no_qemu_fails(void **state)
{
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.12.y",
			       "--arch", "x86_64", "--boot", NULL };
	struct tl_run r;

	(void)state;
	skip_if_asked();
	setenv("BACKPORT_MGLRU_QEMU", "/nonexistent/qemu-system-x86_64", 1);
	tl_run_argv(&r, NULL, argv);
	unsetenv("BACKPORT_MGLRU_QEMU");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "no-qemu: '/nonexistent/qemu-system-x86_64' not found "
				   "(install qemu-system-x86)");
	tl_run_release(&r);
}

/* A qemu stand-in: a shell script with body, in dir; caller frees. */
static char *fake_qemu(const char *dir, const char *body)
{
	char *path = xstrfmt("%s/fake-qemu", dir), *text = xstrfmt("#!/bin/sh\n%s\n", body);

	tl_write_file(path, text);
	assert_int_equal(chmod(path, 0755), 0);
	free(text);
	return path;
}

/* The full job: a hung guest is killed at --boot-timeout, and nothing is written. */
static void test_hung_guest_is_a_timeout(void **state)
{
	char *dir = tl_tmpdir(), *out = xstrfmt("%s/out", dir);
	char *qemu = fake_qemu(dir, "echo 'lru-walk: start pid=1'\nexec sleep 600");
	const char *argv[] = { tl_bin(), "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.12.y",
			       "--arch", "x86_64", "--boot", "--boot-timeout", "3", "--json",
			       "--output", out, NULL };
	struct tl_run r;

	(void)state;
	skip_if_asked();
	setenv("BACKPORT_MGLRU_QEMU", qemu, 1);
	tl_run_argv(&r, NULL, argv);
	unsetenv("BACKPORT_MGLRU_QEMU");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "\"result\": \"timeout\"");
	assert_contains(r.out.buf, "killed at the timeout: the guest did not finish");
	assert_true(json_long(r.out.buf, "guest_seconds") < 30);
	tl_run_release(&r);
	assert_int_not_equal(access(out, F_OK), 0);
	tl_rmtree(dir);
	free(qemu);
	free(out);
	free(dir);
}

/* A guest whose console shows KASAN fails the patched boot, with the lines shown. */
static void test_kasan_in_the_patched_boot_fails(void **state)
{
	char *dir = tl_tmpdir(), *log = tl_fixture_path("boot/kasan-uaf.log");
	char *body = xstrfmt("cat '%s'", log);
	char *qemu = fake_qemu(dir, body);
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", tl_env("SOURCE_DIR"), "--branch", "6.12.y",
			       "--arch", "x86_64", "--boot", NULL };
	struct tl_run r;

	(void)state;
	skip_if_asked();
	setenv("BACKPORT_MGLRU_QEMU", qemu, 1);
	tl_run_argv(&r, NULL, argv);
	unsetenv("BACKPORT_MGLRU_QEMU");
	assert_int_equal(r.status, 1);
	assert_contains(r.out.buf, "kasan: the kernel reported 'BUG: KASAN: use-after-free in "
				   "should_skip_mm+0x4b/0x170' at console line 7");
	assert_contains(r.out.buf, "Read of size 8 at addr ffff888003a1c0c8");
	tl_run_release(&r);
	tl_rmtree(dir);
	free(qemu);
	free(body);
	free(log);
	free(dir);
}

/* A series that breaks only the KASAN boot kernel: the error at file:line. */
static void test_boot_build_error_at_the_line(void **state)
{
	char *series = tl_fixture_path("boot-broken-series");
	const char *argv[] = { tl_bin(), "check", "--repo", tl_env("REAL_KERNEL_REPO"),
			       "--series", series, "--branch", "6.12.y", "--arch", "x86_64",
			       "--boot", NULL };
	struct tl_run r;

	(void)state;
	skip_if_asked();
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 1);
	/* the defconfig compile check passes: CONFIG_KASAN is off there */
	assert_contains(r.out.buf, "x86_64_defconfig     ok");
	assert_contains(r.out.buf, "build-failed: make bzImage: error at mm/vmscan.c:2830: "
				   "implicit declaration of function "
				   "'backport_mglru_kasan_only_undeclared'");
	tl_run_release(&r);
	free(series);
}

static void test_control_refused_in_the_full_job(void **state)
{
	const char *argv[] = { tl_bin(), "--repo", tl_env("REAL_KERNEL_REPO"), "--branch",
			       "6.12.y", "--boot-control", NULL };
	struct tl_run r;

	(void)state;
	tl_run_argv(&r, NULL, argv);
	assert_int_equal(r.status, 129);
	assert_contains(r.err.buf, "--boot-control goes with check");
	tl_run_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_and_control),
		cmocka_unit_test(test_no_qemu_fails),
		cmocka_unit_test(test_hung_guest_is_a_timeout),
		cmocka_unit_test(test_kasan_in_the_patched_boot_fails),
		cmocka_unit_test(test_boot_build_error_at_the_line),
		cmocka_unit_test(test_control_refused_in_the_full_job),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
