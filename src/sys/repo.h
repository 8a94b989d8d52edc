/*
 * The repository, through libgit2 only: open, resolve branch specs, list
 * stable branches, read blobs and trees (repo.c: objects; repo-refs.c:
 * refs and branches).  The one write is repo_commit(), for `apply
 * --commit`: one new commit and the one ref asked for; nothing here touches
 * the work tree, the index or HEAD.  This is the only module that includes
 * <git2.h>.
 */
#ifndef BM_REPO_H
#define BM_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/branch.h"
#include "core/strbuf.h"

struct repo;

/* Returned by repo_read_blob() when the path is not in the tree. */
#define REPO_ENOTFOUND (-2)

/*
 * Opens path (bare or not; no discovery upwards), or when path is NULL,
 * $BACKPORT_MGLRU_REPO, else the repository containing the current
 * directory.  Returns -1 with error() set.  Free with repo_free().
 */
int repo_open(struct repo **out, const char *path);
/* A second handle on r's repository, for another thread. */
int repo_open_again(const struct repo *r, struct repo **out);
void repo_free(struct repo *r);
/* The repository's directory as opened (its .git for a work tree). */
const char *repo_path(const struct repo *r);

/*
 * Resolves spec into b (released by the caller with branch_release()):
 * "6.6.y" / "linux-6.6.y" -> local linux-6.6.y, else the single
 * remote-tracking REMOTE/linux-6.6.y, else the highest v6.6.N tag; anything else
 * as a ref or commit id.  Several candidates, or none: -1 with an error
 * naming spec and the candidates.  The version is read apart:
 * repo_read_version().
 */
int repo_resolve_branch(struct repo *r, const char *spec, struct branch *b);

/*
 * Sets b->version from the top-level Makefile at b->commit.  With no
 * Makefile (a vendor tree carrying part of the tree) b->has_version stays
 * false: the version is unknown, never guessed from the branch name.  -1
 * with an error naming b->spec when the Makefile names no version.
 */
int repo_read_version(struct repo *r, struct branch *b);

/*
 * Every local or remote-tracking branch named linux-X.Y.y, in version order;
 * where a line has a local branch, its remote-tracking ones are left out.
 * *out is an array of *nr branches; free it with branch_list_free().
 */
int repo_list_stable_branches(struct repo *r, struct branch **out, size_t *nr);

/*
 * Reads path at commit (hex) into buf (reset first).  blob_id, when not
 * NULL, receives the blob's hex id.  REPO_ENOTFOUND when the path is not a
 * file in that tree; -1 with error() set on other failures.
 */
int repo_read_blob(struct repo *r, const char *commit, const char *path,
		   struct strbuf *buf, char blob_id[41]);

/* git's modes for what a tree entry is. */
#define REPO_MODE_FILE 0100644
#define REPO_MODE_EXECUTABLE 0100755
#define REPO_MODE_SYMLINK 0120000
#define REPO_MODE_SUBMODULE 0160000
#define REPO_MODE_TREE 040000

/* Returned by repo_read_path() for a blob larger than its max. */
#define REPO_ETOOBIG (-4)

/*
 * What is at path in commit, whatever it is: *mode (one of REPO_MODE_*)
 * and, for a blob (a file, or a symbolic link's target), its text in buf
 * (reset first; empty for a tree or a submodule).  A blob of more than max
 * bytes is not loaded: REPO_ETOOBIG with error() set ("larger than N
 * MiB"; give max in whole MiB).  REPO_ENOTFOUND when nothing is at path;
 * -1 with error() set on other failures.  For reading input (a patch) from
 * a repository, or a file that must be a regular one.
 */
int repo_read_path(struct repo *r, const char *commit, const char *path,
		   size_t max, struct strbuf *buf, unsigned *mode);

struct commit_file {
	const char *path;	/* e.g. "mm/vmscan.c"; must exist at the parent */
	const char *data;
	size_t len;
};

struct commit_request {
	const char *parent;	/* hex commit the new one builds on */
	const char *ref;	/* full name of the ref to create */
	bool force;		/* replace ref when it exists */
	const char *author_name, *author_email;
	long long author_time;	/* seconds since the epoch */
	int author_offset;	/* minutes east of UTC */
	const char *message;
	const struct commit_file *files;
	size_t nr_files;
};

/*
 * Makes one commit on req->parent with req->files replaced, and points
 * req->ref at it; the committer comes from git config.  Nothing else moves:
 * not HEAD, not the index, not the work tree, no other ref.  Objects are
 * built in memory and written only once everything succeeded, so a failure
 * leaves nothing behind.  An existing ref without force is an error
 * (REPO_EEXISTS).  out receives the new commit's hex id.
 */
#define REPO_EEXISTS (-3)
int repo_commit(struct repo *r, const struct commit_request *req, char out[41]);

/*
 * Calls fn(path, mode, blob_hex, ctx) for every file (regular, executable,
 * symlink) in commit's tree, depth first in tree order; submodules are
 * skipped.  A non-zero return from fn stops the walk and is returned.
 * mode is the git file mode (0100644, 0100755, 0120000).
 */
typedef int (*repo_file_fn)(const char *path, unsigned mode, const char *blob_hex,
			    void *ctx);
int repo_for_each_file(struct repo *r, const char *commit, repo_file_fn fn, void *ctx);

/*
 * Calls fn for every file that differs between the trees of old_commit and
 * new_commit: blob_hex is the new blob, or NULL when the file was deleted
 * (mode is then the old mode).
 */
int repo_for_each_changed_file(struct repo *r, const char *old_commit,
			       const char *new_commit, repo_file_fn fn, void *ctx);

/* Reads the blob blob_hex into buf (reset first); -1 with error() set. */
int repo_read_blob_by_id(struct repo *r, const char *blob_hex, struct strbuf *buf);

/* Whether commit_hex names a commit this repository has. */
bool repo_has_commit(struct repo *r, const char *commit_hex);

/* The id git gives data as a blob, hex, into out. */
void repo_hash_blob(const char *data, size_t len, char out[41]);

/*
 * Looks for mainline in the repository (branches master or main, local or
 * remote-tracking, and tags vX.Y / vX.Y-rcN) and, when there is any, for a
 * commit whose subject is subject, walking newest first and stopping at
 * commits older than not_before (the patch's author date: the fix cannot be
 * older).  Returns 1 with out (hex) and *where (the mainline ref it was
 * found from, caller frees) set, 0 when the repository holds no mainline
 * ref or no such commit (*where says which: NULL when no mainline), -1 with
 * error() set.
 */
int repo_find_upstream(struct repo *r, const char *subject, long long not_before,
		       char out[41], char **where);

/* Whether ref exists. */
bool repo_ref_exists(struct repo *r, const char *ref);

#endif
