#!/usr/bin/env python3
"""Compare this project's public headers with xNVMe 0.7.5's, as a compiler sees them.

For every declaration in the reference headers (upstream's prebuilt include/) this checks that
ours has it with the same ABI:
  - records (structs and unions, named or typedef'd): size, alignment, and every member's name,
    byte offset, bit offset and width (nested and anonymous members included), from clang's
    record layout dump (-fdump-record-layouts) of a probe that takes each record's size;
  - enum constants and integer object-like macros: their values, printed by a probe program
    compiled against each header set;
  - functions: present, with the same canonical type (typedefs resolved), from clang's AST.

Usage: layout_check.py REF_INCLUDE OUR_INCLUDE [--known FILE] [--report FILE] [--skip-header NAME ...]
Exits 0 when there are no differences, 1 when there are, 2 when the check itself cannot run.
With --known FILE (the differences not fixed yet, one per line): exits 0 when the differences are
exactly those, 1 when one is new (a regression) or one listed is gone (fixed: take it off the list,
so the list only shrinks). The issue is done when the list is empty.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

CLANG = os.environ.get("CLANG", "clang")
# Headers that are part of upstream's install but outside the contract (CUDA needs a toolkit).
DEFAULT_SKIP = {"libxnvme_cuda.h"}


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def ast(include, workdir):
    src = os.path.join(workdir, "ast.c")
    with open(src, "w") as f:
        f.write("#include <libxnvme.h>\n")
    p = run([CLANG, "-std=gnu11", "-I", include, "-Xclang", "-ast-dump=json", "-fsyntax-only", src])
    if p.returncode != 0:
        raise RuntimeError(f"clang cannot parse {include}/libxnvme.h:\n{p.stderr[:4000]}")
    return json.loads(p.stdout)


class Walker:
    """Walks a clang JSON AST in document order; clang only names a location's file when it
    changes, so the current file is carried along."""

    def __init__(self, include):
        self.include = os.path.realpath(include)
        self.file = None

    def _note(self, loc):
        if not isinstance(loc, dict):
            return
        for key in ("spellingLoc", "expansionLoc", "begin", "end"):
            if key in loc:
                self._note(loc[key])
        if "file" in loc:
            self.file = loc["file"]

    def mine(self):
        return self.file is not None and os.path.realpath(self.file).startswith(self.include + "/")

    def header(self):
        return os.path.basename(self.file) if self.file else None

    def top(self, root):
        """Yields (node, header) for each top-level declaration written in the include folder."""
        for node in root.get("inner", []):
            self._note(node.get("loc"))
            here, hdr = self.mine(), self.header()
            self._note(node.get("range"))
            self._scan(node)
            if here:
                yield node, hdr

    def _scan(self, node):
        for child in node.get("inner", []):
            self._note(child.get("loc"))
            self._note(child.get("range"))
            self._scan(child)


def declarations(root, include, skip):
    """Records, enum constants and functions the headers in @include declare."""
    records = {}  # spelling ('struct x' or typedef name) -> header
    enums = {}  # constant -> header
    funcs = {}  # name -> (canonical type, header)
    anon_typedef_ids = {}
    nodes = list(Walker(include).top(root))
    for node, hdr in nodes:
        if hdr in skip:
            continue
        kind = node["kind"]
        if kind == "RecordDecl" and node.get("completeDefinition") and node.get("name"):
            records[f"{node['tagUsed']} {node['name']}"] = hdr
        elif kind == "RecordDecl" and node.get("completeDefinition"):
            anon_typedef_ids[node["id"]] = hdr
        elif kind == "TypedefDecl":
            owned = node.get("inner", [{}])[0].get("ownedTagDecl", {})
            decl = node.get("inner", [{}])[0].get("decl", {})
            tag = owned or decl
            if tag.get("id") in anon_typedef_ids:
                records[node["name"]] = hdr
        elif kind == "EnumDecl":
            for c in node.get("inner", []):
                if c["kind"] == "EnumConstantDecl":
                    enums[c["name"]] = hdr
        elif kind == "FunctionDecl":
            t = node["type"]
            canon = t.get("desugaredQualType", t["qualType"]).replace("_Bool", "bool")
            funcs[node["name"]] = (canon, hdr)
    return records, enums, funcs


def macros(include, workdir, skip):
    """Object-like macros defined in the headers of @include, by name -> (body, header)."""
    src = os.path.join(workdir, "macros.c")
    with open(src, "w") as f:
        f.write("#include <libxnvme.h>\n")
    p = run([CLANG, "-std=gnu11", "-I", include, "-E", "-dD", src])
    if p.returncode != 0:
        raise RuntimeError(p.stderr[:4000])
    out, hdr = {}, None
    inc = os.path.realpath(include)
    for line in p.stdout.splitlines():
        m = re.match(r'# \d+ "([^"]+)"', line)
        if m:
            path = m.group(1)
            hdr = os.path.basename(path) if os.path.realpath(path).startswith(inc + "/") else None
            continue
        m = re.match(r"#define (\w+) (.+)$", line)
        if m and hdr and hdr not in skip and not m.group(1).startswith("__LIBXNVME"):
            out[m.group(1)] = (m.group(2).strip(), hdr)
    return out


def probe_values(include, names, workdir, tag):
    """Compiles a program printing each name's integer value against @include; names that do not
    compile there are dropped one error at a time. Returns name -> value and the missing names."""
    names = list(names)
    missing = set()
    while True:
        src = os.path.join(workdir, f"values_{tag}.c")
        lines = ["#include <libxnvme.h>", "#include <stdio.h>", "int main(void)", "{"]
        first = len(lines) + 1
        for n in names:
            lines.append(f'\tprintf("%s %lld\\n", "{n}", (long long)({n}));')
        lines += ["\treturn 0;", "}"]
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        exe = os.path.join(workdir, f"values_{tag}")
        p = run([CLANG, "-std=gnu11", "-w", "-ferror-limit=0", "-I", include, src, "-o", exe])
        if p.returncode == 0:
            break
        bad = set()
        for m in re.finditer(re.escape(src) + r":(\d+):\d+: error", p.stderr):
            idx = int(m.group(1)) - first
            if 0 <= idx < len(names):
                bad.add(names[idx])
        if not bad:
            raise RuntimeError(f"probe does not compile against {include}:\n{p.stderr[:4000]}")
        missing |= bad
        names = [n for n in names if n not in bad]
    p = run([exe])
    vals = {}
    for line in p.stdout.splitlines():
        n, v = line.split(" ", 1)
        vals[n] = int(v)
    return vals, missing


def record_shape(root):
    """For each complete record (by AST id): its members (name, width, nested record id). The
    layout dump names types, not members; this walks members recursively so offsets of nested
    and anonymous members get their full path."""
    recs = {}

    def walk(node):
        if node.get("kind") == "RecordDecl" and node.get("completeDefinition"):
            members = []
            pending_anon = None
            for c in node.get("inner", []):
                if c["kind"] == "RecordDecl" and c.get("completeDefinition"):
                    pending_anon = c["id"]
                if c["kind"] == "FieldDecl":
                    width = None
                    if c.get("isBitfield"):
                        for cc in c.get("inner", []):
                            if "value" in cc:
                                width = int(cc["value"])
                    qt = c["type"]["qualType"]
                    nested = pending_anon if ("unnamed" in qt or "anonymous" in qt) else None
                    members.append([c.get("name", ""), width, nested, qt])
                    pending_anon = None
            recs[node["id"]] = {"node": node, "members": members}
        for c in node.get("inner", []):
            walk(c)

    walk(root)
    return recs


def member_table(root, records):
    """Record name -> {"size", "align", "members": {path: (bit offset, bit width or None)}}, via a
    probe compiled against @include that prints offsets found at run time: offsetof() for plain
    members, and for bitfields the first and last bit a member sets in a zeroed object."""
    recs = record_shape(root)
    by_name = {}
    # names of complete records: tags and typedefs of anonymous records
    typedef_of = {}
    for node in root.get("inner", []):
        if node["kind"] == "RecordDecl" and node.get("completeDefinition") and node.get("name"):
            by_name[f"{node['tagUsed']} {node['name']}"] = node["id"]
        if node["kind"] == "TypedefDecl":
            inner = node.get("inner", [{}])[0]
            tag_decl = inner.get("ownedTagDecl") or inner.get("decl") or {}
            if tag_decl.get("id") in recs:
                typedef_of[node["name"]] = tag_decl["id"]
    by_name.update(typedef_of)

    def paths(rid, prefix, depth=0):
        out = []
        if depth > 8 or rid not in recs:
            return out
        for name, width, nested, qt in recs[rid]["members"]:
            path = f"{prefix}.{name}" if name else prefix
            if nested is not None:
                if name:
                    out.append((path, None, qt))
                out += paths(nested, path, depth + 1)
                continue
            if not name:
                continue
            out.append((path, width, qt))
        return out

    lines = ["#include <libxnvme.h>", "#include <stddef.h>", "#include <stdio.h>",
             "#include <string.h>", "static unsigned char xnvme_probe_buf[65536];",
             "static void bits(const char *rec, const char *path, size_t n)",
             "{", "\tlong lo = -1, hi = -1;",
             "\tfor (size_t i = 0; i < n * 8; i++) {",
             "\t\tif (xnvme_probe_buf[i / 8] >> (i % 8) & 1) {",
             "\t\t\tif (lo < 0)", "\t\t\t\tlo = (long)i;", "\t\t\thi = (long)i;", "\t\t}", "\t}",
             '\tprintf("M %s|%s|%ld|%ld\\n", rec, path, lo, hi - lo + 1);', "}",
             "int main(void)", "{"]
    probe_lines = {}
    for rname in records:
        rid = by_name.get(rname)
        if rid is None:
            continue
        lines.append(f'\tprintf("R %s|%zu|%zu\\n", "{rname}", sizeof({rname}), _Alignof({rname}));')
        for path, width, qt in paths(rid, ""):
            member = path.lstrip(".")
            if width is None and qt.endswith("[]"):
                ln = (f'\tprintf("M %s|%s|%zu|%zu\\n", "{rname}", "{member}[]", offsetof({rname}, {member}) * 8, '
                      f"sizeof((({rname} *)0)->{member}[0]) * 8);")
            elif width is None:
                ln = (f'\tprintf("M %s|%s|%zu|%zu\\n", "{rname}", "{member}", offsetof({rname}, {member}) * 8, '
                      f"sizeof((({rname} *)0)->{member}) * 8);")
            else:
                ln = (f"\t{{ {rname} *p = (void *)xnvme_probe_buf; memset(xnvme_probe_buf, 0, sizeof({rname})); "
                      f'p->{member} = ~0ULL; bits("{rname}", "{member}", sizeof({rname})); }}')
            lines.append(ln)
    lines += ["\treturn 0;", "}"]
    return lines


def measure(include, root, records, workdir, tag):
    """Runs the member probe against @include; probe lines that do not compile there (a record
    or member that does not exist) are dropped and reported as missing."""
    lines = member_table(root, records)
    dropped = []
    src = os.path.join(workdir, f"members_{tag}.c")
    exe = os.path.join(workdir, f"members_{tag}")
    while True:
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        p = run([CLANG, "-std=gnu11", "-w", "-ferror-limit=0", "-I", include, src, "-o", exe])
        if p.returncode == 0:
            break
        bad = {int(m.group(1)) - 1 for m in re.finditer(re.escape(src) + r":(\d+):\d+: error", p.stderr)}
        if not bad:
            raise RuntimeError(f"member probe does not compile against {include}:\n{p.stderr[:4000]}")
        dropped += [lines[i] for i in bad]
        lines = ["/* dropped */" if i in bad else ln for i, ln in enumerate(lines)]
    p = run([exe])
    recs = {}
    for line in p.stdout.splitlines():
        kind, rest = line.split(" ", 1)
        parts = rest.split("|")
        if kind == "R":
            recs.setdefault(parts[0], {"members": {}})
            recs[parts[0]]["size"] = int(parts[1])
            recs[parts[0]]["align"] = int(parts[2])
        else:
            recs.setdefault(parts[0], {"members": {}})
            recs[parts[0]]["members"][parts[1]] = (int(parts[2]), int(parts[3]))
    return recs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ref")
    ap.add_argument("ours")
    ap.add_argument("--report")
    ap.add_argument("--skip-header", action="append", default=[])
    ap.add_argument("--summary", action="store_true", help="counts only")
    ap.add_argument("--known", help="file of the differences not fixed yet")
    a = ap.parse_args()
    if not os.path.isdir(a.ref):
        # meson's exit code for a skipped test: shown as SKIP, never as passed
        print(f"SKIP: the xNVMe 0.7.5 reference headers are not at {a.ref} (meson -Dupstream_dir=...)")
        return 77
    skip = DEFAULT_SKIP | set(a.skip_header)
    diffs = []
    with tempfile.TemporaryDirectory() as wd:
        try:
            ref_root = ast(a.ref, wd)
            our_root = ast(a.ours, wd)
        except RuntimeError as e:
            print(f"layout_check: {e}", file=sys.stderr)
            return 2
        ref_recs, ref_enums, ref_funcs = declarations(ref_root, a.ref, skip)
        our_recs, our_enums, our_funcs = declarations(our_root, a.ours, set())
        ref_macros = macros(a.ref, wd, skip)
        our_macros = macros(a.ours, wd, set())

        # records: presence, size, alignment, members
        ref_m = measure(a.ref, ref_root, ref_recs, wd, "ref")
        our_m = measure(a.ours, our_root, [r for r in ref_recs if r in our_recs], wd, "ours")
        n_rec_ok = 0
        for r in sorted(ref_recs):
            if r not in our_m:
                diffs.append(f"record {r} ({ref_recs[r]}): missing")
                continue
            ok = True
            rr, oo = ref_m[r], our_m[r]
            if rr["size"] != oo["size"] or rr["align"] != oo["align"]:
                diffs.append(f"record {r}: size/align {oo['size']}/{oo['align']}, want {rr['size']}/{rr['align']}")
                ok = False
            for mem, (off, width) in rr["members"].items():
                if mem not in oo["members"]:
                    diffs.append(f"record {r}: member {mem} missing")
                    ok = False
                elif oo["members"][mem] != (off, width):
                    o2, w2 = oo["members"][mem]
                    diffs.append(f"record {r}: member {mem} at bit {o2} width {w2}, want bit {off} width {width}")
                    ok = False
            n_rec_ok += ok

        # enum constants and integer macros: values
        int_macros = [m for m, (body, _) in ref_macros.items() if not body.startswith('"')]
        names = sorted(set(ref_enums) | set(int_macros))
        ref_v, ref_bad = probe_values(a.ref, names, wd, "ref")
        names = [n for n in names if n not in ref_bad]
        our_v, our_missing = probe_values(a.ours, names, wd, "ours")
        n_val_ok = 0
        for n in names:
            if n in our_missing:
                diffs.append(f"value {n}: missing")
            elif our_v[n] != ref_v[n]:
                diffs.append(f"value {n}: {our_v[n]:#x}, want {ref_v[n]:#x}")
            else:
                n_val_ok += 1
        # string and non-integer macros: presence and spelling of the value
        for m, (body, hdr) in sorted(ref_macros.items()):
            if m in ref_v:
                continue
            if m not in our_macros:
                diffs.append(f"macro {m} ({hdr}): missing")

        # functions: presence and canonical type
        n_fn_ok = 0
        for f, (t, hdr) in sorted(ref_funcs.items()):
            if f not in our_funcs:
                diffs.append(f"function {f} ({hdr}): missing")
            elif our_funcs[f][0] != t:
                diffs.append(f"function {f}: type '{our_funcs[f][0]}', want '{t}'")
            else:
                n_fn_ok += 1

    summary = (f"records {n_rec_ok}/{len(ref_recs)} match, values {n_val_ok}/{len(names)} match, "
               f"functions {n_fn_ok}/{len(ref_funcs)} match; {len(diffs)} differences")
    text = "\n".join(diffs + [summary]) + "\n"
    if a.report:
        with open(a.report, "w") as f:
            f.write(text)
    if a.known:
        with open(a.known) as f:
            known = {ln.strip() for ln in f if ln.strip() and not ln.startswith("#")}
        new = [d for d in diffs if d not in known]
        fixed = sorted(known - set(diffs))
        for d in new:
            print(f"NEW difference: {d}")
        for d in fixed:
            print(f"FIXED (remove it from {a.known}): {d}")
        print(summary + f" ({len(known)} known)")
        return 1 if new or fixed else 0
    if a.summary:
        print(summary)
    else:
        sys.stdout.write(text)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
