#include "sys/seriesdir.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"

static int load_series(struct series_set *set, const struct fix_desc *fix, const char *path);

static bool has_series(const char *dir)
{
	char *s = xstrfmt("%s/series", dir), *b = xstrfmt("%s/backports", dir);
	bool ok = fs_is_dir(s) && fs_is_dir(b);

	free(s);
	free(b);
	return ok;
}

/* Whether this executable is the installed one (it lives in BINDIR). */
static bool running_installed(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *bindir = BACKPORT_MGLRU_BINDIR;
	size_t blen = strlen(bindir);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	return !strncmp(exe, bindir, blen) && exe[blen] == '/' && !strchr(exe + blen + 1, '/');
}

int seriesdir_find(const char *opt, struct strbuf *dir)
{
	const char *installed = BACKPORT_MGLRU_DATADIR, *source = BACKPORT_MGLRU_SOURCE_DIR;

	strbuf_reset(dir);
	if (opt) {
		if (!has_series(opt))
			return error("series directory '%s' has no series/ and backports/", opt);
		strbuf_addstr(dir, opt);
		return 0;
	}
	if (running_installed() && has_series(installed))
		strbuf_addstr(dir, installed);
	else if (has_series(source))
		strbuf_addstr(dir, source);
	else if (has_series(installed))
		strbuf_addstr(dir, installed);
	else
		return error("no series directory: neither '%s' nor '%s' holds series/ "
			     "and backports/ (use --series DIR)", installed, source);
	return 0;
}

/*
 * The series file the shapes file at path names for shape (want), "-" for
 * none, NULL if unnamed; with want NULL, calls each(name, file, ctx) for
 * every mapping instead.
 */
static int shapes_read(const char *path, const char *want, char **out,
		       int (*each)(const char *name, const char *file, void *ctx), void *ctx)
{
	struct strbuf text = STRBUF_INIT;
	char *p, *save = NULL;
	size_t lineno = 0;
	int ret = -1;

	*out = NULL;
	if (!fs_exists(path)) {
		ret = 0;
		goto out;
	}
	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0)
		goto out;
	for (p = text.buf; p && *p; p = save) {
		char *eol = strchr(p, '\n'), *hash, name[128], file[256];
		int n;

		save = eol ? eol + 1 : NULL;
		if (eol)
			*eol = '\0';
		lineno++;
		if ((hash = strchr(p, '#')))
			*hash = '\0';
		n = sscanf(p, "%127s %255s", name, file);
		if (n <= 0)
			continue;
		if (n != 2) {
			error("%s:%zu: expected '<shape> <series-file>'", path, lineno);
			goto out;
		}
		if (strchr(file, '/') || !strcmp(file, "..")) {
			error("%s:%zu: '%s' is not a file in series/", path, lineno, file);
			goto out;
		}
		if (!want) {
			if (each(name, file, ctx) < 0)
				goto out;
		} else if (!strcmp(name, want)) {
			*out = xstrdup(file);
			break;
		}
	}
	ret = 0;
out:
	strbuf_release(&text);
	return ret;
}

struct shapes_check {
	const struct fix_desc *fix;
	const char *path;
	size_t nr;
};

static int check_one_shape(const char *name, const char *file, void *ctx)
{
	struct shapes_check *sc = ctx;
	const char *want = fix_shape_series(sc->fix, name);

	sc->nr++;
	if (!want || strcmp(want, file))
		return error("'%s' maps shape %s to '%s', but '%s' says %s%s%s", sc->path,
			     name, file, sc->fix->conf_path, want ? "'" : "nothing",
			     want ? want : "", want ? "'" : "");
	return 0;
}

int seriesdir_check_shapes(const struct fix_desc *fix)
{
	char *path = xstrfmt("%s/shapes", fix->series_dir), *unused = NULL;
	struct shapes_check sc = { fix, path, 0 };
	int ret = -1;

	if (shapes_read(path, NULL, &unused, check_one_shape, &sc) < 0)
		goto out;
	if (sc.nr != fix->nr_shapes && fs_exists(path)) {
		error("'%s' and '%s' do not name the same shapes", path, fix->conf_path);
		goto out;
	}
	ret = 0;
out:
	free(path);
	return ret;
}

int series_set_load(struct series_set *set, const struct fix_desc *fix, const char *line,
		    enum variant_shape shape)
{
	const char *label = fix->series_label;
	char *path = xstrfmt("%s/%s", fix->series_dir, line), *mapped = NULL;
	char *shapes = xstrfmt("%s/shapes", fix->series_dir);
	int ret = -1;

	memset(set, 0, sizeof(*set));
	if (fs_exists(path)) {
		set->file = xstrfmt("%s/%s", label, line);
		set->why = xstrfmt("%s/%s for linux-%s", label, line, line);
	} else {
		if (shapes_read(shapes, shape_name(shape), &mapped, NULL, NULL) < 0)
			goto out;
		if (!mapped || !strcmp(mapped, "-")) {
			set->why = xstrfmt("no %s/%s and %s/shapes names no series "
					   "for shape %s", label, line, label, shape_name(shape));
			ret = SERIES_NONE;
			goto out;
		}
		free(path);
		path = xstrfmt("%s/%s", fix->series_dir, mapped);
		set->file = xstrfmt("%s/%s", label, mapped);
		set->why = xstrfmt("no %s/%s: %s/shapes maps %s to %s/%s",
				   label, line, label, shape_name(shape), label, mapped);
	}
	ret = load_series(set, fix, path);
out:
	free(mapped);
	free(shapes);
	free(path);
	return ret;
}

/* Reads the series file at path and each patch it names from fix->patch_dir. */
static int load_series(struct series_set *set, const struct fix_desc *fix, const char *path)
{
	struct strbuf text = STRBUF_INIT;
	int ret = -1;

	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0 ||
	    series_parse(&set->series, path, text.buf, text.len) < 0)
		goto out;
	if (!set->series.nr) {
		error("series file '%s' names no patch", path);
		goto out;
	}
	set->patches = xcalloc(set->series.nr, sizeof(*set->patches));
	for (size_t i = 0; i < set->series.nr; i++) {
		const struct series_entry *e = &set->series.entries[i];
		char *pp = xstrfmt("%s/%s", fix->patch_dir, e->name);
		int rc = fs_read_file(pp, &text, FS_MAX_INPUT);

		if (rc == 0)
			rc = patch_parse(&set->patches[i], e->name, text.buf, text.len,
					 e->strip);
		set->nr_patches++;
		free(pp);
		if (rc < 0)
			goto out;
	}
	ret = 0;
out:
	strbuf_release(&text);
	return ret;
}

/* Whether name is a stable line, "5.15.y"; *major, *minor set. */
static bool is_line_file(const char *name, unsigned *major, unsigned *minor)
{
	char tail[3];

	return strlen(name) < 16 && !strchr(name, ' ') &&
	       sscanf(name, "%u.%u.%2s", major, minor, tail) == 3 && !strcmp(tail, "y");
}

static int cmp_line(const void *a, const void *b)
{
	unsigned a1 = 0, b1 = 0, a2 = 0, b2 = 0;

	is_line_file(*(char *const *)a, &a1, &b1);
	is_line_file(*(char *const *)b, &a2, &b2);
	return a1 != a2 ? (a1 < a2 ? -1 : 1) : b1 != b2 ? (b1 < b2 ? -1 : 1) : 0;
}

int prereq_forms_load(struct series_set **out, size_t *nr, const struct fix_desc *fix,
		      const char *line)
{
	const struct fix_precondition *p = fix->nr_preconditions ? &fix->preconditions[0] : NULL;
	char *dir = NULL, **names = NULL;
	size_t nr_names = 0, alloc = 0;
	DIR *d;
	struct dirent *e;
	int ret = -1;

	*out = NULL;
	*nr = 0;
	if (!p || !p->series)
		return 0;
	dir = xstrfmt("%s/%s", fix->series_dir, p->series);
	if (!fs_exists(dir)) {	/* a flat --series DIR carries none */
		ret = 0;
		goto out;
	}
	if (!fs_is_dir(dir)) {
		ret = error("'%s' names '%s' for the backports of its prerequisite, but "
			    "'%s' is not a directory", fix->conf_path, p->series, dir);
		goto out;
	}
	if (!(d = opendir(dir))) {
		ret = error("cannot read directory '%s': %s", dir, strerror(errno));
		goto out;
	}
	while ((e = readdir(d))) {
		unsigned ma, mi;

		if (!is_line_file(e->d_name, &ma, &mi))
			continue;
		if (!strcmp(e->d_name, line)) {	/* the line's own: only it */
			for (size_t i = 0; i < nr_names; i++)
				free(names[i]);
			nr_names = 0;
			ALLOC_GROW(names, 1, alloc);
			names[nr_names++] = xstrdup(e->d_name);
			break;
		}
		ALLOC_GROW(names, nr_names + 1, alloc);
		names[nr_names++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, nr_names, sizeof(*names), cmp_line);
	*out = xcalloc(nr_names + 1, sizeof(**out));
	for (size_t i = 0; i < nr_names; i++) {
		struct series_set *set = &(*out)[(*nr)++];
		char *path = xstrfmt("%s/%s", dir, names[i]);

		set->file = xstrfmt("%s/%s/%s", fix->series_label, p->series, names[i]);
		set->why = xstrfmt("%s/%s/%s: a backport of the prerequisite", fix->series_label,
				   p->series, names[i]);
		ret = load_series(set, fix, path);
		free(path);
		if (ret < 0)
			goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < nr_names; i++)
		free(names[i]);
	free(names);
	free(dir);
	return ret;
}

void series_set_release(struct series_set *set)
{
	for (size_t i = 0; i < set->nr_patches; i++)
		patch_release(&set->patches[i]);
	free(set->patches);
	series_release(&set->series);
	free(set->file);
	free(set->why);
	memset(set, 0, sizeof(*set));
}
