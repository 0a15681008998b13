#!/usr/bin/env python3
"""The man pages and the bash completion of the tools: each man page renders without a groff
warning and names every command and option the tool's --help has; completion offers the tool's
commands, a command's options, the values an option lists, and files elsewhere.
Usage: test_man_completion.py COMPLETION-SCRIPT TOOL:MANPAGE..."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, finish, run  # noqa: E402

completion = os.path.abspath(sys.argv[1])


def commands_of(tool):
    _, out, _ = run(tool, "--help")
    part = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in part.splitlines()]


def options_of(tool, cmd):
    _, out, _ = run(tool, cmd, "--help")
    return sorted(set(re.findall(r"--[a-z0-9-]+", out.split("options:\n", 1)[1].split("\n\n")[0])))


def complete(tool, *words):
    """COMPREPLY for the command line `tool words...` (the last word is being completed)"""
    script = (f"source {completion!r}; COMP_WORDS=({' '.join(repr(w) for w in (tool, *words))}); "
              "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _xnvme_tools_complete; "
              "printf '%s\\n' \"${COMPREPLY[@]}\"")
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": os.path.dirname(tool) + ":" + os.environ["PATH"]})
    return [w for w in proc.stdout.splitlines() if w]


for pair in sys.argv[2:]:
    tool, man = pair.split(":", 1)
    name = os.path.basename(tool)
    cmds = commands_of(tool)
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", man], capture_output=True,
                          timeout=60)
    text = re.sub(r".\x08", "", proc.stdout.decode("utf-8", "replace")).replace("\u2010", "-")
    text = re.sub(r"-\n\s*", "-", text)
    check(proc.returncode == 0 and proc.stderr == b"",
          f"{name}.1 renders without groff warnings ({proc.stderr[:200]!r})")
    missing = [c for c in cmds if not re.search(rf"(^|\s){re.escape(c)}\s", text)]
    check(not missing, f"{name}.1 describes every command ({missing})")
    opts = sorted({o for c in cmds for o in options_of(tool, c)})
    missing = [o for o in opts if o not in text]
    check(not missing, f"{name}.1 describes every option ({missing})")

    got = complete(tool, "")
    check(sorted(got) == sorted(cmds + ["--help"]), f"{name} <TAB>: its commands ({got})")
    for cmd in cmds:
        got = complete(tool, cmd, "--")
        check(got == options_of(tool, cmd), f"{name} {cmd} --<TAB>: its options")
    first = cmds[0]
    got = complete(tool, first[:2])
    check(first in got and all(c.startswith(first[:2]) for c in got),
          f"{name} {first[:2]}<TAB>: the commands with that prefix ({got})")
    if any("--output" in options_of(tool, c) for c in cmds):
        cmd = next(c for c in cmds if "--output" in options_of(tool, c))
        got = complete(tool, cmd, "x", "--output", "")
        check(got == ["yaml", "json"], f"{name} {cmd} --output <TAB>: yaml json ({got})")
    if any("--async" in options_of(tool, c) for c in cmds):
        cmd = next(c for c in cmds if "--async" in options_of(tool, c))
        got = complete(tool, cmd, "x", "--async", "io")
        check(got == ["io_uring", "io_uring_cmd"], f"{name} {cmd} --async io<TAB> ({got})")
    here = os.path.dirname(os.path.abspath(__file__))
    got = complete(tool, first, os.path.join(here, "test_man_c"))
    check(got == [os.path.join(here, "test_man_completion.py")],
          f"{name} {first} <path><TAB>: file names ({got})")

finish()
