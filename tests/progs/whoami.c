// SPDX-License-Identifier: GPL-2.0-only
/*
 * whoami [FILE]: writes one line
 *   "uid=R euid=E gid=G egid=H groups=A,B,..."
 * to FILE (created mode 0644), or to stdout without FILE. Exits 0, or 1 if
 * it could not write.
 *
 * What the kernel should see: 1 short-lived task. Under `sudo ksee run`
 * (SUDO_UID/SUDO_GID set) all four ids must be the invoking user's and the
 * supplementary groups that user's, never root's (0).
 */
#include <grp.h>
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	gid_t groups[256];
	int i, n;
	FILE *f = stdout;

	n = getgroups(256, groups);
	if (n < 0) {
		perror("whoami: getgroups");
		return 1;
	}
	if (argc > 1) {
		f = fopen(argv[1], "w");
		if (!f) {
			perror(argv[1]);
			return 1;
		}
	}
	fprintf(f, "uid=%u euid=%u gid=%u egid=%u groups=", getuid(), geteuid(),
		getgid(), getegid());
	for (i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? "," : "", groups[i]);
	fprintf(f, "\n");
	return fclose(f) ? 1 : 0;
}
