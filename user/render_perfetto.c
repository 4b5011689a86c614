#include <errno.h>
#include "render.h"

int render_perfetto(FILE *f, const struct ks_report *r)
{
	(void)f;
	(void)r;
	return -ENOTSUP;
}
