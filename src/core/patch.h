/*
 * One patch file, parsed: the optional git format-patch / mbox headers
 * (From:, Date:, Subject: with its "[PATCH ...]" prefix stripped, the message
 * up to "---"), then one or more unified file diffs.
 *
 * What is refused, with an error naming the patch and the line: binary
 * patches, renames and copies, mode changes, created and deleted files
 * (/dev/null, "new file mode", "deleted file mode"), quoted, absolute or
 * ".."-containing paths, paths with fewer components than -pN strips,
 * malformed hunk headers, hunk bodies whose line counts do not match their
 * header, misplaced "\ No newline at end of file" markers, hunks that change
 * nothing, and text with no diff at all.
 *
 * Lines ending in CRLF: as GNU patch does, when a file diff's header lines end
 * in "\r\n", one trailing '\r' is dropped from each of its lines (so a patch
 * mangled by a mailer applies to LF files, and, like GNU patch without
 * --binary, a CRLF patch does not match a CRLF file at fuzz 0).
 *
 * Ownership: struct patch owns a copy of the text; every patch_line.text,
 * hunk.section and the like point into that copy and live as long as the
 * patch.  Strings declared "owned" are freed by patch_release().
 */
#ifndef BM_PATCH_H
#define BM_PATCH_H

#include <stdbool.h>
#include <stddef.h>

struct patch_line {
	char op;	  /* ' ' context, '-' removed, '+' added */
	bool newline;	  /* false after "\ No newline at end of file" */
	const char *text; /* into patch.text, without the line end */
	size_t len;
};

struct hunk {
	/* As written in "@@ -old_start,old_count +new_start,new_count @@". */
	size_t old_start, old_count, new_start, new_count;
	/*
	 * The text after the second "@@" (git's funcname heuristic: never
	 * trust it to name the function), into patch.text; "" when absent.
	 */
	const char *section;
	size_t section_len;
	struct patch_line *lines; /* owned array; the text is not */
	size_t nr_lines, alloc_lines;
	size_t prefix_context; /* context lines before the first change */
	size_t suffix_context; /* context lines after the last change */
	size_t patch_line;     /* 1-based line of the "@@" in the patch */
};

struct file_diff {
	char *path;	       /* after -pN stripping; owned */
	char *old_id, *new_id; /* from "index a..b", or NULL; owned */
	char *mode;	       /* mode on the index line, or NULL; owned */
	bool git;	       /* started with "diff --git" */
	bool strip_cr;	       /* its lines ended in CRLF and were stripped */
	struct hunk *hunks;    /* owned */
	size_t nr_hunks, alloc_hunks;
	size_t patch_line; /* 1-based line where it starts in the patch */
};

struct patch {
	char *name; /* for messages; owned */
	char *text; /* the copy everything points into; owned */
	size_t len;
	char *from, *date; /* mail headers, or NULL; owned */
	char *subject;	   /* "[PATCH ...]" stripped, or NULL; owned */
	char *message;	   /* body before "---" and the diffs; owned, never NULL
			      after parse */
	int strip;	   /* the -pN used */
	struct file_diff *files; /* owned */
	size_t nr_files, alloc_files;
};

#define PATCH_INIT                                                             \
	{                                                                      \
		0                                                              \
	}

/*
 * Parses len bytes of text (copied; the caller keeps its own) named name
 * (used in messages only), stripping strip leading path components as
 * patch -pN does.  Returns 0, or -1 with error() set naming the patch and
 * line.  patch_release() is needed either way.
 */
int patch_parse(struct patch *p, const char *name, const char *text, size_t len,
		int strip);
/*
 * The same for text that starts at line first_line of a bigger file (one
 * message of an mbox): line numbers in errors and in hunk.patch_line are
 * the file's.
 */
int patch_parse_at(struct patch *p, const char *name, const char *text, size_t len,
		   int strip, size_t first_line);
void patch_release(struct patch *p);

#endif
