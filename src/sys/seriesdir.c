#include "sys/seriesdir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"

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
	struct strbuf text = STRBUF_INIT;
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
	free(mapped);
	free(shapes);
	free(path);
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
