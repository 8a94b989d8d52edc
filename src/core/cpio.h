/*
 * A cpio archive in the "newc" format the kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst), built in
 * memory.  Every entry is owned by root with mtime 0, so the same inputs
 * give the same bytes.
 */
#ifndef BM_CPIO_H
#define BM_CPIO_H

#include <stddef.h>

#include "core/strbuf.h"

struct cpio {
	struct strbuf buf;	/* the archive so far */
	unsigned long ino;	/* the next inode number */
};

#define CPIO_INIT { STRBUF_INIT, 1 }

/* path without a leading '/' ("dev", "dev/console", "init"); perm is 0755 etc. */
void cpio_add_dir(struct cpio *c, const char *path, unsigned perm);
void cpio_add_file(struct cpio *c, const char *path, unsigned perm, const void *data,
		   size_t len);
void cpio_add_chardev(struct cpio *c, const char *path, unsigned perm, unsigned major,
		      unsigned minor);
/* Appends the trailer; the archive is then c->buf. */
void cpio_finish(struct cpio *c);
void cpio_release(struct cpio *c);

#endif
