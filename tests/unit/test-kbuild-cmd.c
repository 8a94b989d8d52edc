/* kbuild-cmd: reading kbuild's saved command and dependencies, moving outputs. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/kbuild-cmd.h"

/* The shape of a 6.3+ .cmd file, written by hand. */
static const char new_style[] =
	"savedcmd_mm/vmscan.o := gcc -Wp,-MMD,mm/.vmscan.o.d -nostdinc "
	"-I./include -DKBUILD_MODFILE='\"mm/vmscan\"' -DHASH='$(pound)x' -DD='$$y' "
	"-c -o mm/vmscan.o /t/mm/vmscan.c  \n"
	"\n"
	"source_mm/vmscan.o := /t/mm/vmscan.c\n"
	"\n"
	"deps_mm/vmscan.o := \\\n"
	"    $(wildcard include/config/LRU_GEN) \\\n"
	"  /t/include/linux/kconfig.h \\\n"
	"    $(wildcard include/config/CPU_BIG_ENDIAN) \\\n"
	"  include/generated/autoconf.h \\\n"
	"\n"
	"mm/vmscan.o: $(deps_mm/vmscan.o)\n"
	"\n"
	"$(deps_mm/vmscan.o):\n"
	"\n"
	"mm/vmscan.o: $(wildcard ./tools/objtool/objtool)\n";

static void test_parse(void **state)
{
	struct kbuild_cmd c;

	(void)state;
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.o", new_style, strlen(new_style)), 0);
	assert_string_equal(c.command, "gcc -Wp,-MMD,mm/.vmscan.o.d -nostdinc -I./include "
			    "-DKBUILD_MODFILE='\"mm/vmscan\"' -DHASH='#x' -DD='$y' "
			    "-c -o mm/vmscan.o /t/mm/vmscan.c");
	assert_string_equal(c.source, "/t/mm/vmscan.c");
	assert_int_equal(c.nr_deps, 2);
	assert_string_equal(c.deps[0], "/t/include/linux/kconfig.h");
	assert_string_equal(c.deps[1], "include/generated/autoconf.h");
	assert_int_equal(c.nr_optional, 3);
	assert_string_equal(c.optional[0], "include/config/LRU_GEN");
	assert_string_equal(c.optional[1], "include/config/CPU_BIG_ENDIAN");
	assert_string_equal(c.optional[2], "./tools/objtool/objtool");
	kbuild_cmd_release(&c);
}

/* Before 6.3: "cmd_", and objtool runs on the object in the same command. */
static void test_old_style_redirect(void **state)
{
	static const char text[] =
		"cmd_mm/vmscan.o := gcc -Wp,-MMD,mm/.vmscan.o.d -c -o mm/vmscan.o "
		"/t/mm/vmscan.c   ; ./tools/objtool/objtool --orc   mm/vmscan.o\n"
		"source_mm/vmscan.o := /t/mm/vmscan.c\n"
		"deps_mm/vmscan.o := \\\n  /t/include/linux/mm.h \\\n\n";
	struct kbuild_cmd c;
	char *r;

	(void)state;
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.o", text, strlen(text)), 0);
	r = kbuild_cmd_redirect(&c, "/b/.x/mm/vmscan.o", "/b/.x/it's.d");
	assert_non_null(r);
	assert_string_equal(r, "gcc '-Wp,-MMD,/b/.x/it'\\''s.d' -c -o /b/.x/mm/vmscan.o "
			    "/t/mm/vmscan.c   ; ./tools/objtool/objtool --orc   "
			    "/b/.x/mm/vmscan.o");
	free(r);
	kbuild_cmd_release(&c);
}

/* The target inside quotes or as part of a longer word is not an output. */
static void test_redirect_words_only(void **state)
{
	static const char text[] =
		"savedcmd_mm/vmscan.i := gcc -E -DF='mm/vmscan.i' -DG=mm/vmscan.i "
		"-o mm/vmscan.i /t/mm/vmscan.c\n"
		"source_mm/vmscan.i := /t/mm/vmscan.c\n"
		"deps_mm/vmscan.i := \\\n\n";
	struct kbuild_cmd c;
	char *r;

	(void)state;
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.i", text, strlen(text)), 0);
	r = kbuild_cmd_redirect(&c, "/o/mm/vmscan.i", "/o/d");
	assert_non_null(r);
	assert_string_equal(r, "gcc -E -DF='mm/vmscan.i' -DG=mm/vmscan.i "
			    "-o /o/mm/vmscan.i /t/mm/vmscan.c");
	free(r);
	kbuild_cmd_release(&c);
}

static void test_refused(void **state)
{
	static const char no_o[] =
		"savedcmd_mm/vmscan.o := gcc -c mm/vmscan.c -DX=mm/vmscan.o\n"
		"source_mm/vmscan.o := /t/mm/vmscan.c\n"
		"deps_mm/vmscan.o := \\\n\n";
	static const char make_var[] =
		"savedcmd_mm/vmscan.o := $(CC) -c -o mm/vmscan.o mm/vmscan.c\n"
		"source_mm/vmscan.o := /t/mm/vmscan.c\n"
		"deps_mm/vmscan.o := \\\n\n";
	static const char no_deps[] =
		"savedcmd_mm/vmscan.o := gcc -c -o mm/vmscan.o mm/vmscan.c\n"
		"source_mm/vmscan.o := /t/mm/vmscan.c\n";
	struct kbuild_cmd c;

	(void)state;
	/* another target's lines are not this one's */
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.i", new_style,
					  strlen(new_style)), -1);
	assert_string_equal(error_last(), "no saved command for 'mm/vmscan.i'");
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.o", make_var, strlen(make_var)), -1);
	assert_non_null(strstr(error_last(), "make construct"));
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.o", no_deps, strlen(no_deps)), -1);
	assert_string_equal(error_last(), "no saved dependency list for 'mm/vmscan.o'");
	assert_int_equal(kbuild_cmd_parse(&c, "mm/vmscan.o", no_o, strlen(no_o)), 0);
	assert_null(kbuild_cmd_redirect(&c, "/o/x.o", "/o/x.d"));
	assert_string_equal(error_last(), "the saved command of 'mm/vmscan.o' has no "
			    "'-o mm/vmscan.o'");
	kbuild_cmd_release(&c);
}

static void test_shell_quote(void **state)
{
	char *q;

	(void)state;
	q = kbuild_shell_quote("/a/b-c_d.o");
	assert_string_equal(q, "/a/b-c_d.o");
	free(q);
	q = kbuild_shell_quote("/a b/$x");
	assert_string_equal(q, "'/a b/$x'");
	free(q);
	q = kbuild_shell_quote("");
	assert_string_equal(q, "''");
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_old_style_redirect),
		cmocka_unit_test(test_redirect_words_only),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_shell_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
