#include "core/report-apply.h"

#include <string.h>

#include "core/fix.h"
#include "core/report-failed.h"

bool apply_report_failed(const struct apply_report *r)
{
	if (r->error)
		return true;
	for (size_t i = 0; i < r->nr_boots; i++)
		if (boot_test_failed(&r->boots[i]))
			return true;
	for (size_t i = 0; i < r->nr_checks; i++)
		if (check_outcome_failed(r->checks[i].outcome))
			return true;
	return backport_outcome_failed(r->bp->outcome);
}

static size_t max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void hunks_line(struct strbuf *out, const struct apply_report *r,
		       const struct backport_step *s)
{
	for (size_t f = 0; f < s->result.nr_patches; f++) {
		const struct patch_result *pr = &s->result.patches[f];

		for (size_t i = 0; i < pr->nr_files; i++) {
			const struct file_result *fr = &pr->files[i];

			strbuf_addf(out, "%s: %s: %s:", r->loc->branch.label,
				    pr->name, fr->path);
			for (size_t h = 0; h < fr->nr_hunks; h++) {
				strbuf_addf(out, "%s hunk %zu ", h ? ";" : "", h + 1);
				hunk_result_describe(&fr->hunks[h], out);
			}
			strbuf_addch(out, '\n');
		}
	}
}

void report_apply_table(struct strbuf *out, const struct apply_report *r, size_t nr)
{
	size_t w[4] = { strlen("BRANCH"), strlen("VERSION"), strlen("SHAPE"),
			strlen("SERIES") };
	char ver[64];

	for (size_t i = 0; i < nr; i++) {
		branch_version_name(&r[i].loc->branch, ver, sizeof(ver));
		w[0] = max_sz(w[0], strlen(r[i].loc->branch.label));
		w[1] = max_sz(w[1], strlen(ver));
		w[2] = max_sz(w[2], strlen(shape_name(r[i].loc->variant.shape)));
		w[3] = max_sz(w[3], r[i].series_file ? strlen(r[i].series_file) : 1);
	}
	strbuf_addf(out, "%-*s  %-*s  %-*s  %-*s  RESULT\n", (int)w[0], "BRANCH",
		    (int)w[1], "VERSION", (int)w[2], "SHAPE", (int)w[3], "SERIES");
	for (size_t i = 0; i < nr; i++) {
		branch_version_name(&r[i].loc->branch, ver, sizeof(ver));
		strbuf_addf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", (int)w[0],
			    r[i].loc->branch.label, (int)w[1], ver, (int)w[2],
			    shape_name(r[i].loc->variant.shape), (int)w[3],
			    r[i].series_file ? r[i].series_file : "-",
			    r[i].error ? "error" : backport_outcome_name(r[i].bp->outcome));
	}
	for (size_t i = 0; i < nr; i++) {
		const struct apply_report *a = &r[i];
		const struct backport *bp = a->bp;
		const char *label = a->loc->branch.label;

		for (size_t s = 0; s < bp->nr_steps; s++)
			hunks_line(out, a, &bp->steps[s]);
		if (bp->prereq_form)
			strbuf_addf(out, "%s: prerequisite: %s applied %s"
				    "(--with-prerequisites); the precondition holds after it\n",
				    label, bp->prereq_form,
				    bp->nr_prereq_steps < bp->nr_steps ? "first " : "");
		if (bp->reason)
			strbuf_addf(out, "%s: %s: %s\n", label,
				    backport_outcome_name(bp->outcome), bp->reason);
		if (!a->series_file && a->series_why &&
		    a->loc->variant.status == STATUS_NEEDS_FIX)
			strbuf_addf(out, "%s: %s\n", label, a->series_why);
		if (bp->have_after && bp->after.pin.found && bp->after.unpin.found)
			strbuf_addf(out, "%s: after: pin %s:%zu (%s) %s, unpin %s:%zu (%s) %s\n",
				    label, a->loc->vmscan_path, bp->after.pin.line,
				    bp->after.pin.function, pin_call_name(bp->after.pin.call),
				    a->loc->vmscan_path, bp->after.unpin.line,
				    bp->after.unpin.function,
				    pin_call_name(bp->after.unpin.call));
		else if (bp->have_after && bp->after.reason)
			strbuf_addf(out, "%s: after: %s: %s\n", label,
				    status_name(bp->after.status), bp->after.reason);
		if (a->upstream)
			strbuf_addf(out, "%s: upstream: %s\n", label, a->upstream);
		if (a->output)
			strbuf_addf(out, "%s: wrote %s\n", label, a->output);
		if (a->assumption)
			strbuf_addf(out, "%s: %s\n", label, a->assumption);
		if (a->failed_file)
			strbuf_addf(out, "%s: wrote %s (why the fix does not go there)\n", label,
				    a->failed_file);
		if (a->commit)
			strbuf_addf(out, "%s: committed %s as %s\n", label, a->commit, a->ref);
		if (a->error)
			strbuf_addf(out, "%s: error: %s\n", label, a->error);
	}
	for (size_t i = 0, first = 1; i < nr; i++) {
		for (size_t c = 0; c < r[i].nr_checks; c++) {
			if (first)
				strbuf_addstr(out, "\nCOMPILE CHECKS\n");
			first = 0;
			check_result_line(out, &r[i].checks[c]);
			strbuf_addch(out, '\n');
		}
	}
	for (size_t i = 0, first = 1; i < nr; i++) {
		for (size_t b = 0; b < r[i].nr_boots; b++) {
			if (first)
				strbuf_addstr(out, "\nBOOT TESTS (qemu, KASAN, MGLRU walk)\n");
			first = 0;
			boot_test_lines(out, &r[i].boots[b]);
		}
	}
}

static void hunk_json(struct strbuf *sb, const struct hunk_result *h)
{
	strbuf_addf(sb, "{\"status\": \"%s\", \"line\": %zu, \"offset\": %ld, \"fuzz\": %u, "
		    "\"function\": ", hunk_status_name(h->status), h->line, h->offset,
		    h->fuzz);
	strbuf_add_json_str_or_null(sb, h->function);
	strbuf_addstr(sb, ", \"reason\": ");
	strbuf_add_json_str_or_null(sb, h->reason);
	strbuf_addch(sb, '}');
}

static void steps_json(struct strbuf *sb, const struct backport *bp)
{
	strbuf_addch(sb, '[');
	for (size_t s = 0; s < bp->nr_steps; s++) {
		const struct apply_result *ar = &bp->steps[s].result;

		for (size_t p = 0; p < ar->nr_patches; p++) {
			const struct patch_result *pr = &ar->patches[p];

			strbuf_addstr(sb, s || p ? ",\n        {" : "\n        {");
			strbuf_addstr(sb, "\"name\": ");
			strbuf_add_json_str(sb, pr->name);
			strbuf_addf(sb, ", \"status\": \"%s\", \"files\": [",
				    apply_status_name(pr->status));
			for (size_t f = 0; f < pr->nr_files; f++) {
				const struct file_result *fr = &pr->files[f];

				strbuf_addstr(sb, f ? ", {\"path\": " : "{\"path\": ");
				strbuf_add_json_str(sb, fr->path);
				strbuf_addstr(sb, ", \"hunks\": [");
				for (size_t h = 0; h < fr->nr_hunks; h++) {
					strbuf_addstr(sb, h ? ", " : "");
					hunk_json(sb, &fr->hunks[h]);
				}
				strbuf_addstr(sb, "]}");
			}
			strbuf_addstr(sb, "]}");
		}
	}
	strbuf_addstr(sb, bp->nr_steps ? "\n      ]" : "]");
}

void report_apply_json(struct strbuf *sb, const char *repo, bool dry_run,
		       const struct apply_report *r, size_t nr)
{
	strbuf_addstr(sb, "{\n  \"schema\": \"backport-mglru.apply/1\",\n  \"repository\": ");
	strbuf_add_json_str(sb, repo);
	strbuf_addf(sb, ",\n  \"dry_run\": %s,\n  \"branches\": [", dry_run ? "true" : "false");
	for (size_t i = 0; i < nr; i++) {
		const struct apply_report *a = &r[i];
		const struct backport *bp = a->bp;

		strbuf_addstr(sb, i ? ",\n    {\n      \"fix\": " : "\n    {\n      \"fix\": ");
		strbuf_add_json_str_or_null(sb, a->loc->fix ? a->loc->fix->id : NULL);
		strbuf_addstr(sb, ",\n      \"locate\": ");
		report_locate_json_object(sb, a->loc, 6);
		strbuf_addstr(sb, ",\n      \"series\": ");
		strbuf_add_json_str_or_null(sb, a->series_file);
		strbuf_addstr(sb, ",\n      \"series_choice\": ");
		strbuf_add_json_str_or_null(sb, a->series_why);
		strbuf_addstr(sb, ",\n      \"prerequisite\": ");
		strbuf_add_json_str_or_null(sb, bp->prereq_form);
		strbuf_addf(sb, ",\n      \"result\": \"%s\",\n      \"reason\": ",
			    backport_outcome_name(bp->outcome));
		strbuf_add_json_str_or_null(sb, bp->reason);
		strbuf_addstr(sb, ",\n      \"refusal\": ");
		strbuf_add_json_str_or_null(sb, bp->refusal);
		strbuf_addstr(sb, ",\n      \"patches\": ");
		steps_json(sb, bp);
		strbuf_addstr(sb, ",\n      \"after\": ");
		if (bp->have_after) {
			strbuf_addf(sb, "{\"status\": \"%s\", \"pin_line\": %zu, \"pin_call\": \"%s\", "
				    "\"unpin_line\": %zu, \"unpin_call\": \"%s\"}",
				    status_name(bp->after.status), bp->after.pin.line,
				    pin_call_name(bp->after.pin.call), bp->after.unpin.line,
				    pin_call_name(bp->after.unpin.call));
		} else {
			strbuf_addstr(sb, "null");
		}
		strbuf_addstr(sb, ",\n      \"upstream\": ");
		strbuf_add_json_str_or_null(sb, a->upstream);
		strbuf_addstr(sb, ",\n      \"output\": ");
		strbuf_add_json_str_or_null(sb, a->output);
		strbuf_addstr(sb, ",\n      \"commit\": ");
		strbuf_add_json_str_or_null(sb, a->commit);
		strbuf_addstr(sb, ",\n      \"ref\": ");
		strbuf_add_json_str_or_null(sb, a->commit ? a->ref : NULL);
		strbuf_addstr(sb, ",\n      \"error\": ");
		strbuf_add_json_str_or_null(sb, a->error);
		strbuf_addstr(sb, ",\n      \"failed_text\": ");
		if (report_is_refusal(a)) {
			struct strbuf text = STRBUF_INIT;

			report_failed_text(&text, a, a->subject, a->upstream_id);
			strbuf_add_json_str(sb, text.buf);
			strbuf_release(&text);
		} else {
			strbuf_addstr(sb, "null");
		}
		strbuf_addstr(sb, ",\n      \"failed_file\": ");
		strbuf_add_json_str_or_null(sb, a->failed_file);
		strbuf_addstr(sb, ",\n      \"assumption\": ");
		strbuf_add_json_str_or_null(sb, a->assumption);
		strbuf_addstr(sb, ",\n      \"checks\": [");
		for (size_t c = 0; c < a->nr_checks; c++) {
			strbuf_addstr(sb, c ? ",\n" : "\n");
			check_result_json(sb, &a->checks[c], 8);
		}
		strbuf_addstr(sb, a->nr_checks ? "\n      ]" : "]");
		if (a->nr_boots) {
			strbuf_addstr(sb, ",\n      \"boots\": [");
			for (size_t b = 0; b < a->nr_boots; b++) {
				strbuf_addstr(sb, b ? ",\n" : "\n");
				boot_test_json(sb, &a->boots[b], 8);
			}
			strbuf_addstr(sb, "\n      ]");
		}
		strbuf_addf(sb, ",\n      \"failed\": %s\n    }",
			    apply_report_failed(a) ? "true" : "false");
	}
	strbuf_addstr(sb, nr ? "\n  ]\n}\n" : "]\n}\n");
}
