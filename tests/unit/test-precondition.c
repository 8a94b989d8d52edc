/*
 * The exit_mmap() precondition (core/precondition.c) on small hand-written
 * texts: an unlock followed by return is an early exit, after which the
 * teardown still runs locked (exit_mmap() from 64591e8605d6 on, and the
 * shipped 5.10/5.15 backports of it); an unlock that is not is the end of
 * the locked part.
 */
#include "testlib.h"

#include <stdlib.h>

#include "core/precondition.h"

static void check(const char *text, bool holds, const char *reason)
{
	struct precondition pre = { 0 };

	precondition_check(&pre, "exit_mmap", text, strlen(text));
	assert_true(pre.checked);
	assert_contains(pre.reason, reason);
	assert_int_equal(pre.holds, holds);
	free(pre.reason);
	free(pre.function);
}

static void test_early_return_keeps_the_lock(void **state)
{
	(void)state;
	check("void exit_mmap(struct mm_struct *mm)\n{\n"
	      "\tmmap_write_lock(mm);\n"
	      "\tvma = mm->mmap;\n"
	      "\tif (!vma) {\n\t\tmmap_write_unlock(mm);\n\t\treturn;\n\t}\n"
	      "\tfree_pgtables(&tlb, vma, 0, 0);\n"
	      "\twhile (vma)\n\t\tvma = remove_vma(vma);\n"
	      "\tmmap_write_unlock(mm);\n}\n",
	      true, "tears the VMA tree down under mmap_write_lock(mm) (free_pgtables() at "
		    "line 9 and 1 more)");
}

static void test_unlock_without_return_ends_it(void **state)
{
	(void)state;
	check("void exit_mmap(struct mm_struct *mm)\n{\n"
	      "\tmmap_write_lock(mm);\n"
	      "\tif (fake_busy(mm))\n\t\tmmap_write_unlock(mm);\n"
	      "\tfree_pgtables(&tlb, vma, 0, 0);\n"
	      "\tmmap_write_unlock(mm);\n}\n",
	      false, "exit_mmap() calls free_pgtables() at line 6 without mmap_write_lock(mm)");
	/* the unlock and its return in other statements: no early exit either */
	check("void exit_mmap(struct mm_struct *mm)\n{\n"
	      "\tmmap_write_lock(mm);\n"
	      "\tmmap_write_unlock(mm);\n"
	      "\tfake_note(mm);\n"
	      "\tremove_vma(vma);\n"
	      "\treturn;\n}\n",
	      false, "exit_mmap() calls remove_vma() at line 6 without mmap_write_lock(mm)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_early_return_keeps_the_lock),
		cmocka_unit_test(test_unlock_without_return_ends_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
