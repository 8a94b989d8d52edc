#define _GNU_SOURCE	/* renameat2, RENAME_NOREPLACE */
#include "sys/fsutil.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>

#include "core/error.h"
#include "core/xalloc.h"

static mode_t cached_umask;

static void read_umask(void)
{
	cached_umask = umask(022);
	umask(cached_umask);
}

/* "cannot read 'X': larger than 16 MiB" (whole MiB), else in bytes. */
static int error_too_large(const char *path, size_t max)
{
	if (max >= ((size_t)1 << 20) && !(max % ((size_t)1 << 20)))
		return error("cannot read '%s': larger than %zu MiB", path, max >> 20);
	return error("cannot read '%s': larger than %zu bytes", path, max);
}

int fs_read_file(const char *path, struct strbuf *buf, size_t max)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int flags, fd, ret = -1;

	strbuf_reset(buf);
	/* not even opened when it is a device: some act on open() */
	if (!stat(path, &st) && !S_ISREG(st.st_mode))
		return error("cannot read '%s': not a regular file", path);
	/* O_NONBLOCK: what became a FIFO since must not hang in open() */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot read '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error("cannot read '%s': not a regular file", path);
		goto out;
	}
	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		error("cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	if (st.st_size > 0 && (uintmax_t)st.st_size > max) {
		error_too_large(path, max);
		goto out;
	}
	strbuf_grow(buf, st.st_size > 0 ? (size_t)st.st_size : 0);
	/* st_size can lie (a file still growing, /proc): count what is read */
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error("cannot read '%s': %s", path, strerror(errno));
			goto out;
		}
		if ((size_t)n > max - buf->len) {
			error_too_large(path, max);
			goto out;
		}
		strbuf_add(buf, chunk, (size_t)n);
	}
	ret = 0;
out:
	if (ret < 0)
		strbuf_release(buf);
	close(fd);
	return ret;
}

bool fs_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

bool fs_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int fs_mkdirs(const char *path)
{
	char *p = xstrdup(path);
	int ret = 0;

	for (char *s = p + 1; ; s++) {
		bool end = !*s;

		if (*s != '/' && !end)
			continue;
		*s = '\0';
		if (mkdir(p, 0777) && errno != EEXIST) {
			ret = error("cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		if (end)
			break;
		*s = '/';
	}
	if (!ret && !fs_is_dir(path))
		ret = error("cannot create directory '%s': not a directory", path);
	free(p);
	return ret;
}

int fs_write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = xstrfmt("%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp), ret = -1;
	size_t done = 0;

	if (fd < 0) {
		error("cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error("cannot write '%s': %s", path, strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0666 & ~fs_umask()) || fsync(fd)) {
		error("cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (close(fd)) {
		fd = -1;
		error("cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path)) {
		error("cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

mode_t fs_umask(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, read_umask);
	return cached_umask;
}

/*
 * Removes every entry of the directory open at dfd (path names it in
 * messages), then the directory name in parent.  Nothing is followed: links
 * are removed as links, a directory is entered through openat(O_NOFOLLOW)
 * and only when it is on the same file system (a mount point inside is an
 * error, never emptied).
 */
static int remove_tree_at(int parent, const char *name, const char *path, dev_t dev)
{
	int dfd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *e;
	struct stat st;
	DIR *d;
	int ret = 0;

	if (dfd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	if (fstat(dfd, &st) || st.st_dev != dev) {
		close(dfd);
		return error("cannot remove '%s': %s", path,
			     errno ? strerror(errno) : "another file system is mounted there");
	}
	if (!(d = fdopendir(dfd))) {
		close(dfd);
		return error("cannot open '%s': %s", path, strerror(errno));
	}
	while ((e = readdir(d))) {
		char *sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = xstrfmt("%s/%s", path, e->d_name);
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
			if (errno != ENOENT)
				ret = error("cannot stat '%s': %s", sub, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (remove_tree_at(dirfd(d), e->d_name, sub, dev) < 0)
				ret = -1;
		} else if (unlinkat(dirfd(d), e->d_name, 0) && errno != ENOENT) {
			ret = error("cannot remove '%s': %s", sub, strerror(errno));
		}
		free(sub);
	}
	closedir(d);
	if (!ret && unlinkat(parent, name, AT_REMOVEDIR))
		ret = error("cannot remove '%s': %s", path, strerror(errno));
	return ret;
}

int fs_remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : error("cannot stat '%s': %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("refusing to remove '%s': not a directory", path);
	return remove_tree_at(AT_FDCWD, path, path, st.st_dev);
}

int fs_tmpdir_beside(const char *final, char **tmp)
{
	*tmp = xstrfmt("%s.tmp-XXXXXX", final);
	if (!mkdtemp(*tmp)) {
		error("cannot create a directory beside '%s': %s", final, strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return -1;
	}
	return 0;
}

int fs_rename_new(const char *from, const char *to)
{
	struct stat st;

	if (!renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		goto fail;
	/* a file system without RENAME_NOREPLACE: look, then rename */
	if (!lstat(to, &st)) {
		errno = EEXIST;
		goto fail;
	}
	if (errno == ENOENT && !rename(from, to))
		return 0;
fail:
	error("cannot rename '%s' to '%s': %s", from, to, strerror(errno));
	return -1;
}

int fs_replace_dir(const char *tmp, const char *final)
{
	char *old = NULL;
	struct stat st;
	int ret = -1;

	if (chmod(tmp, 0777 & ~fs_umask())) {
		error("cannot set the mode of '%s': %s", tmp, strerror(errno));
		goto out;
	}
	if (!lstat(final, &st)) {
		if (S_ISLNK(st.st_mode)) {
			error("refusing to replace '%s': it is a symbolic link", final);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			error("refusing to replace '%s': it is not a directory", final);
			goto out;
		}
		old = xstrfmt("%s.old-XXXXXX", final);
		/* rename() moves a name, never what a link points to */
		if (!mkdtemp(old) || rmdir(old) || rename(final, old)) {
			error("cannot move '%s' aside: %s", final, strerror(errno));
			goto out;
		}
	} else if (errno != ENOENT) {
		error("cannot stat '%s': %s", final, strerror(errno));
		goto out;
	}
	if (rename(tmp, final)) {
		error("cannot rename '%s' to '%s': %s", tmp, final, strerror(errno));
		if (old)
			rename(old, final);
		goto out;
	}
	ret = old ? fs_remove_tree(old) : 0;
out:
	free(old);
	return ret;
}

char *fs_absolute(const char *path)
{
	char *cwd, *abs;

	if (path[0] == '/' || !(cwd = getcwd(NULL, 0)))
		return xstrdup(path);
	abs = xstrfmt("%s/%s", cwd, path);
	free(cwd);
	return abs;
}
