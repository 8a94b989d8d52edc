#include "testlib.h"

#include <string.h>

#include "core/xalloc.h"

static void test_init_is_empty_not_null(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_add_and_detach(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *s;

	(void)state;
	strbuf_addstr(&sb, "mm/");
	strbuf_addf(&sb, "%s.%c", "vmscan", 'c');
	strbuf_addchars(&sb, '!', 3);
	assert_string_equal(sb.buf, "mm/vmscan.c!!!");
	s = strbuf_detach(&sb, &len);
	assert_int_equal(len, 14);
	assert_string_equal(s, "mm/vmscan.c!!!");
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	free(s);
}

static void test_grow_many(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	assert_int_equal(sb.len, 10000);
	assert_int_equal(sb.buf[10000], '\0');
	assert_int_equal(sb.buf[9999], 'a' + 9999 % 26);
	strbuf_release(&sb);
}

static void test_json_escape(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_add_json_str(&sb, "a\"b\\c\nd\x01");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\nd\\u0001\"");
	strbuf_release(&sb);
}

static void test_rtrim(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "line \r\n\t");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "line");
	strbuf_release(&sb);
}

static void test_xstrfmt_and_overflow_free_math(void **state)
{
	char *s = xstrfmt("%s:%d", "mm/vmscan.c", 3467);

	(void)state;
	assert_string_equal(s, "mm/vmscan.c:3467");
	free(s);
	assert_int_equal(st_add(2, 3), 5);
	assert_int_equal(st_mult(4, 5), 20);
}

/* strbuf_addf formats into the room there is, or grows and formats again. */
static void test_addf_fits_and_grows(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char long_word[301];
	char *s;

	(void)state;
	memset(long_word, 'w', 300);
	long_word[300] = '\0';
	strbuf_addf(&sb, "%s", "");
	assert_int_equal(sb.len, 0);
	strbuf_addf(&sb, "<%s>", long_word);
	assert_int_equal(sb.len, 302);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[301], '>');
	assert_int_equal(sb.buf[302], '\0');
	/* exactly filling what is left, then one more */
	for (size_t i = 0; i < 200; i++)
		strbuf_addf(&sb, "%zu", i % 10);
	assert_int_equal(sb.len, 502);
	assert_int_equal(sb.buf[302], '0');
	assert_int_equal(sb.buf[501], '9');
	assert_int_equal(strlen(sb.buf), 502);
	strbuf_release(&sb);
	s = xstrfmt("%s|%s", long_word, long_word);
	assert_int_equal(strlen(s), 601);
	assert_int_equal(s[300], '|');
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty_not_null),
		cmocka_unit_test(test_add_and_detach),
		cmocka_unit_test(test_grow_many),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_rtrim),
		cmocka_unit_test(test_xstrfmt_and_overflow_free_math),
		cmocka_unit_test(test_addf_fits_and_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
