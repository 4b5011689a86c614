#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/overhead.sh: what tracing costs the traced workload and everybody
# else, for ksee and for the peer tracers that work on this machine.
# Run by `make bench` (target bench-overhead); needs root.
#
# For each workload, every configuration runs once per repetition, in an
# order rotated from one repetition to the next; the measured numbers are
# the workload's own (it prints them), so tracer start-up and tear-down
# are not in them. The measure (bench/README.md, "Overhead: method"): for the
# workloads that time their work in batches (pingpong, futexstorm,
# markers, bystander), the per-operation time of a run's fastest decile
# of batches (fast_ns), median over the repetitions; for the demos (epoll,
# threads), which cannot be batched, the median of the fastest quarter of
# their run times (at least 3 runs), over more repetitions. The tables
# give that, its range, the slowdown (measure / untraced measure), and the
# median and range of the whole runs' times beside it.
#
# Environment: OUTPUT (build dir, default build), BENCH_REPS (default 7),
# BENCH_DEMO_REPS (repetitions of the demos, default 2 x BENCH_REPS),
# BENCH_PEERS (peers to run, space-separated, default: all that work),
# BENCH_WORKLOADS (default: pingpong futexstorm epoll threads bystander markers),
# BENCH_README (default bench/README.md; "-" prints the section only),
# BENCH_QUICK=1 (3 repetitions, shorter workloads: a smoke test),
# BENCH_NOISE_MAX (default 10: no target judged when the measures of the
# untraced runs, or of a configuration the target compares, spread more
# than this percentage of their median: the runs' fast-decile times, or
# the demos' fastest quarter of runs),
# BENCH_TIMES_FROM=FILE (times.tsv of an earlier run, kept in the tables:
# with BENCH_WORKLOADS=the missing ones, finishes an interrupted run).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTPUT=${OUTPUT:-$ROOT/build}
KSEE=$OUTPUT/ksee
BIN=$OUTPUT/bench
DEMOS=$OUTPUT/demos
REPS=${BENCH_REPS:-7}
QUICK=${BENCH_QUICK:-0}
README=${BENCH_README:-$ROOT/bench/README.md}
WORKLOADS=${BENCH_WORKLOADS:-pingpong futexstorm epoll threads bystander markers}
ALL_PEERS="runqlat offcputime wakeuptime syscount cpudist runqslower bpftrace perf-sched trace-cmd"
PEERS=${BENCH_PEERS:-$ALL_PEERS}
[ "$QUICK" = 1 ] && REPS=${BENCH_REPS:-3}
DEMO_REPS=${BENCH_DEMO_REPS:-$((2 * REPS))}

if [ "$(id -u)" != 0 ]; then
	echo "bench/overhead.sh: needs root (tracers load BPF programs)" >&2
	exit 1
fi
for f in "$KSEE" "$BIN/floor" "$BIN/pingpong" "$BIN/futexstorm"; do
	[ -x "$f" ] || { echo "bench/overhead.sh: missing $f (make bench builds it)" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/ksee-bench.XXXXXX)
# The raw times are kept beside the build (BENCH_TIMES_FROM can reuse them).
trap 'cp -f "$TMP/times.tsv" "$OUTPUT/bench-overhead-times.tsv" 2>/dev/null
      cp -f "$TMP/loads" "$OUTPUT/bench-overhead-loads" 2>/dev/null; rm -rf "$TMP"' EXIT
TIMES=$TMP/times.tsv	# workload config rep seconds fast_ns median_ns batches ("-": not batched)
: >"$TIMES"
REPORT_WORKLOADS=$WORKLOADS
if [ -n "${BENCH_TIMES_FROM:-}" ]; then
	cat "$BENCH_TIMES_FROM" >"$TIMES"
	REPORT_WORKLOADS=$(cut -f1 "$TIMES" | awk '!s[$0]++' | tr '\n' ' ')
	for wl in $WORKLOADS; do
		case " $REPORT_WORKLOADS " in *" $wl "*) ;; *) REPORT_WORKLOADS="$REPORT_WORKLOADS $wl" ;; esac
	done
fi
# total jiffies and steal jiffies of all CPUs
cpu_line() { awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat; }
NOTES=$TMP/notes	# peers skipped or failed, one line each
LOADS=$TMP/loads	# the 1-minute load average, once per repetition
cut -d' ' -f1 /proc/loadavg >"$LOADS"
# an earlier run's times come with its load samples, kept beside them
[ -n "${BENCH_TIMES_FROM:-}" ] && cat "$(dirname "$BENCH_TIMES_FROM")/bench-overhead-loads" >>"$LOADS" 2>/dev/null
CPU_START=$(cpu_line)
: >"$NOTES"

log() { printf '%s\n' "$*" >&2; }
note() { grep -qxF -- "$*" "$NOTES" || printf '%s\n' "$*" >>"$NOTES"; }

# --- what is available ----------------------------------------------------

HAVE_TIMELINE=0
"$KSEE" run --help 2>&1 | grep -q -- --timeline && HAVE_TIMELINE=1
HAVE_RECORD=0
"$KSEE" run --help 2>&1 | grep -q -- --record && "$KSEE" report --help >/dev/null 2>&1 && HAVE_RECORD=1

# peer -> Debian package, binary
peer_pkg() {
	case $1 in
	runqlat|offcputime|wakeuptime|syscount|cpudist|runqslower) echo "libbpf-tools /usr/sbin/$1" ;;
	bpftrace) echo "bpftrace bpftrace" ;;
	perf-sched|perf-trace) echo "linux-perf perf" ;;
	trace-cmd) echo "trace-cmd trace-cmd" ;;
	esac
}

APT_UPDATED=0
ensure_peer() {
	local pkg bin
	read -r pkg bin <<<"$(peer_pkg "$1")"
	[ -n "$pkg" ] || { note "$1: unknown peer, skipped"; return 1; }
	command -v "$bin" >/dev/null 2>&1 && return 0
	log "bench: installing $pkg for $1"
	if [ "$APT_UPDATED" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null 2>&1
	if ! command -v "$bin" >/dev/null 2>&1; then
		log "bench: SKIPPING $1: cannot install Debian package $pkg"
		note "$1: skipped: Debian package $pkg could not be installed"
		return 1
	fi
}

WORKING_PEERS=""
for p in $PEERS; do
	ensure_peer "$p" && WORKING_PEERS="$WORKING_PEERS $p"
done

# --- workloads --------------------------------------------------------------

# The command line of workload $1; the bystander storm is pingpong.
wl_cmd() {
	local q=$QUICK
	case $1 in
	pingpong|bystander) echo "$BIN/pingpong -c 1 -n $([ "$q" = 1 ] && echo 50000 || echo 400000)" ;;
	futexstorm) echo "$BIN/futexstorm -c 1 -T 8 -n $([ "$q" = 1 ] && echo 200000 || echo 1000000)" ;;
	epoll) echo "$DEMOS/epoll -r $([ "$q" = 1 ] && echo 10000 || echo 50000) -c 32 -d 0 -w 0" ;;
	threads) echo "$DEMOS/threads -r $([ "$q" = 1 ] && echo 3000 || echo 10000) -c 32 -d 0 -w 0" ;;
	markers) echo "$BIN/markbench -c 1 -n 2000000" ;;
	esac
}

# The demos cannot time batches: their measure is the fastest quarter of
# more repetitions.
is_demo() { case $1 in epoll|threads) return 0 ;; esac; return 1; }
reps_of() { if is_demo "$1"; then echo "$DEMO_REPS"; else echo "$REPS"; fi; }

wl_desc() {
	case $1 in
	pingpong) echo "pipe ping-pong, 2 threads pinned to CPU 1 (context-switch storm)" ;;
	futexstorm) echo "futex ring, 8 threads passing 4 tokens, pinned to CPU 1" ;;
	epoll) echo "demo epoll model, no I/O delay, no CPU work (high request rate)" ;;
	threads) echo "demo threads model (a thread per request), no I/O delay, no CPU work" ;;
	bystander) echo "pipe ping-pong run UNTRACED while ksee traces an idle sleep (the cost every other process pays)" ;;
	markers) echo "task markers in a loop, one thread on CPU 1 (ns/op: per marker)" ;;
	esac
}

# The workload's result, from its output line: its own time in seconds,
# then fast_ns, median_ns and batches ("-" each when it has no batches),
# tab-separated; nothing when it printed no result.
wl_result() {
	awk '/elapsed_s=|wall_ms=/ {
		f["fast_ns"] = f["median_ns"] = f["batches"] = "-"
		for (i = 1; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "elapsed_s") t = kv[2] + 0
			else if (kv[1] == "wall_ms") t = kv[2] / 1000
			else if (kv[1] in f && kv[2] != "") f[kv[1]] = kv[2]
		}
		if (f["batches"] == "0") f["fast_ns"] = f["median_ns"] = "-"
		printf "%.6f\t%s\t%s\t%s\n", t, f["fast_ns"], f["median_ns"], f["batches"]
		exit }' "$1"
}

# --- the floor of each mode -------------------------------------------------------

# The floor of a ksee mode is an empty handler on each hook that mode
# attaches, as ksee itself lists them (KSEE_LIST_HOOKS=1): the list comes
# from the loader, so floor and ksee cannot drift apart. Markers' uprobes
# depend on the binary, so the list is taken per workload.
CUR_WL=""
hooks_file() {	# workload, floor config -> its hook list (made on first use)
	local wl=$1 cfg=$2 f=$TMP/hooks.$1.$2 cmd flags=()
	if [ ! -s "$f" ]; then
		case $cfg in
		floor-syscalls) flags=(--syscalls) ;;
		floor-usdt) flags=(--markers=usdt) ;;
		esac
		cmd=$(wl_cmd "$wl")
		# the bystander's tracer traces an idle sleep: no markers
		[ "$wl" = bystander ] && cmd=/bin/true
		KSEE_LIST_HOOKS=1 "$KSEE" run "${flags[@]}" -o "$TMP/hooks.out" -- $cmd \
			2>&1 >/dev/null | grep '^ksee: hook ' >"$f"
	fi
	echo "$f"
}

# One line: the hooks of a floor, for the report.
hooks_desc() {
	sed 's/^ksee: hook //; s|^tp_btf/||; s|^usdt [^ ]* ksee:|usdt |' "$1" | tr '\n' ' ' |
		sed 's/ $//; s/ /, /g; s/usdt, /usdt /g'
}

# --- tracers ------------------------------------------------------------------

TRACER_PID=""
IDLE_PID=""

# Wait until $2 (a log) matches $3, while pid $1 lives; up to 15 s.
wait_ready() {
	local i
	for i in $(seq 150); do
		[ -n "$3" ] && grep -q -- "$3" "$2" 2>/dev/null && return 0
		kill -0 "$1" 2>/dev/null || return 1
		[ -z "$3" ] && [ "$i" -ge 15 ] && return 0	# no banner: 1.5 s
		sleep 0.1
	done
	return 1
}

# Stop the tracer we started: SIGINT, again every 2 s (bpftrace sometimes
# ignores the first), SIGKILL after 60 s.
stop_tracer() {
	local pid=$1 i
	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	for i in $(seq 600); do
		kill -0 "$pid" 2>/dev/null || break
		[ $((i % 20)) = 0 ] && kill -INT "$pid" 2>/dev/null
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

BPFTRACE_PROG='tracepoint:sched:sched_switch { @switches[args->prev_pid] = count(); }
tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; }
tracepoint:raw_syscalls:sys_exit /@start[tid]/ { @sys[tid] = sum(nsecs - @start[tid]); delete(@start[tid]); }'

# Start system-wide tracer $1 in the background (TRACER_PID); 1 if it failed.
start_tracer() {
	local cfg=$1 tlog=$TMP/tracer.log ready="" cmd=()
	: >"$tlog"
	case $cfg in
	floor|floor-syscalls|floor-usdt)
		cmd=("$BIN/floor" --hooks "$(hooks_file "$CUR_WL" "$cfg")"); ready="floor: attached" ;;
	floor-switch|floor-sys|floor-slowpath|floor-all)
		cmd=("$BIN/floor" "${cfg#floor-}"); ready="floor: attached" ;;
	runqlat) cmd=(runqlat); ready="Tracing" ;;
	offcputime) cmd=(offcputime); ready="" ;;	# prints nothing until the end
	wakeuptime) cmd=(wakeuptime); ready="Tracing" ;;
	syscount) cmd=(syscount); ready="Tracing" ;;
	cpudist) cmd=(cpudist); ready="Tracing" ;;
	runqslower) cmd=(runqslower); ready="Tracing" ;;
	bpftrace) cmd=(bpftrace -e "$BPFTRACE_PROG"); ready="Attaching" ;;
	perf-sched) cmd=(perf sched record -o "$TMP/perf.data"); ready="" ;;
	perf-trace) cmd=(perf trace -s -a -o "$TMP/perf-trace.txt"); ready="" ;;
	trace-cmd) cmd=(trace-cmd record -e sched_switch -d --no-filter -o "$TMP/trace.dat")
		ready="Hit Ctrl" ;;
	*) return 1 ;;
	esac
	stdbuf -oL -eL "${cmd[@]}" >"$tlog" 2>&1 </dev/null &
	TRACER_PID=$!
	if ! wait_ready "$TRACER_PID" "$tlog" "$ready"; then
		note "$cfg: did not start: $(grep -v -i 'memlock\|^$' "$tlog" | tail -1)"
		stop_tracer "$TRACER_PID"
		TRACER_PID=""
		return 1
	fi
	sleep 0.3	# let every probe settle
	return 0
}

cleanup_tracer() {
	stop_tracer "$TRACER_PID"
	TRACER_PID=""
	case $1 in
	trace-cmd) echo 1 >/sys/kernel/tracing/tracing_on 2>/dev/null ;;	# peers.md
	esac
	rm -f "$TMP/perf.data" "$TMP/perf.data.old" "$TMP/trace.dat"* "$TMP/perf-trace.txt"
}

# Run workload $1 under configuration $2 once; print its time or nothing.
run_one() {
	local wl=$1 cfg=$2 out=$TMP/wl.out kout=$TMP/ksee.out cmd
	cmd=$(wl_cmd "$wl")
	: >"$out"
	case $cfg in
	untraced)
		$cmd >"$out" 2>"$TMP/wl.err" ;;
	ksee)
		"$KSEE" run -o "$kout" -- $cmd >"$out" 2>"$TMP/wl.err" ;;
	ksee-syscalls)
		"$KSEE" run --syscalls -o "$kout" -- $cmd >"$out" 2>"$TMP/wl.err" ;;
	ksee-usdt)
		"$KSEE" run --markers=usdt -o "$kout" -- $cmd >"$out" 2>"$TMP/wl.err" ;;
	ksee-timeline)
		"$KSEE" run --timeline --record "$TMP/rec.ksee" -o "$kout" -- $cmd >"$out" 2>"$TMP/wl.err"
		rm -f "$TMP/rec.ksee" ;;
	ksee-idle|ksee-timeline-idle|ksee-syscalls-idle)
		sleep 100000 &
		IDLE_PID=$!
		local extra=()
		[ "$cfg" = ksee-timeline-idle ] && extra=(--timeline --record "$TMP/rec.ksee")
		[ "$cfg" = ksee-syscalls-idle ] && extra=(--syscalls)
		"$KSEE" attach "${extra[@]}" -p "$IDLE_PID" -o "$kout" >/dev/null 2>"$TMP/tracer.log" &
		TRACER_PID=$!
		if wait_ready "$TRACER_PID" "$TMP/tracer.log" "tracing"; then
			sleep 0.3
			$cmd >"$out" 2>"$TMP/wl.err"
		else
			note "$cfg: did not start: $(tail -1 "$TMP/tracer.log")"
		fi
		stop_tracer "$TRACER_PID"
		TRACER_PID=""
		kill "$IDLE_PID" 2>/dev/null
		wait "$IDLE_PID" 2>/dev/null
		rm -f "$TMP/rec.ksee"
		IDLE_PID="" ;;
	*)
		if start_tracer "$cfg"; then
			$cmd >"$out" 2>"$TMP/wl.err"
		fi
		cleanup_tracer "$cfg" ;;
	esac
	wl_result "$out"
}

# Each ksee mode next to its own floor (floor_of).
configs_for() {
	local c="untraced floor ksee floor-syscalls ksee-syscalls"
	[ "$HAVE_TIMELINE" = 1 ] && c="$c ksee-timeline"
	if [ "$1" = bystander ]; then
		c="untraced floor ksee-idle floor-syscalls ksee-syscalls-idle"
		[ "$HAVE_TIMELINE" = 1 ] && c="$c ksee-timeline-idle"
		echo "$c"
		return
	fi
	# Markers: ksee's two ways of reading them; the peers do not read them.
	if [ "$1" = markers ]; then
		echo "untraced floor ksee floor-usdt ksee-usdt"
		return
	fi
	[ "$1" = epoll ] && c="$c floor-usdt ksee-usdt"
	# The old floor (sched_switch + sys_enter + sys_exit) and its switch hook alone.
	[ "$1" = pingpong ] && c="$c floor-switch floor-all"
	echo "$c$WORKING_PEERS"
}

# The floor a configuration is measured against.
floor_of() {
	case $1 in
	ksee-syscalls|ksee-syscalls-idle) echo floor-syscalls ;;
	ksee-usdt) echo floor-usdt ;;
	untraced|floor*) echo "" ;;
	*) echo floor ;;
	esac
}

cfg_desc() {
	case $1 in
	untraced) echo "untraced" ;;
	floor) echo "floor of the default mode: empty handlers on its hooks" ;;
	floor-syscalls) echo "floor of --syscalls: empty handlers on its hooks" ;;
	floor-usdt) echo "floor of --markers=usdt: empty handlers on its hooks" ;;
	floor-all) echo "not a floor: empty tp_btf sched_switch + sys_enter + sys_exit (the floor before 2026-11-26)" ;;
	floor-switch) echo "part of the floor: empty tp_btf sched_switch only" ;;
	floor-sys) echo "part of the floor: empty tp_btf sys_enter + sys_exit only" ;;
	floor-slowpath) echo "not the floor: empty classic tracepoint syscalls/sys_exit_epoll_wait (a syscall the storm never makes)" ;;
	ksee) echo "ksee run (default mode)" ;;
	ksee-usdt) echo "ksee run --markers=usdt (a uprobe trap per marker)" ;;
	ksee-syscalls) echo "ksee run --syscalls" ;;
	ksee-syscalls-idle) echo "ksee attach --syscalls -p (idle sleep), storm untraced" ;;
	ksee-timeline) echo "ksee run --timeline --record FILE" ;;
	ksee-idle) echo "ksee attach -p (idle sleep), storm untraced" ;;
	ksee-timeline-idle) echo "ksee attach --timeline --record FILE -p (idle sleep), storm untraced" ;;
	bpftrace) echo "bpftrace: switch count + syscall time per tid" ;;
	perf-sched) echo "perf sched record (system-wide)" ;;
	perf-trace) echo "perf trace -s -a" ;;
	trace-cmd) echo "trace-cmd record -e sched_switch -d --no-filter" ;;
	*) echo "$1 (libbpf-tools)" ;;
	esac
}

# --- the measurements -----------------------------------------------------------

rotate() {	# rotate list "$2..." left by $1
	local n=$1; shift
	local a=("$@") i len=$#
	for ((i = 0; i < len; i++)); do printf '%s ' "${a[$(((i + n) % len))]}"; done
}

for wl in $WORKLOADS; do
	cfgs=$(configs_for "$wl")
	CUR_WL=$wl
	for cfg in $cfgs; do	# the floors' hook lists, outside the timed runs
		case $cfg in floor|floor-syscalls|floor-usdt) hooks_file "$wl" "$cfg" >/dev/null ;; esac
	done
	log "bench: $wl: $(reps_of "$wl") repetitions of: $cfgs"
	$(wl_cmd "$wl") >/dev/null 2>&1	# warm-up: page cache, CPU frequency
	for rep in $(seq "$(reps_of "$wl")"); do
		for cfg in $(rotate "$rep" $cfgs); do
			t=$(run_one "$wl" "$cfg")
			if [ -n "$t" ]; then
				printf '%s\t%s\t%s\t%s\n' "$wl" "$cfg" "$rep" "$t" >>"$TIMES"
				# the fast decile wants enough batches (workload.h)
				case ${t##*	} in
				-|[0-9][0-9][0-9]*) ;;
				*) note "$cfg on $wl: only ${t##*	} batches in repetition $rep (fewer than 100)" ;;
				esac
			else
				note "$cfg on $wl: no result in repetition $rep"
			fi
			printf '.' >&2
		done
		cut -d' ' -f1 /proc/loadavg >>"$LOADS"
	done
	printf '\n' >&2
done

# --- BPF run time per program (kernel.bpf_stats_enabled) -------------------------

# The ids of the BPF programs process $1 holds open (other sessions on the
# machine may run their own ksee: count only ours), as a JSON array.
prog_ids() {
	grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{ print $2 }' | sort -un | jq -s -c .
}

# run_time_ns and run_cnt, per name, of the programs of process $1, now.
prog_stats() {
	bpftool -j prog show 2>/dev/null | jq -r --argjson ids "$(prog_ids "$1")" \
		'.[] | select(.id as $i | $ids | index($i)) |
		 "\(.name) \(.run_time_ns // 0) \(.run_cnt // 0)"' |
		awk '{ t[$1] += $2; c[$1] += $3 } END { for (n in t) print n, t[n], c[n] }' | sort
}

# Per-program cost of tracer $1 (floor, ksee, "ksee --syscalls") on workload
# $2: pingpong (the storm) or threads (a thread per request, attached to
# while it runs).
prog_profile() {
	local who=$1 wl=${2:-pingpong} pid="" tpid cmd
	cmd="$BIN/pingpong -c 1 -t 10"
	[ "$wl" = threads ] && cmd="$DEMOS/threads -r 1000000 -c 32 -d 0 -w 0"
	if [ "$who" = floor ]; then
		$cmd >"$TMP/prof.wl" &
		pid=$!
		"$BIN/floor" --hooks "$(hooks_file bystander floor)" 2>"$TMP/prof.log" &
		tpid=$!
		wait_ready "$tpid" "$TMP/prof.log" "attached"
	elif [ "$wl" = threads ]; then
		# `ksee run`: a thread-per-request process is traced from its start
		"$KSEE" run -o "$TMP/prof.ksee" -- $cmd >"$TMP/prof.wl" 2>"$TMP/prof.log" &
		tpid=$!
		sleep 2
	else
		$cmd >"$TMP/prof.wl" &
		pid=$!
		local extra=()
		[ "$who" = "ksee --syscalls" ] && extra=(--syscalls)
		"$KSEE" attach "${extra[@]}" -p "$pid" -o "$TMP/prof.ksee" 2>"$TMP/prof.log" &
		tpid=$!
		wait_ready "$tpid" "$TMP/prof.log" "tracing"
	fi
	sleep 0.5
	prog_stats "$tpid" >"$TMP/prof.a"
	sleep 2
	prog_stats "$tpid" >"$TMP/prof.b"
	stop_tracer "$tpid"
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null	# no need to wait for its end
		wait "$pid" 2>/dev/null
	fi
	# the floor's slots by the hook each one was pointed at
	join "$TMP/prof.a" "$TMP/prof.b" | awk -v who="$who" -v wl="${2:-pingpong}" \
		-v hooks="$(grep -o 'tp_btf/.*' "$(hooks_file bystander floor)" | cut -d/ -f2 | tr '\n' ' ')" '
		BEGIN { n = split(hooks, h, " "); for (i = 1; i <= n; i++) name["floor_tp" (i - 1)] = "empty " h[i] }
		$1 in name { $1 = name[$1] }
		{ dt = $4 - $2; dc = $5 - $3
		  if (dc > 0) printf "| %s | %s | %s | %.0f | %.1f | %.1f |\n", wl, who, $1, dc / 2, dt / dc, dt / 2 / 1e6 }'
}

old_stats=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo 0)
sysctl -qw kernel.bpf_stats_enabled=1 2>/dev/null
PROFILE=$TMP/profile.md
: >"$PROFILE"
if [ "$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null)" = 1 ] && command -v jq >/dev/null; then
	log "bench: BPF run time per program (kernel.bpf_stats_enabled=1)"
	{
		prog_profile floor; prog_profile ksee; prog_profile "ksee --syscalls"
		prog_profile floor threads; prog_profile ksee threads
	} >"$PROFILE"
fi
sysctl -qw kernel.bpf_stats_enabled="$old_stats" 2>/dev/null

# --- ksee's own CPU and memory while tracing the storm -----------------------------

log "bench: ksee's own CPU and memory"
SELF=$TMP/self.txt
$BIN/pingpong -c 1 -t 5 >"$TMP/self.wl" &
spid=$!
sleep 0.2
/usr/bin/time -f 'user_s=%U sys_s=%S maxrss_kb=%M' -o "$TMP/self.time" \
	"$KSEE" attach -p "$spid" -d 4 -o "$TMP/self.ksee" 2>"$TMP/self.log" &
tpid=$!
sleep 2
# BPF memory: the maps of ksee's programs (bytes_memlock, as the kernel charges them)
bpf_mem=$(bpftool -j prog show 2>/dev/null | jq --argjson ids "$(prog_ids "$(pgrep -P "$tpid" -x ksee | head -1)")" \
	'[.[] | select(.id as $i | $ids | index($i)) | .map_ids[]?] | unique' 2>/dev/null |
	jq -r '.[]' | while read -r id; do bpftool -j map show id "$id" 2>/dev/null | jq '.bytes_memlock // 0'; done |
	awk '{ s += $1 } END { printf "%.1f", s / 1048576 }')
wait "$tpid" 2>/dev/null
wait "$spid" 2>/dev/null
{
	echo "ksee_cpu $(cat "$TMP/self.time" 2>/dev/null | tail -1)"
	echo "bpf_maps_mib ${bpf_mem:-?}"
	echo "switches $(grep -o '[0-9]* voluntary, [0-9]* involuntary' "$TMP/self.ksee" | awk '{ print $1 + $3 }')"
} >"$SELF"

# --- the report -------------------------------------------------------------------

# median min max n of column $3 of the runs of ($1 workload, $2 config) that
# have it: 4 (default) the run's time, 5 its fast_ns, 6 its median_ns
stats() {
	awk -F'\t' -v w="$1" -v c="$2" -v k="${3:-4}" \
		'$1 == w && $2 == c && $k != "-" && $k != "" { print $k }' "$TIMES" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) exit
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m, v[1], v[NR], NR }'
}

# The fastest quarter of the run times of ($1, $2), at least 3 runs (all of
# them when fewer): its median, min, max, its runs, and all runs.
fast_quarter() {
	awk -F'\t' -v w="$1" -v c="$2" '$1 == w && $2 == c { print $4 }' "$TIMES" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) exit
			k = int((NR + 3) / 4); if (k < 3) k = 3; if (k > NR) k = NR
			m = k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
			print m, v[1], v[k], k, NR }'
}

# How workload $1 is measured: "fast" (its runs' fast-decile times),
# "quarter" (a demo: the fastest quarter of its runs) or "median" (whole
# run times, from an earlier run's times without batches).
method_of() {
	if awk -F'\t' -v w="$1" '$1 == w && $5 != "-" && $5 != "" { f = 1 } END { exit !f }' "$TIMES"; then
		echo fast
	elif is_demo "$1"; then
		echo quarter
	else
		echo median
	fi
}

# The measure of ($1, $2): "value min max runs [all runs]"
measure() {
	case $(method_of "$1") in
	fast) stats "$1" "$2" 5 ;;
	quarter) fast_quarter "$1" "$2" ;;
	*) stats "$1" "$2" ;;
	esac
}

ratio_of() {	# slowdown of ($1, $2) against untraced, by the workload's measure
	local s u
	s=$(measure "$1" "$2"); u=$(measure "$1" untraced)
	[ -n "$s" ] && [ -n "$u" ] && awk -v a="${s%% *}" -v b="${u%% *}" 'BEGIN { printf "%.3f", a / b }'
}

fmt_table() {
	local wl=$1 m u cfg s fr fc
	m=$(method_of "$wl")
	u=$(measure "$wl" untraced); u=${u%% *}
	case $m in
	fast)
		echo "| configuration | runs | fast decile, ns/op: median | range | slowdown | slowdown range | overhead / own floor's | median batch, ns/op | run time: median (s) | range (s) |"
		echo "|---|---|---|---|---|---|---|---|---|---|" ;;
	quarter)
		echo "| configuration | fastest runs, of | fastest quarter: median (s) | range (s) | slowdown | slowdown range | overhead / own floor's | all runs: median (s) | range (s) |"
		echo "|---|---|---|---|---|---|---|---|---|" ;;
	*)
		echo "| configuration | runs | time median (s) | range (s) | slowdown | slowdown range | overhead / own floor's |"
		echo "|---|---|---|---|---|---|---|" ;;
	esac
	for cfg in $(configs_for "$wl"); do
		s=$(measure "$wl" "$cfg")
		if [ -z "$s" ]; then
			echo "| $(cfg_desc "$cfg") | 0 | failed | | | | |"
			continue
		fi
		fc=$(floor_of "$cfg")
		fr=""
		[ -n "$fc" ] && fr=$(ratio_of "$wl" "$fc")
		echo "$s" | awk -v m="$m" -v d="$(cfg_desc "$cfg")" -v u="$u" -v fr="$fr" -v fc="${fc#floor}" \
			-v e="$(stats "$wl" "$cfg")" -v b="$(stats "$wl" "$cfg" 6)" '{
			r = $1 / u; of = (fr != "" && fr > 1) ? sprintf("%.1fx", (r - 1) / (fr - 1)) : "-"
			if (of != "-" && fc != "") of = of " (" substr(fc, 2) ")"
			split(e, E, " "); split(b, B, " ")
			if (m == "fast")
				printf "| %s | %d | %.1f | %.1f - %.1f | %.3f | %.3f - %.3f | %s | %.1f | %.4f | %.4f - %.4f |\n",
					d, $4, $1, $2, $3, r, $2 / u, $3 / u, of, B[1], E[1], E[2], E[3]
			else if (m == "quarter")
				printf "| %s | %d of %d | %.4f | %.4f - %.4f | %.3f | %.3f - %.3f | %s | %.4f | %.4f - %.4f |\n",
					d, $4, $5, $1, $2, $3, r, $2 / u, $3 / u, of, E[1], E[2], E[3]
			else
				printf "| %s | %d | %.4f | %.4f - %.4f | %.3f | %.3f - %.3f | %s |\n",
					d, $4, $1, $2, $3, r, $2 / u, $3 / u, of }'
	done
	if [ "$HAVE_TIMELINE" = 0 ]; then
		if [ "$wl" = bystander ]; then
			echo "| ksee attach --timeline -p (idle sleep), storm untraced | - | not available yet | | | | |"
		else
			echo "| ksee run --timeline | - | not available yet | | | | |"
		fi
	fi
}

# ns per marker of config $1 on the markers workload (its ops are markers)
ns_per_marker() {
	local s ops
	s=$(measure markers "$1")
	[ -n "$s" ] || return 0
	if [ "$(method_of markers)" = fast ]; then
		awk -v t="${s%% *}" 'BEGIN { printf "%.1f", t }'
	else
		ops=$(wl_cmd markers | sed 's/.*-n //')
		awk -v t="${s%% *}" -v n="$ops" 'BEGIN { printf "%.1f", t * 1e9 / (4 * n) }'
	fi
}

marker_verdicts() {
	local k u us fu er eu nz ku
	k=$(ns_per_marker ksee); u=$(ns_per_marker untraced); us=$(ns_per_marker ksee-usdt)
	fu=$(ns_per_marker floor-usdt)
	if [ -n "$k" ]; then
		nz=$(noisy markers ksee)
		if [ -n "$nz" ] && [ "$(method_of markers)" = fast ]; then
			set -- $(range_of markers ksee)
			nz=$(beyond_noise "$nz" "$(awk -v h="$2" 'BEGIN { print h <= 50 }')" \
				"$(awk -v l="$1" 'BEGIN { print l > 50 }')")
		fi
		awk -v k="$k" -v u="$u" -v us="$us" -v fu="$fu" -v nz="$nz" 'BEGIN {
			printf "- markers: a marker under ksee (marker block) costs at most 50 ns: **%s** (%.1f ns; untraced %.1f ns, --markers=usdt %.1f ns, its floor (an empty uprobe per marker) %.1f ns)\n",
				nz != "" ? nz : (k <= 50 ? "met" : "missed"), k, u, us, fu }'
	fi
	er=$(ratio_of epoll ksee); eu=$(ratio_of epoll ksee-usdt)
	if [ -n "$er" ]; then
		nz=$(noisy epoll ksee)
		if [ -n "$nz" ]; then
			ku="$(range_of epoll ksee) $(range_of epoll untraced)"
			nz=$(beyond_noise "$nz" "$(echo "$ku" | awk '{ print $2 / $3 <= 1.2 }')" \
				"$(echo "$ku" | awk '{ print $1 / $4 > 1.2 }')")
		fi
		awk -v e="$er" -v u="$eu" -v nz="$nz" 'BEGIN {
			printf "- epoll demo at a high request rate, markers traced: at most 1.2x untraced: **%s** (%.3f; with --markers=usdt %s)\n",
				nz != "" ? nz : (e <= 1.2 ? "met" : "missed"), e, u }'
	fi
}

# The spread of the measures of ($1 workload, $2 config, default untraced),
# in percent of their median, a tab, and what they are.
spread_of() {
	local m cfg=${2:-untraced} d="untraced runs"
	m=$(method_of "$1")
	[ "$cfg" = untraced ] || d="runs of \"$(cfg_desc "$cfg")\""
	measure "$1" "$cfg" | awk -v m="$m" -v d="$d" 'NF {
		sp = $1 > 0 ? 100 * ($3 - $2) / $1 : 0
		if (m == "fast") w = sprintf("the fast-decile times of the %d %s", $4, d)
		else if (m == "quarter") w = sprintf("the fastest %d of the %d %s", $4, $5, d)
		else w = sprintf("the times of the %d %s", $4, d)
		printf "%.1f\t%s\n", sp, w }'
}

# "" when the measures of workload $1, untraced and of each configuration
# given ($2...: those the target compares), agree within BENCH_NOISE_MAX
# percent (default 10) of their median; else why no target is judged: an
# untraced run in the fast state does not make a traced run in a slow one
# comparable.
NOISE_MAX=${BENCH_NOISE_MAX:-10}
noisy() {
	local wl=$1 cfg why
	shift
	for cfg in untraced "$@"; do
		why=$(spread_of "$wl" "$cfg" | awk -F'\t' -v max="$NOISE_MAX" '$1 > max {
			printf "not judged: %s vary by %.0f%% of their median", $2, $1 }')
		[ -n "$why" ] && { echo "$why"; return; }
	done
}

# "lo hi" of the measures of ($1 workload, $2 config): its fastest and slowest.
range_of() { measure "$1" "$2" | awk 'NF { print $2, $3 }'; }

# The verdict when the spread rule ($1, from noisy) withholds it: a target
# that holds even between the least favourable runs ($2 = 1), or fails even
# between the most favourable ones ($3 = 1), does so beyond the noise.
beyond_noise() {
	if [ -z "$1" ]; then
		return 1
	elif [ "$2" = 1 ]; then
		echo "met even between the least favourable runs (the spread rule alone would give no verdict: ${1#not judged: })"
	elif [ "$3" = 1 ]; then
		echo "missed even between the most favourable runs (the spread rule alone would give no verdict: ${1#not judged: })"
	else
		echo "$1"
	fi
}

# One line: each workload's untraced spread, the noise rule's input.
spreads() {
	local wl sp out=""
	for wl in $REPORT_WORKLOADS; do
		sp=$(spread_of "$wl")
		[ -n "$sp" ] && out="$out${out:+; }$wl ${sp%%	*}% (${sp#*	})"
	done
	[ -n "$out" ] && echo "- spread of the untraced measure, judged at ${NOISE_MAX}% or less: $out"
}

# The single-metric peers: one tool, one measurement (the libbpf-tools).
SINGLE_PEERS="runqlat offcputime wakeuptime syscount cpudist runqslower"

# noisy() for "config $2 no dearer than config $3 on workload $1", with
# beyond_noise(): $2's slowest run against $3's fastest, and the reverse.
no_dearer_than() {
	local nz
	nz=$(noisy "$1" "$2" "$3")
	[ -n "$nz" ] || return 0
	set -- $(range_of "$1" "$2") $(range_of "$1" "$3")
	beyond_noise "$nz" "$(awk -v a="$2" -v b="$3" 'BEGIN { print a <= b }')" \
		"$(awk -v a="$1" -v b="$4" 'BEGIN { print a > b }')"
}

# "- WL: what: **met|missed** (numbers)" for ksee config $2 against its own floor.
floor_verdict() {
	local wl=$1 cfg=$2 fc fr kr
	fc=$(floor_of "$cfg"); fr=$(ratio_of "$wl" "$fc"); kr=$(ratio_of "$wl" "$cfg")
	[ -n "$fr" ] && [ -n "$kr" ] || return 0
	awk -v f="$fr" -v k="$kr" -v wl="$wl" -v d="$(cfg_desc "$cfg")" -v nz="$(noisy "$wl" "$fc" "$cfg")" 'BEGIN {
		ok = (k - 1) <= 2 * (f - 1)
		printf "- %s: %s adds at most twice its own floor'"'"'s overhead: **%s** (%+.1f%% against the floor'"'"'s %+.1f%%, ratio %s)\n",
			wl, d, nz != "" ? nz : (ok ? "met" : "missed"), (k - 1) * 100, (f - 1) * 100,
			(f > 1) ? sprintf("%.1fx", (k - 1) / (f - 1)) : "n/a: the floor measured no cost" }'
}

verdicts() {
	local wl fr kr cr peer pr worse br dear dr nz
	spreads
	for wl in pingpong futexstorm; do
		floor_verdict "$wl" ksee
		kr=$(ratio_of "$wl" ksee); cr=$(ratio_of "$wl" cpudist)
		if [ -n "$kr" ] && [ -n "$cr" ]; then
			nz=$(no_dearer_than "$wl" ksee cpudist)
			awk -v k="$kr" -v c="$cr" -v wl="$wl" -v nz="$nz" 'BEGIN {
				printf "- %s: ksee default no dearer than cpudist (the cheapest single-metric peer): **%s** (ksee %.3f, cpudist %.3f)\n",
					wl, nz != "" ? nz : (k <= c ? "met" : "missed"), k, c }'
		fi
		worse=""
		for peer in $WORKING_PEERS; do
			pr=$(ratio_of "$wl" "$peer")
			[ -n "$pr" ] && [ -n "$kr" ] || continue
			awk -v k="$kr" -v p="$pr" 'BEGIN { exit !(k > p) }' && worse="$worse $peer ($pr)"
		done
		[ -n "$kr" ] && echo "- $wl: peers cheaper than ksee default (${kr}):${worse:- none}"
		floor_verdict "$wl" ksee-syscalls
	done
	# A thread per request: against the dearest single-metric peer of the same run.
	kr=$(ratio_of threads ksee)
	dear="" dr=""
	for peer in $SINGLE_PEERS; do
		pr=$(ratio_of threads "$peer")
		[ -n "$pr" ] || continue
		if [ -z "$dr" ] || awk -v p="$pr" -v d="$dr" 'BEGIN { exit !(p > d) }'; then
			dear=$peer dr=$pr
		fi
	done
	if [ -n "$kr" ] && [ -n "$dr" ]; then
		awk -v k="$kr" -v d="$dr" -v n="$dear" -v nz="$(no_dearer_than threads ksee "$dear")" 'BEGIN {
			printf "- threads (a thread per request): ksee no dearer than the dearest single-metric peer: **%s** (ksee %.3f, %s %.3f)\n",
				nz != "" ? nz : (k <= d ? "met" : "missed"), k, n, d }'
	fi
	marker_verdicts
	fr=$(ratio_of bystander floor); br=$(ratio_of bystander ksee-idle)
	if [ -n "$fr" ] && [ -n "$br" ]; then
		awk -v f="$fr" -v b="$br" -v nz="$(noisy bystander floor ksee-idle)" 'BEGIN {
			printf "- untraced processes pay no more than the floor: **%s** (storm untraced next to ksee %.3f, next to its floor %.3f)\n",
				nz != "" ? nz : (b <= f ? "met" : "missed"), b, f }'
	fi
	fr=$(ratio_of bystander floor-syscalls); br=$(ratio_of bystander ksee-syscalls-idle)
	[ -n "$br" ] && echo "- untraced processes next to ksee --syscalls: $br (next to its floor ${fr:-?})"
	if [ "$HAVE_TIMELINE" = 1 ]; then
		echo "- timeline mode drains at least 1M events/s without loss: see the timeline throughput table"
	else
		echo "- timeline mode drains at least 1M events/s without loss: **not measurable yet** (no \`--timeline\`)"
	fi
}

# Each traced task's timeline is, per switch, one "off" record (blocked,
# preempted or exit) and one "running" record, plus one per wakeup and one
# per new task: produced = 2 x (switches + exits) + wakeups + new tasks.
# events + lost must equal that (up to the few records of the first task's
# start-up): loss is reported exactly, not estimated.
timeline_throughput() {
	echo "| load | ring buffer | workload ops/s | events/s recorded | events | lost | produced (from the counts) | events + lost - produced |"
	echo "|---|---|---|---|---|---|---|---|"
	if [ "$HAVE_TIMELINE" = 0 ]; then
		echo "| ksee run --timeline | not available yet | | | | | | |"
		return
	fi
	local spec kb line
	for spec in "16384 pingpong -c 1" "16384 futexstorm -c -1 -T 32" "16384 yieldstorm -c 1 -T 2" \
		    "16384 yieldstorm -c -1 -T 8" "16384 yieldstorm -c -1 -T 32" \
		    "256 yieldstorm -c -1 -T 8" "64 yieldstorm -c -1 -T 8" "16 yieldstorm -c -1 -T 8" \
		    "8 yieldstorm -c -1 -T 8" "4 yieldstorm -c -1 -T 8"; do
		kb=${spec%% *}
		spec=${spec#* }
		KSEE_TIMELINE_RING_KB=$kb "$KSEE" run --timeline --record "$TMP/tl.rec" -j -o "$TMP/tl.json" -- \
			$BIN/${spec%% *} ${spec#* } -t 2 >"$TMP/tl.out" 2>&1
		line=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
tl, ps = d["timeline"], d["processes"]
sw = sum(p["voluntary"] + p["involuntary"] for p in ps)
tasks = sum(p["tasks"] for p in ps)
wk = sum(p["wakeups"] for p in ps)
prod = 2 * (sw + tasks) + wk + tasks
print("%.0f | %d | %d | %d | %+d" % (tl["events"] / (d["wall_ns"] / 1e9), tl["events"], tl["lost"],
      prod, tl["events"] + tl["lost"] - prod))' "$TMP/tl.json")
		rm -f "$TMP/tl.rec"
		echo "| ${spec} | ${kb} KiB | $(sed -n 's/.*ops_per_s=\([0-9]*\).*/\1/p' "$TMP/tl.out") | $line |"
	done
}

render_bench() {
	echo "| recording | events | format | render time | peak memory | output |"
	echo "|---|---|---|---|---|---|"
	if [ "$HAVE_RECORD" = 0 ]; then
		echo "| - | 1M, 10M | all | not available yet | | |"
		return
	fi
	local secs ev size fmt
	# pingpong makes about 700k events a second under --timeline: ~1M and ~10M
	for secs in 1.5 15; do
		"$KSEE" run --timeline --record "$TMP/rec" -j -o "$TMP/render.json" -- \
			$BIN/pingpong -c 1 -t "$secs" >/dev/null 2>&1
		ev=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["timeline"]["events"])' \
			"$TMP/render.json")
		size=$(du -h "$TMP/rec" | cut -f1)
		for fmt in text html perfetto md; do
			/usr/bin/time -f '%e s | %M KiB' -o "$TMP/render.time" \
				"$KSEE" report "$TMP/rec" --format "$fmt" -o "$TMP/out.$fmt" >/dev/null 2>&1
			echo "| pingpong ${secs} s ($size) | $ev | $fmt | $(tail -1 "$TMP/render.time") |" \
				"$(du -h "$TMP/out.$fmt" | cut -f1) |"
			rm -f "$TMP/out.$fmt"
		done
		rm -f "$TMP/rec"
	done
}

# Load average and steal over the run, from /proc/loadavg and /proc/stat.
load_desc() {
	local end
	if [ -n "${BENCH_TIMES_FROM:-}" ] &&
	   [ ! -s "$(dirname "$BENCH_TIMES_FROM")/bench-overhead-loads" ]; then
		echo "not recorded (times reused from $(basename "$BENCH_TIMES_FROM"), an earlier run)"
		return
	fi
	end=$(cpu_line)
	sort -g "$LOADS" | awk -v a="$CPU_START" -v b="$end" '{ v[NR] = $1 } END {
		split(a, x, " "); split(b, y, " "); t = y[1] - x[1]
		printf "1-minute load average %s to %s (median %s, %d samples, one per repetition), steal %.1f%% of the CPU time over the run",
			v[1], v[NR], v[int((NR + 1) / 2)], NR, (t > 0 ? 100 * (y[2] - x[2]) / t : 0) }'
}

section() {
	local wl
	echo "<!-- overhead:begin (generated by bench/overhead.sh; edits here are overwritten) -->"
	echo "## Overhead: ksee against the floor and the peer tracers"
	echo
	echo "Generated by \`make bench\` (bench/overhead.sh) on $(date -u +%Y-%m-%d), kernel $(uname -r),"
	echo "$(nproc) CPUs, ksee $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)."
	echo "$REPS repetitions ($DEMO_REPS for the demos, epoll and threads); in each, every"
	echo "configuration runs once, in an order rotated from one repetition to the next."
	echo "The numbers are the workload's own (it prints them), so tracer start-up and"
	echo "tear-down are left out. The measure (\"Overhead: method\" above): for the"
	echo "workloads that time their work in batches, a run's fast decile (the time per"
	echo "operation of its fastest tenth of batches), median over the repetitions; for"
	echo "the demos, the median of the fastest quarter of their runs (at least 3). The"
	echo "tables give beside it the median batch and the whole runs' times. Slowdown ="
	echo "measure / untraced measure; \"overhead / own floor's\" = (slowdown - 1) /"
	echo "(slowdown of the configuration's floor - 1): each ksee mode against its own"
	echo "floor (in brackets when not the default mode's), the peers against the default"
	echo "mode's."
	echo
	echo "Load on the machine during the run: $(load_desc). A target is judged only"
	echo "when the measures (each run's fast decile, or the demos' fastest quarter of"
	echo "runs) of the untraced runs and of every configuration the target compares"
	echo "agree within ${NOISE_MAX}% of their median (\`BENCH_NOISE_MAX\`); otherwise the"
	echo "verdict is still given when the target holds even between the least"
	echo "favourable runs, or fails even between the most favourable ones;"
	echo "otherwise the numbers are given and the verdict is not."
	echo
	echo "The floor of a mode is an empty BPF handler on each hook that mode attaches,"
	echo "taken from ksee's own list (\`KSEE_LIST_HOOKS=1 ksee run ...\` prints it;"
	echo "\`build/bench/floor --hooks FILE\` attaches it):"
	echo
	local f
	for f in "$TMP"/hooks.bystander.floor "$TMP"/hooks.bystander.floor-syscalls "$TMP"/hooks.markers.floor \
		 "$TMP"/hooks.markers.floor-usdt; do
		[ -s "$f" ] && echo "- ${f#"$TMP"/hooks.}: $(hooks_desc "$f")"
	done
	echo
	echo "### Targets"
	echo
	verdicts
	for wl in $REPORT_WORKLOADS; do
		echo
		echo "### $wl: $(wl_desc "$wl")"
		echo
		echo "\`$(wl_cmd "$wl" | sed "s|$OUTPUT|build|g")\`"
		echo
		fmt_table "$wl"
	done
	echo
	echo "### Where the time goes: BPF run time per program"
	echo
	echo "\`kernel.bpf_stats_enabled=1\`, run_time_ns and run_cnt from \`bpftool prog show\`,"
	echo "difference over 2 s (the stats add about 20-30 ns per run themselves), with"
	echo "\`pingpong -c 1 -t 10\` (the storm) or \`threads -r 1000000 -c 32 -d 0 -w 0\`"
	echo "(a thread per request) running; the floor here is the default mode's."
	echo
	echo "| workload | tracer | program | runs/s | ns/run | ms of CPU per s |"
	echo "|---|---|---|---|---|---|"
	if [ -s "$PROFILE" ]; then cat "$PROFILE"; else echo "| - | - | not measured (bpf_stats or jq unavailable) | | | |"; fi
	echo
	echo "### ksee's own CPU and memory while tracing the storm"
	echo
	echo "\`ksee attach -p PID -d 4\` on \`pingpong -c 1 -t 5\`, under \`/usr/bin/time\`; BPF map memory"
	echo "is bytes_memlock of the maps of the ksee programs, read while attached."
	echo
	echo "| ksee process | BPF maps | switches traced |"
	echo "|---|---|---|"
	echo "| $(sed -n 's/^ksee_cpu //p' "$SELF") | $(sed -n 's/^bpf_maps_mib //p' "$SELF") MiB | $(sed -n 's/^switches //p' "$SELF") |"
	echo
	echo "### Timeline throughput (events drained without loss, where loss begins)"
	echo
	timeline_throughput
	echo
	echo "### Recording rendering (\`ksee report FILE --format F -o OUT\`, real recordings)"
	echo
	render_bench
	echo
	echo "### Peers"
	echo
	echo "Run here:$WORKING_PEERS. The libbpf-tools run with their defaults (histograms"
	echo "or counts kept in the kernel, printed at Ctrl-C); \`bpftrace\` runs:"
	echo
	echo '```'
	echo "$BPFTRACE_PROG"
	echo '```'
	echo
	echo "Not run, and why:"
	echo
	echo "- bcc's Python tools (\`bpfcc-tools\`): need kernel headers; this kernel ships none (IKHEADERS off)."
	echo "- \`perf sched latency\`: runs but miscounts on this kernel (about 1% of the switches); \`perf sched record\` is what is timed."
	echo "- \`perf trace -s\`: works, but costs about 20x on a switch storm (peers.md); left out of the default"
	echo "  set so the run stays short: \`BENCH_PEERS=perf-trace make bench-overhead\` measures it."
	echo "- \`trace-cmd record\` works only with \`-d --no-filter\`, then exits 1 on EPERM and leaves tracing_on at 0 (set back to 1 after each run)."
	if [ -s "$NOTES" ]; then
		echo
		echo "Problems in this run:"
		echo
		sed 's/^/- /' "$NOTES"
	fi
	echo
	echo "Reproduce: \`sudo make bench\` (everything) or \`sudo make bench-overhead\`;"
	echo "\`BENCH_REPS=N\`, \`BENCH_DEMO_REPS=N\`, \`BENCH_PEERS=\"runqlat bpftrace\"\`,"
	echo "\`BENCH_WORKLOADS=\"pingpong bystander\"\`, \`BENCH_QUICK=1\` (3 short repetitions)."
	echo "<!-- overhead:end -->"
}

section >"$TMP/section.md"
if [ "$README" = - ]; then
	cat "$TMP/section.md"
	exit 0
fi
if [ ! -f "$README" ]; then
	printf '# Benchmarks\n\n`make bench` runs every benchmark and regenerates its section of this file.\n\n' >"$README"
fi
if grep -q '<!-- overhead:begin' "$README"; then
	awk -v f="$TMP/section.md" '
		/<!-- overhead:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/<!-- overhead:end -->/ { skip = 0; next }
		!skip' "$README" >"$TMP/readme.new"
else
	{ cat "$README"; echo; cat "$TMP/section.md"; } >"$TMP/readme.new"
fi
cat "$TMP/readme.new" >"$README"
cat "$TMP/section.md"
