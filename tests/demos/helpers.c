// SPDX-License-Identifier: MIT
/* Running demo binaries from the tests. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/stats.h"

const char *demo_bin(const char *name)
{
	static char path[8][PATH_MAX];
	static unsigned int next;
	const char *dir = getenv("DEMOS");
	char *p = path[next++ % 8];
	char self[PATH_MAX];
	ssize_t n;

	if (dir && *dir) {
		snprintf(p, PATH_MAX, "%s/%s", dir, name);
		return p;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n < 0 ? 0 : n] = '\0';
	snprintf(p, PATH_MAX, "%s/../../demos/%s", dirname(self), name);
	return p;
}

int run_start(struct run *r, char *const argv[], bool quiet)
{
	int pfd[2];

	memset(r, 0, sizeof(*r));
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	r->wall_ms = now_ns() / 1e6;
	r->pid = fork();
	if (r->pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (!r->pid) {
		dup2(pfd[1], STDOUT_FILENO);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0)
				dup2(null, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	r->out_fd = pfd[0];
	return 0;
}

static unsigned int read_threads(pid_t pid)
{
	char path[64], line[256];
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %u", &n) == 1)
			break;
	fclose(f);
	return n;
}

unsigned int count_children(pid_t pid)
{
	unsigned int n = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[300], buf[512], *rp, state;
		int ppid;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) &&
		    sscanf(rp + 1, " %c %d", &state, &ppid) == 2 && ppid == pid && state != 'Z')
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

static void sample(struct run *r)
{
	unsigned int t = read_threads(r->pid), c = count_children(r->pid);

	if (t > r->max_threads)
		r->max_threads = t;
	if (c > r->max_children)
		r->max_children = c;
}

static void drain(struct run *r, int timeout_ms)
{
	struct pollfd p = { .fd = r->out_fd, .events = POLLIN };
	ssize_t n;

	while (r->out_fd >= 0 && poll(&p, 1, timeout_ms) > 0) {
		n = read(r->out_fd, r->out + r->out_len, sizeof(r->out) - 1 - r->out_len);
		if (n <= 0) {
			close(r->out_fd);
			r->out_fd = -1;
			break;
		}
		r->out_len += n;
		r->out[r->out_len] = '\0';
		if (timeout_ms)
			break;
	}
}

int run_wait(struct run *r)
{
	struct rusage ru;
	pid_t w;

	for (;;) {
		sample(r);
		drain(r, 1);
		w = wait4(r->pid, &r->status, WNOHANG, &ru);
		if (w < 0)
			return -errno;
		if (w == r->pid)
			break;
	}
	r->wall_ms = now_ns() / 1e6 - r->wall_ms;
	r->cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	while (r->out_fd >= 0)
		drain(r, 0);
	return 0;
}

int run_cmd(struct run *r, char *const argv[])
{
	return run_start(r, argv, false) ?: run_wait(r);
}

int run_cmd_quiet(struct run *r, char *const argv[])
{
	return run_start(r, argv, true) ?: run_wait(r);
}

int summary_parse(const char *out, struct summary *s)
{
	const char *line = strstr(out, "model=");

	memset(s, 0, sizeof(*s));
	if (!line)
		return -EINVAL;
	if (sscanf(line, "model=%31s requests=%lu errors=%lu wall_ms=%lf p50_ms=%lf p99_ms=%lf",
		   s->model, &s->requests, &s->errors, &s->wall_ms, &s->p50_ms, &s->p99_ms) != 6)
		return -EINVAL;
	s->setup_cpu_ms = s->work_cpu_ms = s->cpu_ms = -1;
	if (strstr(line, " setup_cpu_ms="))
		sscanf(strstr(line, " setup_cpu_ms="), " setup_cpu_ms=%lf", &s->setup_cpu_ms);
	if (strstr(line, " work_cpu_ms="))
		sscanf(strstr(line, " work_cpu_ms="), " work_cpu_ms=%lf", &s->work_cpu_ms);
	if (strstr(line, " cpu_ms="))
		sscanf(strstr(line, " cpu_ms="), " cpu_ms=%lf", &s->cpu_ms);
	line = strstr(line, " workers=");
	if (!line || sscanf(line, " workers=%lu", &s->workers) != 1)
		return -EINVAL;
	return 0;
}
