// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare --runtimes: where each real runtime's program is, and what runs
 * it. A runtime that cannot be found (its interpreter not on PATH, its
 * program not built) is "not run" with the reason, never an error of the
 * comparison.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/commands.h"
#include "trace/target.h"

struct rt_prog {
	const char *file;	/* in a runtimes directory */
	const char *interp[2];	/* the interpreter, the first found on PATH; NULL: a binary */
	const char *package;	/* the Debian package of the interpreter, for the reason */
	bool built;		/* made by 'make runtimes' (else a script of examples/runtimes) */
};

static const struct rt_prog progs[CMP_NMODELS - CMP_NDEMOS] = {
	[CMP_PY_ASYNCIO - CMP_NDEMOS] = { "py_asyncio.py", { "python3" }, "python3" },
	[CMP_PY_ASYNCIO_BLOCKING - CMP_NDEMOS] = { "py_asyncio_blocking.py", { "python3" },
						   "python3" },
	[CMP_PY_THREADS - CMP_NDEMOS] = { "py_threads.py", { "python3" }, "python3" },
	[CMP_PY_PROCS - CMP_NDEMOS] = { "py_procs.py", { "python3" }, "python3" },
	[CMP_CS_ASYNC - CMP_NDEMOS] = { "cs_async.exe", { "mono" }, "mono-runtime", true },
	[CMP_GO - CMP_NDEMOS] = { "goroutines", { NULL }, "golang-go", true },
	[CMP_NODE - CMP_NDEMOS] = { "node_async.js", { "node", "nodejs" }, "nodejs" },
};

/*
 * The directories searched, in order: $KSEE_RUNTIMES alone if set; else,
 * beside the ksee binary, runtimes/ (built programs in the build tree),
 * ../examples/runtimes (the scripts of the source tree), and
 * ../share/ksee/runtimes (an installed ksee). Returns how many.
 */
static int runtime_dirs(char dirs[][PATH_MAX], int max)
{
	static const char *const beside[] = { "runtimes", "../examples/runtimes",
					      "../share/ksee/runtimes" };
	const char *env = getenv("KSEE_RUNTIMES");
	char self[PATH_MAX], *bindir;
	ssize_t n;
	int i;

	if (env && *env) {
		snprintf(dirs[0], PATH_MAX, "%s", env);
		return 1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 0;
	self[n] = 0;
	bindir = dirname(self);
	for (i = 0; i < max && i < (int)(sizeof(beside) / sizeof(beside[0])); i++)
		snprintf(dirs[i], PATH_MAX, "%.3000s/%s", bindir, beside[i]);
	return i;
}

static bool regular_file(const char *path, int mode)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, mode) == 0;
}

/* A program file, not a script: it starts with the ELF magic. */
static bool is_elf(const char *path)
{
	char head[4];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	bool elf;

	if (fd < 0)
		return false;
	elf = read(fd, head, sizeof(head)) == sizeof(head) && !memcmp(head, "\177ELF", 4);
	close(fd);
	return elf;
}

/*
 * @cmd on PATH, as target_resolve(), but the first that is a program: a
 * wrapper script before it (pyenv's shims) would run the shell and the
 * wrapper's own helpers under the trace, which the kernel would show as
 * the runtime's processes. The first found if none is a program.
 */
static int interp_resolve(const char *cmd, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;
	char first[PATH_MAX] = "";
	size_t n;

	if (strchr(cmd, '/'))
		return target_resolve(cmd, buf, len);
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		n = end - p;
		if (snprintf(buf, len, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd) >= (int)len ||
		    access(buf, X_OK))
			continue;
		if (is_elf(buf))
			return 0;
		if (!first[0])
			snprintf(first, sizeof(first), "%s", buf);
	}
	if (!first[0])
		return -ENOENT;
	snprintf(buf, len, "%s", first);
	return 0;
}

int runtime_find(enum cmp_model m, char *interp, size_t ilen, char *prog, size_t plen,
		 char *why, size_t wlen)
{
	const struct rt_prog *p;
	char dirs[3][PATH_MAX];
	int n, i;

	if (!cmp_model_is_runtime(m))
		return -EINVAL;
	p = &progs[m - CMP_NDEMOS];
	interp[0] = '\0';
	for (i = 0; i < 2 && p->interp[i] && !interp[0]; i++)
		if (interp_resolve(p->interp[i], interp, ilen))
			interp[0] = '\0';
	if (p->interp[0] && !interp[0]) {
		snprintf(why, wlen, "%s not found on PATH (Debian package %s: sudo make "
			 "deps-runtimes)", p->interp[0], p->package);
		return -ENOENT;
	}
	n = runtime_dirs(dirs, 3);
	for (i = 0; i < n; i++) {
		if (snprintf(prog, plen, "%s/%s", dirs[i], p->file) >= (int)plen)
			continue;
		if (regular_file(prog, p->interp[0] ? R_OK : X_OK))
			return 0;
	}
	if (getenv("KSEE_RUNTIMES") && *getenv("KSEE_RUNTIMES"))
		snprintf(why, wlen, "no %s in $KSEE_RUNTIMES (%.60s)", p->file,
			 getenv("KSEE_RUNTIMES"));
	else if (p->built)
		snprintf(why, wlen, "%s not built (needs %s: sudo make deps-runtimes runtimes)",
			 p->file, p->package);
	else
		snprintf(why, wlen, "%s not found beside ksee (examples/runtimes, or "
			 "share/ksee/runtimes)", p->file);
	return -ENOENT;
}
