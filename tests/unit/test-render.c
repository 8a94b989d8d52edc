/* Output naming: stable-queue's patch names from subjects, per-line directories. */
#include "testlib.h"

#include "core/render.h"
#include "core/xalloc.h"

static void test_stable_queue_names(void **state)
{
	static const struct { const char *subject, *name; } cases[] = {
		{ "mm/vmscan: prevent MGLRU reclaim from pinning address space",
		  "mm-vmscan-prevent-mglru-reclaim-from-pinning-address-space.patch" },
		{ "net/sched: sch_qfq: Fix UAF in qfq_dequeue()",
		  "net-sched-sch_qfq-fix-uaf-in-qfq_dequeue.patch" },
		{ "  --Revert \"mm: multi-gen LRU: ...\"!! ",
		  "revert-mm-multi-gen-lru.patch" },
		{ "", "patch.patch" },
		{ "???", "patch.patch" },
	};
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		strbuf_reset(&sb);
		render_stable_queue_name(&sb, cases[i].subject);
		assert_string_equal(sb.buf, cases[i].name);
	}
	/* at most 100 characters before ".patch", never ending in '-' */
	strbuf_reset(&sb);
	render_stable_queue_name(&sb, "a b c d e f g h i j k l m n o p q r s t u v w x y z "
				      "a b c d e f g h i j k l m n o p q r s t u v w x y z "
				      "a b c d e f g h i j k l m n o p q r s t u v w x y z");
	assert_int_equal(sb.len, 99 + strlen(".patch"));
	assert_string_equal(sb.buf + sb.len - 8, "-x.patch");
	strbuf_release(&sb);
}

static void test_output_dir_names(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	render_output_dir_name(&sb, RENDER_QUILT, "6.1.y");
	assert_string_equal(sb.buf, "6.1.y");
	strbuf_reset(&sb);
	render_output_dir_name(&sb, RENDER_STABLE_QUEUE, "6.12.y");
	assert_string_equal(sb.buf, "queue-6.12");
	strbuf_reset(&sb);
	render_output_dir_name(&sb, RENDER_STABLE_QUEUE, "mainline");
	assert_string_equal(sb.buf, "queue-mainline");
	strbuf_release(&sb);
	{
		enum render_format f;

		assert_true(render_format_parse("stable-queue", &f));
		assert_int_equal(f, RENDER_STABLE_QUEUE);
		assert_false(render_format_parse("stable", &f));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_queue_names),
		cmocka_unit_test(test_output_dir_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
