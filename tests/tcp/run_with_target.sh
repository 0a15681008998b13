#!/usr/bin/env bash
# Runs a program against a fresh xnvme-tcp-target (the in-process test target, standalone) and
# always stops it:   run_with_target.sh TARGET_PROGRAM SPEC PROGRAM [ARGS...]
# PROGRAM gets the target's URI (nvme+tcp://127.0.0.1:PORT/SUBNQN) as its first argument; the
# exit status is PROGRAM's. For the shared target bodies (tests/target) over NVMe/TCP.
set -u
target=$1 spec=$2
shift 2
out=$(mktemp)
pid=""
cleanup() {
	[[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -f "$out"
}
trap cleanup EXIT
"$target" --port 0 "$spec" >"$out" &
pid=$!
for _ in $(seq 200); do
	[[ -s "$out" ]] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
read -r word port _ nqn <"$out" || true
if [[ "${word:-}" != port || -z "${nqn:-}" ]]; then
	echo "FAIL: the target did not start ('$(cat "$out")')"
	exit 1
fi
prog=$1
shift
"$prog" "nvme+tcp://127.0.0.1:$port/$nqn" "$@"
