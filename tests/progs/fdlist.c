// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdlist: prints, one a line, every descriptor it was started with beyond
 * its standard streams (0, 1, 2), with what it points to, and exits with
 * their number (0: it inherited nothing else).
 *
 * What the kernel should see: 1 short-lived task. Under `ksee run` every
 * descriptor of ksee's own (BPF objects, output files, the timeline's
 * spool) is close-on-exec, so the traced program must exit 0.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	char path[64], target[4096];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fd");
	int n = 0, fd;
	ssize_t len;

	if (!dir) {
		perror("fdlist: /proc/self/fd");
		return 100;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		fd = atoi(d->d_name);
		if (fd <= 2 || fd == dirfd(dir))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		target[len < 0 ? 0 : len] = '\0';
		printf("inherited fd %d -> %s\n", fd, target);
		n++;
	}
	closedir(dir);
	return n > 99 ? 99 : n;
}
