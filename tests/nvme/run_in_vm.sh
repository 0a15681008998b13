#!/usr/bin/env bash
# Runs the NVMe suite (tests/nvme/suite.sh) in the VM rig's guest, with fio's xnvme engine built
# against an installed library.   run_in_vm.sh BUILD FIO_PREFIX
# XNVME_SKIP_VM=1 skips it explicitly (exit 77); otherwise a rig that cannot start is a failure.
set -euo pipefail
build=$1
prefix=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [[ "${XNVME_SKIP_VM:-0}" == 1 ]]; then
	echo "SKIP: VM suite skipped on request (XNVME_SKIP_VM=1)"
	exit 77
fi
fio=$("$repo/tests/fio/fio_build.sh" "$prefix" | tail -n1)
cd "$repo"
exec "$repo/tests/vm/rig.sh" run --timeout 1500 -- \
	env FIO="$fio" FIO_PREFIX="$prefix" tests/nvme/suite.sh "$build"
