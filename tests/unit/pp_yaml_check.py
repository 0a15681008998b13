#!/usr/bin/env python3
"""Runs the printer test program and parses its output as a YAML stream; checks a few values."""
import subprocess
import sys

import yaml

proc = subprocess.run([sys.argv[1]], capture_output=True, timeout=60)
if proc.returncode != 0:
    sys.exit(f"FAIL: printer program exited {proc.returncode}: {proc.stderr.decode()[:500]}")
try:
    docs = [d for d in yaml.safe_load_all(proc.stdout.decode("ascii")) if d is not None]
except (yaml.YAMLError, UnicodeDecodeError) as exc:
    sys.exit(f"FAIL: printer output is not valid YAML: {exc}")

ctrlrs = [d["xnvme_spec_idfy_ctrlr"] for d in docs if "xnvme_spec_idfy_ctrlr" in d]
errors = []
if not ctrlrs:
    errors.append("no identify controller printed")
ns = [d["xnvme_spec_idfy_ns"] for d in docs if "xnvme_spec_idfy_ns" in d]
if not ns or any(len(n["lbaf"]) != min(n["nlbaf"] + 1, 64) for n in ns):
    errors.append("identify namespace lbaf table is not nlbaf + 1 entries (at most 64)")
# seed 1 fills with 0xFF (the serial number overlays bytes 4..23)
if ns and ns[1]["nsfeat"] != {"thin_prov": 1, "ns_atomic_write_unit": 1,
                              "dealloc_or_unwritten_error": 1, "guid_never_reused": 1,
                              "optimal_performance": 1, "reserved1": 7}:
    errors.append(f"nsfeat of all-ones is {ns[1]['nsfeat']}")
# The serial number is 20 bytes: quotes and backslashes survive, the rest is cut
if ctrlrs and ctrlrs[0]["sn"] != "quote\" back\\ 'single":
    errors.append(f"sn did not round-trip: {ctrlrs[0]['sn']!r}")
opts = [d["xnvme_opts"] for d in docs if "xnvme_opts" in d]
if not opts or opts[0]["be"] != "it's \"quoted\"":
    errors.append("opts.be did not round-trip")
if None not in [d.get("xnvme_spec_idfy_ctrlr", 0) for d in docs]:
    errors.append("a NULL structure did not print as ~")
for e in errors:
    print("FAIL:", e)
print(f"{len(docs)} YAML documents parsed, {len(errors)} failed")
sys.exit(1 if errors else 0)
