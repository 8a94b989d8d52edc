/* bootconfig: the boot test's symbols and the .config check. */
#include "testlib.h"

#include <string.h>

#include "core/bootconfig.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

static const char kconfig[] =
	"config LRU_GEN\n\tbool \"Multi-Gen LRU\"\n\n"
	"config LRU_GEN_WALKS_MMU \n\tdef_bool y\n"
	"config LRU_GEN_STATS\n";

static void test_kconfig_defines(void **state)
{
	(void)state;
	assert_true(boot_kconfig_defines(kconfig, strlen(kconfig), "LRU_GEN"));
	assert_true(boot_kconfig_defines(kconfig, strlen(kconfig), "LRU_GEN_WALKS_MMU"));
	/* a prefix of a defined name is not defined */
	assert_false(boot_kconfig_defines(kconfig, strlen(kconfig), "LRU_GEN_WALKS"));
	assert_false(boot_kconfig_defines(kconfig, strlen(kconfig), "LRU_GEN_ENABLED"));
}

static void test_walks_mmu_only_where_defined(void **state)
{
	size_t with, without;
	const struct boot_symbol *s;
	bool found = false;

	(void)state;
	boot_config_symbols("x86_64", true, &with);
	s = boot_config_symbols("x86_64", false, &without);
	assert_int_equal(without + 1, with);
	for (size_t i = 0; i < without; i++)
		found |= !strcmp(s[i].name, "LRU_GEN_WALKS_MMU");
	assert_false(found);
}

/* A .config with every symbol as asked, minus the ones named in drop. */
static char *config_without(const struct boot_symbol *s, size_t nr, const char *drop)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "#\n# Automatically generated file; DO NOT EDIT.\n#\n");
	for (size_t i = 0; i < nr; i++) {
		if (s[i].enable && strcmp(s[i].name, drop))
			strbuf_addf(&sb, "CONFIG_%s=y\n", s[i].name);
		else
			strbuf_addf(&sb, "# CONFIG_%s is not set\n", s[i].name);
	}
	return strbuf_detach(&sb, NULL);
}

static void test_missing(void **state)
{
	size_t nr;
	const struct boot_symbol *s = boot_config_symbols("x86_64", true, &nr);
	char *cfg = config_without(s, nr, "");
	char *m;

	(void)state;
	assert_null(boot_config_missing(cfg, strlen(cfg), s, nr, false));
	free(cfg);

	cfg = config_without(s, nr, "KASAN");
	m = boot_config_missing(cfg, strlen(cfg), s, nr, true);
	assert_non_null(m);
	assert_string_equal(m, "KASAN");
	free(m);
	free(cfg);

	/* not required: reported only when asked for all */
	cfg = config_without(s, nr, "PANIC_ON_OOPS");
	assert_null(boot_config_missing(cfg, strlen(cfg), s, nr, true));
	m = boot_config_missing(cfg, strlen(cfg), s, nr, false);
	assert_string_equal(m, "PANIC_ON_OOPS");
	free(m);
	free(cfg);

	/* a symbol to disable that olddefconfig turned on */
	cfg = xstrfmt("%s", "CONFIG_SLUB_TINY=y\n");
	m = boot_config_missing(cfg, strlen(cfg), s, nr, true);
	assert_contains(m, "!SLUB_TINY");
	assert_contains(m, "LRU_GEN_WALKS_MMU");
	free(m);
	free(cfg);
}

static bool has(const struct boot_symbol *s, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(s[i].name, name))
			return true;
	return false;
}

static void test_per_arch(void **state)
{
	size_t nr;
	const struct boot_symbol *s;

	(void)state;
	s = boot_config_symbols("x86_64", true, &nr);
	assert_true(has(s, nr, "SERIAL_8250_CONSOLE"));
	assert_false(has(s, nr, "SERIAL_AMBA_PL011"));
	assert_true(has(s, nr, "KASAN"));
	s = boot_config_symbols("arm64", true, &nr);
	assert_true(has(s, nr, "SERIAL_AMBA_PL011_CONSOLE"));
	assert_true(has(s, nr, "ARM64_HW_AFDBM"));
	assert_false(has(s, nr, "SERIAL_8250"));
	assert_true(has(s, nr, "KASAN"));
	assert_null(boot_config_symbols("riscv", true, &nr));
	assert_int_equal(nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kconfig_defines),
		cmocka_unit_test(test_walks_mmu_only_where_defined),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_per_arch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
