"""What the CLI tests share: run a tool, check its YAML (and the same as JSON), check the error
convention (exit code, nothing on stdout, one stderr line "<tool> <command>: error: ..."), and keep
the count of failures. Imported by tests/cli/*.py and tests/nvme/*.py."""
import json
import os
import subprocess
import sys

import yaml

FAILED = []
# A program that runs the tools, when they are not this system's: wine for the Windows build's
# (tests/windows); the tools' names then end in .exe, which their messages do not carry
RUNNER = os.environ.get("XNVME_TEST_RUNNER", "").split()


def cmd(tool, *args):
    """The command line that runs tool with args (through RUNNER when set)"""
    return [*RUNNER, tool, *args]


def tool_name(tool):
    name = os.path.basename(tool)
    return name[:-4] if name.endswith(".exe") else name


def run(tool, *args, timeout=120):
    proc = subprocess.run(cmd(tool, *args), capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def offered_ifaces(target, kind="async"):
    """The interfaces of kind ("sync" or "async") the library offers on target that move data,
    in the backend's order, as the C test bodies get them (tests/target/ifaces.h): through the
    `ifaces` program, whose path meson puts in XNVME_TEST_IFACES (default: build/tests/ifaces)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    exe = os.environ.get("XNVME_TEST_IFACES", os.path.join(root, "build", "tests", "ifaces"))
    proc = subprocess.run(cmd(exe, target), capture_output=True, text=True, timeout=60)
    if proc.returncode:
        raise RuntimeError(f"{exe} {target}: rc {proc.returncode}: {proc.stderr.strip()}")
    return [line.split()[1] for line in proc.stdout.splitlines() if line.split()[0] == kind]


def check(cond, what):
    print(("PASS: " if cond else "FAIL: ") + what, flush=True)
    if not cond:
        FAILED.append(what)
    return cond


def check_yaml(tool, args, what, pred=lambda d: True, json_too=True):
    """Exit 0, nothing on stderr, YAML on stdout that satisfies pred; with --output json the
    same document. Returns the document (None when a check failed)."""
    rc, out, err = run(tool, *args)
    try:
        doc = yaml.safe_load(out)
        ok = rc == 0 and err == "" and pred(doc)
    except (yaml.YAMLError, KeyError, IndexError, TypeError, ValueError) as exc:
        check(False, f"{what}: {type(exc).__name__}: {exc} (rc={rc}, stderr={err.strip()!r})")
        return None
    if not check(ok, f"{what} (rc={rc}, stderr={err.strip()!r})"):
        return None
    if json_too and "--output" not in args:
        rc, out_json, err = run(tool, *args, "--output", "json")
        try:
            same = rc == 0 and err == "" and json.loads(out_json) == doc
        except json.JSONDecodeError as exc:
            same, err = False, f"{err} {exc}"
        check(same, f"{what} --output json equals the YAML (rc={rc}, stderr={err.strip()!r})")
    return doc


def check_bad(tool, args, rc_want, what, *needles):
    """Exit rc_want, nothing on stdout, one line on stderr in the error format"""
    rc, out, err = run(tool, *args)
    name = tool_name(tool)
    ok = rc == rc_want and out == "" and err.count("\n") == 1 and err.endswith("\n")
    ok = ok and err.startswith(name) and ": error: " in err
    ok = ok and all(n in err for n in needles)
    check(ok, f"{what}: exit {rc} (want {rc_want}), stdout {len(out)} chars, stderr {err!r}")


def finish():
    print(f"{len(FAILED)} failed")
    sys.exit(1 if FAILED else 0)
