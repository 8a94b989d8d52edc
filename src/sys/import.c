#include "sys/import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/fixconf.h"
#include "sys/fsutil.h"

int import_read(struct import_plan *ip, const char *path, const struct import_opts *o)
{
	struct strbuf text = STRBUF_INIT;
	struct patch p = PATCH_INIT;
	int ret = -1;

	memset(ip, 0, sizeof(*ip));
	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0)
		goto out;
	if (memchr(text.buf, '\0', text.len)) {
		error("'%s' is not a patch: it holds NUL bytes", path);
		goto out;
	}
	if (patch_parse(&p, path, text.buf, text.len, 1) < 0 ||
	    import_plan_make(ip, &p, text.buf, text.len, path, o) < 0)
		goto out;
	ret = 0;
out:
	patch_release(&p);
	strbuf_release(&text);
	return ret;
}

/* Reads the folder back as the catalogue would: descriptor, then patch. */
static int read_back(const char *tmp, const char *id)
{
	struct fix_desc fix;
	struct strbuf text = STRBUF_INIT;
	char *conf = xstrfmt("%s/fix.conf", tmp), *pp = NULL;
	int ret = -1;

	fix_desc_init(&fix);
	if (fixconf_read(&fix, conf, id) < 0)
		goto out;
	pp = xstrfmt("%s/%s", tmp, fix.patch_name);
	fix.patch = xcalloc(1, sizeof(*fix.patch));
	if (fs_read_file(pp, &text, FS_MAX_INPUT) < 0 ||
	    patch_parse(fix.patch, fix.patch_name, text.buf, text.len, 1) < 0 ||
	    fix_desc_check_patch(&fix, conf) < 0)
		goto out;
	ret = 0;
out:
	strbuf_release(&text);
	fix_desc_release(&fix);
	free(conf);
	free(pp);
	return ret;
}

int import_write(const struct import_plan *ip, const char *path, const char *dir,
		 const struct catalogue *cat, char **folder)
{
	struct strbuf text = STRBUF_INIT;
	char *final = xstrfmt("%s/%s", dir, ip->id), *tmp = NULL, *file = NULL;
	int ret = -1;

	*folder = NULL;
	if (cat && catalogue_find(cat, ip->id)) {
		error("a fix '%s' is already in the catalogue ('%s'): give another --id",
		      ip->id, catalogue_find(cat, ip->id)->conf_path);
		goto out;
	}
	if (fs_exists(final)) {
		error("'%s' already exists: give another --id", final);
		goto out;
	}
	if (fs_mkdirs(dir) < 0 || fs_read_file(path, &text, FS_MAX_INPUT) < 0 ||
	    fs_tmpdir_beside(final, &tmp) < 0)
		goto out;
	file = xstrfmt("%s/%s", tmp, ip->patch_name);
	if (fs_write_atomic(file, text.buf, text.len) < 0)
		goto out;
	free(file);
	file = xstrfmt("%s/fix.conf", tmp);
	if (fs_write_atomic(file, ip->conf, strlen(ip->conf)) < 0 || read_back(tmp, ip->id) < 0)
		goto out;
	/* mkdtemp made it 0700: the folder gets the umask's mode, as outputs do */
	if (chmod(tmp, 0777 & ~fs_umask()) < 0 || rename(tmp, final) < 0) {
		error("cannot rename '%s' to '%s': %s", tmp, final, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	*folder = final;
	final = NULL;
	ret = 0;
out:
	if (tmp) {
		fs_remove_tree(tmp);
		free(tmp);
	}
	free(file);
	free(final);
	strbuf_release(&text);
	return ret;
}
