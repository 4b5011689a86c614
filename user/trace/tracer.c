// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer.h"
#include "ksee.skel.h"
#include "model/syscalls.h"
#include "trace/target.h"
#include "trace/unwind.h"

/* --stacks: kernel stacks kept, and the ring of user stack copies (~500 of them). */
#define KSTACKS_ENTRIES		16384
#define USTACKS_RING_BYTES	(8u << 20)

/*
 * A user stack as it came in (@rec, with the process image @snap noted at
 * once), then unwound when there is time (@frames), waiting for its entry
 * of the stacks map.
 */
struct ustack {
	struct ksee_stack_key key;
	struct usnap *snap;
	struct ksee_ustack_rec *rec;	/* NULL once unwound */
	struct ks_frame *frames;
	__u32 nframes;
	__u32 flags;
};

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define KS_NMARKER_LINKS	5

struct tracer {
	struct ksee_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *iter_link;
	struct bpf_link *marker_links[KS_NMARKER_LINKS];	/* the four USDT probes, then marks */
	struct bpf_link *marks_iter;	/* ksee_iter_marks: blocks of the tasks alive at the end */
	bool marks_on;		/* marker blocks are registered */
	struct ks_trace *tr;
	struct ks_events *timeline;
	int cb_err;		/* first error inside a ring buffer callback */
	bool detached;
	struct unwinder *unwinder;	/* --stacks */
	struct ustack *ustacks;
	size_t nustacks, cap_ustacks;
	size_t nunwound;	/* ustacks[0 .. nunwound-1] are unwound */
	/*
	 * Unwinding a process's first stack reads its modules and debug info
	 * (a quarter of a second with glibc's): a thread of its own does it,
	 * so that the ring buffer is read on time and the memory maps of
	 * short-lived processes are taken while they live. @ulock guards
	 * ustacks, nustacks, nunwound, ustop and uerr.
	 */
	pthread_t uthread;
	bool uthread_on;
	pthread_mutex_t ulock;
	pthread_cond_t ucond;
	bool ustop;
	int uerr;
	__u64 window_end;	/* see tracer_set_window_end(); 0: none */
};

static bool verbose_libbpf;

/*
 * KSEE_LIST_HOOKS=1: one line on stderr per hook attached, "ksee: hook
 * SECTION" (tp_btf/NAME, or usdt BINARY PROVIDER:NAME for markers). The
 * benchmarks' floor attaches empty programs to exactly these.
 */
static bool list_hooks_on(void)
{
	const char *env = getenv("KSEE_LIST_HOOKS");

	return env && *env && strcmp(env, "0");
}

static void list_hooks(struct bpf_object *obj)
{
	struct bpf_program *prog;
	const char *sec;

	if (!list_hooks_on())
		return;
	bpf_object__for_each_program(prog, obj) {
		sec = bpf_program__section_name(prog);
		/* iterators run when user space asks, usdt ones are listed as attached */
		if (!bpf_program__autoload(prog) || !strncmp(sec, "iter", 4) ||
		    !strcmp(sec, "usdt"))
			continue;
		fprintf(stderr, "ksee: hook %s\n", sec);
	}
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose_libbpf)
		return 0;
	if (!verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, args);
}

__u64 tracer_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1U << (cap % 32));
}

int tracer_check_privileges(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	bool bpf, perfmon;

	if (syscall(SYS_capget, &hdr, data)) {
		snprintf(err, errlen, "cannot read capabilities: %s", strerror(errno));
		return -errno;
	}
	bpf = has_cap(data, CAP_BPF) || has_cap(data, CAP_SYS_ADMIN);
	perfmon = has_cap(data, CAP_PERFMON) || has_cap(data, CAP_SYS_ADMIN);
	if (bpf && perfmon)
		return 0;
	snprintf(err, errlen, "ksee needs root, or the capabilities CAP_BPF and CAP_PERFMON "
		 "(missing:%s%s): run it with sudo", bpf ? "" : " CAP_BPF",
		 perfmon ? "" : " CAP_PERFMON");
	return -EPERM;
}

static bool tp_exists(const char *name)
{
	return libbpf_find_vmlinux_btf_id(name, BPF_TRACE_RAW_TP) > 0;
}

static bool disabled_by_env(const char *family)
{
	const char *env = getenv("KSEE_DISABLE");
	size_t n = strlen(family);
	const char *p;

	for (p = env; p && (p = strstr(p, family)); p += n)
		if ((p == env || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return true;
	return false;
}

/* Switch a family of programs off when a tracepoint is missing or disabled. */
static bool keep_family(struct ks_trace *tr, const char *family, const char *const *tps,
			struct bpf_program **progs, int n, const char *what)
{
	char msg[256];
	const char *missing = NULL;
	int i;

	if (disabled_by_env(family))
		missing = "disabled by KSEE_DISABLE";
	for (i = 0; !missing && i < n; i++)
		if (!tp_exists(tps[i]))
			missing = tps[i];
	if (!missing)
		return true;
	for (i = 0; i < n; i++)
		bpf_program__set_autoload(progs[i], false);
	snprintf(msg, sizeof(msg), "%s tracepoints unavailable (%s): %s", family,
		 missing, what);
	ks_trace_notice(tr, msg);
	return false;
}

/*
 * A task that died after the end of the window was alive at that end: its
 * state froze there (the kernel side counts nothing later); close it then.
 * Its last waker's wakeups come with it, not through the edges map.
 */
static int add_task_rec(struct tracer *t, const struct ksee_ktask *k)
{
	struct ksee_task kt;
	bool alive = false;
	int ret;

	ks_task_widen(&kt, k);
	if (t->window_end && kt.st.end_ns > t->window_end) {
		ks_task_settle(&kt, t->window_end);
		kt.st.end_ns = 0;
		kt.st.flags &= ~KSEE_TF_EXITED;
		alive = true;
	}
	ret = ks_trace_add_task(t->tr, &kt, alive);
	if (!ret)
		ret = ks_trace_add_pending_edge(t->tr, &kt);
	return ret;
}

static int add_proc_rec(struct tracer *t, struct ksee_proc *p)
{
	if (!t->window_end || p->end_ns <= t->window_end)
		return ks_trace_add_proc(t->tr, p, false);
	p->end_ns = 0;
	return ks_trace_add_proc(t->tr, p, true);
}

void tracer_set_window_end(struct tracer *t, __u64 end)
{
	t->window_end = end;
	t->skel->bss->window_end_ns = end;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	__u32 type = size >= sizeof(__u32) ? *(__u32 *)data : 0;
	int err = 0;

	if (type == KSEE_REC_TASK && size >= sizeof(struct ksee_ktask))
		err = add_task_rec(t, data);
	else if (type == KSEE_REC_PROC && size >= sizeof(struct ksee_proc_rec))
		err = add_proc_rec(t, &((struct ksee_proc_rec *)data)->proc);
	else if (type == KSEE_REC_BILL && size >= sizeof(struct ksee_bill_hist))
		err = ks_trace_add_bill(t->tr, ((struct ksee_bill_hist *)data)->tgid,
					((struct ksee_bill_hist *)data)->slots);
	if (err && !t->cb_err)
		t->cb_err = err;
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	int err;

	if (size < sizeof(struct ksee_event))
		return 0;
	err = ks_events_append(t->timeline, data, 1);
	if (err && !t->cb_err)
		t->cb_err = err;
	return 0;
}

static int on_ustack(void *ctx, void *data, size_t size)
{
	struct tracer *t = ctx;
	const struct ksee_ustack_rec *rec = data;
	struct ustack *u;
	size_t len;

	if (size < sizeof(*rec))
		return 0;
	pthread_mutex_lock(&t->ulock);
	if (t->nustacks == t->cap_ustacks) {
		size_t ncap = t->cap_ustacks ? t->cap_ustacks * 2 : 256;

		u = realloc(t->ustacks, ncap * sizeof(*u));
		if (!u) {
			t->cb_err = t->cb_err ? t->cb_err : -ENOMEM;
			pthread_mutex_unlock(&t->ulock);
			return 0;
		}
		t->ustacks = u;
		t->cap_ustacks = ncap;
	}
	u = &t->ustacks[t->nustacks];
	memset(u, 0, sizeof(*u));
	u->key = rec->key;
	u->snap = unwinder_note(t->unwinder, rec->key.tgid);
	len = offsetof(struct ksee_ustack_rec, data) +
	      (rec->size < KSEE_USTACK_BYTES ? rec->size : KSEE_USTACK_BYTES);
	u->rec = malloc(len);
	if (!u->rec) {
		t->cb_err = t->cb_err ? t->cb_err : -ENOMEM;
		pthread_mutex_unlock(&t->ulock);
		return 0;
	}
	memcpy(u->rec, rec, len);
	u->rec->size = len - offsetof(struct ksee_ustack_rec, data);
	t->nustacks++;
	pthread_cond_signal(&t->ucond);
	pthread_mutex_unlock(&t->ulock);
	return 0;
}

/* The unwinding thread: every stack that came in, in order, until told to stop. */
static void *unwind_worker(void *arg)
{
	struct tracer *t = arg;
	struct ustack job, *u;
	int err;

	pthread_mutex_lock(&t->ulock);
	for (;;) {
		while (t->nunwound == t->nustacks && !t->ustop)
			pthread_cond_wait(&t->ucond, &t->ulock);
		if (t->nunwound == t->nustacks)
			break;	/* told to stop, and nothing left */
		job = t->ustacks[t->nunwound];	/* a copy: the array may move meanwhile */
		pthread_mutex_unlock(&t->ulock);
		job.frames = NULL;
		job.nframes = 0;
		job.flags = 0;
		err = unwinder_unwind(t->unwinder, job.snap, job.rec, &job.frames, &job.nframes,
				      &job.flags);
		free(job.rec);
		pthread_mutex_lock(&t->ulock);
		u = &t->ustacks[t->nunwound++];
		u->rec = NULL;
		u->frames = job.frames;
		u->nframes = job.nframes;
		u->flags = job.flags;
		if (err && !t->uerr)
			t->uerr = err;
	}
	pthread_mutex_unlock(&t->ulock);
	return NULL;
}

/* Signals stay with the main thread. */
static int unwind_start(struct tracer *t)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&t->uthread, NULL, unwind_worker, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->uthread_on = !ret;
	return -ret;
}

/* Let the unwinding thread finish what came in, and end it; 0 or its first error. */
static int unwind_finish(struct tracer *t)
{
	if (t->uthread_on) {
		pthread_mutex_lock(&t->ulock);
		t->ustop = true;
		pthread_cond_signal(&t->ucond);
		pthread_mutex_unlock(&t->ulock);
		pthread_join(t->uthread, NULL);
		t->uthread_on = false;
	}
	return t->uerr;
}

/* --stacks: size the maps, switch the kernel side's stack taking on. */
static int stacks_setup(struct tracer *t, char *err, size_t errlen)
{
	uid_t uid;
	gid_t gid;
	int ret;

	t->skel->rodata->stacks_on = true;
	ret = bpf_map__set_max_entries(t->skel->maps.kstacks, KSTACKS_ENTRIES);
	if (!ret)
		ret = bpf_map__set_max_entries(t->skel->maps.stacks, KSEE_MAX_STACKS);
	if (!ret)
		ret = bpf_map__set_max_entries(t->skel->maps.ustacks, USTACKS_RING_BYTES);
	if (ret) {
		snprintf(err, errlen, "cannot size the stack maps: %s", strerror(-ret));
		return ret;
	}
	t->unwinder = unwinder_new();
	if (!t->unwinder) {
		snprintf(err, errlen, "cannot set up the stack unwinder: %s", strerror(errno));
		return -ENOMEM;
	}
	if (target_sudo_user(&uid, &gid, &ret)) {
		unwinder_set_viewer(t->unwinder, uid);
	} else if (ret) {
		snprintf(err, errlen, "cannot tell the invoking user (SUDO_UID/SUDO_GID): %s",
			 strerror(-ret));
		return ret;
	}
	t->tr->features.stacks = true;
	return 0;
}

int tracer_open(struct tracer **out, struct ks_trace *tr, const struct tracer_cfg *cfg,
		char *err, size_t errlen)
{
	static const char *const sched_tps[] = { "sched_switch", "sched_waking",
		"sched_wakeup_new", "sched_process_fork", "sched_process_exec",
		"sched_process_exit", "sched_migrate_task" };
	static const char *const sys_tps[] = { "sys_exit" };
	static const char *const uring_tps[] = { "io_uring_submit_req",
		"io_uring_queue_async_work", "io_uring_complete" };
	static const char *const irq_tps[] = { "irq_handler_entry", "irq_handler_exit",
		"softirq_entry", "softirq_exit", "hrtimer_expire_entry", "hrtimer_expire_exit" };
	struct bpf_program *sys_progs[1], *uring_progs[3], *irq_progs[6];
	struct tracer *t;
	int ret, i;

	verbose_libbpf = cfg->verbose;
	libbpf_set_print(print_libbpf);
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen, "this kernel has no BTF (/sys/kernel/btf/vmlinux): ksee needs "
			 "a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	for (i = 0; i < (int)(sizeof(sched_tps) / sizeof(sched_tps[0])); i++) {
		if (!tp_exists(sched_tps[i])) {
			snprintf(err, errlen, "the kernel lacks the BTF tracepoint %s, which ksee "
				 "cannot work without", sched_tps[i]);
			return -ENOTSUP;
		}
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tr = tr;
	pthread_mutex_init(&t->ulock, NULL);
	pthread_cond_init(&t->ucond, NULL);
	t->skel = ksee_bpf__open();
	if (!t->skel) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-ret));
		goto fail;
	}
	syscalls_fill_families((__u8 *)t->skel->rodata->sys_family);
	if (cfg->timeline) {
		t->timeline = cfg->timeline;
		t->skel->rodata->timeline_on = true;
		t->skel->rodata->timeline_wakeup_bytes = cfg->timeline_bytes / 4;
		ret = bpf_map__set_max_entries(t->skel->maps.timeline, cfg->timeline_bytes);
		if (ret) {
			snprintf(err, errlen, "cannot size the timeline ring buffer: %s",
				 strerror(-ret));
			goto fail;
		}
	}

	if (cfg->stacks) {
		ret = stacks_setup(t, err, errlen);
		if (ret)
			goto fail;
	}

	sys_progs[0] = t->skel->progs.ksee_sys_exit;
	if (cfg->syscalls)
		tr->features.syscalls = keep_family(tr, "syscalls", sys_tps, sys_progs, 1,
						    "syscall and I/O wait counts not shown (off-CPU "
						    "reasons still are: they come from saved "
						    "registers)");
	else
		bpf_program__set_autoload(sys_progs[0], false);	/* not asked for */
	tr->features.syscalls = tr->features.syscalls && cfg->syscalls;
	t->skel->rodata->syscalls_on = tr->features.syscalls;
	uring_progs[0] = t->skel->progs.ksee_uring_submit;
	uring_progs[1] = t->skel->progs.ksee_uring_async;
	uring_progs[2] = t->skel->progs.ksee_uring_complete;
	tr->features.io_uring = keep_family(tr, "io_uring", uring_tps, uring_progs, 3,
					    "io_uring requests not shown");
	t->skel->rodata->uring_tps_on = tr->features.io_uring;
	irq_progs[0] = t->skel->progs.ksee_irq_entry;
	irq_progs[1] = t->skel->progs.ksee_irq_exit;
	irq_progs[2] = t->skel->progs.ksee_softirq_entry;
	irq_progs[3] = t->skel->progs.ksee_softirq_exit;
	irq_progs[4] = t->skel->progs.ksee_hrtimer_entry;
	irq_progs[5] = t->skel->progs.ksee_hrtimer_exit;
	tr->features.irq = keep_family(tr, "irq", irq_tps, irq_progs, 6,
				       "wakeups from interrupts are counted as the interrupted "
				       "task's");
	tr->features.sched = true;

	ret = ksee_bpf__load(t->skel);
	if (ret) {
		snprintf(err, errlen, "cannot load the BPF programs: %s (run with -v for the "
			 "verifier's log)", strerror(-ret));
		goto fail;
	}
	ret = ksee_bpf__attach(t->skel);
	if (ret) {
		snprintf(err, errlen, "cannot attach the BPF programs: %s", strerror(-ret));
		goto fail;
	}
	list_hooks(t->skel->obj);
	/* ksee_bpf__attach() leaves iterators alone; ours gets its own link. */
	t->iter_link = bpf_program__attach_iter(t->skel->progs.ksee_iter_task, NULL);
	if (!t->iter_link) {
		ret = -errno;
		snprintf(err, errlen, "cannot create the task iterator: %s", strerror(-ret));
		goto fail;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, t, NULL);
	if (!t->rb) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the ring buffer: %s", strerror(-ret));
		goto fail;
	}
	if (t->timeline) {
		ret = ring_buffer__add(t->rb, bpf_map__fd(t->skel->maps.timeline), on_event, t);
		if (ret) {
			snprintf(err, errlen, "cannot open the timeline ring buffer: %s",
				 strerror(-ret));
			goto fail;
		}
	}
	if (t->unwinder) {
		ret = ring_buffer__add(t->rb, bpf_map__fd(t->skel->maps.ustacks), on_ustack, t);
		if (!ret)
			ret = unwind_start(t);
		if (ret) {
			snprintf(err, errlen, "cannot read the stacks: %s", strerror(-ret));
			goto fail;
		}
	}
	*out = t;
	return 0;
fail:
	tracer_close(t);
	return ret;
}

int tracer_attach_markers(struct tracer *t, const char *binary, enum ks_marker_path path)
{
	struct {
		struct bpf_program *prog;
		const char *name;
	} m[KS_NMARKER_LINKS] = {
		{ t->skel->progs.ksee_request_start, "request_start" },
		{ t->skel->progs.ksee_await, "await" },
		{ t->skel->progs.ksee_resume, "resume" },
		{ t->skel->progs.ksee_request_done, "request_done" },
		{ t->skel->progs.ksee_marks, "marks" },
	};
	int i, first, last, n = 0, ret;

	first = path == KS_MARKERS_BLOCK ? KS_NMARKER_LINKS - 1 : 0;
	last = path == KS_MARKERS_BLOCK ? KS_NMARKER_LINKS : KS_NMARKER_LINKS - 1;
	for (i = first; i < last; i++) {
		if (t->marker_links[i])
			continue;
		/* Every process running @binary: the kernel side keeps only traced tasks. */
		t->marker_links[i] = bpf_program__attach_usdt(m[i].prog, -1, binary, "ksee",
							      m[i].name, NULL);
		if (!t->marker_links[i]) {
			ret = -errno;
			if (ret == -ENOENT || ret == -ESRCH || ret == -EINVAL)
				continue;	/* not marked, or not an ELF file */
			return ret;
		}
		n++;
		if (list_hooks_on())
			fprintf(stderr, "ksee: hook usdt %s ksee:%s\n", binary, m[i].name);
	}
	if (n) {
		t->marks_on = t->marks_on || path == KS_MARKERS_BLOCK;
		t->tr->features.markers = true;
		snprintf(t->tr->features.marker_path, sizeof(t->tr->features.marker_path), "%s",
			 ks_marker_path_name(path));
	}
	return n;
}

int tracer_add_process(struct tracer *t, __u32 pid, __u64 now)
{
	struct ksee_proc p;
	__u32 i;

	memset(&p, 0, sizeof(p));
	p.tgid = pid;
	p.start_ns = now;
	/* the same counter the kernel side takes slots from; the entry is zeroed */
	p.slot = __sync_fetch_and_add(&t->skel->bss->next_slot, 1) % KSEE_MAX_PROCS;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.proc_running), &p.slot,
				&(struct ksee_proc_running){ 0 }, BPF_ANY))
		return -errno;
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &pid, &p, BPF_NOEXIST)) {
		if (errno == EEXIST)
			return 0;
		return -errno;
	}
	/* The kernel side's hot-path filter, shared memory with the kernel side. */
	i = __sync_fetch_and_add(&t->skel->bss->nfast_tgids, 1);
	if (i < KSEE_FAST_TGIDS)
		__atomic_store_n(&t->skel->bss->fast_tgids[i], pid, __ATOMIC_RELEASE);
	return 0;
}

/* Run the task iterator in @mode; each task it writes goes to @cb, widened. */
static int run_iter(struct tracer *t, enum ksee_iter_mode mode, __u64 now,
		    int (*cb)(struct tracer *, struct ksee_task *, __u64), __u64 *count)
{
	static char buf[64 * 1024];
	size_t have = 0, off;
	ssize_t n;
	int fd, ret = 0;

	t->skel->bss->iter_mode = mode;
	t->skel->bss->iter_now = now;
	fd = bpf_iter_create(bpf_link__fd(t->iter_link));
	if (fd < 0)
		return -errno;
	for (;;) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		have += n;
		for (off = 0; off + sizeof(struct ksee_ktask) <= have;
		     off += sizeof(struct ksee_ktask)) {
			struct ksee_ktask k;
			struct ksee_task kt;

			memcpy(&k, buf + off, sizeof(k));
			ks_task_widen(&kt, &k);
			ret = cb ? cb(t, &kt, now) : 0;
			if (ret)
				goto out;
			if (count)
				(*count)++;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
out:
	close(fd);
	t->skel->bss->iter_mode = 0;
	return ret;
}

int tracer_adopt(struct tracer *t, __u64 now, __u32 flags)
{
	t->skel->bss->iter_flags = flags;
	return run_iter(t, KSEE_ITER_ADOPT, now, NULL, NULL);
}

static int lookup_proc(struct tracer *t, __u32 pid, struct ksee_proc *p)
{
	return bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.procs), &pid, p) ? -errno : 0;
}

__u32 tracer_tasks_seen(struct tracer *t, __u32 pid)
{
	struct ks_process *mp = ks_trace_find(t->tr, pid);
	struct ksee_proc p;

	if (mp && mp->have_kp)
		return mp->kp.tasks_seen;
	return lookup_proc(t, pid, &p) ? 0 : p.tasks_seen;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	int ret = ring_buffer__poll(t->rb, timeout_ms);

	if (ret < 0 && ret != -EINTR)
		return ret;
	/* The kernel side wakes us only past a threshold: drain on every tick. */
	ret = ring_buffer__consume(t->rb);
	if (ret < 0 && ret != -EINTR)
		return ret;
	return t->cb_err;
}

bool tracer_process_ended(struct tracer *t, __u32 pid)
{
	struct ks_process *p = ks_trace_find(t->tr, pid);

	return p && p->have_kp && !p->alive;
}

struct progress {
	__u32 live;
	__u64 on_cpu, switches;
};

static struct progress *cur_progress;

static int add_progress(struct tracer *t, struct ksee_task *kt, __u64 now)
{
	(void)t;
	ks_task_settle(kt, now);
	cur_progress->live++;
	cur_progress->on_cpu += kt->st.on_cpu_ns;
	cur_progress->switches += kt->st.voluntary + kt->st.involuntary;
	return 0;
}

int tracer_progress(struct tracer *t, __u64 now, __u32 *live, __u64 *on_cpu_ns,
		    __u64 *switches)
{
	struct progress pr = {};
	size_t i, j;
	int ret;

	cur_progress = &pr;
	ret = run_iter(t, KSEE_ITER_DUMP, now, add_progress, NULL);
	cur_progress = NULL;
	for (i = 0; i < t->tr->nprocs; i++) {
		for (j = 0; j < t->tr->procs[i].nthreads; j++) {
			const struct ksee_task_stats *st = &t->tr->procs[i].threads[j].st;

			pr.on_cpu += st->on_cpu_ns;
			pr.switches += st->voluntary + st->involuntary;
		}
	}
	*live = pr.live;
	*on_cpu_ns = pr.on_cpu;
	*switches = pr.switches;
	return ret;
}

static int add_live_task(struct tracer *t, struct ksee_task *kt, __u64 now)
{
	int ret;

	ks_task_settle(kt, now);
	ret = ks_trace_add_task(t->tr, kt, true);
	if (!ret)
		ret = ks_trace_add_pending_edge(t->tr, kt);
	return ret;
}

static int take_proc(struct tracer *t, const void *k, const void *v)
{
	struct ksee_proc p = *(const struct ksee_proc *)v;
	struct ksee_proc_running r;

	(void)k;
	/* alive: its peak is still in the array entry */
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.proc_running), &p.slot, &r) == 0 &&
	    r.peak > p.peak_running)
		p.peak_running = r.peak;
	return ks_trace_add_proc(t->tr, &p, p.end_ns == 0);
}

/* The bill histogram of a process still alive, or whose record did not fit in the ring. */
static int take_bill(struct tracer *t, const void *k, const void *v)
{
	return ks_trace_add_bill(t->tr, *(const __u32 *)k, ((const struct ksee_bill_hist *)v)->slots);
}

static int take_edge(struct tracer *t, const void *k, const void *v)
{
	return ks_trace_add_edge(t->tr, k, v);
}

static int take_uring(struct tracer *t, const void *k, const void *v)
{
	return ks_trace_add_uring(t->tr, k, v);
}

/* Entries in a hash map now. */
static __u32 map_entries(struct bpf_map *map)
{
	size_t ks = bpf_map__key_size(map);
	char *key = malloc(ks), *next = malloc(ks);
	int fd = bpf_map__fd(map);
	__u32 n = 0;

	while (key && next && bpf_map_get_next_key(fd, n ? key : NULL, next) == 0) {
		memcpy(key, next, ks);
		n++;
	}
	free(key);
	free(next);
	return n;
}

static int count_live(struct tracer *t, struct ksee_task *kt, __u64 now)
{
	(void)kt;
	(void)now;
	t->tr->kstate.live_tasks++;
	return 0;
}

/* Hand every entry of a hash map to @take; stops at its first error. */
static int walk_map(struct tracer *t, struct bpf_map *map,
		    int (*take)(struct tracer *, const void *, const void *))
{
	size_t ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	char *key = malloc(ks), *next = malloc(ks), *val = malloc(vs);
	int fd = bpf_map__fd(map), ret = key && next && val ? 0 : -ENOMEM;
	bool first = true;

	while (!ret && bpf_map_get_next_key(fd, first ? NULL : key, next) == 0) {
		if (bpf_map_lookup_elem(fd, next, val) == 0)
			ret = take(t, next, val);
		memcpy(key, next, ks);
		first = false;
	}
	free(key);
	free(next);
	free(val);
	return ret;
}

static int cmp_ustack(const void *a, const void *b)
{
	return memcmp(&((const struct ustack *)a)->key, &((const struct ustack *)b)->key,
		      sizeof(struct ksee_stack_key));
}

static struct ksyms *cur_ksyms;

/* The kernel stack was taken by our own program: its frames and the tracepoint's go. */
static void drop_bpf_frames(struct ks_stack *s)
{
	__u32 i, n = 0;

	while (n < s->nframes && (!strncmp(s->frames[n].name, "bpf_prog_", 9) ||
				  !strncmp(s->frames[n].name, "bpf_trace_run", 13) ||
				  !strncmp(s->frames[n].name, "__bpf_trace_", 12) ||
				  !strncmp(s->frames[n].name, "__traceiter_", 12)))
		n++;
	for (i = 0; i < n; i++)
		free(s->frames[i].name);	/* kernel frames have no module or file */
	memmove(s->frames, s->frames + n, (s->nframes - n) * sizeof(*s->frames));
	s->nframes -= n;
}

/* One entry of the stacks map: its kernel frames, then the user frames unwound before. */
static int take_stack(struct tracer *t, const void *k, const void *v)
{
	const struct ksee_stack_key *key = k;
	const struct ksee_stack_val *val = v;
	__u64 ips[KSEE_KSTACK_DEPTH];
	struct ks_stack s = {
		.tgid = key->tgid, .tid = key->tid, .reason = key->reason,
		.count = val->count, .blocked_ns = val->blocked_ns,
	};
	struct ustack *u, probe = { .key = *key };
	int ret = 0, i;

	if (!val->count)
		return 0;
	if (key->kstack < 0 ||
	    bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.kstacks), &key->kstack, ips)) {
		s.flags |= KS_STACK_KERNEL_LOST;
	} else {
		for (i = 0; !ret && i < KSEE_KSTACK_DEPTH && ips[i]; i++)
			ret = ksyms_frame(cur_ksyms, ips[i], &s.frames, &s.nframes);
	}
	drop_bpf_frames(&s);
	s.nkernel = s.nframes;
	u = key->uip && !ret ? bsearch(&probe, t->ustacks, t->nustacks, sizeof(*u), cmp_ustack) :
	    NULL;
	if (u) {
		struct ks_frame *fr = realloc(s.frames, (s.nframes + u->nframes + 1) * sizeof(*fr));

		if (!fr) {
			ret = -ENOMEM;
		} else {
			s.frames = fr;
			memcpy(fr + s.nframes, u->frames, u->nframes * sizeof(*fr));
			s.nframes += u->nframes;
			s.flags |= u->flags;
			free(u->frames);	/* the strings move to the model */
			u->frames = NULL;
			u->nframes = 0;
		}
	} else if (key->uip) {
		s.flags |= KS_STACK_USER_LOST;
	}
	if (!ret)
		ret = ks_stacks_add(&t->tr->stacks, &s);
	ks_stack_free(&s);
	return ret;
}

/* Every stack the kernel side kept, with its frames, into the trace. */
static int collect_stacks(struct tracer *t)
{
	int ret = unwind_finish(t);

	if (ret)
		return ret;
	if (t->nustacks)
		qsort(t->ustacks, t->nustacks, sizeof(*t->ustacks), cmp_ustack);
	cur_ksyms = ksyms_load();
	if (!cur_ksyms)
		ks_trace_notice(t->tr, "cannot read /proc/kallsyms: kernel frames are shown as "
				"addresses");
	ret = walk_map(t, t->skel->maps.stacks, take_stack);
	ksyms_free(cur_ksyms);
	cur_ksyms = NULL;
	return ret;
}

const struct ksee_drops *tracer_drops(struct tracer *t)
{
	return &t->skel->bss->drops;
}

/*
 * The marker blocks of the tasks still alive: the dying ones were read at
 * their exit. A sleepable iterator, as reading another task's memory may
 * fault; only when blocks were asked for.
 */
static int read_live_marks(struct tracer *t)
{
	char buf[256];
	ssize_t n;
	int fd, ret = 0;

	if (!t->marks_on)
		return 0;
	t->marks_iter = bpf_program__attach_iter(t->skel->progs.ksee_iter_marks, NULL);
	if (!t->marks_iter)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(t->marks_iter));
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
	}
	close(fd);
	return ret;
}

int tracer_collect(struct tracer *t, __u64 now)
{
	int ret, i;

	/* Freeze the kernel side first, so the snapshot below is consistent. */
	ksee_bpf__detach(t->skel);
	for (i = 0; i < KS_NMARKER_LINKS; i++) {
		bpf_link__destroy(t->marker_links[i]);
		t->marker_links[i] = NULL;
	}
	t->detached = true;
	ret = tracer_poll(t, 0);
	if (!ret)
		ret = read_live_marks(t);
	if (!ret) {
		struct ks_kernel_state *ks = &t->tr->kstate;

		ks->procs = map_entries(t->skel->maps.procs);
		ks->edges = map_entries(t->skel->maps.edges);
		ks->uring_inflight = map_entries(t->skel->maps.uring_inflight);
		ks->awaiting = map_entries(t->skel->maps.awaiting);
		ks->live_tasks = 0;
		ret = run_iter(t, KSEE_ITER_DUMP, now, count_live, NULL);
	}
	if (!ret)
		ret = run_iter(t, KSEE_ITER_DUMP, now, add_live_task, NULL);
	if (!ret)
		ret = walk_map(t, t->skel->maps.procs, take_proc);
	if (!ret)
		ret = walk_map(t, t->skel->maps.bills, take_bill);
	if (!ret)
		ret = walk_map(t, t->skel->maps.edges, take_edge);
	if (!ret)
		ret = walk_map(t, t->skel->maps.uring_ops, take_uring);
	if (!ret && t->unwinder)
		ret = collect_stacks(t);
	t->tr->drops = t->skel->bss->drops;
	if (t->timeline)
		t->timeline->lost = t->tr->drops.events;
	t->tr->peak_running_all = t->skel->bss->peak_running_all;
	return ret;
}

int tracer_snapshot(struct tracer *t, struct ks_trace *snap, __u64 now)
{
	struct ks_trace *acc = t->tr;
	int ret;

	/* the callbacks below add to t->tr; nothing polls the ring buffer meanwhile */
	t->tr = snap;
	ret = run_iter(t, KSEE_ITER_DUMP, now, add_live_task, NULL);
	if (!ret)
		ret = walk_map(t, t->skel->maps.procs, take_proc);
	if (!ret)
		ret = walk_map(t, t->skel->maps.bills, take_bill);
	t->tr = acc;
	snap->features = acc->features;
	snap->drops = t->skel->bss->drops;
	snap->peak_running_all = t->skel->bss->peak_running_all;
	return ret;
}

void tracer_clear_edges(struct tracer *t)
{
	struct ksee_edge_key key, next;
	int fd = bpf_map__fd(t->skel->maps.edges);
	bool more = bpf_map_get_next_key(fd, NULL, &key) == 0;

	/* each key is deleted once the next one is known */
	while (more) {
		more = bpf_map_get_next_key(fd, &key, &next) == 0;
		bpf_map_delete_elem(fd, &key);
		key = next;
	}
}

int tracer_poll_fd(struct tracer *t)
{
	return ring_buffer__epoll_fd(t->rb);
}

int tracer_bpf_run_time(struct tracer *t, __u64 *run_ns, __u64 *run_cnt)
{
	struct bpf_prog_info info;
	struct bpf_program *prog;
	__u32 len;

	*run_ns = *run_cnt = 0;
	bpf_object__for_each_program(prog, t->skel->obj) {
		if (bpf_program__fd(prog) < 0)
			continue;	/* not loaded: its tracepoints are missing */
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			return -errno;
		*run_ns += info.run_time_ns;
		*run_cnt += info.run_cnt;
	}
	return 0;
}

void tracer_forget_process(struct tracer *t, __u32 pid)
{
	bpf_map_delete_elem(bpf_map__fd(t->skel->maps.procs), &pid);
}

int tracer_enable_bpf_stats(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);	/* the kernel sets O_CLOEXEC */

	return fd < 0 ? -errno : fd;
}

void tracer_close(struct tracer *t)
{
	size_t j;
	int i;

	if (!t)
		return;
	unwind_finish(t);
	ring_buffer__free(t->rb);
	bpf_link__destroy(t->iter_link);
	for (i = 0; i < KS_NMARKER_LINKS; i++)
		bpf_link__destroy(t->marker_links[i]);
	bpf_link__destroy(t->marks_iter);
	ksee_bpf__destroy(t->skel);
	unwinder_free(t->unwinder);
	for (j = 0; j < t->nustacks; j++) {
		struct ks_stack s = { .frames = t->ustacks[j].frames,
				      .nframes = t->ustacks[j].nframes };

		ks_stack_free(&s);
		free(t->ustacks[j].rec);
	}
	free(t->ustacks);
	pthread_mutex_destroy(&t->ulock);
	pthread_cond_destroy(&t->ucond);
	free(t);
}
