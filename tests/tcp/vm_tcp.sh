#!/usr/bin/env bash
# The NVMe/TCP initiator against the Linux kernel's nvmet-tcp in the VM rig, reached from the
# host through QEMU's forwarded loopback port. Runs on the HOST:
#   tests/tcp/vm_tcp.sh BUILD [FIO_PREFIX]
# The guest (tests/tcp/vm_guest_tcp.sh) first reads identify through the kernel's own initiator
# and measures CPU per I/O of both initiators over loopback, then serves stop/start requests.
# The host then checks, against the same target:
#   1. `xnvme enum --uri 127.0.0.1:PORT` (the discovery controller) lists the subsystem;
#   2. identify controller / namespace through our initiator equal the kernel's (but cntlid:
#      each association is a controller of its own);
#   3. data round trips from one block to MDTS, sync and async (QD 1 and 64), vectored, without
#      and with header + data digests (test_tcp_io); the shared target bodies nvm_cmds, limits,
#      bad_input (xfer_matrix, slow through the emulated guest, runs against the in-process
#      target in the tcp suite);
#   4. the tools: `xnvme idfy-ctrl HOST:PORT --subnqn NQN`, `lblk write` / `lblk read`;
#   5. fio's xnvme engine (FIO_PREFIX: built against that install) randwrite + verify, QD 1 and
#      64, by default and with --xnvme_be=spdk;
#   6. the target taken away mid-run: fio and xnvme-perf end with an error within their bound, no
#      hang; back, a fresh open works.
# XNVME_SKIP_VM=1 skips it explicitly (exit 77); a rig that cannot start is a failure.
set -uo pipefail
build=$1
prefix=${2:+$(realpath "$2")}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2
if [[ "${XNVME_SKIP_VM:-0}" == 1 ]]; then
	echo "SKIP: VM suite skipped on request (XNVME_SKIP_VM=1)"
	exit 77
fi
# shellcheck source=../vm/guest.conf
. tests/vm/guest.conf
nqn=$VM_TCP_SUBNQN
xnvme="$repo/$build/tools/xnvme"
lblk="$repo/$build/tools/lblk"
t="$repo/$build/tests"
fio=""
if [[ -n "$prefix" ]]; then
	fio=$("$repo/tests/fio/fio_build.sh" "$prefix" | tail -n1) || exit 1
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/xnvme-vm-tcp.XXXXXX")
res="$work/results"
mkdir -p "$res"
rig_pid=""
cleanup() {
	touch "$res/host-done"
	[[ -n "$rig_pid" ]] && { wait "$rig_pid" 2>/dev/null || kill "$rig_pid" 2>/dev/null; }
	rm -rf "$work"
}
trap cleanup EXIT

nfail=0
run() { # run NAME COMMAND...
	local name=$1 rc start
	shift
	echo "=== tcp-$name: $*"
	start=$(date +%s%N)
	"$@"
	rc=$?
	if [[ $rc -eq 0 ]]; then
		echo "PASS tcp-$name ($((($(date +%s%N) - start) / 1000000)) ms)"
	else
		echo "FAIL tcp-$name (exit $rc)"
		nfail=$((nfail + 1))
	fi
}

"$repo/tests/vm/rig.sh" run --timeout 1500 --results "$res" -- \
	env ${fio:+FIO="$fio"} ${prefix:+LD_LIBRARY_PATH="$prefix/lib"} tests/tcp/vm_guest_tcp.sh "$build" &
rig_pid=$!
for _ in $(seq 3000); do
	[[ -e "$res/guest-ready" ]] && break
	kill -0 "$rig_pid" 2>/dev/null || break
	sleep 0.1
done
port=$(cat "$res/tcp_port" 2>/dev/null || true)
if [[ ! -e "$res/guest-ready" || -z "$port" ]]; then
	echo "FAIL tcp: the guest never got ready (port '$port')"
	exit 1
fi
addr=127.0.0.1:$port
uri="nvme+tcp://$addr/$nqn"
echo "target: $uri"

enum_lists() {
	"$xnvme" enum --uri "$addr" >"$work/enum" || return 1
	cat "$work/enum"
	python3 - "$work/enum" "$nqn" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1])) or {}
subs = [e.get("subnqn") for e in doc.get("xnvme_cli_enumeration") or []]
sys.exit(0 if sys.argv[2] in subs else 1)
PY
}
run "enum-discovery" enum_lists
run "idfy-vs-kernel" env COMPARE_IDFY_SKIP=cntlid COMPARE_IDFY_ARGS="--subnqn $nqn" \
	python3 tests/nvme/compare_idfy.py "$xnvme" "$addr" "$res/kernel-id-ctrl.json" \
	"$res/kernel-id-ns.json"
run "io" "$t/tcp/test_tcp_io" "$uri"
run "io-digests" "$t/tcp/test_tcp_io" "$uri?digest=both"
run "io-qd1" "$t/tcp/test_tcp_io" "$uri" 1
run "nvm-cmds" "$t/test_nvm_cmds" "$uri"
run "limits" "$t/test_limits" "$uri"
run "bad-input" "$t/test_bad_input" "$uri"

tools() {
	local f="$work/blk"
	"$xnvme" idfy-ctrl "$addr" --subnqn "$nqn" | grep -q "subnqn: '$nqn'" || return 1
	head -c 65536 /dev/urandom >"$f.w"
	"$lblk" write "$addr" --subnqn "$nqn" --slba 100 --nlb $((65536 / 512 - 1)) \
		--data-input "$f.w" >/dev/null || return 1
	"$lblk" read "$addr" --subnqn "$nqn" --slba 100 --nlb $((65536 / 512 - 1)) \
		--data-output "$f.r" >/dev/null || return 1
	cmp "$f.w" "$f.r"
}
run "tools" tools

fio_job() { # fio_job NAME ARGS...
	local name=$1
	shift
	LD_LIBRARY_PATH="$prefix/lib" "$fio" --name="$name" --ioengine=xnvme --thread=1 \
		--filename="nvme+tcp\\://127.0.0.1\\:$port/${nqn//:/\\:}" --bs=4k --size=32M "$@"
}
if [[ -n "$fio" ]]; then
	for qd in 1 64; do
		run "fio-randwrite-verify-qd$qd" fio_job rw$qd --rw=randwrite --iodepth=$qd \
			--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0
	done
	run "fio-randwrite-verify-spdk" fio_job spdk --xnvme_be=spdk --rw=randwrite --iodepth=16 \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0
else
	echo "FAIL tcp-fio: no FIO_PREFIX: fio's cases did not run"
	nfail=$((nfail + 1))
fi

# The target goes away under load: fio must end, with an error, well within its bound
request() { # request stop|start: the guest acknowledges
	rm -f "$res/ack-$1"
	touch "$res/req-$1"
	for _ in $(seq 300); do
		[[ -e "$res/ack-$1" ]] && return 0
		sleep 0.1
	done
	echo "the guest did not acknowledge $1"
	return 1
}
# lost_under_load NAME COMMAND...: COMMAND (a load on the target) runs 3 s, the target goes away;
# COMMAND must end with an error within 60 s, and a fresh open works once the target is back
lost_under_load() {
	local name=$1 pid rc start
	shift
	"$@" >"$work/$name-lost" 2>&1 &
	pid=$!
	sleep 3
	start=$SECONDS
	request stop || { kill "$pid"; return 1; }
	for _ in $(seq 600); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid"
		echo "$name still ran 60 s after the target went away"
		return 1
	fi
	wait "$pid"
	rc=$?
	tail -5 "$work/$name-lost"
	echo "$name ended $((SECONDS - start)) s after the target went away, exit $rc"
	request start || return 1
	((rc != 0)) && "$xnvme" idfy-ns "$addr" --subnqn "$nqn" | grep -q nsze
}
[[ -n "$fio" ]] && run "target-lost-and-back" lost_under_load fio \
	fio_job lost --rw=randread --iodepth=16 --time_based=1 --runtime=120
# The same with the project's own load generator
run "perf-target-lost-and-back" lost_under_load xnvme-perf "$repo/$build/tools/xnvme-perf" run \
	"$addr" --subnqn "$nqn" --rw randread --bs 4096 --qdepth 16 --runtime 120

touch "$res/host-done"
rc=0
wait "$rig_pid" || rc=$?
rig_pid=""
[[ -f "$res/cpu-per-io.txt" ]] && cat "$res/cpu-per-io.txt"
if [[ $rc -ne 0 ]]; then
	echo "FAIL tcp-guest: the guest's part exited $rc"
	nfail=$((nfail + 1))
fi
echo "tcp: $nfail failed"
[[ $nfail -eq 0 ]]
