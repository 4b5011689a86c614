#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs cmocka test binaries one after another, keeps going after a failure,
# and ends with one line: "N passed, N failed, N skipped" (test cases).
# Exit status: 0 only if no test case failed and every binary ran to its end.
set -u
passed=0 failed=0 skipped=0 broken=()
for t in "$@"; do
	[ -x "$t" ] || { echo "missing test binary: $t"; broken+=("$t"); continue; }
	out=$(mktemp)
	"$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | tail -1)	# each printed its reason
	rm -f "$out"
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		echo "test binary $t exited with status $rc without a cmocka summary"
		broken+=("$t")
	fi
done
echo
[ "$skipped" -gt 0 ] && echo "NOTE: $skipped test case(s) were SKIPPED; their reasons are printed above"
[ ${#broken[@]} -gt 0 ] && echo "broken test binaries: ${broken[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#broken[@]} -eq 0 ]
