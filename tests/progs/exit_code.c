// SPDX-License-Identifier: GPL-2.0-only
/*
 * exit_code N     exits with status N.
 * exit_code -s S  kills itself with signal S (default action, not blocked).
 *
 * What the kernel should see: 1 task that exits at once; its exit code in
 * wait-status form is N << 8, or S (plus 0x80 if it dumped core).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sigset_t set;
	int sig;

	if (argc == 3 && !strcmp(argv[1], "-s")) {
		sig = atoi(argv[2]);
		signal(sig, SIG_DFL);
		sigemptyset(&set);
		sigaddset(&set, sig);
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		raise(sig);
		fprintf(stderr, "exit_code: signal %d did not kill me\n", sig);
		return 1;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: exit_code N | exit_code -s SIGNAL\n");
		return 2;
	}
	return atoi(argv[1]);
}
