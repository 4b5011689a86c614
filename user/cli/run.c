// SPDX-License-Identifier: GPL-2.0-only
/* ksee run: start a command traced from its first instruction. */
#include "cli/commands.h"
#include "cli/session.h"

int do_run(int argc, char **argv)
{
	struct session s;
	struct run_spec rs = { .stdout_fd = -1 };
	int ret;

	ret = session_init(&s, &opts_run, argc, argv);
	if (ret)
		goto out;
	ret = session_start_tracer(&s);
	if (ret)
		goto out;
	rs.argv = s.o.argv;
	ret = session_run_command(&s, &rs);
	if (ret)
		goto out;
	ret = session_collect(&s, s.tr.end_ns);
	if (!ret)
		ret = session_outputs(&s);
	if (!ret)
		ret = s.tr.exit_status;
out:
	session_cleanup(&s);
	return ret == SESSION_DONE ? 0 : ret;
}
