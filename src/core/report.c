#include "core/report.h"

#include <string.h>

#include "core/fix.h"
#include "core/xalloc.h"

static void site_cell(struct strbuf *sb, const char *path, const struct site *s)
{
	if (!s->found)
		strbuf_addstr(sb, "-");
	else
		strbuf_addf(sb, "%s:%zu (%s)", path, s->line, s->function);
}

static void version_cell(struct strbuf *sb, const struct branch *b)
{
	char buf[64];

	if (!b->has_version) {
		strbuf_addstr(sb, "?");
		return;
	}
	kversion_format(&b->version, buf, sizeof(buf));
	strbuf_addstr(sb, buf);
}

enum { COL_BRANCH, COL_VERSION, COL_SHAPE, COL_PIN, COL_UNPIN, COL_STATUS, NR_COLS };

static const char *const col_names[NR_COLS] = {
	"BRANCH", "VERSION", "SHAPE", "PIN", "UNPIN", "STATUS",
};

static void row_cells(struct strbuf cells[NR_COLS], const struct locate_result *r)
{
	for (int c = 0; c < NR_COLS; c++)
		strbuf_reset(&cells[c]);
	strbuf_addstr(&cells[COL_BRANCH], r->branch.label);
	version_cell(&cells[COL_VERSION], &r->branch);
	strbuf_addstr(&cells[COL_SHAPE], shape_name(r->variant.shape));
	site_cell(&cells[COL_PIN], r->vmscan_path, &r->variant.pin);
	site_cell(&cells[COL_UNPIN], r->vmscan_path, &r->variant.unpin);
	strbuf_addstr(&cells[COL_STATUS], status_name(r->variant.status));
}

/* A cell padded to width and two spaces; the last one ends the line. */
static void table_cell(struct strbuf *out, const char *s, size_t width, bool last)
{
	if (last)
		strbuf_addf(out, "%s\n", s);
	else
		strbuf_addf(out, "%-*s  ", (int)width, s);
}

void report_locate_table(struct strbuf *out, const struct locate_result *res,
			 size_t nr)
{
	struct strbuf cells[NR_COLS];
	size_t width[NR_COLS];

	for (int c = 0; c < NR_COLS; c++) {
		strbuf_init(&cells[c], 0);
		width[c] = strlen(col_names[c]);
	}
	for (size_t i = 0; i < nr; i++) {
		row_cells(cells, &res[i]);
		for (int c = 0; c < NR_COLS; c++)
			if (cells[c].len > width[c])
				width[c] = cells[c].len;
	}
	for (int c = 0; c < NR_COLS; c++)
		table_cell(out, col_names[c], width[c], c + 1 == NR_COLS);
	for (size_t i = 0; i < nr; i++) {
		row_cells(cells, &res[i]);
		for (int c = 0; c < NR_COLS; c++)
			table_cell(out, cells[c].buf, width[c], c + 1 == NR_COLS);
	}
	for (size_t i = 0; i < nr; i++) {
		const struct variant *v = &res[i].variant;

		if (v->reason && v->status != STATUS_NEEDS_FIX)
			strbuf_addf(out, "%s: %s: %s\n", res[i].branch.label,
				    status_name(v->status), v->reason);
		if (v->pre.checked && !v->pre.holds && v->pre.reason &&
		    v->status != STATUS_NOT_SAFE)
			strbuf_addf(out, "%s: precondition: %s\n",
				    res[i].branch.label, v->pre.reason);
		for (size_t n = 0; n < v->nr_notes; n++)
			strbuf_addf(out, "%s: note: %s\n", res[i].branch.label,
				    v->notes[n]);
	}
	for (int c = 0; c < NR_COLS; c++)
		strbuf_release(&cells[c]);
}

static void indent_to(struct strbuf *sb, int n)
{
	strbuf_addchars(sb, ' ', (size_t)n);
}

static void site_json(struct strbuf *sb, const char *path, const struct site *s,
		      int ind)
{
	if (!s->found) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addstr(sb, "{\n");
	indent_to(sb, ind + 2);
	strbuf_addstr(sb, "\"file\": ");
	strbuf_add_json_str(sb, path);
	strbuf_addf(sb, ",\n%*s\"line\": %zu,\n", ind + 2, "", s->line);
	indent_to(sb, ind + 2);
	strbuf_addstr(sb, "\"function\": ");
	strbuf_add_json_str(sb, s->function);
	strbuf_addf(sb, ",\n%*s\"function_lines\": [%zu, %zu],\n", ind + 2, "",
		    s->func_start, s->func_end);
	indent_to(sb, ind + 2);
	strbuf_addstr(sb, "\"condition\": ");
	strbuf_add_json_str_or_null(sb, s->condition);
	strbuf_addf(sb, ",\n%*s\"call\": ", ind + 2, "");
	strbuf_add_json_str(sb, pin_call_name(s->call));
	strbuf_addf(sb, ",\n%*s\"converted\": %s,\n", ind + 2, "",
		    s->converted ? "true" : "false");
	indent_to(sb, ind + 2);
	strbuf_addstr(sb, "\"text\": ");
	strbuf_add_json_str_or_null(sb, s->text);
	strbuf_addf(sb, "\n%*s}", ind, "");
}

void report_locate_json_object(struct strbuf *sb, const struct locate_result *r,
			       int ind)
{
	const struct branch *b = &r->branch;
	const struct variant *v = &r->variant;
	char ver[64];
	int in = ind + 2;

	strbuf_addstr(sb, "{\n");
	indent_to(sb, in);
	strbuf_addstr(sb, "\"fix\": ");
	strbuf_add_json_str_or_null(sb, r->fix ? r->fix->id : NULL);
	strbuf_addf(sb, ",\n%*s\"spec\": ", in, "");
	strbuf_add_json_str(sb, b->spec);
	strbuf_addf(sb, ",\n%*s\"ref\": ", in, "");
	strbuf_add_json_str_or_null(sb, b->ref);
	strbuf_addf(sb, ",\n%*s\"label\": ", in, "");
	strbuf_add_json_str(sb, b->label);
	strbuf_addf(sb, ",\n%*s\"commit\": \"%s\",\n", in, "", b->commit);
	indent_to(sb, in);
	strbuf_addstr(sb, "\"version\": ");
	if (b->has_version) {
		kversion_format(&b->version, ver, sizeof(ver));
		strbuf_add_json_str(sb, ver);
	} else {
		strbuf_addstr(sb, "null");
	}
	strbuf_addf(sb, ",\n%*s\"shape\": \"%s\",\n", in, "", shape_name(v->shape));
	strbuf_addf(sb, "%*s\"status\": \"%s\",\n", in, "", status_name(v->status));
	indent_to(sb, in);
	strbuf_addstr(sb, "\"reason\": ");
	strbuf_add_json_str_or_null(sb, v->reason);
	strbuf_addf(sb, ",\n%*s\"pin\": ", in, "");
	site_json(sb, r->vmscan_path, &v->pin, in);
	strbuf_addf(sb, ",\n%*s\"unpin\": ", in, "");
	site_json(sb, r->vmscan_path, &v->unpin, in);
	strbuf_addf(sb, ",\n%*s\"precondition\": {\n", in, "");
	strbuf_addf(sb, "%*s\"checked\": %s,\n", in + 2, "",
		    v->pre.checked ? "true" : "false");
	strbuf_addf(sb, "%*s\"holds\": %s,\n", in + 2, "",
		    v->pre.checked ? (v->pre.holds ? "true" : "false") : "null");
	indent_to(sb, in + 2);
	strbuf_addstr(sb, "\"file\": ");
	strbuf_add_json_str_or_null(sb, r->mmap_path);
	strbuf_addf(sb, ",\n%*s\"function\": ", in + 2, "");
	strbuf_add_json_str_or_null(sb, r->pre_function);
	strbuf_addstr(sb, ",\n");
	indent_to(sb, in + 2);
	if (v->pre.checked)
		strbuf_addf(sb, "\"line\": %zu,\n", v->pre.line);
	else
		strbuf_addstr(sb, "\"line\": null,\n");
	indent_to(sb, in + 2);
	strbuf_addstr(sb, "\"reason\": ");
	strbuf_add_json_str_or_null(sb, v->pre.reason);
	strbuf_addf(sb, "\n%*s},\n", in, "");
	indent_to(sb, in);
	strbuf_addstr(sb, "\"notes\": [");
	for (size_t n = 0; n < v->nr_notes; n++) {
		strbuf_addstr(sb, n ? ", " : "");
		strbuf_add_json_str(sb, v->notes[n]);
	}
	strbuf_addf(sb, "]\n%*s}", ind, "");
}

void report_locate_json(struct strbuf *sb, const char *repo,
			const struct locate_result *res, size_t nr)
{
	strbuf_addstr(sb, "{\n  \"schema\": \"backport-mglru.locate/1\",\n");
	strbuf_addstr(sb, "  \"repository\": ");
	strbuf_add_json_str(sb, repo);
	strbuf_addstr(sb, ",\n  \"branches\": [");
	for (size_t i = 0; i < nr; i++) {
		strbuf_addstr(sb, i ? ",\n    " : "\n    ");
		report_locate_json_object(sb, &res[i], 4);
	}
	strbuf_addstr(sb, nr ? "\n  ]\n}\n" : "]\n}\n");
}
