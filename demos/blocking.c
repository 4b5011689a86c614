// SPDX-License-Identifier: MIT
/*
 * blocking: one thread, blocking I/O, one request at a time.  The
 * baseline of claim C7: R waits in sequence cost R x D.
 */
#include "lib/demo.h"

static int run(struct demo *d)
{
	return demo_serve_blocking(d, NULL);
}

static const struct demo_model model = {
	.name = "blocking",
	.about = "One thread, blocking I/O, one request at a time (--concurrency is not used).",
	.run = run,
};

int main(int argc, char **argv)
{
	return demo_main(argc, argv, &model);
}
