/* The boot test's judge (core/bootjudge.h). */
#include "core/bootjudge.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static const char *const result_names[] = {
	[BOOT_PASS] = "pass",
	[BOOT_KASAN] = "kasan",
	[BOOT_REFCOUNT] = "refcount",
	[BOOT_LIST_CORRUPTION] = "list-corruption",
	[BOOT_GPF] = "general-protection",
	[BOOT_OOPS] = "oops",
	[BOOT_WARNING] = "warning",
	[BOOT_PANIC] = "panic",
	[BOOT_TIMEOUT] = "timeout",
	[BOOT_NO_SUMMARY] = "no-summary",
	[BOOT_GUEST_ERROR] = "guest-error",
	[BOOT_WALK_NEVER_RAN] = "walk-never-ran",
	[BOOT_NO_KASAN] = "no-kasan",
};

const char *boot_result_name(enum boot_result r)
{
	return (size_t)r < sizeof(result_names) / sizeof(result_names[0]) ?
		result_names[r] : "unknown";
}

/* Kernel reports, most specific first; the index is the priority. */
static const struct {
	const char *needle;
	enum boot_result result;
} reports[] = {
	{ "BUG: KASAN: ", BOOT_KASAN },
	{ "refcount_t: ", BOOT_REFCOUNT },
	{ "list_del corruption", BOOT_LIST_CORRUPTION },
	{ "list_add corruption", BOOT_LIST_CORRUPTION },
	{ "list_add double add", BOOT_LIST_CORRUPTION },
	{ "general protection fault", BOOT_GPF },
	{ "Oops: ", BOOT_OOPS },
	{ "kernel BUG at ", BOOT_OOPS },
	{ "BUG: ", BOOT_OOPS },
	{ "WARNING: ", BOOT_WARNING },
	{ "Kernel panic", BOOT_PANIC },
};

#define NR_REPORTS (sizeof(reports) / sizeof(reports[0]))

static const char *find_in(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (s[i] == needle[0] && !memcmp(s + i, needle, n))
			return s + i;
	return NULL;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(s, prefix, n);
}

/* The guest's own text: after an optional "[ time] " prefix, "lru-walk: ". */
static const char *guest_text(const char *s, size_t len, size_t *rest)
{
	size_t i = 0;

	while (i < len && s[i] == ' ')
		i++;
	if (i < len && s[i] == '[') {
		const char *close = memchr(s + i, ']', len - i);

		if (close) {
			i = close - s + 1;
			while (i < len && s[i] == ' ')
				i++;
		}
	}
	if (!starts_with(s + i, len - i, "lru-walk: "))
		return NULL;
	*rest = len - i;
	return s + i;
}

static bool parse_long(const char *s, size_t len, const char *key, long *out)
{
	const char *p = find_in(s, len, key);
	char buf[32];
	size_t n = 0;
	char *end;

	if (!p || (p > s && p[-1] != ' '))
		return false;
	p += strlen(key);
	while (p + n < s + len && n + 1 < sizeof(buf) && p[n] != ' ')
		n++;
	if (!n || n + 1 >= sizeof(buf))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	*out = strtol(buf, &end, 0);
	return *end == '\0';
}

bool boot_parse_summary(const char *line, size_t len, struct boot_summary *s)
{
	struct boot_summary t = { 0 };
	long caps = 0;
	size_t rest;
	const char *p = guest_text(line, len, &rest);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!p || !starts_with(p, rest, "lru-walk: summary "))
		return false;
	rest = line + len - p;
	if (!parse_long(p, rest, "rounds=", &t.rounds) ||
	    !parse_long(p, rest, "max_gen_before=", &t.gen_before) ||
	    !parse_long(p, rest, "max_gen_after=", &t.gen_after) ||
	    !parse_long(p, rest, "exited=", &t.exited) ||
	    !parse_long(p, rest, "errors=", &t.errors) ||
	    !parse_long(p, rest, "caps=", &caps) || caps < 0)
		return false;
	t.caps = (unsigned long)caps;
	if (!parse_long(p, rest, "leaf_ptes=", &t.leaf_ptes))
		t.leaf_ptes = -1;
	t.found = true;
	*s = t;
	return true;
}

struct line {
	const char *s;
	size_t len;
};

/* Splits log into lines, \r and NUL bytes dropped at line ends. */
static struct line *split_lines(const char *log, size_t len, size_t *nr)
{
	struct line *v = NULL;
	size_t n = 0, alloc = 0, i = 0;

	while (i < len) {
		const char *nl = memchr(log + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - log) : len, l = end - i;

		while (l && (log[i + l - 1] == '\r' || log[i + l - 1] == '\0'))
			l--;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].s = log + i;
		v[n].len = l;
		n++;
		i = end + 1;
	}
	*nr = n;
	return v;
}

static void keep_lines(struct boot_verdict *v, const struct line *lines, size_t nr, size_t from)
{
	v->line = from + 1;
	for (size_t i = from; i < nr && v->nr_lines < BOOT_MAX_LINES; i++) {
		if (!v->lines)
			v->lines = xcalloc(BOOT_MAX_LINES, sizeof(*v->lines));
		v->lines[v->nr_lines++] = xstrndup(lines[i].s, lines[i].len);
	}
}

/* "use-after-free" from "BUG: KASAN: use-after-free in walk_mm+0x..." */
static char *kasan_kind(const struct line *l)
{
	const char *p = find_in(l->s, l->len, "BUG: KASAN: ");
	const char *end = l->s + l->len, *q;

	p += strlen("BUG: KASAN: ");
	for (q = p; q < end && *q != ' '; q++)
		;
	return q > p ? xstrndup(p, q - p) : NULL;
}

void boot_judge(const char *log, size_t len, bool timed_out, struct boot_verdict *v)
{
	size_t nr = 0, best = NR_REPORTS, best_line = 0, first_error = 0;
	struct line *lines = split_lines(log, len, &nr);
	bool have_error = false;

	memset(v, 0, sizeof(*v));
	for (size_t i = 0; i < nr; i++) {
		size_t rest;
		const char *g = guest_text(lines[i].s, lines[i].len, &rest);

		if (g) {
			/* the guest never prints kernel words; its lines are its own */
			if (starts_with(g, rest, "lru-walk: start"))
				v->guest_started = true;
			else if (starts_with(g, rest, "lru-walk: error:") && !have_error) {
				have_error = true;
				first_error = i;
			}
			boot_parse_summary(lines[i].s, lines[i].len, &v->sum);
			continue;
		}
		if (find_in(lines[i].s, lines[i].len, "KernelAddressSanitizer initialized"))
			v->kasan_on = true;
		for (size_t r = 0; r < best; r++) {
			if (find_in(lines[i].s, lines[i].len, reports[r].needle)) {
				best = r;
				best_line = i;
				break;
			}
		}
	}
	if (best < NR_REPORTS) {
		v->result = reports[best].result;
		keep_lines(v, lines, nr, best_line);
		if (v->result == BOOT_KASAN)
			v->kasan_kind = kasan_kind(&lines[best_line]);
		v->why = xstrfmt("the kernel reported '%s' at console line %zu",
				 v->lines[0], best_line + 1);
	} else if (timed_out) {
		v->result = BOOT_TIMEOUT;
		v->why = xstrdup(v->guest_started ?
				 "killed at the timeout: the guest did not finish" :
				 "killed at the timeout: the guest program never started");
		if (nr)
			keep_lines(v, lines, nr, nr > 4 ? nr - 4 : 0);
	} else if (!v->sum.found) {
		v->result = BOOT_NO_SUMMARY;
		v->why = xstrdup(v->guest_started ?
				 "the guest ended without its summary line" :
				 "the guest program never started");
		if (nr)
			keep_lines(v, lines, nr, nr > 4 ? nr - 4 : 0);
	} else if (v->sum.errors || have_error) {
		v->result = BOOT_GUEST_ERROR;
		v->why = xstrfmt("the guest counted %ld error(s)", v->sum.errors);
		if (have_error)
			keep_lines(v, lines, nr, first_error);
	} else if (v->sum.rounds <= 0) {
		v->result = BOOT_WALK_NEVER_RAN;
		v->why = xstrdup("the guest ran no aging round");
	} else if (v->sum.gen_after <= v->sum.gen_before) {
		v->result = BOOT_WALK_NEVER_RAN;
		v->why = xstrfmt("max_gen did not grow (%ld before, %ld after %ld rounds)",
				 v->sum.gen_before, v->sum.gen_after, v->sum.rounds);
	} else if (!(v->sum.caps & BOOT_CAP_MM_WALK)) {
		v->result = BOOT_WALK_NEVER_RAN;
		v->why = xstrfmt("lru_gen caps 0x%04lx lack the mm walk (0x0002)", v->sum.caps);
	} else if (v->sum.leaf_ptes <= 0) {
		v->result = BOOT_WALK_NEVER_RAN;
		v->why = xstrfmt("the page-table walk visited no PTE (leaf_ptes=%ld)",
				 v->sum.leaf_ptes);
	} else if (!v->kasan_on) {
		v->result = BOOT_NO_KASAN;
		v->why = xstrdup("the console never said 'KernelAddressSanitizer initialized': "
				 "KASAN was not on");
	} else {
		v->result = BOOT_PASS;
		v->why = xstrfmt("%ld rounds, max_gen %ld -> %ld, %ld PTEs walked, %ld "
				 "processes exited, no kernel report", v->sum.rounds,
				 v->sum.gen_before, v->sum.gen_after, v->sum.leaf_ptes,
				 v->sum.exited);
	}
	free(lines);
}

void boot_verdict_release(struct boot_verdict *v)
{
	for (size_t i = 0; i < v->nr_lines; i++)
		free(v->lines[i]);
	free(v->lines);
	free(v->why);
	free(v->kasan_kind);
	memset(v, 0, sizeof(*v));
}

bool boot_control_caught(const struct boot_verdict *v)
{
	if (v->result == BOOT_REFCOUNT || v->result == BOOT_LIST_CORRUPTION)
		return true;
	if (v->result != BOOT_KASAN || !v->kasan_kind)
		return false;
	return strstr(v->kasan_kind, "use-after-free") || strstr(v->kasan_kind, "double-free") ||
	       strstr(v->kasan_kind, "invalid-free");
}
