/*
 * The safety precondition of the fix: pinning only the mm_struct (mmgrab)
 * instead of the address space (mmget) is safe only where exit_mmap() tears
 * the VMA tree down under mmap_write_lock(mm), so that a walker holding
 * mmap_read_lock never sees it freed.  Upstream from 6.1 on it does; vendor
 * trees that carry MGLRU back to 5.10/5.15 free the VMAs unlocked (their
 * OOM path takes and drops the write lock back to back, which proves
 * nothing).
 */
#include "core/precondition.h"

#include <stdlib.h>

#include "core/csource.h"
#include "core/error.h"
#include "core/xalloc.h"

static const char *const teardown_calls[] = {
	"free_pgtables", "remove_vma",	 "__mt_destroy",
	"mt_destroy",	 "vm_area_free",
};

/*
 * Whether the call whose "(" is token open is followed by "return": an
 * early exit ("if (!vma) { mmap_write_unlock(mm); return; }", as
 * exit_mmap() has from 64591e8605d6 on), after which the code that follows
 * the block still runs under the lock.
 */
static bool unlock_then_return(const struct csource *cs, size_t open, size_t end)
{
	size_t depth = 0, i;

	for (i = open; i < end; i++) {
		if (ctok_is(cs, i, "("))
			depth++;
		else if (ctok_is(cs, i, ")") && !--depth)
			break;
	}
	return i + 2 < end && ctok_is(cs, i + 1, ";") && ctok_is(cs, i + 2, "return");
}

void precondition_check(struct precondition *pre, const char *function,
			const char *mmap, size_t mmap_len)
{
	struct csource cs = CSOURCE_INIT;
	const struct cfunc *f;
	size_t nr_teardown = 0, bad = 0, first = 0;

	free(pre->function);
	pre->function = xstrdup(function);
	if (!mmap) {
		pre->reason = xstrfmt(
			"no text for %s(): its file was not found", function);
		goto out;
	}
	if (csource_parse(&cs, mmap, mmap_len) < 0) {
		pre->reason =
			xstrfmt("cannot parse the file holding %s(): %s",
				function, error_last());
		goto out;
	}
	f = csource_find_func(&cs, function, 0);
	if (!f) {
		pre->reason = xstrfmt("%s() not found", function);
		goto out;
	}
	pre->checked = true;
	pre->line = f->start_line;
	/* every definition (#ifdef arms included) has to hold */
	for (size_t d = 0; (f = csource_find_func(&cs, function, d)); d++) {
		bool locked = false;

		for (size_t i = f->body_open_tok; i < f->body_close_tok; i++) {
			if (!ctok_is(&cs, i + 1, "("))
				continue;
			if (ctok_is(&cs, i, "mmap_write_lock")) {
				locked = true;
				continue;
			}
			if (ctok_is(&cs, i, "mmap_write_unlock") ||
			    ctok_is(&cs, i, "mmap_write_downgrade")) {
				/* "unlock; return;" leaves the code after it locked */
				if (!unlock_then_return(&cs, i + 1, f->body_close_tok))
					locked = false;
				continue;
			}
			for (size_t k = 0; k < ARRAY_SIZE(teardown_calls);
			     k++) {
				if (!ctok_is(&cs, i, teardown_calls[k]))
					continue;
				if (!nr_teardown++)
					first = i;
				if (!locked && !bad)
					bad = i;
			}
		}
	}
	if (!nr_teardown) {
		pre->reason = xstrfmt(
			"%s() at line %zu calls none of "
			"free_pgtables(), remove_vma(), __mt_destroy(), "
			"vm_area_free(): cannot tell how it frees the VMA tree",
			function, pre->line);
	} else if (bad) {
		char *name = ctok_dup(&cs, bad);

		pre->reason = xstrfmt("%s() calls %s() at line %zu "
				      "without mmap_write_lock(mm)",
				      function, name, (size_t)cs.toks[bad].line);
		free(name);
	} else {
		char *name = ctok_dup(&cs, first);

		pre->holds = true;
		pre->reason = xstrfmt(
			"%s() tears the VMA tree down under "
			"mmap_write_lock(mm) (%s() at line %zu and %zu more)",
			function, name, (size_t)cs.toks[first].line, nr_teardown - 1);
		free(name);
	}
out:
	csource_release(&cs);
}

