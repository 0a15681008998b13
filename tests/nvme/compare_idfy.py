#!/usr/bin/env python3
"""Identify data as `xnvme idfy-ctrl` / `xnvme idfy-ns` print it must equal what nvme-cli's
`nvme id-ctrl -o json` / `nvme id-ns -o json` report for the same device, field by field.

usage: compare_idfy.py XNVME_TOOL DEV [ID_CTRL_JSON ID_NS_JSON [NSID]]
With the two files, nvme-cli's output captured before (the user-space driver's controller, whose
kernel driver reported them before it was unbound) stands in for running nvme-cli on DEV; NSID
the namespace of the controller DEV that xnvme opens (--dev-nsid), when it is not the first.
COMPARE_IDFY_SKIP: fields not compared, comma-separated (over fabrics each association is a
controller of its own: cntlid differs). COMPARE_IDFY_ARGS: more arguments for the xnvme tool
(--subnqn NQN)."""
import json
import os
import subprocess
import sys

import yaml

xnvme, dev = sys.argv[1], sys.argv[2]
saved = sys.argv[3:5] if len(sys.argv) >= 5 else None
dev_nsid = ["--dev-nsid", sys.argv[5]] if len(sys.argv) == 6 else []
failed = []
skip = set(filter(None, os.environ.get("COMPARE_IDFY_SKIP", "").split(",")))
extra = os.environ.get("COMPARE_IDFY_ARGS", "").split()

CTRL_FIELDS = ["vid", "ssvid", "sn", "mn", "fr", "rab", "cmic", "mdts", "cntlid", "ver",
               "rtd3r", "rtd3e", "oaes", "ctratt", "rrls", "cntrltype", "oacs", "acl", "aerl",
               "frmw", "lpa", "elpe", "npss", "avscc", "apsta", "wctemp", "cctemp", "mtfa",
               "hmpre", "hmmin", "rpmbs", "edstt", "dsto", "fwug", "kas", "hctma", "mntmt",
               "mxtmt", "sanicap", "hmminds", "hmmaxd", "nsetidmax", "endgidmax", "anatt",
               "anacap", "anagrpmax", "nanagrpid", "pels", "sqes", "cqes", "maxcmd", "nn",
               "oncs", "fuses", "fna", "vwc", "awun", "awupf", "nwpc", "acwu", "ocfs", "sgls",
               "mnan", "subnqn", "ioccsz", "iorcsz", "icdoff", "fcatt", "msdbd", "ofcs",
               "tnvmcap", "unvmcap"]
NS_FIELDS = ["nsze", "ncap", "nuse", "nsfeat", "nlbaf", "flbas", "mc", "dpc", "dps", "nmic",
             "rescap", "fpi", "dlfeat", "nawun", "nawupf", "nacwu", "nabsn", "nabo", "nabspf",
             "noiob", "nvmcap", "npwg", "npwa", "npdg", "npda", "nows", "mssrl", "mcl", "msrc",
             "anagrpid", "nsattr", "nvmsetid", "endgid"]


def xnvme_yaml(*args):
    out = subprocess.run([xnvme, *args, *extra], capture_output=True, text=True,
                         check=True).stdout
    return yaml.safe_load(out)


def nvme_json(*args):
    if saved:
        with open(saved[0 if args[0] == "id-ctrl" else 1], encoding="utf-8") as fp:
            return json.load(fp)
    out = subprocess.run(["nvme", *args, "-o", "json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)


# xNVMe prints some fields as bit mappings; their bits, least significant first, and widths
BITS = {
    "oncs": [("compare", 1), ("write_unc", 1), ("dsm", 1), ("write_zeroes", 1),
             ("set_features_save", 1), ("reservations", 1), ("timestamp", 1), ("verify", 1),
             ("copy", 1)],
    "nsfeat": [("thin_prov", 1), ("ns_atomic_write_unit", 1),
               ("dealloc_or_unwritten_error", 1), ("guid_never_reused", 1),
               ("optimal_performance", 1), ("reserved1", 3)],
    "flbas": [("format_lsb", 4), ("extended", 1), ("format_msb", 2), ("reserved2", 1)],
    "mc": [("extended", 1), ("pointer", 1), ("reserved3", 6)],
    "cdfs": [("format0", 1), ("format1", 1)],
}
# Fields xNVMe names otherwise
RENAMED = {"rescap": "nsrescap", "ocfs": "cdfs"}


def value(field, val):
    """A field as one integer or string, whichever way xNVMe printed it"""
    if isinstance(val, list):  # 128-bit counters: two 64-bit halves, low first
        return sum(int(v) << (64 * i) for i, v in enumerate(val))
    if isinstance(val, dict) and "val" in val:
        return val["val"]
    if isinstance(val, dict):
        num, shift = 0, 0
        for name, width in BITS.get(field, []):
            num |= val.get(name, 0) << shift
            shift += width
        return num
    return val


def compare(what, ours, theirs, fields):
    for field in fields:
        if field in skip:
            continue
        key = RENAMED.get(field, field)
        if field not in theirs or key not in ours:
            continue  # nvme-cli 2.3 does not print every field, nor xNVMe's printer
        a, b = value(key, ours[key]), theirs[field]
        if isinstance(b, str):
            a, b = str(a).strip(), b.strip()
        if a != b:
            failed.append(f"{what}.{field}: xnvme {a!r} != nvme-cli {b!r}")
    print(f"{what}: compared {sum(f in theirs for f in fields)} fields")


ctrl = xnvme_yaml("idfy-ctrl", dev)["xnvme_spec_idfy_ctrlr"]
compare("id-ctrl", ctrl, nvme_json("id-ctrl", dev), CTRL_FIELDS)

ns = xnvme_yaml("idfy-ns", dev, *dev_nsid)["xnvme_spec_idfy_ns"]
theirs = nvme_json("id-ns", dev)
compare("id-ns", ns, theirs, NS_FIELDS)
for i, lbaf in enumerate(theirs.get("lbafs", [])):
    for key in ("ms", "ds", "rp"):
        if ns["lbaf"][i][key] != lbaf[key]:
            failed.append(f"id-ns.lbaf[{i}].{key}: xnvme {ns['lbaf'][i][key]} != "
                          f"nvme-cli {lbaf[key]}")

for f in failed:
    print("FAIL:", f)
print(f"{dev}: {len(failed)} mismatches")
sys.exit(1 if failed else 0)
