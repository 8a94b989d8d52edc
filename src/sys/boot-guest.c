/*
 * The boot test's guest side (sys/boot-internal.h): the guest program
 * compiled with the host's gcc -static, the initramfs that holds it, and
 * the qemu run whose console goes to a log file.
 */
#define _GNU_SOURCE
#include "sys/boot-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cpio.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/fsutil.h"

#define GUEST_REL "guest/lru-walk.c"

static const char *const x86_64_machine[] = { "-vga", "none", NULL };
/* pauth-impdef: TCG's own pointer authentication, much quicker than QARMA */
static const char *const arm64_machine[] = { "-M", "virt", "-cpu", "max,pauth-impdef=on", NULL };

static const struct boot_arch arches[] = {
	{ "x86_64", "qemu-system-x86_64", "qemu-system-x86", "bzImage", "arch/x86/boot/bzImage",
	  "gcc", "build-essential", "ttyS0", x86_64_machine },
	{ "arm64", "qemu-system-aarch64", "qemu-system-arm", "Image", "arch/arm64/boot/Image",
	  "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu libc6-dev-arm64-cross", "ttyAMA0",
	  arm64_machine },
};

const struct boot_arch *boot_arch_find(const char *name)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i].name, name))
			return &arches[i];
	return NULL;
}

char *boot_guest_source(void)
{
	char *source = xstrfmt("%s/src/%s", BACKPORT_MGLRU_SOURCE_DIR, GUEST_REL);
	char *installed;

	if (fs_exists(source))
		return source;
	installed = xstrfmt("%s/%s", BACKPORT_MGLRU_DATADIR, GUEST_REL);
	if (fs_exists(installed)) {
		free(source);
		return installed;
	}
	free(installed);
	return source;		/* the error names the source tree's path */
}

int boot_build_guest(const struct boot_arch *arch, const char *root, const char *log,
		     char **init_path)
{
	char *src = boot_guest_source();
	char *dir = xstrfmt("%s/boot", root);
	char *out = xstrfmt("%s/lru-walk-init-%s", dir, arch->name);
	char *tmp = xstrfmt("%s.tmp-%ld", out, (long)getpid());
	struct build_argv a = BUILD_ARGV_INIT;
	enum build_status st;
	int code, ret = -1;

	if (!fs_exists(src)) {
		error("cannot find the guest program '%s'", src);
		goto out;
	}
	if (!build_find_program(arch->cc)) {
		error("cannot compile the guest program: %s not found (install %s)", arch->cc,
		      arch->cc_package);
		goto out;
	}
	if (fs_mkdirs(dir) < 0)
		goto out;
	build_argv_push(&a, arch->cc);
	build_argv_push(&a, "-static");
	build_argv_push(&a, "-O2");
	build_argv_push(&a, "-Wall");
	build_argv_push(&a, "-o");
	build_argv_push(&a, tmp);
	build_argv_push(&a, src);
	if (build_run((const char *const *)a.v, log, 120, &st, &code) < 0)
		goto out;
	if (st != BUILD_EXITED || code) {
		unlink(tmp);
		error("cannot compile the guest program '%s' with %s -static (see '%s'; "
		      "install %s for the static libc)", src, arch->cc, log, arch->cc_package);
		goto out;
	}
	if (rename(tmp, out)) {
		error("cannot rename '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	*init_path = out;
	out = NULL;
	ret = 0;
out:
	build_argv_release(&a);
	free(tmp);
	free(out);
	free(dir);
	free(src);
	return ret;
}

int boot_write_initramfs(const char *init_path, const char *cpio_path)
{
	struct strbuf init = STRBUF_INIT;
	struct cpio c = CPIO_INIT;
	int ret = -1;

	if (fs_read_file(init_path, &init, FS_MAX_OWN) < 0)
		goto out;
	cpio_add_dir(&c, "dev", 0755);
	cpio_add_chardev(&c, "dev/console", 0600, 5, 1);
	cpio_add_dir(&c, "proc", 0755);
	cpio_add_dir(&c, "sys", 0755);
	cpio_add_file(&c, "init", 0755, init.buf, init.len);
	cpio_finish(&c);
	ret = fs_write_atomic(cpio_path, c.buf.buf, c.buf.len);
out:
	cpio_release(&c);
	strbuf_release(&init);
	return ret;
}

void boot_qemu_argv(const struct boot_arch *arch, const char *qemu, const char *kernel,
		    const char *initrd, long rounds, struct build_argv *a)
{
	build_argv_push(a, qemu);
	for (const char *const *m = arch->machine; *m; m++)
		build_argv_push(a, *m);
	build_argv_push(a, "-accel");
	build_argv_push(a, "tcg");
	build_argv_push(a, "-m");
	build_argv_push(a, "512M");
	build_argv_push(a, "-smp");
	build_argv_push(a, "1");
	build_argv_push(a, "-display");
	build_argv_push(a, "none");
	build_argv_push(a, "-monitor");
	build_argv_push(a, "none");
	build_argv_push(a, "-serial");
	build_argv_push(a, "stdio");
	build_argv_push(a, "-no-reboot");
	build_argv_push(a, "-kernel");
	build_argv_push(a, kernel);
	build_argv_push(a, "-initrd");
	build_argv_push(a, initrd);
	build_argv_push(a, "-append");
	/* a KASAN report or a warning panics, and the panic reboots at once,
	   which -no-reboot turns into qemu's exit */
	build_argv_pushf(a, "console=%s panic=-1 panic_on_warn=1 oops=panic "
			 "rdinit=/init lru_walk_rounds=%ld", arch->console, rounds);
}

int boot_run_guest(const struct build_argv *argv, const char *console, double timeout,
		   struct boot_test *t)
{
	struct strbuf log = STRBUF_INIT;
	enum build_status st;
	double start = build_now();
	int code;

	if (unlink(console) && errno != ENOENT)
		return error("cannot remove '%s': %s", console, strerror(errno));
	if (build_run((const char *const *)argv->v, console, timeout, &st, &code) < 0)
		return -1;
	t->guest_seconds = build_now() - start;
	if (st == BUILD_INTERRUPTED) {
		t->outcome = BOOT_INTERRUPTED;
		return 0;
	}
	if (fs_read_file(console, &log, FS_MAX_OWN) < 0)
		return -1;
	boot_judge(log.buf, log.len, st == BUILD_TIMEOUT, &t->verdict);
	t->outcome = BOOT_RAN;
	strbuf_release(&log);
	return 0;
}
