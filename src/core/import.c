#include "core/import.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fix.h"
#include "core/render.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

void import_plan_release(struct import_plan *ip)
{
	free(ip->id);
	free(ip->upstream);
	free(ip->subject);
	free(ip->patch_name);
	free(ip->conf);
	memset(ip, 0, sizeof(*ip));
}

/*
 * The name of the function s (one line, len bytes) defines or declares:
 * the identifier before the first '(' of a line that starts at column 0
 * with a type, not a preprocessor line, a label or a statement.
 */
static char *definition_name(const char *s, size_t len, bool need_column0)
{
	const char *paren = memchr(s, '(', len), *end, *start;

	if (!len || !paren || (need_column0 && (isspace((unsigned char)*s) || *s == '#' ||
						 *s == '}' || *s == '{')))
		return NULL;
	if (memchr(s, ';', len) && (const char *)memchr(s, ';', len) < paren)
		return NULL;
	end = paren;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > s && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
		start--;
	if (start == end || isdigit((unsigned char)*start))
		return NULL;
	/* "if (", "while (" and the like are statements, not definitions */
	if ((end - start == 2 && !strncmp(start, "if", 2)) ||
	    (end - start == 5 && !strncmp(start, "while", 5)) ||
	    (end - start == 3 && !strncmp(start, "for", 3)) ||
	    (end - start == 6 && !strncmp(start, "switch", 6)) ||
	    (end - start == 6 && !strncmp(start, "return", 6)) ||
	    (end - start == 6 && !strncmp(start, "sizeof", 6)))
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

char *import_hunk_function(const struct hunk *h)
{
	char *name = NULL;

	/* a definition line in the hunk before its first change */
	for (size_t i = 0; i < h->nr_lines && h->lines[i].op == ' '; i++) {
		char *n = definition_name(h->lines[i].text, h->lines[i].len, true);

		if (n) {
			free(name);
			name = n;
		}
	}
	if (name)
		return name;
	return definition_name(h->section, h->section_len, false);
}

/*
 * The id from the subject: "mm/vmscan: fix x" -> "mm-vmscan-fix-x", cut
 * after the last whole word that fits in 48 characters.
 */
static char *id_from_subject(const char *subject)
{
	struct strbuf sb = STRBUF_INIT;
	bool dash = false;

	for (const char *p = subject; *p; p++) {
		if (isalnum((unsigned char)*p)) {
			if (dash && sb.len)
				strbuf_addch(&sb, '-');
			strbuf_addch(&sb, (char)tolower((unsigned char)*p));
			dash = false;
		} else {
			dash = true;
		}
	}
	if (sb.len > 48) {
		size_t cut = 48;

		while (cut && sb.buf[cut] != '-')
			cut--;
		strbuf_setlen(&sb, cut ? cut : 48);
	}
	return strbuf_detach(&sb, NULL);
}

/* A git-config value in double quotes, with " and \ escaped. */
static void add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addch(sb, '\\');
		if (*s == '\t')
			strbuf_addstr(sb, "\\t");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

/* The "From <40 hex> Mon Sep 17 00:00:00 2001" line of git format-patch. */
static bool format_patch_id(const char *text, size_t len, char out[41])
{
	if (len < 46 || strncmp(text, "From ", 5))
		return false;
	for (int i = 0; i < 40; i++)
		if (!isxdigit((unsigned char)text[5 + i]))
			return false;
	if (text[45] != ' ')
		return false;
	for (int i = 0; i < 40; i++)
		out[i] = (char)tolower((unsigned char)text[5 + i]);
	out[40] = '\0';
	return true;
}

/* Whether text[off..len) starts with a mail header line, "Name: ...". */
static bool is_header_at(const char *text, size_t len, size_t off)
{
	size_t i = off;

	while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '-'))
		i++;
	return i > off && i + 1 < len && text[i] == ':' && text[i + 1] == ' ';
}

/*
 * How many messages the text holds: mbox separator lines ("From " and a
 * word, git format-patch's and lore's alike) followed by a header line.
 */
static size_t nr_messages(const char *text, size_t len)
{
	size_t n = 0;

	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;

		if (end - off > 6 && !strncmp(text + off, "From ", 5) &&
		    !isspace((unsigned char)text[off + 5]) && is_header_at(text, len, end))
			n++;
		off = end;
	}
	return n;
}

struct func_list {
	char **names;
	size_t nr, alloc;
};

int import_plan_make(struct import_plan *ip, const struct patch *p, const char *text,
		     size_t len, const char *name, const struct import_opts *o)
{
	const char *id = o->id;
	struct strbuf conf = STRBUF_INIT;
	struct func_list *funcs = xcalloc(p->nr_files + 1, sizeof(*funcs));
	char upstream[41];
	int ret = -1;

	memset(ip, 0, sizeof(*ip));
	if (nr_messages(text, len) > 1) {
		error("'%s' holds %zu messages: import takes one patch (split the mbox "
		      "first, e.g. with git mailsplit)", name, nr_messages(text, len));
		goto out;
	}
	if (!id && !p->subject) {
		error("'%s' has no Subject: to name the fix after: give --id", name);
		goto out;
	}
	ip->id = id ? xstrdup(id) : id_from_subject(p->subject);
	if (!fix_id_is_valid(ip->id)) {
		error("'%s' is not a fix id: a plain name of letters, digits, '.', '_' "
		      "and '-', at most 64", ip->id);
		goto out;
	}
	ip->subject = xstrdup(p->subject ? p->subject : ip->id);
	if (render_upstream_id(p->message, upstream) || format_patch_id(text, len, upstream))
		ip->upstream = xstrdup(upstream);
	ip->patch_name = xstrfmt("%s.patch", ip->id);
	for (size_t i = 0; i < p->nr_files; i++) {
		const struct file_diff *fd = &p->files[i];
		size_t t = i;	/* the first diff of the same file gets its functions */

		for (size_t j = 0; j < i; j++)
			if (!strcmp(p->files[j].path, fd->path)) {
				t = j;
				break;
			}
		for (size_t k = 0; k < fd->nr_hunks; k++) {
			char *fn = import_hunk_function(&fd->hunks[k]);
			bool seen = false;

			if (!fn) {
				error("'%s': cannot tell which function hunk %zu of '%s' (line "
				      "%zu) lives in: no definition line and no @@ function name",
				      name, k + 1, fd->path, fd->hunks[k].patch_line);
				goto out;
			}
			for (size_t j = 0; j < funcs[t].nr && !seen; j++)
				seen = !strcmp(funcs[t].names[j], fn);
			if (seen) {
				free(fn);
				continue;
			}
			ALLOC_GROW(funcs[t].names, funcs[t].nr + 1, funcs[t].alloc);
			funcs[t].names[funcs[t].nr++] = fn;
		}
	}
	strbuf_addf(&conf, "# imported by backport-mglru import from %s\n[fix]\n\tid = ", name);
	add_quoted(&conf, ip->id);
	strbuf_addstr(&conf, "\n\tsubject = ");
	add_quoted(&conf, ip->subject);
	strbuf_addstr(&conf, "\n");
	if (ip->upstream)
		strbuf_addf(&conf, "\tupstream = %s\n", ip->upstream);
	strbuf_addf(&conf, "\tpatch = %s\n", ip->patch_name);
	for (size_t i = 0; i < o->nr_kconfig; i++)
		strbuf_addf(&conf, "\tkconfig = %s\n", o->kconfig[i]);
	if (!o->nr_kconfig)
		strbuf_addstr(&conf, "\t# the Kconfig symbols the changed code needs, e.g.\n"
				     "\t# kconfig = LRU_GEN\n");
	for (size_t i = 0; i < p->nr_files; i++) {
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = !strcmp(p->files[j].path, p->files[i].path);
		if (dup)
			continue;
		strbuf_addstr(&conf, "[file ");
		add_quoted(&conf, p->files[i].path);
		strbuf_addstr(&conf, "]\n");
		for (size_t k = 0; k < funcs[i].nr; k++)
			strbuf_addf(&conf, "\tfunction = %s\n", funcs[i].names[k]);
	}
	ip->conf = strbuf_detach(&conf, NULL);
	ret = 0;
out:
	for (size_t i = 0; i < p->nr_files; i++) {
		for (size_t k = 0; k < funcs[i].nr; k++)
			free(funcs[i].names[k]);
		free(funcs[i].names);
	}
	free(funcs);
	strbuf_release(&conf);
	if (ret < 0)
		import_plan_release(ip);
	return ret;
}
