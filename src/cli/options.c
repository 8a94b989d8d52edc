/* Option parsing shared by the commands: the common options and the loop. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/xalloc.h"
#include "sys/catalogue.h"

void common_opts_release(struct common_opts *o)
{
	free(o->branches);
	free(o->fixes);
	memset(o, 0, sizeof(*o));
}

int parse_options(int argc, char **argv, const struct cli_option *opts, size_t nr,
		  struct common_opts *common, void *cmd, const char *usage,
		  int *exit_code)
{
	struct option *longopts = xcalloc(nr + 8, sizeof(*longopts));
	static const struct option common_longopts[] = {
		{ "repo", required_argument, NULL, 1000 },
		{ "branch", required_argument, NULL, 1001 },
		{ "all", no_argument, NULL, 1002 },
		{ "json", no_argument, NULL, 1003 },
		{ "fix", required_argument, NULL, 1004 },
		{ "fixes-dir", required_argument, NULL, 1005 },
		{ "help", no_argument, NULL, 'h' },
	};
	size_t n = 0;
	int c, ret = -1;

	for (size_t i = 0; i < ARRAY_SIZE(common_longopts); i++)
		longopts[n++] = common_longopts[i];
	for (size_t i = 0; i < nr; i++) {
		longopts[n].name = opts[i].name;
		longopts[n].has_arg = opts[i].has_arg ? required_argument : no_argument;
		longopts[n].val = (int)(2000 + i);
		n++;
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+hj:", longopts, NULL)) != -1) {
		switch (c) {
		case 1000:
			common->repo = optarg;
			break;
		case 1001:
			ALLOC_GROW(common->branches, common->nr_branches + 1,
				   common->alloc_branches);
			common->branches[common->nr_branches++] = optarg;
			break;
		case 1002:
			common->all = true;
			break;
		case 1003:
			common->json = true;
			break;
		case 1004:
			if (!*optarg) {
				*exit_code = cli_usage_error(usage, "--fix: expected a fix id "
							     "or 'all'");
				goto out;
			}
			ALLOC_GROW(common->fixes, common->nr_fixes + 1, common->alloc_fixes);
			common->fixes[common->nr_fixes++] = optarg;
			break;
		case 1005:
			if (!*optarg) {
				*exit_code = cli_usage_error(usage, "--fixes-dir: expected a "
							     "directory");
				goto out;
			}
			common->fixes_dir = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			*exit_code = EXIT_OK;
			ret = 1;
			goto out;
		case 'j':
			c = 2000 + (int)nr;
			for (size_t i = 0; i < nr; i++)
				if (opts[i].short_name == 'j')
					c = 2000 + (int)i;
			if (c == 2000 + (int)nr) {
				*exit_code = cli_usage_error(usage, "unknown option '-j'");
				goto out;
			}
			/* fall through */
		default:
			if (c >= 2000 && c < 2000 + (int)nr) {
				const char *err = opts[c - 2000].fn(cmd, optarg);

				if (err) {
					*exit_code = cli_usage_error(usage, "--%s: %s",
								     opts[c - 2000].name, err);
					goto out;
				}
				break;
			}
			*exit_code = cli_usage_error(usage, "unknown or incomplete option '%s'",
						     argv[optind - 1]);
			goto out;
		}
	}
	if (common->arg_name && optind < argc)
		common->arg = argv[optind++];
	if (optind < argc) {
		*exit_code = cli_usage_error(usage, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (common->arg_name && !common->arg) {
		*exit_code = cli_usage_error(usage, "no %s given", common->arg_name);
		goto out;
	}
	ret = 0;
out:
	free(longopts);
	return ret;
}

const char *opt_series(void *cmd, const char *arg)
{
	((struct backport_opts *)cmd)->series = arg;
	return NULL;
}

const char *opt_fuzz(void *cmd, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || v > 10)
		return "expected a number from 0 to 10";
	((struct backport_opts *)cmd)->fuzz = (unsigned)v;
	return NULL;
}

const char *opt_output(void *cmd, const char *arg)
{
	if (!*arg)
		return "expected a directory";
	((struct backport_opts *)cmd)->output = arg;
	return NULL;
}

const char *opt_format(void *cmd, const char *arg)
{
	if (!render_format_parse(arg, &((struct backport_opts *)cmd)->format))
		return "expected quilt, dep3, mbox or stable-queue";
	return NULL;
}

const char *opt_semantic(void *cmd, const char *arg)
{
	(void)arg;
	((struct backport_opts *)cmd)->semantic = true;
	return NULL;
}

int cli_load_fixes(struct catalogue *c, const char *series, const struct common_opts *o,
		   const struct fix_desc ***fixes, size_t *nr)
{
	const struct fix_desc **v = NULL;
	size_t n = 0, alloc = 0;

	*fixes = NULL;
	*nr = 0;
	/* a flat --series DIR holds the one fix named, or the seed fix */
	if (catalogue_load(c, series, o->fixes_dir,
			   o->nr_fixes == 1 && strcmp(o->fixes[0], "all") ? o->fixes[0] :
			   DEFAULT_FIX) < 0) {
		cli_fatal("%s", error_last());
		return -1;
	}
	for (size_t i = 0; i < (o->nr_fixes ? o->nr_fixes : 1); i++) {
		const char *id = o->nr_fixes ? o->fixes[i] : DEFAULT_FIX;
		bool all = !strcmp(id, "all");

		for (size_t k = 0; k < c->nr; k++) {
			const struct fix_desc *f = &c->fixes[k];
			bool seen = false;

			if (!all && strcmp(f->id, id))
				continue;
			for (size_t j = 0; j < n; j++)
				seen |= v[j] == f;
			if (!seen) {
				ALLOC_GROW(v, n + 1, alloc);
				v[n++] = f;
			}
			if (!all)
				break;
		}
		if (!all && !catalogue_find(c, id)) {
			cli_fatal("unknown fix '%s' (run 'backport-mglru fixes' for the list)", id);
			free(v);
			return -1;
		}
	}
	if (!n) {
		cli_fatal("the fix catalogue in '%s' is empty", c->root);
		free(v);
		return -1;
	}
	*fixes = v;
	*nr = n;
	return 0;
}

const char *opt_assume_prerequisite(void *cmd, const char *arg)
{
	(void)arg;
	((struct backport_opts *)cmd)->assume_prerequisite = true;
	return NULL;
}

const char *opt_with_prerequisites(void *cmd, const char *arg)
{
	(void)arg;
	((struct backport_opts *)cmd)->with_prerequisites = true;
	return NULL;
}

int cli_backport(struct pipeline *pls, size_t nr, const struct backport_opts *b)
{
	for (size_t p = 0; p < nr; p++) {
		pls[p].semantic = b->semantic;
		pls[p].assume_prerequisite = b->assume_prerequisite;
		pls[p].with_prerequisites = b->with_prerequisites;
		if (pipeline_backport(&pls[p], b->fuzz) < 0) {
			cli_fatal("%s", error_last());
			return -1;
		}
	}
	return 0;
}
