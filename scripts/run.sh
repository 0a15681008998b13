#!/usr/bin/env bash
# `make run`: the main job on the embedded default device, a file this script creates.
set -euo pipefail
build=${1:-build}
dir=out/run
mkdir -p "$dir"
dev="$dir/xnvme-default.img"
truncate -s 256M "$dev"

step() { printf '\n# %s\n' "$*"; "$@"; }

step "$build/tools/xnvme" library-info
step "$build/tools/xnvme" enum
step "$build/tools/xnvme" info "$dev"
step "$build/tools/xnvme" idfy-ctrl "$dev"
step "$build/tools/xnvme" idfy-ns "$dev"
for async in emu thrpool io_uring libaio posix; do
	step "$build/examples/xnvme_io_async" "$dev" --async "$async" --qd 32 --mib 64
done
printf '\nmake run: done (device: %s)\n' "$dev"
