#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs each fuzz target for SECONDS from its seed corpus (corpus/<target>) and prints what it did:
# the executions (libFuzzer's "#N DONE" line) and the corpus it reached. Fails when a target
# crashes, leaks, hits a sanitizer error, or a run takes over 10 s (libFuzzer's -timeout); the
# reproducer is then in BUILD/fuzz-artifacts.
#
#   run.sh BUILD SECONDS ci    new inputs go to a scratch corpus under BUILD, emptied first
#   run.sh BUILD SECONDS long  new inputs go to .cache/fuzz/<target> (git-ignored), kept across runs
set -euo pipefail

build=$1
seconds=$2
mode=$3
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
targets=(fuzz_ident fuzz_cli fuzz_pr fuzz_ramdisk_cmd fuzz_tcp_pdu)
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

failed=0
for t in "${targets[@]}"; do
	exe="$build/tests/fuzz/$t"
	if [ "$mode" = long ]; then
		work="$root/.cache/fuzz/$t"
		mkdir -p "$work"
	else
		work="$build/fuzz-ci/$t"
		rm -rf "$work"
		mkdir -p "$work"
	fi
	log="$build/fuzz-$t.log"
	extra=()
	# The CLI parser reports every refused command line on stderr: millions of lines
	[ "$t" = fuzz_cli ] && extra+=(-close_fd_mask=2)
	rc=0
	"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$t-" "${extra[@]}" "$work" "$here/corpus/$t" \
		>"$log" 2>&1 || rc=$?
	done_line=$(grep -a -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
	execs=$(grep -a -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' || true)
	rate=$(grep -a -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}' || true)
	if [ "$rc" -ne 0 ]; then
		echo "FUZZ FAIL: $t (exit $rc); its log: $log; the last 60 lines:"
		tail -n 60 "$log"
		ls -1 "$artifacts"/"$t"-* 2>/dev/null | sed 's/^/  reproducer: /' || true
		failed=1
		continue
	fi
	echo "FUZZ OK: $t: ${execs:-?} executions in ${seconds} s (${rate:-?}/s); $done_line"
done
exit $failed
