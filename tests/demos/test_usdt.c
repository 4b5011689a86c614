// SPDX-License-Identifier: MIT
/*
 * Every model binary carries the four ksee task markers in .note.stapsdt,
 * provider "ksee", each with one signed 64-bit argument (the request id),
 * and the probe "marks" by which a program registers its marker block (two
 * such arguments: the block's address and its offset from the thread
 * pointer). Read with `readelf -n`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

static const char *const models[] = {
	"blocking", "threads", "pool", "epoll", "uring", "coro", "gil", "procs",
};
static const char *const probes[] = {
	"request_start", "await", "resume", "request_done", "marks",
};

#define NPROBES	(sizeof(probes) / sizeof(probes[0]))

/* Copy the value after key in [p, end) up to the end of its line. */
static int field(const char *p, const char *end, const char *key, char *buf, size_t len)
{
	const char *v = strstr(p, key);
	size_t n;

	if (!v || v >= end)
		return -1;
	v += strlen(key);
	n = strcspn(v, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return 0;
}

/* Count, per probe name, the ksee notes in readelf output whose arguments are right. */
static void scan_notes(const char *out, unsigned int found[NPROBES], unsigned int *bad)
{
	const char *p = out, *next;
	char provider[64], name[64], args[128], *sp;
	size_t i;

	while ((p = strstr(p, "Provider: "))) {
		next = strstr(p + 1, "Provider: ");
		if (!next)
			next = p + strlen(p);
		if (field(p, next, "Provider: ", provider, sizeof(provider)) ||
		    field(p, next, "Name: ", name, sizeof(name)) ||
		    field(p, next, "Arguments: ", args, sizeof(args))) {
			(*bad)++;
			p = next;
			continue;
		}
		if (!strcmp(provider, "ksee")) {
			for (i = 0; i < NPROBES; i++)
				if (!strcmp(name, probes[i]))
					break;
			/* 8 bytes signed: "-8@<operand>", one (two for marks) */
			sp = strchr(args, ' ');
			if (i == NPROBES || strncmp(args, "-8@", 3) ||
			    (strcmp(name, "marks") ? sp != NULL :
			     !sp || strncmp(sp + 1, "-8@", 3) || strchr(sp + 1, ' ')))
				(*bad)++;
			else
				found[i]++;
		}
		p = next;
	}
}

static char *readelf_notes(const char *path)
{
	static char out[1 << 20];
	char cmd[4200];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "readelf -n --wide '%s' 2>&1", path);
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	if (pclose(f))
		return NULL;
	return out;
}

static void test_usdt_models_have_markers(void **state)
{
	size_t m, i;

	(void)state;
	for (m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
		unsigned int found[NPROBES] = { 0 }, bad = 0;
		const char *out = readelf_notes(demo_bin(models[m]));

		assert_non_null(out);
		assert_non_null(strstr(out, ".note.stapsdt"));
		scan_notes(out, found, &bad);
		printf("# %-8s", models[m]);
		for (i = 0; i < NPROBES; i++)
			printf(" %s x%u", probes[i], found[i]);
		printf("\n");
		assert_int_equal(bad, 0);
		for (i = 0; i < NPROBES; i++)
			assert_true(found[i] >= 1);
	}
}

/* Compile src with the public header (extra: more cc flags) into a temp binary. */
static int compile(const char *src, const char *extra, char *bin, size_t len)
{
	char c_path[] = "/tmp/ksee-usdt-XXXXXX.c", cmd[8192];
	FILE *f;
	int fd;

	fd = mkstemps(c_path, 2);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fputs(src, f);
	fclose(f);
	snprintf(bin, len, "%.*s", (int)(strlen(c_path) - 2), c_path);
	snprintf(cmd, sizeof(cmd), "%s -O2 -Wall -Wextra -Werror -I'%s' %s '%s' -o '%s'", KSEE_CC,
		 KSEE_INCLUDE_DIR, extra, c_path, bin);
	fd = system(cmd);
	unlink(c_path);
	return fd;
}

static const char own_program[] =
	"#include <ksee/usdt.h>\n"
	"static volatile long sink;\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"	long id;\n"
	"	(void)argv;\n"
	"	for (id = 0; id < argc; id++) {\n"
	"		KSEE_REQUEST_START(id);\n"
	"		KSEE_AWAIT(id);\n"
	"		sink += id;\n"
	"		KSEE_RESUME(id);\n"
	"		KSEE_REQUEST_DONE(id);\n"
	"	}\n"
	"	return 0;\n"
	"}\n";

/* Any C program marks its tasks with include/ksee/usdt.h alone. */
static void test_usdt_public_header(void **state)
{
	unsigned int found[NPROBES] = { 0 }, bad = 0;
	char bin[64];
	const char *out;
	size_t i;

	(void)state;
	assert_int_equal(compile(own_program, "", bin, sizeof(bin)), 0);
	out = readelf_notes(bin);
	assert_int_equal(system(bin), 0);	/* the markers are harmless nops */
	unlink(bin);
	assert_non_null(out);
	scan_notes(out, found, &bad);
	assert_int_equal(bad, 0);
	for (i = 0; i < NPROBES; i++)
		assert_true(found[i] >= 1);

	/* strict ISO C, where <time.h> hides the POSIX clocks, builds and runs too */
	assert_int_equal(compile(own_program, "-std=c11 -pedantic", bin, sizeof(bin)), 0);
	assert_int_equal(system(bin), 0);
	unlink(bin);

	/* KSEE_NO_USDT compiles the markers out */
	assert_int_equal(compile(own_program, "-DKSEE_NO_USDT", bin, sizeof(bin)), 0);
	out = readelf_notes(bin);
	unlink(bin);
	assert_non_null(out);
	assert_null(strstr(out, "Provider: ksee"));
}

/* The server is not a model: no task markers there. */
static void test_usdt_ioserver_has_none(void **state)
{
	const char *out = readelf_notes(demo_bin("ioserver"));

	(void)state;
	assert_non_null(out);
	assert_null(strstr(out, "Provider: ksee"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usdt_models_have_markers),
		cmocka_unit_test(test_usdt_ioserver_has_none),
		cmocka_unit_test(test_usdt_public_header),
	};

	return cmocka_run_group_tests_name("demo_usdt", tests, NULL, NULL);
}
