/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Files ksee opens for its user (reports, recordings, the recordings
 * `ksee report` reads) are opened with that user's rights. Under sudo
 * (real uid 0 and SUDO_UID naming another user) the filesystem identity
 * switches to the invoking user around each file operation: fsuid, fsgid
 * and the user's supplementary groups. The kernel's own permission checks
 * then apply, directory symlinks, sticky directories and devices included,
 * and what ksee creates belongs to the user. Otherwise (root without sudo,
 * or a user with capabilities) nothing changes: ksee's own ids are the
 * user's. ksee is single-threaded, so the switch affects nothing else.
 */
#ifndef KSEE_ASUSER_H
#define KSEE_ASUSER_H

#include <stdio.h>
#include <sys/types.h>

/* Become the invoking user for file access; 0, or -errno (nothing changed). */
int asuser_enter(void);

/* Back to ksee's own filesystem identity. */
void asuser_leave(void);

/* fopen(@path, @mode) with the invoking user's rights; NULL and errno on failure. */
FILE *asuser_fopen(const char *path, const char *mode);

#endif
