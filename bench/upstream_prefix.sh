#!/usr/bin/env bash
# Makes an install prefix out of upstream xNVMe 0.7.5's prebuilt library, so fio's xnvme engine
# (tests/fio/fio_build.sh) and the neutral harness build against it as they do against ours:
#   upstream_prefix.sh UPSTREAM_DIR DEST
#   DEST/include                 -> UPSTREAM_DIR/prebuilt/include
#   DEST/lib/libxnvme.so.0.7.5   -> UPSTREAM_DIR/prebuilt/lib/libxnvme.so.0.7.5
#   DEST/lib/libxnvme.so.0, .so  real symlinks (the prebuilt folder's are text files naming their
#                                targets, and it is read-only)
#   DEST/lib/pkgconfig/xnvme.pc  upstream's, with prefix= set to DEST
# Nothing that is already right is touched: fio_build.sh rebuilds when a libxnvme* or xnvme.pc
# under the prefix is newer than its fio binary, and an unchanged prefix must not look new.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: upstream_prefix.sh UPSTREAM_DIR DEST" >&2; exit 2; }
up=$(realpath "$1")
real="$up/prebuilt/lib/libxnvme.so.0.7.5"
for need in "$real" "$up/prebuilt/include/libxnvme.h" "$up/prebuilt/lib/pkgconfig/xnvme.pc"; do
	[[ -e "$need" ]] || { echo "upstream_prefix: $need not found" >&2; exit 1; }
done
mkdir -p "$2/lib/pkgconfig"
dest=$(realpath "$2")

# link TARGET NAME: NAME becomes a symlink to TARGET unless it already is one
link() {
	[[ -L "$2" && "$(readlink "$2")" == "$1" ]] || ln -sfn "$1" "$2"
}
link "$up/prebuilt/include" "$dest/include"
link "$real" "$dest/lib/libxnvme.so.0.7.5"
link libxnvme.so.0.7.5 "$dest/lib/libxnvme.so.0"
link libxnvme.so.0 "$dest/lib/libxnvme.so"

pc=$(sed "s|^prefix=.*|prefix=$dest|" "$up/prebuilt/lib/pkgconfig/xnvme.pc")
if [[ "$(cat "$dest/lib/pkgconfig/xnvme.pc" 2>/dev/null)" != "$pc" ]]; then
	printf '%s\n' "$pc" >"$dest/lib/pkgconfig/xnvme.pc"
fi
grep -q '^Version: 0\.7\.5$' "$dest/lib/pkgconfig/xnvme.pc" \
	|| { echo "upstream_prefix: $up is not xNVMe 0.7.5 (its xnvme.pc)" >&2; exit 1; }
echo "$dest"
