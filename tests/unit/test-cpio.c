/* cpio: newc archives as the kernel's initramfs unpacker reads them. */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "core/cpio.h"

/* One header field: 8 hex digits at index i (0 = ino) after the magic. */
static unsigned long field(const char *h, int i)
{
	char buf[9];

	memcpy(buf, h + 6 + 8 * i, 8);
	buf[8] = '\0';
	return strtoul(buf, NULL, 16);
}

struct entry {
	const char *name;
	unsigned long mode, size, rmajor, rminor;
	const char *data;
};

/* Reads the entries back the way the kernel does; returns how many (trailer included). */
static int read_back(const struct strbuf *sb, struct entry *e, int max)
{
	size_t off = 0;
	int n = 0;

	while (off < sb->len && n < max) {
		const char *h = sb->buf + off;
		unsigned long namesize;

		assert_true(off % 4 == 0);
		assert_memory_equal(h, "070701", 6);
		e[n].mode = field(h, 1);
		e[n].size = field(h, 6);
		e[n].rmajor = field(h, 9);
		e[n].rminor = field(h, 10);
		namesize = field(h, 11);
		e[n].name = h + 110;
		assert_int_equal(strlen(e[n].name) + 1, namesize);
		off += 110 + namesize;
		off = (off + 3) & ~3UL;
		e[n].data = sb->buf + off;
		off += e[n].size;
		off = (off + 3) & ~3UL;
		if (!strcmp(e[n++].name, "TRAILER!!!"))
			break;
	}
	assert_int_equal(off, sb->len);
	return n;
}

static void test_initramfs_entries(void **state)
{
	struct cpio c = CPIO_INIT;
	struct entry e[8];
	int n;

	(void)state;
	cpio_add_dir(&c, "dev", 0755);
	cpio_add_chardev(&c, "dev/console", 0600, 5, 1);
	cpio_add_file(&c, "init", 0755, "\177ELF12345", 9);
	cpio_finish(&c);
	assert_true(c.buf.len % 4 == 0);
	n = read_back(&c.buf, e, 8);
	assert_int_equal(n, 4);
	assert_string_equal(e[0].name, "dev");
	assert_int_equal(e[0].mode, 040755);
	assert_string_equal(e[1].name, "dev/console");
	assert_int_equal(e[1].mode, 020600);
	assert_int_equal(e[1].rmajor, 5);
	assert_int_equal(e[1].rminor, 1);
	assert_string_equal(e[2].name, "init");
	assert_int_equal(e[2].mode, 0100755);
	assert_int_equal(e[2].size, 9);
	assert_memory_equal(e[2].data, "\177ELF12345", 9);
	assert_string_equal(e[3].name, "TRAILER!!!");
	/* inode numbers differ, so the unpacker links nothing */
	assert_int_not_equal(field(c.buf.buf, 0), field(e[2].name - 110, 0));
	cpio_release(&c);
}

static void test_same_inputs_same_bytes(void **state)
{
	struct cpio a = CPIO_INIT, b = CPIO_INIT;

	(void)state;
	cpio_add_file(&a, "init", 0755, "x", 1);
	cpio_finish(&a);
	cpio_add_file(&b, "init", 0755, "x", 1);
	cpio_finish(&b);
	assert_int_equal(a.buf.len, b.buf.len);
	assert_memory_equal(a.buf.buf, b.buf.buf, a.buf.len);
	cpio_release(&a);
	cpio_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initramfs_entries),
		cmocka_unit_test(test_same_inputs_same_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
