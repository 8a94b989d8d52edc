/* The boot test's kernel config (core/bootconfig.h). */
#include "core/bootconfig.h"

#include <string.h>

#include "core/strbuf.h"

static const struct boot_symbol symbols[] = {
	{ "64BIT", true, true },
	{ "LRU_GEN", true, true },
	{ "LRU_GEN_ENABLED", true, true },
	{ "LRU_GEN_WALKS_MMU", true, true },	/* only where mm/Kconfig has it */
	/* KASAN needs the full SLUB */
	{ "SLUB", true, false },
	{ "SLUB_TINY", false, true },
	{ "SLOB", false, false },
	{ "KASAN", true, true },
	{ "KASAN_GENERIC", true, true },
	{ "KASAN_INLINE", true, false },
	{ "DEBUG_KERNEL", true, false },
	{ "DEBUG_FS", true, true },
	{ "DEBUG_FS_ALLOW_ALL", true, false },
	{ "PRINTK", true, true },
	{ "TTY", true, true },
	{ "SERIAL_8250", true, true },
	{ "SERIAL_8250_CONSOLE", true, true },
	{ "BLK_DEV_INITRD", true, true },
	{ "BINFMT_ELF", true, true },
	{ "PROC_FS", true, true },
	{ "SYSFS", true, true },
	{ "DEVTMPFS", true, true },
	{ "MULTIUSER", true, false },
	{ "PANIC_ON_OOPS", true, false },
	{ "KALLSYMS", true, false },
	/* gzip is quicker to compress than tinyconfig's xz */
	{ "KERNEL_GZIP", true, false },
	{ "KERNEL_XZ", false, false },
};

#define NR_SYMBOLS (sizeof(symbols) / sizeof(symbols[0]))

static struct boot_symbol without_walks[NR_SYMBOLS];

const struct boot_symbol *boot_config_symbols(bool has_walks_mmu, size_t *nr)
{
	size_t n = 0;

	if (has_walks_mmu) {
		*nr = NR_SYMBOLS;
		return symbols;
	}
	for (size_t i = 0; i < NR_SYMBOLS; i++)
		if (strcmp(symbols[i].name, "LRU_GEN_WALKS_MMU"))
			without_walks[n++] = symbols[i];
	*nr = n;
	return without_walks;
}

/* Whether text[0..len) has a line that is exactly line (no newline). */
static bool has_line(const char *text, size_t len, const char *line)
{
	size_t n = strlen(line);

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, l = end - i;

		while (l && (text[i + l - 1] == ' ' || text[i + l - 1] == '\t' ||
			     text[i + l - 1] == '\r'))
			l--;
		if (l == n && !memcmp(text + i, line, n))
			return true;
		i = end + 1;
	}
	return false;
}

bool boot_kconfig_defines(const char *kconfig, size_t len, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	bool ret;

	strbuf_addf(&sb, "config %s", name);
	ret = has_line(kconfig, len, sb.buf);
	strbuf_release(&sb);
	return ret;
}

char *boot_config_missing(const char *config, size_t len, const struct boot_symbol *syms,
			  size_t nr, bool only_required)
{
	struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;

	for (size_t i = 0; i < nr; i++) {
		bool ok;

		if (only_required && !syms[i].required)
			continue;
		strbuf_reset(&want);
		strbuf_addf(&want, "CONFIG_%s=y", syms[i].name);
		ok = has_line(config, len, want.buf);
		if (!syms[i].enable)
			ok = !ok;
		if (ok)
			continue;
		if (out.len)
			strbuf_addch(&out, ' ');
		if (!syms[i].enable)
			strbuf_addch(&out, '!');
		strbuf_addstr(&out, syms[i].name);
	}
	strbuf_release(&want);
	if (!out.len) {
		strbuf_release(&out);
		return NULL;
	}
	return strbuf_detach(&out, NULL);
}
