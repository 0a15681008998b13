#!/usr/bin/env bash
# Faults from the kernel's own machinery, in the VM rig's guest (docs/vm.md "Faults"):
#   faults.sh BUILD [stall] [errors] [wfail] [remove]     (default: stall errors wfail)
# stall:  dm-delay (one hour) over a slice of the 4K namespace: term, drain and close of every
#         async interface return -ETIMEDOUT within the command timeout; psync stays blocked
#         without reporting success
# errors: dm linear + error: each command fails or succeeds as its block does, on every interface
# wfail:  dm-flakey error_writes: writes fail and reads work, per command; buffered psync writes
#         then a flush: the flush reports the failed write-back
# remove: the 4K namespace's controller removed (sysfs PCI remove) under load on one queue per
#         interface: commands end within a bound, none submitted after it succeeds, close works.
#         It leaves the guest without that controller: a rig run of its own.
# This script is the watchdog: a test program that does not print CHECKED within its deadline
# hangs (FAIL); the device is then released (a stalled request keeps the process from exiting
# until it is) and the program must exit within another bound.
set -uo pipefail
build=${1:-build}
shift || true
modes=("$@")
((${#modes[@]})) || modes=(stall errors wfail)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo" || exit 2
prog="$build/tests/faults/test_faults"

[[ "${XNVME_VM:-}" == 1 ]] || { echo "faults: run it in the VM rig's guest" >&2; exit 2; }
[[ -x "$prog" ]] || { echo "faults: $prog not built" >&2; exit 2; }
command -v dmsetup >/dev/null || { echo "faults: dmsetup missing (tests/vm/rig.sh fetch installs it)" >&2; exit 2; }
# No udev in the guest: libdevmapper makes the /dev/mapper nodes itself
export DM_DISABLE_UDEV=1
# FAULTS_IFACES: the interfaces to run (default: every async one on a block device, and psync)
read -ra ifaces <<<"${FAULTS_IFACES:-io_uring libaio thrpool posix psync}"
# Seconds a test program may take before it counts as hung (TCG is slow; each stall round ~6 s)
deadline=$((40 + 20 * ${#ifaces[@]}))
ns=$XNVME_VM_NS_4K
# A 64 MiB slice at 256 MiB of the 4K namespace (512-byte sectors), away from what the suite uses
off=524288
len=131072

nfail=0
fail() { echo "FAIL: faults: $*"; nfail=$((nfail + 1)); }

dm_make() { # dm_make NAME TABLE
	dmsetup remove "$1" >/dev/null 2>&1 || true
	dmsetup create "$1" <<<"$2" || { fail "dmsetup create $1 '$2'"; return 1; }
	[[ -b /dev/mapper/$1 ]] || { fail "/dev/mapper/$1 missing"; return 1; }
}

dm_gone() {
	dmsetup remove "$1" >/dev/null 2>&1 || dmsetup remove --force "$1" || fail "dmsetup remove $1"
}

# bounded NAME DEADLINE RELEASE -- CMD...: runs CMD; it must print CHECKED within DEADLINE s.
# Then RELEASE (a shell command) runs, and CMD must exit within 60 s; its status decides.
bounded() {
	local name=$1 deadline=$2 release=$3 log pid end rc
	shift 4
	log=$(mktemp)
	rm -f "$log.released"
	echo "=== faults $name: $*"
	FAULTS_RELEASED="$log.released" "$@" >"$log" 2>&1 &
	pid=$!
	end=$((SECONDS + deadline))
	while kill -0 "$pid" 2>/dev/null && ! grep -q '^CHECKED' "$log" && ((SECONDS < end)); do
		sleep 0.5
	done
	if ! grep -q '^CHECKED' "$log"; then
		kill -0 "$pid" 2>/dev/null && fail "$name: no result within $deadline s: the library hangs"
	fi
	eval "$release"
	: >"$log.released" # the program lets late completions arrive, then exits
	end=$((SECONDS + 60))
	while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.5; done
	if kill -0 "$pid" 2>/dev/null; then
		fail "$name: still running 60 s after the device was released"
		kill -9 "$pid" 2>/dev/null
	fi
	wait "$pid"
	rc=$?
	cat "$log"
	# A sanitizer's report from a thread it does not know (the C library's AIO threads) may
	# never end the process: the report itself is the failure
	if grep -q -E 'ERROR: AddressSanitizer|runtime error:' "$log"; then
		fail "$name: a sanitizer reported an error"
		rc=1
	fi
	rm -f "$log" "$log.released"
	if ((rc != 0)); then
		fail "$name: exit $rc"
	else
		echo "PASS faults $name"
	fi
}

for mode in "${modes[@]}"; do
	case $mode in
	stall)
		# dm-delay: reads and writes held an hour. Released by a reload with no delay: the
		# suspend that goes with it sends the held requests on (dm-delay's presuspend).
		dm_make xnvme-stall "0 $len delay $ns $off 3600000" || continue
		bounded stall "$deadline" "dmsetup reload xnvme-stall --table '0 $len delay $ns $off 0' && dmsetup resume xnvme-stall" \
			-- "$prog" stall /dev/mapper/xnvme-stall 2 "${ifaces[@]}"
		dm_gone xnvme-stall
		;;
	errors)
		# The first half maps the namespace, the second is dm's error target
		dm_make xnvme-err "0 $((len / 2)) linear $ns $off
$((len / 2)) $((len / 2)) error" || continue
		bounded errors "$deadline" : -- "$prog" errors /dev/mapper/xnvme-err "$((len / 2 / 8))" "${ifaces[@]}"
		dm_gone xnvme-err
		;;
	wfail)
		# dm-flakey always down (up 0 s, down an hour), failing writes only
		dm_make xnvme-wfail "0 $len flakey $ns $off 0 3600 1 error_writes" || continue
		bounded wfail "$deadline" : -- "$prog" wfail /dev/mapper/xnvme-wfail "${ifaces[@]}"
		dm_gone xnvme-wfail
		;;
	remove)
		ctrl=${XNVME_VM_CTRL_4K##*/}
		bdf=$(basename "$(readlink -f "/sys/class/nvme/$ctrl/device")")
		[[ -e /sys/bus/pci/devices/$bdf/remove ]] || { fail "no PCI device for $ctrl ($bdf)"; continue; }
		# The char node of the same namespace too: passthrough, async and sync
		bounded remove "$((deadline + 40))" : -- "$prog" remove "$ns" "$bdf" "${ifaces[@]}" \
			"io_uring_cmd@$XNVME_VM_NG_4K" "nvme@$XNVME_VM_NG_4K"
		;;
	*) fail "unknown mode $mode" ;;
	esac
done
echo "faults: $nfail failed"
((nfail == 0))
