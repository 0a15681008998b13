#!/usr/bin/env bash
# `make bench` / `make bench-smoke`: fio 3.33 and its t/io_uring from Debian's source package, built
# against a fresh install of the library (tests/fio/fio_build.sh, cached in .cache/fio), then
# bench.py.   run.sh BUILD FIO_PREFIX OUT [bench.py options...]
set -euo pipefail
build=$1
prefix=$(realpath "$2")
out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
fio=$("$here/../tests/fio/fio_build.sh" "$prefix" | tail -n1)
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec python3 "$here/bench.py" --build "$build" --fio "$fio" --tio "$(dirname "$fio")/t/io_uring" \
	--out "$out" "$@"
