// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <dwarf.h>
#include "trace/unwind.h"

#define MAX_OPEN	32	/* snapshots whose modules are open at once */
#define MAX_SNAPS	8192	/* process images remembered */
#define MAX_MAPS_BYTES	(4u << 20)

/* /tmp/perf-PID.map: "START SIZE NAME" per line, hex, written by JITs. */
struct jit_sym {
	__u64 start, size;
	char *name;
};

/* What the unwinding callbacks of one sample read. */
struct sample {
	const struct ksee_ustack_rec *rec;
	bool beyond;		/* a read past the end of the copy */
};

/*
 * One process image: /proc/PID/maps as it was when the process's first
 * stack came in (and again after an exec, or a library it did not have),
 * so that its stacks are unwound and named even after it exited.
 */
struct usnap {
	__u32 pid;
	dev_t dev;		/* of /proc/PID/exe: an exec changes it */
	ino_t ino;
	uid_t uid;		/* the owner of /proc/PID: the process's user (root if not dumpable) */
	char *maps;
	size_t maps_len;
	Dwfl *dwfl;		/* open while in the cache of MAX_OPEN */
	bool attached;
	struct sample cur;
	struct jit_sym *jit;
	size_t njit;
	bool jit_read;
	bool superseded;	/* a newer snapshot of the same pid exists */
	__u64 used;
};

/*
 * Snapshots are taken by the thread that reads the ring buffer, stacks
 * unwound by another: @lock guards the list (and each snapshot's
 * superseded); the rest of a snapshot belongs to the unwinding thread.
 */
struct unwinder {
	pthread_mutex_t lock;
	struct usnap **snaps;
	size_t nsnaps, cap;
	__u64 clock;
	bool viewer_set;	/* under sudo: only processes of viewer_uid */
	uid_t viewer_uid;
};

static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
};

struct unwinder *unwinder_new(void)
{
	struct unwinder *u = calloc(1, sizeof(*u));

	if (!u) {
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&u->lock, NULL);
	return u;
}

static void snap_close(struct usnap *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	p->dwfl = NULL;
	p->attached = false;
}

static void snap_free(struct usnap *p)
{
	size_t i;

	snap_close(p);
	for (i = 0; i < p->njit; i++)
		free(p->jit[i].name);
	free(p->jit);
	free(p->maps);
	free(p);
}

void unwinder_set_viewer(struct unwinder *u, uid_t uid)
{
	u->viewer_set = true;
	u->viewer_uid = uid;
}

void unwinder_free(struct unwinder *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nsnaps; i++)
		snap_free(u->snaps[i]);
	free(u->snaps);
	pthread_mutex_destroy(&u->lock);
	free(u);
}

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	(void)dwfl;
	(void)arg;
	(void)thread_argp;
	return 0;	/* only get_thread is used */
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	(void)dwfl;
	(void)tid;
	*thread_argp = arg;
	return true;
}

/* Stack words come from the copy only: nothing else of the process is read. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct sample *s = arg;
	__u64 sp = s->rec->key.usp;

	(void)dwfl;
	if (addr >= sp && addr - sp + sizeof(*result) <= s->rec->size) {
		memcpy(result, s->rec->data + (addr - sp), sizeof(*result));
		return true;
	}
	if (addr >= sp + s->rec->size)
		s->beyond = true;
	return false;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct sample *s = arg;
	Dwarf_Word regs[KSEE_UREGS];
	int i;

	for (i = 0; i < KSEE_UREGS; i++)
		regs[i] = s->rec->regs[i];
	if (!dwfl_thread_state_registers(thread, 0, KSEE_UREGS, regs))
		return false;
	dwfl_thread_state_register_pc(thread, s->rec->key.uip);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

static int exe_id(__u32 pid, dev_t *dev, ino_t *ino)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	if (stat(path, &st))
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static int read_maps(__u32 pid, char **out, size_t *len)
{
	char path[64], *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 16384;
			nb = cap <= MAX_MAPS_BYTES ? realloc(buf, cap) : NULL;
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return n ? 0 : -ESRCH;
}

/* The newest snapshot of @pid, or NULL. */
static struct usnap *snap_find(struct unwinder *u, __u32 pid)
{
	size_t i;

	for (i = u->nsnaps; i-- > 0;)
		if (u->snaps[i]->pid == pid)
			return u->snaps[i];
	return NULL;
}

/* A new snapshot of @pid as it is now; NULL if it is gone (or no memory). */
static struct usnap *snap_take(struct unwinder *u, __u32 pid, dev_t dev, ino_t ino)
{
	struct usnap *p, **v, *old = snap_find(u, pid);
	char path[32];
	struct stat st;

	if (u->nsnaps >= MAX_SNAPS)
		return NULL;
	if (u->nsnaps == u->cap) {
		size_t ncap = u->cap ? u->cap * 2 : 64;

		v = realloc(u->snaps, ncap * sizeof(*v));
		if (!v)
			return NULL;
		u->snaps = v;
		u->cap = ncap;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->dev = dev;
	p->ino = ino;
	snprintf(path, sizeof(path), "/proc/%u", pid);
	if (stat(path, &st) || read_maps(pid, &p->maps, &p->maps_len)) {
		free(p);
		return NULL;
	}
	p->uid = st.st_uid;
	if (old)
		old->superseded = true;
	u->snaps[u->nsnaps++] = p;
	return p;
}

struct usnap *unwinder_note(struct unwinder *u, __u32 pid)
{
	struct usnap *p;
	dev_t dev = 0;
	ino_t ino = 0;

	pthread_mutex_lock(&u->lock);
	p = snap_find(u, pid);
	if (!exe_id(pid, &dev, &ino) && !(p && p->dev == dev && p->ino == ino))
		p = snap_take(u, pid, dev, ino);
	/* else gone: its last image, if any */
	pthread_mutex_unlock(&u->lock);
	return p;
}

/* The stacks of @snap need a newer snapshot (a library mapped since); NULL if none. */
static struct usnap *snap_renew(struct unwinder *u, struct usnap *snap)
{
	struct usnap *p;

	pthread_mutex_lock(&u->lock);
	p = snap->superseded ? snap_find(u, snap->pid) : snap_take(u, snap->pid, snap->dev,
								     snap->ino);
	pthread_mutex_unlock(&u->lock);
	return p;
}

/* Report the snapshot's modules and attach the unwinding state; 0 or -errno. */
static int snap_open(struct unwinder *u, struct usnap *p)
{
	struct usnap *lru = NULL;
	size_t i, open = 0;
	FILE *f;
	int ret;

	p->used = ++u->clock;
	if (p->dwfl)
		return p->attached ? 0 : -ENOEXEC;
	pthread_mutex_lock(&u->lock);
	for (i = 0; i < u->nsnaps; i++) {
		if (!u->snaps[i]->dwfl)
			continue;
		open++;
		if (!lru || u->snaps[i]->used < lru->used)
			lru = u->snaps[i];
	}
	pthread_mutex_unlock(&u->lock);
	if (open >= MAX_OPEN && lru)
		snap_close(lru);
	p->dwfl = dwfl_begin(&proc_callbacks);
	if (!p->dwfl)
		return -ENOMEM;
	f = fmemopen(p->maps, p->maps_len, "r");
	if (!f)
		return -ENOMEM;
	dwfl_report_begin(p->dwfl);
	ret = dwfl_linux_proc_maps_report(p->dwfl, f);
	fclose(f);
	if (dwfl_report_end(p->dwfl, NULL, NULL) || ret)
		return -ENOEXEC;
	p->attached = dwfl_attach_state(p->dwfl, NULL, p->pid, &thread_callbacks, &p->cur);
	return p->attached ? 0 : -ENOEXEC;
}

static void jit_read(struct usnap *p)
{
	char path[64], *line = NULL, name[512];
	unsigned long long start, size;
	size_t cap = 0, n = 0;
	struct jit_sym *v;
	struct stat st;
	FILE *f;
	int fd;

	p->jit_read = true;
	snprintf(path, sizeof(path), "/tmp/perf-%u.map", p->pid);
	/*
	 * Anyone can create a file in /tmp: only a regular file of the
	 * process's own user is read, never through a symbolic link (ksee
	 * reads it as root; the names it holds end up in the report).
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != p->uid ||
	    !(f = fdopen(fd, "r"))) {
		close(fd);
		return;
	}
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%llx %llx %511[^\n]", &start, &size, name) != 3)
			continue;
		if (n % 64 == 0) {
			v = realloc(p->jit, (n + 64) * sizeof(*v));
			if (!v)
				break;
			p->jit = v;
		}
		p->jit[n].start = start;
		p->jit[n].size = size;
		p->jit[n].name = strdup(name);
		if (p->jit[n].name)
			n++;
	}
	p->njit = n;
	free(line);
	fclose(f);
}

static const char *jit_lookup(struct usnap *p, __u64 addr)
{
	size_t i;

	if (!p->jit_read)
		jit_read(p);
	for (i = p->njit; i-- > 0;)	/* the latest entry for an address wins */
		if (addr >= p->jit[i].start && addr - p->jit[i].start < p->jit[i].size)
			return p->jit[i].name;
	return NULL;
}

static int push(struct ks_frame **frames, __u32 *n, const char *name, const char *module,
		const char *file, __u32 line, __u32 flags)
{
	struct ks_frame *v, *fr;

	v = realloc(*frames, (*n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	*frames = v;
	fr = &v[*n];
	memset(fr, 0, sizeof(*fr));
	fr->name = strdup(name);
	fr->module = module ? strdup(module) : NULL;
	fr->file = file ? strdup(file) : NULL;
	fr->line = line;
	fr->flags = flags;
	if (!fr->name || (module && !fr->module) || (file && !fr->file)) {
		free(fr->name);
		free(fr->module);
		free(fr->file);
		return -ENOMEM;
	}
	(*n)++;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

/* The source file @idx of the CU @cu, or NULL. */
static const char *cu_file(Dwarf_Die *cu, Dwarf_Word idx)
{
	Dwarf_Files *files;
	size_t nfiles;

	if (dwarf_getsrcfiles(cu, &files, &nfiles) || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

/*
 * The frames of one address: the functions inlined there, innermost
 * first (their call sites give the outer frames' lines), then the
 * function itself.
 */
static int symbolize(struct usnap *p, Dwarf_Addr addr, struct ks_frame **frames, __u32 *n)
{
	Dwfl_Module *m = dwfl_addrmodule(p->dwfl, addr);
	const char *mod, *name, *file = NULL;
	Dwarf_Die *cu, *scopes = NULL, cu_mem;
	Dwarf_Addr start = 0, bias = 0;
	Dwarf_Word call_line, call_file;
	Dwarf_Attribute attr;
	Dwfl_Line *l;
	GElf_Off off;
	GElf_Sym sym;
	char buf[640];
	int line = 0, nscopes, i, ret = 0;

	if (!m) {
		name = jit_lookup(p, addr);
		if (name)
			return push(frames, n, name, "[jit]", NULL, 0, 0);
		return push(frames, n, "[unknown]", NULL, NULL, 0, KS_FRAME_NOSYM);
	}
	mod = base_name(dwfl_module_info(m, NULL, &start, NULL, NULL, NULL, NULL, NULL));
	name = dwfl_module_addrinfo(m, addr, &off, &sym, NULL, NULL, NULL);
	l = dwfl_module_getsrc(m, addr);
	if (l)
		file = dwfl_lineinfo(l, NULL, &line, NULL, NULL, NULL);
	cu = dwfl_module_addrdie(m, addr, &bias);
	nscopes = cu ? dwarf_getscopes(cu, addr - bias, &scopes) : 0;
	if (cu)
		cu_mem = *cu;
	for (i = 0; i < nscopes && !ret; i++) {
		const char *iname;

		if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram)
			break;
		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		iname = dwarf_diename(&scopes[i]);
		ret = push(frames, n, iname ? iname : "[inlined]", mod, file, line > 0 ? line : 0,
			   KS_FRAME_INLINED);
		/* the caller's position: the inlined call site */
		file = NULL;
		line = 0;
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &call_line) == 0)
			line = call_line;
		if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &call_file) == 0)
			file = cu_file(&cu_mem, call_file);
	}
	free(scopes);
	if (ret)
		return ret;
	if (!name) {
		snprintf(buf, sizeof(buf), "%s+0x%llx", mod ? mod : "?",
			 (unsigned long long)(addr - start));
		return push(frames, n, buf, mod, NULL, 0, KS_FRAME_NOSYM);
	}
	return push(frames, n, name, mod, file, line > 0 ? line : 0, 0);
}

struct walk {
	struct usnap *p;
	struct ks_frame **frames;
	__u32 *n;
	__u32 depth;
	int err;
	bool stale;	/* an address outside every reported module */
};

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct walk *w = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	/* a return address points after the call: look up the call itself */
	if (!activation && pc)
		pc--;
	if (!dwfl_addrmodule(w->p->dwfl, pc) && !jit_lookup(w->p, pc))
		w->stale = true;
	w->err = symbolize(w->p, pc, w->frames, w->n);
	if (w->err || ++w->depth >= UNWIND_MAX_FRAMES)
		return DWARF_CB_ABORT;
	return DWARF_CB_OK;
}

static void free_from(struct ks_frame *frames, __u32 from, __u32 to)
{
	__u32 i;

	for (i = from; i < to; i++) {
		free(frames[i].name);
		free(frames[i].module);
		free(frames[i].file);
	}
}

int unwinder_unwind(struct unwinder *u, struct usnap *snap, const struct ksee_ustack_rec *rec,
		    struct ks_frame **frames, __u32 *n, __u32 *flags)
{
	struct walk w = { .frames = frames, .n = n };
	__u32 start = *n;
	int attempt, ret = -1;

	if (snap && u->viewer_set && snap->uid != u->viewer_uid) {
		*flags |= KS_STACK_USER_HIDDEN;
		return 0;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		w.p = snap;
		if (!snap || snap_open(u, snap)) {
			*flags |= KS_STACK_USER_LOST;
			return 0;
		}
		snap->cur.rec = rec;
		snap->cur.beyond = false;
		w.depth = 0;
		w.stale = false;
		ret = dwfl_getthread_frames(snap->dwfl, rec->key.tid, on_frame, &w);
		if (w.err) {
			free_from(*frames, start, *n);
			*n = start;
			return w.err;
		}
		if (!w.stale || attempt)
			break;
		/* a library mapped after the snapshot: take another, if it still runs */
		snap = snap_renew(u, snap);
		if (!snap)
			break;
		free_from(*frames, start, *n);
		*n = start;
	}
	if (*n == start) {
		*flags |= KS_STACK_USER_LOST;
	} else if (w.depth >= UNWIND_MAX_FRAMES || w.p->cur.beyond) {
		/* libdw may end "normally" where a read past the copy failed */
		*flags |= KS_STACK_TRUNCATED;
	} else if (ret) {
		*flags |= KS_STACK_UNWIND_ERR;
	}
	return 0;
}

/* Kernel symbols: /proc/kallsyms, sorted by address. */
struct ksym {
	__u64 addr;
	char *name;
};

struct ksyms {
	struct ksym *v;
	size_t n;
};

static int cmp_ksym(const void *a, const void *b)
{
	__u64 x = ((const struct ksym *)a)->addr, y = ((const struct ksym *)b)->addr;

	return x < y ? -1 : x > y;
}

void ksyms_free(struct ksyms *ks)
{
	size_t i;

	if (!ks)
		return;
	for (i = 0; i < ks->n; i++)
		free(ks->v[i].name);
	free(ks->v);
	free(ks);
}

struct ksyms *ksyms_load(void)
{
	struct ksyms *ks = calloc(1, sizeof(*ks));
	unsigned long long addr;
	char *line = NULL, type, name[256];
	size_t len = 0, cap = 0;
	struct ksym *v;
	FILE *f;

	if (!ks)
		return NULL;
	f = fopen("/proc/kallsyms", "re");
	if (!f) {
		free(ks);
		return NULL;
	}
	while (getline(&line, &len, f) > 0) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		if (ks->n == cap) {
			cap = cap ? cap * 2 : 65536;
			v = realloc(ks->v, cap * sizeof(*v));
			if (!v)
				goto nomem;
			ks->v = v;
		}
		ks->v[ks->n].addr = addr;
		ks->v[ks->n].name = strdup(name);
		if (!ks->v[ks->n].name)
			goto nomem;
		ks->n++;
	}
	free(line);
	fclose(f);
	qsort(ks->v, ks->n, sizeof(*ks->v), cmp_ksym);
	return ks;
nomem:
	free(line);
	fclose(f);
	ksyms_free(ks);
	errno = ENOMEM;
	return NULL;
}

int ksyms_frame(const struct ksyms *ks, __u64 addr, struct ks_frame **frames, __u32 *n)
{
	size_t lo = 0, hi = ks ? ks->n : 0, mid;
	char buf[64];

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ks->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)addr);
		return push(frames, n, buf, NULL, NULL, 0, KS_FRAME_KERNEL | KS_FRAME_NOSYM);
	}
	return push(frames, n, ks->v[lo - 1].name, NULL, NULL, 0, KS_FRAME_KERNEL);
}
