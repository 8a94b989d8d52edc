/*
 * The unified-diff / mbox parser.  It walks the owned copy of the text line
 * by line; a file diff starts at "diff --git" or at a "--- " line followed by
 * a "+++ " line, and every other line outside hunks (diffstat, signature,
 * "Index:") is ignored, as GNU patch ignores leading garbage.
 */
#include "core/patch.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

struct line {
	const char *p; /* start */
	size_t len;    /* without '\n' */
	bool nl;       /* ended in '\n' */
};

struct reader {
	struct patch *patch;
	const char *pos, *end;
	size_t lineno; /* of the line last returned */
	bool strip_cr; /* inside a CRLF file diff */
};

static bool peek_line(const struct reader *r, struct line *l)
{
	const char *nl;

	if (r->pos >= r->end)
		return false;
	nl = memchr(r->pos, '\n', r->end - r->pos);
	l->p = r->pos;
	l->len = nl ? (size_t)(nl - r->pos) : (size_t)(r->end - r->pos);
	l->nl = nl != NULL;
	if (r->strip_cr && l->nl && l->len && l->p[l->len - 1] == '\r')
		l->len--;
	return true;
}

static bool next_line(struct reader *r, struct line *l)
{
	const char *nl;

	if (!peek_line(r, l))
		return false;
	nl = memchr(r->pos, '\n', r->end - r->pos);
	r->pos = nl ? nl + 1 : r->end;
	r->lineno++;
	return true;
}

/* The line after the next one, for "--- " then "+++ ". */
static bool peek_second_line(const struct reader *r, struct line *l)
{
	struct reader copy = *r;
	struct line first = { 0 };

	if (!next_line(&copy, &first))
		return false;
	return peek_line(&copy, l);
}

static bool line_starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && !memcmp(l->p, prefix, n);
}

static bool line_is(const struct line *l, const char *s)
{
	return l->len == strlen(s) && !memcmp(l->p, s, l->len);
}

/* Same, ignoring one trailing '\r' (outside file diffs CRs stay). */
static bool line_is_cr(const struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (l->len == n + 1 && l->p[n] == '\r')
		return !memcmp(l->p, s, n);
	return line_is(l, s);
}

static int parse_error(struct reader *r, size_t lineno, const char *what,
		       const struct line *l)
{
	if (l) {
		size_t n = l->len > 60 ? 60 : l->len;

		return error("patch '%s' line %zu: %s: '%.*s%s'",
			     r->patch->name, lineno, what, (int)n, l->p,
			     n < l->len ? "..." : "");
	}
	return error("patch '%s' line %zu: %s", r->patch->name, lineno, what);
}

/* --- mail headers and message --- */

static char *dup_trimmed(const char *p, size_t len)
{
	while (len && isspace((unsigned char)*p))
		p++, len--;
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	return xstrndup(p, len);
}

/* "[PATCH v2 1/3] mm: fix" -> "mm: fix"; other subjects unchanged. */
static char *strip_subject(const char *s)
{
	while (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close || strncasecmp(s + 1, "PATCH", 5))
			break;
		s = close + 1;
		while (*s == ' ' || *s == '\t')
			s++;
	}
	return xstrdup(s);
}

static bool is_diff_start(const struct reader *r, const struct line *l)
{
	struct line next = { 0 };

	if (line_starts(l, "diff --git "))
		return true;
	if (line_starts(l, "--- ") && peek_second_line(r, &next) &&
	    line_starts(&next, "+++ "))
		return true;
	return false;
}

static bool is_header_line(const struct line *l)
{
	static const char *const names[] = {"From:", "Date:", "Subject:"};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (l->len >= strlen(names[i]) &&
		    !strncasecmp(l->p, names[i], strlen(names[i])))
			return true;
	return false;
}

static void parse_mail(struct reader *r)
{
	struct patch *p = r->patch;
	struct strbuf value = STRBUF_INIT, msg = STRBUF_INIT;
	char **target = NULL;
	struct line l = { 0 };
	bool headers = false;

	if (peek_line(r, &l) && line_starts(&l, "From ")) {
		next_line(r, &l);
		headers = true;
	} else if (peek_line(r, &l) && is_header_line(&l)) {
		headers = true;
	}

	while (headers && peek_line(r, &l)) {
		if (l.len == 0 || line_is_cr(&l, "")) {
			next_line(r, &l);
			break;
		}
		if ((l.p[0] == ' ' || l.p[0] == '\t') && target) {
			size_t skip = 0;

			while (skip < l.len &&
			       (l.p[skip] == ' ' || l.p[skip] == '\t'))
				skip++;
			strbuf_rtrim(&value);
			strbuf_addch(&value, ' ');
			strbuf_add(&value, l.p + skip, l.len - skip);
			next_line(r, &l);
			continue;
		}
		if (is_diff_start(r, &l))
			break;
		if (target) {
			free(*target);
			*target = dup_trimmed(value.buf, value.len);
		}
		strbuf_reset(&value);
		target = NULL;
		if (l.len >= 5 && !strncasecmp(l.p, "From:", 5)) {
			target = &p->from;
			strbuf_add(&value, l.p + 5, l.len - 5);
		} else if (l.len >= 5 && !strncasecmp(l.p, "Date:", 5)) {
			target = &p->date;
			strbuf_add(&value, l.p + 5, l.len - 5);
		} else if (l.len >= 8 && !strncasecmp(l.p, "Subject:", 8)) {
			target = &p->subject;
			strbuf_add(&value, l.p + 8, l.len - 8);
		}
		next_line(r, &l);
	}
	if (target) {
		free(*target);
		*target = dup_trimmed(value.buf, value.len);
	}
	if (p->subject) {
		char *s = strip_subject(p->subject);

		free(p->subject);
		p->subject = s;
	}

	/* The message: up to "---" or the first diff. */
	while (peek_line(r, &l)) {
		if (line_is_cr(&l, "---") || is_diff_start(r, &l) ||
		    line_starts(&l, "Index: ") || line_starts(&l, "@@ "))
			break;
		strbuf_add(&msg, l.p, l.len);
		if (msg.len && msg.buf[msg.len - 1] == '\r')
			strbuf_setlen(&msg, msg.len - 1);
		strbuf_addch(&msg, '\n');
		next_line(r, &l);
	}
	strbuf_rtrim(&msg);
	p->message = strbuf_detach(&msg, NULL);
	strbuf_release(&value);
}

/* --- file headers --- */

static int strip_path(struct reader *r, const struct line *l, const char *raw,
		      char **out)
{
	const char *name = raw;
	int strip = r->patch->strip;

	if (*raw == '"')
		return parse_error(r, r->lineno,
				   "quoted file names are not supported", l);
	for (const char *t = raw; *t; t++) {
		if (*t != '/')
			continue;
		while (t[1] == '/')
			t++;
		if (strip-- > 0)
			name = t + 1;
	}
	if (strip > 0 || !*name) {
		char *msg = xstrfmt("cannot strip %d components from '%s'",
				    r->patch->strip, raw);
		int ret = parse_error(r, r->lineno, msg, NULL);

		free(msg);
		return ret;
	}
	if (*name == '/')
		return parse_error(r, r->lineno, "absolute path refused", l);
	for (const char *c = name; *c;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return parse_error(r, r->lineno,
					   "path with '..' component refused",
					   l);
		c += n;
		while (*c == '/')
			c++;
	}
	*out = xstrdup(name);
	return 0;
}

/* The name on a "--- " / "+++ " line: up to a tab, trailing blanks cut. */
static char *header_name(const struct line *l)
{
	const char *s = l->p + 4, *end = l->p + l->len;
	const char *tab = memchr(s, '\t', end - s);

	if (tab)
		end = tab;
	while (end > s && (end[-1] == ' ' || end[-1] == '\r'))
		end--;
	return xstrndup(s, end - s);
}

static int parse_names(struct reader *r, struct file_diff *fd)
{
	char *old_name = NULL, *new_name = NULL;
	char *old_path = NULL, *new_path = NULL;
	struct line minus, plus;
	size_t minus_line;
	int ret = -1;

	next_line(r, &minus);
	minus_line = r->lineno;
	next_line(r, &plus);
	old_name = header_name(&minus);
	new_name = header_name(&plus);
	if (!strcmp(old_name, "/dev/null")) {
		ret = parse_error(r, minus_line,
				  "creating files is not supported", &plus);
		goto out;
	}
	if (!strcmp(new_name, "/dev/null")) {
		ret = parse_error(r, r->lineno,
				  "deleting files is not supported", &minus);
		goto out;
	}
	r->lineno--;
	if (strip_path(r, &minus, old_name, &old_path))
		goto out;
	r->lineno++;
	if (strip_path(r, &plus, new_name, &new_path))
		goto out;
	if (strcmp(old_path, new_path)) {
		char *msg = xstrfmt("old and new names differ ('%s', '%s'): "
				    "renames are not supported",
				    old_path, new_path);

		ret = parse_error(r, r->lineno, msg, NULL);
		free(msg);
		goto out;
	}
	free(fd->path);
	fd->path = new_path;
	new_path = NULL;
	ret = 0;
out:
	free(old_name);
	free(new_name);
	free(old_path);
	free(new_path);
	return ret;
}

/* "index 0123abc..4567def 100644" */
static void parse_index(struct file_diff *fd, const struct line *l)
{
	const char *s = l->p + 6, *end = l->p + l->len;
	const char *dots, *sp;

	dots = memchr(s, '.', end - s);
	if (!dots || dots + 1 >= end || dots[1] != '.')
		return;
	sp = memchr(dots, ' ', end - dots);
	free(fd->old_id);
	free(fd->new_id);
	free(fd->mode);
	fd->old_id = xstrndup(s, dots - s);
	fd->new_id = xstrndup(dots + 2, (sp ? sp : end) - (dots + 2));
	fd->mode = sp ? dup_trimmed(sp, end - sp) : NULL;
}

static const char *const refused_git_headers[][2] = {
	{"old mode ", "mode changes are not supported"},
	{"new mode ", "mode changes are not supported"},
	{"new file mode ", "creating files is not supported"},
	{"deleted file mode ", "deleting files is not supported"},
	{"rename from ", "renames are not supported"},
	{"rename to ", "renames are not supported"},
	{"copy from ", "copies are not supported"},
	{"copy to ", "copies are not supported"},
	{"similarity index ", "renames and copies are not supported"},
	{"dissimilarity index ", "rewrites with renames are not supported"},
	{"GIT binary patch", "binary patches are not supported"},
	{"Binary files ", "binary patches are not supported"},
};

static int check_refused(struct reader *r, const struct line *l)
{
	for (size_t i = 0; i < ARRAY_SIZE(refused_git_headers); i++)
		if (line_starts(l, refused_git_headers[i][0]))
			return parse_error(r, r->lineno,
					   refused_git_headers[i][1], l);
	return 0;
}

/* --- hunks --- */

static bool parse_number(const char **s, const char *end, size_t *out)
{
	size_t v = 0;
	const char *p = *s;

	if (p >= end || !isdigit((unsigned char)*p))
		return false;
	while (p < end && isdigit((unsigned char)*p)) {
		size_t d = *p - '0';

		if (v > (SIZE_MAX - d) / 10 || v > LONG_MAX / 10)
			return false;
		v = v * 10 + d;
		p++;
	}
	if (v > LONG_MAX / 4)
		return false;
	*s = p;
	*out = v;
	return true;
}

static bool parse_range(const char **s, const char *end, size_t *start,
			size_t *count)
{
	if (!parse_number(s, end, start))
		return false;
	*count = 1;
	if (*s < end && **s == ',') {
		(*s)++;
		if (!parse_number(s, end, count))
			return false;
	}
	return true;
}

static int parse_hunk_header(struct reader *r, const struct line *l,
			     struct hunk *h)
{
	const char *s = l->p + 4, *end = l->p + l->len;

	if (!line_starts(l, "@@ -") ||
	    !parse_range(&s, end, &h->old_start, &h->old_count) ||
	    end - s < 2 || s[0] != ' ' || s[1] != '+')
		goto bad;
	s += 2;
	if (!parse_range(&s, end, &h->new_start, &h->new_count) ||
	    end - s < 3 || memcmp(s, " @@", 3))
		goto bad;
	s += 3;
	if (s < end && *s != ' ' && *s != '\t')
		goto bad;
	if (s < end)
		s++;
	h->section = s;
	h->section_len = end - s;
	if ((!h->old_start && h->old_count) || (!h->new_start && h->new_count))
		goto bad;
	return 0;
bad:
	return parse_error(r, r->lineno, "malformed hunk header", l);
}

static void hunk_add_line(struct hunk *h, char op, const char *text, size_t len)
{
	struct patch_line *pl;

	ALLOC_GROW(h->lines, h->nr_lines + 1, h->alloc_lines);
	pl = &h->lines[h->nr_lines++];
	pl->op = op;
	pl->newline = true;
	pl->text = text;
	pl->len = len;
}

static int mark_no_newline(struct reader *r, struct hunk *h,
			   const struct line *l)
{
	if (!h->nr_lines || !h->lines[h->nr_lines - 1].newline)
		return parse_error(r, r->lineno,
				   "'\\ No newline' marker without a line", l);
	h->lines[h->nr_lines - 1].newline = false;
	return 0;
}

/* A line without newline must be the last of its side of the hunk. */
static int check_no_newline(struct reader *r, const struct hunk *h)
{
	for (size_t i = 0; i < h->nr_lines; i++) {
		char op = h->lines[i].op;

		if (h->lines[i].newline)
			continue;
		for (size_t j = i + 1; j < h->nr_lines; j++) {
			char later = h->lines[j].op;

			if (later == ' ' || (op != '+' && later == '-') ||
			    (op != '-' && later == '+'))
				return parse_error(
					r, h->patch_line,
					"'\\ No newline at end of file' is not "
					"on the last line of the hunk",
					NULL);
		}
	}
	return 0;
}

static void hunk_count_context(struct hunk *h)
{
	size_t first = h->nr_lines, last = 0;

	for (size_t i = 0; i < h->nr_lines; i++) {
		if (h->lines[i].op == ' ')
			continue;
		if (first == h->nr_lines)
			first = i;
		last = i;
	}
	h->prefix_context = first;
	h->suffix_context = h->nr_lines - 1 - last;
}

static int parse_hunk(struct reader *r, struct hunk *h)
{
	size_t old_left, new_left;
	struct line l = { 0 };
	char msg[160];

	next_line(r, &l);
	h->patch_line = r->lineno;
	if (parse_hunk_header(r, &l, h))
		return -1;
	old_left = h->old_count;
	new_left = h->new_count;
	while (old_left || new_left) {
		char op;

		if (!next_line(r, &l)) {
			snprintf(msg, sizeof(msg),
				 "hunk at line %zu ends early: %zu old and "
				 "%zu new lines missing",
				 h->patch_line, old_left, new_left);
			return parse_error(r, r->lineno, msg, NULL);
		}
		op = l.len ? l.p[0] : ' ';
		if (op == '\\') {
			if (mark_no_newline(r, h, &l))
				return -1;
			continue;
		}
		if ((op == ' ' && (!old_left || !new_left)) ||
		    (op == '-' && !old_left) || (op == '+' && !new_left) ||
		    (op != ' ' && op != '-' && op != '+')) {
			snprintf(msg, sizeof(msg),
				 "hunk at line %zu does not match its header "
				 "(%zu old and %zu new lines still expected)",
				 h->patch_line, old_left, new_left);
			return parse_error(r, r->lineno, msg, &l);
		}
		if (op != '+')
			old_left--;
		if (op != '-')
			new_left--;
		hunk_add_line(h, op, l.len ? l.p + 1 : l.p,
			      l.len ? l.len - 1 : 0);
	}
	if (peek_line(r, &l) && l.len && l.p[0] == '\\') {
		next_line(r, &l);
		if (mark_no_newline(r, h, &l))
			return -1;
	}
	if (check_no_newline(r, h))
		return -1;
	hunk_count_context(h);
	if (h->prefix_context == h->nr_lines)
		return parse_error(r, h->patch_line, "hunk changes nothing",
				   NULL);

	/* Lines that look like more of the hunk: the header lied. */
	if (peek_line(r, &l) && l.len &&
	    (l.p[0] == '+' || l.p[0] == '-' || l.p[0] == ' ') &&
	    !line_is(&l, "-- ") && !line_is(&l, "--") &&
	    !is_diff_start(r, &l)) {
		snprintf(msg, sizeof(msg),
			 "hunk at line %zu has more lines than its header says",
			 h->patch_line);
		return parse_error(r, r->lineno + 1, msg, &l);
	}
	return 0;
}

static struct file_diff *new_file_diff(struct patch *p, size_t lineno)
{
	struct file_diff *fd;

	ALLOC_GROW(p->files, p->nr_files + 1, p->alloc_files);
	fd = &p->files[p->nr_files++];
	memset(fd, 0, sizeof(*fd));
	fd->patch_line = lineno;
	return fd;
}

static bool ends_in_cr(const struct line *l)
{
	return l->len && l->p[l->len - 1] == '\r';
}

static int parse_file_diff(struct reader *r)
{
	struct patch *p = r->patch;
	struct file_diff *fd;
	struct line l = { 0 };

	peek_line(r, &l);
	r->strip_cr = ends_in_cr(&l);
	if (r->strip_cr)
		peek_line(r, &l);
	fd = new_file_diff(p, r->lineno + 1);
	fd->strip_cr = r->strip_cr;

	if (line_starts(&l, "diff --git ")) {
		fd->git = true;
		next_line(r, &l);
		while (peek_line(r, &l)) {
			if (line_starts(&l, "--- ") || line_starts(&l, "@@ ") ||
			    line_starts(&l, "diff "))
				break;
			next_line(r, &l);
			if (check_refused(r, &l))
				return -1;
			if (line_starts(&l, "index "))
				parse_index(fd, &l);
		}
		if (!peek_line(r, &l) || !line_starts(&l, "--- "))
			return parse_error(r, fd->patch_line,
					   "git diff without '---'/'+++' lines "
					   "or hunks",
					   NULL);
	}
	if (!is_diff_start(r, &l))
		return parse_error(r, r->lineno + 1,
				   "'---' line not followed by '+++'", &l);
	if (parse_names(r, fd))
		return -1;
	while (peek_line(r, &l) && line_starts(&l, "@@")) {
		struct hunk *h;

		ALLOC_GROW(fd->hunks, fd->nr_hunks + 1, fd->alloc_hunks);
		h = &fd->hunks[fd->nr_hunks++];
		memset(h, 0, sizeof(*h));
		if (parse_hunk(r, h))
			return -1;
	}
	if (!fd->nr_hunks) {
		if (peek_line(r, &l) && check_refused(r, &l))
			return -1;
		return parse_error(r, fd->patch_line, "file diff without hunks",
				   NULL);
	}
	r->strip_cr = false;
	return 0;
}

int patch_parse(struct patch *p, const char *name, const char *text, size_t len,
		int strip)
{
	return patch_parse_at(p, name, text, len, strip, 1);
}

int patch_parse_at(struct patch *p, const char *name, const char *text, size_t len,
		   int strip, size_t first_line)
{
	struct reader r = {0};
	struct line l = { 0 };

	p->name = xstrdup(name);
	p->text = xmalloc(st_add(len, 1));
	memcpy(p->text, text, len);
	p->text[len] = '\0';
	p->len = len;
	p->strip = strip;
	r.patch = p;
	r.pos = p->text;
	r.end = p->text + len;
	r.lineno = first_line ? first_line - 1 : 0;

	if (strip < 0)
		return error("patch '%s': invalid strip count %d", name, strip);
	parse_mail(&r);
	while (peek_line(&r, &l)) {
		struct line bare = l;

		if (ends_in_cr(&bare))
			bare.len--;
		if (is_diff_start(&r, &l)) {
			if (parse_file_diff(&r))
				return -1;
			continue;
		}
		next_line(&r, &l);
		if (line_starts(&bare, "@@ "))
			return parse_error(&r, r.lineno,
					   "hunk without a file header", &bare);
		if (line_starts(&bare, "GIT binary patch") ||
		    (line_starts(&bare, "Binary files ") && bare.len >= 7 &&
		     !memcmp(bare.p + bare.len - 7, " differ", 7)))
			return parse_error(&r, r.lineno,
					   "binary patches are not supported",
					   &bare);
	}
	if (!p->nr_files)
		return error("patch '%s': no diff found", name);
	return 0;
}

void patch_release(struct patch *p)
{
	for (size_t i = 0; i < p->nr_files; i++) {
		struct file_diff *fd = &p->files[i];

		for (size_t j = 0; j < fd->nr_hunks; j++)
			free(fd->hunks[j].lines);
		free(fd->hunks);
		free(fd->path);
		free(fd->old_id);
		free(fd->new_id);
		free(fd->mode);
	}
	free(p->files);
	free(p->name);
	free(p->text);
	free(p->from);
	free(p->date);
	free(p->subject);
	free(p->message);
	memset(p, 0, sizeof(*p));
}
