#define _GNU_SOURCE
#include "sys/treecache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/fsutil.h"
#include "sys/workers.h"

#define MANIFEST_MAGIC "backport-mglru tree 1"

/*
 * Made absolute: build directories are given to make -C <tree> as O=, which
 * make reads relative to the tree, not to where we were started.
 */
char *cache_root(void)
{
	const char *env = getenv("BACKPORT_MGLRU_CACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *root, *abs;

	if (env && *env)
		root = xstrdup(env);
	else if (xdg && *xdg)
		root = xstrfmt("%s/backport-mglru", xdg);
	else
		root = xstrfmt("%s/.cache/backport-mglru", home && *home ? home : "/tmp");
	abs = fs_absolute(root);
	free(root);
	return abs;
}

char *treecache_path(const char *root, const char *name)
{
	return xstrfmt("%s/trees/%s", root, name);
}

struct override {
	char *path;
	char blob[41];
};

struct manifest {
	bool valid;
	char commit[41];
	char boot[64];		/* boot id it was written under; "" after a syncfs() */
	struct override *ov;
	size_t nr, alloc;
};

static void manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->nr; i++)
		free(m->ov[i].path);
	free(m->ov);
	memset(m, 0, sizeof(*m));
}

static bool is_hex40(const char *s, size_t n)
{
	if (n != 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/*
 * The kernel's id for this boot, into out; false when it cannot be read.
 * Files written without fsync are safe once in the page cache unless the
 * machine goes down: a manifest written under this boot id is trusted only
 * under the same id, which spares a cold export the syncfs() of a whole
 * kernel tree (seconds).
 */
static bool boot_id(char out[64])
{
	struct strbuf sb = STRBUF_INIT;
	bool ok = false;

	if (fs_read_file("/proc/sys/kernel/random/boot_id", &sb, 4096) == 0) {
		while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == ' '))
			sb.buf[--sb.len] = '\0';
		ok = sb.len && sb.len < 64 && !strchr(sb.buf, '\n');
		if (ok)
			memcpy(out, sb.buf, sb.len + 1);
	} else {
		error_clear();
	}
	strbuf_release(&sb);
	return ok;
}

/*
 * A manifest that cannot be read, or that was written under another boot
 * without a syncfs(), is treated as missing: a full compare.
 */
static void manifest_read(struct manifest *m, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char *p, *nl;
	size_t n;
	bool ok = true;

	memset(m, 0, sizeof(*m));
	if (!fs_exists(path) || fs_read_file(path, &sb, FS_MAX_OWN) < 0) {
		error_clear();
		goto out;
	}
	p = sb.buf;
	for (size_t lineno = 0; *p && ok; lineno++, p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl) {
			ok = false;
			break;
		}
		*nl = '\0';
		/* the length from the line's end: no strlen() past *p */
		n = (size_t)(nl - p);
		if (!lineno) {
			ok = !strcmp(p, MANIFEST_MAGIC);
		} else if (n > 7 && !memcmp(p, "commit ", 7) && is_hex40(p + 7, n - 7)) {
			memcpy(m->commit, p + 7, 41);
		} else if (n > 5 && !memcmp(p, "boot ", 5) && n - 5 < sizeof(m->boot)) {
			memcpy(m->boot, p + 5, n - 5 + 1);
		} else if (n > 9 + 41 && !memcmp(p, "override ", 9) &&
			   is_hex40(p + 9, 40) && p[49] == ' ') {
			ALLOC_GROW(m->ov, m->nr + 1, m->alloc);
			memcpy(m->ov[m->nr].blob, p + 9, 40);
			m->ov[m->nr].blob[40] = '\0';
			m->ov[m->nr].path = xstrdup(p + 50);
			m->nr++;
		} else {
			ok = false;
		}
	}
	m->valid = ok && m->commit[0];
	if (m->valid && m->boot[0]) {
		char now[64];

		m->valid = boot_id(now) && !strcmp(now, m->boot);
	}
	if (!m->valid)
		manifest_release(m);
out:
	strbuf_release(&sb);
}

struct exporter {
	struct repo *repo;
	const char *dir;		/* the tree */
	const char *commit;
	const struct commit_file *files;
	size_t nr_files;
	struct treecache_stats st;
	struct strbuf path, tmp, disk, blob;
	/*
	 * The directory of the last file looked at, kept open: a tree walk
	 * visits a directory's files together, and creating files relative to
	 * it (as tar does) halves what each one costs.  -1 when none.
	 */
	int dirfd;
	struct strbuf dirpath;
	char **paths;			/* full scan: every path of the tree */
	size_t nr_paths, alloc_paths;
	unsigned *modes;		/* full scan: each path's mode and blob */
	char (*blobs)[41];
	bool interrupted;
	mode_t umask;
};

static const struct commit_file *find_override(const struct exporter *x, const char *path)
{
	for (size_t i = 0; i < x->nr_files; i++)
		if (!strcmp(x->files[i].path, path))
			return &x->files[i];
	return NULL;
}

/*
 * An fd of full's parent directory and full's last component; -1 (errno
 * set, nothing recorded) when the parent cannot be opened, e.g. it is not
 * there yet.
 */
static int parent_dir(struct exporter *x, const char *full, const char **base)
{
	const char *slash = strrchr(full, '/');
	size_t n = slash ? (size_t)(slash - full) : 0;

	*base = slash ? slash + 1 : full;
	if (x->dirfd >= 0 && x->dirpath.len == n && !memcmp(x->dirpath.buf, full, n))
		return x->dirfd;
	if (x->dirfd >= 0)
		close(x->dirfd);
	x->dirfd = -1;
	strbuf_reset(&x->dirpath);
	strbuf_add(&x->dirpath, full, n);
	x->dirfd = open(n ? x->dirpath.buf : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x->dirfd < 0)
		strbuf_reset(&x->dirpath);
	return x->dirfd;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates the parent directories of full (a path under x->dir). */
static int make_parent(const char *full)
{
	const char *slash = strrchr(full, '/');
	char *parent;
	int ret;

	if (!slash)
		return 0;
	parent = xstrndup(full, (size_t)(slash - full));
	ret = fs_mkdirs(parent);
	free(parent);
	return ret;
}

/*
 * A file that is not there yet is written in place: the manifest was
 * removed before the first write, so an interrupted export is compared
 * file by file on the next run.  Saves the temp file's unlink and rename,
 * a third of a cold export's system calls.
 */
static int put_new_file(struct exporter *x, const char *full, unsigned mode,
			const char *data, size_t len)
{
	int perm = mode == 0100755 ? 0755 : 0644;
	const char *base;
	int dfd = parent_dir(x, full, &base), fd = -1;

	if (dfd >= 0)
		fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, perm);
	if (fd < 0 && errno == ENOENT) {
		/* no parent yet, or the one held open was removed meanwhile */
		if (x->dirfd >= 0)
			close(x->dirfd);
		x->dirfd = -1;
		strbuf_reset(&x->dirpath);
		if (!make_parent(full) && (dfd = parent_dir(x, full, &base)) >= 0)
			fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
				    perm);
	}
	if (fd < 0)
		return error("cannot write '%s': %s", full, strerror(errno));
	/* openat()'s mode went through the umask: fchmod only if it took bits */
	if (write_all(fd, data, len) ||
	    ((perm & x->umask) && fchmod(fd, (mode_t)perm))) {
		error("cannot write '%s': %s", full, strerror(errno));
		close(fd);
		unlink(full);
		return -1;
	}
	if (close(fd)) {
		error("cannot write '%s': %s", full, strerror(errno));
		unlink(full);
		return -1;
	}
	x->st.written++;
	return 0;
}

/*
 * Writes data as path (mode: git mode) through a temp file in the same
 * directory and a rename.  No fsync per file: the manifest is what says the
 * tree is whole, and it is trusted only within the boot it was written in
 * (or after a syncfs(); see boot_id()).
 */
static int put_file(struct exporter *x, const char *full, unsigned mode,
		    const char *data, size_t len, bool absent)
{
	int fd = -1, ret = -1;

	if (mode != 0120000 && absent)
		return put_new_file(x, full, mode, data, len);
	strbuf_reset(&x->tmp);
	strbuf_addf(&x->tmp, "%s.bm-tmp", full);
	unlink(x->tmp.buf);
	if (mode == 0120000) {
		char *target = xstrndup(data, len);

		int rc = symlink(target, x->tmp.buf), err = errno;

		if (rc && err == ENOENT && !make_parent(full)) {
			rc = symlink(target, x->tmp.buf);
			err = errno;
		}
		free(target);
		if (rc) {
			error("cannot create symlink '%s': %s", full, strerror(err));
			goto out;
		}
	} else {
		int perm = mode == 0100755 ? 0755 : 0644;

		fd = open(x->tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, perm);
		if (fd < 0 && errno == ENOENT && !make_parent(full))
			fd = open(x->tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				  perm);
		if (fd < 0) {
			error("cannot write '%s': %s", full, strerror(errno));
			goto out;
		}
		if (write_all(fd, data, len) || fchmod(fd, (mode_t)perm)) {
			error("cannot write '%s': %s", full, strerror(errno));
			goto out;
		}
		if (close(fd)) {
			fd = -1;
			error("cannot write '%s': %s", full, strerror(errno));
			goto out;
		}
		fd = -1;
	}
	if (rename(x->tmp.buf, full)) {
		/* a directory where a file should be, or the reverse */
		error("cannot rename '%s' to '%s': %s", x->tmp.buf, full, strerror(errno));
		goto out;
	}
	x->st.written++;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	if (ret)
		unlink(x->tmp.buf);
	return ret;
}

/*
 * Whether the file at full already is (mode, content): content is given
 * either as data/len or, when data is NULL, by its blob id.  *absent says
 * whether there is nothing at full (or no parent directory), for
 * put_file(), which then need not look again.
 */
static bool is_up_to_date(struct exporter *x, const char *full, unsigned mode,
			  const char *data, size_t len, const char *blob_hex,
			  bool *absent)
{
	struct stat st;
	char id[41];
	const char *base;
	int dfd = parent_dir(x, full, &base);

	*absent = dfd < 0;
	if (dfd < 0)
		return false;
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW)) {
		*absent = errno == ENOENT;
		return false;
	}
	if (mode == 0120000) {
		char target[4096];
		ssize_t n;

		if (!S_ISLNK(st.st_mode))
			return false;
		n = readlink(full, target, sizeof(target));
		if (n < 0 || (size_t)n >= sizeof(target))
			return false;
		strbuf_reset(&x->disk);
		strbuf_add(&x->disk, target, (size_t)n);
	} else {
		bool exec = (st.st_mode & 0100) != 0;

		if (!S_ISREG(st.st_mode) || exec != (mode == 0100755))
			return false;
		if (data && (size_t)st.st_size != len)
			return false;
		if (fs_read_file(full, &x->disk, data ? len : FS_MAX_OWN) < 0) {
			error_clear();
			return false;
		}
	}
	if (data)
		return x->disk.len == len && !memcmp(x->disk.buf, data, len);
	repo_hash_blob(x->disk.buf, x->disk.len, id);
	return !strcmp(id, blob_hex);
}

/* Brings one path to what it should be at x->commit (blob_hex NULL: deleted). */
static int sync_path(struct exporter *x, const char *path, unsigned mode,
		     const char *blob_hex)
{
	const struct commit_file *ov = blob_hex ? find_override(x, path) : NULL;
	bool absent;

	if (build_interrupted()) {
		x->interrupted = true;
		return TREECACHE_EINTR;
	}
	x->st.visited++;
	strbuf_reset(&x->path);
	strbuf_addf(&x->path, "%s/%s", x->dir, path);
	if (!blob_hex) {
		if (unlink(x->path.buf) && errno != ENOENT)
			return error("cannot remove '%s': %s", x->path.buf, strerror(errno));
		x->st.removed++;
		return 0;
	}
	if (ov) {
		if (is_up_to_date(x, x->path.buf, mode, ov->data, ov->len, NULL, &absent))
			return 0;
		return put_file(x, x->path.buf, mode, ov->data, ov->len, absent);
	}
	if (is_up_to_date(x, x->path.buf, mode, NULL, 0, blob_hex, &absent))
		return 0;
	if (repo_read_blob_by_id(x->repo, blob_hex, &x->blob) < 0)
		return -1;
	return put_file(x, x->path.buf, mode, x->blob.buf, x->blob.len, absent);
}

/* Full scan, first pass: the tree's list, in tree order. */
static int list_cb(const char *path, unsigned mode, const char *blob_hex, void *ctx)
{
	struct exporter *x = ctx;
	size_t alloc = x->alloc_paths;

	ALLOC_GROW(x->paths, x->nr_paths + 1, x->alloc_paths);
	if (alloc != x->alloc_paths) {
		x->modes = xrealloc(x->modes, st_mult(x->alloc_paths, sizeof(*x->modes)));
		x->blobs = xrealloc(x->blobs, st_mult(x->alloc_paths, sizeof(*x->blobs)));
	}
	x->paths[x->nr_paths] = xstrdup(path);
	x->modes[x->nr_paths] = mode;
	memcpy(x->blobs[x->nr_paths], blob_hex, 41);
	x->nr_paths++;
	return 0;
}

/*
 * Full scan, second pass: every file compared and written, on one worker
 * per CPU.  A cold export is some 80k file creations and blob inflations,
 * which one thread does at one CPU's pace while the others idle.  Workers
 * take chunks of consecutive paths, so each still writes a directory's
 * files together, relative to one open directory.
 */
#define SCAN_CHUNK 64

struct scan_pool {
	const struct exporter *x;	/* the list, and the settings to copy */
	atomic_size_t next;
	atomic_bool stop;		/* an error or a signal: take no more */
	struct exporter *w;		/* each worker's state */
	int *ret;
	char **err;
};

static void exporter_release(struct exporter *x)
{
	strbuf_release(&x->path);
	strbuf_release(&x->tmp);
	strbuf_release(&x->disk);
	strbuf_release(&x->blob);
	if (x->dirfd >= 0)
		close(x->dirfd);
	x->dirfd = -1;
	strbuf_release(&x->dirpath);
}

static void scan_worker(void *ctx, size_t k)
{
	struct scan_pool *p = ctx;
	const struct exporter *x = p->x;
	struct exporter *w = &p->w[k];
	struct repo *own = NULL;
	size_t b;

	*w = (struct exporter){ .repo = k ? NULL : x->repo, .dir = x->dir,
				.commit = x->commit, .files = x->files,
				.nr_files = x->nr_files, .dirfd = -1,
				.umask = x->umask };
	strbuf_init(&w->path, 0);
	strbuf_init(&w->tmp, 0);
	strbuf_init(&w->disk, 0);
	strbuf_init(&w->blob, 0);
	strbuf_init(&w->dirpath, 0);
	while (!atomic_load(&p->stop) &&
	       (b = atomic_fetch_add(&p->next, SCAN_CHUNK)) < x->nr_paths) {
		size_t e = b + SCAN_CHUNK < x->nr_paths ? b + SCAN_CHUNK : x->nr_paths;

		if (!w->repo) {
			if (repo_open_again(x->repo, &own) < 0) {
				p->ret[k] = -1;
				break;
			}
			w->repo = own;
		}
		for (size_t i = b; i < e && !p->ret[k]; i++)
			p->ret[k] = sync_path(w, x->paths[i], x->modes[i], x->blobs[i]);
		if (p->ret[k])
			break;
	}
	if (p->ret[k]) {
		atomic_store(&p->stop, true);
		if (p->ret[k] < 0)
			p->err[k] = xstrdup(error_last());
	}
	exporter_release(w);
	repo_free(own);
}

static int full_scan(struct exporter *x, struct repo *r, const char *commit)
{
	struct scan_pool p = { .x = x };
	size_t n = workers_cpus();
	int ret;

	ret = repo_for_each_file(r, commit, list_cb, x);
	if (ret)
		return ret;
	if (n > 4)
		n = 4;	/* the disk, not the CPUs, is the limit beyond that */
	p.w = xcalloc(n, sizeof(*p.w));
	p.ret = xcalloc(n, sizeof(*p.ret));
	p.err = xcalloc(n, sizeof(*p.err));
	workers_run(n, scan_worker, &p);
	for (size_t k = 0; k < n; k++) {
		x->st.visited += p.w[k].st.visited;
		x->st.written += p.w[k].st.written;
		x->st.removed += p.w[k].st.removed;
		x->interrupted |= p.w[k].interrupted;
		if (p.ret[k] < 0 && !ret)
			ret = error("%s", p.err[k]);
		free(p.err[k]);
	}
	if (!ret && x->interrupted)
		ret = TREECACHE_EINTR;
	free(p.w);
	free(p.ret);
	free(p.err);
	return ret;
}

static int changed_cb(const char *path, unsigned mode, const char *blob_hex, void *ctx)
{
	return sync_path(ctx, path, mode, blob_hex);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* nftw has no context argument: the one full scan running at a time. */
static struct exporter *prune_ctx;
static int prune_ret;

static int prune_cb(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	struct exporter *x = prune_ctx;
	const char *rel = fpath + strlen(x->dir) + 1;

	(void)sb;
	if (!ftw->level)
		return 0;
	if (type == FTW_DP) {
		rmdir(fpath);	/* only succeeds when empty */
		return 0;
	}
	if (type != FTW_F && type != FTW_SL && type != FTW_SLN)
		return 0;
	if (bsearch(&rel, x->paths, x->nr_paths, sizeof(*x->paths), cmp_str))
		return 0;
	if (unlink(fpath)) {
		prune_ret = error("cannot remove '%s': %s", fpath, strerror(errno));
		return 1;
	}
	x->st.removed++;
	return 0;
}

/* Removes what is in the directory but not in the tree (an older commit's files). */
static int prune_extra(struct exporter *x)
{
	qsort(x->paths, x->nr_paths, sizeof(*x->paths), cmp_str);
	prune_ctx = x;
	prune_ret = 0;
	if (nftw(x->dir, prune_cb, 64, FTW_PHYS | FTW_DEPTH) < 0 && !prune_ret)
		prune_ret = error("cannot walk '%s': %s", x->dir, strerror(errno));
	prune_ctx = NULL;
	return prune_ret;
}

static int write_manifest(const char *path, const char *boot, const char *commit,
			  const struct commit_file *files, size_t nr)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	strbuf_addf(&sb, "%s\ncommit %s\n", MANIFEST_MAGIC, commit);
	if (boot)
		strbuf_addf(&sb, "boot %s\n", boot);
	for (size_t i = 0; i < nr; i++) {
		char id[41];

		repo_hash_blob(files[i].data, files[i].len, id);
		strbuf_addf(&sb, "override %s %s\n", id, files[i].path);
	}
	ret = fs_write_atomic(path, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

/* Whether the manifest already describes exactly this export. */
static bool manifest_matches(const struct manifest *m, const char *commit,
			     const struct commit_file *files, size_t nr)
{
	if (!m->valid || strcmp(m->commit, commit) || m->nr != nr)
		return false;
	for (size_t i = 0; i < nr; i++) {
		char id[41];
		bool found = false;

		repo_hash_blob(files[i].data, files[i].len, id);
		for (size_t j = 0; j < m->nr && !found; j++)
			found = !strcmp(m->ov[j].path, files[i].path) &&
				!strcmp(m->ov[j].blob, id);
		if (!found)
			return false;
	}
	return true;
}

static int sync_overrides(struct exporter *x, const struct manifest *m)
{
	struct strbuf buf = STRBUF_INIT;
	int ret = 0;

	/* Old overrides that are no longer wanted go back to the blob. */
	for (size_t i = 0; i < m->nr && !ret; i++) {
		char id[41];
		int rc;

		if (find_override(x, m->ov[i].path))
			continue;
		rc = repo_read_blob(x->repo, x->commit, m->ov[i].path, &buf, id);
		if (rc == REPO_ENOTFOUND)
			ret = sync_path(x, m->ov[i].path, 0100644, NULL);
		else if (rc < 0)
			ret = -1;
		else
			ret = sync_path(x, m->ov[i].path, 0100644, id);
	}
	for (size_t i = 0; i < x->nr_files && !ret; i++) {
		char id[41];
		int rc = repo_read_blob(x->repo, x->commit, x->files[i].path, &buf, id);

		if (rc == REPO_ENOTFOUND)
			ret = error("cannot override '%s' at '%.12s': path not in tree",
				    x->files[i].path, x->commit);
		else if (rc < 0)
			ret = -1;
		else
			ret = sync_path(x, x->files[i].path, 0100644, id);
	}
	strbuf_release(&buf);
	return ret;
}

static int sync_filesystem(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return error("cannot open '%s': %s", dir, strerror(errno));
	syncfs(fd);
	close(fd);
	return 0;
}

int treecache_export(struct repo *r, const char *root, const char *name,
		     const char *commit, const struct commit_file *files, size_t nr,
		     struct treecache_stats *st)
{
	struct exporter x = { .repo = r, .commit = commit, .files = files,
			      .nr_files = nr, .path = STRBUF_INIT, .tmp = STRBUF_INIT,
			      .disk = STRBUF_INIT, .blob = STRBUF_INIT, .dirfd = -1,
			      .dirpath = STRBUF_INIT };
	struct manifest m;
	char boot[64];
	bool have_boot;
	char *dir = treecache_path(root, name);
	char *mpath = xstrfmt("%s.manifest", dir);
	int ret = -1;

	x.dir = dir;
	x.umask = umask(022);
	umask(x.umask);
	manifest_read(&m, mpath);
	if (fs_mkdirs(dir) < 0)
		goto out;
	if (manifest_matches(&m, commit, files, nr)) {
		ret = 0;
		goto out;
	}
	/* From here the tree may be half written: no manifest means "dirty". */
	if (unlink(mpath) && errno != ENOENT) {
		error("cannot remove '%s': %s", mpath, strerror(errno));
		goto out;
	}
	/*
	 * A tree last exported from a commit this repository does not have
	 * (the cache is shared with another repository) has no diff to go
	 * by: compare every file, as with no manifest.
	 */
	if (!m.valid || (strcmp(m.commit, commit) && !repo_has_commit(r, m.commit))) {
		x.st.full_scan = true;
		ret = full_scan(&x, r, commit);
		if (!ret)
			ret = prune_extra(&x);
	} else {
		ret = 0;
		if (strcmp(m.commit, commit))
			ret = repo_for_each_changed_file(r, m.commit, commit, changed_cb, &x);
		if (!ret)
			ret = sync_overrides(&x, &m);
	}
	if (x.interrupted) {
		ret = TREECACHE_EINTR;
		goto out;
	}
	if (ret) {
		ret = -1;
		goto out;
	}
	/* without a boot id, the tree must be on disk before the manifest */
	have_boot = boot_id(boot);
	ret = have_boot ? 0 : sync_filesystem(dir);
	if (!ret)
		ret = write_manifest(mpath, have_boot ? boot : NULL, commit, files, nr);
out:
	if (st)
		*st = x.st;
	for (size_t i = 0; i < x.nr_paths; i++)
		free(x.paths[i]);
	free(x.paths);
	free(x.modes);
	free(x.blobs);
	exporter_release(&x);
	manifest_release(&m);
	free(mpath);
	free(dir);
	return ret;
}
