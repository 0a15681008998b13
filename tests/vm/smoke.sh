#!/usr/bin/env bash
# The rig's smoke test. Runs INSIDE the guest (tests/vm/rig.sh run -- tests/vm/smoke.sh): checks
# with nvme-cli that every namespace of guest.conf is there with its format (LBA size, metadata
# size and placement, PI type, zoned geometry), that the vfio controller has its /dev/vfio
# group, and that the nvmet-tcp port is configured and listening. One PASS/FAIL line per check;
# exits non-zero if any failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=guest.conf disable=SC1091 # plain variables
. "${XNVME_VM_CONF:-$here/guest.conf}"

[[ "${XNVME_VM:-}" == 1 ]] || {
	echo "smoke: not in the VM rig's guest (run it as: tests/vm/rig.sh run -- tests/vm/smoke.sh)" >&2
	exit 2
}

passed=0
failed=0
check() { # check DESCRIPTION EXPECTED ACTUAL
	if [[ "$2" == "$3" ]]; then
		echo "PASS: $1 = $3"
		passed=$((passed + 1))
	else
		echo "FAIL: $1: expected $2, got '$3'"
		failed=$((failed + 1))
	fi
}
ok() { # ok DESCRIPTION COMMAND...
	if "${@:2}"; then
		echo "PASS: $1"
		passed=$((passed + 1))
	else
		echo "FAIL: $1"
		failed=$((failed + 1))
	fi
}

# nvme-cli's JSON, read by python3 (only to parse; every value comes from nvme-cli).
# id-ns: "lbads ms mset pi lbaf-index" of the format in use.
idns_format() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
flbas = d["flbas"]
idx = (flbas & 0xF) | (((flbas >> 5) & 0x3) << 4)  # NVM Command Set spec, 4.1.5.1 FLBAS
f = d["lbafs"][idx]
print(1 << f["ds"], f["ms"], (flbas >> 4) & 1, d["dps"] & 7, idx)'
}
# zns id-ns: "zsze mor mar" (zone size in LBAs, max open / active zones as counts)
zns_format() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["lbafe"][int(sys.argv[1])]["zsze"], d["mor"] + 1, d["mar"] + 1)' "$1"
}
# list: "path serial" per namespace
list_paths() {
	python3 -c '
import json, sys
for dev in json.load(sys.stdin).get("Devices", []):
    print(dev["DevicePath"], dev["SerialNumber"].strip())'
}

declare -A serial=() role=()
while read -r id s _ r; do
	serial[$id]=$s
	role[$id]=$r
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' <<<"$VM_CONTROLLERS")

list=$(nvme list -o json | list_paths)

while read -r name ctrl nsid lbads ms mset pi zoned zsze mor mar _; do
	[[ "${role[$ctrl]}" == vfio ]] && continue
	var=XNVME_VM_NS_$name
	ngvar=XNVME_VM_NG_$name
	dev=${!var:-}
	ng=${!ngvar:-}
	if [[ -z "$dev" || ! -b "$dev" ]]; then
		echo "FAIL: $name: no block device (\$$var='$dev')"
		failed=$((failed + 1))
		continue
	fi
	ok "$name: $dev is a block device, $ng a char device" test -c "$ng"
	check "$name: nvme list has $dev with serial" "$dev ${serial[$ctrl]}" \
		"$(grep -m1 "^$dev " <<<"$list" || true)"
	check "$name: nsid" "$nsid" "$(<"/sys/block/${dev#/dev/}/nsid")"
	read -r g_lbads g_ms g_mset g_pi idx < <(nvme id-ns -o json "$dev" | idns_format)
	check "$name: LBA data size" "$lbads" "$g_lbads"
	check "$name: metadata size" "$ms" "$g_ms"
	if ((ms)); then
		check "$name: flbas bit 4 (1 = extended LBA)" "$mset" "$g_mset"
	fi
	check "$name: PI type (dps & 7)" "$pi" "$g_pi"
	if ((zoned)); then
		check "$name: kernel sees it as" host-managed "$(<"/sys/block/${dev#/dev/}/queue/zoned")"
		read -r g_zsze g_mor g_mar < <(nvme zns id-ns -o json "$dev" | zns_format "$idx")
		check "$name: zone size in LBAs (${zsze} MiB)" "$((zsze * 1024 * 1024 / lbads))" "$g_zsze"
		check "$name: max open zones (mor + 1)" "$mor" "$g_mor"
		check "$name: max active zones (mar + 1)" "$mar" "$g_mar"
	else
		check "$name: kernel sees it as zoned" none "$(<"/sys/block/${dev#/dev/}/queue/zoned")"
	fi
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' <<<"$VM_NAMESPACES")

# The user-space driver's controller: bound to vfio-pci, its IOMMU group's node there, and no
# kernel NVMe controller with its serial.
bdf=${XNVME_VM_VFIO_BDF:-}
if [[ -n "$bdf" ]]; then
	check "vfio: driver of $bdf" vfio-pci "$(basename "$(readlink -f "/sys/bus/pci/devices/$bdf/driver")")"
	group=$(basename "$(readlink -f "/sys/bus/pci/devices/$bdf/iommu_group")")
	ok "vfio: /dev/vfio/$group (IOMMU group of $bdf) is a char device" test -c "/dev/vfio/$group"
	check "vfio: XNVME_VM_VFIO_GROUP" "/dev/vfio/$group" "${XNVME_VM_VFIO_GROUP:-}"
	ok "vfio: no kernel controller has serial $XNVME_VM_VFIO_SERIAL" \
		bash -c "! grep -qx '$XNVME_VM_VFIO_SERIAL *' /sys/class/nvme/*/serial"
else
	echo "FAIL: vfio: XNVME_VM_VFIO_BDF is not set"
	failed=$((failed + 1))
fi

# The NVMe/TCP target: the port configured in configfs, the subsystem linked to it (that is what
# enables it), its namespace enabled, and the kernel listening on the port.
cfg=/sys/kernel/config/nvmet
port_dir=""
for p in "$cfg"/ports/*; do
	[[ -r "$p/addr_trsvcid" && "$(<"$p/addr_trsvcid")" == "$VM_TCP_PORT" ]] && port_dir=$p
done
if [[ -n "$port_dir" ]]; then
	check "nvmet: $port_dir addr_trtype" tcp "$(<"$port_dir/addr_trtype")"
	check "nvmet: $port_dir addr_adrfam" ipv4 "$(<"$port_dir/addr_adrfam")"
	ok "nvmet: subsystem $VM_TCP_SUBNQN linked to the port (enabled)" \
		test -L "$port_dir/subsystems/$VM_TCP_SUBNQN"
	check "nvmet: namespace 1 enabled" 1 "$(<"$cfg/subsystems/$VM_TCP_SUBNQN/namespaces/1/enable")"
	check "nvmet: namespace 1 device_path" "${XNVME_VM_NS_TCP:-}" \
		"$(<"$cfg/subsystems/$VM_TCP_SUBNQN/namespaces/1/device_path")"
	# /proc/net/tcp: local address 00000000:<port in hex>, state 0A = LISTEN.
	hexport=$(printf '%04X' "$VM_TCP_PORT")
	ok "nvmet: the kernel listens on 0.0.0.0:$VM_TCP_PORT" \
		grep -q "^ *[0-9]*: 00000000:$hexport 00000000:0000 0A " /proc/net/tcp
else
	echo "FAIL: nvmet: no port with trsvcid $VM_TCP_PORT under $cfg/ports"
	failed=$((failed + 1))
fi

echo "smoke: $passed passed, $failed failed"
((failed == 0))
