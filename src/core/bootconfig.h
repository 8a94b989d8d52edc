/*
 * The boot test's kernel config: tinyconfig plus what the test needs, and
 * the check that `make olddefconfig` kept it (a symbol whose dependencies
 * are missing is dropped silently; the test would then prove nothing).
 */
#ifndef BM_BOOTCONFIG_H
#define BM_BOOTCONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* The make target the config starts from. */
#define BOOT_CONFIG_BASE "tinyconfig"

struct boot_symbol {
	const char *name;	/* without CONFIG_ */
	bool enable;		/* --enable, or --disable */
	bool required;		/* the test is refused when the .config disagrees */
	const char *arch;	/* only for this arch; NULL: all */
};

/*
 * The symbols for arch ("x86_64", "arm64"), in the order given to
 * scripts/config.  has_walks_mmu says the tree's mm/Kconfig has
 * LRU_GEN_WALKS_MMU (6.8+); it is required there.  *nr gets the count;
 * NULL for an unknown arch.  The array is static: valid until the next call.
 */
const struct boot_symbol *boot_config_symbols(const char *arch, bool has_walks_mmu,
					      size_t *nr);

/* Whether a Kconfig file's text defines "config NAME". */
bool boot_kconfig_defines(const char *kconfig, size_t len, const char *name);

/*
 * The symbols of syms[0..nr) that config[0..len) (a .config) does not have
 * as asked, as one line ("KASAN LRU_GEN_WALKS_MMU"), required ones only
 * when only_required; NULL when all are there.  Caller frees.
 */
char *boot_config_missing(const char *config, size_t len, const struct boot_symbol *syms,
			  size_t nr, bool only_required);

#endif
