/*
 * backport-mglru import FILE: a git format-patch file, a plain unified diff
 * or an mbox (b4, lore: each patch message, cover letter skipped) becomes
 * one fix folder per patch in the fixes directory, all or nothing; prints
 * the new fixes' ids, one a line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "sys/catalogue.h"
#include "sys/fsutil.h"
#include "sys/import.h"

static const char import_usage[] =
	"usage: backport-mglru import [--id ID] [--kconfig SYMBOL]... [--fixes-dir DIR]\n"
	"                             [--dry-run] FILE\n"
	"\n"
	"    FILE             a git format-patch file, a diff, or an mbox (b4, lore):\n"
	"                     each patch a fix, the cover letter skipped\n"
	"    --id ID          the fix's id (default: from the subject; one patch only)\n"
	"    --kconfig SYMBOL a Kconfig symbol the changed code needs (LRU_GEN);\n"
	"                     repeatable\n"
	"    --fixes-dir DIR  where to write DIR/<id>/ (default:\n"
	"                     ${XDG_DATA_HOME:-~/.local/share}/backport-mglru/fixes)\n"
	"    --dry-run        check and print the descriptor, write nothing\n"
	"    -h, --help       this text\n";

struct import_cli {
	struct import_opts io;
	const char **kconfig;
	size_t nr_kconfig, alloc_kconfig;
	bool dry_run;
};

static const char *opt_id(void *cmd, const char *arg)
{
	if (!*arg)
		return "expected a fix id";
	((struct import_cli *)cmd)->io.id = arg;
	return NULL;
}

static const char *opt_kconfig(void *cmd, const char *arg)
{
	struct import_cli *o = cmd;

	if (!*arg)
		return "expected a Kconfig symbol, e.g. LRU_GEN";
	ALLOC_GROW(o->kconfig, o->nr_kconfig + 1, o->alloc_kconfig);
	o->kconfig[o->nr_kconfig++] = arg;
	return NULL;
}

static const char *opt_dry_run(void *cmd, const char *arg)
{
	(void)arg;
	((struct import_cli *)cmd)->dry_run = true;
	return NULL;
}

static const struct cli_option import_options[] = {
	{ "id", true, opt_id, 0 },
	{ "kconfig", true, opt_kconfig, 0 },
	{ "dry-run", false, opt_dry_run, 0 },
};

/* The messages that were not patches, on stderr once the import went through. */
static void print_skipped(const struct import_series *is, const char *path)
{
	for (size_t i = 0; i < is->nr_skipped; i++)
		fprintf(stderr, "skipped '%s' message %zu (a cover letter or mail with no "
			"diff): '%s'\n", path, is->skipped[i].message,
			is->skipped[i].subject ? is->skipped[i].subject : "no subject");
}

int cmd_import(int argc, char **argv)
{
	struct common_opts common = { .arg_name = "FILE" };
	struct import_cli o = { 0 };
	struct catalogue cat = CATALOGUE_INIT;
	struct import_series is = IMPORT_SERIES_INIT;
	char *dir = NULL, **folders = NULL;
	int ret, err;

	if (parse_options(argc, argv, import_options, ARRAY_SIZE(import_options), &common, &o,
			  import_usage, &ret))
		goto out;
	if (common.repo || common.nr_branches || common.all || common.nr_fixes || common.json) {
		ret = cli_usage_error(import_usage, "import reads no repository: --repo, "
				      "--branch, --all, --fix and --json do not apply");
		goto out;
	}
	o.io.kconfig = o.kconfig;
	o.io.nr_kconfig = o.nr_kconfig;
	ret = EXIT_FATAL;
	dir = common.fixes_dir ? xstrdup(common.fixes_dir) : catalogue_default_fixes_dir();
	if (!dir) {
		cli_fatal("no fixes directory: set HOME or XDG_DATA_HOME, or give --fixes-dir");
		goto out;
	}
	/* the ids taken: the shipped catalogue and the fixes directory */
	if (catalogue_load(&cat, NULL, fs_is_dir(dir) ? dir : NULL, DEFAULT_FIX) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	err = import_read(&is, common.arg, &o.io);
	if (err == IMPORT_USAGE) {
		ret = cli_usage_error(import_usage, "%s", error_last());
		goto out;
	}
	if (err < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	if (o.dry_run) {
		for (size_t i = 0; i < is.nr; i++)
			printf("%s%s", i ? "\n" : "", is.plans[i].conf);
		print_skipped(&is, common.arg);
		ret = EXIT_OK;
		goto out;
	}
	if (import_write(&is, dir, &cat, &folders) < 0) {
		cli_fatal("%s", error_last());
		goto out;
	}
	print_skipped(&is, common.arg);
	for (size_t i = 0; i < is.nr; i++) {
		printf("%s\n", is.plans[i].id);
		if (is.plans[i].message)
			fprintf(stderr, "imported '%s' message %zu as %s\n", common.arg,
				is.plans[i].message, folders[i]);
		else
			fprintf(stderr, "imported '%s' as %s\n", common.arg, folders[i]);
	}
	ret = EXIT_OK;
out:
	for (size_t i = 0; folders && i < is.nr; i++)
		free(folders[i]);
	free(folders);
	free(dir);
	free(o.kconfig);
	import_series_release(&is);
	catalogue_release(&cat);
	common_opts_release(&common);
	return ret;
}
