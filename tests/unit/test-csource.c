#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/csource.h"
#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

struct want_func {
	const char *name;
	size_t start, name_line, body, end;
	const char *condition;
};

static void assert_func(const struct cfunc *f, const struct want_func *w)
{
	assert_non_null(f);
	assert_string_equal(f->name, w->name);
	assert_int_equal(f->start_line, w->start);
	assert_int_equal(f->name_line, w->name_line);
	assert_int_equal(f->body_line, w->body);
	assert_int_equal(f->end_line, w->end);
	if (w->condition)
		assert_string_equal(f->condition, w->condition);
	else
		assert_null(f->condition);
}

static void test_kernel_fixture(void **state)
{
	static const struct want_func want[] = {
		{"fake_simple", 36, 36, 37, 39, NULL},
		{"fake_unlock", 41, 41, 43, 45, NULL},
		{"fake_multi_line", 47, 48, 51, 56, NULL},
		{"fake_cond", 59, 59, 60, 62, "CONFIG_FAKE_A"},
		{"fake_cond", 64, 64, 65, 67,
		 "!(CONFIG_FAKE_A) && defined(CONFIG_FAKE_B)"},
		{"fake_cond", 69, 69, 70, 72,
		 "!(CONFIG_FAKE_A) && !(defined(CONFIG_FAKE_B))"},
		{"fake_nested", 78, 78, 79, 85,
		 "!(CONFIG_FAKE_C) && defined(CONFIG_FAKE_D) && "
		 "defined(CONFIG_FAKE_E)"},
		{"SYSCALL_DEFINE3", 89, 89, 90, 92, NULL},
		{"fake_init", 94, 94, 95, 99, NULL},
	};
	struct csource cs = CSOURCE_INIT;
	size_t len;
	char *text = tl_fixture("csource/kernel.c", &len);

	(void)state;
	assert_int_equal(csource_parse(&cs, text, len), 0);
	/* no function from #define bodies, struct bodies or initialisers */
	assert_int_equal(cs.nr_funcs, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_func(&cs.funcs[i], &want[i]);
	assert_null(csource_find_func(&cs, "name", 0));
	assert_null(csource_find_func(&cs, "fake_ops", 0));
	csource_release(&cs);
	free(text);
}

static void test_tokens(void **state)
{
	static const char text[] = "/* { */ a->b = \"x{\\\"\" + 'y' + 0x1fUL;\n"
				   "// }\n"
				   "#define Q { \\\n"
				   "  }\n"
				   "s { x <<= 1e+3; }\n";
	struct csource cs = CSOURCE_INIT;
	char *s;

	(void)state;
	assert_int_equal(csource_parse(&cs, text, strlen(text)), 0);
	/* a -> b = "..." + 'y' + 0x1fUL ; s { x <<= 1e+3 ; } */
	assert_int_equal(cs.nr_toks, 17);
	assert_true(ctok_is(&cs, 0, "a"));
	assert_int_equal(cs.toks[0].kind, CTOK_IDENT);
	assert_true(ctok_is(&cs, 1, "->"));
	assert_int_equal(cs.toks[1].kind, CTOK_PUNCT);
	assert_int_equal(cs.toks[4].kind, CTOK_STRING);
	s = ctok_dup(&cs, 4);
	assert_string_equal(s, "\"x{\\\"\"");
	free(s);
	assert_int_equal(cs.toks[6].kind, CTOK_CHAR);
	assert_true(ctok_is(&cs, 6, "'y'"));
	assert_int_equal(cs.toks[8].kind, CTOK_NUMBER);
	assert_true(ctok_is(&cs, 8, "0x1fUL"));
	/* the directive and its continuation are not tokens */
	assert_true(ctok_is(&cs, 10, "s"));
	assert_int_equal(cs.toks[10].line, 5);
	assert_true(ctok_is(&cs, 11, "{"));
	assert_int_equal(cs.toks[11].depth, 0);
	assert_int_equal(cs.toks[12].depth, 1);
	assert_true(ctok_is(&cs, 13, "<<="));
	assert_true(ctok_is(&cs, 14, "1e+3"));
	assert_true(ctok_is(&cs, cs.nr_toks - 1, "}"));
	assert_int_equal(cs.toks[cs.nr_toks - 1].depth, 0);
	assert_false(ctok_is(&cs, cs.nr_toks, "}"));
	/* "s { ... }" is not a function: no parameter list */
	assert_int_equal(cs.nr_funcs, 0);
	csource_release(&cs);
}

/* Every punctuator the lexer knows, longest match first, and the edges of
 * identifiers, numbers and comments. */
static void test_punctuators_and_edges(void **state)
{
	static const char *const want[] = {
		"...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==",
		"!=", "&&", "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=",
		"##", ".", "<", ">", "-", "+", "&", "|", "=", "!", "*", "/", "%",
		"^", "#", "?", ":", "~", "[", "]", "(", ")", ",", ";",
	};
	struct strbuf text = STRBUF_INIT;
	struct csource cs = CSOURCE_INIT;

	(void)state;
	/* each one followed by a space, so that none can run into the next */
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		strbuf_addf(&text, "%s ", want[i]);
	assert_int_equal(csource_parse(&cs, text.buf, text.len), 0);
	assert_int_equal(cs.nr_toks, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		if (!ctok_is(&cs, i, want[i]))
			fail_msg("token %zu: want '%s'", i, want[i]);
		assert_int_equal(cs.toks[i].kind, CTOK_PUNCT);
	}
	csource_release(&cs);

	/* maximal munch: "a--->b" is a -- -> b; "x<<=y" is x <<= y */
	strbuf_reset(&text);
	strbuf_addstr(&text, "a--->b x<<=y p...q $id_9 9z _\n/* a\n* b\n*/ e **/ f");
	assert_int_equal(csource_parse(&cs, text.buf, text.len), 0);
	{
		static const char *const toks[] = {
			"a", "--", "->", "b", "x", "<<=", "y", "p", "...", "q",
			"$id_9", "9z", "_", "e", "*", "*", "/", "f",
		};

		assert_int_equal(cs.nr_toks, ARRAY_SIZE(toks));
		for (size_t i = 0; i < ARRAY_SIZE(toks); i++)
			if (!ctok_is(&cs, i, toks[i]))
				fail_msg("token %zu: want '%s'", i, toks[i]);
		assert_int_equal(cs.toks[10].kind, CTOK_IDENT);
		assert_int_equal(cs.toks[11].kind, CTOK_NUMBER);
		/* the comment's two newlines are counted */
		assert_int_equal(cs.toks[12].line, 1);
		assert_int_equal(cs.toks[13].line, 4);
	}
	csource_release(&cs);
	strbuf_release(&text);
}

static void test_lookups(void **state)
{
	static const char text[] = "#ifdef CONFIG_X\n"
				   "static int f(void)\n"
				   "{\n"
				   "\treturn g(1);\n"
				   "}\n"
				   "#else\n"
				   "static int f(void) { return 0; }\n"
				   "#endif\n"
				   "int h(int a)\n"
				   "{\n"
				   "\treturn a;\n"
				   "}\n";
	struct csource cs = CSOURCE_INIT;
	const struct cfunc *f;

	(void)state;
	assert_int_equal(csource_parse(&cs, text, strlen(text)), 0);
	assert_int_equal(cs.nr_funcs, 3);
	f = csource_find_func(&cs, "f", 0);
	assert_int_equal(f->start_line, 2);
	assert_string_equal(f->condition, "CONFIG_X");
	f = csource_find_func(&cs, "f", 1);
	assert_int_equal(f->start_line, 7);
	assert_int_equal(f->end_line, 7);
	assert_string_equal(f->condition, "!(CONFIG_X)");
	assert_null(csource_find_func(&cs, "f", 2));
	f = csource_find_func(&cs, "h", 0);
	assert_null(f->condition);
	assert_ptr_equal(csource_func_at_line(&cs, 10), f);
	assert_ptr_equal(csource_func_at_line(&cs, 9), f);
	assert_null(csource_func_at_line(&cs, 8));
	assert_ptr_equal(csource_func_at_tok(&cs, f->body_open_tok + 1), f);
	assert_null(csource_func_at_tok(&cs, f->name_tok));
	assert_true(ctok_is(&cs, f->params_open_tok, "("));
	assert_true(ctok_is(&cs, f->params_close_tok, ")"));
	assert_true(ctok_is(&cs, f->body_close_tok, "}"));
	csource_release(&cs);
}

static void test_ifndef_else(void **state)
{
	static const char text[] = "#ifndef CONFIG_Y\n"
				   "static int f(void) { return 0; }\n"
				   "#else /* CONFIG_Y */\n"
				   "static int f(void) { return 1; }\n"
				   "#endif\n";
	struct csource cs = CSOURCE_INIT;

	(void)state;
	assert_int_equal(csource_parse(&cs, text, strlen(text)), 0);
	assert_int_equal(cs.nr_funcs, 2);
	assert_string_equal(cs.funcs[0].condition, "!(CONFIG_Y)");
	assert_string_equal(cs.funcs[1].condition, "CONFIG_Y");
	csource_release(&cs);
}

static void test_crlf_and_no_final_newline(void **state)
{
	static const char text[] = "/* a\r\n b */\r\n"
				   "static void f(void)\r\n"
				   "{\r\n"
				   "\tg(\"}\");\r\n"
				   "}";
	struct csource cs = CSOURCE_INIT;

	(void)state;
	assert_int_equal(csource_parse(&cs, text, strlen(text)), 0);
	assert_int_equal(cs.nr_funcs, 1);
	assert_int_equal(cs.funcs[0].start_line, 3);
	assert_int_equal(cs.funcs[0].body_line, 4);
	assert_int_equal(cs.funcs[0].end_line, 6);
	csource_release(&cs);
}

static void test_macro_line_before_definition(void **state)
{
	/* a top-level macro without ';' must not swallow the function */
	static const char text[] =
		"FAKE_DEFINE(x)\n"
		"static int __printf(1, 2) f(const char *fmt, ...)\n"
		"{\n"
		"\treturn 0;\n"
		"}\n";
	struct csource cs = CSOURCE_INIT;

	(void)state;
	assert_int_equal(csource_parse(&cs, text, strlen(text)), 0);
	assert_int_equal(cs.nr_funcs, 1);
	assert_string_equal(cs.funcs[0].name, "f");
	assert_int_equal(cs.funcs[0].start_line, 2);
	csource_release(&cs);
}

static void expect_error(const char *text, const char *msg)
{
	struct csource cs = CSOURCE_INIT;

	assert_int_equal(csource_parse(&cs, text, strlen(text)), -1);
	assert_contains(error_last(), msg);
	csource_release(&cs);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("int a;\n/* never closed\nint b;\n",
		     "unterminated comment starting at line 2");
	expect_error("int a = \"open;\n",
		     "unterminated string literal at line 1");
	expect_error("int a = 'x;\n",
		     "unterminated character literal at line 1");
	expect_error("void f(void)\n{\n}\n}\n", "unbalanced '}' at line 4");
	expect_error("void f(void)\n{\n\tif (x) {\n}\n",
		     "unbalanced '{' at line 2");
	expect_error("#endif\n", "#endif without #if at line 1");
	expect_error("#ifdef X\nint a;\n", "unterminated #if");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_fixture),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_punctuators_and_edges),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_ifndef_else),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_macro_line_before_definition),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
