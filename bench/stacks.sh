#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/stacks.sh: what off-CPU call stacks cost, side by side in one run:
# ksee in its default mode, ksee --stacks, libbpf-tools offcputime (kernel
# and frame-pointer user stacks, system-wide) and perf record
# --call-graph dwarf (copies of the user stack per switch), on the switch
# storms of the overhead benchmark; and how complete each one's user stacks
# are (the share of the workload's stacks that reach main or the thread's
# start). Run by `make bench` (target bench-stacks); needs root.
#
# Environment: OUTPUT (build dir), BENCH_REPS (default 5), BENCH_README
# (default bench/README.md; "-" prints the section only), BENCH_QUICK=1.
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTPUT=${OUTPUT:-$ROOT/build}
KSEE=$OUTPUT/ksee
BIN=$OUTPUT/bench
REPS=${BENCH_REPS:-5}
QUICK=${BENCH_QUICK:-0}
README=${BENCH_README:-$ROOT/bench/README.md}
[ "$QUICK" = 1 ] && REPS=${BENCH_REPS:-2}

if [ "$(id -u)" != 0 ]; then
	echo "bench/stacks.sh: needs root (tracers load BPF programs)" >&2
	exit 1
fi
for f in "$KSEE" "$BIN/pingpong" "$BIN/futexstorm"; do
	[ -x "$f" ] || { echo "bench/stacks.sh: missing $f (make bench builds it)" >&2; exit 1; }
done
TMP=$(mktemp -d /tmp/ksee-bench-stacks.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TIMES=$TMP/times.tsv	# workload config rep seconds complete%
: >"$TIMES"
NOTES=$TMP/notes
: >"$NOTES"
note() { grep -qxF -- "$*" "$NOTES" || printf '%s\n' "$*" >>"$NOTES"; }

CONFIGS="untraced ksee ksee-stacks"
if command -v offcputime >/dev/null 2>&1 || [ -x /usr/sbin/offcputime ] ||
   { apt-get install -y -qq libbpf-tools >/dev/null 2>&1 && [ -x /usr/sbin/offcputime ]; }; then
	CONFIGS="$CONFIGS offcputime"
else
	note "offcputime: skipped: Debian package libbpf-tools could not be installed"
fi
if command -v perf >/dev/null 2>&1 ||
   { apt-get install -y -qq linux-perf >/dev/null 2>&1 && command -v perf >/dev/null 2>&1; }; then
	CONFIGS="$CONFIGS perf-dwarf"
else
	note "perf: skipped: Debian package linux-perf could not be installed"
fi

wl_cmd() {
	case $1 in
	pingpong) echo "$BIN/pingpong -c 1 -n $([ "$QUICK" = 1 ] && echo 50000 || echo 200000)" ;;
	futexstorm) echo "$BIN/futexstorm -c 1 -T 8 -n $([ "$QUICK" = 1 ] && echo 100000 || echo 400000)" ;;
	esac
}

wl_seconds() { sed -n 's/.*elapsed_s=\([0-9.]*\).*/\1/p' "$1" | head -1; }

# Share (percent) of the folded stacks' weight on lines of command $2 in file
# $1 that reach main or a thread's start: a complete user stack.
folded_complete() {
	awk -v comm="$2" '
		index($0, comm) == 1 || index($0, comm "-") == 1 {
			v = $NF; total += v
			if ($0 ~ /(start_thread|__libc_start_call_main|__libc_start_main)/) ok += v
		}
		END { if (total) printf "%.0f\n", 100 * ok / total; else print "-" }' "$1"
}

# The same for offcputime's blocks: frames, "-  comm (pid)", the time in us.
offcputime_complete() {
	awk -v comm="$2" 'BEGIN { RS = "" }
		{
			n = split($0, l, "\n"); v = l[n] + 0
			if (l[n - 1] !~ ("-[ \t]+" comm " \\(")) next
			total += v
			if ($0 ~ /(start_thread|__libc_start_call_main|__libc_start_main)/) ok += v
		}
		END { if (total) printf "%.0f\n", 100 * ok / total; else print "-" }' "$1"
}

# The same for `perf script` output: samples whose chain reaches the start.
perf_complete() {
	perf script -i "$1" -F comm,ip,sym 2>/dev/null | head -n 400000 | awk -v comm="$2" '
		/^[^ \t]/ { if (n && in_wl) { total++; if (ok) good++ } n = 1; ok = 0
			in_wl = ($1 == comm); next }
		/(start_thread|__libc_start_call_main|__libc_start_main)/ { ok = 1 }
		END { if (n && in_wl) { total++; if (ok) good++ }
			if (total) printf "%.0f\n", 100 * good / total; else print "-" }'
}

# Run workload $1 under configuration $2 once: "seconds complete%".
run_one() {
	local wl=$1 cfg=$2 out=$TMP/wl.out cmd comm pid c="-"
	cmd=$(wl_cmd "$wl")
	comm=$wl
	: >"$out"
	case $cfg in
	untraced)
		$cmd >"$out" 2>/dev/null ;;
	ksee)
		"$KSEE" run -o "$TMP/k.txt" -- $cmd >"$out" 2>/dev/null ;;
	ksee-stacks)
		"$KSEE" run --stacks -o "$TMP/k.folded" -- $cmd >"$out" 2>/dev/null
		c=$(folded_complete "$TMP/k.folded" "$comm") ;;
	offcputime)
		/usr/sbin/offcputime >"$TMP/o.txt" 2>/dev/null &
		pid=$!
		sleep 1.5	# it prints nothing until the end: let it attach
		$cmd >"$out" 2>/dev/null
		kill -INT "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		c=$(offcputime_complete "$TMP/o.txt" "$comm") ;;
	perf-dwarf)
		perf record -q -e sched:sched_switch --call-graph dwarf -o "$TMP/perf.data" -- \
			$cmd >"$out" 2>/dev/null
		c=$(perf_complete "$TMP/perf.data" "$comm")
		rm -f "$TMP/perf.data" ;;
	esac
	t=$(wl_seconds "$out")
	[ -n "$t" ] && echo "$t $c"
}

for wl in pingpong futexstorm; do
	echo "bench-stacks: $wl: $REPS repetitions of: $CONFIGS" >&2
	$(wl_cmd "$wl") >/dev/null 2>&1	# warm-up
	for rep in $(seq "$REPS"); do
		for cfg in $CONFIGS; do
			r=$(run_one "$wl" "$cfg")
			if [ -n "$r" ]; then
				printf '%s\t%s\t%s\t%s\n' "$wl" "$cfg" "$rep" "${r// /$'\t'}" >>"$TIMES"
			else
				note "$cfg on $wl: no result in repetition $rep"
			fi
			printf '.' >&2
		done
	done
	printf '\n' >&2
done

cfg_desc() {
	case $1 in
	untraced) echo "untraced" ;;
	ksee) echo "ksee run (default mode, no stacks)" ;;
	ksee-stacks) echo "ksee run --stacks" ;;
	offcputime) echo "offcputime (libbpf-tools, system-wide)" ;;
	perf-dwarf) echo "perf record -e sched:sched_switch --call-graph dwarf" ;;
	esac
}

table() {
	local wl=$1 base
	base=$(awk -v w="$wl" '$1 == w && $2 == "untraced" { print $4 }' "$TIMES" | sort -g |
		awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }')
	echo "| configuration | median s | range s | slowdown | user stacks complete |"
	echo "|---|---|---|---|---|"
	for cfg in $CONFIGS; do
		awk -v w="$wl" -v c="$cfg" '$1 == w && $2 == c { print $4, $5 }' "$TIMES" | sort -g |
			awk -v d="$(cfg_desc "$cfg")" -v b="$base" '
				{ t[NR] = $1; if ($2 != "-") { s += $2; k++ } }
				END {
					if (!NR) { printf "| %s | - | - | - | - |\n", d; exit }
					m = t[int((NR + 1) / 2)]
					printf "| %s | %.3f | %.3f-%.3f | %s | %s |\n", d, m, t[1], t[NR],
						b ? sprintf("%.2fx", m / b) : "-",
						k ? sprintf("%.0f%%", s / k) : "n/a"
				}'
	done
}

section() {
	echo "<!-- stacks:begin (generated by bench/stacks.sh; edits here are overwritten) -->"
	echo "## Off-CPU stacks: ksee --stacks against offcputime and perf --call-graph dwarf"
	echo
	echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, kernel $(uname -r), $REPS repetitions, each"
	echo "configuration in turn; the time is the workload's own. \"User stacks complete\" is the"
	echo "share of the workload's off-CPU weight (perf: of its samples) whose stack reaches"
	echo "\`main\` or the thread's start (\`start_thread\`), through glibc."
	for wl in pingpong futexstorm; do
		echo
		echo "### $wl"
		echo
		echo "\`$(wl_cmd "$wl" | sed "s|$OUTPUT|build|g")\`"
		echo
		table "$wl"
	done
	if [ -s "$NOTES" ]; then
		echo
		echo "Problems in this run:"
		echo
		sed 's/^/- /' "$NOTES"
	fi
	echo
	echo "Reproduce: \`sudo make bench-stacks\` (\`BENCH_REPS=N\`, \`BENCH_QUICK=1\`)."
	echo "<!-- stacks:end -->"
}

section >"$TMP/section.md"
if [ "$README" = - ]; then
	cat "$TMP/section.md"
	exit 0
fi
if grep -q '<!-- stacks:begin' "$README"; then
	awk -v f="$TMP/section.md" '
		/<!-- stacks:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
		/<!-- stacks:end -->/ { skip = 0; next }
		!skip' "$README" >"$TMP/readme.new"
else
	{ cat "$README"; echo; cat "$TMP/section.md"; } >"$TMP/readme.new"
fi
cat "$TMP/readme.new" >"$README"
cat "$TMP/section.md"
