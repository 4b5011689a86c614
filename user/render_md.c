#include <errno.h>
#include "render.h"

int render_markdown(FILE *f, const struct ks_report *r)
{
	(void)f;
	(void)r;
	return -ENOTSUP;
}
