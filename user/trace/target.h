/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The program `ksee run` traces: created stopped before exec, so that it
 * is in the traced set before its first instruction, and run as the user
 * who invoked sudo, never as root.
 */
#ifndef KSEE_TARGET_H
#define KSEE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct target {
	pid_t pid;
	int go_fd;	/* parent's end: one byte lets the child exec */
	int err_fd;	/* parent's end: the child's errno if it could not exec */
};

/*
 * Fork the child; it drops privileges and waits for target_start().
 * @stdout_fd >= 0 becomes its standard output.
 */
int target_spawn(struct target *tg, char **argv, int stdout_fd, char *err, size_t errlen);

/* target_spawn() of a helper that must not outlive ksee (SIGTERM when ksee dies). */
int target_spawn_tied(struct target *tg, char **argv, int stdout_fd, char *err, size_t errlen);

/*
 * Let the child exec. 0 once it has; -errno (with @err set) if it could
 * not, in which case it has exited with 127 (not found) or 126.
 */
int target_start(struct target *tg, char **argv, char *err, size_t errlen);

/* The file execvp() would run for @cmd, into @buf; 0 or -ENOENT. */
int target_resolve(const char *cmd, char *buf, size_t len);

/* Kill and reap a child that will not be started. */
void target_abort(struct target *tg);

/*
 * The invoking user under sudo (SUDO_UID, SUDO_GID). Returns true and
 * sets @uid/@gid if a non-root user invoked sudo; false otherwise, or
 * -EINVAL through @err when the variables are malformed. The variables
 * count only when ksee's real uid is 0: a user running a ksee with file
 * capabilities can set them to anything, and they are ignored then.
 */
bool target_sudo_user(uid_t *uid, gid_t *gid, int *err);

#endif
