#!/usr/bin/env bash
# Binds a PCI function to vfio-pci for the user-space driver (backend pcie/spdk), or gives it back
# to the kernel's nvme driver. Needs root and the vfio-pci module (modprobe vfio-pci).
#   scripts/xnvme-driver.sh attach BDF   # to vfio-pci
#   scripts/xnvme-driver.sh detach BDF   # to nvme (or DRIVER=name)
#   scripts/xnvme-driver.sh status BDF   # its driver and IOMMU group
# BDF is DDDD:BB:DD.F or BB:DD.F. The binding is made with driver_override, so a later probe of
# the function (a rescan, a hot plug) keeps the choice until detach clears it.
set -euo pipefail

usage() { echo "usage: $0 attach|detach|status BDF" >&2; exit 2; }
(($# == 2)) || usage
op=$1 bdf=$2
[[ "$bdf" =~ ^[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$ ]] && bdf="0000:$bdf"
bdf=${bdf,,}
dev=/sys/bus/pci/devices/$bdf
[ -e "$dev" ] || { echo "$0: no PCI function $bdf" >&2; exit 1; }

driver() { [ -e "$dev/driver" ] && basename "$(readlink -f "$dev/driver")" || echo none; }

rebind() { # $1: the driver wanted, or "" to clear the override
	local want=$1
	if [ -e "$dev/driver" ]; then echo "$bdf" >"$dev/driver/unbind"; fi
	echo "$want" >"$dev/driver_override"
	echo "$bdf" >/sys/bus/pci/drivers_probe || true
}

case $op in
attach)
	[ "$(driver)" = vfio-pci ] && { echo "$bdf: vfio-pci already"; exit 0; }
	[ -d /sys/bus/pci/drivers/vfio-pci ] || modprobe vfio-pci
	rebind vfio-pci
	[ "$(driver)" = vfio-pci ] || { echo "$0: $bdf did not bind to vfio-pci" >&2; exit 1; }
	echo "$bdf: vfio-pci, /dev/vfio/$(basename "$(readlink -f "$dev/iommu_group")")"
	;;
detach)
	want=${DRIVER:-nvme}
	rebind "$want"
	echo "" >"$dev/driver_override"
	[ "$(driver)" = "$want" ] || { echo "$0: $bdf did not bind to $want" >&2; exit 1; }
	echo "$bdf: $want"
	;;
status)
	grp=$( [ -e "$dev/iommu_group" ] && basename "$(readlink -f "$dev/iommu_group")" || echo none)
	echo "$bdf: driver $(driver), IOMMU group $grp"
	;;
*) usage ;;
esac
