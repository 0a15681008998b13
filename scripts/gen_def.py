#!/usr/bin/env python3
"""Writes the module-definition (.def) file of the Windows DLL: the functions and data the library
defines (nm on its static library) that a public header declares, and nothing else, as
lib/libxnvme.map does on Linux (Windows' linker would otherwise export every global symbol).
usage: gen_def.py NM LIBXNVME_A INCLUDE_DIR OUTPUT"""
import os
import re
import subprocess
import sys


def main():
    nm, lib, incdir, out = sys.argv[1:5]
    listing = subprocess.run([nm, "-g", "--defined-only", lib], capture_output=True, text=True,
                             check=True).stdout
    defined = set(re.findall(r"^\S+ [TDRB] (xnvme_\w+)$", listing, re.M))
    declared = set()
    for name in os.listdir(incdir):
        if name.endswith(".h"):
            with open(os.path.join(incdir, name), encoding="utf-8") as f:
                declared.update(re.findall(r"\b(xnvme_\w+)\b", f.read()))
    exports = sorted(defined & declared)
    if not exports:
        print(f"gen_def.py: {lib} defines none of the names {incdir} declares", file=sys.stderr)
        return 1
    with open(out, "w", encoding="utf-8") as f:
        f.write("EXPORTS\n" + "".join(f"    {n}\n" for n in exports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
