/*
 * The repo module's objects: opening and freeing the repository, reading
 * blobs, walking and comparing trees, creating commits, hashing blobs.
 * Branch and ref resolution are in repo-refs.c.
 */
#include "sys/repo-internal.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"

int repo_open(struct repo **out, const char *path)
{
	git_repository *git = NULL;
	const char *env = getenv("BACKPORT_MGLRU_REPO");
	int rc;

	*out = NULL;
	git_libgit2_init();
	/*
	 * libgit2 re-hashes every object it reads; git does not, and for a
	 * kernel blob that is a seventh of what locate costs.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (!path && env && *env)
		path = env;
	if (path)
		rc = git_repository_open_ext(&git, path,
					     GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	else
		rc = git_repository_open_ext(&git, ".", 0, NULL);
	if (rc < 0) {
		if (rc == GIT_ENOTFOUND)
			return error("cannot open repository '%s': not a git repository",
				     path ? path : ".");
		return error("cannot open repository '%s': %s",
			     path ? path : ".", git_msg());
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->git = git;
	(*out)->path = xstrdup(git_repository_path(git));
	return 0;
}

int repo_open_again(const struct repo *r, struct repo **out)
{
	git_repository *git = NULL;

	*out = NULL;
	git_libgit2_init();
	if (git_repository_open_ext(&git, r->path, GIT_REPOSITORY_OPEN_NO_SEARCH,
				    NULL) < 0) {
		error("cannot open repository '%s': %s", r->path, git_msg());
		git_libgit2_shutdown();
		return -1;
	}
	*out = xcalloc(1, sizeof(**out));
	(*out)->git = git;
	(*out)->path = xstrdup(git_repository_path(git));
	return 0;
}

void repo_free(struct repo *r)
{
	if (!r)
		return;
	git_repository_free(r->git);
	free(r->path);
	free(r);
	git_libgit2_shutdown();
}

const char *repo_path(const struct repo *r)
{
	return r->path;
}

/*
 * What is at path in commit: *mode, and for a blob (a file or a symbolic
 * link) its text in buf when it is at most max bytes (its size is read
 * from the object's header first: a larger one is never loaded).
 */
static int read_entry(struct repo *r, const char *commit_hex, const char *path,
		      size_t max, struct strbuf *buf, char blob_id[41], unsigned *mode)
{
	git_oid oid;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	size_t size;
	int ret = -1, rc;

	strbuf_reset(buf);
	*mode = 0;
	if (git_oid_fromstr(&oid, commit_hex) < 0 ||
	    git_commit_lookup(&commit, r->git, &oid) < 0 ||
	    git_commit_tree(&tree, commit) < 0) {
		error("cannot read commit '%s': %s", commit_hex, git_msg());
		goto out;
	}
	rc = git_tree_entry_bypath(&entry, tree, path);
	if (rc == GIT_ENOTFOUND) {
		ret = REPO_ENOTFOUND;
		goto out;
	}
	if (rc < 0)
		goto fail;
	*mode = (unsigned)git_tree_entry_filemode_raw(entry);
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		ret = 0;
		goto out;
	}
	if (git_repository_odb(&odb, r->git) < 0 ||
	    git_odb_read_header(&size, &type, odb, git_tree_entry_id(entry)) < 0)
		goto fail;
	if (size > max) {
		error("cannot read '%s' at '%.12s': larger than %zu MiB", path, commit_hex,
		      max >> 20);
		ret = REPO_ETOOBIG;
		goto out;
	}
	if (git_blob_lookup(&blob, r->git, git_tree_entry_id(entry)) < 0)
		goto fail;
	strbuf_add(buf, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	if (blob_id)
		git_oid_tostr(blob_id, 41, git_blob_id(blob));
	ret = 0;
	goto out;
fail:
	error("cannot read '%s' at '%.12s': %s", path, commit_hex, git_msg());
out:
	git_odb_free(odb);
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return ret;
}

int repo_read_blob(struct repo *r, const char *commit_hex, const char *path,
		   struct strbuf *buf, char blob_id[41])
{
	unsigned mode;
	int rc = read_entry(r, commit_hex, path, SIZE_MAX, buf, blob_id, &mode);

	if (rc == 0 && (mode == REPO_MODE_TREE || mode == REPO_MODE_SUBMODULE))
		return REPO_ENOTFOUND;
	return rc;
}

int repo_read_path(struct repo *r, const char *commit_hex, const char *path,
		   size_t max, struct strbuf *buf, unsigned *mode)
{
	return read_entry(r, commit_hex, path, max, buf, NULL, mode);
}

/*
 * Writes a copy of tree base with path (relative, '/'-separated) set to
 * blob; the new tree's id goes to out.  Every level keeps its other entries.
 */
struct oid_list {
	git_oid *oids;
	size_t nr, alloc;
};

static void oid_list_add(struct oid_list *l, const git_oid *oid)
{
	ALLOC_GROW(l->oids, l->nr + 1, l->alloc);
	git_oid_cpy(&l->oids[l->nr++], oid);
}

static int tree_with_blob(git_repository *git, const git_tree *base, const char *path,
			  const git_oid *blob, git_oid *out, struct oid_list *made)
{
	const char *slash = strchr(path, '/');
	git_treebuilder *bld = NULL;
	git_tree *sub = NULL;
	char *name = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(path);
	int ret = -1;

	if (git_treebuilder_new(&bld, git, base) < 0)
		goto fail;
	if (slash) {
		const git_tree_entry *e = base ? git_tree_entry_byname(base, name) : NULL;
		git_oid sub_id;

		if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
			error("cannot commit '%s': '%s' is not a directory in the tree",
			      path, name);
			goto out;
		}
		if (git_tree_lookup(&sub, git, git_tree_entry_id(e)) < 0 ||
		    tree_with_blob(git, sub, slash + 1, blob, &sub_id, made) < 0 ||
		    git_treebuilder_insert(NULL, bld, name, &sub_id, GIT_FILEMODE_TREE) < 0)
			goto fail;
	} else {
		const git_tree_entry *e = base ? git_tree_entry_byname(base, name) : NULL;
		git_filemode_t mode = e ? git_tree_entry_filemode(e) : GIT_FILEMODE_BLOB;

		if (git_treebuilder_insert(NULL, bld, name, blob, mode) < 0)
			goto fail;
	}
	if (git_treebuilder_write(out, bld) < 0)
		goto fail;
	oid_list_add(made, out);
	ret = 0;
	goto out;
fail:
	error("cannot build the tree for '%s': %s", path, git_msg());
out:
	git_tree_free(sub);
	git_treebuilder_free(bld);
	free(name);
	return ret;
}

/*
 * Writes the objects this commit made, which the mempack backend holds, to
 * the repository's own object directory (as loose objects), through a second
 * object database that has no mempack.  git_mempack_dump() is no use here:
 * it packs every object reachable from the commit, the whole kernel tree.
 */
static int flush_made(git_repository *git, git_odb *odb, const struct oid_list *made)
{
	git_buf dir = { 0 };
	git_odb *disk = NULL;
	int ret = -1;

	if (git_repository_item_path(&dir, git, GIT_REPOSITORY_ITEM_OBJECTS) < 0 ||
	    git_odb_open(&disk, dir.ptr) < 0) {
		error("cannot open the object directory: %s", git_msg());
		goto out;
	}
	for (size_t i = 0; i < made->nr; i++) {
		git_odb_object *obj = NULL;
		git_oid written;
		int rc = git_odb_read(&obj, odb, &made->oids[i]);

		if (rc == 0)
			rc = git_odb_write(&written, disk, git_odb_object_data(obj),
					   git_odb_object_size(obj), git_odb_object_type(obj));
		git_odb_object_free(obj);
		if (rc < 0) {
			error("cannot write objects: %s", git_msg());
			goto out;
		}
	}
	ret = 0;
out:
	git_odb_free(disk);
	git_buf_dispose(&dir);
	return ret;
}

int repo_commit(struct repo *r, const struct commit_request *req, char out[41])
{
	git_odb *odb = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL, *new_tree = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_reference *ref = NULL;
	git_oid oid, tree_id, commit_id;
	struct oid_list made = { 0 };
	int ret = -1, valid = 0;


	if (git_reference_name_is_valid(&valid, req->ref) < 0 || !valid)
		return error("'%s' is not a valid ref name", req->ref);
	if (!req->force && repo_ref_exists(r, req->ref)) {
		error("ref '%s' already exists (use --force to replace it)", req->ref);
		return REPO_EEXISTS;
	}
	if (git_signature_default(&committer, r->git) < 0) {
		error("cannot make a commit: no committer identity (set user.name "
		      "and user.email in git config): %s", git_msg());
		goto out;
	}
	if (git_signature_new(&author, req->author_name, req->author_email,
			      (git_time_t)req->author_time, req->author_offset) < 0) {
		error("bad author '%s <%s>': %s", req->author_name, req->author_email,
		      git_msg());
		goto out;
	}
	if (git_oid_fromstr(&oid, req->parent) < 0 ||
	    git_commit_lookup(&parent, r->git, &oid) < 0 ||
	    git_commit_tree(&tree, parent) < 0) {
		error("cannot read commit '%s': %s", req->parent, git_msg());
		goto out;
	}
	/* From here on, new objects go to memory only. */
	if (git_repository_odb(&odb, r->git) < 0) {
		error("cannot open the object database: %s", git_msg());
		goto out;
	}
	if (!r->mempack) {
		git_odb_backend *mp = NULL;

		if (git_mempack_new(&mp) < 0 || git_odb_add_backend(odb, mp, 1000) < 0) {
			error("cannot set up an in-memory object store: %s", git_msg());
			if (mp)
				mp->free(mp);
			goto out;
		}
		r->mempack = mp;
	}
	git_tree_lookup(&new_tree, r->git, git_tree_id(tree));
	for (size_t i = 0; i < req->nr_files; i++) {
		const struct commit_file *f = &req->files[i];
		git_oid blob;

		if (git_blob_create_from_buffer(&blob, r->git, f->data, f->len) < 0) {
			error("cannot store '%s': %s", f->path, git_msg());
			goto out;
		}
		oid_list_add(&made, &blob);
		if (tree_with_blob(r->git, new_tree, f->path, &blob, &tree_id, &made) < 0)
			goto out;
		git_tree_free(new_tree);
		new_tree = NULL;
		if (git_tree_lookup(&new_tree, r->git, &tree_id) < 0) {
			error("cannot read back the new tree: %s", git_msg());
			goto out;
		}
	}
	if (git_commit_create(&commit_id, r->git, NULL, author, committer, NULL,
			      req->message, new_tree, 1,
			      (const git_commit **)&parent) < 0) {
		error("cannot create the commit: %s", git_msg());
		goto out;
	}
	oid_list_add(&made, &commit_id);
	if (flush_made(r->git, odb, &made) < 0)
		goto out;
	if (git_reference_create(&ref, r->git, req->ref, &commit_id, req->force,
				 "backport-mglru: apply") < 0) {
		error("cannot create ref '%s': %s", req->ref, git_msg());
		goto out;
	}
	git_oid_tostr(out, 41, &commit_id);
	ret = 0;
out:
	if (r->mempack)
		git_mempack_reset(r->mempack);
	free(made.oids);
	git_reference_free(ref);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(new_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_odb_free(odb);
	return ret;
}

struct walk_ctx {
	repo_file_fn fn;
	void *ctx;
	int ret;
	struct strbuf path;
};

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk_ctx *w = payload;
	git_filemode_t mode = git_tree_entry_filemode(e);
	char hex[41];

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
	    mode != GIT_FILEMODE_LINK)
		return 0;
	strbuf_reset(&w->path);
	strbuf_addstr(&w->path, root);
	strbuf_addstr(&w->path, git_tree_entry_name(e));
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
	w->ret = w->fn(w->path.buf, (unsigned)mode, hex, w->ctx);
	return w->ret ? -1 : 0;
}

static int commit_tree(struct repo *r, const char *commit_hex, git_tree **tree)
{
	git_oid oid;
	git_commit *commit = NULL;
	int rc;

	if (git_oid_fromstr(&oid, commit_hex) < 0 ||
	    git_commit_lookup(&commit, r->git, &oid) < 0)
		return error("cannot read commit '%s': %s", commit_hex, git_msg());
	rc = git_commit_tree(tree, commit);
	git_commit_free(commit);
	if (rc < 0)
		return error("cannot read the tree of '%s': %s", commit_hex, git_msg());
	return 0;
}

int repo_for_each_file(struct repo *r, const char *commit, repo_file_fn fn, void *ctx)
{
	struct walk_ctx w = { fn, ctx, 0, STRBUF_INIT };
	git_tree *tree = NULL;
	int rc;

	if (commit_tree(r, commit, &tree) < 0)
		return -1;
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w);
	git_tree_free(tree);
	strbuf_release(&w.path);
	if (w.ret)
		return w.ret;
	if (rc < 0)
		return error("cannot walk the tree of '%s': %s", commit, git_msg());
	return 0;
}

int repo_for_each_changed_file(struct repo *r, const char *old_commit,
			       const char *new_commit, repo_file_fn fn, void *ctx)
{
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	int ret = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
	if (commit_tree(r, old_commit, &a) < 0 || commit_tree(r, new_commit, &b) < 0)
		goto out;
	if (git_diff_tree_to_tree(&diff, r->git, a, b, &opts) < 0) {
		error("cannot compare '%s' and '%s': %s", old_commit, new_commit,
		      git_msg());
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		char hex[41];
		int rc;

		if (d->status == GIT_DELTA_DELETED) {
			rc = fn(d->old_file.path, d->old_file.mode, NULL, ctx);
		} else {
			if (d->new_file.mode == GIT_FILEMODE_COMMIT)
				continue;
			git_oid_tostr(hex, sizeof(hex), &d->new_file.id);
			rc = fn(d->new_file.path, d->new_file.mode, hex, ctx);
		}
		if (rc) {
			ret = rc;
			goto out;
		}
	}
	ret = 0;
out:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return ret;
}

int repo_read_blob_by_id(struct repo *r, const char *blob_hex, struct strbuf *buf)
{
	git_oid oid;
	git_blob *blob = NULL;

	strbuf_reset(buf);
	if (git_oid_fromstr(&oid, blob_hex) < 0 ||
	    git_blob_lookup(&blob, r->git, &oid) < 0)
		return error("cannot read blob '%s': %s", blob_hex, git_msg());
	strbuf_add(buf, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

void repo_hash_blob(const char *data, size_t len, char out[41])
{
	git_oid oid;

	git_libgit2_init();
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0)
		BUG("git_odb_hash failed: %s", git_msg());
	git_oid_tostr(out, 41, &oid);
	git_libgit2_shutdown();
}

bool repo_has_commit(struct repo *r, const char *commit_hex)
{
	git_commit *commit = NULL;
	git_oid oid;
	bool ok = git_oid_fromstr(&oid, commit_hex) == 0 &&
		  git_commit_lookup(&commit, r->git, &oid) == 0;

	git_commit_free(commit);
	return ok;
}
