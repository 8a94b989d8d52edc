/*
 * The boot test's judge: a guest's serial console log (and whether qemu had
 * to be killed at the timeout) into one result.
 *
 * The guest program (src/guest/lru-walk.c) prints lines starting with
 * "lru-walk: " on the console, and at the end one machine-readable line:
 *
 *   lru-walk: summary rounds=R max_gen_before=A max_gen_after=B exited=E
 *             errors=N caps=0xC leaf_ptes=P
 *
 * (one line).  PASS needs that line with R > 0, B > A, N == 0, the page
 * table walk capability (bit 0x0002 of /sys/kernel/mm/lru_gen/enabled) set,
 * P > 0 (the walk visited page tables: lru_gen_full's MM_LEAF_TOTAL),
 * KASAN's "KernelAddressSanitizer initialized" line (a quiet KASAN proves
 * nothing when it was off), and no kernel report anywhere in the log: "BUG: KASAN", "refcount_t:",
 * list corruption, "general protection fault", an oops or other "BUG:",
 * "WARNING:", "Kernel panic".  A log with several goes to the most specific
 * one (KASAN first), whatever comes first; the offending lines shown start
 * at that report's first line.
 */
#ifndef BM_BOOTJUDGE_H
#define BM_BOOTJUDGE_H

#include <stdbool.h>
#include <stddef.h>

enum boot_result {
	BOOT_PASS,
	BOOT_KASAN,		/* "BUG: KASAN: <kind> in ..." */
	BOOT_REFCOUNT,		/* "refcount_t: underflow; use-after-free." */
	BOOT_LIST_CORRUPTION,	/* "list_del corruption", "list_add corruption" */
	BOOT_GPF,		/* "general protection fault" */
	BOOT_OOPS,		/* "Oops:", "kernel BUG at", any other "BUG: " */
	BOOT_WARNING,		/* "WARNING:" */
	BOOT_PANIC,		/* "Kernel panic" with nothing above it */
	BOOT_TIMEOUT,		/* killed at the timeout, no report in the log */
	BOOT_NO_SUMMARY,	/* the guest ended without its summary line */
	BOOT_GUEST_ERROR,	/* the summary counts errors (lru_gen unusable, ...) */
	BOOT_WALK_NEVER_RAN,	/* no round, max_gen did not grow, or no mm walk */
	BOOT_NO_KASAN,		/* "KernelAddressSanitizer initialized" never printed */
};

/* What the guest's summary line says; found is false when there is none. */
struct boot_summary {
	bool found;
	long rounds;
	long gen_before, gen_after;	/* max_gen before the first and after the last round */
	long exited;			/* child processes reaped */
	long errors;
	unsigned long caps;		/* /sys/kernel/mm/lru_gen/enabled */
	long leaf_ptes;			/* PTEs the walk visited; -1: not in the line */
};

#define BOOT_CAP_MM_WALK 0x0002UL	/* LRU_GEN_MM_WALK in the kernel's caps */

struct boot_verdict {
	enum boot_result result;
	char *why;		/* one line; owned */
	char *kasan_kind;	/* "use-after-free", "slab-use-after-free", ...; owned or NULL */
	size_t line;		/* 1-based console line of the first offending line, 0: none */
	char **lines;		/* the first offending lines, \r stripped; owned */
	size_t nr_lines;
	bool guest_started;	/* "lru-walk: start" was seen */
	bool kasan_on;		/* "KernelAddressSanitizer initialized" was seen */
	struct boot_summary sum;
};

/* At most this many offending lines are kept. */
#define BOOT_MAX_LINES 12

/*
 * Judges log[0..len) (a console log, NUL bytes and \r allowed); timed_out
 * says qemu was killed at the timeout.  *v is overwritten (release it with
 * boot_verdict_release()).
 */
void boot_judge(const char *log, size_t len, bool timed_out, struct boot_verdict *v);
void boot_verdict_release(struct boot_verdict *v);

/* "pass", "kasan", "refcount", ... (the JSON's names; docs/json.md). */
const char *boot_result_name(enum boot_result r);

/*
 * Whether a negative control run was caught: KASAN reported a use-after-free
 * or an invalid or double free, or refcount_t or a list reported the
 * corruption.
 */
bool boot_control_caught(const struct boot_verdict *v);

/* Parses one "lru-walk: summary ..." line (no newline needed); false if it is not one. */
bool boot_parse_summary(const char *line, size_t len, struct boot_summary *s);

#endif
