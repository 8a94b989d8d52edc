#define _GNU_SOURCE
#include "sys/savedcmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/kbuild-cmd.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"
#include "sys/repo.h"

#define RECORD_NAME ".backport-mglru-built"

/* The environment kbuild takes compiler flags or the .config's name from. */
static const char *const flag_env[] = {
	"KCFLAGS", "KCPPFLAGS", "KAFLAGS", "CFLAGS_KERNEL", "CFLAGS_MODULE",
	"LLVM", "LLVM_IAS", "W", "C", "KBUILD_EXTRA_WARN", "KCONFIG_CONFIG", "PATH",
};

char *savedcmd_key(const struct build_config *bc, const char *stamp, const char *config)
{
	struct strbuf sb = STRBUF_INIT;
	const char *cross = build_cross_compile(bc->arch);
	char hash[41], *gcc_name, *gcc;
	struct stat st;

	strbuf_addstr(&sb, "backport-mglru build key 2\n");
	strbuf_addstr(&sb, stamp);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		strbuf_addch(&sb, '\n');
	repo_hash_blob(config, strlen(config), hash);
	strbuf_addf(&sb, "config %s\ntree %s\ncc-wrapper %s\nkcflags-add %s\n", hash,
		    bc->tree, bc->cc_wrapper && *bc->cc_wrapper ? bc->cc_wrapper : "-",
		    bc->kcflags_add ? bc->kcflags_add : "-");
	gcc_name = xstrfmt("%sgcc", cross ? cross : "");
	gcc = build_which(gcc_name);
	if (gcc && !stat(gcc, &st))
		strbuf_addf(&sb, "gcc %s %lld %lld.%09ld\n", gcc, (long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		strbuf_addf(&sb, "gcc %s not found\n", gcc_name);
	free(gcc);
	free(gcc_name);
	for (size_t i = 0; i < ARRAY_SIZE(flag_env); i++) {
		const char *v = getenv(flag_env[i]);

		strbuf_addf(&sb, "env %s%s%s\n", flag_env[i], v ? "=" : "", v ? v : "");
	}
	return strbuf_detach(&sb, NULL);
}

int savedcmd_record(const char *dir, const char *key)
{
	char *path = xstrfmt("%s/" RECORD_NAME, dir);
	int ret = fs_write_atomic(path, key, strlen(key));

	free(path);
	return ret;
}

void savedcmd_forget(const char *dir)
{
	char *path = xstrfmt("%s/" RECORD_NAME, dir);

	unlink(path);
	free(path);
}

char *savedcmd_outdir(const char *dir)
{
	return xstrfmt("%s/" SAVEDCMD_OUTDIR, dir);
}

static bool newer(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec > b->st_mtim.tv_sec ||
	       (a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
		a->st_mtim.tv_nsec > b->st_mtim.tv_nsec);
}

/* A prerequisite path as make in dir sees it. */
static char *in_dir(const char *dir, const char *p)
{
	if (p[0] == '/')
		return xstrdup(p);
	if (p[0] == '.' && p[1] == '/')
		p += 2;
	return xstrfmt("%s/%s", dir, p);
}

/* 0 when no prerequisite of c is missing or newer than the target (st). */
static int up_to_date_but_source(const char *dir, const struct kbuild_cmd *c,
				 const struct stat *target)
{
	for (size_t k = 0; k < 2; k++) {
		char *const *v = k ? c->optional : c->deps;
		size_t n = k ? c->nr_optional : c->nr_deps;

		for (size_t i = 0; i < n; i++) {
			char *path;
			struct stat st;
			int bad = 0;

			if (!strcmp(v[i], c->source))
				continue;
			path = in_dir(dir, v[i]);
			if (stat(path, &st))
				bad = k ? 0 : error("'%s' (a prerequisite of %s) is missing",
						    v[i], c->target);
			else if (newer(&st, target))
				bad = error("'%s' changed since %s was built", v[i], c->target);
			free(path);
			if (bad)
				return -1;
		}
	}
	return 0;
}

/* Whether each word of flags is a word of c's command; else the first that is not. */
static bool has_flags(const struct kbuild_cmd *c, const char *flags, const char **missing,
		      size_t *missing_len)
{
	for (const char *f = flags + strspn(flags, " "); *f; f += strspn(f, " ")) {
		size_t n = strcspn(f, " ");
		bool found = false;

		for (const char *p = c->command; !found && (p = memmem(p, strlen(p), f, n));
		     p += n)
			found = (p == c->command || p[-1] == ' ') && (p[n] == ' ' || !p[n]);
		if (!found) {
			*missing = f;
			*missing_len = n;
			return false;
		}
		f += n;
	}
	return true;
}

/*
 * "<outdir>/mm/vmscan.i" for "mm/vmscan.o" when the flags make gcc save its
 * preprocessed text next to the object (-save-temps=obj), else NULL.
 */
static char *saved_temp(const struct build_config *bc, const char *out)
{
	size_t n = strlen(out);

	if (!bc->kcflags_add || !strstr(bc->kcflags_add, "-save-temps=obj") || n < 2 ||
	    strcmp(out + n - 2, ".o"))
		return NULL;
	return xstrfmt("%.*s.i", (int)(n - 2), out);
}

/* The moved command of one target, or NULL with error() set. */
static char *target_command(const struct build_config *bc, const char *outdir,
			    const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dl = slash ? (size_t)(slash - target) + 1 : 0;
	char *cmdpath = xstrfmt("%s/%.*s.%s.cmd", bc->dir, (int)dl, target, target + dl);
	char *tpath = xstrfmt("%s/%s", bc->dir, target);
	char *out = xstrfmt("%s/%s", outdir, target);
	char *depfile = xstrfmt("%s/%.*s.%s.d", outdir, (int)dl, target, target + dl);
	char *odir = xstrfmt("%s/%.*s", outdir, (int)dl, target);
	char *temp = saved_temp(bc, out);
	struct kbuild_cmd c = KBUILD_CMD_INIT;
	struct strbuf text = STRBUF_INIT;
	const char *missing;
	size_t missing_len;
	struct stat st;
	char *cmd = NULL;
	size_t tl;

	if (stat(tpath, &st)) {
		error("no '%s' from an earlier build", target);
		goto out;
	}
	if (fs_read_file(cmdpath, &text, FS_MAX_OWN) < 0 ||
	    kbuild_cmd_parse(&c, target, text.buf, text.len) < 0)
		goto out;
	tl = strlen(bc->tree);
	if (strncmp(c.source, bc->tree, tl) || c.source[tl] != '/')
		error("'%s' was built from '%s', which is not in the tree '%s'", target,
		      c.source, bc->tree);
	else if (bc->kcflags_add && !has_flags(&c, bc->kcflags_add, &missing, &missing_len))
		error("the saved command of '%s' has no '%.*s'", target, (int)missing_len,
		      missing);
	else if (up_to_date_but_source(bc->dir, &c, &st) < 0 || fs_mkdirs(odir) < 0)
		;	/* error() set */
	else if (unlink(out) && errno != ENOENT)
		error("cannot remove '%s': %s", out, strerror(errno));
	else if (temp && unlink(temp) && errno != ENOENT)
		error("cannot remove '%s': %s", temp, strerror(errno));
	else
		cmd = kbuild_cmd_redirect(&c, out, depfile);
out:
	free(temp);
	kbuild_cmd_release(&c);
	strbuf_release(&text);
	free(cmdpath);
	free(tpath);
	free(out);
	free(depfile);
	free(odir);
	return cmd;
}

char *savedcmd_script(const struct build_config *bc, const char *key,
		      const char *const *targets, size_t nr, bool parallel)
{
	char *path = xstrfmt("%s/" RECORD_NAME, bc->dir);
	char *outdir = savedcmd_outdir(bc->dir), *qdir = NULL;
	struct strbuf rec = STRBUF_INIT, sb = STRBUF_INIT;
	char *r = NULL;

	if (!fs_exists(path)) {
		error("no successful make recorded in '%s'", bc->dir);
		goto out;
	}
	if (fs_read_file(path, &rec, FS_MAX_OWN) < 0)
		goto out;
	if (strcmp(rec.buf, key)) {
		error("the configuration, compiler or environment changed since the last make");
		goto out;
	}
	qdir = kbuild_shell_quote(bc->dir);
	strbuf_addf(&sb, "cd %s || exit 1\ns=0\n", qdir);
	for (size_t i = 0; i < nr; i++) {
		char *cmd = target_command(bc, outdir, targets[i]);

		if (!cmd)
			goto out;
		if (parallel && i + 1 < nr)
			strbuf_addf(&sb, "( %s ) &\np%zu=$!\n", cmd, i);
		else
			strbuf_addf(&sb, "( %s ) || s=1\n", cmd);
		free(cmd);
	}
	for (size_t i = 0; parallel && i + 1 < nr; i++)
		strbuf_addf(&sb, "wait $p%zu || s=1\n", i);
	strbuf_addstr(&sb, "exit $s\n");
	r = strbuf_detach(&sb, NULL);
out:
	strbuf_release(&rec);
	strbuf_release(&sb);
	free(path);
	free(outdir);
	free(qdir);
	return r;
}
