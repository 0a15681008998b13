#!/usr/bin/env python3
"""The conformance suite of issue 15: xNVMe 0.7.5's own programs against our library.

1. Source: every C program of upstream's src/{examples,tests,tools} is built unmodified against
   our installed library, with exactly `cc -std=gnu11 FILE.c $(pkg-config --cflags --libs xnvme)`
   and PKG_CONFIG_PATH at the install's pkgconfig folder.
2. Runs: the invocations of upstream's own test suite (runs.txt) on the local device kinds
   (ramdisk, file, loop device, our ramdisk's metadata/zoned/key-value formats).
3. ABI: abi_probe.c and a few upstream programs are built against upstream's prebuilt headers
   and library, then run with our library in their place (LD_LIBRARY_PATH).

Each build and run prints one line (PASS / FAIL with the reason / CRASH with the signal), then the
totals. The failures not fixed yet are listed in a known-failures file that may only shrink:
exit 0 when the failures are exactly the listed ones; 1 on a failure not listed (a regression),
on a listed one that passes now ("FIXED: remove from the list") and on any crash. Without
upstream's corpus it prints SKIP and exits 0 (--skip-code to change that).

  conformance.py --prefix PREFIX --work DIR [--upstream DIR | --build BUILDDIR]
                 [--known FILE [--update-known]] [--write-known FILE] [--kinds K,..]
                 [--only SUBSTR] [--jobs N]
  conformance.py --reference --work DIR ...   upstream's programs with upstream's library: every
                 local run of runs.txt must pass there (checks the run list itself)
"""
import argparse
import concurrent.futures
import glob
import itertools
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC_DIRS = ("examples", "tests", "tools")
# Upstream's meson names its test programs with this prefix (src/tests/meson.build)
TESTS_PREFIX = "xnvme_tests_"
# Upstream programs rebuilt against upstream's headers and run with our library (the ABI check),
# with the runs of runs.txt that exercise them on these kinds
ABI_PROGRAMS = ("xnvme_hello", "xnvme_io_async", "xnvme_single_sync", "xnvme_tests_ioworker",
                "xnvme_tests_lblk", "xnvme_tests_buf", "lblk", "xnvme")
ABI_KINDS = ("ramdisk", "file")
RUN_TIMEOUT = 120  # generous: a loaded 2-core machine runs the slowest in ~20 s
CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGFPE, signal.SIGILL,
                 signal.SIGTRAP, signal.SIGSYS}
TARGET_BYTES = 512 << 20  # xnvme_tests_lblk io writes the first 256 MiB
PROBE_BYTES = 16 << 20  # abi_probe.c's target


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def excerpt(text, n=160):
    line = " ".join(text.split())
    return line if len(line) <= n else line[: n - 3] + "..."


# --- the run list -------------------------------------------------------------------------------

class Kind:
    def __init__(self, name, where, uri, nsid, opts):
        self.name, self.where, self.uri, self.nsid, self.opts = name, where, uri, nsid, opts


class Run:
    def __init__(self, rid, kinds, opts, excl, cmd, expect_fail):
        self.id, self.kinds, self.opts, self.excl = rid, kinds, opts, excl
        self.cmd, self.expect_fail = cmd, expect_fail


def parse_runs(path):
    kinds, groups, runs = {}, {}, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word = line.split()
            try:
                if word[0] == "kind":
                    kv = dict(w.split("=", 1) for w in word[3:])
                    uri, nsid = kv.pop("uri"), kv.pop("nsid")
                    kinds[word[1]] = Kind(word[1], word[2], uri, nsid,
                                          {k: v.split("|") for k, v in kv.items()})
                elif word[0] == "group":
                    groups[word[1]] = word[2:]
                elif word[0] == "run":
                    rid, kspec, ospec = word[1], word[2], word[3]
                    cmd = line.split(None, 4)[4]
                    expect_fail = cmd.endswith(" expect=fail")
                    if expect_fail:
                        cmd = cmd[: -len(" expect=fail")]
                    parts = ospec.split(";")
                    opts = [] if parts[0] == "-" else parts[0].split(",")
                    excl = {}
                    for p in parts[1:]:
                        k, v = p.split("=", 1)
                        excl[k] = set(v.split("|"))
                    ks = []
                    for k in ([] if kspec == "-" else kspec.split(",")):
                        ks += groups.get(k, [k])
                    runs.append(Run(rid, ks, opts, excl, cmd, expect_fail))
                else:
                    raise ValueError(f"unknown line type {word[0]!r}")
            except (ValueError, KeyError, IndexError) as e:
                raise SystemExit(f"{path}:{n}: cannot parse: {e}")
    for r in runs:
        for k in r.kinds:
            if k not in kinds:
                raise SystemExit(f"{path}: run {r.id}: unknown kind {k}")
    return kinds, runs


def variants(run, kinds):
    """(id, kind, opts dict) for each variant of a run: one per combination of the kind's values
    of the options the run takes, less the excluded ones (cijoe's parametrisation)."""
    if not run.kinds:
        yield run.id, None, {}
        return
    for kname in run.kinds:
        kind = kinds[kname]
        keys = [o for o in ("be", "mem", "admin", "sync", "async") if o in run.opts and o in kind.opts]
        for vals in itertools.product(*(kind.opts[k] for k in keys)):
            combo = dict(zip(keys, vals))
            if any(combo.get(k) in v for k, v in run.excl.items()):
                continue
            # Name a variant by the kind and the interface values that vary within it
            tag = "/".join(combo[k] for k in keys if len(kind.opts[k]) > 1)
            yield f"{run.id}@{kname}" + (f"/{tag}" if tag else ""), kind, combo


# --- building -----------------------------------------------------------------------------------

def programs(upstream):
    progs = []
    for d in SRC_DIRS:
        for src in sorted(glob.glob(os.path.join(upstream, "src", d, "*.c"))):
            stem = os.path.splitext(os.path.basename(src))[0]
            progs.append(((TESTS_PREFIX if d == "tests" else "") + stem, src))
    return progs


def pkg_flags(pcdir):
    env = dict(os.environ, PKG_CONFIG_PATH=pcdir)
    p = sh(["pkg-config", "--cflags", "--libs", "xnvme"], env=env)
    if p.returncode != 0:
        raise SystemExit(f"pkg-config finds no xnvme in {pcdir}: {p.stderr.strip()}")
    return shlex.split(p.stdout)


def build_reason(stderr):
    undef = sorted(set(re.findall(r"undefined reference to [`']([^'`]+)'", stderr)))
    if undef:
        shown = ", ".join(undef[:8]) + (f", ... ({len(undef)} in all)" if len(undef) > 8 else "")
        return f"link error: undefined symbols: {shown}"
    errs = [ln for ln in stderr.splitlines() if ": error:" in ln or ": fatal error:" in ln]
    if errs:
        first = re.sub(r"^.*?/src/", "", errs[0])
        return f"compile error ({len(errs)} errors): {excerpt(first, 200)}"
    return f"build error: {excerpt(stderr, 200)}"


def build_all(progs, flags, bindir, jobs):
    os.makedirs(bindir, exist_ok=True)

    def one(prog):
        name, src = prog
        out = os.path.join(bindir, name)
        if os.path.exists(out):
            os.unlink(out)
        p = sh(["cc", "-std=gnu11", src] + flags + ["-o", out])
        return name, p.returncode == 0, "" if p.returncode == 0 else build_reason(p.stderr)

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
        return list(ex.map(one, progs))


# --- targets ------------------------------------------------------------------------------------

class Targets:
    """The harness's own file and loop device, made on first use and always removed."""

    def __init__(self, work):
        self.dir = os.path.join(work, "targets")
        os.makedirs(self.dir, exist_ok=True)
        self.loopdev = None
        self.loop_error = None

    def fresh_file(self, name, nbytes=TARGET_BYTES):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.truncate(nbytes)
        return path

    def loop(self):
        if self.loopdev or self.loop_error:
            return self.loopdev
        if os.environ.get("XNVME_SKIP_LOOP") == "1":
            self.loop_error = "SKIP: loop targets skipped on request (XNVME_SKIP_LOOP=1)"
            return None
        img = self.fresh_file("loop.img")
        p = sh(["losetup", "-f", "--show", img])
        if p.returncode != 0:
            self.loop_error = (f"FAIL: cannot set up a loop device: {excerpt(p.stderr)} (root and "
                               "the loop driver are required; XNVME_SKIP_LOOP=1 skips explicitly)")
            return None
        self.loopdev = p.stdout.strip()
        return self.loopdev

    def close(self):
        if self.loopdev:
            sh(["losetup", "-d", self.loopdev])
            self.loopdev = None
        shutil.rmtree(self.dir, ignore_errors=True)


# --- running ------------------------------------------------------------------------------------

def describe_exit(rc, out):
    if rc < 0:
        try:
            return f"crash: {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    lines = [ln for ln in out.splitlines() if ln.strip()]
    loader = [ln for ln in lines if "symbol lookup error" in ln or "error while loading" in ln]
    if loader:
        m = re.search(r"undefined symbol: (\S+)", loader[0])
        return f"load error: undefined symbol {m.group(1)}" if m else f"load error: {excerpt(loader[0])}"
    err = [ln for ln in lines if "ERR" in ln or "rror" in ln or "FAIL" in ln]
    tail = (err or lines or [""])[-1]
    return f"exit {rc}" + (f": {excerpt(tail, 140)}" if tail else "")


def kind_skipped(kind, wanted, guest):
    """Why a variant of this kind is not run here, or None"""
    if kind is None:
        # Runs without a device belong to the host's run; --kinds picks device kinds only
        return "not among --kinds (a run without a device)" if wanted else None
    if wanted and kind.name not in wanted:
        return "not among --kinds"
    if kind.where == "guest":
        if not guest:
            return "runs in the VM guest (conformance.py --guest, from tests/nvme/suite.sh)"
        if "$" in os.path.expandvars(kind.uri):
            return f"{kind.uri} is not set (not in the VM rig's guest?)"
    return None


def run_variant(cmd_text, kind, combo, bindir, libdir, targets, work, expect_fail):
    """Runs one variant in a scratch folder of its own, removed afterwards; returns (status,
    reason) with status PASS, FAIL, CRASH or SKIP."""
    rundir = tempfile.mkdtemp(dir=os.path.join(work, "runs"))
    try:
        return run_steps(cmd_text, kind, combo, bindir, libdir, targets, rundir, expect_fail)
    finally:
        shutil.rmtree(rundir, ignore_errors=True)


def run_steps(cmd_text, kind, combo, bindir, libdir, targets, rundir, expect_fail):
    subst = {"work": rundir}
    opts = ""
    if kind:
        uri = os.path.expandvars(kind.uri)
        if uri == "{file}":
            uri = targets.fresh_file("target.img")
        elif uri == "{loop}":
            uri = targets.loop()
            if uri is None:
                return ("SKIP" if targets.loop_error.startswith("SKIP") else "FAIL"), targets.loop_error
        subst["uri"] = uri
        opts = f"--dev-nsid {kind.nsid} " + " ".join(f"--{k} {v}" for k, v in combo.items())
    subst["opts"] = opts.strip()
    env = dict(os.environ, LD_LIBRARY_PATH=libdir, PATH=bindir + os.pathsep + os.environ["PATH"])
    steps = [s for s in cmd_text.split(" && ")]
    for i, step in enumerate(steps):
        argv = []
        for w in step.split():
            w = re.sub(r"\{(\w+)\}", lambda m: subst[m.group(1)], w)
            argv += w.split() if w != "" else []
        prog = argv[0]
        if "/" not in prog and os.path.exists(os.path.join(bindir, prog)):
            argv[0] = os.path.join(bindir, prog)
        try:
            p = subprocess.run(argv, cwd=rundir, env=env, capture_output=True, text=True,
                               errors="replace", timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "FAIL", f"timeout after {RUN_TIMEOUT} s in '{step}'"
        rc = p.returncode
        if rc < 0 and -rc in CRASH_SIGNALS:
            return "CRASH", f"{describe_exit(rc, '')} in '{prog} {' '.join(argv[1:3])}'"
        last = i == len(steps) - 1
        if last and expect_fail:
            if rc > 0 and "load error" not in describe_exit(rc, p.stdout + p.stderr):
                return "PASS", ""
            return "FAIL", "expected a refusal (non-zero exit), " + (
                "got 0" if rc == 0 else describe_exit(rc, p.stdout + p.stderr))
        if rc != 0:
            where = f" (step {i + 1}: {prog})" if len(steps) > 1 else ""
            return "FAIL", describe_exit(rc, p.stdout + p.stderr) + where
    return "PASS", ""


# --- the report ---------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.results = []  # (id, status, reason)
        self.last = time.monotonic()

    def add(self, rid, status, reason=""):
        """One line per build or run; the time it took when that is a second or more"""
        now = time.monotonic()
        took = f" ({now - self.last:.1f} s)" if now - self.last >= 1 else ""
        self.last = now
        self.results.append((rid, status, reason))
        print(f"{status:5} {rid}" + (f": {reason}" if reason else "") + took, flush=True)


def read_known(path):
    known = set()
    if path and os.path.exists(path):
        with open(path) as f:
            for ln in f:
                key = ln.split("#", 1)[0].strip()
                if key:
                    known.add(key)
    return known


def write_known(path, report):
    with open(path, "w") as f:
        f.write("# Conformance failures not fixed yet (tests/upstream/conformance.py, docs/conformance.md).\n")
        f.write("# Only ever take lines out; a listed item that passes fails the harness until removed.\n")
        for rid, status, reason in report.results:
            if status in ("FAIL", "CRASH"):
                f.write(f"{rid}  # {reason}\n")


def drop_known(path, fixed):
    with open(path) as f:
        lines = f.readlines()
    with open(path, "w") as f:
        f.writelines(ln for ln in lines if ln.split("#", 1)[0].strip() not in fixed)


# --- the ABI check ------------------------------------------------------------------------------

def reference_prefix(upstream, work):
    """A prefix that is upstream's prebuilt install with its shared-library links made whole: the
    corpus may store libxnvme.so and libxnvme.so.0 as small text files naming their target instead
    of symbolic links, which the linker and the loader cannot use."""
    pre = os.path.join(upstream, "prebuilt")
    ref = os.path.join(work, "reference-prefix")
    lib = os.path.join(ref, "lib")
    os.makedirs(os.path.join(lib, "pkgconfig"), exist_ok=True)
    real = sorted(glob.glob(os.path.join(pre, "lib", "libxnvme.so.*.*.*")))
    if not real:
        raise SystemExit(f"no libxnvme.so.X.Y.Z in {pre}/lib")
    links = {
        os.path.join(ref, "include"): os.path.join(pre, "include"),
        os.path.join(lib, "libxnvme.so"): real[-1],
        os.path.join(lib, "libxnvme.so.0"): real[-1],
        os.path.join(lib, "pkgconfig", "xnvme.pc"): os.path.join(pre, "lib", "pkgconfig", "xnvme.pc"),
    }
    for link, target in links.items():
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(target, link)
    return ref


def abi_probe(report, ref_flags, our_flags, ref_lib, our_lib, bindir, targets, work):
    """abi_probe.c built against upstream's headers: with upstream's library (the probe's own
    expectations hold there), then with ours in its place; and built against ours, with ours."""
    src = os.path.join(HERE, "abi_probe.c")
    builds = [("abi_probe.upstream-headers", ref_flags), ("abi_probe.our-headers", our_flags)]
    built = {}
    for name, flags in builds:
        out = os.path.join(bindir, name)
        p = sh(["cc", "-std=gnu11", "-Wall", "-Wextra", src] + flags + ["-o", out])
        if p.returncode != 0:
            report.add(f"abi-build {name}", "FAIL", build_reason(p.stderr))
        else:
            report.add(f"abi-build {name}", "PASS")
            built[name] = out
    cases = [("abi_probe.upstream-headers", ref_lib, "upstream-lib"),
             ("abi_probe.upstream-headers", our_lib, "our-lib"),
             ("abi_probe.our-headers", our_lib, "our-lib")]
    for name, lib, libname in cases:
        for kind, uri in (("ramdisk", "1GB"), ("file", None)):
            rid = f"abi-run {name}@{kind}/{libname}"
            if name not in built:
                report.add(rid, "FAIL", "not built")
                continue
            target = uri or targets.fresh_file("abi.img", PROBE_BYTES)
            be = "ramdisk" if kind == "ramdisk" else "linux"
            nbytes = 1 << 30 if kind == "ramdisk" else PROBE_BYTES
            p = run_probe([built[name], target, be, str(nbytes)], lib, work)
            report.add(rid, *p)


def abi_load(path, lib):
    """Every function an upstream-built program imports resolves in our library (ldd -r binds
    them all, where a run only binds the ones it calls)"""
    p = sh(["ldd", "-r", path], env=dict(os.environ, LD_LIBRARY_PATH=lib))
    undef = sorted(set(re.findall(r"undefined symbol: (\S+)", p.stdout + p.stderr)))
    if undef:
        shown = ", ".join(undef[:8]) + (f", ... ({len(undef)} in all)" if len(undef) > 8 else "")
        return "FAIL", f"undefined symbols: {shown}"
    if p.returncode != 0:
        return "FAIL", f"ldd -r: {excerpt(p.stderr)}"
    return "PASS", ""


def run_probe(argv, lib, work):
    env = dict(os.environ, LD_LIBRARY_PATH=lib)
    try:
        p = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True,
                           errors="replace", timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "FAIL", "timeout"
    if p.returncode < 0 and -p.returncode in CRASH_SIGNALS:
        return "CRASH", describe_exit(p.returncode, "")
    if p.returncode != 0:
        bad = [ln for ln in (p.stdout + p.stderr).splitlines() if ln.startswith("FAIL")]
        reason = describe_exit(p.returncode, p.stdout + p.stderr)
        if bad:
            reason = f"{len(bad)} checks failed, first: {excerpt(bad[0], 140)}"
        return "FAIL", reason
    return "PASS", ""


# --- main ---------------------------------------------------------------------------------------

def check_list(path, upstream):
    """The run list names only upstream's programs, and each variant's id once."""
    kinds, runs = parse_runs(path)
    names = {n for n, _ in programs(upstream)}
    bad, seen, n = [], set(), 0
    for run in runs:
        for step in run.cmd.split(" && "):
            prog = step.split()[0]
            if prog not in names and prog != "cmp":
                bad.append(f"run {run.id}: {prog} is not one of upstream's programs")
        for vid, kind, combo in variants(run, kinds):
            n += 1
            if vid in seen:
                bad.append(f"run {vid}: the same id twice")
            seen.add(vid)
    for b in bad:
        print(f"FAIL: {b}")
    print(f"{path}: {len(runs)} runs, {n} variants on {len(kinds)} kinds, {len(names)} programs: "
          + ("FAIL" if bad else "PASS"))
    return 1 if bad else 0


def upstream_from_build(build):
    p = sh(["meson", "introspect", "--buildoptions", build]) if build else None
    if p and p.returncode == 0:
        for o in json.loads(p.stdout):
            if o["name"] == "upstream_dir" and o["value"]:
                return o["value"]
    src = os.path.dirname(os.path.dirname(HERE))
    return os.path.join(src, "..", "shared", "upstream-xnvme-0.7.5")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prefix", help="our install prefix (lib/, lib/pkgconfig/)")
    ap.add_argument("--work", help="scratch folder for binaries and targets")
    ap.add_argument("--upstream", help="xNVMe 0.7.5 corpus (default: the build's upstream_dir)")
    ap.add_argument("--build", help="meson build folder whose upstream_dir option names the corpus")
    ap.add_argument("--runs", default=os.path.join(HERE, "runs.txt"))
    ap.add_argument("--known", help="known failures, may only shrink")
    ap.add_argument("--write-known", help="write the failures of this run to FILE (a new list)")
    ap.add_argument("--update-known", action="store_true",
                    help="take the fixed items out of --known's file (never adds one)")
    ap.add_argument("--kinds", help="only these device kinds (comma-separated)")
    ap.add_argument("--only", help="only builds/runs whose id contains this")
    ap.add_argument("--jobs", type=int, default=2, help="parallel compilers (default 2)")
    ap.add_argument("--reference", action="store_true",
                    help="build against upstream's prebuilt install and run with its library")
    ap.add_argument("--no-abi", action="store_true", help="leave out the ABI check")
    ap.add_argument("--guest", action="store_true",
                    help="run the 'guest' kinds too (in the VM rig's guest: $XNVME_VM_* name them)")
    ap.add_argument("--skip-code", type=int, default=0, help="exit status of a SKIP (default 0)")
    ap.add_argument("--check-list", action="store_true",
                    help="only check the run list: every program one of upstream's, every kind known")
    a = ap.parse_args()

    upstream = os.path.abspath(a.upstream or upstream_from_build(a.build))
    if not os.path.isdir(os.path.join(upstream, "src")) or not os.path.isdir(os.path.join(upstream, "prebuilt")):
        print(f"SKIP: conformance: the xNVMe 0.7.5 corpus is not at {upstream} "
              "(meson -Dupstream_dir=... or --upstream): nothing was built or run")
        return a.skip_code
    if a.check_list:
        return check_list(a.runs, upstream)
    if not a.work:
        ap.error("--work is required")
    if not a.reference and not a.prefix:
        ap.error("--prefix is required (or --reference)")

    work = os.path.abspath(a.work)
    shutil.rmtree(os.path.join(work, "runs"), ignore_errors=True)  # a killed harness's leftovers
    os.makedirs(os.path.join(work, "runs"))
    kinds, runs = parse_runs(a.runs)
    wanted = set(a.kinds.split(",")) if a.kinds else None
    ref = reference_prefix(upstream, work)
    ref_pc, ref_lib = os.path.join(ref, "lib", "pkgconfig"), os.path.join(ref, "lib")
    if a.reference:
        pcdir, libdir, label = ref_pc, ref_lib, "upstream's prebuilt library (reference mode)"
    else:
        prefix = os.path.abspath(a.prefix)
        pcdir, libdir, label = (os.path.join(prefix, "lib", "pkgconfig"), os.path.join(prefix, "lib"),
                                f"our install at {prefix}")
    bindir = os.path.join(work, "reference-bin" if a.reference else "bin")
    t0 = time.monotonic()
    flags = pkg_flags(pcdir)
    progs = programs(upstream)
    print(f"# conformance: {len(progs)} programs of {upstream}/src against {label}")
    print(f"# build: PKG_CONFIG_PATH={pcdir} cc -std=gnu11 FILE.c {' '.join(flags)}")
    report = Report()
    built = set()
    for name, ok, reason in build_all(progs, flags, bindir, a.jobs):
        # Every program is built (the runs need them); --only narrows what is reported
        if not a.only or a.only in f"build {name}":
            report.add(f"build {name}", "PASS" if ok else "FAIL", reason)
        if ok:
            built.add(name)
    nbuilt = len(built)

    targets = Targets(work)
    skipped_kinds = {}
    skipped_ids = set()
    try:
        for run in runs:
            for vid, kind, combo in variants(run, kinds):
                rid = f"run {vid}"
                if a.only and a.only not in rid:
                    continue
                why = kind_skipped(kind, wanted, a.guest)
                if why:
                    skipped_kinds.setdefault(kind.name if kind else "-", [why, 0])[1] += 1
                    skipped_ids.add(rid)
                    continue
                if a.reference and kind and kind.name.startswith("ramdisk_"):
                    skipped_kinds.setdefault(kind.name, ["upstream's ramdisk has no such namespace", 0])[1] += 1
                    skipped_ids.add(rid)
                    continue
                progs_used = {s.split()[0] for s in run.cmd.split(" && ")}
                missing = sorted(p for p in progs_used if p not in built and os.path.basename(p) != "cmp")
                if missing:
                    report.add(rid, "FAIL", f"not built: {', '.join(missing)}")
                    continue
                report.add(rid, *run_variant(run.cmd, kind, combo, bindir, libdir, targets, work,
                                             run.expect_fail))
        if not a.reference and not a.no_abi and not a.only:
            # The ABI check: upstream programs built against upstream's install, run with ours
            abi_bin = os.path.join(work, "abi-bin")
            ref_flags = pkg_flags(ref_pc)
            abi_progs = [p for p in programs(upstream) if p[0] in ABI_PROGRAMS]
            abi_built = set()
            for name, ok, reason in build_all(abi_progs, ref_flags, abi_bin, a.jobs):
                report.add(f"abi-build {name}", "PASS" if ok else "FAIL", reason)
                if ok:
                    abi_built.add(name)
            for name in sorted(abi_built):
                report.add(f"abi-load {name}", *abi_load(os.path.join(abi_bin, name), libdir))
            abi_probe(report, ref_flags, flags, ref_lib, libdir, abi_bin, targets, work)
            for run in runs:
                if run.cmd.split()[0] not in ABI_PROGRAMS or " && " in run.cmd:
                    continue
                # One variant per kind: the ABI is the same whichever interface carries the I/O
                done_kinds = set()
                for vid, kind, combo in variants(run, kinds):
                    if kind is None or kind.name not in ABI_KINDS or kind.name in done_kinds:
                        continue
                    done_kinds.add(kind.name)
                    rid = f"abi-run {vid}"
                    if run.cmd.split()[0] not in abi_built:
                        report.add(rid, "FAIL", "not built")
                        continue
                    report.add(rid, *run_variant(run.cmd, kind, combo, abi_bin, libdir, targets,
                                                 work, run.expect_fail))
    finally:
        targets.close()

    for k, (why, n) in sorted(skipped_kinds.items()):
        print(f"SKIP  kind {k}: {n} runs: {why}")
    res = report.results
    runs_done = [r for r in res if r[0].startswith("run ") and r[1] != "SKIP"]
    abi_done = [r for r in res if r[0].startswith("abi-run ")]
    crashes = [r for r in res if r[1] == "CRASH"]
    npass = sum(1 for r in runs_done if r[1] == "PASS")
    print(f"# programs built {nbuilt}/{len(progs)}, runs passed {npass}/{len(runs_done)}, "
          f"ABI runs passed {sum(1 for r in abi_done if r[1] == 'PASS')}/{len(abi_done)}, "
          f"crashes {len(crashes)} ({time.monotonic() - t0:.0f} s)")
    if a.write_known:
        write_known(a.write_known, report)
        print(f"# wrote {a.write_known}")
    rc = 0
    if crashes:
        print(f"FAIL: {len(crashes)} crashes (a crash always fails, listed or not): "
              + ", ".join(r[0] for r in crashes))
        rc = 1
    if a.known is not None:
        known = read_known(a.known)
        failing = {r[0] for r in res if r[1] in ("FAIL", "CRASH")}
        evaluated = {r[0] for r in res if r[1] != "SKIP"}
        new = sorted(failing - known)
        fixed = sorted((known & evaluated) - failing)
        for rid in new:
            print(f"NEW failure (a regression, or a new run: fix it or, if it is new, list it): {rid}")
        # An id no build or run has any more (a run renamed or taken out of runs.txt): only
        # knowable when everything was asked for
        if not (a.only or a.kinds or a.no_abi):
            universe = {r[0] for r in res} | skipped_ids
            stale = sorted(known - universe)
            for rid in stale:
                print(f"STALE: no such build or run any more: remove from the list {a.known}: {rid}")
            fixed += stale
        if a.update_known and fixed:
            drop_known(a.known, set(fixed))
            print(f"# took {len(fixed)} fixed items out of {a.known}")
            fixed = []
        print(f"# known failures: {len(known)} listed, {len(new)} new, {len(fixed)} fixed or stale")
        if new or fixed:
            rc = 1
    elif not a.reference and any(r[1] == "FAIL" for r in res):
        rc = 1
    if a.reference and any(r[1] in ("FAIL", "CRASH") for r in res):
        rc = 1
    print("# conformance: " + ("PASS" if rc == 0 else "FAIL"))
    return rc


if __name__ == "__main__":
    # A terminated harness still detaches its loop device (the finally clauses run)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    sys.exit(main())
