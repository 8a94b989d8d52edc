#include "sys/catalogue.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/patch.h"
#include "core/xalloc.h"
#include "sys/fixconf.h"
#include "sys/fsutil.h"
#include "sys/seriesdir.h"

/* The names in dir that are directories, sorted; NULL-terminated, caller frees. */
static int list_dirs(const char *dir, char ***out, size_t *nr)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, alloc = 0;

	*out = NULL;
	*nr = 0;
	if (!d)
		return error("cannot read directory '%s': %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		char *p;
		bool is_dir;

		if (e->d_name[0] == '.')
			continue;
		p = xstrfmt("%s/%s", dir, e->d_name);
		is_dir = fs_is_dir(p);
		free(p);
		if (!is_dir)
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	*nr = n;
	return 0;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Whether name is a stable line, "6.1.y"; *major, *minor set. */
static bool is_line_name(const char *name, unsigned *major, unsigned *minor)
{
	char tail[3];

	return sscanf(name, "%u.%u.%2s", major, minor, tail) == 3 && !strcmp(tail, "y") &&
	       !strchr(name, ' ') && strlen(name) < 16;
}

/* The series files of fix->series_dir named for a line, in version order. */
static int find_lines(struct fix_desc *fix)
{
	DIR *d = opendir(fix->series_dir);
	struct dirent *e;
	size_t alloc = 0;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return error("cannot read directory '%s': %s", fix->series_dir, strerror(errno));
	}
	while ((e = readdir(d))) {
		unsigned ma, mi;

		if (!is_line_name(e->d_name, &ma, &mi))
			continue;
		ALLOC_GROW(fix->lines, fix->nr_lines + 1, alloc);
		fix->lines[fix->nr_lines++] = xstrdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < fix->nr_lines; i++)
		for (size_t j = i; j > 0; j--) {
			unsigned a1, b1, a2, b2;
			char *t;

			is_line_name(fix->lines[j - 1], &a1, &b1);
			is_line_name(fix->lines[j], &a2, &b2);
			if (a1 < a2 || (a1 == a2 && b1 <= b2))
				break;
			t = fix->lines[j];
			fix->lines[j] = fix->lines[j - 1];
			fix->lines[j - 1] = t;
		}
	return 0;
}

/* fix.patch, parsed (-p1) from the fix's patch folder. */
static int load_patch(struct fix_desc *fix)
{
	struct strbuf text = STRBUF_INIT;
	char *path;
	int ret = -1;

	if (!fix->patch_name)
		return 0;
	path = xstrfmt("%s/%s", fix->patch_dir, fix->patch_name);
	fix->patch = xcalloc(1, sizeof(*fix->patch));
	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0 ||
	    patch_parse(fix->patch, fix->patch_name, text.buf, text.len, 1) < 0 ||
	    fix_desc_check_patch(fix, fix->conf_path) < 0)
		goto out;
	ret = 0;
out:
	strbuf_release(&text);
	free(path);
	return ret;
}

/* Every patch of a form touches only files the descriptor names. */
static int check_form(const struct fix_desc *fix, const struct patch *p)
{
	for (size_t i = 0; i < p->nr_files; i++) {
		bool known = false;

		for (size_t k = 0; k < fix->nr_files && !known; k++)
			known = !strcmp(fix->files[k].path, p->files[i].path);
		if (!known)
			return error("bad fix folder '%s': '%s' touches '%s', which has no "
				     "[file] section in '%s'", fix->patch_dir, p->name,
				     p->files[i].path, fix->conf_path);
	}
	return 0;
}

/*
 * A fix with no rule: each line's series, parsed, as a form of the fix for
 * the generic status (core/fix.h).
 */
static int load_forms(struct fix_desc *fix)
{
	struct strbuf text = STRBUF_INIT;
	int ret = -1;

	if (fix->rule || !fix->nr_lines)
		return 0;
	fix->forms = xcalloc(fix->nr_lines, sizeof(*fix->forms));
	for (size_t l = 0; l < fix->nr_lines; l++) {
		struct fix_form *f = &fix->forms[fix->nr_forms++];
		char *path = xstrfmt("%s/%s", fix->series_dir, fix->lines[l]);
		struct series s = SERIES_INIT;
		int rc = fs_read_file(path, &text, FS_MAX_INPUT);

		f->line = xstrdup(fix->lines[l]);
		if (!rc)
			rc = series_parse(&s, path, text.buf, text.len);
		free(path);
		if (!rc)
			f->patches = xcalloc(s.nr ? s.nr : 1, sizeof(*f->patches));
		for (size_t i = 0; !rc && i < s.nr; i++) {
			char *pp = xstrfmt("%s/%s", fix->patch_dir, s.entries[i].name);

			rc = fs_read_file(pp, &text, FS_MAX_INPUT);
			if (!rc)
				rc = patch_parse(&f->patches[f->nr_patches], s.entries[i].name,
						 text.buf, text.len, s.entries[i].strip);
			f->nr_patches++;
			if (!rc)
				rc = check_form(fix, &f->patches[f->nr_patches - 1]);
			free(pp);
		}
		series_release(&s);
		if (rc < 0)
			goto out;
	}
	ret = 0;
out:
	strbuf_release(&text);
	return ret;
}

/* Reads one fix folder; series_dir etc. are taken by the catalogue. */
static int add_fix(struct catalogue *c, const char *conf, const char *folder,
		   char *series_dir, char *patch_dir, char *label)
{
	struct fix_desc fix;

	fix_desc_init(&fix);
	fix.conf_path = xstrdup(conf);
	fix.series_dir = series_dir;
	fix.patch_dir = patch_dir;
	fix.series_label = label;
	if (fixconf_read(&fix, conf, folder) < 0) {
		fix_desc_release(&fix);
		return -1;
	}
	for (size_t i = 0; i < c->nr; i++)
		if (!strcmp(c->fixes[i].id, fix.id)) {
			error("fix '%s' is defined twice: '%s' and '%s'", fix.id,
			      c->fixes[i].conf_path, conf);
			fix_desc_release(&fix);
			return -1;
		}
	if (seriesdir_check_shapes(&fix) < 0 || find_lines(&fix) < 0 ||
	    load_patch(&fix) < 0 || load_forms(&fix) < 0) {
		fix_desc_release(&fix);
		return -1;
	}
	ALLOC_GROW(c->fixes, c->nr + 1, c->alloc);
	c->fixes[c->nr++] = fix;
	return 0;
}

/* root/backports/<id>/fix.conf with series in root/series/<id>/. */
static int scan_root(struct catalogue *c, const char *root)
{
	char *bdir = xstrfmt("%s/backports", root);
	char **names = NULL;
	size_t n = 0;
	int ret = -1;

	if (list_dirs(bdir, &names, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *conf = xstrfmt("%s/%s/fix.conf", bdir, names[i]);
		int rc;

		rc = add_fix(c, conf, names[i], xstrfmt("%s/series/%s", root, names[i]),
			     xstrfmt("%s/%s", bdir, names[i]),
			     xstrfmt("series/%s", names[i]));
		free(conf);
		if (rc < 0)
			goto out;
	}
	ret = 0;
out:
	free_list(names, n);
	free(bdir);
	return ret;
}

/* dir/<id>/fix.conf, self-contained: patches beside it, series in series/. */
static int scan_fixes_dir(struct catalogue *c, const char *dir)
{
	char **names = NULL;
	size_t n = 0;
	int ret = -1;

	if (list_dirs(dir, &names, &n) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char *conf = xstrfmt("%s/%s/fix.conf", dir, names[i]);
		char *series = xstrfmt("%s/%s/series", dir, names[i]);
		int rc = add_fix(c, conf, names[i], series, xstrfmt("%s/%s", dir, names[i]),
				 xstrdup(series));

		free(conf);
		if (rc < 0)
			goto out;
	}
	ret = 0;
out:
	free_list(names, n);
	return ret;
}

/*
 * The older layout: no fix folder (a directory with a fix.conf) in
 * backports/ and no per-fix folder in series/, so one fix's series and
 * patches.  So a directory in backports/ named like a patch leaves it flat
 * (reading that "patch" is then refused as not a regular file), while a
 * fix folder missing its fix.conf beside series/<id>/ is a catalogue with
 * a broken fix.
 */
static bool is_flat(const char *root)
{
	char *bdir = xstrfmt("%s/backports", root), *sdir = xstrfmt("%s/series", root);
	char **names = NULL, **snames = NULL;
	size_t n = 0, sn = 0;
	bool flat = list_dirs(bdir, &names, &n) == 0;

	for (size_t i = 0; flat && i < n; i++) {
		char *conf = xstrfmt("%s/%s/fix.conf", bdir, names[i]);

		flat = !fs_exists(conf);
		free(conf);
	}
	if (flat && n && list_dirs(sdir, &snames, &sn) == 0)
		flat = !sn;
	error_clear();
	free_list(names, n);
	free_list(snames, sn);
	free(bdir);
	free(sdir);
	return flat;
}

char *catalogue_default_fixes_dir(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg && *xdg == '/')
		return xstrfmt("%s/backport-mglru/fixes", xdg);
	if (home && *home)
		return xstrfmt("%s/.local/share/backport-mglru/fixes", home);
	return NULL;
}

static int cmp_fix(const void *a, const void *b)
{
	return strcmp(((const struct fix_desc *)a)->id, ((const struct fix_desc *)b)->id);
}

int catalogue_load(struct catalogue *c, const char *series_opt, const char *fixes_dir,
		   const char *flat_fix)
{
	struct strbuf root = STRBUF_INIT;
	char *extra = NULL;
	int ret = -1;

	if (!c->held) {
		fixconf_hold();
		c->held = true;
	}
	if (seriesdir_find(series_opt, &root) < 0)
		goto out;
	c->root = xstrdup(root.buf);
	if (series_opt && is_flat(root.buf)) {
		struct fix_desc *f;

		if (seriesdir_find(NULL, &root) < 0 || scan_root(c, root.buf) < 0)
			goto out;
		f = (struct fix_desc *)catalogue_find(c, flat_fix);
		if (!f) {
			error("series directory '%s' has no fix folders, and there is no "
			      "fix '%s' for it to hold the series of", series_opt, flat_fix);
			goto out;
		}
		free(f->series_dir);
		free(f->patch_dir);
		free(f->series_label);
		f->series_dir = xstrfmt("%s/series", series_opt);
		f->patch_dir = xstrfmt("%s/backports", series_opt);
		f->series_label = xstrdup("series");
		for (size_t i = 0; i < f->nr_lines; i++)
			free(f->lines[i]);
		f->nr_lines = 0;
		if (find_lines(f) < 0)
			goto out;
	} else if (scan_root(c, root.buf) < 0) {
		goto out;
	}
	if (fixes_dir) {
		if (!fs_is_dir(fixes_dir)) {
			error("fixes directory '%s' is not a directory", fixes_dir);
			goto out;
		}
		if (scan_fixes_dir(c, fixes_dir) < 0)
			goto out;
	} else if ((extra = catalogue_default_fixes_dir()) && fs_is_dir(extra) &&
		   scan_fixes_dir(c, extra) < 0) {
		goto out;
	}
	qsort(c->fixes, c->nr, sizeof(*c->fixes), cmp_fix);
	ret = 0;
out:
	free(extra);
	strbuf_release(&root);
	return ret;
}

const struct fix_desc *catalogue_find(const struct catalogue *c, const char *id)
{
	for (size_t i = 0; i < c->nr; i++)
		if (!strcmp(c->fixes[i].id, id))
			return &c->fixes[i];
	return NULL;
}

void catalogue_release(struct catalogue *c)
{
	for (size_t i = 0; i < c->nr; i++)
		fix_desc_release(&c->fixes[i]);
	free(c->fixes);
	free(c->root);
	if (c->held)
		fixconf_release_hold();
	memset(c, 0, sizeof(*c));
}
