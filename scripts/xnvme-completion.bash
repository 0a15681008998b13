# bash completion for the xnvme tools (xnvme, lblk, zoned, kvs, xnvme_file, xdd, xnvme-perf).
# The words come from the tools' own --help, so completion knows every command and option the
# installed tool has: commands after the tool, options after a command, the values an option's
# help lists ("async interface: io_uring, libaio, ...") after that option, else file names.

# Prints the rows of section $2 ("commands:" / "options:") of a help text on stdin, column $1
_xnvme_tools_help_rows() {
	awk -v sect="$1" '$0 == sect {f = 1; next} /^$/ {f = 0} f'
}

_xnvme_tools_complete() {
	local tool=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev="" cmd words line
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	if ((COMP_CWORD == 1)); then
		words=$("$tool" --help 2>/dev/null | _xnvme_tools_help_rows "commands:" |
			awk '{print $1}')
		mapfile -t COMPREPLY < <(compgen -W "$words --help" -- "$cur")
		return 0
	fi
	cmd=${COMP_WORDS[1]}
	if [[ $cur == -* ]]; then
		words=$("$tool" "$cmd" --help 2>/dev/null | _xnvme_tools_help_rows "options:" |
			grep -o -- '--[a-z0-9-]*' | sort -u)
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return 0
	fi
	if [[ $prev == --* ]]; then
		line=$("$tool" "$cmd" --help 2>/dev/null | _xnvme_tools_help_rows "options:" |
			grep -- "^ *$prev ")
		# A flag takes no value: what follows it is the URI or a file
		if [[ -n $line && $line =~ ^\ *--[a-z0-9-]+\ +[A-Z] ]]; then
			case $line in
			*FILE*) ;;
			*:*)
				# The values listed after the colon, up to a ';'
				words=$(sed -e 's/^[^:]*://' -e 's/;.*//' <<<"$line" | tr ',' ' ' |
					tr ' ' '\n' | grep -E '^[a-z_0-9]+$' | grep -vx 'or')
				if [[ -n $words ]]; then
					mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
					return 0
				fi
				;;
			esac
		fi
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	return 0
}

complete -o filenames -F _xnvme_tools_complete xnvme lblk zoned kvs xnvme_file xdd xnvme-perf
