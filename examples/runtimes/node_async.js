#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
//
// Node: async functions over the net module (standard library only).  C
// clients, each with its own connection, share the R requests.
//
// The claim it speaks to: a JavaScript event loop is one thread (C1):
// the kernel sees the main thread run all the JavaScript and wait in
// epoll, and an await resumes on that same thread (C3).  Node's other
// threads (libuv's pool of 4, V8's platform workers) exist but stay idle
// here: sockets need neither.  CPU work on the main thread delays every
// ready reply (C5).
'use strict';
const net = require('net');
const { parseArgs } = require('util');

const MAGIC = 0x6b736565, MSG = 16;
const RANGES = { requests: [1, 1e7], concurrency: [1, 1e5], 'io-ms': [0, 60000],
	'cpu-us': [0, 1e7], workers: [1, 1024] };
const DEFAULTS = { requests: 100, concurrency: 10, 'io-ms': 20, 'cpu-us': 500, workers: 4 };

const USAGE = `Usage: node_async.js [OPTIONS]
Node: async functions, one event loop.

Serves R requests, at most C in flight: each sends a request to the
ioserver, waits D ms for the answer, then computes for W us.

  -r, --requests R      requests to serve (default 100)
  -c, --concurrency C   requests in flight at most (default 10)
  -d, --io-ms D         server delay per request in ms (default 20)
  -w, --cpu-us W        CPU work per request in us (default 500)
  -n, --workers N       not used by this model (default 4)
  -s, --server ADDR     ioserver: unix:/path or tcp:127.0.0.1:PORT
  -h, --help            show this help

Prints one summary line; exits 1 if any request failed, 2 on bad usage.
`;

function usageError(msg) {
	process.stderr.write(`node: ${msg}\n${USAGE}`);
	process.exit(2);
}

function options() {
	const spec = { server: { type: 'string', short: 's' }, help: { type: 'boolean', short: 'h' } };
	for (const [name, short] of [['requests', 'r'], ['concurrency', 'c'], ['io-ms', 'd'],
		['cpu-us', 'w'], ['workers', 'n']])
		spec[name] = { type: 'string', short };
	let values;
	try {
		({ values } = parseArgs({ options: spec }));
	} catch (e) {
		usageError(e.message);
	}
	if (values.help) {
		process.stdout.write(USAGE);
		process.exit(0);
	}
	const o = {};
	for (const [name, [lo, hi]] of Object.entries(RANGES)) {
		const s = values[name] ?? String(DEFAULTS[name]);
		const v = Number(s);
		if (!/^[0-9]+$/.test(s) || v < lo || v > hi)
			usageError(`invalid --${name} '${s}' (want ${lo}..${hi})`);
		o[name] = v;
	}
	const m = /^(?:unix:(.+)|tcp:127\.0\.0\.1:([0-9]{1,5}))$/.exec(values.server ?? '');
	if (!values.server)
		usageError('--server ADDR is required');
	if (!m || (m[2] && (m[2] < 1 || m[2] > 65535)))
		usageError(`invalid --server '${values.server}' (want unix:/path or tcp:127.0.0.1:PORT)`);
	o.connect = m[1] ? { path: m[1] } : { host: '127.0.0.1', port: Number(m[2]) };
	o.server = values.server;
	return o;
}

// A connection whose replies are read as promises, one per request.
class Conn {
	constructor(sock) {
		this.sock = sock;
		this.buf = Buffer.alloc(0);
		this.waiting = null;
		sock.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
		sock.on('error', (e) => { this.error = e; this.wake(); });
		sock.on('close', () => { this.error ??= new Error('connection closed'); this.wake(); });
	}

	static open(where) {
		return new Promise((resolve, reject) => {
			const sock = net.connect(where, () => resolve(new Conn(sock)));
			sock.once('error', reject);
		});
	}

	wake() {
		const w = this.waiting;
		if (w && (this.buf.length >= MSG || this.error)) {
			this.waiting = null;
			w();
		}
	}

	async call(id, delayMs) {
		const req = Buffer.alloc(MSG);
		req.writeBigUInt64LE(BigInt(id), 0);	// host byte order: little-endian here
		req.writeUInt32LE(delayMs, 8);
		req.writeUInt32LE(MAGIC, 12);
		this.sock.write(req);
		while (this.buf.length < MSG && !this.error)
			await new Promise((resolve) => { this.waiting = resolve; });
		if (this.buf.length < MSG)
			throw this.error;
		const rep = this.buf.subarray(0, MSG);
		this.buf = this.buf.subarray(MSG);
		if (rep.readUInt32LE(12) !== MAGIC || rep.readBigUInt64LE(0) !== BigInt(id) ||
		    rep.readUInt32LE(8) !== 0)
			throw new Error(`bad reply to request ${id}`);
	}
}

// This thread's CPU time in us: process.threadCpuUsage (Node 23.9 and
// later), else the process's, which also counts Node's helper threads
// (V8's garbage collector and compiler threads: a few percent more).
const cpuUs = process.threadCpuUsage ?
	() => { const t = process.threadCpuUsage(); return t.user + t.system; } :
	() => { const t = process.cpuUsage(); return t.user + t.system; };

// Compute until the CPU time advanced by us; the ns it took.
function cpuWork(us) {
	const t0 = cpuUs();
	let spent = 0, x = 1;
	while (spent < us) {
		for (let i = 0; i < 200; i++)
			x = (x * 1103515245 + 12345) >>> 0;
		spent = cpuUs() - t0;
	}
	return spent * 1000 + (x & 0);
}

function percentile(values, p) {
	const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
	if (!v.length)
		return NaN;
	return v[Math.min(Math.max(Math.ceil(p / 100 * v.length), 1), v.length) - 1];
}

const nowNs = () => process.hrtime.bigint();
const ms = (ns) => Number(ns) / 1e6;
const fix = (x, n) => (Number.isNaN(x) ? 'nan' : x.toFixed(n));

async function main() {
	const o = options();
	const R = o.requests;
	const lat = new Array(R).fill(NaN), wait = new Array(R).fill(NaN);
	let next = 0, workNs = 0, firstError = null;

	async function client() {
		const conn = await Conn.open(o.connect);
		while (next < R) {
			const id = next++, start = nowNs();
			try {
				await conn.call(id, o['io-ms']);
			} catch (e) {
				firstError ??= e;
				break;
			}
			wait[id] = ms(nowNs() - start);
			workNs += cpuWork(o['cpu-us']);
			lat[id] = ms(nowNs() - start);
		}
		conn.sock.end();
	}

	const setupCpuMs = cpuUs() / 1000;
	const t0 = nowNs();
	const clients = Array.from({ length: Math.min(o.concurrency, R) }, client);
	for (const r of await Promise.allSettled(clients))
		if (r.status === 'rejected')
			firstError ??= r.reason;
	const wallMs = ms(nowNs() - t0);
	if (firstError)
		process.stderr.write(`node: ${firstError.message} (server ${o.server})\n`);
	const ok = lat.filter((x) => !Number.isNaN(x)).length;
	process.stdout.write(`model=node requests=${ok} errors=${R - ok} wall_ms=${fix(wallMs, 1)} ` +
		`p50_ms=${fix(percentile(lat, 50), 2)} p99_ms=${fix(percentile(lat, 99), 2)} ` +
		`concurrency=${o.concurrency} workers=1 io_ms=${o['io-ms']} cpu_us=${o['cpu-us']} ` +
		`wait_p50_ms=${fix(percentile(wait, 50), 3)} wait_p99_ms=${fix(percentile(wait, 99), 3)} ` +
		`setup_cpu_ms=${fix(setupCpuMs, 3)} work_cpu_ms=${fix(workNs / 1e6, 3)} ` +
		`cpu_ms=${fix((process.cpuUsage().user + process.cpuUsage().system) / 1000, 3)}\n`);
	process.exitCode = ok === R ? 0 : 1;
}

main();
