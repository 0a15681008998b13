#!/usr/bin/env bash
# A guest command that fails on purpose: tests/vm/test_vm.sh runs it in the guest and expects
# rig.sh to exit with exactly this status, proving the exit status travels back to the host.
set -euo pipefail
echo "fail.sh: in the guest (XNVME_VM=${XNVME_VM:-unset}), on stdout"
echo "fail.sh: exiting with status 3, on stderr" >&2
exit 3
