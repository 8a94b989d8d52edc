/* The boot test's pieces shared by src/sys/boot*.c only (see sys/boot.h). */
#ifndef BM_BOOT_INTERNAL_H
#define BM_BOOT_INTERNAL_H

#include "core/report-boot.h"
#include "sys/boot.h"
#include "sys/build.h"

/* What booting one arch takes. */
struct boot_arch {
	const char *name;	/* "x86_64" */
	const char *qemu;	/* "qemu-system-x86_64" */
	const char *qemu_package;	/* the Debian package that has it */
	const char *target;	/* the make target: "bzImage" */
	const char *image;	/* its path in the build directory */
	const char *cc;		/* the guest's compiler: "gcc" */
	const char *cc_package;
	const char *console;	/* "ttyS0" */
	const char *const *machine;	/* qemu arguments of its own, NULL-terminated */
};

/* NULL for an arch the boot test does not know. */
const struct boot_arch *boot_arch_find(const char *name);

/*
 * Compiles the guest program with the arch's gcc -static into
 * <root>/boot/lru-walk-init-<arch> (compiler output appended to log);
 * *init_path gets that path (caller frees).  -1 with error() set.
 */
int boot_build_guest(const struct boot_arch *a, const char *root, const char *log,
		     char **init_path);

/* Writes the initramfs (/init, /dev/console, /proc, /sys) atomically. -1 with error(). */
int boot_write_initramfs(const char *init_path, const char *cpio_path);

/* The qemu command line for kernel and initrd. */
void boot_qemu_argv(const struct boot_arch *arch, const char *qemu, const char *kernel,
		    const char *initrd, long rounds, struct build_argv *a);

/*
 * Runs argv with the console written to console (replaced), killed after
 * timeout seconds, and judges the log into t (outcome BOOT_RAN, or
 * BOOT_INTERRUPTED).  -1 with error() set when qemu cannot start or the log
 * cannot be read.
 */
int boot_run_guest(const struct build_argv *argv, const char *console, double timeout,
		   struct boot_test *t);

#endif
