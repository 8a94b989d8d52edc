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

/* The series file series/shapes names for shape, "-" for none, NULL if unnamed. */
static int shape_series(const char *dir, enum variant_shape shape, char **out)
{
	char *path = xstrfmt("%s/series/shapes", dir);
	struct strbuf text = STRBUF_INIT;
	const char *want = shape_name(shape);
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
		if (!strcmp(name, want)) {
			if (strchr(file, '/') || !strcmp(file, "..")) {
				error("%s:%zu: '%s' is not a file in series/", path, lineno, file);
				goto out;
			}
			*out = xstrdup(file);
			break;
		}
	}
	ret = 0;
out:
	strbuf_release(&text);
	free(path);
	return ret;
}

int series_set_load(struct series_set *set, const char *dir, const char *line,
		    enum variant_shape shape)
{
	struct strbuf text = STRBUF_INIT;
	char *path = xstrfmt("%s/series/%s", dir, line), *mapped = NULL;
	int ret = -1;

	memset(set, 0, sizeof(*set));
	if (fs_exists(path)) {
		set->file = xstrfmt("series/%s", line);
		set->why = xstrfmt("series/%s for linux-%s", line, line);
	} else {
		if (shape_series(dir, shape, &mapped) < 0)
			goto out;
		if (!mapped || !strcmp(mapped, "-")) {
			set->why = xstrfmt("no series/%s and series/shapes names no series "
					   "for shape %s", line, shape_name(shape));
			ret = SERIES_NONE;
			goto out;
		}
		free(path);
		path = xstrfmt("%s/series/%s", dir, mapped);
		set->file = xstrfmt("series/%s", mapped);
		set->why = xstrfmt("no series/%s: series/shapes maps %s to series/%s",
				   line, shape_name(shape), mapped);
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
		char *pp = xstrfmt("%s/backports/%s", dir, e->name);
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
