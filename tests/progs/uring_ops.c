// SPDX-License-Identifier: GPL-2.0-only
/*
 * uring_ops: one io_uring (no SQPOLL), one pipe, four batches, each sent
 * with one io_uring_submit_and_wait() (one io_uring_enter call):
 *   1. 1 x IORING_OP_WRITE of 32 bytes into the pipe
 *   2. 4 x IORING_OP_NOP
 *   3. 3 x IORING_OP_READ of 4 bytes from the pipe (data is there, so they
 *      complete inline, no punt)
 *   4. 1 x IORING_OP_READ of 4 bytes with IOSQE_ASYNC: always punted to an
 *      io-wq worker, which the kernel creates in this process
 * Every completion is checked; any error exits 1. Prints nothing.
 *
 * What the kernel should see: requests per opcode NOP 4, READ 4, WRITE 1
 * (9 submitted), exactly 1 punted (the async READ); 4 io_uring_enter calls,
 * each waiting; a task "iou-wrk-PID" (PF_IO_WORKER) in the process, so at
 * least 2 tasks, 1 of them a kernel worker.
 * Checked with `strace -f -c` (4 io_uring_enter) and `ls /proc/PID/task`
 * under gdb after batch 4 (an iou-wrk-PID task).
 */
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "uring_ops: %s: %s\n", what, strerror(-err));
	return 1;
}

/* Submit what is queued, wait for n completions, each with result want. */
static int batch(struct io_uring *ring, unsigned int n, int want)
{
	struct io_uring_cqe *cqe;
	unsigned int i;
	int ret;

	ret = io_uring_submit_and_wait(ring, n);
	if (ret != (int)n)
		return fail("io_uring_submit_and_wait", ret < 0 ? ret : -EIO);
	for (i = 0; i < n; i++) {
		ret = io_uring_wait_cqe(ring, &cqe);
		if (ret)
			return fail("io_uring_wait_cqe", ret);
		if (cqe->res != want)
			return fail("completion", cqe->res < 0 ? cqe->res : -EIO);
		io_uring_cqe_seen(ring, cqe);
	}
	return 0;
}

int main(void)
{
	static const char data[33] = "0123456789abcdef0123456789abcdef";
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	char buf[4][4];
	int p[2], i, ret;

	if (pipe(p)) {
		perror("uring_ops: pipe");
		return 1;
	}
	ret = io_uring_queue_init(16, &ring, 0);
	if (ret)
		return fail("io_uring_queue_init", ret);

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, p[1], data, 32, 0);
	if (batch(&ring, 1, 32))
		return 1;

	for (i = 0; i < 4; i++)
		io_uring_prep_nop(io_uring_get_sqe(&ring));
	if (batch(&ring, 4, 0))
		return 1;

	for (i = 0; i < 3; i++)
		io_uring_prep_read(io_uring_get_sqe(&ring), p[0], buf[i], 4, 0);
	if (batch(&ring, 3, 4))
		return 1;

	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, p[0], buf[3], 4, 0);
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	if (batch(&ring, 1, 4))
		return 1;

	if (memcmp(buf, data, 16)) {
		fprintf(stderr, "uring_ops: read back wrong data\n");
		return 1;
	}
	io_uring_queue_exit(&ring);
	return 0;
}
