// SPDX-License-Identifier: GPL-2.0-only
/*
 * floor: load bench/floor.bpf.c (empty tp_btf handlers on sched_switch,
 * sys_enter and sys_exit) and keep it attached until SIGINT or SIGTERM.
 * "switch" and "sys" attach a part of it; "slowpath" only an empty
 * handler on the classic tracepoint syscalls/sys_exit_epoll_wait.
 *
 * USAGE: floor [all|switch|sys|slowpath]   (default all)
 * Prints "floor: attached" on stderr once the handlers are live.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "all";
	struct floor *skel;
	int err;

	if (strcmp(which, "all") && strcmp(which, "switch") && strcmp(which, "sys") &&
	    strcmp(which, "slowpath")) {
		fprintf(stderr, "usage: floor [all|switch|sys|slowpath]\n");
		return 64;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	skel = floor__open();
	if (!skel) {
		err = -errno;
		fprintf(stderr, "floor: cannot open the BPF object: %s\n", strerror(-err));
		return 1;
	}
	if (strcmp(which, "slowpath"))
		bpf_program__set_autoload(skel->progs.floor_slowpath, false);
	if (!strcmp(which, "switch") || !strcmp(which, "slowpath")) {
		bpf_program__set_autoload(skel->progs.floor_sys_enter, false);
		bpf_program__set_autoload(skel->progs.floor_sys_exit, false);
	}
	if (!strcmp(which, "sys") || !strcmp(which, "slowpath"))
		bpf_program__set_autoload(skel->progs.floor_switch, false);
	err = floor__load(skel);
	if (err) {
		fprintf(stderr, "floor: cannot load the BPF programs: %s\n", strerror(-err));
		goto cleanup;
	}
	err = floor__attach(skel);
	if (err) {
		fprintf(stderr, "floor: cannot attach the BPF programs: %s\n", strerror(-err));
		goto cleanup;
	}
	fprintf(stderr, "floor: attached (%s)\n", which);
	while (!exiting)
		pause();
cleanup:
	floor__destroy(skel);
	return err ? 1 : 0;
}
