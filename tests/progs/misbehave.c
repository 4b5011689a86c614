// SPDX-License-Identifier: GPL-2.0-only
/*
 * misbehave MODE [ARG]: a traced program that does something awkward.
 *   exit          exits 7 at once
 *   exec PATH...  execs PATH with the remaining arguments
 *   rename NAME   renames its main thread to NAME (prctl PR_SET_NAME),
 *                 then sleeps 20 ms and exits 0
 *   setuid UID    setresuid(UID) (works when started as root), sleeps 20 ms,
 *                 exits 0; exits 2 if setuid fails
 *   closeio       closes stdin, stdout and stderr, sleeps 20 ms, exits 0
 *   flood MB      writes MB megabytes of "misbehave flood\n" lines to
 *                 stdout, then exits 0 (exits 3 on a write error)
 *
 * What the kernel should see: one process, one task (two comms over its
 * life for exec and rename); the exit codes above.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static void nap(void)
{
	const struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "exit"))
		_exit(7);
	if (!strcmp(mode, "exec") && argc > 2) {
		execv(argv[2], argv + 2);
		perror("misbehave: exec");
		return 127;
	}
	if (!strcmp(mode, "rename") && argc > 2) {
		prctl(PR_SET_NAME, argv[2]);
		nap();
		return 0;
	}
	if (!strcmp(mode, "setuid") && argc > 2) {
		uid_t uid = strtoul(argv[2], NULL, 10);

		if (setresgid(uid, uid, uid) || setresuid(uid, uid, uid))
			return 2;
		nap();
		return 0;
	}
	if (!strcmp(mode, "closeio")) {
		close(0);
		close(1);
		close(2);
		nap();
		return 0;
	}
	if (!strcmp(mode, "flood") && argc > 2) {
		static const char line[] = "misbehave flood\n";
		long i, n = strtol(argv[2], NULL, 10) * (1 << 20) / (sizeof(line) - 1);

		for (i = 0; i < n; i++)
			if (fwrite(line, 1, sizeof(line) - 1, stdout) != sizeof(line) - 1)
				return 3;
		return fflush(stdout) ? 3 : 0;
	}
	fprintf(stderr, "usage: misbehave exit|exec PATH...|rename NAME|setuid UID|closeio|flood MB\n");
	return 64;
}
