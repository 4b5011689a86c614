// SPDX-License-Identifier: GPL-2.0-only
/*
 * Security and robustness (README, "Security"): under sudo, ksee writes
 * and reads files with the invoking user's rights only; in capability
 * mode SUDO_UID/SUDO_GID are ignored; the traced program inherits no
 * descriptor of ksee's; a bad output is refused before the command runs;
 * each output is written on its own. The privilege tests run a real
 * unprivileged user, made for the test and removed after it: sudo is
 * simulated by SUDO_UID/SUDO_GID/SUDO_USER in the environment of ksee run
 * as root (what sudo does), capabilities by a copy of ksee with
 * CAP_BPF+CAP_PERFMON run as the user.
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static char user[32];
static uid_t uid;
static gid_t gid;
static char env_uid[32], env_gid[32], env_user[64];
static const char *sudo_env[] = { env_uid, env_gid, env_user, NULL };
static char mounted[PATH_MAX];

static void sh(const char *fmt, ...)
{
	char cmd[2 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd))
		fail_msg("command failed: %s", cmd);
}

/* A fresh unprivileged user with its own group, and the sudo environment naming it. */
static void make_user(void)
{
	struct passwd *pw;

	harness_require_root();
	snprintf(user, sizeof(user), "ksee-t%d", (int)getpid());
	sh("useradd -M -U -s /usr/sbin/nologin -d /nonexistent %s", user);
	pw = getpwnam(user);
	if (!pw)
		fail_msg("useradd made no user %s", user);
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	snprintf(env_uid, sizeof(env_uid), "SUDO_UID=%u", (unsigned int)uid);
	snprintf(env_gid, sizeof(env_gid), "SUDO_GID=%u", (unsigned int)gid);
	snprintf(env_user, sizeof(env_user), "SUDO_USER=%s", user);
}

static int teardown(void **state)
{
	char cmd[128];

	if (mounted[0]) {
		umount2(mounted, MNT_DETACH);
		mounted[0] = '\0';
	}
	if (user[0]) {
		snprintf(cmd, sizeof(cmd), "userdel %s 2>/dev/null", user);
		if (system(cmd))
			fprintf(stderr, "# userdel %s failed\n", user);
		user[0] = '\0';
	}
	return harness_teardown(state);
}

static void expect_refused(struct harness_proc *p, const char *what, const char *msg)
{
	harness_wait(p, HARNESS_TIMEOUT_S);
	if (p->status != 1 || !strstr(p->err, msg))
		fail_msg("%s: exit status %d (want 1), stderr does not say '%s':\n%s", what,
			 p->status, msg, p->err);
	if (strstr(p->err, "ksee: tracing"))
		fail_msg("%s: started tracing before refusing:\n%s", what, p->err);
	harness_proc_free(p);
}

static void expect_owner(const char *path, uid_t want)
{
	struct stat st;

	if (stat(path, &st))
		fail_msg("%s missing: %s", path, strerror(errno));
	if (st.st_uid != want)
		fail_msg("%s belongs to uid %u, not %u", path, st.st_uid, want);
}

/*
 * Issue 12, item 1: under sudo, -o, --record and report -o create nothing
 * where the user could not: a root directory, one reached through a
 * directory symlink the user planted, a device only root may open, a
 * root file in a sticky directory. What the user may write, the user owns.
 */
static void test_security_sudo_outputs(void **state)
{
	char rootdir[PATH_MAX], link[PATH_MAX], dev[PATH_MAX], sticky[PATH_MAX], rf[PATH_MAX];
	char rec[PATH_MAX], ok[PATH_MAX], okrec[PATH_MAX], target[PATH_MAX], what[PATH_MAX + 64];
	const char *dir, *targets[4];
	struct harness_proc p;
	struct stat st;
	size_t i, k;

	make_user();
	dir = harness_tmpdir();
	snprintf(rootdir, sizeof(rootdir), "%s/root", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(dev, sizeof(dev), "%s/null", dir);
	snprintf(sticky, sizeof(sticky), "%s/sticky", dir);
	snprintf(rf, sizeof(rf), "%s/sticky/rootfile", dir);
	snprintf(rec, sizeof(rec), "%s/in.ksee", dir);
	if (mkdir(rootdir, 0755) || mkdir(sticky, 01777) || chmod(sticky, 01777) ||
	    mknod(dev, S_IFCHR | 0600, makedev(1, 3)) || symlink(rootdir, link))
		fail_msg("cannot set up %s: %s", dir, strerror(errno));
	/* the user's own symlink: a directory link planted by the user */
	if (lchown(link, uid, gid))
		fail_msg("lchown %s: %s", link, strerror(errno));
	sh("echo root > %s && chmod 0600 %s", rf, rf);
	{
		const char *args[] = { "run", "--record", rec, "--", "/bin/true", NULL };

		harness_expect_eq("recording as root", harness_run(&p, NULL, 0, args), 0);
		harness_proc_free(&p);
	}

	snprintf(target, sizeof(target), "%s/root/x", dir);
	targets[0] = target;
	snprintf(what, sizeof(what), "%s/link/x", dir);
	targets[1] = strdup(what);
	targets[2] = dev;
	targets[3] = rf;
	for (i = 0; i < 4; i++) {
		for (k = 0; k < 3; k++) {
			const char *run_o[] = { "run", "-o", targets[i], "--", "/bin/true", NULL };
			const char *run_r[] = { "run", "--record", targets[i], "--", "/bin/true", NULL };
			const char *rep_o[] = { "report", rec, "-o", targets[i], NULL };
			const char *const *args = k == 0 ? run_o : k == 1 ? run_r : rep_o;

			snprintf(what, sizeof(what), "sudo ksee %s %s %s", args[0], args[1], targets[i]);
			harness_spawn(&p, sudo_env, 0, args);
			expect_refused(&p, what, i == 3 ? "cannot replace" : "Permission denied");
		}
	}
	free((char *)targets[1]);
	if (access(target, F_OK) == 0)
		fail_msg("%s was created", target);
	if (stat(dev, &st) || !S_ISCHR(st.st_mode))
		fail_msg("%s is no longer the device", dev);
	if (stat(rf, &st) || st.st_uid != 0 || st.st_size != 5)
		fail_msg("%s was replaced", rf);

	/* Where the user may write, the files are created and belong to the user. */
	snprintf(ok, sizeof(ok), "%s/ok.json", dir);
	snprintf(okrec, sizeof(okrec), "%s/ok.ksee", dir);
	{
		const char *args[] = { "run", "-o", ok, "--record", okrec, "--", "/bin/true", NULL };

		harness_expect_eq("sudo ksee run -o ok", harness_run(&p, sudo_env, 0, args), 0);
		harness_proc_free(&p);
	}
	expect_owner(ok, uid);
	expect_owner(okrec, uid);
}

/* Issue 12, item 2: under sudo, report reads no recording the user cannot read. */
static void test_security_sudo_input(void **state)
{
	char priv[PATH_MAX], rec[PATH_MAX];
	const char *args[] = { "report", rec, NULL };
	struct harness_proc p;
	const char *dir;

	make_user();
	dir = harness_tmpdir();
	snprintf(priv, sizeof(priv), "%s/priv", dir);
	snprintf(rec, sizeof(rec), "%s/priv/r.ksee", dir);
	if (mkdir(priv, 0700))
		fail_msg("mkdir %s: %s", priv, strerror(errno));
	{
		const char *mk[] = { "run", "--record", rec, "--", "/bin/true", NULL };

		harness_expect_eq("recording as root", harness_run(&p, NULL, 0, mk), 0);
		harness_proc_free(&p);
	}
	if (chmod(rec, 0600))
		fail_msg("chmod %s: %s", rec, strerror(errno));
	harness_spawn(&p, sudo_env, 0, args);
	expect_refused(&p, "sudo ksee report of a root-only recording", "Permission denied");
	/* root itself still reads it */
	harness_expect_eq("ksee report as root", harness_run(&p, NULL, 0, args), 0);
	if (!strstr(p.out, "/bin/true"))
		fail_msg("the report as root does not name the command:\n%s", p.out);
	harness_proc_free(&p);
}

/*
 * Issue 12, item 11: a ksee with CAP_BPF+CAP_PERFMON run by the user ignores
 * SUDO_UID/SUDO_GID (it is not root: they are the user's own to set).
 */
static void test_security_capabilities(void **state)
{
	char bin[PATH_MAX], out[PATH_MAX], ids[PATH_MAX], suid[32], sgid[32];
	const char *dir;
	struct harness_proc p;
	int v;

	make_user();
	dir = harness_tmpdir();
	snprintf(bin, sizeof(bin), "%s/ksee", dir);
	snprintf(out, sizeof(out), "%s/cap.json", dir);
	snprintf(ids, sizeof(ids), "%s/ids", dir);
	sh("cp '%s' '%s' && chmod 0755 '%s' && setcap cap_bpf,cap_perfmon+ep '%s'",
	   getenv("KSEE"), bin, bin, bin);
	snprintf(suid, sizeof(suid), "%u", (unsigned int)uid);
	snprintf(sgid, sizeof(sgid), "%u", (unsigned int)gid);
	for (v = 0; v < 2; v++) {
		/* root's ids, then another user's: neither may count */
		const char *env[] = { v ? "SUDO_UID=65534" : "SUDO_UID=0",
				      v ? "SUDO_GID=65534" : "SUDO_GID=0", "SUDO_USER=root", NULL };
		const char *argv[] = { "/usr/bin/setpriv", "--reuid", suid, "--regid", sgid,
				       "--init-groups", bin, "run", "-j", "-o", out, "--",
				       harness_prog("whoami"), ids, NULL };
		char line[256] = "", want[64];
		FILE *f;

		unlink(out);
		unlink(ids);
		harness_spawn_cmd(&p, env, argv);
		harness_wait(&p, HARNESS_TIMEOUT_S);
		if (p.status != 0)
			fail_msg("ksee with capabilities and %s: exit status %d, stderr:\n%s", env[0],
				 p.status, p.err);
		harness_proc_free(&p);
		expect_owner(out, uid);
		f = fopen(ids, "r");
		if (!f || !fgets(line, sizeof(line), f))
			fail_msg("the traced program wrote no %s", ids);
		fclose(f);
		snprintf(want, sizeof(want), "uid=%u euid=%u ", (unsigned int)uid,
			 (unsigned int)uid);
		if (strncmp(line, want, strlen(want)))
			fail_msg("the traced program ran as %s, not as the user (%s)", line, want);
	}
}

/*
 * Issue 12, item 3: the traced program inherits only its standard streams,
 * whatever ksee opened (-o, --record, the --timeline spool, -i, --syscalls).
 */
static void test_security_no_inherited_fds(void **state)
{
	char rec[PATH_MAX];
	const char *args[] = { "run", "--timeline", "--record", rec, "-i", "1", "--syscalls",
			       "--", harness_prog("fdlist"), NULL };
	const char *alone[] = { harness_prog("fdlist"), NULL };
	struct harness_proc p;
	int base;

	harness_require_root();
	snprintf(rec, sizeof(rec), "%s/fd.ksee", harness_tmpdir());
	/* what the test itself was started with, if anything, passes on to both */
	harness_spawn_cmd(&p, NULL, alone);
	base = harness_wait(&p, HARNESS_TIMEOUT_S);
	harness_proc_free(&p);
	/* -j -o FILE added: the report file is open too */
	harness_spawn(&p, NULL, 1, args);
	harness_wait(&p, HARNESS_TIMEOUT_S);
	if (p.status != base || strstr(p.out, "anon_inode") || strstr(p.out, "(deleted)") ||
	    strstr(p.out, "/tmp/#") || strstr(p.out, "ksee"))
		fail_msg("the traced program inherited %d descriptors, %d without ksee:\n%s",
			 p.status, base, p.out);
	harness_proc_free(&p);
}

/*
 * Issue 12, items 7 and 9: an output that cannot be written is refused
 * before the command runs (a name over 255 bytes, a FIFO without a
 * reader, which used to block in open()), -o and --record of one file
 * are refused, and a recording that fails (a full disk) keeps the report.
 */
static void test_security_outputs_checked_first(void **state)
{
	char mark[PATH_MAX], longname[PATH_MAX], fifo[PATH_MAX], same[PATH_MAX], other[PATH_MAX];
	const char *dir;
	struct harness_proc p;
	size_t n;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(mark, sizeof(mark), "%s/ran", dir);
	n = (size_t)snprintf(longname, sizeof(longname), "%s/", dir);
	memset(longname + n, 'n', 300);
	strcpy(longname + n + 300, ".json");
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	if (mkfifo(fifo, 0644))
		fail_msg("mkfifo: %s", strerror(errno));
	{
		const char *args[] = { "run", "-o", longname, "--", "/usr/bin/touch", mark, NULL };

		harness_spawn(&p, NULL, 0, args);
		expect_refused(&p, "a 305-byte file name", "too long");
		if (access(mark, F_OK) == 0)
			fail_msg("the command ran although its output name was too long");
	}
	{
		const char *args[] = { "run", "--record", fifo, "--", "/usr/bin/touch", mark, NULL };

		harness_spawn(&p, NULL, 0, args);
		expect_refused(&p, "a FIFO without a reader", "no reader");
		if (access(mark, F_OK) == 0)
			fail_msg("the command ran although its FIFO had no reader");
	}
	snprintf(same, sizeof(same), "%s/same", dir);
	snprintf(other, sizeof(other), "%s/../%s/same", dir, strrchr(dir, '/') + 1);
	{
		const char *args[] = { "run", "-o", same, "--record", other, "--", "/bin/true", NULL };

		harness_expect_eq("-o X --record X", harness_run(&p, NULL, 0, args), 64);
		if (!strstr(p.err, "name the same file"))
			fail_msg("-o X --record X: no reason given:\n%s", p.err);
		harness_proc_free(&p);
	}
}

static void test_security_full_disk(void **state)
{
	char full[PATH_MAX], rec[PATH_MAX], report[PATH_MAX];
	const char *dir;
	struct harness_proc p;
	struct stat st;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(full, sizeof(full), "%s/full", dir);
	snprintf(rec, sizeof(rec), "%s/full/r.ksee", dir);
	snprintf(report, sizeof(report), "%s/report.txt", dir);
	if (mkdir(full, 0755) || mount("tmpfs", full, "tmpfs", 0, "size=256k"))
		fail_msg("cannot mount a small tmpfs on %s: %s", full, strerror(errno));
	snprintf(mounted, sizeof(mounted), "%s", full);
	/* fill it: dd stops at ENOSPC */
	sh("dd if=/dev/zero of=%s/fill bs=4k >/dev/null 2>&1 || true", full);
	{
		const char *args[] = { "run", "-o", report, "--record", rec, "--timeline", "--",
				       harness_prog("pipe_wakeups"), NULL };

		harness_expect_eq("status with a full disk for --record",
				  harness_run(&p, NULL, 0, args), 1);
	}
	if (!strstr(p.err, "No space left on device"))
		fail_msg("the recording's failure does not say 'No space left on device':\n%s",
			 p.err);
	if (stat(report, &st) || st.st_size < 100)
		fail_msg("the -o report was lost with the recording");
	if (access(rec, F_OK) == 0)
		fail_msg("a half-written recording %s was left", rec);
	harness_proc_free(&p);
}

/*
 * Issue 12, item 12: messages name the option (not its value), cut what
 * they quote, and count a process named through one of its threads once.
 */
static void test_security_messages(void **state)
{
	const char *models[] = { "run", "--models", "epoll", "--", "/bin/true", NULL };
	const char *idler[] = { harness_prog("idler"), "10", "100", NULL };
	char *huge, list[64], path[64];
	struct harness_proc p;
	pid_t pid, tid = 0;
	int i;

	harness_require_root();
	harness_expect_eq("status of run --models", harness_run(&p, NULL, 0, models), 64);
	if (!strstr(p.err, "unknown option '--models'"))
		fail_msg("run --models epoll does not name the option:\n%s", p.err);
	harness_proc_free(&p);

	huge = malloc(100001);
	memset(huge, 'c', 100000);
	huge[100000] = '\0';
	{
		const char *args[] = { huge, NULL };

		harness_expect_eq("status of a 100 KB command", harness_run(&p, NULL, 0, args), 64);
	}
	if (p.err_len > 300 || !strstr(p.err, "unknown command 'cccc"))
		fail_msg("a 100 KB unknown command gives %zu bytes of message", p.err_len);
	harness_proc_free(&p);
	free(huge);

	pid = harness_start(idler);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	for (i = 0; i < 100 && !tid; i++) {
		DIR *d = opendir(path);
		struct dirent *de;

		harness_msleep(20);
		while (d && (de = readdir(d)))
			if (atoi(de->d_name) > 0 && atoi(de->d_name) != pid)
				tid = atoi(de->d_name);
		if (d)
			closedir(d);
	}
	if (!tid)
		fail_msg("idler made no second thread within 2 s");
	snprintf(list, sizeof(list), "%d,%d", (int)tid, (int)pid);
	{
		const char *args[] = { "attach", "-p", list, "-d", "0.3", NULL };

		harness_expect_eq("status of attach -p TID,TGID", harness_run(&p, NULL, 0, args),
				  0);
	}
	if (!strstr(p.err, "tracing 1 process "))
		fail_msg("attach -p TID,TGID does not trace 1 process:\n%s", p.err);
	harness_proc_free(&p);
}

/* The state letter of @pid from /proc/PID/stat, or 0 if it is gone. */
static char state_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p ? p[2] : 0;
}

/* The child of a zombie test program started with @arg, once it is in state @want. */
static pid_t zombie_child(const char *arg, char want)
{
	const char *argv[] = { harness_prog("zombie"), arg, NULL };
	pid_t parent = harness_start(argv), child = -1;
	int i;

	for (i = 0; i < 250; i++, harness_msleep(20)) {
		child = harness_child_of(parent);
		if (child > 0 && state_of(child) == want)
			return child;
	}
	fail_msg("zombie %s made no child in state %c", arg, want);
	return -1;
}

/*
 * Issue 12, item 5: a zombie is not traced and does not keep attach alive;
 * a target that becomes one ends the trace, reported as exited.
 */
static void test_security_zombie(void **state)
{
	char pid[16];
	const char *args[] = { "attach", "-p", pid, "-d", "20", NULL };
	const char *until_end[] = { "attach", "-p", pid, NULL };
	struct harness_proc p;
	json_object *r;
	pid_t child;

	harness_require_root();
	child = zombie_child("now", 'Z');
	snprintf(pid, sizeof(pid), "%d", (int)child);
	harness_spawn(&p, NULL, 0, args);
	harness_wait(&p, 10);
	if (p.status != 1 || !strstr(p.err, "zombie"))
		fail_msg("attach to zombie %d: status %d (want 1), stderr:\n%s", (int)child,
			 p.status, p.err);
	harness_proc_free(&p);

	/* alive (asleep) when attached, killed once traced: the trace ends there */
	child = zombie_child("wait", 'S');
	snprintf(pid, sizeof(pid), "%d", (int)child);
	harness_spawn(&p, NULL, 1, until_end);
	harness_wait_stderr(&p, "ksee: tracing", HARNESS_TIMEOUT_S);
	kill(child, SIGTERM);
	harness_expect_eq("status of attach to a process that becomes a zombie",
			  harness_wait(&p, HARNESS_TIMEOUT_S), 0);
	if (state_of(child) != 'Z')
		fail_msg("%d is not a zombie after SIGTERM (state %c)", (int)child,
			 state_of(child));
	r = harness_json(&p);
	if (json_object_get_boolean(harness_get(harness_process(r, child), "alive")))
		fail_msg("the zombie %d is reported alive", (int)child);
	harness_proc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_security_sudo_outputs, teardown),
		cmocka_unit_test_teardown(test_security_sudo_input, teardown),
		cmocka_unit_test_teardown(test_security_capabilities, teardown),
		cmocka_unit_test_teardown(test_security_no_inherited_fds, teardown),
		cmocka_unit_test_teardown(test_security_outputs_checked_first, teardown),
		cmocka_unit_test_teardown(test_security_full_disk, teardown),
		cmocka_unit_test_teardown(test_security_messages, teardown),
		cmocka_unit_test_teardown(test_security_zombie, teardown),
	};

	/* under `sudo make test`: "as root" must mean root, not the user who ran sudo */
	unsetenv("SUDO_UID");
	unsetenv("SUDO_GID");
	unsetenv("SUDO_USER");
	return cmocka_run_group_tests_name("integration_security", tests, NULL, NULL);
}
