// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model/events.h"

#define CHUNK 4096	/* events per read: 128 KiB */
#define KS_PID_MAX 4194304	/* the kernel's PID_MAX_LIMIT: no task id is larger */

/*
 * tmpfile() would do, but its descriptor is not close-on-exec: a traced
 * program would inherit it and could write its own timeline.
 */
static FILE *spool_file(void)
{
	const char *dir = getenv("TMPDIR");
	char name[4096];
	FILE *f;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(name, sizeof(name), "%s/.ksee-spool-XXXXXX", dir);
		fd = mkostemp(name, O_CLOEXEC);
		if (fd < 0)
			return NULL;
		unlink(name);
	}
	f = fdopen(fd, "w+");
	if (!f)
		close(fd);
	return f;
}

int ks_events_spool(struct ks_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->f = spool_file();
	if (!ev->f)
		return -errno;
	ev->owned = true;
	return 0;
}

bool ks_event_valid(const struct ksee_event *e)
{
	return e->type >= KSEE_EV_RUN && e->type <= KSEE_EV_EXIT && e->tid <= KS_PID_MAX &&
	       e->tgid <= KS_PID_MAX;
}

int ks_events_append(struct ks_events *ev, const struct ksee_event *e, size_t n)
{
	if (fwrite(e, sizeof(*e), n, ev->f) != n)
		return -EIO;
	ev->count += n;
	return 0;
}

int ks_events_foreach(const struct ks_events *ev, ks_event_cb cb, void *ctx)
{
	static struct ksee_event buf[CHUNK];
	__u64 left = ev->count;
	size_t i, n, want;
	int ret;

	if (!ev->count)
		return 0;
	if (fflush(ev->f) || fseeko(ev->f, (off_t)ev->offset, SEEK_SET))
		return -errno;
	while (left) {
		want = left < CHUNK ? left : CHUNK;
		n = fread(buf, sizeof(buf[0]), want, ev->f);
		for (i = 0; i < n; i++) {
			if (!ks_event_valid(&buf[i]))
				continue;
			ret = cb(&buf[i], ctx);
			if (ret)
				return ret;
		}
		if (n < want)
			return ferror(ev->f) ? -EIO : -EPROTO;
		left -= n;
	}
	return fseeko(ev->f, 0, SEEK_END) ? -errno : 0;
}

void ks_events_close(struct ks_events *ev)
{
	if (ev->owned && ev->f)
		fclose(ev->f);
	memset(ev, 0, sizeof(*ev));
}

const char *ks_event_type_name(unsigned int type)
{
	switch (type) {
	case KSEE_EV_RUN: return "run";
	case KSEE_EV_PREEMPT: return "preempt";
	case KSEE_EV_BLOCK: return "block";
	case KSEE_EV_WAKE: return "wake";
	case KSEE_EV_NEW: return "new";
	case KSEE_EV_EXIT: return "exit";
	}
	return "?";
}
