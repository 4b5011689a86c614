// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include "trace/asuser.h"
#include "trace/outfile.h"

/* The temporary names keep this much of the destination's name, so they fit NAME_MAX. */
#define TMP_BASE_MAX 200

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
	n = asprintf(&of->tmp, "%s/.%.*s.ksee-XXXXXX", dir, TMP_BASE_MAX, base);
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

/* stdio over the descriptor, remembering why a write failed (ENOSPC, EDQUOT, EFBIG...). */
static ssize_t cookie_write(void *c, const char *buf, size_t size)
{
	struct outfile *of = c;
	size_t done = 0;
	ssize_t n;

	while (done < size) {
		n = write(of->fd, buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!of->werr)
				of->werr = n < 0 ? errno : ENOSPC;
			return done ? (ssize_t)done : 0;
		}
		done += n;
	}
	return done;
}

static int cookie_close(void *c)
{
	struct outfile *of = c;
	int ret = close(of->fd);

	of->fd = -1;
	return ret;
}

/*
 * A regular file at the destination that the user may not replace: in a
 * sticky directory (/tmp), only its owner or the directory's may.
 */
static int check_replace(const char *path, const struct stat *st)
{
	uid_t me = setfsuid(-1);	/* the user's, in force now; -1 only reads it */
	char *d = strdup(path);
	struct stat ds;
	int ret = 0;

	if (!d)
		return -ENOMEM;

	if (stat(dirname(d), &ds) == 0 && (ds.st_mode & S_ISVTX) && me != 0 &&
	    st->st_uid != me && ds.st_uid != me)
		ret = -EPERM;
	free(d);
	return ret;
}

static int open_checked(struct outfile *of, const char *path, char *err, size_t errlen)
{
	char *d = strdup(path), *b = strdup(path);
	const char *base;
	struct stat st;
	int fd = -1, ret = 0, flags;

	if (!d || !b) {
		ret = -ENOMEM;
		goto out;
	}
	base = basename(b);
	if (strlen(path) >= PATH_MAX || strlen(base) > NAME_MAX) {
		snprintf(err, errlen, "cannot write %.100s...: the %s is too long (%zu bytes, at "
			 "most %d)", path, strlen(path) >= PATH_MAX ? "path" : "file name",
			 strlen(path) >= PATH_MAX ? strlen(path) : strlen(base),
			 strlen(path) >= PATH_MAX ? PATH_MAX - 1 : NAME_MAX);
		ret = -ENAMETOOLONG;
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
			/*
			 * /dev/null, a FIFO: nothing to replace, nothing half-written to
			 * hide. Non-blocking, so that a FIFO without a reader is an error
			 * now rather than a silent wait.
			 */
			fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
			if (fd < 0 && errno == ENXIO) {
				snprintf(err, errlen, "cannot write %s: it is a FIFO with no reader "
					 "(start the reader first)", path);
				ret = -ENXIO;
				goto out;
			}
			if (fd >= 0 && ((flags = fcntl(fd, F_GETFL)) < 0 ||
					fcntl(fd, F_SETFL, flags & ~O_NONBLOCK))) {
				close(fd);
				fd = -1;
			}
			of->direct = true;
			goto opened;
		}
		ret = check_replace(path, &st);
		if (ret) {
			snprintf(err, errlen, "cannot replace %s: it belongs to another user in a "
				 "sticky directory", path);
			goto out;
		}
	}
	fd = open_tmp(of, dirname(d), base);
opened:
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		goto out;
	}
	if (!of->direct && fchmod(fd, 0644)) {
		ret = -errno;
		snprintf(err, errlen, "cannot set the mode of %s: %s", path, strerror(-ret));
		goto out;
	}
	of->fd = fd;
	of->f = fopencookie(of, "w", (cookie_io_functions_t){
		.write = cookie_write, .close = cookie_close });
	if (!of->f) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		goto out;
	}
	fd = -1;
out:
	if (fd >= 0 && !of->f) {
		close(fd);
		of->fd = -1;
	}
	free(d);
	free(b);
	return ret;
}

int outfile_open(struct outfile *of, const char *path, char *err, size_t errlen)
{
	int ret;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->path = strdup(path);
	if (!of->path) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	ret = asuser_enter();
	if (ret) {
		snprintf(err, errlen, "cannot take the invoking user's identity to write %s: %s",
			 path, strerror(-ret));
		outfile_abort(of);
		return ret;
	}
	ret = open_checked(of, path, err, errlen);
	asuser_leave();
	if (ret)
		outfile_abort(of);
	return ret;
}

/* Give the nameless file a hidden name beside the destination. */
static int name_tmp(struct outfile *of)
{
	char proc[64], *d = strdup(of->path), *b = strdup(of->path);
	int tries, ret = -EEXIST;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", of->fd);
	srand(time(NULL) ^ getpid());
	for (tries = 0; d && b && tries < 100 && ret == -EEXIST; tries++) {
		free(of->tmp);
		if (asprintf(&of->tmp, "%s/.%.*s.ksee-%08x", dirname(d), TMP_BASE_MAX, basename(b),
			     rand()) < 0) {
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

static int commit(struct outfile *of)
{
	if (fflush(of->f) || ferror(of->f))
		return outfile_error(of, -EIO);
	if (of->direct)
		return 0;
	if (fsync(of->fd))
		return -errno;
	if (!of->tmp) {
		int ret = name_tmp(of);

		if (ret)
			return ret;
	}
	/* rename() replaces a symlink planted at the destination, never follows it */
	return rename(of->tmp, of->path) ? -errno : 0;
}

int outfile_commit(struct outfile *of, char *err, size_t errlen)
{
	int ret = asuser_enter();

	if (!ret) {
		ret = commit(of);
		asuser_leave();
	}
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", of->path, strerror(-ret));
		outfile_abort(of);
		return ret;
	}
	fclose(of->f);
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
	of->fd = -1;
	return 0;
}

void outfile_abort(struct outfile *of)
{
	if (of->f)
		fclose(of->f);
	else if (of->fd >= 0)
		close(of->fd);
	if (of->tmp && asuser_enter() == 0) {
		unlink(of->tmp);
		asuser_leave();
	}
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
	of->fd = -1;
}

int outfile_error(const struct outfile *of, int ret)
{
	return of->werr ? -of->werr : ret;
}

bool outfile_same(const char *a, const char *b)
{
	char *da = strdup(a), *db = strdup(b), *ba = strdup(a), *bb = strdup(b);
	struct stat sa, sb;
	bool same = false;

	if (da && db && ba && bb && !strcmp(basename(ba), basename(bb)))
		same = !strcmp(a, b) || (stat(dirname(da), &sa) == 0 && stat(dirname(db), &sb) == 0 &&
					 sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
	free(da);
	free(db);
	free(ba);
	free(bb);
	return same;
}
