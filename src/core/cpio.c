/* newc cpio archives in memory (core/cpio.h). */
#include "core/cpio.h"

#include <string.h>

#define MODE_DIR 0040000
#define MODE_REG 0100000
#define MODE_CHR 0020000

static void pad4(struct strbuf *sb)
{
	while (sb->len % 4)
		strbuf_addch(sb, '\0');
}

static void add_entry(struct cpio *c, const char *path, unsigned mode, unsigned nlink,
		      unsigned rmajor, unsigned rminor, const void *data, size_t len)
{
	size_t namesize = strlen(path) + 1;

	/* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor,
	   devminor, rdevmajor, rdevminor, namesize, check */
	strbuf_addf(&c->buf, "070701%08lX%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
		    c->ino++, mode, 0u, 0u, nlink, 0u, (unsigned long)len, 0u, 0u, rmajor,
		    rminor, (unsigned long)namesize, 0u);
	strbuf_add(&c->buf, path, namesize);
	pad4(&c->buf);
	if (len) {
		strbuf_add(&c->buf, data, len);
		pad4(&c->buf);
	}
}

void cpio_add_dir(struct cpio *c, const char *path, unsigned perm)
{
	add_entry(c, path, MODE_DIR | (perm & 07777), 2, 0, 0, NULL, 0);
}

void cpio_add_file(struct cpio *c, const char *path, unsigned perm, const void *data,
		   size_t len)
{
	add_entry(c, path, MODE_REG | (perm & 07777), 1, 0, 0, data, len);
}

void cpio_add_chardev(struct cpio *c, const char *path, unsigned perm, unsigned major,
		      unsigned minor)
{
	add_entry(c, path, MODE_CHR | (perm & 07777), 1, major, minor, NULL, 0);
}

void cpio_finish(struct cpio *c)
{
	c->ino = 0;
	add_entry(c, "TRAILER!!!", 0, 1, 0, 0, NULL, 0);
}

void cpio_release(struct cpio *c)
{
	strbuf_release(&c->buf);
	c->ino = 1;
}
