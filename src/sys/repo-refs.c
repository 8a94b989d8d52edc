/*
 * The repo module's refs: resolving a branch spec to a commit (local
 * linux-X.Y.y, remote-tracking, highest vX.Y.N tag, or any ref or commit
 * id), reading the kernel version at it, listing the stable branches,
 * whether a ref exists, and finding a patch's commit on mainline.  Objects
 * (open, blobs, tree walks, commits, hashing) are in repo.c.
 */
#include "sys/repo-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"

static bool ref_exists(struct repo *r, const char *name)
{
	git_reference *ref = NULL;
	bool ok = git_reference_lookup(&ref, r->git, name) == 0;

	git_reference_free(ref);
	return ok;
}

struct name_list {
	char **names;
	size_t nr, alloc;
};

static void name_list_add(struct name_list *l, const char *name)
{
	ALLOC_GROW(l->names, l->nr + 1, l->alloc);
	l->names[l->nr++] = xstrdup(name);
}

static void name_list_release(struct name_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->names[i]);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

static int collect_ref(const char *name, void *payload)
{
	name_list_add(payload, name);
	return 0;
}

static int list_refs(struct repo *r, const char *glob, struct name_list *l)
{
	int rc = git_reference_foreach_glob(r->git, glob, collect_ref, l);

	if (rc < 0 && rc != GIT_ENOTFOUND)
		return error("cannot list refs '%s': %s", glob, git_msg());
	return 0;
}

/* "v6.1.192" for line 6.1 -> 192; "v6.1" -> 0; anything else -> -1. */
static long tag_sublevel(const char *tag, int version, int patchlevel)
{
	char prefix[32];
	size_t n;
	const char *p;
	char *end;
	long v;

	n = (size_t)snprintf(prefix, sizeof(prefix), "v%d.%d", version, patchlevel);
	if (strncmp(tag, prefix, n))
		return -1;
	p = tag + n;
	if (!*p)
		return 0;
	if (*p != '.' || p[1] < '0' || p[1] > '9')
		return -1;
	v = strtol(p + 1, &end, 10);
	return *end ? -1 : v;
}

static int fill_from_ref(struct repo *r, struct branch *b, const char *refname)
{
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int ret = -1;

	if (git_reference_lookup(&ref, r->git, refname) < 0) {
		error("cannot read ref '%s': %s", refname, git_msg());
		goto out;
	}
	if (git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) < 0) {
		error("ref '%s' does not point at a commit: %s", refname, git_msg());
		goto out;
	}
	git_oid_tostr(b->commit, sizeof(b->commit), git_object_id(obj));
	b->ref = xstrdup(refname);
	b->label = xstrdup(git_reference_shorthand(ref));
	ret = 0;
out:
	git_object_free(obj);
	git_reference_free(ref);
	return ret;
}

int repo_read_version(struct repo *r, struct branch *b)
{
	struct strbuf mk = STRBUF_INIT;
	int rc = repo_read_blob(r, b->commit, "Makefile", &mk, NULL);

	/* a vendor tree may carry part of the tree: its version is unknown */
	if (rc == REPO_ENOTFOUND) {
		rc = 0;
	} else if (rc == 0) {
		rc = kversion_parse_makefile(&b->version, mk.buf, mk.len);
		if (rc < 0)
			error("cannot read the kernel version at '%s': %s", b->spec,
			      error_last());
		b->has_version = rc == 0;
	}
	strbuf_release(&mk);
	return rc < 0 ? -1 : 0;
}

static void add_joined(struct strbuf *sb, const struct name_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		const char *n = l->names[i];

		if (!strncmp(n, "refs/remotes/", 13))
			n += 13;
		else if (!strncmp(n, "refs/heads/", 11))
			n += 11;
		else if (!strncmp(n, "refs/tags/", 10))
			n += 10;
		strbuf_addf(sb, "%s%s", i ? ", " : "", n);
	}
}

static int resolve_line(struct repo *r, const char *spec, int ver, int pl,
			struct branch *b)
{
	struct name_list l = { 0 };
	struct strbuf name = STRBUF_INIT;
	long best = -1;
	const char *best_tag = NULL;
	int ret = -1;

	strbuf_addf(&name, "refs/heads/linux-%d.%d.y", ver, pl);
	if (ref_exists(r, name.buf)) {
		ret = fill_from_ref(r, b, name.buf);
		goto out;
	}
	strbuf_reset(&name);
	strbuf_addf(&name, "refs/remotes/*/linux-%d.%d.y", ver, pl);
	if (list_refs(r, name.buf, &l) < 0)
		goto out;
	if (l.nr == 1) {
		ret = fill_from_ref(r, b, l.names[0]);
		goto out;
	}
	if (l.nr > 1) {
		strbuf_reset(&name);
		add_joined(&name, &l);
		error("branch '%s' is ambiguous: %s", spec, name.buf);
		goto out;
	}
	if (list_refs(r, "refs/tags/v*", &l) < 0)
		goto out;
	for (size_t i = 0; i < l.nr; i++) {
		long s = tag_sublevel(l.names[i] + 10, ver, pl);

		if (s > best) {
			best = s;
			best_tag = l.names[i];
		}
	}
	if (best_tag) {
		ret = fill_from_ref(r, b, best_tag);
		goto out;
	}
	error("unknown branch '%s': no branch linux-%d.%d.y, no remote-tracking "
	      "branch */linux-%d.%d.y, no tag v%d.%d.N", spec, ver, pl, ver, pl, ver, pl);
out:
	name_list_release(&l);
	strbuf_release(&name);
	return ret;
}

static int resolve_other(struct repo *r, const char *spec, struct branch *b)
{
	static const char *const prefixes[] = { "refs/heads/", "refs/tags/",
						"refs/remotes/", "" };
	struct name_list found = { 0 };
	struct strbuf name = STRBUF_INIT;
	git_object *obj = NULL, *commit = NULL;
	git_oid first;
	int ret = -1;

	/* Two refs of one name pointing at different commits: ambiguous. */
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++) {
		strbuf_reset(&name);
		strbuf_addf(&name, "%s%s", prefixes[i], spec);
		if (ref_exists(r, name.buf))
			name_list_add(&found, name.buf);
	}
	for (size_t i = 0; i < found.nr; i++) {
		git_reference *ref = NULL;
		git_object *o = NULL;

		if (git_reference_lookup(&ref, r->git, found.names[i]) == 0 &&
		    git_reference_peel(&o, ref, GIT_OBJECT_COMMIT) == 0) {
			if (!i) {
				git_oid_cpy(&first, git_object_id(o));
			} else if (!git_oid_equal(&first, git_object_id(o))) {
				strbuf_reset(&name);
				add_joined(&name, &found);
				error("branch '%s' is ambiguous: %s", spec, name.buf);
				git_object_free(o);
				git_reference_free(ref);
				goto out;
			}
		}
		git_object_free(o);
		git_reference_free(ref);
	}
	if (found.nr) {
		ret = fill_from_ref(r, b, found.names[0]);
		goto out;
	}
	if (git_revparse_single(&obj, r->git, spec) < 0) {
		error("unknown branch '%s': not a branch, tag or commit", spec);
		goto out;
	}
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		error("'%s' does not name a commit", spec);
		goto out;
	}
	git_oid_tostr(b->commit, sizeof(b->commit), git_object_id(commit));
	b->label = xstrdup(spec);
	ret = 0;
out:
	git_object_free(commit);
	git_object_free(obj);
	name_list_release(&found);
	strbuf_release(&name);
	return ret;
}

int repo_resolve_branch(struct repo *r, const char *spec, struct branch *b)
{
	int ver, pl, rc;

	memset(b, 0, sizeof(*b));
	if (!*spec)
		return error("empty branch name");
	b->spec = xstrdup(spec);
	if (kversion_parse_line(spec, &ver, &pl))
		rc = resolve_line(r, spec, ver, pl, b);
	else
		rc = resolve_other(r, spec, b);
	if (rc < 0) {
		branch_release(b);
		return -1;
	}
	return 0;
}

struct stable_ref {
	const char *name;
	int ver, pl;
	bool local;
};

static int cmp_stable_ref(const void *a, const void *b)
{
	const struct stable_ref *x = a, *y = b;

	if (x->ver != y->ver)
		return x->ver < y->ver ? -1 : 1;
	if (x->pl != y->pl)
		return x->pl < y->pl ? -1 : 1;
	if (x->local != y->local)
		return x->local ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Whether the last branch listed so far is a remote-tracking one. */
static bool last_is_remote(const struct branch *list, size_t nr)
{
	return nr && !strncmp(list[nr - 1].ref, "refs/remotes/", 13);
}

int repo_list_stable_branches(struct repo *r, struct branch **out, size_t *nr)
{
	struct name_list l = { 0 };
	struct stable_ref *refs = NULL;
	size_t nr_refs = 0, alloc_refs = 0, nr_out = 0, alloc_out = 0;
	struct branch *list = NULL;
	int ret = -1;

	*out = NULL;
	*nr = 0;
	if (list_refs(r, "refs/heads/linux-*", &l) < 0 ||
	    list_refs(r, "refs/remotes/*", &l) < 0)
		goto out;
	for (size_t i = 0; i < l.nr; i++) {
		const char *base = strrchr(l.names[i], '/') + 1;
		struct stable_ref s = { l.names[i], 0, 0,
					!strncmp(l.names[i], "refs/heads/", 11) };

		if (!strncmp(base, "linux-", 6) &&
		    kversion_parse_line(base, &s.ver, &s.pl)) {
			ALLOC_GROW(refs, nr_refs + 1, alloc_refs);
			refs[nr_refs++] = s;
		}
	}
	if (nr_refs)
		qsort(refs, nr_refs, sizeof(*refs), cmp_stable_ref);
	for (size_t i = 0; i < nr_refs; i++) {
		struct branch *b;

		/*
		 * Sorted local first within a line: a remote-tracking branch
		 * whose line has a local branch is left out.
		 */
		if (!refs[i].local && i && refs[i - 1].ver == refs[i].ver &&
		    refs[i - 1].pl == refs[i].pl && !last_is_remote(list, nr_out))
			continue;
		ALLOC_GROW(list, nr_out + 1, alloc_out);
		b = &list[nr_out];
		memset(b, 0, sizeof(*b));
		nr_out++;
		if (fill_from_ref(r, b, refs[i].name) < 0)
			goto out;
		b->spec = xstrdup(b->label);
	}
	*out = list;
	*nr = nr_out;
	list = NULL;
	nr_out = 0;
	ret = 0;
out:
	branch_list_free(list, nr_out);
	free(refs);
	name_list_release(&l);
	return ret;
}

bool repo_ref_exists(struct repo *r, const char *ref)
{
	return ref_exists(r, ref);
}

/* "v6.12", "v6.13-rc4": a mainline tag, not a stable one (v6.12.3). */
static bool is_mainline_tag(const char *name)
{
	const char *p = name;
	int dots = 0;

	if (*p++ != 'v')
		return false;
	for (; *p && *p != '-'; p++) {
		if (*p == '.')
			dots++;
		else if (*p < '0' || *p > '9')
			return false;
	}
	return dots == 1 && (!*p || !strncmp(p, "-rc", 3));
}

int repo_find_upstream(struct repo *r, const char *subject, long long not_before,
		       char out[41], char **where)
{
	struct name_list refs = { 0 };
	git_revwalk *walk = NULL;
	size_t subject_len = strlen(subject);
	git_oid oid;
	int ret = -1, rc;

	*where = NULL;
	if (list_refs(r, "refs/heads/master", &refs) < 0 ||
	    list_refs(r, "refs/heads/main", &refs) < 0 ||
	    list_refs(r, "refs/remotes/*/master", &refs) < 0 ||
	    list_refs(r, "refs/remotes/*/main", &refs) < 0 ||
	    list_refs(r, "refs/tags/v*", &refs) < 0)
		goto out;
	if (git_revwalk_new(&walk, r->git) < 0)
		goto fail;
	git_revwalk_sorting(walk, GIT_SORT_TIME);
	for (size_t i = 0; i < refs.nr; i++) {
		const char *n = refs.names[i];

		if (!strncmp(n, "refs/tags/", 10) && !is_mainline_tag(n + 10))
			continue;
		if (git_revwalk_push_ref(walk, n) < 0)
			continue;	/* a tag of a tree or blob */
		if (!*where)
			*where = xstrdup(n);
	}
	if (!*where) {
		ret = 0;
		goto out;
	}
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		git_commit *c = NULL;
		const char *msg;

		if (git_commit_lookup(&c, r->git, &oid) < 0)
			goto fail;
		if ((long long)git_commit_time(c) < not_before) {
			git_commit_free(c);
			break;
		}
		msg = git_commit_message(c);
		if (!strncmp(msg, subject, subject_len) &&
		    (msg[subject_len] == '\n' || !msg[subject_len])) {
			git_oid_tostr(out, 41, &oid);
			git_commit_free(c);
			ret = 1;
			goto out;
		}
		git_commit_free(c);
	}
	if (rc < 0 && rc != GIT_ITEROVER)
		goto fail;
	ret = 0;
	goto out;
fail:
	error("cannot search mainline for '%s': %s", subject, git_msg());
out:
	git_revwalk_free(walk);
	name_list_release(&refs);
	return ret;
}
