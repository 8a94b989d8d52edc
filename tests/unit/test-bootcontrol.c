/* bootcontrol: the negative control's half-applied mm/vmscan.c. */
#include "testlib.h"

#include <string.h>

#include "core/bootcontrol.h"
#include "core/error.h"
#include "core/xalloc.h"

static char *control_of(const char *name, struct variant *v, size_t *out_len)
{
	size_t len, mlen;
	char *rel = xstrfmt("locate/%s", name);
	char *text = tl_fixture(rel, &len);
	char *mmap = tl_fixture("locate/mmap-safe.c", &mlen);
	char *out;

	variant_init(v);
	variant_classify(v, "mm/vmscan.c", text, len, mmap, mlen, "exit_mmap");
	out = control_unpin_only(text, len, v, out_len);
	free(mmap);
	free(text);
	free(rel);
	return out;
}

static void check_half(const char *name)
{
	struct variant v, after;
	size_t len;
	char *out = control_of(name, &v, &len);

	assert_non_null(out);
	assert_int_equal(v.status, STATUS_NEEDS_FIX);
	variant_init(&after);
	variant_classify(&after, "mm/vmscan.c", out, len, NULL, 0, "exit_mmap");
	assert_int_equal(after.status, STATUS_HALF_APPLIED);
	/* the pin is left alone, the unpin is now mmdrop, on the same lines */
	assert_int_equal(after.pin.call, PIN_CALL_MMGET_NOT_ZERO);
	assert_int_equal(after.pin.line, v.pin.line);
	assert_int_equal(after.unpin.call, PIN_CALL_MMDROP);
	assert_int_equal(after.unpin.line, v.unpin.line);
	assert_null(strstr(out, "mmput_async("));
	variant_release(&after);
	variant_release(&v);
	free(out);
}

static void test_mainline_shape(void **state)
{
	(void)state;
	check_half("mainline.c");
}

static void test_6_1_shape(void **state)
{
	(void)state;
	check_half("6.1.c");
}

static void test_refuses_a_fixed_tree(void **state)
{
	struct variant v;
	size_t len;
	char *out;

	(void)state;
	out = control_of("mainline-fixed.c", &v, &len);
	assert_null(out);
	assert_contains(error_last(), "cannot make the control");
	variant_release(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mainline_shape),
		cmocka_unit_test(test_6_1_shape),
		cmocka_unit_test(test_refuses_a_fixed_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
