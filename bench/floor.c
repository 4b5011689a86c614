// SPDX-License-Identifier: GPL-2.0-only
/*
 * floor: load bench/floor.bpf.c (empty handlers) and keep it attached
 * until SIGINT or SIGTERM.
 *
 * USAGE: floor [all|switch|sys|slowpath]   (default all)
 *        floor --hooks FILE
 *
 * "all" attaches empty tp_btf handlers on sched_switch, sys_enter and
 * sys_exit (the floor of earlier rounds), "switch" and "sys" a part of
 * it, "slowpath" only an empty handler on the classic tracepoint
 * syscalls/sys_exit_epoll_wait. --hooks attaches one empty handler per
 * line of FILE, the hooks a ksee mode attached as it lists them with
 * KSEE_LIST_HOOKS=1 ("ksee: hook tp_btf/NAME" or "ksee: hook usdt BINARY
 * PROVIDER:NAME"; other lines are skipped), so that a mode's floor is
 * exactly its hooks, from ksee's own list.
 * Prints "floor: attached" on stderr once the handlers are live.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

#define NTP	24
#define NUSDT	6

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

struct usdt_hook {
	char binary[4352];	/* as long as a line */
	char provider[64];
	char name[64];
};

static struct bpf_program *slot(struct floor *skel, const char *prefix, int i)
{
	struct bpf_program *prog;
	char want[32];

	snprintf(want, sizeof(want), "%s%d", prefix, i);
	bpf_object__for_each_program(prog, skel->obj)
		if (!strcmp(bpf_program__name(prog), want))
			return prog;
	return NULL;
}

/* Point the slots at the hooks of @path; the USDT ones go to @usdt. */
static int read_hooks(struct floor *skel, const char *path, struct usdt_hook *usdt,
		      int *nusdt, int *ntp)
{
	char line[4352], *sec, *sp;
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f) {
		fprintf(stderr, "floor: cannot open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (strncmp(line, "ksee: hook ", 11))
			continue;
		sec = line + 11;
		if (!strncmp(sec, "tp_btf/", 7)) {
			if (*ntp == NTP) {
				fprintf(stderr, "floor: more than %d tp_btf hooks\n", NTP);
				err = -E2BIG;
				break;
			}
			err = bpf_program__set_attach_target(slot(skel, "floor_tp", *ntp), 0,
							     sec + 7);
			if (err)
				fprintf(stderr, "floor: no tracepoint %s: %s\n", sec + 7,
					strerror(-err));
			(*ntp)++;
		} else if (!strncmp(sec, "usdt ", 5)) {
			struct usdt_hook *u = &usdt[*nusdt];

			sp = strrchr(sec + 5, ' ');
			if (*nusdt == NUSDT || !sp || sscanf(sp + 1, "%63[^:]:%63s", u->provider,
							     u->name) != 2) {
				fprintf(stderr, "floor: cannot use the hook '%s'\n", sec);
				err = -EINVAL;
				break;
			}
			*sp = 0;
			snprintf(u->binary, sizeof(u->binary), "%s", sec + 5);
			(*nusdt)++;
		} else {
			fprintf(stderr, "floor: unknown kind of hook '%s'\n", sec);
			err = -EINVAL;
		}
	}
	fclose(f);
	return err;
}

int main(int argc, char **argv)
{
	static struct usdt_hook usdt[NUSDT];
	const char *which = argc > 1 ? argv[1] : "all";
	struct bpf_link *links[NUSDT] = { 0 };
	int err, i, ntp = 0, nusdt = 0;
	bool hooks = !strcmp(which, "--hooks") && argc == 3;
	struct floor *skel;

	if (strcmp(which, "all") && strcmp(which, "switch") && strcmp(which, "sys") &&
	    strcmp(which, "slowpath") && !hooks) {
		fprintf(stderr, "usage: floor [all|switch|sys|slowpath] | floor --hooks FILE\n");
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
	if (hooks) {
		err = read_hooks(skel, argv[2], usdt, &nusdt, &ntp);
		if (err)
			goto cleanup;
		bpf_program__set_autoload(skel->progs.floor_switch, false);
		bpf_program__set_autoload(skel->progs.floor_sys_enter, false);
		bpf_program__set_autoload(skel->progs.floor_sys_exit, false);
	} else {
		if (!strcmp(which, "switch") || !strcmp(which, "slowpath")) {
			bpf_program__set_autoload(skel->progs.floor_sys_enter, false);
			bpf_program__set_autoload(skel->progs.floor_sys_exit, false);
		}
		if (!strcmp(which, "sys") || !strcmp(which, "slowpath"))
			bpf_program__set_autoload(skel->progs.floor_switch, false);
	}
	if (strcmp(which, "slowpath"))
		bpf_program__set_autoload(skel->progs.floor_slowpath, false);
	for (i = ntp; i < NTP; i++)
		bpf_program__set_autoload(slot(skel, "floor_tp", i), false);
	for (i = nusdt; i < NUSDT; i++)
		bpf_program__set_autoload(slot(skel, "floor_usdt", i), false);
	err = floor__load(skel);
	if (err) {
		fprintf(stderr, "floor: cannot load the BPF programs: %s\n", strerror(-err));
		goto cleanup;
	}
	err = floor__attach(skel);
	for (i = 0; !err && i < nusdt; i++) {
		links[i] = bpf_program__attach_usdt(slot(skel, "floor_usdt", i), -1, usdt[i].binary,
						    usdt[i].provider, usdt[i].name, NULL);
		if (!links[i])
			err = -errno;
	}
	if (err) {
		fprintf(stderr, "floor: cannot attach the BPF programs: %s\n", strerror(-err));
		goto cleanup;
	}
	if (hooks)
		fprintf(stderr, "floor: attached (%d tp_btf, %d usdt from %s)\n", ntp, nusdt,
			argv[2]);
	else
		fprintf(stderr, "floor: attached (%s)\n", which);
	while (!exiting)
		pause();
cleanup:
	for (i = 0; i < nusdt; i++)
		bpf_link__destroy(links[i]);
	floor__destroy(skel);
	return err ? 1 : 0;
}
