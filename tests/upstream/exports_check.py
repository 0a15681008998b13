#!/usr/bin/env python3
"""Every function and variable xNVMe 0.7.5's shared library exports, ours exports too.

A program linked against upstream's libxnvme.so.0 imports these by name; one missing here fails
to load (or, with lazy binding, dies at the first call). Usage: exports_check.py UPSTREAM_SO OURS_SO
Exits 0 when none is missing, 1 otherwise, 77 (skip) without the reference library.
"""
import os
import subprocess
import sys


def exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBRVWiu" and parts[2].startswith("xnvme"):
            names.add(parts[2].split("@")[0])
    return names


def main():
    ref, ours = sys.argv[1], sys.argv[2]
    if not os.path.exists(ref):
        print(f"SKIP: the xNVMe 0.7.5 reference library is not at {ref}")
        return 77
    want, have = exported(ref), exported(ours)
    missing = sorted(want - have)
    for name in missing:
        print(f"missing: {name}")
    print(f"{len(want) - len(missing)}/{len(want)} of upstream's exported symbols are exported here")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
