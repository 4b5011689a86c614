#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The layering check (README.md, "How it is built"): reads the #include
# "..." lines of bpf/ and user/ under ROOT (default: the project) and fails
# when a file includes one from a higher layer or from a sibling layer,
# when files include each other in a circle, or when a source file of
# user/ sits outside the layer folders. Prints one line per fault.
#
# Layers, lowest first: bpf (the kernel/user ABI), user/model, then
# user/output and user/trace side by side, then user/cli.
set -u
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root" || { echo "check-layers: no such directory: $root"; exit 2; }

rank_of() {
	case $1 in
	bpf/*) echo 0 ;;
	user/model/*) echo 1 ;;
	user/output/*) echo 2 ;;
	user/trace/*) echo 2 ;;
	user/cli/*) echo 3 ;;
	build/*|generated) echo 0 ;;	# vmlinux.h, the skeleton: generated from bpf/
	*) echo x ;;
	esac
}

layer_of() { dirname "$1"; }

faults=0
fault() { echo "check-layers: $*"; faults=$((faults + 1)); }

# An include as the compiler finds it: beside the file, then -Iuser, then -Ibpf.
resolve() {
	local from=$1 inc=$2
	if [ -e "$(dirname "$from")/$inc" ]; then
		realpath -m --relative-to=. "$(dirname "$from")/$inc"
	elif [ -e "user/$inc" ]; then
		echo "user/$inc"
	elif [ -e "bpf/$inc" ]; then
		echo "bpf/$inc"
	else
		echo generated
	fi
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
files=$(find bpf user -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
[ -n "$files" ] || { echo "check-layers: no sources under $root/bpf or $root/user"; exit 2; }
for f in $files; do
	fr=$(rank_of "$f")
	if [ "$fr" = x ]; then
		fault "$f is not in a layer folder (user/cli, user/trace, user/output, user/model)"
		continue
	fi
	echo "$f $f" >>"$edges"
	while IFS= read -r inc; do
		to=$(resolve "$f" "$inc")
		[ "$to" = generated ] && continue
		echo "$f $to" >>"$edges"
		tr=$(rank_of "$to")
		if [ "$tr" = x ]; then
			fault "$f includes $to, which is outside the layers"
		elif [ "$tr" -gt "$fr" ]; then
			fault "$f includes $to from a higher layer ($(layer_of "$to") is above $(layer_of "$f"))"
		elif [ "$tr" -eq "$fr" ] && [ "$(layer_of "$to")" != "$(layer_of "$f")" ]; then
			fault "$f includes $to from a sibling layer ($(layer_of "$to") and $(layer_of "$f") may not include each other)"
		fi
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
done

# tsort names a loop when files include each other, directly or in a circle.
if ! loop=$(tsort "$edges" 2>&1 >/dev/null) || [ -n "$loop" ]; then
	fault "files include each other in a circle: $(echo "$loop" | sed -n 's/^tsort: //p' | grep -v 'input contains a loop' | tr '\n' ' ')"
fi

if [ "$faults" -gt 0 ]; then
	echo "check-layers: $faults fault(s)"
	exit 1
fi
echo "check-layers: $(echo "$files" | wc -l) files, layers respected, no circles"
