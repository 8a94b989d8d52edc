#include "core/fix.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/patch.h"
#include "core/xalloc.h"

void fix_desc_init(struct fix_desc *fix)
{
	memset(fix, 0, sizeof(*fix));
}

void fix_desc_release(struct fix_desc *fix)
{
	for (size_t i = 0; i < fix->nr_files; i++) {
		for (size_t k = 0; k < fix->files[i].nr_functions; k++)
			free(fix->files[i].functions[k]);
		free(fix->files[i].functions);
		for (size_t k = 0; k < fix->files[i].nr_macros; k++)
			free(fix->files[i].macros[k]);
		free(fix->files[i].macros);
		free(fix->files[i].path);
	}
	free(fix->files);
	for (size_t i = 0; i < fix->nr_preconditions; i++) {
		free(fix->preconditions[i].name);
		free(fix->preconditions[i].file);
		free(fix->preconditions[i].function);
		free(fix->preconditions[i].commit);
		free(fix->preconditions[i].subject);
		free(fix->preconditions[i].series);
	}
	free(fix->preconditions);
	for (size_t i = 0; i < fix->nr_kconfig; i++)
		free(fix->kconfig[i]);
	free(fix->kconfig);
	for (size_t i = 0; i < fix->nr_enable; i++)
		free(fix->enable[i]);
	free(fix->enable);
	for (size_t i = 0; i < fix->nr_shapes; i++) {
		free(fix->shapes[i].name);
		free(fix->shapes[i].series);
	}
	free(fix->shapes);
	free(fix->id);
	free(fix->upstream);
	free(fix->subject);
	free(fix->fixes);
	free(fix->rule_name);
	free(fix->patch_name);
	free(fix->semantic_name);
	for (size_t i = 0; i < fix->nr_forms; i++) {
		for (size_t k = 0; k < fix->forms[i].nr_patches; k++)
			patch_release(&fix->forms[i].patches[k]);
		free(fix->forms[i].patches);
		free(fix->forms[i].line);
	}
	free(fix->forms);
	if (fix->patch) {
		patch_release(fix->patch);
		free(fix->patch);
	}
	free(fix->conf_path);
	free(fix->series_dir);
	free(fix->patch_dir);
	free(fix->series_label);
	for (size_t i = 0; i < fix->nr_lines; i++)
		free(fix->lines[i]);
	free(fix->lines);
	fix_desc_init(fix);
}

static bool is_identifier(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* A fix id or shape name: [A-Za-z0-9][A-Za-z0-9._-]*, at most 64, no "..". */
static bool is_plain_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 64 || !isalnum((unsigned char)*s) || strstr(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

bool fix_id_is_valid(const char *id)
{
	return is_plain_name(id);
}

static bool is_hex_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 12 || n > 40)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return false;
	return true;
}

static bool is_kconfig_symbol(const char *s)
{
	if (!*s || !strncmp(s, "CONFIG_", 7))
		return false;
	for (; *s; s++)
		if (!isupper((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* A path in the kernel tree: relative, no "." or ".." component, no "//". */
static bool is_tree_path(const char *s)
{
	const char *p = s;

	if (!*s || *s == '/' || strlen(s) > 255)
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (!n || (n == 1 && *p == '.') || (n == 2 && !strncmp(p, "..", 2)))
			return false;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x21 || p[i] == '\\' || p[i] == 0x7f)
				return false;
		p += n;
		if (*p == '/' && !*++p)
			return false;
	}
	return true;
}

static bool is_one_line(const char *s)
{
	return *s && !strchr(s, '\n') && !strchr(s, '\r');
}

static int bad_value(const char *file, const char *name, const char *why)
{
	return error("bad fix descriptor '%s': key '%s' %s", file, name, why);
}

static int set_once(char **slot, const char *file, const char *name, const char *value)
{
	if (*slot)
		return bad_value(file, name, "is given twice");
	*slot = xstrdup(value);
	return 0;
}

static struct fix_file *file_get(struct fix_desc *fix, const char *path)
{
	struct fix_file *f;

	for (size_t i = 0; i < fix->nr_files; i++)
		if (!strcmp(fix->files[i].path, path))
			return &fix->files[i];
	ALLOC_GROW(fix->files, fix->nr_files + 1, fix->alloc_files);
	f = &fix->files[fix->nr_files++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	return f;
}

static struct fix_precondition *pre_get(struct fix_desc *fix, const char *name)
{
	struct fix_precondition *p;

	for (size_t i = 0; i < fix->nr_preconditions; i++)
		if (!strcmp(fix->preconditions[i].name, name))
			return &fix->preconditions[i];
	ALLOC_GROW(fix->preconditions, fix->nr_preconditions + 1, fix->alloc_preconditions);
	p = &fix->preconditions[fix->nr_preconditions++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	return p;
}

static struct fix_shape *shape_get(struct fix_desc *fix, const char *name)
{
	struct fix_shape *s;

	for (size_t i = 0; i < fix->nr_shapes; i++)
		if (!strcmp(fix->shapes[i].name, name))
			return &fix->shapes[i];
	ALLOC_GROW(fix->shapes, fix->nr_shapes + 1, fix->alloc_shapes);
	s = &fix->shapes[fix->nr_shapes++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	return s;
}

static int set_fix_key(struct fix_desc *fix, const char *file, const char *name,
		       const char *key, const char *value)
{
	if (!strcmp(key, "id")) {
		if (!is_plain_name(value))
			return bad_value(file, name, "is not a plain name ([A-Za-z0-9._-])");
		return set_once(&fix->id, file, name, value);
	}
	if (!strcmp(key, "upstream")) {
		if (!is_hex_id(value))
			return bad_value(file, name, "is not a commit id (12 to 40 "
					 "lower-case hex digits)");
		return set_once(&fix->upstream, file, name, value);
	}
	if (!strcmp(key, "subject") || !strcmp(key, "fixes")) {
		if (!is_one_line(value))
			return bad_value(file, name, "is not one non-empty line");
		return set_once(*key == 's' ? &fix->subject : &fix->fixes, file, name, value);
	}
	if (!strcmp(key, "patch")) {
		if (!is_plain_name(value))
			return bad_value(file, name, "is not a file name in the fix folder");
		return set_once(&fix->patch_name, file, name, value);
	}
	if (!strcmp(key, "semantic")) {
		if (!is_plain_name(value))
			return bad_value(file, name, "is not a file name in the fix folder");
		return set_once(&fix->semantic_name, file, name, value);
	}
	if (!strcmp(key, "rule")) {
		if (!is_plain_name(value))
			return bad_value(file, name, "is not a plain name ([A-Za-z0-9._-])");
		return set_once(&fix->rule_name, file, name, value);
	}
	if (!strcmp(key, "kconfig") || !strcmp(key, "enable")) {
		if (!is_kconfig_symbol(value))
			return bad_value(file, name, "is not a Kconfig symbol without "
					 "CONFIG_ (e.g. LRU_GEN)");
		for (size_t i = 0; i < fix->nr_kconfig; i++)
			if (!strcmp(fix->kconfig[i], value))
				return bad_value(file, name, "names a symbol twice");
		for (size_t i = 0; i < fix->nr_enable; i++)
			if (!strcmp(fix->enable[i], value))
				return bad_value(file, name, "names a symbol twice");
		if (*key == 'k') {
			ALLOC_GROW(fix->kconfig, fix->nr_kconfig + 1, fix->alloc_kconfig);
			fix->kconfig[fix->nr_kconfig++] = xstrdup(value);
		} else {
			ALLOC_GROW(fix->enable, fix->nr_enable + 1, fix->alloc_enable);
			fix->enable[fix->nr_enable++] = xstrdup(value);
		}
		return 0;
	}
	return error("bad fix descriptor '%s': unknown key '%s'", file, name);
}

int fix_desc_set(struct fix_desc *fix, const char *file, const char *name,
		 const char *value)
{
	const char *dot = strchr(name, '.'), *last = strrchr(name, '.');
	char *section = NULL, *sub = NULL;
	const char *key;
	int ret = -1;

	if (!dot)
		return error("bad fix descriptor '%s': unknown key '%s'", file, name);
	if (!value)
		return bad_value(file, name, "has no value");
	section = xstrndup(name, (size_t)(dot - name));
	key = last + 1;
	if (last != dot)
		sub = xstrndup(dot + 1, (size_t)(last - dot - 1));
	if (!strcmp(section, "fix") && !sub) {
		ret = set_fix_key(fix, file, name, key, value);
	} else if (!strcmp(section, "file") && sub &&
		   (!strcmp(key, "function") || !strcmp(key, "macro"))) {
		bool macro = key[0] == 'm';
		struct fix_file *f;
		char ***names;
		size_t *nr, *alloc;

		if (!is_tree_path(sub)) {
			ret = bad_value(file, name, "names no path in the tree");
			goto out;
		}
		if (!is_identifier(value)) {
			ret = bad_value(file, name, macro ? "is not a C macro name" :
							    "is not a C function name");
			goto out;
		}
		f = file_get(fix, sub);
		names = macro ? &f->macros : &f->functions;
		nr = macro ? &f->nr_macros : &f->nr_functions;
		alloc = macro ? &f->alloc_macros : &f->alloc_functions;
		for (size_t i = 0; i < *nr; i++)
			if (!strcmp((*names)[i], value)) {
				ret = bad_value(file, name, macro ? "names a macro twice" :
								    "names a function twice");
				goto out;
			}
		ALLOC_GROW(*names, *nr + 1, *alloc);
		(*names)[(*nr)++] = xstrdup(value);
		ret = 0;
	} else if (!strcmp(section, "precondition") && sub && is_plain_name(sub) &&
		   !strcmp(key, "commit")) {
		if (!is_hex_id(value))
			ret = bad_value(file, name, "is not a commit id (12 to 40 lower-case "
					"hex digits)");
		else
			ret = set_once(&pre_get(fix, sub)->commit, file, name, value);
	} else if (!strcmp(section, "precondition") && sub && is_plain_name(sub) &&
		   !strcmp(key, "series")) {
		if (!is_plain_name(value))
			ret = bad_value(file, name, "is not a directory name in series/<id>/");
		else
			ret = set_once(&pre_get(fix, sub)->series, file, name, value);
	} else if (!strcmp(section, "precondition") && sub && is_plain_name(sub) &&
		   !strcmp(key, "subject")) {
		if (!is_one_line(value))
			ret = bad_value(file, name, "is not one non-empty line");
		else
			ret = set_once(&pre_get(fix, sub)->subject, file, name, value);
	} else if (!strcmp(section, "precondition") && sub && is_plain_name(sub) &&
		   (!strcmp(key, "file") || !strcmp(key, "function"))) {
		struct fix_precondition *p = pre_get(fix, sub);

		if (*key == 'f' && key[1] == 'i' && !is_tree_path(value))
			ret = bad_value(file, name, "names no path in the tree");
		else if (key[1] == 'u' && !is_identifier(value))
			ret = bad_value(file, name, "is not a C function name");
		else
			ret = set_once(key[1] == 'i' ? &p->file : &p->function, file, name,
				       value);
	} else if (!strcmp(section, "shape") && sub && is_plain_name(sub) &&
		   !strcmp(key, "series")) {
		if (strcmp(value, "-") && !is_plain_name(value))
			ret = bad_value(file, name, "is not a file name in series/<id>/ "
					"or '-'");
		else
			ret = set_once(&shape_get(fix, sub)->series, file, name, value);
	} else {
		ret = error("bad fix descriptor '%s': unknown key '%s'", file, name);
	}
out:
	free(section);
	free(sub);
	return ret;
}

static int missing(const char *file, const char *key)
{
	return error("bad fix descriptor '%s': missing key '%s'", file, key);
}

int fix_desc_finish(struct fix_desc *fix, const char *file, const char *folder)
{
	if (!fix->id)
		return missing(file, "fix.id");
	if (!fix->subject)
		return missing(file, "fix.subject");
	if (folder && strcmp(folder, fix->id))
		return error("bad fix descriptor '%s': key 'fix.id' is '%s', but the "
			     "folder is '%s'", file, fix->id, folder);
	if (!fix->nr_files)
		return missing(file, "file.<path>.function");
	for (size_t i = 0; i < fix->nr_preconditions; i++) {
		const struct fix_precondition *p = &fix->preconditions[i];

		if (!p->file || !p->function) {
			char *key = xstrfmt("precondition.%s.%s", p->name,
					    p->file ? "function" : "file");
			int rc = missing(file, key);

			free(key);
			return rc;
		}
	}
	for (size_t i = 0; i < fix->nr_shapes; i++)
		if (!fix->shapes[i].series)
			BUG("shape '%s' without series", fix->shapes[i].name);
	if (fix->rule_name) {
		fix->rule = fix_rule_find(fix->rule_name);
		if (!fix->rule)
			return error("bad fix descriptor '%s': key 'fix.rule' names no "
				     "known rule '%s'", file, fix->rule_name);
	} else if (fix->nr_preconditions || fix->nr_shapes || fix->semantic_name) {
		return error("bad fix descriptor '%s': key '%s' needs 'fix.rule'", file,
			     fix->nr_preconditions ? "precondition" :
			     fix->nr_shapes ? "shape" : "fix.semantic");
	} else if (!fix->patch_name) {
		return error("bad fix descriptor '%s': missing key 'fix.patch' (a fix with "
			     "no rule is classified from its patch)", file);
	}
	if (fix->rule && fix->nr_preconditions != 1)
		return error("bad fix descriptor '%s': key 'precondition': rule '%s' "
			     "reads one precondition, the descriptor names %zu", file,
			     fix->rule->name, fix->nr_preconditions);
	return 0;
}

const char *fix_shape_series(const struct fix_desc *fix, const char *shape)
{
	for (size_t i = 0; i < fix->nr_shapes; i++)
		if (!strcmp(fix->shapes[i].name, shape))
			return fix->shapes[i].series;
	return NULL;
}

/*
 * The seed fix's rule: the MGLRU variant classifier on the first file, the
 * exit_mmap() precondition on the precondition's file.
 */
static void mmgrab_classify(struct variant *v, const struct fix_desc *fix,
			    const struct fix_text *files, const struct fix_text *pre)
{
	const struct fix_precondition *p = &fix->preconditions[0];

	variant_classify(v, files[0].path, files[0].text, files[0].len, pre[0].text,
			 pre[0].len, p->function);
	/* name what would make it hold, where it does not or cannot be seen */
	if ((v->status == STATUS_NOT_SAFE || v->status == STATUS_PREREQ_UNVERIFIABLE) &&
	    p->commit) {
		char *r = xstrfmt("%s; upstream %.12s%s%s%s makes it hold", v->reason, p->commit,
				  p->subject ? " (\"" : "", p->subject ? p->subject : "",
				  p->subject ? "\")" : "");

		free(v->reason);
		v->reason = r;
	}
}

static const struct fix_rule rules[] = {
	{ "mglru-mmgrab", mmgrab_classify },
};

const struct fix_rule *fix_rule_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (!strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

void fix_classify(struct variant *v, const struct fix_desc *fix,
		  const struct fix_text *files, const struct fix_text *pre)
{
	if (fix->rule)
		fix->rule->classify(v, fix, files, pre);
	else
		fix_generic_classify(v, fix, files);
}

int fix_desc_check_patch(const struct fix_desc *fix, const char *file)
{
	for (size_t i = 0; i < fix->patch->nr_files; i++) {
		bool known = false;

		for (size_t k = 0; k < fix->nr_files && !known; k++)
			known = !strcmp(fix->files[k].path, fix->patch->files[i].path);
		if (!known)
			return error("bad fix descriptor '%s': key 'fix.patch': '%s' touches "
				     "'%s', which has no [file] section", file,
				     fix->patch_name, fix->patch->files[i].path);
	}
	return 0;
}
