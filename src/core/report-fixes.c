#include "core/report-fixes.h"

#include <string.h>

enum { COL_FIX, COL_UPSTREAM, COL_LINES, COL_SUBJECT, NR_COLS };

static const char *const col_names[NR_COLS] = { "FIX", "UPSTREAM", "LINES", "SUBJECT" };

static void row_cells(struct strbuf cells[NR_COLS], const struct fix_desc *f)
{
	for (int c = 0; c < NR_COLS; c++)
		strbuf_reset(&cells[c]);
	strbuf_addstr(&cells[COL_FIX], f->id);
	if (f->upstream)
		strbuf_addf(&cells[COL_UPSTREAM], "%.12s", f->upstream);
	else
		strbuf_addstr(&cells[COL_UPSTREAM], "-");
	for (size_t i = 0; i < f->nr_lines; i++)
		strbuf_addf(&cells[COL_LINES], "%s%s", i ? "," : "", f->lines[i]);
	if (!f->nr_lines)
		strbuf_addstr(&cells[COL_LINES], "-");
	strbuf_addstr(&cells[COL_SUBJECT], f->subject);
}

static void table_row(struct strbuf *out, struct strbuf cells[NR_COLS],
		      const size_t width[NR_COLS])
{
	for (int c = 0; c < NR_COLS; c++) {
		if (c == NR_COLS - 1)
			strbuf_addf(out, "%s\n", cells[c].buf);
		else
			strbuf_addf(out, "%-*s  ", (int)width[c], cells[c].buf);
	}
}

void report_fixes_table(struct strbuf *out, const struct fix_desc *fixes, size_t nr)
{
	struct strbuf cells[NR_COLS];
	size_t width[NR_COLS];

	for (int c = 0; c < NR_COLS; c++) {
		strbuf_init(&cells[c], 0);
		width[c] = strlen(col_names[c]);
	}
	for (size_t i = 0; i < nr; i++) {
		row_cells(cells, &fixes[i]);
		for (int c = 0; c < NR_COLS; c++)
			if (cells[c].len > width[c])
				width[c] = cells[c].len;
	}
	for (int c = 0; c < NR_COLS; c++) {
		strbuf_reset(&cells[c]);
		strbuf_addstr(&cells[c], col_names[c]);
	}
	table_row(out, cells, width);
	for (size_t i = 0; i < nr; i++) {
		row_cells(cells, &fixes[i]);
		table_row(out, cells, width);
	}
	for (int c = 0; c < NR_COLS; c++)
		strbuf_release(&cells[c]);
}

static void json_strings(struct strbuf *sb, char *const *v, size_t n)
{
	strbuf_addch(sb, '[');
	for (size_t i = 0; i < n; i++) {
		strbuf_addstr(sb, i ? ", " : "");
		strbuf_add_json_str(sb, v[i]);
	}
	strbuf_addch(sb, ']');
}

static void json_key(struct strbuf *sb, const char *key, const char *value, bool comma)
{
	strbuf_addf(sb, "      \"%s\": ", key);
	strbuf_add_json_str_or_null(sb, value);
	strbuf_addstr(sb, comma ? ",\n" : "\n");
}

void report_fixes_json(struct strbuf *sb, const struct fix_desc *fixes, size_t nr)
{
	strbuf_addstr(sb, "{\n  \"schema\": \"backport-mglru.fixes/1\",\n  \"fixes\": [");
	for (size_t i = 0; i < nr; i++) {
		const struct fix_desc *f = &fixes[i];

		strbuf_addstr(sb, i ? ",\n    {\n" : "\n    {\n");
		json_key(sb, "fix", f->id, true);
		json_key(sb, "upstream", f->upstream, true);
		json_key(sb, "subject", f->subject, true);
		json_key(sb, "fixes", f->fixes, true);
		json_key(sb, "rule", f->rule_name, true);
		json_key(sb, "patch", f->patch_name, true);
		strbuf_addstr(sb, "      \"files\": [");
		for (size_t k = 0; k < f->nr_files; k++) {
			strbuf_addstr(sb, k ? ", " : "");
			strbuf_addstr(sb, "{\"path\": ");
			strbuf_add_json_str(sb, f->files[k].path);
			strbuf_addstr(sb, ", \"functions\": ");
			json_strings(sb, f->files[k].functions, f->files[k].nr_functions);
			strbuf_addstr(sb, ", \"macros\": ");
			json_strings(sb, f->files[k].macros, f->files[k].nr_macros);
			strbuf_addch(sb, '}');
		}
		strbuf_addstr(sb, "],\n      \"kconfig\": ");
		json_strings(sb, f->kconfig, f->nr_kconfig);
		strbuf_addstr(sb, ",\n      \"preconditions\": [");
		for (size_t k = 0; k < f->nr_preconditions; k++) {
			const struct fix_precondition *p = &f->preconditions[k];

			strbuf_addstr(sb, k ? ", " : "");
			strbuf_addstr(sb, "{\"name\": ");
			strbuf_add_json_str(sb, p->name);
			strbuf_addstr(sb, ", \"file\": ");
			strbuf_add_json_str(sb, p->file);
			strbuf_addstr(sb, ", \"function\": ");
			strbuf_add_json_str(sb, p->function);
			strbuf_addstr(sb, ", \"series\": ");
			strbuf_add_json_str_or_null(sb, p->series);
			strbuf_addch(sb, '}');
		}
		strbuf_addstr(sb, "],\n      \"shapes\": [");
		for (size_t k = 0; k < f->nr_shapes; k++) {
			strbuf_addstr(sb, k ? ", " : "");
			strbuf_addstr(sb, "{\"name\": ");
			strbuf_add_json_str(sb, f->shapes[k].name);
			strbuf_addstr(sb, ", \"series\": ");
			strbuf_add_json_str_or_null(sb, strcmp(f->shapes[k].series, "-") ?
							f->shapes[k].series : NULL);
			strbuf_addch(sb, '}');
		}
		strbuf_addstr(sb, "],\n      \"lines\": ");
		json_strings(sb, f->lines, f->nr_lines);
		strbuf_addstr(sb, ",\n");
		json_key(sb, "descriptor", f->conf_path, false);
		strbuf_addstr(sb, "    }");
	}
	strbuf_addstr(sb, nr ? "\n  ]\n}\n" : "]\n}\n");
}
