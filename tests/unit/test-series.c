#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/series.h"

static void test_parse(void **state)
{
	struct series s = SERIES_INIT;
	size_t len;
	char *text = tl_fixture("patch/series", &len);

	(void)state;
	assert_int_equal(series_parse(&s, "series", text, len), 0);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.entries[0].name, "first.patch");
	assert_int_equal(s.entries[0].strip, 1);
	assert_int_equal(s.entries[0].line, 3);
	assert_string_equal(s.entries[1].name, "second.patch");
	assert_int_equal(s.entries[1].strip, 0);
	assert_string_equal(s.entries[2].name, "third.patch");
	assert_int_equal(s.entries[2].strip, 1);
	assert_int_equal(s.entries[3].strip, 2);
	series_release(&s);
	free(text);
}

static void test_refusals(void **state)
{
	struct series s = SERIES_INIT;
	size_t len;
	char *text = tl_fixture("patch/series-bad-option", &len);

	(void)state;
	assert_int_equal(series_parse(&s, "series-bad-option", text, len), -1);
	assert_contains(error_last(), "series-bad-option' line 2");
	assert_contains(error_last(), "unsupported option '-R'");
	series_release(&s);
	free(text);

	text = tl_fixture("patch/series-traversal", &len);
	assert_int_equal(series_parse(&s, "series-traversal", text, len), -1);
	assert_contains(error_last(), "unsafe patch name '../outside.patch'");
	series_release(&s);
	free(text);

	assert_int_equal(series_parse(&s, "x", "a.patch -px\n", 12), -1);
	series_release(&s);
	assert_int_equal(series_parse(&s, "x", "/abs.patch\n", 11), -1);
	series_release(&s);
}

static void test_crlf_and_no_final_newline(void **state)
{
	struct series s = SERIES_INIT;
	const char *text = "a.patch\r\nb.patch -p0\r\n#c.patch\r\nd.patch";

	(void)state;
	assert_int_equal(series_parse(&s, "x", text, strlen(text)), 0);
	assert_int_equal(s.nr, 3);
	assert_string_equal(s.entries[0].name, "a.patch");
	assert_int_equal(s.entries[1].strip, 0);
	assert_string_equal(s.entries[2].name, "d.patch");
	series_release(&s);
}

static void test_write_round_trip(void **state)
{
	struct series s = SERIES_INIT, back = SERIES_INIT;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	series_add(&s, "one.patch", 1);
	series_add(&s, "two.patch", 0);
	series_add(&s, "three.patch", 3);
	series_write(&s, &out);
	assert_string_equal(out.buf, "one.patch\ntwo.patch -p0\nthree.patch -p3\n");
	assert_int_equal(series_parse(&back, "out", out.buf, out.len), 0);
	assert_int_equal(back.nr, 3);
	assert_int_equal(back.entries[2].strip, 3);
	series_release(&s);
	series_release(&back);
	strbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_write_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
