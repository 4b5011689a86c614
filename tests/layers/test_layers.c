// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layering check on the project itself, and on small trees that break
 * each rule once, so that the check is known to fail when it should.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PROJECT_ROOT
#error "build with -DPROJECT_ROOT=..."
#endif
#define CHECK PROJECT_ROOT "/tests/layers/check-layers.sh"

/* Run the check on @root; its exit status, its output in @out. */
static int check(const char *root, char *out, size_t len)
{
	char cmd[4096];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' '%s' 2>&1", CHECK, root);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, len - 1, p);
	out[n] = 0;
	st = pclose(p);
	print_message("%s", out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char tree[64];

/* A fresh tree with @n files: path, then its text. */
static void make_tree(int n, ...)
{
	char path[512], cmd[600];
	va_list ap;
	int i;

	strcpy(tree, "/tmp/ksee-layers-XXXXXX");
	assert_non_null(mkdtemp(tree));
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *name = va_arg(ap, const char *), *text = va_arg(ap, const char *);
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", tree, name);
		snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
		assert_int_equal(system(cmd), 0);
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	va_end(ap);
}

static int remove_tree(void **state)
{
	char cmd[128];

	if (tree[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tree);
		if (system(cmd))
			return -1;
		tree[0] = 0;
	}
	return 0;
}

static void test_project_respects_layers(void **state)
{
	char out[8192];

	assert_int_equal(check(PROJECT_ROOT, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "layers respected"));
}

static void test_good_tree_passes(void **state)
{
	char out[4096];

	make_tree(4, "bpf/abi.h", "#define X 1\n",
		  "user/model/m.h", "#include \"abi.h\"\n",
		  "user/output/o.c", "#include \"model/m.h\"\n",
		  "user/cli/c.c", "#include \"output/o.h\"\n#include \"model/m.h\"\n");
	assert_int_equal(check(tree, out, sizeof(out)), 0);
}

static void test_upward_include_fails(void **state)
{
	char out[4096];

	make_tree(2, "user/model/m.c", "#include \"output/r.h\"\n",
		  "user/output/r.h", "#include \"model/m.h\"\n");
	assert_int_equal(check(tree, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "user/model/m.c includes user/output/r.h from a higher layer"));
}

static void test_sibling_include_fails(void **state)
{
	char out[4096];

	make_tree(2, "user/trace/t.c", "#include \"output/r.h\"\n", "user/output/r.h", "\n");
	assert_int_equal(check(tree, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "from a sibling layer"));
}

static void test_circle_fails(void **state)
{
	char out[4096];

	make_tree(3, "user/output/a.h", "#include \"output/b.h\"\n",
		  "user/output/b.h", "#include \"output/c.h\"\n",
		  "user/output/c.h", "#include \"output/a.h\"\n");
	assert_int_equal(check(tree, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "in a circle"));
}

/* The tree before the layers: every file flat in user/. */
static void test_flat_file_fails(void **state)
{
	char out[4096];

	make_tree(2, "user/model.h", "\n", "user/verdict.c", "#include \"compare.h\"\n");
	assert_int_equal(check(tree, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "user/verdict.c is not in a layer folder"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_project_respects_layers),
		cmocka_unit_test_teardown(test_good_tree_passes, remove_tree),
		cmocka_unit_test_teardown(test_upward_include_fails, remove_tree),
		cmocka_unit_test_teardown(test_sibling_include_fails, remove_tree),
		cmocka_unit_test_teardown(test_circle_fails, remove_tree),
		cmocka_unit_test_teardown(test_flat_file_fails, remove_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
