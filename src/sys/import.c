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

int import_read(struct import_series *s, const char *path, const struct import_opts *o)
{
	struct strbuf text = STRBUF_INIT;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0)
		goto out;
	if (memchr(text.buf, '\0', text.len)) {
		error("'%s' is not a patch: it holds NUL bytes", path);
		goto out;
	}
	ret = import_series_make(s, text.buf, text.len, path, o);
out:
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

/* Whether a fix of that id is already in cat or dir: error() set when it is. */
static bool id_is_taken(const char *id, const char *dir, const struct catalogue *cat)
{
	char *final = xstrfmt("%s/%s", dir, id);
	bool taken = true;

	if (cat && catalogue_find(cat, id))
		error("a fix '%s' is already in the catalogue ('%s'): give another --id", id,
		      catalogue_find(cat, id)->conf_path);
	else if (fs_exists(final))
		error("'%s' already exists: give another --id", final);
	else
		taken = false;
	free(final);
	return taken;
}

/* ip's folder in a temporary directory beside dir/<id>, read back; *tmp set. */
static int write_beside(const struct import_plan *ip, const char *dir, char **tmp)
{
	char *final = xstrfmt("%s/%s", dir, ip->id), *file = NULL;
	int ret = -1;

	*tmp = NULL;
	if (fs_tmpdir_beside(final, tmp) < 0)
		goto out;
	file = xstrfmt("%s/%s", *tmp, ip->patch_name);
	if (fs_write_atomic(file, ip->patch_text, ip->patch_len) < 0)
		goto out;
	free(file);
	file = xstrfmt("%s/fix.conf", *tmp);
	if (fs_write_atomic(file, ip->conf, strlen(ip->conf)) < 0 || read_back(*tmp, ip->id) < 0)
		goto out;
	/* mkdtemp made it 0700: the folder gets the umask's mode, as outputs do */
	if (chmod(*tmp, 0777 & ~fs_umask()) < 0) {
		error("cannot chmod '%s': %s", *tmp, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	free(file);
	free(final);
	return ret;
}

int import_write(const struct import_series *s, const char *dir,
		 const struct catalogue *cat, char ***folders)
{
	char **tmp = xcalloc(s->nr + 1, sizeof(*tmp));
	char **final = xcalloc(s->nr + 1, sizeof(*final));
	size_t nr_renamed = 0;
	int ret = -1;

	*folders = NULL;
	for (size_t i = 0; i < s->nr; i++) {
		final[i] = xstrfmt("%s/%s", dir, s->plans[i].id);
		if (id_is_taken(s->plans[i].id, dir, cat))
			goto out;
	}
	if (fs_mkdirs(dir) < 0)
		goto out;
	for (size_t i = 0; i < s->nr; i++)
		if (write_beside(&s->plans[i], dir, &tmp[i]) < 0)
			goto out;
	for (; nr_renamed < s->nr; nr_renamed++) {
		size_t i = nr_renamed;

		if (fs_rename_new(tmp[i], final[i]) < 0)
			goto out;
		free(tmp[i]);
		tmp[i] = NULL;
	}
	*folders = final;
	final = NULL;
	ret = 0;
out:
	/* all or nothing: the folders renamed already go, with every temporary */
	for (size_t i = 0; final && i < nr_renamed; i++)
		fs_remove_tree(final[i]);
	for (size_t i = 0; i < s->nr; i++) {
		if (tmp[i])
			fs_remove_tree(tmp[i]);
		free(tmp[i]);
		if (final)
			free(final[i]);
	}
	free(tmp);
	free(final);
	return ret;
}
