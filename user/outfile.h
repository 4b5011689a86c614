/*
 * Report files: written to a temporary file beside the destination and
 * renamed over it, so a reader never sees half a report and a symlink
 * planted at the destination is replaced, not followed. Under sudo the
 * file belongs to the invoking user.
 */
#ifndef KSEE_OUTFILE_H
#define KSEE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct outfile {
	char *path;
	char *tmp;
	FILE *f;
};

int outfile_open(struct outfile *of, const char *path, char *err, size_t errlen);
int outfile_commit(struct outfile *of, char *err, size_t errlen);
void outfile_abort(struct outfile *of);

#endif
