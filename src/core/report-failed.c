#include "core/report-failed.h"

#include "core/kversion.h"

bool report_is_refusal(const struct apply_report *r)
{
	for (size_t i = 0; i < r->nr_checks; i++)
		if (check_outcome_failed(r->checks[i].outcome) &&
		    r->checks[i].outcome != CHECK_INTERRUPTED)
			return true;
	return backport_outcome_failed(r->bp->outcome);
}

static void site_text(struct strbuf *out, const char *what, const char *path,
		      const struct site *s)
{
	if (!s->found)
		return;
	strbuf_addf(out, "  %s: %s:%zu in %s(), %s\n", what, path, s->line, s->function,
		    pin_call_name(s->call));
}

/* The function a hunk is meant for: where it was placed, or what its "@@" says. */
static void hunk_place(struct strbuf *out, const struct hunk_result *hr,
		       const struct file_diff *fd, size_t h)
{
	const struct hunk *hk = fd && h < fd->nr_hunks ? &fd->hunks[h] : NULL;

	if (hr->function && hr->status != HUNK_RELOCATED)
		strbuf_addf(out, "(in %s) ", hr->function);
	else if (hr->status == HUNK_FAILED && hk && hk->section_len)
		strbuf_addf(out, "(its @@ line names '%.*s') ", (int)hk->section_len,
			    hk->section);
}

/* Each hunk of each patch tried: where it went, or why it did not. */
static void hunks_text(struct strbuf *out, const struct backport *bp)
{
	for (size_t s = 0; s < bp->nr_steps; s++) {
		const struct backport_step *st = &bp->steps[s];
		const struct apply_result *ar = &st->result;

		for (size_t p = 0; p < ar->nr_patches; p++) {
			const struct patch_result *pr = &ar->patches[p];

			for (size_t f = 0; f < pr->nr_files; f++) {
				const struct file_result *fr = &pr->files[f];
				const struct file_diff *fd =
					ar->nr_patches == 1 && f < st->patch->nr_files ?
					&st->patch->files[f] : NULL;

				for (size_t h = 0; h < fr->nr_hunks; h++) {
					strbuf_addf(out, "  %s: %s: hunk %zu ", pr->name,
						    fr->path, h + 1);
					hunk_place(out, &fr->hunks[h], fd, h);
					hunk_result_describe(&fr->hunks[h], out);
					strbuf_addch(out, '\n');
				}
			}
		}
	}
}

void report_failed_text(struct strbuf *out, const struct apply_report *r,
			const char *subject, const char *upstream)
{
	const struct locate_result *loc = r->loc;
	const struct backport *bp = r->bp;
	char ver[64];

	branch_version_name(&loc->branch, ver, sizeof(ver));
	strbuf_addf(out, REPORT_FAILED_MARK "\"%s\" for %s\n\n", subject ? subject : "the fix",
		    loc->branch.label);
	strbuf_addf(out, "The fix does not go to %s (%s, commit %.12s) as it is.\n",
		    loc->branch.label, ver, loc->branch.commit);
	if (upstream)
		strbuf_addf(out, "Upstream commit: %s\n", upstream);
	strbuf_addf(out, "\nResult: %s\n", backport_outcome_name(bp->outcome));
	if (bp->reason)
		strbuf_addf(out, "Why: %s\n", bp->reason);
	if (bp->nr_steps) {
		strbuf_addstr(out, "\nHunks:\n");
		hunks_text(out, bp);
	}
	for (size_t i = 0, first = 1; i < r->nr_checks; i++) {
		const struct check_result *c = &r->checks[i];

		if (!check_outcome_failed(c->outcome))
			continue;
		if (first)
			strbuf_addstr(out, "\nCompile checks that failed:\n");
		first = 0;
		strbuf_addf(out, "  %s %s: %s\n", c->arch, c->config, c->summary);
		if (c->detail)
			strbuf_addf(out, "    %s\n", c->detail);
	}
	strbuf_addf(out, "\nWhat %s has (%s):\n  shape: %s, status: %s\n", loc->branch.label,
		    loc->vmscan_path, shape_name(loc->variant.shape),
		    status_name(loc->variant.status));
	if (loc->variant.reason)
		strbuf_addf(out, "  %s\n", loc->variant.reason);
	site_text(out, "pin", loc->vmscan_path, &loc->variant.pin);
	site_text(out, "unpin", loc->vmscan_path, &loc->variant.unpin);
	strbuf_addstr(out, "\nA backport for this line has to be written by hand, or the tree "
		      "brought to a shape that has a series first.\n");
}
