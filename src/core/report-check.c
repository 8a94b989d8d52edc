#include "core/report-check.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void check_result_release(struct check_result *res)
{
	free(res->branch);
	free(res->arch);
	free(res->config);
	free(res->summary);
	free(res->detail);
	free(res->log_path);
	free(res->build_dir);
	diag_list_release(&res->errors);
	diag_list_release(&res->new_warnings);
	memset(res, 0, sizeof(*res));
}

static const char *const outcome_names[] = {
	[CHECK_OK] = "ok",
	[CHECK_NEW_WARNINGS] = "new-warnings",
	[CHECK_ERROR] = "error",
	[CHECK_NOT_COMPILED] = "not-compiled",
	[CHECK_TIMEOUT] = "timeout",
	[CHECK_INTERRUPTED] = "interrupted",
	[CHECK_SKIPPED] = "skipped",
	[CHECK_FAILED] = "failed",
};

const char *check_outcome_name(enum check_outcome o)
{
	if ((size_t)o >= ARRAY_SIZE(outcome_names))
		BUG("bad check outcome %d", (int)o);
	return outcome_names[o];
}

bool check_outcome_failed(enum check_outcome o)
{
	return o != CHECK_OK && o != CHECK_SKIPPED;
}

void check_result_summarise(struct check_result *res)
{
	const struct diag *e = diag_first_error(&res->errors);
	char *s = NULL;

	free(res->summary);
	switch (res->outcome) {
	case CHECK_OK:
		s = xstrdup("ok");
		break;
	case CHECK_NEW_WARNINGS:
		s = xstrfmt("new warnings (%zu)", res->new_warnings.nr);
		break;
	case CHECK_ERROR:
		if (e && e->file && e->line)
			s = xstrfmt("error at %s:%zu: %s", e->file, e->line, e->message);
		else if (e)
			s = xstrfmt("error: %s", e->message);
		else
			s = xstrdup("error: the build failed (see log)");
		break;
	case CHECK_NOT_COMPILED:
		s = xstrdup("patched code not compiled under this config");
		break;
	case CHECK_TIMEOUT:
		s = xstrdup("timeout");
		break;
	case CHECK_INTERRUPTED:
		s = xstrdup("interrupted");
		break;
	case CHECK_SKIPPED:
		s = xstrfmt("skipped: %s", res->detail ? res->detail : "not available");
		break;
	case CHECK_FAILED:
		s = xstrfmt("failed: %s", res->detail ? res->detail : "unknown error");
		break;
	}
	res->summary = s;
}

static void json_field(struct strbuf *sb, int indent, const char *key, const char *val,
		       bool comma)
{
	strbuf_addf(sb, "%*s\"%s\": ", indent + 2, "", key);
	strbuf_add_json_str_or_null(sb, val);
	strbuf_addstr(sb, comma ? ",\n" : "\n");
}

static void json_diags(struct strbuf *sb, int indent, const char *key,
		       const struct diag_list *l)
{
	strbuf_addf(sb, "%*s\"%s\": [", indent + 2, "", key);
	for (size_t i = 0; i < l->nr; i++) {
		const struct diag *d = &l->items[i];

		strbuf_addstr(sb, i ? ", " : "");
		strbuf_addstr(sb, "{\"file\": ");
		strbuf_add_json_str_or_null(sb, d->file);
		strbuf_addf(sb, ", \"line\": %zu, \"message\": ", d->line);
		strbuf_add_json_str(sb, d->message);
		strbuf_addch(sb, '}');
	}
	strbuf_addstr(sb, "],\n");
}

void check_result_json(struct strbuf *sb, const struct check_result *res, int indent)
{
	strbuf_addf(sb, "%*s{\n", indent, "");
	json_field(sb, indent, "branch", res->branch, true);
	json_field(sb, indent, "arch", res->arch, true);
	json_field(sb, indent, "config", res->config, true);
	json_field(sb, indent, "result", check_outcome_name(res->outcome), true);
	json_field(sb, indent, "summary", res->summary, true);
	json_field(sb, indent, "detail", res->detail, true);
	json_diags(sb, indent, "errors", &res->errors);
	json_diags(sb, indent, "new_warnings", &res->new_warnings);
	json_field(sb, indent, "compiled_by", res->outcome == CHECK_OK ||
		   res->outcome == CHECK_NEW_WARNINGS || res->outcome == CHECK_ERROR ||
		   res->outcome == CHECK_NOT_COMPILED ?
		   (res->saved_command ? "saved-command" : "make") : NULL, true);
	strbuf_addf(sb, "%*s\"seconds\": %.1f,\n", indent + 2, "", res->seconds);
	json_field(sb, indent, "log", res->log_path, false);
	strbuf_addf(sb, "%*s}", indent, "");
}

void check_result_line(struct strbuf *sb, const struct check_result *res)
{
	strbuf_addf(sb, "%-20s %-7s %-20s %s", res->branch ? res->branch : "-",
		    res->arch ? res->arch : "-", res->config ? res->config : "-",
		    res->summary ? res->summary : check_outcome_name(res->outcome));
	if (res->detail && res->outcome != CHECK_SKIPPED && res->outcome != CHECK_FAILED)
		strbuf_addf(sb, " (%s)", res->detail);
	if (res->log_path)
		strbuf_addf(sb, "  log: %s", res->log_path);
}
