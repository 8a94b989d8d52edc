/*
 * One fix of the catalogue, as data: what its descriptor
 * (backports/<id>/fix.conf, git-config syntax, read by sys/fixconf.c) says,
 * and the rule that classifies a tree for it.  Pure: the descriptor's
 * entries come in as (name, value) pairs, in file order, and are checked
 * here; nothing is read from disk.
 *
 * The descriptor's keys (docs: series/README):
 *
 *   [fix]   id, subject (required); upstream, fixes, rule, patch (optional;
 *           patch is required for a fix with no rule); semantic (a .cocci
 *           in the fix folder for apply --semantic; needs rule, whose
 *           sites judge what it made);
 *           kconfig (multivar: symbols the changed code needs, enabled for
 *           the compile check and required in its .config); enable
 *           (multivar: symbols also enabled for the check, not required)
 *   [file "<path>"]          function (one or more: the functions its hunks
 *                            live in); macro (the file-scope macros a hunk
 *                            that changes only #define lines adds or
 *                            removes); one of the two at least; the first
 *                            file is the one the rule locates in
 *   [precondition "<name>"]  file, function: read and handed to the rule;
 *                            commit, subject (optional): the upstream
 *                            commit that makes it hold, named when it
 *                            does not or cannot be shown; series
 *                            (optional): a directory in series/<id>/
 *                            with one quilt series a line of that
 *                            commit's backports, for --with-prerequisites
 *   [shape "<name>"]         series: the series file (in series/<id>/) for
 *                            a tree the rule classifies as that shape
 */
#ifndef BM_FIX_H
#define BM_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "core/locate.h"

struct fix_file {
	char *path;		/* "mm/vmscan.c"; owned */
	char **functions;	/* owned */
	size_t nr_functions, alloc_functions;
	char **macros;		/* file-scope macros the hunks #define; owned */
	size_t nr_macros, alloc_macros;
};

struct fix_precondition {
	char *name;		/* the subsection; owned */
	char *file;		/* the file read for it, "mm/mmap.c"; owned */
	char *function;		/* the function checked, "exit_mmap"; owned */
	char *commit;		/* the upstream commit that makes it hold, or NULL */
	char *subject;		/* that commit's subject, or NULL; owned */
	char *series;		/* --with-prerequisites: the directory in
				   series/<id>/ holding that commit's backports,
				   one quilt series a line, or NULL; owned */
};

struct fix_shape {
	char *name;		/* a shape the rule names, "6.1-nr_walkers"; owned */
	char *series;		/* its series file in series/<id>/, or "-"; owned */
};

struct fix_rule;
struct patch;

struct fix_form {
	char *line;		/* "6.1.y": the series it comes from; owned */
	struct patch *patches;	/* owned */
	size_t nr_patches;
};

struct fix_desc {
	char *id;		/* the folder's name; owned */
	char *upstream;		/* mainline commit id, or NULL; owned */
	char *subject;		/* owned */
	char *fixes;		/* the commit it fixes, "bd74fdaea146 (...)", or NULL */
	char *rule_name;	/* the semantic rule, or NULL; owned */
	char *patch_name;	/* fix.patch: the fix itself, as one patch in
				   the fix folder; required without a rule */
	struct patch *patch;	/* it, parsed by the catalogue; owned */
	char *semantic_name;	/* fix.semantic: a Coccinelle semantic patch in
				   the fix folder for --semantic, or NULL; owned */
	const struct fix_rule *rule;	/* rule_name's, or NULL */
	struct fix_file *files;
	size_t nr_files, alloc_files;
	struct fix_precondition *preconditions;
	size_t nr_preconditions, alloc_preconditions;
	char **kconfig;		/* symbols without CONFIG_, "LRU_GEN"; owned */
	size_t nr_kconfig, alloc_kconfig;
	char **enable;		/* also enabled for the check; owned */
	size_t nr_enable, alloc_enable;
	struct fix_shape *shapes;
	size_t nr_shapes, alloc_shapes;

	/* Where its data lives; set by the catalogue (sys/catalogue.c). */
	char *conf_path;	/* the descriptor read; owned */
	char *series_dir;	/* the directory of its series files; owned */
	char *patch_dir;	/* the directory of its patches; owned */
	char *series_label;	/* how messages name series_dir: "series/<id>" */
	char **lines;		/* the lines with a shipped series, "6.1.y", in
				   version order; owned */
	size_t nr_lines;
	/*
	 * A fix with no rule: the per-line adaptations its series ship, one
	 * form a line (that series' patches, parsed), the other shapes the
	 * same change takes.  The generic status judges a tree by fix.patch
	 * and, where that cannot place a hunk, by the forms.  Owned.
	 */
	struct fix_form *forms;
	size_t nr_forms;
};

void fix_desc_init(struct fix_desc *fix);
void fix_desc_release(struct fix_desc *fix);

/*
 * Takes one descriptor entry: name as git-config spells it ("fix.id",
 * "file.mm/vmscan.c.function", section and key lower case), file names
 * the descriptor in messages.  -1 with error() set ("bad fix descriptor
 * '<file>': unknown key 'fix.foo'") on an unknown key, a repeated
 * single-valued key or a bad value.
 */
int fix_desc_set(struct fix_desc *fix, const char *file, const char *name,
		 const char *value);

/*
 * After the last entry: the required keys are there, the id is folder (or
 * folder is NULL), the rule is known.  -1 with error() set, naming file
 * and key.
 */
int fix_desc_finish(struct fix_desc *fix, const char *file, const char *folder);

/* Whether id can name a fix (and its folder): [A-Za-z0-9][A-Za-z0-9._-]*, <= 64, no "..". */
bool fix_id_is_valid(const char *id);

/* The series file shape maps to, NULL when the descriptor names none. */
const char *fix_shape_series(const struct fix_desc *fix, const char *shape);

/* One file's text at a branch, handed to a rule. */
struct fix_text {
	const char *path;
	const char *text;	/* NULL when the tree has no such file */
	size_t len;
};

/*
 * A fix's own way of reading a tree: the seed fix's is the MGLRU variant
 * classifier (core/locate.h).  files has one text per fix->files, pre one
 * per fix->preconditions.
 */
struct fix_rule {
	const char *name;
	void (*classify)(struct variant *v, const struct fix_desc *fix,
			 const struct fix_text *files, const struct fix_text *pre);
};

/* The rule called name, or NULL. */
const struct fix_rule *fix_rule_find(const char *name);

/*
 * Classifies a tree for fix through its rule; a fix with no rule
 * generically, hunk by hunk (fix_generic_classify()).  Never fails.
 */
void fix_classify(struct variant *v, const struct fix_desc *fix,
		  const struct fix_text *files, const struct fix_text *pre);

/*
 * The generic status (core/fix-generic.c): for each hunk of fix->patch, in
 * the functions the descriptor names for its file (a hunk that only
 * changes #define lines of the file's macros: in the whole file), whether
 * its removed lines or its added lines are there: needs-fix, already-fixed,
 * half-applied, not-affected (no such function or file) or conflict (the
 * function is there and fits neither: the reason names hunk and function).
 * One note per hunk.  files as for fix_classify().
 */
void fix_generic_classify(struct variant *v, const struct fix_desc *fix,
			  const struct fix_text *files);

/*
 * After fix->patch was parsed: every file it touches must have a [file]
 * section.  -1 with error() set naming the descriptor.
 */
int fix_desc_check_patch(const struct fix_desc *fix, const char *file);

#endif
