#include "sys/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/series.h"
#include "core/xalloc.h"
#include "sys/fsutil.h"
#include "sys/repo.h"

/* Larger than any patch or series the tool writes. */
#define OUTDIR_FILE_MAX (64u << 20)

/*
 * Reads name in the directory open at dfd, a regular file only: opened
 * without following a link and without blocking on a FIFO.  0 read, 1 not
 * a regular file (or too large to be one of ours), 2 not there, -1 error.
 */
static int read_regular_at(int dfd, const char *name, const char *path, struct strbuf *sb)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int ret = -1;

	strbuf_reset(sb);
	if (fd < 0)
		return errno == ELOOP ? 1 : errno == ENOENT ? 2 :
		       error("cannot read '%s': %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > OUTDIR_FILE_MAX) {
		ret = 1;
		goto out;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		strbuf_add(sb, chunk, (size_t)n);
		if (sb->len > OUTDIR_FILE_MAX) {
			ret = 1;
			goto out;
		}
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

static const char *line_end(const char *p)
{
	const char *eol = strchr(p, '\n');

	return eol ? eol : p + strlen(p);
}

/* The blob id the manifest text records for name, or NULL. */
static const char *manifest_id(const char *manifest, const char *name, char id[41])
{
	size_t nlen = strlen(name);

	for (const char *p = manifest; *p; ) {
		const char *eol = line_end(p);

		if ((size_t)(eol - p) == 41 + nlen && p[40] == ' ' &&
		    !memcmp(p + 41, name, nlen)) {
			memcpy(id, p, 40);
			id[40] = '\0';
			return id;
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}

/* The series file the tool wrote before it kept manifests: its header line. */
static bool is_our_series(const char *text)
{
	const char *eol = line_end(text);
	size_t n = (size_t)(eol - text);
	static const char tail[] = ", by backport-mglru";

	return !strncmp(text, "# ", 2) && n > sizeof(tail) &&
	       !memcmp(eol - (sizeof(tail) - 1), tail, sizeof(tail) - 1);
}

static bool series_names(const struct series *s, const char *name)
{
	for (size_t i = 0; i < s->nr; i++)
		if (!strcmp(s->entries[i].name, name))
			return true;
	return false;
}

/*
 * Every entry of the directory open at dfd (final names it) is a regular
 * file the tool wrote: the manifest lists it with its content's blob id, or,
 * with no manifest, the tool's series names it.
 */
static int vet_contents(int dfd, const char *final)
{
	struct strbuf manifest = STRBUF_INIT, sb = STRBUF_INIT;
	struct series legacy = SERIES_INIT;
	bool have_manifest, have_legacy = false;
	char *path = xstrfmt("%s/%s", final, OUTDIR_MANIFEST);
	struct dirent *e;
	DIR *d = NULL;
	int rc, ret = -1;

	rc = read_regular_at(dfd, OUTDIR_MANIFEST, path, &manifest);
	if (rc < 0)
		goto out;
	if (rc == 1) {
		error("'%s' is not a manifest backport-mglru wrote (--force replaces '%s')",
		      path, final);
		goto out;
	}
	have_manifest = rc == 0;
	if (!have_manifest) {
		free(path);
		path = xstrfmt("%s/series", final);
		rc = read_regular_at(dfd, "series", path, &sb);
		if (rc < 0)
			goto out;
		have_legacy = rc == 0 && is_our_series(sb.buf) &&
			      series_parse(&legacy, path, sb.buf, sb.len) == 0;
	}
	if (!(d = fdopendir(dup(dfd)))) {
		error("cannot open '%s': %s", final, strerror(errno));
		goto out;
	}
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		char want[41], got[41];
		bool ours;

		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, OUTDIR_MANIFEST))
			continue;
		free(path);
		path = xstrfmt("%s/%s", final, n);
		ours = have_manifest ? manifest_id(manifest.buf, n, want) != NULL :
		       have_legacy && (!strcmp(n, "series") || series_names(&legacy, n));
		if (!ours) {
			error("'%s' was not written by backport-mglru (--force replaces '%s')",
			      path, final);
			goto out;
		}
		rc = read_regular_at(dirfd(d), n, path, &sb);
		if (rc < 0)
			goto out;
		if (rc == 2)	/* gone meanwhile */
			continue;
		if (rc == 1) {
			error("'%s' is not a file backport-mglru wrote (--force replaces '%s')",
			      path, final);
			goto out;
		}
		if (!have_manifest)
			continue;
		repo_hash_blob(sb.buf, sb.len, got);
		if (strcmp(want, got)) {
			error("'%s' was changed since backport-mglru wrote it "
			      "(--force replaces '%s')", path, final);
			goto out;
		}
	}
	ret = 0;
out:
	if (d)
		closedir(d);
	series_release(&legacy);
	strbuf_release(&manifest);
	strbuf_release(&sb);
	free(path);
	return ret;
}

int outdir_vet(const char *final, bool force)
{
	struct stat st;
	int dfd, ret;

	if (lstat(final, &st))
		return errno == ENOENT ? 0 : error("cannot stat '%s': %s", final, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return error("refusing to write '%s': it is a symbolic link", final);
	if (!S_ISDIR(st.st_mode))
		return error("refusing to write '%s': it exists and is not a directory", final);
	if (force)
		return 0;
	dfd = open(final, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return error("cannot open '%s': %s", final, strerror(errno));
	ret = vet_contents(dfd, final);
	close(dfd);
	return ret;
}

/* 0 ours (or absent: 2), 1 not ours, -1 refused or error. */
static int file_is_ours(const char *path, const char *mark)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int rc;

	if (lstat(path, &st))
		return errno == ENOENT ? 2 : error("cannot stat '%s': %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return error("refusing to write '%s': it is a symbolic link", path);
	if (!S_ISREG(st.st_mode))
		return error("refusing to write '%s': it is not a regular file", path);
	rc = read_regular_at(AT_FDCWD, path, path, &sb);
	if (rc == 0)
		rc = strncmp(sb.buf, mark, strlen(mark)) ? 1 : 0;
	else if (rc == 1)
		rc = error("refusing to write '%s': it is not a regular file", path);
	strbuf_release(&sb);
	return rc;
}

int outdir_vet_file(const char *path, const char *mark, bool force)
{
	int rc = file_is_ours(path, mark);

	if (rc == 1 && !force)
		return error("'%s' was not written by backport-mglru (--force replaces it)",
			     path);
	return rc < 0 ? -1 : 0;
}

int outdir_write_file(const char *path, const char *mark, bool force, const char *data,
		      size_t len)
{
	if (outdir_vet_file(path, mark, force) < 0)
		return -1;
	return fs_write_atomic(path, data, len);
}

void outdir_drop_file(const char *path, const char *mark)
{
	if (file_is_ours(path, mark) == 0)
		unlink(path);
	error_clear();
}

int outdir_begin(struct outdir *o, const char *dir, const char *name)
{
	o->final = xstrfmt("%s/%s", dir, name);
	if (fs_mkdirs(dir) < 0 || fs_tmpdir_beside(o->final, &o->tmp) < 0)
		return -1;
	return 0;
}

int outdir_add(struct outdir *o, const char *name, const char *data, size_t len)
{
	char *path, id[41];
	int ret;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    !strcmp(name, OUTDIR_MANIFEST))
		BUG("output file name '%s'", name);
	path = xstrfmt("%s/%s", o->tmp, name);
	ret = fs_write_atomic(path, data, len);
	free(path);
	if (ret < 0)
		return -1;
	repo_hash_blob(data, len, id);
	strbuf_addf(&o->manifest, "%s %s\n", id, name);
	return 0;
}

int outdir_finish(struct outdir *o, bool force)
{
	char *path = xstrfmt("%s/%s", o->tmp, OUTDIR_MANIFEST);
	int ret = -1;

	if (fs_write_atomic(path, o->manifest.buf, o->manifest.len) < 0 ||
	    outdir_vet(o->final, force) < 0 || fs_replace_dir(o->tmp, o->final) < 0)
		goto out;
	free(o->tmp);
	o->tmp = NULL;
	ret = 0;
out:
	free(path);
	return ret;
}

void outdir_release(struct outdir *o)
{
	if (o->tmp)
		fs_remove_tree(o->tmp);
	free(o->tmp);
	free(o->final);
	strbuf_release(&o->manifest);
	o->tmp = o->final = NULL;
}
