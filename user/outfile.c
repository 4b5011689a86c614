#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "outfile.h"
#include "target.h"

int outfile_open(struct outfile *of, const char *path, char *err, size_t errlen)
{
	char *d = strdup(path), *b = strdup(path);
	struct stat st;
	uid_t uid;
	gid_t gid;
	int fd = -1, ret = 0, serr;

	memset(of, 0, sizeof(*of));
	if (!d || !b) {
		ret = -ENOMEM;
		goto out;
	}
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cannot write %s: it is a directory", path);
		ret = -EISDIR;
		goto out;
	}
	of->path = strdup(path);
	if (!of->path || asprintf(&of->tmp, "%s/.%s.ksee-XXXXXX", dirname(d), basename(b)) < 0) {
		of->tmp = NULL;
		ret = -ENOMEM;
		goto out;
	}
	fd = mkostemp(of->tmp, O_CLOEXEC);	/* O_EXCL: never through a symlink */
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		free(of->tmp);
		of->tmp = NULL;
		goto out;
	}
	if (fchmod(fd, 0644) ||
	    (target_sudo_user(&uid, &gid, &serr) && fchown(fd, uid, gid))) {
		ret = -errno;
		snprintf(err, errlen, "cannot set the owner of %s: %s", of->tmp, strerror(-ret));
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

int outfile_commit(struct outfile *of, char *err, size_t errlen)
{
	int ret = 0;

	if (fflush(of->f) || ferror(of->f) || fsync(fileno(of->f))) {
		ret = -errno ? -errno : -EIO;
		snprintf(err, errlen, "cannot write %s: %s", of->path, strerror(-ret));
		outfile_abort(of);
		return ret;
	}
	fclose(of->f);
	of->f = NULL;
	if (rename(of->tmp, of->path)) {
		ret = -errno;
		snprintf(err, errlen, "cannot write %s: %s", of->path, strerror(-ret));
		outfile_abort(of);
		return ret;
	}
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
	return 0;
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
