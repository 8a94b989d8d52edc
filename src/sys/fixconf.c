#include "sys/fixconf.h"

#include <git2.h>
#include <strings.h>
#include <string.h>

#include "core/error.h"
#include "sys/fsutil.h"

struct fixconf_ctx {
	struct fix_desc *fix;
	const char *path;
	int failed;
};

static int take_entry(const git_config_entry *e, void *payload)
{
	struct fixconf_ctx *c = payload;

	if (e->include_depth || !strncmp(e->name, "include.", 8) ||
	    !strncmp(e->name, "includeif.", 10)) {
		error("bad fix descriptor '%s': key '%s': includes are not allowed",
		      c->path, e->name);
		c->failed = 1;
		return -1;
	}
	if (fix_desc_set(c->fix, c->path, e->name, e->value) < 0) {
		c->failed = 1;
		return -1;
	}
	return 0;
}

/* libgit2's message for its last error, never NULL. */
static const char *lg_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

/*
 * libgit2 follows include.path and includeIf while it opens the file, so
 * an include section is refused before: a descriptor reads nothing else.
 * Conservative: a "[include" at the start of any line counts.
 */
static int refuse_includes(const char *path, const struct strbuf *text)
{
	const char *p = text->buf;
	size_t lineno = 1;

	for (;;) {
		const char *q = p;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '[') {
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			if (!strncasecmp(q, "include", 7))
				return error("bad fix descriptor '%s': key 'include' (line %zu): "
					     "includes are not allowed", path, lineno);
		}
		p = strchr(p, '\n');
		if (!p)
			return 0;
		p++;
		lineno++;
	}
}

void fixconf_hold(void)
{
	git_libgit2_init();
}

void fixconf_release_hold(void)
{
	git_libgit2_shutdown();
}

int fixconf_read(struct fix_desc *fix, const char *path, const char *folder)
{
	struct fixconf_ctx c = { fix, path, 0 };
	struct strbuf text = STRBUF_INIT;
	git_config *cfg = NULL;
	int ret = -1;

	git_libgit2_init();
	if (!fs_exists(path)) {
		error("cannot read fix descriptor '%s': no such file", path);
		goto out;
	}
	if (fs_read_file(path, &text, FS_MAX_INPUT) < 0 || refuse_includes(path, &text) < 0)
		goto out;
	if (git_config_open_ondisk(&cfg, path) < 0) {
		error("bad fix descriptor '%s': %s", path, lg_msg());
		goto out;
	}
	if (git_config_foreach(cfg, take_entry, &c) < 0) {
		if (!c.failed)
			error("bad fix descriptor '%s': %s", path, lg_msg());
		goto out;
	}
	ret = fix_desc_finish(fix, path, folder);
out:
	strbuf_release(&text);
	git_config_free(cfg);
	git_libgit2_shutdown();
	return ret;
}
