#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# ksee's peak memory against the number of traced processes: `ksee run -j`
# on churn_fork N (N short-lived children, one after another), for each N
# in BENCH_MEMORY_NS, and the peak RSS of ksee (GNU time's %M, KiB).
# Prints a Markdown table for bench/README.md. Root needed.
set -eu
out=${OUTPUT:?OUTPUT=the build directory}
ns=${BENCH_MEMORY_NS:-"1000 2500 5000 10000 20000 40000"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x /usr/bin/time ] || { echo "bench-memory: /usr/bin/time missing (Debian package time)"; exit 1; }
echo "| children | peak RSS of ksee run -j | per child |"
echo "|---:|---:|---:|"
base=
for n in $ns; do
	/usr/bin/time -f %M -o "$tmp/rss" "$out/ksee" run -j -o "$tmp/r.json" -- \
		"$out/tests/progs/churn_fork" "$n" >/dev/null 2>"$tmp/err" ||
		{ echo "bench-memory: ksee failed at $n:"; cat "$tmp/err"; exit 1; }
	kb=$(tail -1 "$tmp/rss")
	if [ -z "$base" ]; then per=-; else per="$(( (kb - base) * 1024 / (n - bn) )) B"; fi
	[ -z "$base" ] && { base=$kb; bn=$n; }
	printf '| %d | %d MiB | %s |\n' "$n" $((kb / 1024)) "$per"
done
