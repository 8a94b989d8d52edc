/*
 * The boot test's run (sys/boot.h): the cache lock, and for each test the
 * tree export, the kernel's configure and build; the guest side is in
 * boot-guest.c.
 */
#define _GNU_SOURCE
#include "sys/boot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/bootconfig.h"
#include "core/diag.h"
#include "core/error.h"
#include "core/kversion.h"
#include "core/xalloc.h"
#include "sys/boot-internal.h"
#include "sys/fsutil.h"
#include "sys/treecache.h"

/* One test's paths and state. */
struct boot_ctx {
	const struct boot_job *job;
	const struct boot_opts *o;
	const struct boot_arch *arch;
	struct boot_test *t;
	char *root;		/* the cache */
	char tree_name[32];	/* "6.12.y" */
	char *tree, *dir, *stamp_path, *stamp_text;
	struct build_config bc;
	bool show;
};

static void progress(const struct boot_ctx *c, const char *step)
{
	if (c->show)
		fprintf(stderr, "boot: %s %s%s: %s\n", c->t->branch, c->t->arch,
			c->job->control ? " (control)" : "", step);
}

static int lock_cache(const char *root, const struct boot_opts *o, int *fd_out)
{
	char *path = xstrfmt("%s/lock", root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644), ret = -1;

	if (fd < 0) {
		error("cannot open lock '%s': %s", path, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | (o->wait_for_lock ? 0 : LOCK_NB))) {
		error("cannot lock cache '%s': %s", root, errno == EWOULDBLOCK ?
		      "another backport-mglru run is using it" : strerror(errno));
		goto out;
	}
	*fd_out = fd;
	fd = -1;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

/* Runs argv to the end with its output in the build log; false (t set) unless it exited 0. */
static bool run_step(struct boot_ctx *c, const struct build_argv *a, const char *what)
{
	enum build_status st;
	int code;

	if (build_run((const char *const *)a->v, c->t->build_log, c->o->build_timeout, &st,
		      &code) < 0) {
		c->t->outcome = BOOT_FAILED;
		c->t->detail = xstrdup(error_last());
		return false;
	}
	if (st == BUILD_INTERRUPTED) {
		c->t->outcome = BOOT_INTERRUPTED;
		return false;
	}
	if (st == BUILD_TIMEOUT) {
		c->t->outcome = BOOT_BUILD_TIMEOUT;
		c->t->detail = xstrfmt("%s: killed after %.0f s", what, c->o->build_timeout);
		return false;
	}
	if (code) {
		c->t->outcome = BOOT_BUILD_FAILED;
		c->t->detail = xstrfmt("%s failed (exit %d)", what, code);
		return false;
	}
	return true;
}

static bool tree_has_walks_mmu(const struct boot_ctx *c)
{
	struct strbuf k = STRBUF_INIT;
	char *path = xstrfmt("%s/mm/Kconfig", c->tree);
	bool ret = fs_read_file(path, &k, FS_MAX_OWN) == 0 &&
		   boot_kconfig_defines(k.buf, k.len, "LRU_GEN_WALKS_MMU");

	strbuf_release(&k);
	free(path);
	return ret;
}

/* tinyconfig, scripts/config, olddefconfig, unless the stamp matches; then the check. */
static bool configure(struct boot_ctx *c)
{
	const char *const base[] = { BOOT_CONFIG_BASE }, *const olddef[] = { "olddefconfig" };
	struct build_argv a = BUILD_ARGV_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *config = xstrfmt("%s/.config", c->dir), *missing = NULL;
	size_t nr;
	const struct boot_symbol *syms = boot_config_symbols(c->arch->name, tree_has_walks_mmu(c),
							     &nr);
	bool ok = false;

	strbuf_addf(&sb, "boot config 1\ncommit %s\narch %s\nbase %s\nsymbols", c->job->branch->commit,
		    c->job->arch, BOOT_CONFIG_BASE);
	for (size_t i = 0; i < nr; i++)
		strbuf_addf(&sb, " %s%s", syms[i].enable ? "" : "!", syms[i].name);
	strbuf_addch(&sb, '\n');
	c->stamp_text = strbuf_detach(&sb, NULL);
	if (!fs_exists(config) || fs_read_file(c->stamp_path, &sb, FS_MAX_OWN) < 0 ||
	    strcmp(sb.buf, c->stamp_text)) {
		unlink(c->stamp_path);
		progress(c, "configure (" BOOT_CONFIG_BASE " + the test's symbols)");
		c->t->configured = true;
		build_make_argv(&c->bc, false, base, 1, &a);
		if (!run_step(c, &a, "make " BOOT_CONFIG_BASE))
			goto fail;
		build_argv_release(&a);
		build_argv_pushf(&a, "%s/scripts/config", c->tree);
		build_argv_push(&a, "--file");
		build_argv_push(&a, config);
		for (size_t i = 0; i < nr; i++) {
			build_argv_push(&a, syms[i].enable ? "--enable" : "--disable");
			build_argv_push(&a, syms[i].name);
		}
		if (!run_step(c, &a, "scripts/config"))
			goto fail;
		build_argv_release(&a);
		build_make_argv(&c->bc, false, olddef, 1, &a);
		if (!run_step(c, &a, "make olddefconfig"))
			goto fail;
		if (fs_write_atomic(c->stamp_path, c->stamp_text, strlen(c->stamp_text)) < 0) {
			c->t->outcome = BOOT_FAILED;
			c->t->detail = xstrdup(error_last());
			goto out;
		}
	}
	if (fs_read_file(config, &sb, FS_MAX_OWN) < 0) {
		c->t->outcome = BOOT_FAILED;
		c->t->detail = xstrdup(error_last());
		goto out;
	}
	missing = boot_config_missing(sb.buf, sb.len, syms, nr, true);
	if (missing) {
		c->t->outcome = BOOT_CONFIG_FAILED;
		c->t->detail = xstrfmt("'%s' does not set what the test needs "
				       "(after olddefconfig): %s", config, missing);
		goto out;
	}
	c->t->missing = boot_config_missing(sb.buf, sb.len, syms, nr, false);
	ok = true;
	goto out;
fail:
	if (c->t->outcome == BOOT_BUILD_FAILED)
		c->t->outcome = BOOT_CONFIG_FAILED;
out:
	build_argv_release(&a);
	strbuf_release(&sb);
	free(missing);
	free(config);
	return ok;
}

/* The build failed: the first error at file:line, as check reports it. */
static void build_error(struct boot_ctx *c)
{
	struct strbuf log = STRBUF_INIT;
	struct diag_list l = DIAG_LIST_INIT;
	const char *roots[] = { c->tree, c->dir };
	const struct diag *e;

	if (fs_read_file(c->t->build_log, &log, FS_MAX_OWN) < 0)
		return;
	diag_parse(&l, log.buf, log.len, roots, 2);
	e = diag_first_error(&l);
	if (e) {
		char *s = diag_format(e);

		free(c->t->detail);
		c->t->detail = xstrfmt("make %s: error at %s", c->arch->target, s);
		free(s);
	}
	diag_list_release(&l);
	strbuf_release(&log);
}

static void run_one(struct boot_ctx *c, struct repo *r, const char *qemu, char **init_path)
{
	const struct boot_job *job = c->job;
	struct boot_test *t = c->t;
	const char *const bz[] = { c->arch->target };
	char *make_what = xstrfmt("make %s", c->arch->target);
	struct build_argv a = BUILD_ARGV_INIT;
	const char *kind = job->control ? "-control" : "";
	char *kernel = NULL, *cpio = NULL;
	double start = build_now(), build_start;
	int rc;

	if (job->branch->has_version)
		kversion_format_line(&job->branch->version, c->tree_name, sizeof(c->tree_name));
	else
		snprintf(c->tree_name, sizeof(c->tree_name), "%.12s", job->branch->commit);
	c->tree = treecache_path(c->root, c->tree_name);
	c->dir = xstrfmt("%s/boot/%s-%s", c->root, c->tree_name, job->arch);
	c->stamp_path = xstrfmt("%s/.backport-mglru-boot-configured", c->dir);
	t->build_dir = xstrdup(c->dir);
	t->build_log = xstrfmt("%s/build%s.log", c->dir, kind);
	t->console_log = xstrfmt("%s/console%s.log", c->dir, kind);
	c->bc.tree = c->tree;
	c->bc.dir = c->dir;
	c->bc.arch = job->arch;
	c->bc.cc_wrapper = c->o->cc_wrapper;
	c->bc.jobs = c->o->make_jobs;
	if (fs_mkdirs(c->dir) < 0 || (unlink(t->build_log) && errno != ENOENT &&
				      error("cannot remove '%s': %s", t->build_log,
					    strerror(errno)))) {
		t->outcome = BOOT_FAILED;
		t->detail = xstrdup(error_last());
		goto out;
	}
	if (!*init_path) {
		progress(c, "compile the guest program (gcc -static)");
		if (boot_build_guest(c->arch, c->root, t->build_log, init_path) < 0) {
			t->outcome = BOOT_FAILED;
			t->detail = xstrdup(error_last());
			goto out;
		}
	}
	progress(c, job->control ? "export tree (only the unpin converted)" : "export tree");
	rc = treecache_export(r, c->root, c->tree_name, job->branch->commit, job->files,
			      job->nr_files, NULL);
	if (rc == TREECACHE_EINTR) {
		t->outcome = BOOT_INTERRUPTED;
		goto out;
	}
	if (rc < 0) {
		t->outcome = BOOT_FAILED;
		t->detail = xstrdup(error_last());
		goto out;
	}
	build_start = build_now();
	if (!configure(c))
		goto build_done;
	progress(c, make_what);
	build_make_argv(&c->bc, false, bz, 1, &a);
	if (!run_step(c, &a, make_what)) {
		if (t->outcome == BOOT_BUILD_FAILED)
			build_error(c);
		goto build_done;
	}
	build_argv_release(&a);
	t->build_seconds = build_now() - build_start;
	kernel = xstrfmt("%s/%s", c->dir, c->arch->image);
	cpio = xstrfmt("%s/initramfs.cpio", c->dir);
	if (boot_write_initramfs(*init_path, cpio) < 0) {
		t->outcome = BOOT_FAILED;
		t->detail = xstrdup(error_last());
		goto out;
	}
	progress(c, "boot in qemu (TCG)");
	boot_qemu_argv(c->arch, qemu, kernel, cpio,
		       c->o->rounds > 0 ? c->o->rounds : BOOT_ROUNDS, &a);
	if (boot_run_guest(&a, t->console_log, c->o->guest_timeout > 0 ? c->o->guest_timeout :
			   BOOT_GUEST_TIMEOUT, t) < 0) {
		t->outcome = BOOT_FAILED;
		t->detail = xstrdup(error_last());
	}
	goto out;
build_done:
	t->build_seconds = build_now() - build_start;
out:
	t->seconds = build_now() - start;
	build_argv_release(&a);
	free(make_what);
	free(kernel);
	free(cpio);
}

static void ctx_release(struct boot_ctx *c)
{
	free(c->tree);
	free(c->dir);
	free(c->stamp_path);
	free(c->stamp_text);
}

static bool show_progress(const struct boot_opts *o)
{
	return o->progress < 0 ? isatty(2) : o->progress > 0;
}

int boot_run(struct repo *r, const struct boot_job *jobs, size_t nr,
	     const struct boot_opts *opts, struct boot_test *out)
{
	struct boot_opts defaults = BOOT_OPTS_INIT, o = opts ? *opts : defaults;
	char *root = o.cache ? fs_absolute(o.cache) : cache_root();
	const char *qemu_env = getenv("BACKPORT_MGLRU_QEMU");
	char *init_paths[2] = { NULL, NULL };	/* by arch, as boot-guest.c lists them */
	int lock_fd = -1, ret = -1;
	bool interrupted = false;

	memset(out, 0, nr * sizeof(*out));
	if (o.make_jobs <= 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		o.make_jobs = cores > 0 ? (int)cores : 1;
	}
	build_signals_install();
	if (fs_mkdirs(root) < 0 || lock_cache(root, &o, &lock_fd) < 0)
		goto out;
	for (size_t i = 0; i < nr; i++) {
		struct boot_ctx c = { 0 };
		struct boot_test *t = &out[i];
		const struct boot_arch *arch = boot_arch_find(jobs[i].arch);
		const char *qemu_name = qemu_env && *qemu_env ? qemu_env :
					arch ? arch->qemu : NULL;
		char *qemu = qemu_name ? build_which(qemu_name) : NULL;

		c.job = &jobs[i];
		c.o = &o;
		c.arch = arch;
		c.t = t;
		c.root = root;
		c.show = show_progress(&o);
		t->branch = xstrdup(jobs[i].branch->label);
		t->arch = xstrdup(jobs[i].arch);
		t->control = jobs[i].control;
		if (interrupted) {
			t->outcome = BOOT_INTERRUPTED;
		} else if (!arch) {
			t->outcome = BOOT_SKIPPED;
			t->detail = xstrdup("boot tests run on x86_64 and arm64 only");
		} else if (!qemu) {
			t->outcome = BOOT_NO_QEMU;
			t->detail = xstrfmt("'%s' not found (install %s)", qemu_name,
					    arch->qemu_package);
		} else {
			run_one(&c, r, qemu, &init_paths[strcmp(arch->name, "x86_64") != 0]);
		}
		interrupted |= t->outcome == BOOT_INTERRUPTED || build_interrupted();
		if (interrupted && t->outcome != BOOT_SKIPPED && t->outcome != BOOT_NO_QEMU)
			t->outcome = BOOT_INTERRUPTED;
		ctx_release(&c);
		free(qemu);
	}
	ret = 0;
out:
	if (lock_fd >= 0)
		close(lock_fd);
	build_signals_restore();
	free(init_paths[0]);
	free(init_paths[1]);
	free(root);
	return ret;
}
