/* The boot test's kernel config (core/bootconfig.h). */
#include "core/bootconfig.h"

#include <string.h>

#include "core/strbuf.h"

static const struct boot_symbol symbols[] = {
	{ "64BIT", true, true, NULL },
	{ "LRU_GEN", true, true, NULL },
	{ "LRU_GEN_ENABLED", true, true, NULL },
	{ "LRU_GEN_WALKS_MMU", true, true, NULL },	/* only where mm/Kconfig has it */
	/* the walk needs the hardware to set the access flag */
	{ "ARM64_HW_AFDBM", true, true, "arm64" },
	/* KASAN needs the full SLUB */
	{ "SLUB", true, false, NULL },
	{ "SLUB_TINY", false, true, NULL },
	{ "SLOB", false, false, NULL },
	{ "KASAN", true, true, NULL },
	{ "KASAN_GENERIC", true, true, NULL },
	{ "KASAN_INLINE", true, false, NULL },
	{ "DEBUG_KERNEL", true, false, NULL },
	{ "DEBUG_FS", true, true, NULL },
	{ "DEBUG_FS_ALLOW_ALL", true, false, NULL },
	{ "PRINTK", true, true, NULL },
	{ "TTY", true, true, NULL },
	{ "SERIAL_8250", true, true, "x86_64" },
	{ "SERIAL_8250_CONSOLE", true, true, "x86_64" },
	{ "ARM_AMBA", true, false, "arm64" },
	{ "SERIAL_AMBA_PL011", true, true, "arm64" },
	{ "SERIAL_AMBA_PL011_CONSOLE", true, true, "arm64" },
	{ "BLK_DEV_INITRD", true, true, NULL },
	{ "BINFMT_ELF", true, true, NULL },
	{ "PROC_FS", true, true, NULL },
	{ "SYSFS", true, true, NULL },
	{ "DEVTMPFS", true, true, NULL },
	{ "MULTIUSER", true, false, NULL },
	{ "PANIC_ON_OOPS", true, false, NULL },
	{ "KALLSYMS", true, false, NULL },
	/* gzip is quicker to compress than tinyconfig's xz */
	{ "KERNEL_GZIP", true, false, "x86_64" },
	{ "KERNEL_XZ", false, false, "x86_64" },
};

#define NR_SYMBOLS (sizeof(symbols) / sizeof(symbols[0]))

static struct boot_symbol selected[NR_SYMBOLS];

const struct boot_symbol *boot_config_symbols(const char *arch, bool has_walks_mmu, size_t *nr)
{
	size_t n = 0;

	*nr = 0;
	if (strcmp(arch, "x86_64") && strcmp(arch, "arm64"))
		return NULL;
	for (size_t i = 0; i < NR_SYMBOLS; i++) {
		if (symbols[i].arch && strcmp(symbols[i].arch, arch))
			continue;
		if (!has_walks_mmu && !strcmp(symbols[i].name, "LRU_GEN_WALKS_MMU"))
			continue;
		selected[n++] = symbols[i];
	}
	*nr = n;
	return selected;
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
