#!/usr/bin/env python3
"""The shared library exports the public API and nothing else: every symbol it defines for other
programs is declared in a public header. Internal functions and interface tables are hidden
(#pragma GCC visibility in the internal headers), so a new one that leaks is caught here.
usage: exports_check.py LIBXNVME_SO INCLUDE_DIR
       exports_check.py LIBXNVME_DLL INCLUDE_DIR OBJDUMP   (a Windows DLL's export table)"""
import os
import re
import subprocess
import sys


def main():
    lib, incdir = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3:
        out = subprocess.run([sys.argv[3], "-p", lib], capture_output=True, text=True,
                             check=True).stdout
        # the export table's "[Ordinal/Name Pointer] Table" lines: "\t[   0] +base[   1] NAME"
        table = out.split("[Ordinal/Name Pointer] Table", 1)[-1].split("\n\n", 1)[0]
        names = re.findall(r"^\s*\[\s*\d+\].*\s(\w+)$", table, re.M)
    else:
        out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                             check=True).stdout
        # "ADDRESS TYPE NAME@@VERSION"; the version node itself is an absolute symbol (type A)
        names = [m.group(2) for m in re.finditer(r"^\S+ ([A-Za-z]) (\w+)", out, re.M)
                 if m.group(1) != "A"]
    public = set()
    for name in os.listdir(incdir):
        if name.endswith(".h"):
            with open(os.path.join(incdir, name), encoding="utf-8") as f:
                public.update(re.findall(r"\b(xnvme_\w+)\b", f.read()))
    leaked = sorted(n for n in names if n not in public)
    if not names:
        print(f"FAIL: {lib} exports no symbols")
        return 1
    if leaked:
        print(f"FAIL: {len(leaked)} symbols exported but not declared in {incdir}:")
        for n in leaked:
            print(f"  {n}")
        return 1
    print(f"PASS: {len(names)} exported symbols, each declared in a public header")
    return 0


if __name__ == "__main__":
    sys.exit(main())
