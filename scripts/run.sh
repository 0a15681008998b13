#!/usr/bin/env bash
# `make run`: the main job on the embedded default device, a ramdisk (an NVMe controller modelled
# in memory: no hardware, no kernel driver needed), then the host interfaces on a file.
set -euo pipefail
build=${1:-build}
dev="ramdisk:256MiB"
dir=out/run
mkdir -p "$dir"
file="$dir/xnvme-default.img"
truncate -s 256M "$file"

step() { printf '\n# %s\n' "$*"; "$@"; }

step "$build/tools/xnvme" library-info
step "$build/tools/xnvme" enum
step "$build/tools/xnvme" info "$dev"
step "$build/tools/xnvme" idfy-ctrl "$dev"
step "$build/tools/xnvme" idfy-ns "$dev"
step "$build/tools/xnvme" log-health "$dev"
# write, read back, verify and the rates, through the async queue API (emu: completions on poke)
step "$build/examples/xnvme_io_async" "$dev" --async emu --qd 32 --mib 64
# the host's interfaces on a file
for async in io_uring libaio thrpool posix; do
	step "$build/examples/xnvme_io_async" "$file" --async "$async" --qd 32 --mib 64
done
printf '\nmake run: done (devices: %s, %s)\n' "$dev" "$file"
