/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The long-running model behind `ksee serve`: a struct ks_trace that only
 * grows by what the kernel hands over as tasks die, kept bounded. The
 * threads that died are folded into one row per process, and processes
 * that ended are forgotten after a grace period. A snapshot for one
 * scrape joins it with the live tasks, so every counter only grows for
 * as long as its process is exported. Pure: no libbpf, no syscalls.
 */
#ifndef KSEE_LIVE_H
#define KSEE_LIVE_H

#include <linux/types.h>
#include "model/model.h"

/* tid of the row that holds the sums of a process's dead threads. */
#define KS_LIVE_FOLDED_TID 0

/*
 * Fold the dead threads of every process of @acc into one row
 * (tid KS_LIVE_FOLDED_TID); 0 or -ENOMEM.
 */
int ks_live_fold(struct ks_trace *acc);

/*
 * Forget the processes of @acc that ended before @before_ns (their last
 * task died and their record is in). Returns how many were forgotten.
 */
size_t ks_live_forget(struct ks_trace *acc, __u64 before_ns);

/*
 * Add what @acc holds to @snap, which holds the live tasks and processes
 * of this moment. A task in both died in between: its final record in
 * @acc wins; so does the record of a process that ended. 0 or -ENOMEM.
 */
int ks_live_merge(struct ks_trace *snap, const struct ks_trace *acc);

#endif
