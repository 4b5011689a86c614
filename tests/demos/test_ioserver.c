// SPDX-License-Identifier: MIT
/*
 * demos/ioserver on its own: the protocol, its error replies, TCP on
 * loopback, pipelining, and connections that go away with replies pending.
 * The delay accuracy under load is a benchmark (bench/), not a test here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "lib/addr.h"
#include "lib/client.h"
#include "lib/spawn.h"
#include "lib/stats.h"

static struct server_proc server;

static int setup(void **state)
{
	(void)state;
	return server_spawn(&server, demo_bin("ioserver"), NULL) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	server_stop(&server);
	return 0;
}

static int conn(const char *addr)
{
	int fd = addr_connect(addr, false);
	struct timeval tv = { .tv_sec = 5 };

	assert_true(fd >= 0);
	/* a test never hangs on a reply that does not come */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void recv_reply(int fd, struct iosrv_rep *rep)
{
	assert_int_equal(recv(fd, rep, sizeof(*rep), MSG_WAITALL), sizeof(*rep));
	assert_int_equal(rep->magic, IOSRV_MAGIC);
}

/* One request; the delay it took in ms. */
static double timed_request(int fd, uint64_t id, uint32_t delay_ms)
{
	uint64_t t0 = now_ns();

	assert_int_equal(client_send(fd, id, delay_ms), 0);
	assert_int_equal(client_recv(fd, id), 0);
	return (now_ns() - t0) / 1e6;
}

static void test_ioserver_unix_default(void **state)
{
	int fd;
	double ms;

	(void)state;
	assert_memory_equal(server.addr, "unix:", 5);
	fd = conn(server.addr);
	ms = timed_request(fd, 7, 10);
	assert_true(ms >= 10 && ms < 3000);
	ms = timed_request(fd, 8, 0);
	assert_true(ms < 3000);
	close(fd);
}

static void test_ioserver_tcp_loopback(void **state)
{
	struct server_proc tcp;
	int fd;
	double ms;

	(void)state;
	assert_int_equal(server_spawn(&tcp, demo_bin("ioserver"), "tcp:127.0.0.1:0"), 0);
	assert_memory_equal(tcp.addr, "tcp:127.0.0.1:", 14);
	fd = conn(tcp.addr);
	ms = timed_request(fd, 1, 15);
	assert_true(ms >= 15 && ms < 3000);
	close(fd);
	server_stop(&tcp);
}

static void test_ioserver_refuses_non_loopback(void **state)
{
	char *argv[] = { (char *)demo_bin("ioserver"), "--listen", "tcp:0.0.0.0:0", NULL };
	struct run r;

	(void)state;
	assert_int_equal(run_cmd_quiet(&r, argv), 0);
	assert_int_equal(WEXITSTATUS(r.status), 1);
	assert_null(strstr(r.out, "listening"));
}

/* Garbage gets an error reply and a closed connection; the server lives on. */
static void test_ioserver_bad_request(void **state)
{
	char junk[IOSRV_MSG_SIZE] = "GET / HTTP/1.0\r\n";
	struct iosrv_rep rep;
	char c;
	int fd;

	(void)state;
	fd = conn(server.addr);
	assert_int_equal(send(fd, junk, sizeof(junk), 0), sizeof(junk));
	recv_reply(fd, &rep);
	assert_int_equal(rep.status, IOSRV_EBADMAGIC);
	assert_int_equal(recv(fd, &c, 1, 0), 0);	/* closed */
	close(fd);

	fd = conn(server.addr);
	timed_request(fd, 2, 1);
	close(fd);
}

/* A delay out of range gets an error reply; the connection stays usable. */
static void test_ioserver_delay_out_of_range(void **state)
{
	int fd;

	(void)state;
	fd = conn(server.addr);
	assert_int_equal(client_send(fd, 3, IOSRV_MAX_DELAY_MS + 1), 0);
	assert_int_equal(client_recv(fd, 3), -EIO);
	timed_request(fd, 4, 1);
	close(fd);
}

/* Requests pipelined on one connection come back in deadline order. */
static void test_ioserver_pipelined(void **state)
{
	static const uint32_t delay[] = { 30, 10, 20 };
	static const uint64_t order[] = { 11, 12, 10 };
	struct iosrv_rep rep;
	size_t i;
	int fd;

	(void)state;
	fd = conn(server.addr);
	for (i = 0; i < 3; i++)
		assert_int_equal(client_send(fd, 10 + i, delay[i]), 0);
	for (i = 0; i < 3; i++) {
		recv_reply(fd, &rep);
		assert_int_equal(rep.status, IOSRV_OK);
		assert_int_equal(rep.id, order[i]);
	}
	close(fd);
}

/* A request that arrives in two pieces. */
static void test_ioserver_split_request(void **state)
{
	struct iosrv_req req;
	int fd;

	(void)state;
	client_fill_req(&req, 42, 1);
	fd = conn(server.addr);
	assert_int_equal(send(fd, &req, 7, 0), 7);
	usleep(5000);
	assert_int_equal(send(fd, (char *)&req + 7, sizeof(req) - 7, 0), sizeof(req) - 7);
	assert_int_equal(client_recv(fd, 42), 0);
	close(fd);
}

/* A client that leaves with a reply pending; its fd number is reused at once. */
static void test_ioserver_client_gone(void **state)
{
	struct iosrv_rep rep;
	int fd;

	(void)state;
	fd = conn(server.addr);
	assert_int_equal(client_send(fd, 100, 20), 0);
	close(fd);
	fd = conn(server.addr);
	assert_int_equal(client_send(fd, 101, 40), 0);
	recv_reply(fd, &rep);
	assert_int_equal(rep.id, 101);	/* never the stale reply to 100 */
	close(fd);
}

/* Hundreds of connections at once, each with a request in flight. */
static void test_ioserver_many_connections(void **state)
{
	enum { NCONN = 500 };
	static int fds[NCONN];
	uint64_t t0;
	double ms;
	int i;

	(void)state;
	t0 = now_ns();
	for (i = 0; i < NCONN; i++) {
		fds[i] = conn(server.addr);
		assert_int_equal(client_send(fds[i], i, 50), 0);
	}
	for (i = 0; i < NCONN; i++) {
		assert_int_equal(client_recv(fds[i], i), 0);
		close(fds[i]);
	}
	ms = (now_ns() - t0) / 1e6;
	assert_true(ms >= 50 && ms < 5000);
}

static void test_ioserver_usage(void **state)
{
	char *help[] = { (char *)demo_bin("ioserver"), "--help", NULL };
	char *bad[] = { (char *)demo_bin("ioserver"), "--listen", "nowhere", NULL };
	struct run r;

	(void)state;
	assert_int_equal(run_cmd(&r, help), 0);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_non_null(strstr(r.out, "--listen"));
	assert_int_equal(run_cmd_quiet(&r, bad), 0);
	assert_int_equal(WEXITSTATUS(r.status), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ioserver_unix_default),
		cmocka_unit_test(test_ioserver_tcp_loopback),
		cmocka_unit_test(test_ioserver_refuses_non_loopback),
		cmocka_unit_test(test_ioserver_bad_request),
		cmocka_unit_test(test_ioserver_delay_out_of_range),
		cmocka_unit_test(test_ioserver_pipelined),
		cmocka_unit_test(test_ioserver_split_request),
		cmocka_unit_test(test_ioserver_client_gone),
		cmocka_unit_test(test_ioserver_many_connections),
		cmocka_unit_test(test_ioserver_usage),
	};

	return cmocka_run_group_tests_name("demo_ioserver", tests, setup, teardown);
}
