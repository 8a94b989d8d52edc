/* One boot test's result and its rendering (core/report-boot.h). */
#include "core/report-boot.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static const char *const outcome_names[] = {
	[BOOT_RAN] = "ran",
	[BOOT_CONFIG_FAILED] = "config-failed",
	[BOOT_BUILD_FAILED] = "build-failed",
	[BOOT_NO_QEMU] = "no-qemu",
	[BOOT_FAILED] = "failed",
	[BOOT_SKIPPED] = "skipped",
	[BOOT_BUILD_TIMEOUT] = "build-timeout",
	[BOOT_INTERRUPTED] = "interrupted",
};

const char *boot_outcome_name(enum boot_outcome o)
{
	return (size_t)o < sizeof(outcome_names) / sizeof(outcome_names[0]) ?
		outcome_names[o] : "unknown";
}

void boot_test_release(struct boot_test *t)
{
	free(t->branch);
	free(t->arch);
	boot_verdict_release(&t->verdict);
	free(t->detail);
	free(t->missing);
	free(t->build_dir);
	free(t->build_log);
	free(t->console_log);
	memset(t, 0, sizeof(*t));
}

bool boot_test_passed(const struct boot_test *t)
{
	if (t->outcome != BOOT_RAN)
		return false;
	return t->control ? boot_control_caught(&t->verdict) : t->verdict.result == BOOT_PASS;
}

bool boot_test_failed(const struct boot_test *t)
{
	return t->outcome != BOOT_SKIPPED && !boot_test_passed(t);
}

char *boot_test_summary(const struct boot_test *t)
{
	const struct boot_verdict *v = &t->verdict;

	if (t->outcome != BOOT_RAN && !t->detail)
		return xstrdup(boot_outcome_name(t->outcome));
	if (t->outcome != BOOT_RAN)
		return xstrfmt("%s: %s", boot_outcome_name(t->outcome), t->detail);
	if (t->control && boot_control_caught(v))
		return xstrfmt("control caught: %s%s%s (%s)", boot_result_name(v->result),
			       v->kasan_kind ? " " : "", v->kasan_kind ? v->kasan_kind : "",
			       v->why);
	if (t->control)
		return xstrfmt("CONTROL NOT CAUGHT: THE BOOT TEST HAS NO TEETH: the "
			       "half-applied kernel gave '%s' (%s)",
			       boot_result_name(v->result), v->why);
	return xstrfmt("%s: %s", boot_result_name(v->result), v->why);
}

void boot_test_lines(struct strbuf *sb, const struct boot_test *t)
{
	char *s = boot_test_summary(t);

	strbuf_addf(sb, "%-20s %-7s %-8s %s", t->branch ? t->branch : "-",
		    t->arch ? t->arch : "-", t->control ? "control" : "patched", s);
	if (t->outcome == BOOT_RAN)
		strbuf_addf(sb, "  (build %.0f s, guest %.1f s)", t->build_seconds,
			    t->guest_seconds);
	strbuf_addch(sb, '\n');
	if (t->console_log && t->outcome == BOOT_RAN)
		strbuf_addf(sb, "    console: %s\n", t->console_log);
	else if (t->build_log)
		strbuf_addf(sb, "    build log: %s\n", t->build_log);
	if (t->missing)
		strbuf_addf(sb, "    note: config symbols not set: %s\n", t->missing);
	if (t->outcome == BOOT_RAN && t->verdict.nr_lines &&
	    (t->verdict.result != BOOT_PASS)) {
		strbuf_addf(sb, "    console line %zu:\n", t->verdict.line);
		for (size_t i = 0; i < t->verdict.nr_lines && i < 6; i++)
			strbuf_addf(sb, "      %s\n", t->verdict.lines[i]);
	}
	free(s);
}

static void json_str(struct strbuf *sb, int indent, const char *key, const char *val)
{
	strbuf_addf(sb, ",\n%*s\"%s\": ", indent + 2, "", key);
	strbuf_add_json_str_or_null(sb, val);
}

void boot_test_json(struct strbuf *sb, const struct boot_test *t, int indent)
{
	const struct boot_verdict *v = &t->verdict;
	bool ran = t->outcome == BOOT_RAN;
	char *s = boot_test_summary(t);

	strbuf_addf(sb, "%*s{\n%*s\"branch\": ", indent, "", indent + 2, "");
	strbuf_add_json_str_or_null(sb, t->branch);
	json_str(sb, indent, "arch", t->arch);
	strbuf_addf(sb, ",\n%*s\"control\": %s", indent + 2, "", t->control ? "true" : "false");
	json_str(sb, indent, "outcome", boot_outcome_name(t->outcome));
	json_str(sb, indent, "result", ran ? boot_result_name(v->result) : NULL);
	strbuf_addf(sb, ",\n%*s\"passed\": %s", indent + 2, "",
		    boot_test_passed(t) ? "true" : "false");
	if (t->control)
		strbuf_addf(sb, ",\n%*s\"caught\": %s", indent + 2, "",
			    ran && boot_control_caught(v) ? "true" : "false");
	else
		strbuf_addf(sb, ",\n%*s\"caught\": null", indent + 2, "");
	json_str(sb, indent, "summary", s);
	json_str(sb, indent, "kasan", ran ? v->kasan_kind : NULL);
	if (ran && v->sum.found)
		strbuf_addf(sb, ",\n%*s\"rounds\": %ld,\n%*s\"max_gen_before\": %ld,\n"
			    "%*s\"max_gen_after\": %ld,\n%*s\"exited\": %ld,\n"
			    "%*s\"leaf_ptes\": %ld",
			    indent + 2, "", v->sum.rounds, indent + 2, "", v->sum.gen_before,
			    indent + 2, "", v->sum.gen_after, indent + 2, "", v->sum.exited,
			    indent + 2, "", v->sum.leaf_ptes);
	else
		strbuf_addf(sb, ",\n%*s\"rounds\": null,\n%*s\"max_gen_before\": null,\n"
			    "%*s\"max_gen_after\": null,\n%*s\"exited\": null,\n"
			    "%*s\"leaf_ptes\": null",
			    indent + 2, "", indent + 2, "", indent + 2, "", indent + 2, "",
			    indent + 2, "");
	strbuf_addf(sb, ",\n%*s\"first_line\": ", indent + 2, "");
	if (ran && v->line)
		strbuf_addf(sb, "%zu", v->line);
	else
		strbuf_addstr(sb, "null");
	strbuf_addf(sb, ",\n%*s\"first_lines\": [", indent + 2, "");
	for (size_t i = 0; ran && v->result != BOOT_PASS && i < v->nr_lines; i++) {
		strbuf_addstr(sb, i ? ", " : "");
		strbuf_add_json_str(sb, v->lines[i]);
	}
	strbuf_addch(sb, ']');
	json_str(sb, indent, "detail", t->detail);
	json_str(sb, indent, "config_not_set", t->missing);
	strbuf_addf(sb, ",\n%*s\"build_seconds\": %.1f,\n%*s\"guest_seconds\": %.1f,\n"
		    "%*s\"seconds\": %.1f", indent + 2, "", t->build_seconds, indent + 2, "",
		    t->guest_seconds, indent + 2, "", t->seconds);
	json_str(sb, indent, "console_log", t->console_log);
	json_str(sb, indent, "build_log", t->build_log);
	strbuf_addf(sb, "\n%*s}", indent, "");
	free(s);
}
