// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include "trace/asuser.h"
#include "trace/target.h"

#define MAX_GROUPS 1024

static struct {
	bool known;		/* the fields below are filled in */
	bool sudo;		/* switching is needed */
	uid_t uid;
	gid_t gid;
	gid_t groups[MAX_GROUPS];	/* the user's supplementary groups */
	int ngroups;
	gid_t saved[MAX_GROUPS];	/* ksee's own, while switched */
	int nsaved;
	int depth;
} au;

static int learn(void)
{
	struct passwd *pw;
	int err;

	if (au.known)
		return 0;
	au.sudo = target_sudo_user(&au.uid, &au.gid, &err);
	if (err)
		return err;
	au.ngroups = 0;
	if (au.sudo) {
		pw = getpwuid(au.uid);
		au.ngroups = MAX_GROUPS;
		if (!pw || getgrouplist(pw->pw_name, au.gid, au.groups, &au.ngroups) < 0) {
			/* unknown user, or too many groups: the primary group only */
			au.groups[0] = au.gid;
			au.ngroups = 1;
		}
	}
	au.known = true;
	return 0;
}

int asuser_enter(void)
{
	int err = learn();

	if (err)
		return err;
	if (!au.sudo || au.depth++)
		return 0;
	au.nsaved = getgroups(MAX_GROUPS, au.saved);
	if (au.nsaved < 0 || setgroups(au.ngroups, au.groups)) {
		err = -errno;
		au.depth = 0;
		return err;
	}
	setfsgid(au.gid);
	setfsuid(au.uid);
	/* setfs*id() report no error: check that the switch took effect */
	if ((uid_t)setfsuid(-1) != au.uid || (gid_t)setfsgid(-1) != au.gid) {
		au.depth = 1;
		asuser_leave();
		return -EPERM;
	}
	return 0;
}

void asuser_leave(void)
{
	if (!au.sudo || !au.depth || --au.depth)
		return;
	setfsuid(geteuid());
	setfsgid(getegid());
	if (au.nsaved >= 0)
		setgroups(au.nsaved, au.saved);	/* as root this cannot fail */
}

FILE *asuser_fopen(const char *path, const char *mode)
{
	FILE *f;
	int err = asuser_enter(), serr;

	if (err) {
		errno = -err;
		return NULL;
	}
	f = fopen(path, mode);
	serr = errno;
	asuser_leave();
	errno = serr;
	return f;
}
