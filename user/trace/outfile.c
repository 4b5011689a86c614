// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "trace/outfile.h"
#include "trace/target.h"

/*
 * The file is made nameless (O_TMPFILE) in the destination's directory, so
 * a ksee killed at any moment leaves nothing behind; it gets a name only
 * when complete: a random hidden one, then renamed over the destination.
 * Where O_TMPFILE is not supported, the hidden name is used from the start.
 */
static int open_tmp(struct outfile *of, const char *dir, const char *base)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644), n;

	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
	n = asprintf(&of->tmp, "%s/.%s.ksee-XXXXXX", dir, base);
	if (n < 0) {
		of->tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(of->tmp, O_CLOEXEC);	/* O_EXCL: never through a symlink */
	if (fd < 0) {
		free(of->tmp);
		of->tmp = NULL;
	}
	return fd;
}

int outfile_open(struct outfile *of, const char *path, char *err, size_t errlen)
{
	char *d = strdup(path), *b = strdup(path);
	struct stat st;
	uid_t uid;
	gid_t gid;
	int fd = -1, ret = 0, serr;

	memset(of, 0, sizeof(*of));
	of->path = strdup(path);
	if (!d || !b || !of->path) {
		ret = -ENOMEM;
		goto out;
	}
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			snprintf(err, errlen, "refusing to write %s: it is a symbolic link (ksee never "
				 "follows or replaces one; give the real path)", path);
			ret = -ELOOP;
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot write %s: it is a directory", path);
			ret = -EISDIR;
			goto out;
		}
		if (!S_ISREG(st.st_mode)) {
			/* /dev/null, a FIFO: nothing to replace, nothing half-written to hide */
			fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
			of->direct = true;
			goto opened;
		}
	}
	fd = open_tmp(of, dirname(d), basename(b));
opened:
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		goto out;
	}
	if (!of->direct && (fchmod(fd, 0644) ||
			    (target_sudo_user(&uid, &gid, &serr) && fchown(fd, uid, gid)))) {
		ret = -errno;
		snprintf(err, errlen, "cannot set the owner of %s: %s", path, strerror(-ret));
		goto out;
	}
	of->f = fdopen(fd, "w");
	if (!of->f) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		goto out;
	}
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	if (ret)
		outfile_abort(of);
	free(d);
	free(b);
	return ret;
}

/* Give the nameless file a hidden name beside the destination. */
static int name_tmp(struct outfile *of)
{
	char proc[64], *d = strdup(of->path), *b = strdup(of->path);
	int tries, ret = -EEXIST;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(of->f));
	srand(time(NULL) ^ getpid());
	for (tries = 0; d && b && tries < 100 && ret == -EEXIST; tries++) {
		free(of->tmp);
		if (asprintf(&of->tmp, "%s/.%s.ksee-%08x", dirname(d), basename(b), rand()) < 0) {
			of->tmp = NULL;
			ret = -ENOMEM;
			break;
		}
		ret = linkat(AT_FDCWD, proc, AT_FDCWD, of->tmp, AT_SYMLINK_FOLLOW) ? -errno : 0;
		free(d);
		free(b);
		d = strdup(of->path);
		b = strdup(of->path);
	}
	free(d);
	free(b);
	if (ret) {
		free(of->tmp);
		of->tmp = NULL;
	}
	return ret;
}

int outfile_commit(struct outfile *of, char *err, size_t errlen)
{
	int ret = 0;

	if (fflush(of->f) || ferror(of->f)) {
		ret = errno ? -errno : -EIO;
		goto fail;
	}
	if (of->direct) {
		fclose(of->f);
		free(of->path);
		memset(of, 0, sizeof(*of));
		return 0;
	}
	if (fsync(fileno(of->f))) {
		ret = -errno;
		goto fail;
	}
	if (!of->tmp) {
		ret = name_tmp(of);
		if (ret)
			goto fail;
	}
	/* rename() replaces a symlink planted at the destination, never follows it */
	if (rename(of->tmp, of->path)) {
		ret = -errno;
		goto fail;
	}
	fclose(of->f);
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
	return 0;
fail:
	snprintf(err, errlen, "cannot write %s: %s", of->path, strerror(-ret));
	outfile_abort(of);
	return ret;
}

void outfile_abort(struct outfile *of)
{
	if (of->f)
		fclose(of->f);
	if (of->tmp)
		unlink(of->tmp);
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
}
