#include "core/branch.h"

#include <stdlib.h>
#include <string.h>

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
