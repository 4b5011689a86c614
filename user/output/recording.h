/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recordings: everything a report needs, in one versioned file, so that
 * `ksee report FILE` renders it later without privileges.
 *
 * Layout (all integers little-endian, as written by x86-64 / arm64):
 *   header   struct rec_header: magic "KSEEREC\0", version, struct sizes,
 *            the header's own CRC32C (version 2)
 *   sections struct rec_section, then `length` bytes of payload, then
 *            (version 2) a __u32 CRC32C of the section header and payload,
 *            repeated:
 *     META     JSON object: what was traced and how (trace >= 1)
 *     TASKS    struct rec_task[]      one per kernel task
 *     PROCS    struct rec_proc[]      one per process
 *     EDGES    struct rec_edge[]      wakeup edges
 *     URING    struct rec_uring[]     io_uring requests per process and opcode
 *     EVENTS   struct ksee_event[]    the timeline, when recorded
 *     COMPARE  JSON object: workload, per-model outcome, C5 (trace 0)
 *     END      empty, last: a file cut at a section boundary lacks it
 *     STACKS   JSON object: the symbolized call stacks (--stacks)
 *     COLUMNS  JSON object: the columns of compare --cmd or --repeat, each
 *              with every run's outcome (trace 0; version 3)
 *   `trace` numbers the trace a section belongs to: 1 for run/attach,
 *   1 + model for each model of a comparison, and rec_column_trace() for
 *   each run of each column when the file has COLUMNS.
 * Pure: stdio and json-c only. The reader trusts nothing in the file.
 */
#ifndef KSEE_RECORDING_H
#define KSEE_RECORDING_H

#include <stdio.h>
#include <linux/types.h>
#include "model/columns.h"
#include "model/comparison.h"
#include "model/events.h"
#include "model/model.h"

#define REC_MAGIC		"KSEEREC"	/* and a NUL: 8 bytes */
/*
 * The format: 1 had no checksums; 2 added them; 3 the COLUMNS section,
 * and the task records with the kernel's run-queue wait, the wake-up
 * latency and the bill's waking up (larger task and process records). A
 * change of any record's size takes a new format, so that a reader can
 * say which ksee wrote a file it cannot read. A file of an older format
 * whose record sizes are this ksee's is read (version 1 unchecked).
 */
#define REC_VERSION		4
#define REC_MAX_TRACES		(1 + COL_MAX * COL_RUNS_MAX)
#define REC_MAX_JSON		(16u << 20)	/* META / COMPARE payloads */
#define REC_MAX_RECORDS		(16u << 20)	/* tasks, processes, edges, ... per trace */

enum rec_section_type {
	REC_META = 1,
	REC_TASKS = 2,
	REC_PROCS = 3,
	REC_EDGES = 4,
	REC_URING = 5,
	REC_EVENTS = 6,
	REC_COMPARE = 7,
	REC_END = 8,
	REC_STACKS = 9,
	REC_COLUMNS = 10,
};

#define REC_MAX_FRAMES		1024	/* frames of one stack */

struct rec_header {
	char magic[8];
	__u32 version;
	__u32 header_size;	/* sizeof(struct rec_header) */
	__u32 task_size;	/* sizeof(struct rec_task) ... of the writer */
	__u32 proc_size;
	__u32 edge_size;
	__u32 uring_size;
	__u32 event_size;
	__u32 header_crc;	/* version 2: CRC32C of this header with this field 0; 1: 0 */
};

struct rec_section {
	__u32 type;		/* enum rec_section_type */
	__u32 trace;
	__u64 length;		/* payload bytes that follow */
};

struct rec_task {
	struct ksee_task_stats st;
	__u32 alive;
	__u32 pad;
};

struct rec_proc {
	struct ksee_proc kp;
	__u32 pid;
	__u32 alive;
	__u32 have_kp;
	__u32 have_bill;	/* bill_hist holds its bill's latency histogram (version 4) */
	__u64 bill_hist[KSEE_BILL_SLOTS];
};

struct rec_edge {
	struct ksee_edge_key key;
	struct ksee_edge e;
};

struct rec_uring {
	struct ksee_uring_key key;
	struct ksee_uring_op op;
};

/* Start a recording: the header. 0 or -errno. */
int rec_write_header(FILE *f);

/*
 * One finished trace as trace number @trace, with its timeline @ev (NULL
 * or empty: none). 0 or -errno.
 */
int rec_write_trace(FILE *f, __u32 trace, const struct ks_trace *tr, const struct ks_events *ev);

/* A comparison's own data (trace 0); its models' traces go as 1 + model. */
int rec_write_compare(FILE *f, const struct cmp_run *run);

/* The trace number of run @run (from 0) of column @col in a file with COLUMNS. */
static inline __u32 rec_column_trace(unsigned int col, unsigned int run)
{
	return 1 + col * COL_RUNS_MAX + run;
}

/*
 * The columns of compare --cmd, or of compare --repeat of the demo models
 * (then after rec_write_compare()), with every run's outcome; each run's
 * trace goes as rec_column_trace(). 0 or -errno.
 */
int rec_write_columns(FILE *f, const struct col_cmp *cc);

/* The end marker, after everything else. */
int rec_write_end(FILE *f);

/* What a recording holds once read; each array has REC_MAX_TRACES entries. */
struct rec_file {
	FILE *f;			/* kept open: the events are read from it */
	bool is_compare;		/* a recording of compare (COMPARE or COLUMNS) */
	struct ks_trace *traces;
	bool *have;
	struct ks_events *events;
	char ***argv;			/* owned storage behind traces[].argv */
	__u32 **pids;			/* and traces[].pids */
	struct cmp_run *cmp;		/* a comparison of the demos, rebuilt with its verdicts */
	/*
	 * compare --cmd, or --repeat (then with @cmp): every column and run,
	 * rebuilt with what differs; a column's timeline is its first run's.
	 */
	struct col_cmp *cols;
	bool unchecked;			/* a version 1 file: no checksums to verify */
};

/* CRC32C (Castagnoli) of @n bytes at @p, continuing @crc (0 to start). */
__u32 rec_crc32c(__u32 crc, const void *p, size_t n);

/*
 * Read a recording from @f (which must stay open until rec_free()). Every
 * trace is finished (ks_trace_finish) and ready to render. 0, or -errno
 * with the reason in @err: not a recording, truncated, corrupt, too big,
 * or written by a newer or incompatible ksee; a section whose checksum
 * does not match is named. A version 1 file (no checksums) is read and
 * @rf->unchecked set, for the caller to warn.
 */
int rec_read(struct rec_file *rf, FILE *f, char *err, size_t errlen);

void rec_free(struct rec_file *rf);

#endif
