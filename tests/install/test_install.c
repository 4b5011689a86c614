// SPDX-License-Identifier: GPL-2.0-only
/*
 * Installation: the man page lists exactly the options of `ksee run
 * --help`, `ksee attach --help` and `ksee compare --help` and carries the
 * version of `ksee --version`; `make install DESTDIR=tmp PREFIX=/usr`
 * puts every file where it belongs (the runtime programs too) and `make
 * uninstall` removes them all.
 * Runs from the source tree (make test's directory); no root needed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KSEE_OUTPUT
#define KSEE_OUTPUT "build"
#endif

#define MAX_OPTS 64

struct optset {
	char *opt[MAX_OPTS];
	int n;
};

static void add_opt(struct optset *s, const char *o, size_t len)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->opt[i]) == len && !strncmp(s->opt[i], o, len))
			return;
	if (s->n == MAX_OPTS)
		fail_msg("too many options");
	s->opt[s->n++] = strndup(o, len);
}

/* Adds every "-x" / "--long-name" token at the start of LINE's words to S. */
static void scan_opts(struct optset *s, const char *line)
{
	const char *p = line;

	while (*p == ' ')
		p++;
	while (*p == '-') {
		size_t len = strspn(p, "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

		if (len > 1)
			add_opt(s, p, len);
		p += len;
		while (*p == ',' || *p == ' ')
			p++;
		if (*p != '-')
			break;
	}
}

/* The options of `KSEE CMD --help` (lines of its "Options:" block). */
static void help_opts(struct optset *s, const char *cmd)
{
	char line[512], run[PATH_MAX + 64];
	int in = 0;
	FILE *f;

	snprintf(run, sizeof(run), "%s/ksee %s --help", KSEE_OUTPUT, cmd);
	f = popen(run, "r");
	if (!f)
		fail_msg("cannot run %s", run);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Options:", 8))
			in = 1;
		else if (in && line[0] != ' ')
			in = 0;
		else if (in)
			scan_opts(s, line);
	}
	if (pclose(f))
		fail_msg("%s failed", run);
}

/* The options of man/ksee.1's OPTIONS subsection SECTION (".SS SECTION"). */
static void man_opts(struct optset *s, const char *section)
{
	char line[512], want[128], buf[512];
	int in = 0, tp = 0;
	size_t i, j;
	FILE *f = fopen("man/ksee.1", "r");

	if (!f)
		fail_msg("cannot open man/ksee.1 (run from the source tree)");
	snprintf(want, sizeof(want), ".SS %s\n", section);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, ".SS ", 4) || !strncmp(line, ".SH ", 4)) {
			in = !strcmp(line, want);
			continue;
		}
		if (!in)
			continue;
		if (!strncmp(line, ".TP", 3)) {
			tp = 1;
			continue;
		}
		if (!tp)
			continue;
		tp = 0;
		/* ".BR \-p ", " \-\-pid ..." -> "-p, --pid ...": drop macros, quotes, \ */
		for (i = 0, j = 0; line[i] && j < sizeof(buf) - 1; i++) {
			if (line[i] == '\\' || line[i] == '"')
				continue;
			buf[j++] = line[i];
		}
		buf[j] = '\0';
		scan_opts(s, strchr(buf, ' ') ? strchr(buf, ' ') : buf);
	}
	fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void expect_same(struct optset *help, struct optset *man, const char *what)
{
	int i;

	qsort(help->opt, help->n, sizeof(char *), cmp_str);
	qsort(man->opt, man->n, sizeof(char *), cmp_str);
	for (i = 0; i < help->n || i < man->n; i++)
		if (i >= help->n || i >= man->n || strcmp(help->opt[i], man->opt[i]))
			fail_msg("%s: --help and man/ksee.1 differ at option %d: '%s' vs '%s'", what,
				 i, i < help->n ? help->opt[i] : "(none)",
				 i < man->n ? man->opt[i] : "(none)");
	if (help->n < 5)
		fail_msg("%s: only %d options found in --help", what, help->n);
}

static void test_install_man_matches_help(void **state)
{
	struct optset help = { 0 }, man = { 0 };

	(void)state;
	help_opts(&help, "run");
	help_opts(&help, "attach");
	man_opts(&man, "run and attach");
	expect_same(&help, &man, "run and attach");

	memset(&help, 0, sizeof(help));
	memset(&man, 0, sizeof(man));
	help_opts(&help, "compare");
	man_opts(&man, "compare");
	expect_same(&help, &man, "compare");

	memset(&help, 0, sizeof(help));
	memset(&man, 0, sizeof(man));
	help_opts(&help, "report");
	man_opts(&man, "report");
	expect_same(&help, &man, "report");

	memset(&help, 0, sizeof(help));
	memset(&man, 0, sizeof(man));
	help_opts(&help, "serve");
	man_opts(&man, "serve");
	expect_same(&help, &man, "serve");

	memset(&help, 0, sizeof(help));
	memset(&man, 0, sizeof(man));
	help_opts(&help, "diff");
	man_opts(&man, "diff");
	expect_same(&help, &man, "diff");
}

static void test_install_version(void **state)
{
	char line[256], cmd[PATH_MAX], want[300];
	FILE *f;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s/ksee --version", KSEE_OUTPUT);
	f = popen(cmd, "r");
	if (!f || !fgets(line, sizeof(line), f))
		fail_msg("%s printed nothing", cmd);
	if (pclose(f))
		fail_msg("%s failed", cmd);
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(line, "ksee ", 5))
		fail_msg("%s printed '%s'", cmd, line);
	/* The man page's .TH carries the same version. */
	snprintf(want, sizeof(want), "\"%s\"", line);
	f = fopen("man/ksee.1", "r");
	assert_non_null(f);
	while (fgets(cmd, sizeof(cmd), f))
		if (!strncmp(cmd, ".TH", 3))
			break;
	fclose(f);
	if (!strstr(cmd, want))
		fail_msg("man/ksee.1 .TH line '%s' lacks %s", cmd, want);
}

static int nfiles;
static char listing[8192];

static int count_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_F || flag == FTW_SL) {
		nfiles++;
		snprintf(listing + strlen(listing), sizeof(listing) - strlen(listing), "  %s\n",
			 path);
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void expect_file(const char *dest, const char *rel, mode_t mode)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/usr%s", dest, rel);
	if (stat(path, &st))
		fail_msg("make install did not install %s", path);
	if ((st.st_mode & 07777) != mode)
		fail_msg("%s has mode %o, expected %o", path, st.st_mode & 07777, mode);
}

/*
 * The runtime programs (examples/runtimes/) in share/ksee/runtimes: every
 * script, and the C# and Go programs that `make runtimes` could build
 * (those whose compiler is installed). Returns how many files.
 */
static size_t expect_runtimes(const char *dest)
{
	static const char *const scripts[] = { "py_asyncio.py", "py_asyncio_blocking.py",
					       "py_threads.py", "py_procs.py", "node_async.js" };
	static const char *const built[] = { "cs_async.exe", "goroutines" };
	char rel[128], path[PATH_MAX];
	size_t i, n = 0;

	for (i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++, n++) {
		snprintf(rel, sizeof(rel), "/share/ksee/runtimes/%s", scripts[i]);
		expect_file(dest, rel, 0755);
	}
	expect_file(dest, "/share/ksee/runtimes/workload.py", 0644);
	n++;
	for (i = 0; i < sizeof(built) / sizeof(built[0]); i++) {
		snprintf(path, sizeof(path), "%s/runtimes/%s", KSEE_OUTPUT, built[i]);
		if (access(path, F_OK))
			continue;
		snprintf(rel, sizeof(rel), "/share/ksee/runtimes/%s", built[i]);
		expect_file(dest, rel, 0755);
		n++;
	}
	return n;
}

static void test_install_destdir(void **state)
{
	static const char *const demos[] = { "ioserver", "blocking", "threads", "pool", "epoll",
					     "uring", "coro", "gil", "procs" };
	char dest[] = "/tmp/ksee-install-XXXXXX", cmd[PATH_MAX * 2], rel[128];
	size_t i, want;

	(void)state;
	if (!mkdtemp(dest))
		fail_msg("mkdtemp failed");
	snprintf(cmd, sizeof(cmd),
		 "make -s --no-print-directory OUTPUT=%s install DESTDIR=%s PREFIX=/usr >&2",
		 KSEE_OUTPUT, dest);
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
	expect_file(dest, "/bin/ksee", 0755);
	expect_file(dest, "/share/man/man1/ksee.1", 0644);
	expect_file(dest, "/share/bash-completion/completions/ksee", 0644);
	expect_file(dest, "/include/ksee/usdt.h", 0644);
	expect_file(dest, "/lib/systemd/system/ksee-serve@.service", 0644);
	expect_file(dest, "/share/ksee/prometheus/ksee-rules.yml", 0644);
	/* the unit runs the installed ksee */
	snprintf(cmd, sizeof(cmd), "grep -q '^ExecStart=/usr/bin/ksee serve ' "
		 "%s/usr/lib/systemd/system/ksee-serve@.service", dest);
	if (system(cmd))
		fail_msg("the installed unit does not run /usr/bin/ksee serve");
	for (i = 0; i < sizeof(demos) / sizeof(demos[0]); i++) {
		snprintf(rel, sizeof(rel), "/libexec/ksee/demos/%s", demos[i]);
		expect_file(dest, rel, 0755);
	}
	want = 6 + sizeof(demos) / sizeof(demos[0]) + expect_runtimes(dest);
	nfiles = 0;
	listing[0] = '\0';
	nftw(dest, count_one, 16, FTW_PHYS);
	if (nfiles != (int)want)
		fail_msg("make install installed %d files, expected %zu:\n%s", nfiles, want,
			 listing);
	/* The installed binary runs. */
	snprintf(cmd, sizeof(cmd), "%s/usr/bin/ksee --version >/dev/null", dest);
	if (system(cmd))
		fail_msg("the installed ksee does not run");

	snprintf(cmd, sizeof(cmd),
		 "make -s --no-print-directory OUTPUT=%s uninstall DESTDIR=%s PREFIX=/usr >&2",
		 KSEE_OUTPUT, dest);
	if (system(cmd))
		fail_msg("'%s' failed", cmd);
	nfiles = 0;
	listing[0] = '\0';
	nftw(dest, count_one, 16, FTW_PHYS);
	if (nfiles)
		fail_msg("make uninstall left %d files:\n%s", nfiles, listing);
	nftw(dest, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_man_matches_help),
		cmocka_unit_test(test_install_version),
		cmocka_unit_test(test_install_destdir),
	};

	return cmocka_run_group_tests_name("install", tests, NULL, NULL);
}
