// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "trace/target.h"

/* What the child reports through err_fd when it fails. */
struct child_err {
	int stage;	/* 1: dropping privileges, 2: exec */
	int err;
};

/* A user or group id: digits only, below (uid_t)-1; 0 or -EINVAL. */
static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || *out > 0xfffffffeUL)
		return -EINVAL;
	return 0;
}

bool target_sudo_user(uid_t *uid, gid_t *gid, int *err)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	unsigned long u, g;

	*err = 0;
	/* Only sudo's own variables count: ksee really runs as root (real uid 0). */
	if (getuid() != 0 || !su || !*su)
		return false;
	if (parse_id(su, &u) ||
	    (sg && *sg && parse_id(sg, &g))) {
		*err = -EINVAL;
		return false;
	}
	if (!sg || !*sg) {
		struct passwd *pw = getpwuid(u);

		if (!pw) {
			*err = -EINVAL;
			return false;
		}
		g = pw->pw_gid;
	}
	if (u == 0)
		return false;
	*uid = u;
	*gid = g;
	return true;
}

static int drop_privileges(void)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;
	int err;

	if (!target_sudo_user(&uid, &gid, &err))
		return err;
	/* The user's supplementary groups, or none if the user is unknown. */
	pw = getpwuid(uid);
	if (pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL))
		return -errno;
	if (setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		return -errno;
	if (setuid(0) == 0)
		return -EPERM;	/* must not be able to get root back */
	return 0;
}

static void child_fail(int fd, int stage, int err)
{
	struct child_err ce = { stage, err };

	if (write(fd, &ce, sizeof(ce)) < 0)
		_exit(126);
	_exit(err == ENOENT && stage == 2 ? 127 : 126);
}

static int spawn(struct target *tg, char **argv, int stdout_fd, bool tied, char *err,
		 size_t errlen)
{
	pid_t parent = getpid();
	int go[2], ep[2], ret;
	sigset_t none;
	char c;

	tg->pid = -1;
	tg->go_fd = tg->err_fd = -1;
	if (pipe2(go, O_CLOEXEC))
		goto fail_errno;
	if (pipe2(ep, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		goto fail_errno;
	}
	tg->pid = fork();
	if (tg->pid < 0) {
		ret = -errno;
		close(go[0]);
		close(go[1]);
		close(ep[0]);
		close(ep[1]);
		snprintf(err, errlen, "cannot fork: %s", strerror(-ret));
		return ret;
	}
	if (tg->pid == 0) {
		close(go[1]);
		close(ep[0]);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (stdout_fd >= 0 && dup2(stdout_fd, STDOUT_FILENO) < 0)
			child_fail(ep[1], 1, errno);
		ret = drop_privileges();
		if (ret)
			child_fail(ep[1], 1, -ret);
		/* after the uid change, which would clear it */
		if (tied && (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent))
			_exit(127);
		/* EOF instead of a byte: ksee is gone, do not run untraced. */
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		close(go[0]);
		execvp(argv[0], argv);
		child_fail(ep[1], 2, errno);
	}
	close(go[0]);
	close(ep[1]);
	tg->go_fd = go[1];
	tg->err_fd = ep[0];
	(void)argv;
	return 0;
fail_errno:
	ret = -errno;
	snprintf(err, errlen, "cannot create a pipe: %s", strerror(-ret));
	return ret;
}

int target_spawn(struct target *tg, char **argv, int stdout_fd, char *err, size_t errlen)
{
	return spawn(tg, argv, stdout_fd, false, err, errlen);
}

int target_spawn_tied(struct target *tg, char **argv, int stdout_fd, char *err, size_t errlen)
{
	return spawn(tg, argv, stdout_fd, true, err, errlen);
}

int target_start(struct target *tg, char **argv, char *err, size_t errlen)
{
	struct child_err ce;
	ssize_t n;

	if (write(tg->go_fd, "g", 1) != 1) {
		/* The child died before exec: it failed to drop privileges. */
	}
	close(tg->go_fd);
	tg->go_fd = -1;
	do {
		n = read(tg->err_fd, &ce, sizeof(ce));
	} while (n < 0 && errno == EINTR);
	close(tg->err_fd);
	tg->err_fd = -1;
	if (n != sizeof(ce))
		return 0;	/* closed by a successful exec */
	waitpid(tg->pid, NULL, 0);
	tg->pid = -1;
	if (ce.stage == 1)
		snprintf(err, errlen, "cannot run as the invoking user (SUDO_UID/SUDO_GID): %s",
			 strerror(ce.err));
	else if (ce.err == ENOENT)
		snprintf(err, errlen, "command not found: %s", argv[0]);
	else
		snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(ce.err));
	return -ce.err;
}

int target_resolve(const char *cmd, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;
	size_t n;

	if (strchr(cmd, '/')) {
		snprintf(buf, len, "%s", cmd);
		return access(buf, X_OK) ? -ENOENT : 0;
	}
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		n = end - p;
		snprintf(buf, len, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd);
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

void target_abort(struct target *tg)
{
	if (tg->go_fd >= 0)
		close(tg->go_fd);
	if (tg->err_fd >= 0)
		close(tg->err_fd);
	if (tg->pid > 0) {
		kill(tg->pid, SIGKILL);
		waitpid(tg->pid, NULL, 0);
	}
	tg->pid = tg->go_fd = tg->err_fd = -1;
}
