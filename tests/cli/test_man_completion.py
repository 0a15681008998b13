#!/usr/bin/env python3
"""The man pages and the bash completion of the tools: each man page renders without a groff
warning and names every command and option the tool's --help has; completion offers the tool's
commands, a command's options, the values an option lists, and files elsewhere.
Usage: test_man_completion.py COMPLETION-SCRIPT TOOL:MANPAGE..."""
import functools
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, finish, run  # noqa: E402

completion = os.path.abspath(sys.argv[1])


# A tool's --help is the same each time it is asked: each is run once here, however many checks
# read it (under ASan a run of a tool costs ~60 ms). The completion script runs the tool itself.
@functools.lru_cache(maxsize=None)
def commands_of(tool):
    _, out, _ = run(tool, "--help")
    part = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in part.splitlines()]


@functools.lru_cache(maxsize=None)
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


def library_names(xnvme):
    """What the library says it has (`xnvme library-info`, read as YAML): the backends' names and
    aliases, and the interface ids of each kind; the help and the completion must offer these"""
    import yaml
    _, out, _ = run(xnvme, "library-info")
    names = {"be": set(), "admin": set(), "sync": set(), "async": set(), "mem": set()}
    for be in yaml.safe_load(out)["xnvme_be_attr_list"]:
        names["be"] |= {be["name"]} | ({be["alias"]} if be["alias"] else set())
        for kind, ifaces in be["interfaces"].items():
            names[kind] |= {i["id"] for i in ifaces or []}
    return names


tools = dict(pair.split(":", 1) for pair in sys.argv[2:])
xnvme_tool = next(t for t in tools if os.path.basename(t) == "xnvme")
lib_names = library_names(xnvme_tool)
# The ramdisk is in every build that runs this suite (make test-configs: linux may be left out)
check("ramdisk" in lib_names["be"] and lib_names["async"],
      f"xnvme library-info lists the ramdisk backend and async interfaces "
      f"({sorted(lib_names['be'])}, {sorted(lib_names['async'])})")

for tool, man in tools.items():
    name = os.path.basename(tool)
    cmds = commands_of(tool)
    proc = subprocess.run(["groff", "-man", "-Tutf8", "-ww", man], capture_output=True,
                          timeout=60)
    text = re.sub(r".\x08", "", proc.stdout.decode("utf-8", "replace")).replace("\u2010", "-")
    text = re.sub(r"-\n\s*", "-", text)
    check(proc.returncode == 0 and proc.stderr == b"",
          f"{name}.1 renders without groff warnings ({proc.stderr[:200]!r})")
    # The sections around the commands: identifiers, examples, and only installed pages after
    parts = dict(re.findall(r"^([A-Z][A-Z ]+)\n(.*?)(?=^[A-Z][A-Z ]+\n|\Z)", text, re.M | re.S))
    check(all(w in parts.get("DEVICE IDENTIFIERS", "") for w in
              ("/dev/nvme0n1", "/dev/ng0n1", "ramdisk:SIZE", "pcie-model:SIZE", "0000:03:00.0",
               "HOST:PORT", "nvme+tcp://")),
          f"{name}.1: DEVICE IDENTIFIERS lists the identifier forms")
    shown = [line.strip() for line in parts.get("EXAMPLES", "").splitlines()
             if line.strip().startswith(name + " ")]
    check(shown, f"{name}.1: EXAMPLES shows {name} commands ({len(shown)})")
    see = parts.get("SEE ALSO", "").split("\n\n\n")[0]  # the page's footer left out
    pages = {os.path.basename(m)[:-2] for _, m in (p.split(":", 1) for p in sys.argv[2:])}
    named = set(re.findall(r"([\w-]+)\(1\)", see))
    check(named and named <= pages - {name} and "/" not in see and ".md" not in see,
          f"{name}.1: SEE ALSO names installed man pages only ({sorted(named)}; {see.strip()!r})")
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
        # A prefix of this build's names: io (io_uring, io_uring_cmd) where Linux is built
        names = sorted(lib_names["async"])
        prefix = "io" if any(n.startswith("io") for n in names) else names[0][:2]
        want = [n for n in names if n.startswith(prefix)]
        got = complete(tool, cmd, "x", "--async", prefix)
        check(sorted(got) == want, f"{name} {cmd} --async {prefix}<TAB> ({got}, want {want})")
    # --be and the interface options offer exactly what this build of the library has
    if any("--be" in options_of(tool, c) for c in cmds):
        cmd = next(c for c in cmds if "--be" in options_of(tool, c))
        for kind, want in lib_names.items():
            if "--" + kind not in options_of(tool, cmd):
                continue
            got = complete(tool, cmd, "x", "--" + kind, "")
            check(sorted(got) == sorted(want),
                  f"{name} {cmd} --{kind} <TAB>: the library's names ({got}, want {sorted(want)})")
            missing = [w for w in sorted(want) if not re.search(rf"\b{w}\b", text)]
            check(not missing, f"{name}.1 lists the --{kind} names ({missing} missing)")
    here = os.path.dirname(os.path.abspath(__file__))
    got = complete(tool, first, os.path.join(here, "test_man_c"))
    check(got == [os.path.join(here, "test_man_completion.py")],
          f"{name} {first} <path><TAB>: file names ({got})")

finish()
