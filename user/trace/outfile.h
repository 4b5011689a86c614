/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Report files: written to a temporary file beside the destination and
 * renamed over it, so a reader never sees half a report. A symlink at the
 * destination is refused, never followed or replaced; a device or a FIFO
 * there (/dev/null, a pipe) is written to as it is. Every file operation
 * is done with the invoking user's rights (trace/asuser.h): under sudo the
 * file is created by, and belongs to, the user, and ksee can write nothing
 * the user could not.
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
	int fd;		/* under @f */
	int werr;	/* errno of the first failed write, 0 if none */
	bool direct;	/* a device or FIFO: no temporary file, no rename */
};

/*
 * Check the destination and open the temporary file: a name too long, a
 * missing or unwritable directory, a symlink, a directory, a FIFO without
 * a reader or a file the user may not replace are refused here, before
 * anything runs. 0, or -errno with @err set.
 */
int outfile_open(struct outfile *of, const char *path, char *err, size_t errlen);
int outfile_commit(struct outfile *of, char *err, size_t errlen);
void outfile_abort(struct outfile *of);

/* The error to report for a failed write to @of: the write's own errno if known, else @ret. */
int outfile_error(const struct outfile *of, int ret);

/* True if @a and @b name the same file (same directory, same name). */
bool outfile_same(const char *a, const char *b);

#endif
