/*
 * Reads a fix descriptor (backports/<id>/fix.conf) with libgit2's
 * config-file reader: git-config syntax, entries in file order, multivars
 * (fix.kconfig, file.<path>.function) as repeated entries.  The entries are
 * checked and stored by core/fix.c.
 */
#ifndef BM_FIXCONF_H
#define BM_FIXCONF_H

#include "core/fix.h"

/*
 * Fills fix (initialised by the caller) from the descriptor at path;
 * folder, when not NULL, is the name fix.id must have.  -1 with error() set
 * on an unreadable or malformed descriptor: one line naming path and key.
 */
int fixconf_read(struct fix_desc *fix, const char *path, const char *folder);

/*
 * libgit2 set up for a while (fixconf_read() and the repository after it
 * share one setup instead of each making and tearing down their own: that
 * costs milliseconds a command).  Calls pair up.
 */
void fixconf_hold(void);
void fixconf_release_hold(void);

#endif
