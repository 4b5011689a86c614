/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Report files: written to a temporary file beside the destination and
 * renamed over it, so a reader never sees half a report. A symlink at the
 * destination is refused, never followed or replaced; a device or a FIFO
 * there (/dev/null, a pipe) is written to as it is. Under sudo the file
 * belongs to the invoking user.
 */
#ifndef KSEE_OUTFILE_H
#define KSEE_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct outfile {
	char *path;
	char *tmp;
	FILE *f;
	bool direct;	/* a device or FIFO: no temporary file, no rename */
};

int outfile_open(struct outfile *of, const char *path, char *err, size_t errlen);
int outfile_commit(struct outfile *of, char *err, size_t errlen);
void outfile_abort(struct outfile *of);

#endif
