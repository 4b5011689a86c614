// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ksee compare --cmd` and `ksee diff` on two programs of known behaviour:
 * spinner (100 ms of CPU time, never blocks) and sleeper (40 x 5 ms
 * asleep, almost no CPU). The difference must show in the table and in
 * "what differs", in the right direction; --repeat 3 must keep three runs
 * each and give medians with ranges; failures and bad names as documented.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"

#define MS 1000000LL

static char spin[512], naps[512];

static void commands(void)
{
	snprintf(spin, sizeof(spin), "spin=%s 100", harness_prog("spinner"));
	snprintf(naps, sizeof(naps), "naps=%s 40", harness_prog("sleeper"));
}

static json_object *column(json_object *report, const char *name)
{
	json_object *cols = harness_get(report, "columns"), *c, *v;
	size_t i;

	if (!cols)
		fail_msg("the report has no columns[]");
	for (i = 0; i < json_object_array_length(cols); i++) {
		c = json_object_array_get_idx(cols, i);
		if (json_object_object_get_ex(c, "name", &v) &&
		    !strcmp(json_object_get_string(v), name))
			return c;
	}
	fail_msg("column %s missing", name);
	return NULL;
}

/* The "what differs" entry on @metric; fails unless @more > @less there. */
static void expect_differs(json_object *report, const char *metric, const char *more,
			   const char *less)
{
	json_object *a = harness_get(report, "what_differs"), *d;
	size_t i;

	if (!a)
		fail_msg("the report has no what_differs[]");
	for (i = 0; i < json_object_array_length(a); i++) {
		d = json_object_array_get_idx(a, i);
		if (strcmp(json_object_get_string(harness_get(d, "metric")), metric))
			continue;
		if (strcmp(json_object_get_string(harness_get(d, "more")), more) ||
		    strcmp(json_object_get_string(harness_get(d, "less")), less))
			fail_msg("%s: %s", metric, json_object_get_string(harness_get(d, "text")));
		return;
	}
	fail_msg("what differs does not name %s (%zu entries)", metric,
		 json_object_array_length(a));
}

static void expect_known_columns(json_object *r, int runs)
{
	json_object *s = column(r, "spin"), *n = column(r, "naps");

	harness_expect_eq("spin runs", json_object_array_length(harness_get(s, "runs")), runs);
	harness_expect_eq("naps runs", json_object_array_length(harness_get(n, "runs")), runs);
	harness_expect_eq("spin runs_ok", harness_int(s, "runs_ok"), runs);
	if (json_object_get_type(harness_get(json_object_array_get_idx(harness_get(s, "runs"), 0),
					     "findings")) != json_type_array)
		fail_msg("a run without its findings");
	/* spinner counts 100 ms of its own CPU time; start-up adds a little */
	harness_expect_range("spin on-CPU median", harness_int(s, "stats.on_cpu_ns.median"),
			     95 * MS, 160 * MS);
	harness_expect_range("naps on-CPU median", harness_int(n, "stats.on_cpu_ns.median"), 0,
			     40 * MS);
	harness_expect_range("naps blocked median", harness_int(n, "stats.blocked_ns.median"),
			     195 * MS, 1000 * MS);
	harness_expect_range("spin blocked median", harness_int(s, "stats.blocked_ns.median"), 0,
			     20 * MS);
	harness_expect_range("naps voluntary",
			     json_object_get_double(harness_get(n, "stats.voluntary.median")), 40,
			     80);
	/* each run is there in full: on-CPU of every run within the range */
	harness_expect_range("spin run 1 on-CPU",
			     harness_int(json_object_array_get_idx(harness_get(s, "runs"), 0),
					 "on_cpu_ns"),
			     harness_int(s, "stats.on_cpu_ns.min"),
			     harness_int(s, "stats.on_cpu_ns.max"));
	expect_differs(r, "on_cpu_ns", "spin", "naps");
	expect_differs(r, "blocked_ns", "naps", "spin");
}

static void test_compare_cmd_repeat_three(void **state)
{
	const char *args[] = { "compare", "--cmd", spin, "--cmd", naps, "--repeat", "3", NULL };
	struct harness_proc p = { 0 };
	json_object *r;

	harness_require_root();
	commands();
	harness_expect_eq("ksee compare --cmd status", harness_run(&p, NULL, 1, args), 0);
	r = harness_json(&p);
	harness_expect_eq("repeat", harness_int(r, "repeat"), 3);
	expect_known_columns(r, 3);
	/* interleaved: spin, naps, spin, naps, ... */
	if (!strstr(p.err, "[1/6] spin (run 1 of 3)") || !strstr(p.err, "[2/6] naps (run 1 of 3)") ||
	    !strstr(p.err, "[3/6] spin (run 2 of 3)"))
		fail_msg("runs not interleaved:\n%s", p.err);
	harness_proc_free(&p);
}

/* The text report: the table and the sentences, both numbers each. */
static void test_compare_cmd_text(void **state)
{
	const char *args[] = { "compare", "--cmd", spin, "--cmd", naps, NULL };
	struct harness_proc p = { 0 };

	harness_require_root();
	commands();
	harness_expect_eq("ksee compare --cmd status", harness_run(&p, NULL, 0, args), 0);
	if (!strstr(p.out, "ksee compare: 2 commands;") || !strstr(p.out, "on-CPU") ||
	    !strstr(p.out, "what differs:") ||
	    !strstr(p.out, "spin spends ") || !strstr(p.out, "more time on a CPU than naps: ") ||
	    !strstr(p.out, "naps spends more time blocked than spin: "))
		fail_msg("text report:\n%s", p.out);
	/* each column's findings, under the table */
	if (!strstr(p.out, "\nfindings, spin") || !strstr(p.out, "\nfindings, naps"))
		fail_msg("no findings per column:\n%s", p.out);
	/* one process each: the shell execs a plain command */
	if (!strstr(p.out, "processes                      1       1"))
		fail_msg("the shell stayed around:\n%s", p.out);
	harness_proc_free(&p);
}

/*
 * A failing command, one not found, one that times out and a name given
 * twice: FAILED columns with the reason, the others still run, status 1.
 */
static void test_compare_cmd_failures(void **state)
{
	char ok[512], slow[512];
	const char *args[] = { "compare", "--timeout", "1", "--cmd", ok, "--cmd", "bad=exit 3",
			       "--cmd", "nf=/nonexistent/ksee-test-x", "--cmd", slow, "--cmd",
			       "ok=true", NULL };
	struct harness_proc p = { 0 };
	json_object *r, *cols, *c;

	harness_require_root();
	snprintf(ok, sizeof(ok), "ok=%s 2", harness_prog("sleeper"));
	snprintf(slow, sizeof(slow), "slow=%s 1000", harness_prog("sleeper"));
	harness_expect_eq("ksee compare status", harness_run(&p, NULL, 1, args), 1);
	r = harness_json(&p);
	cols = harness_get(r, "columns");
	harness_expect_eq("columns", json_object_array_length(cols), 5);
	c = json_object_array_get_idx(cols, 0);
	assert_false(json_object_get_boolean(harness_get(c, "failed")));
	harness_expect_range("ok on-CPU", harness_int(c, "stats.on_cpu_ns.median"), 1, 50 * MS);
	c = json_object_array_get_idx(cols, 1);
	assert_true(json_object_get_boolean(harness_get(c, "failed")));
	assert_string_equal(json_object_get_string(harness_get(c, "error")), "exit status 3");
	c = json_object_array_get_idx(cols, 2);
	assert_string_equal(json_object_get_string(harness_get(c, "error")),
			    "exit status 127: command not found");
	c = json_object_array_get_idx(cols, 3);
	assert_string_equal(json_object_get_string(harness_get(c, "error")),
			    "timed out after 1 s");
	c = json_object_array_get_idx(cols, 4);
	assert_string_equal(json_object_get_string(harness_get(c, "error")),
			    "the name 'ok' is given twice");
	harness_expect_eq("runs of the duplicate", harness_int(c, "runs_made"), 0);
	harness_proc_free(&p);
	assert_int_equal(harness_ksee_progs_settled(), 0);
}

/* Bad names and too few commands are usage errors: 64, nothing run. */
static void test_compare_cmd_bad_names(void **state)
{
	static const char *const bad[][6] = {
		{ "compare", "--cmd", "=true", "--cmd", "b=true", NULL },
		{ "compare", "--cmd", "a\x1b[31m=true", "--cmd", "b=true", NULL },
		{ "compare", "--cmd", "a,b=true", "--cmd", "b=true", NULL },
		{ "compare", "--cmd", "justone=true", NULL },
		{ "compare", "--cmd", "a=true", "--cmd", "b", NULL },
	};
	struct harness_proc p = { 0 };
	size_t i;

	harness_require_root();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&p, 0, sizeof(p));
		harness_expect_eq("status for a bad --cmd", harness_run(&p, NULL, 0, bad[i]), 64);
		if (p.out_len || !strstr(p.err, "ksee compare: "))
			fail_msg("case %zu: stdout '%s' stderr '%s'", i, p.out, p.err);
		if (strchr(p.err, '\x1b'))
			fail_msg("a control character reached the terminal");
		harness_proc_free(&p);
	}
}

/* --cmds FILE: comments and blank lines skipped; a bad line is a usage error. */
static void test_compare_cmds_file(void **state)
{
	char path[4096];
	const char *args[] = { "compare", "--cmds", path, NULL };
	struct harness_proc p = { 0 };
	json_object *r;
	FILE *f;

	harness_require_root();
	commands();
	snprintf(path, sizeof(path), "%s/cmds", harness_tmpdir());
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "# two programs\n\n%s\n  %s\n", spin, naps);
	fclose(f);
	harness_expect_eq("ksee compare --cmds status", harness_run(&p, NULL, 1, args), 0);
	r = harness_json(&p);
	expect_known_columns(r, 1);
	harness_proc_free(&p);

	f = fopen(path, "a");
	assert_non_null(f);
	fprintf(f, "no equals sign here\n");
	fclose(f);
	memset(&p, 0, sizeof(p));
	harness_expect_eq("a bad line", harness_run(&p, NULL, 0, args), 64);
	if (!strstr(p.err, ":5: 'no equals sign here' is not NAME=COMMAND"))
		fail_msg("stderr: %s", p.err);
	harness_proc_free(&p);
}

static void record(const char *file, const char *const *prog)
{
	const char *args[16] = { "run", "--record", file, "--" };
	struct harness_proc p = { 0 };
	int i;

	for (i = 0; prog[i]; i++)
		args[4 + i] = prog[i];
	harness_expect_eq("ksee run --record", harness_run(&p, NULL, 0, args), 0);
	harness_proc_free(&p);
}

/*
 * "ksee ARGS" run as nobody (no privileges), its stdout to @out when not
 * NULL; then @out parsed as JSON (NULL when @json is false).
 */
static json_object *as_nobody(const char *what, const char *args, const char *out, bool json)
{
	char cmd[16384];
	json_object *r;

	snprintf(cmd, sizeof(cmd), "setpriv --reuid=65534 --regid=65534 --clear-groups %s %s%s%s",
		 getenv("KSEE"), args, out ? " > " : "", out ? out : "");
	harness_expect_eq(what, system(cmd), 0);
	if (!json)
		return NULL;
	r = json_object_from_file(out);
	if (!r)
		fail_msg("%s: %s is not JSON", what, out);
	return r;
}

/* ksee diff: two recordings, as nobody; the same table and sentences. */
static void test_diff_two_recordings(void **state)
{
	char a[4096], b[4096], out[4096], cmd[16384];
	const char *dir;
	json_object *r;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(a, sizeof(a), "%s/spin.ksee", dir);
	snprintf(b, sizeof(b), "%s/naps.ksee", dir);
	snprintf(out, sizeof(out), "%s/diff.json", dir);
	record(a, (const char *const[]){ harness_prog("spinner"), "100", NULL });
	record(b, (const char *const[]){ harness_prog("sleeper"), "40", NULL });
	snprintf(cmd, sizeof(cmd), "diff %s %s -j", a, b);
	r = as_nobody("ksee diff as nobody", cmd, out, true);
	assert_string_equal(json_object_get_string(harness_get(r, "kind")), "diff");
	expect_known_columns(r, 1);
	json_object_put(r);
}

/* A comparison's recording, a newer version, or no recording at all: refused, with why. */
static void test_diff_refuses(void **state)
{
	char a[4096], c[4096], newer[4096], cmd[16384];
	const char *args[] = { "compare", "--models", "blocking", "--requests", "2", "--io-ms",
			       "1", "--cpu-us", "0", "--record", c, NULL };
	const char *diff[] = { "diff", a, c, NULL };
	struct harness_proc p = { 0 };
	const char *dir;
	FILE *f;
	unsigned int v = 99;

	harness_require_root();
	dir = harness_tmpdir();
	snprintf(a, sizeof(a), "%s/a.ksee", dir);
	snprintf(c, sizeof(c), "%s/c.ksee", dir);
	snprintf(newer, sizeof(newer), "%s/newer.ksee", dir);
	record(a, (const char *const[]){ harness_prog("sleeper"), "2", NULL });
	harness_expect_eq("ksee compare --record", harness_run(&p, NULL, 0, args), 0);
	harness_proc_free(&p);

	memset(&p, 0, sizeof(p));
	harness_expect_eq("diff with a comparison", harness_run(&p, NULL, 0, diff), 1);
	if (!strstr(p.err, "is a recording of 'compare'") || p.out_len)
		fail_msg("stderr: %s", p.err);
	harness_proc_free(&p);

	/* the version field follows the 8-byte magic */
	snprintf(cmd, sizeof(cmd), "cp %s %s", a, newer);
	harness_expect_eq("cp", system(cmd), 0);
	f = fopen(newer, "r+");
	assert_non_null(f);
	fseek(f, 8, SEEK_SET);
	fwrite(&v, sizeof(v), 1, f);
	fclose(f);
	diff[2] = newer;
	memset(&p, 0, sizeof(p));
	harness_expect_eq("diff with a newer recording", harness_run(&p, NULL, 0, diff), 1);
	if (!strstr(p.err, "newer") || p.out_len)
		fail_msg("stderr: %s", p.err);
	harness_proc_free(&p);
}

/* The demo models with --repeat 2: every run kept, verdicts from the median runs. */
static void test_compare_models_repeat(void **state)
{
	char rec[4096], out[4096], cmd[8192];
	const char *args[] = { "compare", "--models", "epoll,threads", "--requests", "10",
			       "--io-ms", "2", "--cpu-us", "0", "--repeat", "2", "--record", rec,
			       NULL };
	struct harness_proc p = { 0 };
	json_object *r, *cols, *c, *back;
	size_t i;

	harness_require_root();
	snprintf(rec, sizeof(rec), "%s/models.ksee", harness_tmpdir());
	snprintf(out, sizeof(out), "%s/back.json", harness_tmpdir());
	harness_expect_eq("ksee compare --repeat 2", harness_run(&p, NULL, 1, args), 0);
	r = harness_json(&p);
	harness_expect_eq("repeat", harness_int(r, "repeat"), 2);
	harness_expect_eq("models", json_object_array_length(harness_get(r, "models")), 2);
	if (json_object_array_length(harness_get(r, "verdicts")) != 9)
		fail_msg("verdicts missing");
	assert_string_equal(json_object_get_string(harness_get(r, "runs.kind")),
			    "compare-models");
	cols = harness_get(r, "runs.columns");
	harness_expect_eq("columns", json_object_array_length(cols), 2);
	for (i = 0; i < 2; i++) {
		c = json_object_array_get_idx(cols, i);
		harness_expect_eq("runs kept", json_object_array_length(harness_get(c, "runs")), 2);
		harness_expect_eq("runs ok", harness_int(c, "runs_ok"), 2);
	}
	/* the event loop is one task in every run; the threads model is not */
	c = column(harness_get(r, "runs"), "epoll");
	harness_expect_eq("epoll tasks max", json_object_get_int(harness_get(c, "stats.tasks.max")),
			  1);
	if (!strstr(p.err, "epoll    (run 2 of 2)"))
		fail_msg("no second round:\n%s", p.err);
	/* the recording keeps every run: report gives back the same runs and verdicts */
	snprintf(cmd, sizeof(cmd), "report %s -j", rec);
	back = as_nobody("ksee report of compare --repeat --record", cmd, out, true);
	if (!json_object_equal(harness_get(back, "runs.columns"), cols))
		fail_msg("the runs read back differ from the runs measured");
	if (!json_object_equal(harness_get(back, "verdicts"), harness_get(r, "verdicts")))
		fail_msg("the verdicts read back differ");
	json_object_put(back);
	harness_proc_free(&p);
}

/* compare --cmd --timeline -o x.html: a strip per command, all on one time scale. */
static void test_compare_cmd_timeline_strips(void **state)
{
	char out[4096], *html = NULL, *p, *q;
	const char *args[] = { "compare", "--timeline", "-o", out, "--cmd", spin, "--cmd", naps,
			       NULL };
	struct harness_proc pr = { 0 };
	long long span[2];
	size_t len = 0;
	int n = 0;
	FILE *f;

	harness_require_root();
	commands();
	snprintf(out, sizeof(out), "%s/cmp.html", harness_tmpdir());
	harness_expect_eq("ksee compare --timeline", harness_run(&pr, NULL, 0, args), 0);
	harness_proc_free(&pr);
	f = fopen(out, "r");
	assert_non_null(f);
	html = malloc(1 << 22);
	assert_non_null(html);
	len = fread(html, 1, (1 << 22) - 1, f);
	html[len] = '\0';
	fclose(f);
	if (!strstr(html, "<section id=\"timelines\">") ||
	    !strstr(html, "<figcaption><b>spin</b> 1 task</figcaption>") ||
	    !strstr(html, "<figcaption><b>naps</b> 1 task</figcaption>"))
		fail_msg("no strips in the page");
	for (p = html; n < 3 && (q = strstr(p, "class=\"strips\" data-span-ns=\"")); p = q + 1) {
		if (n < 2)
			span[n] = atoll(q + strlen("class=\"strips\" data-span-ns=\""));
		n++;
	}
	harness_expect_eq("strips", n, 2);
	harness_expect_eq("one time scale", span[0], span[1]);
	/* the scale is the longer run: naps sleeps 200 ms */
	harness_expect_range("scale", span[0], 200 * MS, 5000 * MS);
	/* spin's strip shows running, naps's blocked in sleep */
	if (!strstr(html, "<rect class=\"s0\"") || !strstr(html, "blocked in sleep"))
		fail_msg("the strips lack running or sleeping");
	free(html);
}

/* The part of a diff column's name after "LABEL/": the compared name. */
static const char *base_name(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash ? slash + 1 : name;
}

/* Every "what differs" entry compares a name with itself, never two names. */
static void expect_within_names(json_object *r)
{
	json_object *a = harness_get(r, "what_differs"), *d;
	const char *more, *less;
	size_t i;

	for (i = 0; a && i < json_object_array_length(a); i++) {
		d = json_object_array_get_idx(a, i);
		more = json_object_get_string(harness_get(d, "more"));
		less = json_object_get_string(harness_get(d, "less"));
		if (strcmp(base_name(more), base_name(less)))
			fail_msg("a difference across names: %s",
				 json_object_get_string(harness_get(d, "text")));
	}
}

/*
 * A Perfetto form of compare --cmd --timeline: valid JSON, one process
 * group per column ("1. spin", "2. naps") and every event in one of them.
 */
static void expect_perfetto_groups(const char *path)
{
	json_object *root = json_object_from_file(path), *ev, *e, *args;
	long long pid[2] = { -1, -1 }, p;
	const char *name;
	size_t i, x = 0;

	if (!root)
		fail_msg("%s is not JSON", path);
	ev = harness_get(root, "traceEvents");
	assert_non_null(ev);
	for (i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		if (strcmp(json_object_get_string(harness_get(e, "name")), "process_name"))
			continue;
		args = harness_get(e, "args");
		name = json_object_get_string(harness_get(args, "name"));
		if (!strcmp(name, "1. spin"))
			pid[0] = harness_int(e, "pid");
		else if (!strcmp(name, "2. naps"))
			pid[1] = harness_int(e, "pid");
		else
			fail_msg("a process group %s", name);
	}
	if (pid[0] < 0 || pid[1] < 0 || pid[0] == pid[1])
		fail_msg("groups: spin %lld, naps %lld", pid[0], pid[1]);
	for (i = 0; i < json_object_array_length(ev); i++) {
		e = json_object_array_get_idx(ev, i);
		p = harness_int(e, "pid");
		if (p != pid[0] && p != pid[1])
			fail_msg("an event outside the columns' groups: pid %lld", p);
		if (!strcmp(json_object_get_string(harness_get(e, "ph")), "X")) {
			x++;
			if (harness_num(e, "ts") < 0 || harness_num(e, "dur") < 0)
				fail_msg("a slice before its column's start");
		}
	}
	harness_expect_range("slices", x, 2, 100000);
	harness_expect_eq("columns in metadata",
			  json_object_array_length(harness_get(root, "metadata.columns")), 2);
	json_object_put(root);
}

/*
 * compare --cmd --repeat 2 --timeline --record: every run comes back from
 * the recording (ksee report, as nobody), the timelines as Perfetto
 * groups; ksee diff of two such recordings puts each name beside itself.
 */
static void test_compare_cmd_record_and_diff(void **state)
{
	char a[4096], b[4096], pf[4096], out[4096], cmd[16384], other[512], same[512];
	const char *first[] = { "compare", "--cmd", spin, "--cmd", naps, "--repeat", "2",
				"--timeline", "--record", a, "-o", pf, NULL };
	const char *second[] = { "compare", "--cmd", other, "--cmd", same, "--record", b, NULL };
	struct harness_proc p = { 0 };
	const char *dir;
	json_object *r;

	harness_require_root();
	commands();
	dir = harness_tmpdir();
	snprintf(a, sizeof(a), "%s/a.ksee", dir);
	snprintf(b, sizeof(b), "%s/b.ksee", dir);
	snprintf(pf, sizeof(pf), "%s/a.perfetto.json", dir);
	/* in b, "spin" sleeps: the name's difference is known */
	snprintf(other, sizeof(other), "spin=%s 40", harness_prog("sleeper"));
	snprintf(same, sizeof(same), "%s", naps);
	harness_expect_eq("compare --record --repeat 2", harness_run(&p, NULL, 0, first), 0);
	harness_proc_free(&p);
	expect_perfetto_groups(pf);

	/* the recording read back without privileges: every run of every column */
	snprintf(out, sizeof(out), "%s/report.json", dir);
	snprintf(cmd, sizeof(cmd), "report %s -j", a);
	r = as_nobody("ksee report as nobody", cmd, out, true);
	assert_string_equal(json_object_get_string(harness_get(r, "kind")), "compare-commands");
	harness_expect_eq("repeat", harness_int(r, "repeat"), 2);
	expect_known_columns(r, 2);
	json_object_put(r);
	/* and its timelines as Perfetto groups again */
	snprintf(out, sizeof(out), "%s/report.perfetto.json", dir);
	snprintf(cmd, sizeof(cmd), "report %s -o %s", a, out);
	as_nobody("ksee report -o x.perfetto.json", cmd, NULL, false);
	expect_perfetto_groups(out);

	memset(&p, 0, sizeof(p));
	harness_expect_eq("compare --record", harness_run(&p, NULL, 0, second), 0);
	harness_proc_free(&p);
	snprintf(out, sizeof(out), "%s/diff.json", dir);
	snprintf(cmd, sizeof(cmd), "diff %s %s -j", a, b);
	r = as_nobody("ksee diff of two comparisons as nobody", cmd, out, true);
	assert_string_equal(json_object_get_string(harness_get(r, "kind")), "diff-comparisons");
	harness_expect_eq("columns", json_object_array_length(harness_get(r, "columns")), 4);
	harness_expect_eq("a/spin runs", harness_int(column(r, "a/spin"), "runs_made"), 2);
	harness_expect_eq("b/spin runs", harness_int(column(r, "b/spin"), "runs_made"), 1);
	harness_expect_eq("one group per name", harness_int(column(r, "a/naps"), "group"),
			  harness_int(column(r, "b/naps"), "group"));
	expect_differs(r, "on_cpu_ns", "a/spin", "b/spin");
	expect_differs(r, "blocked_ns", "b/spin", "a/spin");
	expect_within_names(r);
	json_object_put(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_compare_cmd_repeat_three, harness_teardown),
		cmocka_unit_test_teardown(test_compare_cmd_text, harness_teardown),
		cmocka_unit_test_teardown(test_compare_cmd_failures, harness_teardown),
		cmocka_unit_test_teardown(test_compare_cmd_bad_names, harness_teardown),
		cmocka_unit_test_teardown(test_compare_cmds_file, harness_teardown),
		cmocka_unit_test_teardown(test_diff_two_recordings, harness_teardown),
		cmocka_unit_test_teardown(test_diff_refuses, harness_teardown),
		cmocka_unit_test_teardown(test_compare_models_repeat, harness_teardown),
		cmocka_unit_test_teardown(test_compare_cmd_timeline_strips, harness_teardown),
		cmocka_unit_test_teardown(test_compare_cmd_record_and_diff, harness_teardown),
	};

	return cmocka_run_group_tests_name("compare_cmd", tests, NULL, NULL);
}
