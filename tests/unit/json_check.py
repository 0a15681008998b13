#!/usr/bin/env python3
"""--output json's converter (tools/cli_json.c, through yaml2json): every document the printer test
programs print, and hand-written YAML, converts to exactly what a YAML reader reads; YAML outside
the printers' style is refused (exit 1), never mistranslated.
Usage: json_check.py YAML2JSON PRINTER-PROGRAM..."""
import json
import subprocess
import sys

import yaml

CONV = sys.argv[1]
FAILED = []


def convert(text):
    proc = subprocess.run([CONV], input=text.encode(), capture_output=True, timeout=30)
    return proc.returncode, proc.stdout.decode("ascii", "replace")


def check_same(text, what):
    rc, out = convert(text)
    want = yaml.safe_load(text)
    try:
        got = json.loads(out) if rc == 0 else None
    except json.JSONDecodeError as exc:
        got = f"invalid JSON: {exc}"
    if rc != 0 or got != want:
        FAILED.append(what)
        print(f"FAIL: {what}: rc={rc}\n--- yaml\n{text[:800]}\n--- json\n{out[:800]}")


def check_refused(text, what):
    rc, out = convert(text)
    if rc == 0:
        # Converting is fine only when it means the same as YAML does
        try:
            ok = json.loads(out) == yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError):
            ok = False
        if not ok:
            FAILED.append(what)
            print(f"FAIL: {what}: converted to something else: {out[:300]!r}")


ndocs = 0
for prog in sys.argv[2:]:
    proc = subprocess.run([prog], capture_output=True, timeout=60)
    docs, cur = [], []
    for line in proc.stdout.decode("ascii").splitlines(keepends=True):
        if line.startswith("---"):
            docs.append("".join(cur))
            cur = []
        else:
            cur.append(line)
    docs.append("".join(cur))
    for i, doc in enumerate(docs):
        if yaml.safe_load(doc) is None:
            continue
        ndocs += 1
        check_same(doc, f"{prog.split('/')[-1]} document {i}")

HAND_SAME = {
    "nested": "a:\n  b: 1\n  c:\n    - 1\n    - x\nd: ~\n",
    "seq at key indent": "a:\n- 1\n- 2\nb: true\n",
    "seq of maps": "l:\n  - k: 1\n    v: 'it''s'\n  - k: 0x10\n    v: \"q\\\"\\\\\\x01\"\n",
    "flow": "m: {a: 1, b: 'x, y', c: [1, 2, {d: ~}]}\ne: []\nf: {}\n",
    "negative": "n: -5\n",
    "zero as %#04x prints it": "a: 0000\nb: [00, 0x01]\n",
    "fractions": "a: 718.0\nb: -0.25\nc: 2.001\nd: [1.5, 2]\n",
    "empty value": "k:\nj: 2\n",
    "root seq": "- 1\n- a: 2\n",
    "blank and comment lines": "a: 1\n\n# note\nb: 2\n",
}
for what, text in HAND_SAME.items():
    check_same(text, f"hand: {what}")

HAND_REFUSED = {
    "octal-looking": "a: 010\n",
    "float with an exponent": "a: 1.5e3\n",
    "fraction without digits after the dot": "a: 1.\n",
    "fraction with a leading zero": "a: 01.5\n",
    "yaml 1.1 bool word": "a: yes\n",
    "anchor": "a: &x 1\nb: *x\n",
    "block scalar": "a: |\n  text\n",
    "tab indent": "a:\n\tb: 1\n",
    "bad indent": "a: 1\n   b: 2\n",
    "unclosed quote": "a: \"abc\n",
    "unclosed flow": "a: [1, 2\n",
    "bad escape": "a: \"\\q\"\n",
    "plus sign": "a: +5\n",
    "timestamp": "a: 2001-12-14\n",
    "capital bool": "a: TRUE\n",
    "hex past 64 bits": "a: 0x1ffffffffffffffff\n",
}
for what, text in HAND_REFUSED.items():
    check_refused(text, f"hand refused: {what}")

print(f"{ndocs} printer documents, {len(HAND_SAME)} + {len(HAND_REFUSED)} hand-written")
if FAILED:
    sys.exit(f"FAIL: {len(FAILED)} checks: {FAILED[:10]}")
print("PASS")
