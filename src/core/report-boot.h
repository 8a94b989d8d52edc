/*
 * The result of one boot test (branch, arch, patched or control) and its
 * rendering as a table line and a JSON object (docs/json.md).  Pure: the
 * test itself is in sys/boot.h, the console's judge in core/bootjudge.h.
 */
#ifndef BM_REPORT_BOOT_H
#define BM_REPORT_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/bootjudge.h"
#include "core/strbuf.h"

enum boot_outcome {
	BOOT_RAN,		/* the guest ran and was judged: see verdict */
	BOOT_CONFIG_FAILED,	/* configure failed, or the .config lacks a symbol */
	BOOT_BUILD_FAILED,	/* make bzImage failed: detail has the first error */
	BOOT_NO_QEMU,		/* qemu-system-<arch> is not installed */
	BOOT_FAILED,		/* the test could not run: see detail */
	BOOT_SKIPPED,		/* not for this arch, or the branch had nothing to boot */
	BOOT_BUILD_TIMEOUT,
	BOOT_INTERRUPTED,
};

struct boot_test {
	enum boot_outcome outcome;
	char *branch;		/* label; owned */
	char *arch;		/* owned */
	bool control;		/* the negative control: only the unpin converted */
	struct boot_verdict verdict;	/* when outcome is BOOT_RAN */
	char *detail;		/* why it did not run; owned or NULL */
	char *missing;		/* optional config symbols olddefconfig dropped; owned or NULL */
	char *build_dir, *build_log, *console_log;	/* owned or NULL */
	double build_seconds;	/* configure and make bzImage */
	double guest_seconds;	/* qemu, start to exit */
	double seconds;		/* the whole test */
	bool configured;	/* configure ran in this run */
};

void boot_test_release(struct boot_test *t);
/* "ran", "config-failed", "build-failed", "no-qemu", ... */
const char *boot_outcome_name(enum boot_outcome o);
/*
 * Whether the test passed: it ran and the judge said pass, or, for the
 * control, the judge saw the use-after-free (core/bootjudge.h).  Skipped
 * tests neither pass nor fail.
 */
bool boot_test_passed(const struct boot_test *t);
bool boot_test_failed(const struct boot_test *t);
/* "pass: 30 rounds, ...", "control caught: KASAN slab-use-after-free", ... */
char *boot_test_summary(const struct boot_test *t);
/* Table lines: the row, then the offending console lines indented. */
void boot_test_lines(struct strbuf *sb, const struct boot_test *t);
/* One JSON object (no trailing newline), indented by indent spaces. */
void boot_test_json(struct strbuf *sb, const struct boot_test *t, int indent);

#endif
