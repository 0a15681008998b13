#!/usr/bin/env bash
# `make bench` / `make bench-smoke`: fio 3.33 and its t/io_uring from Debian's source package, built
# against a fresh install of the library (tests/fio/fio_build.sh, cached in .cache/fio), then
# bench.py.   run.sh BUILD FIO_PREFIX OUT [bench.py options...]
# The side by side with upstream xNVMe 0.7.5 needs its prebuilt library in $UPSTREAM_DIR (default
# ../shared/upstream-xnvme-0.7.5 beside the repository): an install prefix made of it and the
# neutral harness built against each library go to $BENCH_BUILD (default build-bench/), fio against
# it to its own folder of the fio cache. Without it, one SKIP line and the rest runs.
set -euo pipefail
build=$1
prefix=$(realpath "$2")
out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
upstream=${UPSTREAM_DIR:-$repo/../shared/upstream-xnvme-0.7.5}
work=${BENCH_BUILD:-$repo/build-bench}
fio=$("$here/../tests/fio/fio_build.sh" "$prefix" | tail -n1)

# harness LIBPREFIX OUTPUT: the one source, -O2, against the headers and library of LIBPREFIX.
# DT_RPATH (not RUNPATH) names the library: it wins over LD_LIBRARY_PATH, so a harness runs with
# the library it was built against whatever the environment says (bench.py checks which it got).
harness() {
	if [[ ! -x "$2" || "$here/harness.c" -nt "$2" || "$here/run.sh" -nt "$2" || -n $(find -L "$1/lib" -maxdepth 1 -name 'libxnvme.so*' -newer "$2") ]]; then
		cc -std=c11 -O2 -Wall -Wextra -Werror -I"$1/include" "$here/harness.c" -o "$2.tmp" \
			-L"$1/lib" -lxnvme -Wl,--disable-new-dtags,-rpath,"$1/lib"
		mv "$2.tmp" "$2"
	fi
}

side_by_side=()
if [[ -d "$upstream/prebuilt" ]]; then
	mkdir -p "$work"
	up_prefix=$("$here/upstream_prefix.sh" "$upstream" "$work/upstream")
	up_fio=$("$here/../tests/fio/fio_build.sh" "$up_prefix" | tail -n1)
	harness "$prefix" "$work/harness-ours"
	harness "$up_prefix" "$work/harness-upstream"
	side_by_side=(--harness-ours "$work/harness-ours" --harness-upstream "$work/harness-upstream"
		--fio-upstream "$up_fio" --lib-ours "$prefix/lib" --lib-upstream "$up_prefix/lib")
else
	side_by_side=(--skip-upstream "$(realpath -m "$upstream") not found")
fi

export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec python3 "$here/bench.py" --build "$build" --fio "$fio" --tio "$(dirname "$fio")/t/io_uring" \
	--out "$out" "${side_by_side[@]}" "$@"
