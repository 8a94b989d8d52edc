#include "core/branch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void branch_line_name(const struct branch *b, char *buf, size_t n)
{
	if (b->has_version) {
		kversion_format_line(&b->version, buf, n);
		return;
	}
	snprintf(buf, n, "%s", b->label);
	for (char *p = buf; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
}

void branch_version_name(const struct branch *b, char *buf, size_t n)
{
	if (b->has_version)
		kversion_format(&b->version, buf, n);
	else
		snprintf(buf, n, "?");
}

void branch_release(struct branch *b)
{
	free(b->spec);
	free(b->ref);
	free(b->label);
	memset(b, 0, sizeof(*b));
}

void branch_list_free(struct branch *list, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		branch_release(&list[i]);
	free(list);
}
