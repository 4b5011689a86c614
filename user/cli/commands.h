/* SPDX-License-Identifier: GPL-2.0-only */
/* The subcommands of ksee; each returns the process exit status. */
#ifndef KSEE_COMMANDS_H
#define KSEE_COMMANDS_H

#include <stddef.h>
#include "model/comparison.h"

int do_run(int argc, char **argv);
int do_attach(int argc, char **argv);
int do_compare(int argc, char **argv);
int do_report(int argc, char **argv);
int do_serve(int argc, char **argv);
int do_diff(int argc, char **argv);

struct session;

/* compare --cmd / --cmds, once the options are parsed (compare_cmd.c). */
int compare_commands(struct session *s);

/*
 * compare --runtimes: runtime @m's interpreter (into @interp, "" for a
 * binary) and program (into @prog); 0, or -ENOENT with the reason in @why
 * (compare_runtimes.c).
 */
int runtime_find(enum cmp_model m, char *interp, size_t ilen, char *prog, size_t plen,
		 char *why, size_t wlen);

#endif
