// SPDX-License-Identifier: MIT
/*
 * ioserver: answers each request after the delay it asks for.  One thread,
 * epoll over non-blocking sockets, a min-heap of deadlines; epoll_pwait2()
 * sleeps until the earliest one (nanosecond timeout, 1 ns timer slack).
 * Protocol: lib/proto.h and demos/README.md.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/proto.h"
#include "lib/stats.h"
#include "lib/timerheap.h"

#define MAX_EVENTS	512
#define READ_CHUNK	65536

struct conn {
	uint32_t gen;		/* bumped at close: timers of an old connection are stale */
	bool open;
	bool dirty;		/* on the dirty list, has replies to flush */
	bool want_out;		/* EPOLLOUT is armed */
	size_t in_len;
	char in[IOSRV_MSG_SIZE];
	char *out;
	size_t out_len, out_cap;
};

struct server {
	int epfd, lfd, sfd;
	struct conn *conns;	/* indexed by fd */
	size_t nconns;
	int *dirty;
	size_t ndirty, dirty_cap;
	struct timerheap timers;
	char listen[ADDR_MAX];
	char dir[64];		/* private socket directory, "" if none */
};

static const char usage_text[] =
	"Usage: ioserver [--listen ADDR]\n"
	"Answers each request after the delay it asks for (one thread, epoll).\n"
	"\n"
	"  -l, --listen ADDR   unix:/path, or tcp:127.0.0.1:PORT (loopback only, PORT 0\n"
	"                      picks one); default: a Unix socket in a private temp dir\n"
	"  -h, --help          show this help\n"
	"\n"
	"Prints \"listening ADDR\" once it accepts connections; SIGTERM or SIGINT stop it.\n";

static struct conn *conn_get(struct server *s, int fd)
{
	if ((size_t)fd >= s->nconns) {
		size_t n = s->nconns ? s->nconns : 1024;
		struct conn *c;

		while (n <= (size_t)fd)
			n *= 2;
		c = realloc(s->conns, n * sizeof(*c));
		if (!c)
			return NULL;
		memset(c + s->nconns, 0, (n - s->nconns) * sizeof(*c));
		s->conns = c;
		s->nconns = n;
	}
	return &s->conns[fd];
}

static void conn_close(struct server *s, int fd)
{
	struct conn *c = &s->conns[fd];

	epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	c->open = false;
	c->gen++;
	c->in_len = c->out_len = 0;
	c->want_out = false;
}

static int conn_queue(struct server *s, int fd, uint64_t id, uint32_t status)
{
	struct conn *c = &s->conns[fd];
	struct iosrv_rep rep = { .id = id, .status = status, .magic = IOSRV_MAGIC };

	if (c->out_len + sizeof(rep) > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap * 2 : 256;
		char *out = realloc(c->out, cap);

		if (!out)
			return -ENOMEM;
		c->out = out;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, &rep, sizeof(rep));
	c->out_len += sizeof(rep);
	if (!c->dirty) {
		if (s->ndirty == s->dirty_cap) {
			size_t cap = s->dirty_cap ? s->dirty_cap * 2 : 256;
			int *d = realloc(s->dirty, cap * sizeof(*d));

			if (!d)
				return -ENOMEM;
			s->dirty = d;
			s->dirty_cap = cap;
		}
		s->dirty[s->ndirty++] = fd;
		c->dirty = true;
	}
	return 0;
}

static void conn_set_out(struct server *s, int fd, bool on)
{
	struct conn *c = &s->conns[fd];
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0), .data.fd = fd };

	if (c->want_out == on)
		return;
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, fd, &ev);
	c->want_out = on;
}

/* Write what is queued; a full socket keeps the rest and waits for EPOLLOUT. */
static void conn_flush(struct server *s, int fd)
{
	struct conn *c = &s->conns[fd];
	ssize_t n;

	if (!c->open || !c->out_len)
		return;
	n = send(fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			conn_set_out(s, fd, true);
		else
			conn_close(s, fd);
		return;
	}
	memmove(c->out, c->out + n, c->out_len - n);
	c->out_len -= n;
	conn_set_out(s, fd, c->out_len > 0);
}

static void flush_dirty(struct server *s)
{
	size_t i;

	for (i = 0; i < s->ndirty; i++) {
		s->conns[s->dirty[i]].dirty = false;
		conn_flush(s, s->dirty[i]);
	}
	s->ndirty = 0;
}

/* One whole request; -EPROTO means the connection must go. */
static int handle_req(struct server *s, int fd, const struct iosrv_req *req, uint64_t now)
{
	struct conn *c = &s->conns[fd];
	struct timer t;

	if (req->magic != IOSRV_MAGIC) {
		conn_queue(s, fd, req->id, IOSRV_EBADMAGIC);
		return -EPROTO;
	}
	if (req->delay_ms > IOSRV_MAX_DELAY_MS)
		return conn_queue(s, fd, req->id, IOSRV_EDELAY);
	t = (struct timer){
		.when_ns = now + req->delay_ms * 1000000ULL, .id = req->id, .gen = c->gen, .fd = fd,
	};
	return timerheap_push(&s->timers, &t);
}

static void conn_read(struct server *s, int fd)
{
	static char buf[READ_CHUNK];
	struct conn *c = &s->conns[fd];
	struct iosrv_req req;
	uint64_t now = now_ns();
	size_t off, take;
	ssize_t n;

	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(s, fd);
		return;
	}
	for (off = 0; off < (size_t)n; off += take) {
		take = sizeof(c->in) - c->in_len;
		if (take > (size_t)n - off)
			take = n - off;
		memcpy(c->in + c->in_len, buf + off, take);
		c->in_len += take;
		if (c->in_len < sizeof(c->in))
			break;
		c->in_len = 0;
		memcpy(&req, c->in, sizeof(req));
		if (handle_req(s, fd, &req, now)) {
			/* a bad request gets its error reply, then the connection goes */
			conn_flush(s, fd);
			if (c->open)
				conn_close(s, fd);
			return;
		}
	}
}

static void srv_accept(struct server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP };
		struct conn *c;

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				fprintf(stderr, "ioserver: cannot accept: %s\n", strerror(errno));
			return;
		}
		c = conn_get(s, fd);
		ev.data.fd = fd;
		if (!c || epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			continue;
		}
		c->open = true;
		c->in_len = c->out_len = 0;
		c->want_out = false;
	}
}

/* Answer every request whose deadline has passed. */
static int fire_timers(struct server *s)
{
	uint64_t now = now_ns();
	const struct timer *top;
	struct timer t;
	int err;

	while ((top = timerheap_top(&s->timers)) && top->when_ns <= now) {
		timerheap_pop(&s->timers, &t);
		if (!s->conns[t.fd].open || s->conns[t.fd].gen != t.gen)
			continue;
		err = conn_queue(s, t.fd, t.id, IOSRV_OK);
		if (err)
			return err;
	}
	flush_dirty(s);
	return 0;
}

/* How long epoll may sleep: until the earliest deadline, or for ever (NULL). */
static struct timespec *next_timeout(struct server *s, struct timespec *ts)
{
	const struct timer *top = timerheap_top(&s->timers);
	uint64_t now, left;

	if (!top)
		return NULL;
	now = now_ns();
	left = top->when_ns > now ? top->when_ns - now : 0;
	ts->tv_sec = left / 1000000000ULL;
	ts->tv_nsec = left % 1000000000ULL;
	return ts;
}

static int handle_event(struct server *s, const struct epoll_event *ev, bool *stop)
{
	int fd = ev->data.fd;

	if (fd == s->lfd) {
		srv_accept(s);
	} else if (fd == s->sfd) {
		*stop = true;
	} else {
		if (ev->events & EPOLLOUT)
			conn_flush(s, fd);
		if (s->conns[fd].open && (ev->events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
			conn_read(s, fd);
	}
	return 0;
}

static int srv_loop(struct server *s)
{
	struct epoll_event evs[MAX_EVENTS];
	struct timespec ts;
	bool stop = false;
	int i, n, err;

	while (!stop) {
		n = epoll_pwait2(s->epfd, evs, MAX_EVENTS, next_timeout(s, &ts), NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < n; i++) {
			err = handle_event(s, &evs[i], &stop);
			if (err)
				return err;
		}
		err = fire_timers(s);
		if (err)
			return err;
	}
	return 0;
}

static int add_fd(struct server *s, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int srv_setup(struct server *s, const char *listen_addr)
{
	struct rlimit rl;
	sigset_t mask;
	int err;

	/* deadlines to the microsecond, and room for thousands of connections */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!listen_addr) {
		const char *tmp = getenv("TMPDIR");

		snprintf(s->dir, sizeof(s->dir), "%s/ksee-ioserver-XXXXXX",
			 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
		if (!mkdtemp(s->dir)) {
			s->dir[0] = '\0';
			return -errno;
		}
		snprintf(s->listen, sizeof(s->listen), "unix:%s/sock", s->dir);
		listen_addr = s->listen;
	}
	s->lfd = addr_listen(listen_addr);
	if (s->lfd < 0)
		return s->lfd;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (s->epfd < 0 || s->sfd < 0)
		return -errno;
	err = add_fd(s, s->lfd) ?: add_fd(s, s->sfd);
	if (err)
		return err;
	return addr_format(s->lfd, s->listen, sizeof(s->listen));
}

/*
 * Remove the socket file of a Unix listener and the private directory,
 * close everything and free the tables.
 */
static void srv_cleanup(struct server *s)
{
	size_t fd;

	if (!strncmp(s->listen, "unix:", 5))
		unlink(s->listen + 5);
	if (s->dir[0])
		rmdir(s->dir);
	for (fd = 0; fd < s->nconns; fd++) {
		if (s->conns[fd].open)
			close(fd);
		free(s->conns[fd].out);
	}
	free(s->conns);
	free(s->dirty);
	timerheap_free(&s->timers);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->sfd >= 0)
		close(s->sfd);
	if (s->epfd >= 0)
		close(s->epfd);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct server s = { .epfd = -1, .lfd = -1, .sfd = -1 };
	const char *listen_addr = NULL;
	int c, err;

	while ((c = getopt_long(argc, argv, "l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen_addr = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 64;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ioserver: unexpected argument '%s'\n", argv[optind]);
		fputs(usage_text, stderr);
		return 64;
	}
	err = srv_setup(&s, listen_addr);
	if (err) {
		fprintf(stderr, "ioserver: cannot listen on %s: %s\n",
			listen_addr ?: "a private Unix socket", strerror(-err));
		srv_cleanup(&s);
		return 1;
	}
	printf("listening %s\n", s.listen);
	fflush(stdout);
	err = srv_loop(&s);
	if (err)
		fprintf(stderr, "ioserver: %s\n", strerror(-err));
	srv_cleanup(&s);
	return err ? 1 : 0;
}
