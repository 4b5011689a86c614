# SPDX-License-Identifier: GPL-2.0-only
# bash completion for ksee(1)
_ksee()
{
	local cur prev words cword
	_init_completion || return

	local cmd=${words[1]}
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W 'run attach compare report serve diff help version --help --version' -- "$cur"))
		return
	fi
	local common='-j --json -o --output -v --verbose -h --help'
	local trace='-i --interval --threads --edges --no-hist --stacks --stacks-top --format'
	case $prev in
	-o | --output | --cmds | --record)
		_filedir
		return
		;;
	-p | --pid)
		COMPREPLY=($(compgen -W "$(command ps -eo pid= 2>/dev/null)" -- "$cur"))
		return
		;;
	--markers)
		COMPREPLY=($(compgen -W 'block usdt' -- "$cur"))
		return
		;;
	--models | --runtimes)
		local models='blocking threads pool epoll uring coro gil procs all'
		[[ $prev == --runtimes ]] &&
			models='py-asyncio py-asyncio-blocking py-threads py-procs cs-async go node'
		local prefix=${cur%"${cur##*,}"}
		COMPREPLY=($(compgen -P "$prefix" -W "$models" -- "${cur##*,}"))
		compopt -o nospace
		return
		;;
	--cgroup)
		local root=/sys/fs/cgroup
		[[ -d $root/unified ]] && root=$root/unified
		COMPREPLY=($(cd "$root" 2>/dev/null && compgen -d -- "$cur"))
		compopt -o nospace -o filenames
		return
		;;
	--comm)
		COMPREPLY=($(compgen -W "$(command ps -eo comm= 2>/dev/null | sort -u)" -- "$cur"))
		return
		;;
	--format)
		COMPREPLY=($(compgen -W 'text json md html perfetto folded' -- "$cur"))
		return
		;;
	-d | --duration | -i | --interval | --threads | --edges | --requests | --concurrency | \
		--io-ms | --cpu-us | --workers | --timeout | --listen | --max-threads | --grace | \
		--stacks-top | --cmd | --repeat)
		return
		;;
	esac
	case $cmd in
	run)
		local i
		for ((i = 2; i < cword; i++)); do
			if [[ ${words[i]} == -- ]]; then
				_command_offset $((i + 1))
				return
			fi
		done
		COMPREPLY=($(compgen -W "$common $trace --markers --" -- "$cur"))
		;;
	attach)
		COMPREPLY=($(compgen -W "$common $trace -p --pid -d --duration" -- "$cur"))
		;;
	serve)
		COMPREPLY=($(compgen -W "-p --pid --comm --cgroup --listen --per-thread --max-threads \
			--grace --bpf-stats --syscalls -v --verbose -h --help" -- "$cur"))
		;;
	compare)
		COMPREPLY=($(compgen -W "$common --models --runtimes --requests --concurrency --io-ms \
			--cpu-us --workers --timeout --stacks --cmd --cmds --repeat --format --record \
			--syscalls --timeline" -- "$cur"))
		;;
	report | diff)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "-j --json -o --output --format -h --help" -- "$cur"))
		else
			_filedir
		fi
		;;
	esac
}
complete -F _ksee ksee
