// SPDX-License-Identifier: GPL-2.0-only
/*
 * churn_threads [N]: creates N (default 10000) threads one after another,
 * each returning at once, and joins each before creating the next; prints
 * "churn_threads: N threads joined" on stdout. Exit 0 if all went well.
 *
 * What the kernel should see: one process with N + 1 tasks (the main
 * thread and N threads of comm "churn_threads"), all dead at the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *body(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10000, i;
	pthread_t t;
	void *ret;
	int err;

	for (i = 0; i < n; i++) {
		err = pthread_create(&t, NULL, body, (void *)i);
		if (err) {
			fprintf(stderr, "churn_threads: pthread_create: %s\n", strerror(err));
			return 1;
		}
		err = pthread_join(t, &ret);
		if (err || ret != (void *)i) {
			fprintf(stderr, "churn_threads: pthread_join failed\n");
			return 1;
		}
	}
	printf("churn_threads: %ld threads joined\n", n);
	return 0;
}
