/* SPDX-License-Identifier: MIT */
/*
 * ksee task markers: USDT probes of the provider "ksee" that tie a
 * user-level task (a request, a coroutine, a continuation) to the kernel
 * threads that run it.  Any C program can mark its own tasks:
 *
 *	#include <ksee/usdt.h>
 *
 *	KSEE_REQUEST_START(id);		a task is born
 *	KSEE_AWAIT(id);			it is about to give up its thread to wait
 *	KSEE_RESUME(id);		first thing when its continuation runs again
 *	KSEE_REQUEST_DONE(id);		it has finished
 *
 * Each probe takes one argument, the task id, passed as a signed 64-bit
 * integer (argument spec "-8@<operand>" in .note.stapsdt).  Ids only need
 * to be unique among the tasks alive at one time in one process.
 *
 * The probes are nops until a tracer attaches; no semaphores are used.
 * Build with systemtap-sdt-dev installed (it provides <sys/sdt.h>) and
 * define KSEE_NO_USDT to compile the markers out.
 */
#ifndef __KSEE_USDT_H
#define __KSEE_USDT_H

#ifdef KSEE_NO_USDT
#define KSEE_PROBE(name, id)	do { (void)(id); } while (0)
#else
#include <sys/sdt.h>
#define KSEE_PROBE(name, id)	DTRACE_PROBE1(ksee, name, (long long)(id))
#endif

#define KSEE_REQUEST_START(id)	KSEE_PROBE(request_start, id)
#define KSEE_AWAIT(id)		KSEE_PROBE(await, id)
#define KSEE_RESUME(id)		KSEE_PROBE(resume, id)
#define KSEE_REQUEST_DONE(id)	KSEE_PROBE(request_done, id)

#endif /* __KSEE_USDT_H */
