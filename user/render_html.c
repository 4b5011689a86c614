#include <errno.h>
#include "render.h"

int render_html(FILE *f, const struct ks_report *r)
{
	(void)f;
	(void)r;
	return -ENOTSUP;
}
