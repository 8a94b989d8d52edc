/*
 * Kernel C reader: a tokeniser that skips comments and records preprocessor
 * directives apart, then a pass over the top-level tokens that finds function
 * definitions by brace matching.  See csource.h.
 */
#include "core/csource.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

/* One #if/#ifdef/#ifndef/#elif/#else/#endif seen before token tok. */
enum cpp_kind {
	CPP_IF, /* #if, #ifdef, #ifndef: cond is the arm's condition */
	CPP_ELIF,
	CPP_ELSE,
	CPP_ENDIF,
};

struct cpp_dir {
	enum cpp_kind kind;
	size_t tok; /* applies to tokens from this index on */
	size_t line;
	char *cond; /* normalised condition for CPP_IF / CPP_ELIF; owned */
	char *neg;  /* its negation: "!(X)", or "X" for #ifndef X; owned */
};

struct cpp_dirs {
	struct cpp_dir *v;
	size_t nr, alloc;
};

static void cpp_dirs_release(struct cpp_dirs *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		free(d->v[i].cond);
		free(d->v[i].neg);
	}
	free(d->v);
	d->v = NULL;
	d->nr = d->alloc = 0;
}

/*
 * Character classes by hand rather than <ctype.h>: the C locale's classes,
 * without a locale lookup per character (a fifth of the lexer's time).
 */
static inline bool is_digit(int c)
{
	return (unsigned)(c - '0') < 10;
}

static inline bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Bit 1: may continue an identifier; bit 0: may start one. */
static const unsigned char ident_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0,
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3,
	0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline bool is_ident_start(int c)
{
	return ident_class[c & 0xff] & 1;
}

static inline bool is_ident_char(int c)
{
	return ident_class[c & 0xff] & 2;
}

struct lexer {
	struct csource *cs;
	const char *s;
	size_t len;
	size_t pos;
	size_t line;
	bool line_start; /* only blanks since the last newline */
	int depth;
	struct cpp_dirs *dirs;
};

static void lexer_push(struct lexer *lx, enum ctok_kind kind, size_t off,
		       size_t len, size_t line)
{
	struct csource *cs = lx->cs;
	struct ctok *t;

	ALLOC_GROW(cs->toks, cs->nr_toks + 1, cs->alloc_toks);
	t = &cs->toks[cs->nr_toks++];
	t->kind = kind;
	t->off = off;
	t->len = len;
	t->line = line;
	t->depth = lx->depth;
}

/* Skips the block comment that starts at pos; -1 if unterminated. */
static int skip_block_comment(struct lexer *lx)
{
	size_t start_line = lx->line;
	const char *p = lx->s + lx->pos + 2, *end = lx->s + lx->len, *star;

	while ((star = memchr(p, '*', (size_t)(end - p))) && star + 1 < end) {
		for (; p < star; p++)
			lx->line += *p == '\n';
		if (star[1] == '/') {
			lx->pos = (size_t)(star + 2 - lx->s);
			return 0;
		}
		p = star + 1;
	}
	return error("unterminated comment starting at line %zu", start_line);
}

/* Appends src to sb with runs of blanks collapsed to one space. */
static void add_collapsed(struct strbuf *sb, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)src[i];

		if (isspace(c)) {
			if (sb->len && sb->buf[sb->len - 1] != ' ')
				strbuf_addch(sb, ' ');
			continue;
		}
		strbuf_addch(sb, c);
	}
}

static char *trim_dup(const struct strbuf *sb)
{
	size_t b = 0, e = sb->len;

	while (b < e && isspace((unsigned char)sb->buf[b]))
		b++;
	while (e > b && isspace((unsigned char)sb->buf[e - 1]))
		e--;
	return xstrndup(sb->buf + b, e - b);
}

/*
 * Reads a directive starting at '#': its text up to the end of the line,
 * with continuations joined and comments dropped, then records it when it is
 * a conditional.
 */
static int lex_directive(struct lexer *lx)
{
	struct strbuf text = STRBUF_INIT;
	size_t line = lx->line;
	const char *p;
	size_t n = 0;
	struct cpp_dir d = {0};
	int ret = 0;

	lx->pos++;
	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos];

		if (c == '\n')
			break;
		if (c == '\\' && lx->pos + 1 < lx->len &&
		    (lx->s[lx->pos + 1] == '\n' ||
		     (lx->s[lx->pos + 1] == '\r' && lx->pos + 2 < lx->len &&
		      lx->s[lx->pos + 2] == '\n'))) {
			lx->pos += lx->s[lx->pos + 1] == '\r' ? 3 : 2;
			lx->line++;
			strbuf_addch(&text, ' ');
			continue;
		}
		if (c == '/' && lx->pos + 1 < lx->len &&
		    lx->s[lx->pos + 1] == '*') {
			if (skip_block_comment(lx) < 0) {
				ret = -1;
				goto out;
			}
			strbuf_addch(&text, ' ');
			continue;
		}
		if (c == '/' && lx->pos + 1 < lx->len &&
		    lx->s[lx->pos + 1] == '/') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				lx->pos++;
			break;
		}
		if (c == '"' || c == '\'') {
			/* keep literals whole so a quote hides nothing */
			size_t b = lx->pos++;

			while (lx->pos < lx->len && lx->s[lx->pos] != c &&
			       lx->s[lx->pos] != '\n') {
				if (lx->s[lx->pos] == '\\' &&
				    lx->pos + 1 < lx->len)
					lx->pos++;
				lx->pos++;
			}
			if (lx->pos < lx->len && lx->s[lx->pos] == c)
				lx->pos++;
			strbuf_add(&text, lx->s + b, lx->pos - b);
			continue;
		}
		strbuf_addch(&text, c);
		lx->pos++;
	}

	p = text.buf;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	while (is_ident_char((unsigned char)p[n]))
		n++;
	d.tok = lx->cs->nr_toks;
	d.line = line;
	if (n == 5 && !strncmp(p, "ifdef", n)) {
		d.kind = CPP_IF;
	} else if (n == 6 && !strncmp(p, "ifndef", n)) {
		d.kind = CPP_IF;
	} else if (n == 2 && !strncmp(p, "if", n)) {
		d.kind = CPP_IF;
	} else if (n == 4 && !strncmp(p, "elif", n)) {
		d.kind = CPP_ELIF;
	} else if (n == 4 && !strncmp(p, "else", n)) {
		d.kind = CPP_ELSE;
	} else if (n == 5 && !strncmp(p, "endif", n)) {
		d.kind = CPP_ENDIF;
	} else {
		goto out; /* #define, #include, ...: nothing to track */
	}

	if (d.kind == CPP_IF || d.kind == CPP_ELIF) {
		struct strbuf cond = STRBUF_INIT;
		const char *rest = p + n;

		add_collapsed(&cond, rest, strlen(rest));
		d.cond = trim_dup(&cond);
		strbuf_release(&cond);
		d.neg = xstrfmt("!(%s)", d.cond);
		if (n == 6 && !strncmp(p, "ifndef", n)) {
			/* #ifndef X is !(X); its #else is plain X */
			char *tmp = d.cond;

			d.cond = d.neg;
			d.neg = tmp;
		}
	}
	ALLOC_GROW(lx->dirs->v, lx->dirs->nr + 1, lx->dirs->alloc);
	lx->dirs->v[lx->dirs->nr++] = d;

out:
	strbuf_release(&text);
	return ret;
}

/* A string or character literal starting at pos; -1 if unterminated. */
static int lex_literal(struct lexer *lx)
{
	char q = lx->s[lx->pos];
	size_t b = lx->pos, line = lx->line;

	lx->pos++;
	while (lx->pos < lx->len && lx->s[lx->pos] != q) {
		if (lx->s[lx->pos] == '\n')
			break;
		if (lx->s[lx->pos] == '\\' && lx->pos + 1 < lx->len) {
			lx->pos++;
			if (lx->s[lx->pos] == '\n')
				lx->line++;
		}
		lx->pos++;
	}
	if (lx->pos >= lx->len || lx->s[lx->pos] != q)
		return error("unterminated %s literal at line %zu",
			     q == '"' ? "string" : "character", line);
	lx->pos++;
	lexer_push(lx, q == '"' ? CTOK_STRING : CTOK_CHAR, b, lx->pos - b,
		   line);
	return 0;
}

static void lex_number(struct lexer *lx)
{
	size_t b = lx->pos;

	while (lx->pos < lx->len) {
		char c = lx->s[lx->pos];

		if (is_ident_char((unsigned char)c) || c == '.') {
			lx->pos++;
		} else if ((c == '+' || c == '-') &&
			   strchr("eEpP", lx->s[lx->pos - 1])) {
			lx->pos++;
		} else {
			break;
		}
	}
	lexer_push(lx, CTOK_NUMBER, b, lx->pos - b, lx->line);
}

/* Length of the punctuator at p (1 to 3), p having n bytes left. */
static size_t punct_len(const char *p, size_t n)
{
	char c = p[0], c1 = n > 1 ? p[1] : 0, c2 = n > 2 ? p[2] : 0;

	switch (c) {
	case '.':
		return c1 == '.' && c2 == '.' ? 3 : 1;
	case '<':
	case '>':
		if (c1 == c)
			return c2 == '=' ? 3 : 2;
		return c1 == '=' ? 2 : 1;
	case '-':
		return c1 == '>' || c1 == '-' || c1 == '=' ? 2 : 1;
	case '+':
	case '&':
	case '|':
		return c1 == c || c1 == '=' ? 2 : 1;
	case '#':
		return c1 == '#' ? 2 : 1;
	case '=':
	case '!':
	case '*':
	case '/':
	case '%':
	case '^':
		return c1 == '=' ? 2 : 1;
	default:
		return 1;
	}
}

static void lex_punct(struct lexer *lx)
{
	size_t n = punct_len(lx->s + lx->pos, lx->len - lx->pos);

	lexer_push(lx, CTOK_PUNCT, lx->pos, n, lx->line);
	lx->pos += n;
}

static int lex_all(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		unsigned char c = lx->s[lx->pos];
		unsigned char c1 =
			lx->pos + 1 < lx->len ? lx->s[lx->pos + 1] : 0;

		if (c == '\n') {
			lx->line++;
			lx->pos++;
			lx->line_start = true;
		} else if (is_blank(c)) {
			lx->pos++;
		} else if (c == '\\' && (c1 == '\n' || c1 == '\r')) {
			/* a line splice outside a directive */
			lx->pos++;
		} else if (c == '/' && c1 == '*') {
			if (skip_block_comment(lx) < 0)
				return -1;
		} else if (c == '/' && c1 == '/') {
			while (lx->pos < lx->len && lx->s[lx->pos] != '\n')
				lx->pos++;
		} else if (c == '#' && lx->line_start) {
			if (lex_directive(lx) < 0)
				return -1;
		} else {
			lx->line_start = false;
			if (c == '"' || c == '\'') {
				if (lex_literal(lx) < 0)
					return -1;
			} else if (is_digit(c) || (c == '.' && is_digit(c1))) {
				lex_number(lx);
			} else if (is_ident_start(c)) {
				/* locals: lexer_push()'s stores may alias lx */
				const char *p = lx->s + lx->pos + 1;
				const char *e = lx->s + lx->len;
				size_t b = lx->pos;

				while (p < e && is_ident_char((unsigned char)*p))
					p++;
				lx->pos = (size_t)(p - lx->s);
				lexer_push(lx, CTOK_IDENT, b, lx->pos - b,
					   lx->line);
			} else if (c == '{') {
				lex_punct(lx);
				lx->depth++;
			} else if (c == '}') {
				if (!lx->depth)
					return error(
						"unbalanced '}' at line %zu",
						lx->line);
				lx->depth--;
				lex_punct(lx);
			} else {
				lex_punct(lx);
			}
		}
		continue;
	}
	if (lx->depth) {
		size_t i = lx->cs->nr_toks;
		int want = lx->depth - 1;

		/* name the innermost '{' left open */
		while (i-- > 0)
			if (lx->cs->toks[i].depth == want &&
			    ctok_is(lx->cs, i, "{"))
				break;
		return error("unbalanced '{' at line %zu: no closing '}'",
			     (size_t)lx->cs->toks[i].line);
	}
	return 0;
}

/*
 * The #if stack while walking the tokens: each level keeps the condition of
 * its current arm and the negations of the arms before it.
 */
struct cond_level {
	char *arm;	     /* owned */
	struct strbuf prior; /* "!(A) && !(B)" */
};

struct cond_stack {
	struct cond_level *v;
	size_t nr, alloc;
};

static void cond_stack_release(struct cond_stack *st)
{
	for (size_t i = 0; i < st->nr; i++) {
		free(st->v[i].arm);
		strbuf_release(&st->v[i].prior);
	}
	free(st->v);
	st->v = NULL;
	st->nr = st->alloc = 0;
}

static int cond_apply(struct cond_stack *st, const struct cpp_dir *d)
{
	struct cond_level *lv;

	if (d->kind == CPP_IF) {
		ALLOC_GROW(st->v, st->nr + 1, st->alloc);
		lv = &st->v[st->nr++];
		lv->arm = xstrdup(d->cond);
		strbuf_init(&lv->prior, 0);
		strbuf_addstr(&lv->prior, d->neg);
		return 0;
	}
	if (!st->nr)
		return error("#%s without #if at line %zu",
			     d->kind == CPP_ELIF   ? "elif"
			     : d->kind == CPP_ELSE ? "else"
						   : "endif",
			     d->line);
	lv = &st->v[st->nr - 1];
	switch (d->kind) {
	case CPP_ELIF:
		free(lv->arm);
		lv->arm = xstrfmt("%s && %s", lv->prior.buf, d->cond);
		strbuf_addf(&lv->prior, " && %s", d->neg);
		break;
	case CPP_ELSE:
		free(lv->arm);
		lv->arm = xstrdup(lv->prior.buf);
		break;
	case CPP_ENDIF:
		free(lv->arm);
		strbuf_release(&lv->prior);
		st->nr--;
		break;
	case CPP_IF:
		BUG("handled above");
	}
	return 0;
}

/* The whole condition, or NULL at top level; caller frees. */
static char *cond_string(const struct cond_stack *st)
{
	struct strbuf sb = STRBUF_INIT;

	if (!st->nr)
		return NULL;
	for (size_t i = 0; i < st->nr; i++) {
		if (i)
			strbuf_addstr(&sb, " && ");
		strbuf_addstr(&sb, st->v[i].arm);
	}
	return strbuf_detach(&sb, NULL);
}

/* Identifiers that take parentheses but never name a function. */
static const char *const annotations[] = {
	"__attribute__",    "__attribute",     "__printf",
	"__scanf",	    "__aligned",       "__section",
	"__releases",	    "__acquires",      "__must_hold",
	"__cond_acquires",  "__cond_releases", "__acquire",
	"__release",	    "__alloc_size",    "__realloc_size",
	"__assume_aligned", "__diag_ignore",   "__no_sanitize_or_inline",
	"typeof",	    "__typeof__",      "__typeof",
	"__counted_by",	    "__nocfi",	       "__malloc",
	"__context__",	    "__cleanup",       "__designated_init",
	"_Alignas",	    "alignas",	       "__free",
};

static bool is_annotation(const struct csource *cs, size_t i)
{
	for (size_t k = 0; k < ARRAY_SIZE(annotations); k++)
		if (ctok_is(cs, i, annotations[k]))
			return true;
	return false;
}

/* Index of the ')' matching the '(' at i, or 0 if it is not within [i, end). */
static size_t match_paren(const struct csource *cs, size_t i, size_t end)
{
	int nest = 0;

	for (size_t k = i; k < end; k++) {
		if (ctok_is(cs, k, "("))
			nest++;
		else if (ctok_is(cs, k, ")") && --nest == 0)
			return k;
	}
	return 0;
}

/*
 * Tokens [start, open) precede a '{' at depth 0.  Decides whether they are a
 * function's declaration and fills f (name, parameter list, start) if so.
 */
static bool find_declarator(const struct csource *cs, size_t start, size_t open,
			    struct cfunc *f, size_t *decl_start)
{
	size_t name = 0, popen = 0, pclose = 0, after_prev = start;
	size_t last = open - 1;
	bool found = false;

	if (open <= start)
		return false;
	/* struct x {, union {, enum y {: a type, not a function */
	if (ctok_is(cs, last, "struct") || ctok_is(cs, last, "union") ||
	    ctok_is(cs, last, "enum"))
		return false;
	if (last > start && cs->toks[last].kind == CTOK_IDENT &&
	    (ctok_is(cs, last - 1, "struct") ||
	     ctok_is(cs, last - 1, "union") || ctok_is(cs, last - 1, "enum")))
		return false;
	if (!ctok_is(cs, last, ")") && cs->toks[last].kind != CTOK_IDENT)
		return false;

	for (size_t k = start; k < open; k++) {
		size_t close;

		if (ctok_is(cs, k, "="))
			return false; /* an initialiser */
		if (!ctok_is(cs, k, "("))
			continue;
		close = match_paren(cs, k, open);
		if (!close)
			return false;
		if (k > start && cs->toks[k - 1].kind == CTOK_IDENT &&
		    !is_annotation(cs, k - 1)) {
			/*
			 * A later group wins: a macro line without a ';' before
			 * the definition is not the function.
			 */
			if (found)
				after_prev = pclose + 1;
			name = k - 1;
			popen = k;
			pclose = close;
			found = true;
		}
		k = close;
	}
	if (!found)
		return false;
	/* after the parameter list only annotations and identifiers */
	for (size_t k = pclose + 1; k < open; k++) {
		size_t close;

		if (cs->toks[k].kind != CTOK_IDENT)
			return false;
		if (k + 1 < open && ctok_is(cs, k + 1, "(")) {
			close = match_paren(cs, k + 1, open);
			if (!close)
				return false;
			k = close;
		}
	}
	f->name_tok = name;
	f->params_open_tok = popen;
	f->params_close_tok = pclose;
	*decl_start = after_prev < name ? after_prev : name;
	return true;
}

/* The condition in force at token tok, or NULL at top level; caller frees. */
static char *cond_at(const struct cpp_dirs *dirs, size_t tok)
{
	struct cond_stack st = {0};
	char *cond = NULL;

	for (size_t k = 0; k < dirs->nr && dirs->v[k].tok <= tok; k++)
		if (cond_apply(&st, &dirs->v[k]) < 0)
			goto out;
	cond = cond_string(&st);
out:
	cond_stack_release(&st);
	return cond;
}

/* Whether the #if/#endif lines balance; -1 with the message if not. */
static int check_conds(const struct cpp_dirs *dirs)
{
	struct cond_stack st = {0};
	int ret = 0;

	for (size_t k = 0; k < dirs->nr; k++) {
		if (cond_apply(&st, &dirs->v[k]) < 0) {
			ret = -1;
			goto out;
		}
	}
	if (st.nr)
		ret = error("unterminated #if: no #endif");
out:
	cond_stack_release(&st);
	return ret;
}

static void find_funcs(struct csource *cs, const struct cpp_dirs *dirs)
{
	size_t stmt = 0;

	for (size_t i = 0; i < cs->nr_toks; i++) {
		struct cfunc f = {0};
		size_t close, decl;

		if (cs->toks[i].depth != 0)
			continue;
		if (ctok_is(cs, i, ";")) {
			stmt = i + 1;
			continue;
		}
		if (!ctok_is(cs, i, "{"))
			continue;
		close = i + 1;
		while (close < cs->nr_toks &&
		       !(cs->toks[close].depth == 0 && ctok_is(cs, close, "}")))
			close++;
		if (close >= cs->nr_toks)
			BUG("lexer left an unbalanced '{'");
		if (!find_declarator(cs, stmt, i, &f, &decl)) {
			/* struct body or initialiser: its ';' ends it */
			i = close;
			continue;
		}
		f.name = ctok_dup(cs, f.name_tok);
		f.start_line = cs->toks[decl].line;
		f.name_line = cs->toks[f.name_tok].line;
		f.body_line = cs->toks[i].line;
		f.end_line = cs->toks[close].line;
		f.body_open_tok = i;
		f.body_close_tok = close;
		f.condition = cond_at(dirs, decl);
		ALLOC_GROW(cs->funcs, cs->nr_funcs + 1, cs->alloc_funcs);
		cs->funcs[cs->nr_funcs++] = f;
		i = close;
		stmt = close + 1;
	}
}

int csource_parse(struct csource *cs, const char *text, size_t len)
{
	struct cpp_dirs dirs = {0};
	struct lexer lx = {0};
	int ret = 0;

	cs->text = text;
	cs->len = len;
	lx.cs = cs;
	lx.s = text;
	lx.len = len;
	lx.line = 1;
	lx.line_start = true;
	lx.dirs = &dirs;
	if (len > CSOURCE_MAX_LEN)
		return error("cannot read a C text of %zu bytes: the limit is %zu",
			     len, CSOURCE_MAX_LEN);
	/*
	 * A token takes at least one byte, and C text averages a token per
	 * four: one allocation of that size, grown only for denser text, so
	 * the array is never copied on the way.  Pages never touched cost
	 * nothing.
	 */
	cs->alloc_toks = len / 4 + 16;
	cs->toks = xmalloc(cs->alloc_toks * sizeof(*cs->toks));
	if (lex_all(&lx) < 0 || check_conds(&dirs) < 0)
		ret = -1;
	else
		find_funcs(cs, &dirs);
	cpp_dirs_release(&dirs);
	return ret;
}

void csource_release(struct csource *cs)
{
	for (size_t i = 0; i < cs->nr_funcs; i++) {
		free(cs->funcs[i].name);
		free(cs->funcs[i].condition);
	}
	free(cs->funcs);
	free(cs->toks);
	memset(cs, 0, sizeof(*cs));
}

char *ctok_dup(const struct csource *cs, size_t i)
{
	if (i >= cs->nr_toks)
		BUG("token %zu out of range (%zu tokens)", i, cs->nr_toks);
	return xstrndup(cs->text + cs->toks[i].off, cs->toks[i].len);
}

const struct cfunc *csource_func_at_line(const struct csource *cs, size_t line)
{
	for (size_t i = 0; i < cs->nr_funcs; i++)
		if (cs->funcs[i].start_line <= line &&
		    line <= cs->funcs[i].end_line)
			return &cs->funcs[i];
	return NULL;
}

const struct cfunc *csource_func_at_tok(const struct csource *cs, size_t i)
{
	for (size_t k = 0; k < cs->nr_funcs; k++)
		if (cs->funcs[k].body_open_tok <= i &&
		    i <= cs->funcs[k].body_close_tok)
			return &cs->funcs[k];
	return NULL;
}

const struct cfunc *csource_find_func(const struct csource *cs,
				      const char *name, size_t n)
{
	for (size_t i = 0; i < cs->nr_funcs; i++)
		if (!strcmp(cs->funcs[i].name, name) && n-- == 0)
			return &cs->funcs[i];
	return NULL;
}
