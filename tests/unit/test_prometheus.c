// SPDX-License-Identifier: GPL-2.0-only
/* The Prometheus exposition of `ksee serve`: names, units, escaping, the thread cap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include "fixtures.h"
#include "output/prometheus.h"

static char *expose(const struct ks_trace *tr, const struct prom_info *pi, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	*ret = prom_write(f, tr, pi);
	fclose(f);
	return buf;
}

/* fx_two_threads with both threads alive, as a live process is scraped. */
static void live_two_threads(struct ks_trace *tr)
{
	struct ksee_proc p = fx_proc(100, 1000, 0);
	size_t j;

	fx_two_threads(tr);
	tr->procs[0].threads[1].st.uninterruptible_ns = 7 * MS;	/* of its 90 ms in read */
	p.live_tasks = 2;
	ks_trace_add_proc(tr, &p, true);
	for (j = 0; j < tr->procs[0].nthreads; j++)
		tr->procs[0].threads[j].alive = true;
	ks_trace_finish(tr);
}

static void test_prometheus_process_counters_in_seconds(void **state)
{
	struct prom_info pi = { .grace_s = 60 };
	struct ks_trace tr;
	char *s;
	int ret;

	live_two_threads(&tr);
	s = expose(&tr, &pi, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(s, "# HELP ksee_on_cpu_seconds_total "));
	assert_non_null(strstr(s, "# TYPE ksee_on_cpu_seconds_total counter\n"));
	assert_non_null(strstr(s, "ksee_on_cpu_seconds_total{pid=\"100\",comm=\"demo\"} "
				  "0.010000000\n"));
	assert_non_null(strstr(s, "ksee_off_cpu_seconds_total{pid=\"100\",comm=\"demo\","
				  "reason=\"futex\"} 0.080000000\n"));
	assert_non_null(strstr(s, "ksee_off_cpu_seconds_total{pid=\"100\",comm=\"demo\","
				  "reason=\"read\"} 0.090000000\n"));
	assert_non_null(strstr(s, "ksee_off_cpu_seconds_total{pid=\"100\",comm=\"demo\","
				  "reason=\"none\"} 0.000000000\n"));
	assert_non_null(strstr(s, "ksee_context_switches_total{pid=\"100\",comm=\"demo\","
				  "kind=\"voluntary\"} 9\n"));
	assert_non_null(strstr(s, "ksee_context_switches_total{pid=\"100\",comm=\"demo\","
				  "kind=\"involuntary\"} 1\n"));
	assert_non_null(strstr(s, "ksee_runqueue_wait_seconds_total{pid=\"100\",comm=\"demo\"} "
				  "0.002000000\n"));
	assert_non_null(strstr(s, "ksee_blocked_calls_total{pid=\"100\",comm=\"demo\","
				  "family=\"futex\"} 5\n"));
	assert_non_null(strstr(s, "ksee_threads{pid=\"100\",comm=\"demo\"} 2\n"));
	assert_non_null(strstr(s, "ksee_uninterruptible_seconds_total{pid=\"100\",comm=\"demo\"} "
				  "0.007000000\n"));
	assert_non_null(strstr(s, "ksee_processes 1\n"));
	assert_non_null(strstr(s, "ksee_dropped_events_total{what=\"ringbuf\"} 0\n"));
	assert_null(strstr(s, "ksee_thread_on_cpu"));	/* not asked for */
	assert_null(strstr(s, "ksee_bpf_run_seconds_total"));	/* stats off */
	assert_non_null(strstr(s, "ksee_bpf_stats_enabled 0\n"));
	free(s);
	ks_trace_free(&tr);
}

/* Slot 14 holds waits of 16.4 to 32.8 us: below the 2^16 ns bound, above 2^14. */
static void test_prometheus_histogram_is_cumulative(void **state)
{
	struct prom_info pi = { 0 };
	struct ks_trace tr;
	char *s;
	int ret;

	live_two_threads(&tr);
	s = expose(&tr, &pi, &ret);
	assert_non_null(strstr(s, "# TYPE ksee_runqueue_latency_seconds histogram\n"));
	assert_non_null(strstr(s, "ksee_runqueue_latency_seconds_bucket{pid=\"100\",comm=\"demo\","
				  "le=\"1.6384e-05\"} 0\n"));
	assert_non_null(strstr(s, "ksee_runqueue_latency_seconds_bucket{pid=\"100\",comm=\"demo\","
				  "le=\"6.5536e-05\"} 5\n"));
	assert_non_null(strstr(s, "ksee_runqueue_latency_seconds_bucket{pid=\"100\",comm=\"demo\","
				  "le=\"+Inf\"} 5\n"));
	assert_non_null(strstr(s, "ksee_runqueue_latency_seconds_sum{pid=\"100\",comm=\"demo\"} "
				  "0.002000000\n"));
	assert_non_null(strstr(s, "ksee_runqueue_latency_seconds_count{pid=\"100\",comm=\"demo\"} "
				  "5\n"));
	/* the wake-up latency as the run-queue wait: slot 18 is 262 to 524 us */
	assert_non_null(strstr(s, "# TYPE ksee_wakeup_latency_seconds histogram\n"));
	assert_non_null(strstr(s, "ksee_wakeup_latency_seconds_bucket{pid=\"100\",comm=\"demo\","
				  "le=\"0.000262144\"} 0\n"));
	assert_non_null(strstr(s, "ksee_wakeup_latency_seconds_bucket{pid=\"100\",comm=\"demo\","
				  "le=\"0.001048576\"} 3\n"));
	assert_non_null(strstr(s, "ksee_wakeup_latency_seconds_bucket{pid=\"100\",comm=\"demo\","
				  "le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(s, "ksee_wakeup_latency_seconds_sum{pid=\"100\",comm=\"demo\"} "
				  "0.001000000\n"));
	assert_non_null(strstr(s, "ksee_wakeup_latency_seconds_count{pid=\"100\",comm=\"demo\"} "
				  "3\n"));
	assert_non_null(strstr(s, "# TYPE ksee_waking_up_seconds_total counter\n"));
	assert_non_null(strstr(s, "ksee_waking_up_seconds_total{pid=\"100\",comm=\"demo\"} "
				  "0.001000000\n"));
	free(s);
	ks_trace_free(&tr);
}

static void test_prometheus_thread_series_capped(void **state)
{
	struct prom_info pi = { .per_thread = true, .max_thread_series = 1 };
	struct ks_trace tr;
	char *s;
	int ret;

	live_two_threads(&tr);
	s = expose(&tr, &pi, &ret);
	assert_int_equal(ret, 1);
	/* the lowest tid is kept, whatever the order of on-CPU time */
	assert_non_null(strstr(s, "ksee_thread_on_cpu_seconds_total{pid=\"100\",comm=\"demo\","
				  "tid=\"100\",thread=\"demo\"} 0.004000000\n"));
	assert_null(strstr(s, "tid=\"101\""));
	assert_non_null(strstr(s, "ksee_thread_waking_up_seconds_total{pid=\"100\",comm=\"demo\","
				  "tid=\"100\",thread=\"demo\"} 0.000000000\n"));
	assert_non_null(strstr(s, "ksee_thread_series_limit 1\n"));
	assert_non_null(strstr(s, "ksee_thread_series_dropped 1\n"));
	free(s);
	pi.max_thread_series = 10;
	s = expose(&tr, &pi, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(s, "ksee_thread_off_cpu_seconds_total{pid=\"100\",comm=\"demo\","
				  "tid=\"101\",thread=\"worker\",reason=\"read\"} 0.090000000\n"));
	assert_non_null(strstr(s, "ksee_thread_series_dropped 0\n"));
	free(s);
	ks_trace_free(&tr);
}

static void test_prometheus_bpf_cost(void **state)
{
	struct prom_info pi = { .bpf_stats = true, .bpf_run_ns = 1500000000ULL,
				.bpf_run_count = 42 };
	struct ks_trace tr;
	char *s;
	int ret;

	live_two_threads(&tr);
	s = expose(&tr, &pi, &ret);
	assert_non_null(strstr(s, "ksee_bpf_stats_enabled 1\n"));
	assert_non_null(strstr(s, "ksee_bpf_run_seconds_total 1.500000000\n"));
	assert_non_null(strstr(s, "ksee_bpf_runs_total 42\n"));
	free(s);
	ks_trace_free(&tr);
}

static void test_prometheus_label_escaping(void **state)
{
	char buf[64];

	assert_string_equal(prom_label_value(buf, sizeof(buf), "a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
	assert_string_equal(prom_label_value(buf, sizeof(buf), "tab\there\x7f"), "tab?here?");
	assert_string_equal(prom_label_value(buf, sizeof(buf), "caf\xc3\xa9"), "caf\xc3\xa9");
	assert_string_equal(prom_label_value(buf, sizeof(buf), "bad\xc3(\xff"), "bad?(?");
	assert_string_equal(prom_label_value(buf, sizeof(buf), "\xed\xa0\x80"), "???");
	/* cut at a character boundary, never inside an escape */
	assert_string_equal(prom_label_value(buf, 5, "ab\"cd"), "ab\\\"");
	assert_string_equal(prom_label_value(buf, 4, "ab\"cd"), "ab");
	assert_string_equal(prom_label_value(buf, 4, "a\xc3\xa9\xc3\xa9"), "a\xc3\xa9");
}

/* Every sample line belongs to the family announced last: no family is split. */
static void test_prometheus_families_not_split(void **state)
{
	struct prom_info pi = { .per_thread = true, .max_thread_series = 10, .bpf_stats = true };
	struct ks_trace tr;
	char *s, *line, fam[128] = "";
	char seen[64][128];
	int nseen = 0, i, ret;

	live_two_threads(&tr);
	s = expose(&tr, &pi, &ret);
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "# TYPE ", 7)) {
			assert_int_equal(sscanf(line + 7, "%127s", fam), 1);
			for (i = 0; i < nseen; i++)
				assert_string_not_equal(seen[i], fam);
			assert_true(nseen < 64);
			strcpy(seen[nseen++], fam);
			continue;
		}
		if (line[0] == '#')
			continue;
		assert_int_equal(strncmp(line, fam, strlen(fam)), 0);
	}
	free(s);
	ks_trace_free(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prometheus_process_counters_in_seconds),
		cmocka_unit_test(test_prometheus_histogram_is_cumulative),
		cmocka_unit_test(test_prometheus_thread_series_capped),
		cmocka_unit_test(test_prometheus_bpf_cost),
		cmocka_unit_test(test_prometheus_label_escaping),
		cmocka_unit_test(test_prometheus_families_not_split),
	};

	return cmocka_run_group_tests_name("prometheus", tests, NULL, NULL);
}
