/* SPDX-License-Identifier: GPL-2.0-only */
/* The subcommands of ksee; each returns the process exit status. */
#ifndef KSEE_COMMANDS_H
#define KSEE_COMMANDS_H

int do_run(int argc, char **argv);
int do_attach(int argc, char **argv);
int do_compare(int argc, char **argv);
int do_report(int argc, char **argv);
int do_serve(int argc, char **argv);
int do_diff(int argc, char **argv);

struct session;

/* compare --cmd / --cmds, once the options are parsed (compare_cmd.c). */
int compare_commands(struct session *s);

#endif
