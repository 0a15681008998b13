#!/usr/bin/env python3
"""The commands the documentation shows run as shown (docs/testing.md, "Documentation checks").

Every fenced code block of README.md and docs/*.md names its language, and the language says what
happens to it:
- `sh`: each command (a line; a trailing backslash continues it; `#` lines are comments) runs with
  bash in a scratch directory, one per document, with the build's tools first on PATH and its
  library on LD_LIBRARY_PATH; it must exit 0 with nothing on stderr. The scratch directory holds
  links to the source tree's top-level entries, so `python/...` or `tests/...` resolve, while
  what a command creates stays in the scratch directory. Blocks of a document run in order.
- `python`: the block runs with python3, the package from python/ and the build's library.
- `c`: the block compiles (syntax only) against include/: `#include` lines at file scope, the rest
  as the body of a function.
- `text`: output, syntax, layouts: not run. Its lines that start with a tool's name are checked as
  the inline commands below are.
An indented code block, or a fenced one without a known language, fails the test: no command can
escape it.

Directives, HTML comments on the lines just before a block (visible in the source, not rendered):
- `<!-- docs-check: skip (REASON) -->`: the block is not run; the test prints SKIP and the reason.
- `<!-- docs-check: substitute OLD=NEW ... -->`: OLD is replaced by NEW in each command before it
  runs (a device identifier by a ramdisk or a scratch file).
- `<!-- docs-check: exit N -->`: each command of the block must exit N (stderr may then say why).

Inline commands in the prose (`xnvme info URI`, `make test`) cannot all run, so each is checked
against the tools themselves: a span that starts with a tool's name must name one of its commands
(`a|b`, `a/b` and `idfy-*` name several), and every `--option` in it must be one that command's
--help lists; `make TARGET` must name a target of the Makefile. Every `--option` docs/cli.md names
in a code span must be one that some tool's --help lists.

Usage: test_docs.py SOURCE-ROOT BUILD-ROOT LIBRARY [DOC.md ...]"""
import fnmatch
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, finish  # noqa: E402

SRC, BUILD, LIBRARY = (os.path.abspath(a) for a in sys.argv[1:4])
DOCS = sys.argv[4:] or ["README.md"] + sorted(
    os.path.join("docs", f) for f in os.listdir(os.path.join(SRC, "docs")) if f.endswith(".md"))
TOOLS = ("xnvme", "lblk", "zoned", "kvs", "xnvme_file", "xdd", "xnvme-perf")
LANGS = ("sh", "python", "c", "text")
TIMEOUT = 20  # seconds, one command
REFUSED_ON_PURPOSE = {"--as"}  # docs/cli.md: the abbreviation the tools refuse

ENV = dict(os.environ)
ENV["PATH"] = os.path.join(BUILD, "tools") + os.pathsep + ENV.get("PATH", "")
ENV["LD_LIBRARY_PATH"] = os.path.dirname(LIBRARY) + (
    os.pathsep + ENV["LD_LIBRARY_PATH"] if ENV.get("LD_LIBRARY_PATH") else "")
ENV["XNVME_LIBRARY"] = LIBRARY
ENV["PYTHONPATH"] = os.path.join(SRC, "python")
ENV["PYTHONDONTWRITEBYTECODE"] = "1"


def blocks(path):
    """The code blocks of a markdown file: (line, lang, directives, lines) for fenced ones,
    (line, None, {}, lines) for indented ones"""
    lines = open(os.path.join(SRC, path)).read().split("\n")
    found, i, in_list = [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")), None)
            if end is None:
                found.append((i + 1, "unterminated", {}, []))
                break
            directives, k = {}, i - 1
            while k >= 0 and lines[k].startswith("<!-- docs-check:"):
                m = re.match(r"<!-- docs-check: (\w+)\s*(.*?)\s*-->$", lines[k])
                if not m:
                    directives["malformed"] = lines[k]
                else:
                    directives[m.group(1)] = m.group(2)
                k -= 1
            found.append((i + 1, line[3:].strip(), directives, lines[i + 1:end]))
            i = end + 1
            continue
        # An indented code block starts after a blank line, outside a list item's continuation
        if line.strip() and not line.startswith(" "):
            in_list = bool(re.match(r"^(\s*[-*+]|\s*\d+\.)\s", line))
        if (line.startswith("    ") and line.strip() and i > 0 and not lines[i - 1].strip()
                and not in_list):
            j = i
            while j < len(lines) and (lines[j].startswith("    ") or not lines[j].strip()):
                j += 1
            found.append((i + 1, None, {}, lines[i:j]))
            i = j
            continue
        i += 1
    return found


def commands(body):
    """The commands of an sh block: its lines joined at trailing backslashes, comments dropped"""
    cmds, cur = [], ""
    for line in body:
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        cur += line
        if cur.endswith("\\"):
            cur = cur[:-1] + "\n"
            continue
        cmds.append(cur)
        cur = ""
    if cur:
        cmds.append(cur)
    return cmds


def scratch_dir(tmp, doc):
    """A scratch directory with links to the source tree's top-level entries (git's, when the tree
    is a checkout; else every entry)"""
    path = os.path.join(tmp, doc.replace("/", "_"))
    os.mkdir(path)
    proc = subprocess.run(["git", "-C", SRC, "ls-files"], capture_output=True, text=True)
    names = {f.split("/")[0] for f in proc.stdout.split()} if proc.returncode == 0 else set(
        os.listdir(SRC))
    for name in sorted(names):
        if os.path.exists(os.path.join(SRC, name)):
            os.symlink(os.path.join(SRC, name), os.path.join(path, name))
    return path


# Device nodes a command must not reach on the machine running the test (it may run as root)
DEVICE_NODE = re.compile(r"/dev/(?!null\b|zero\b|u?random\b|stdout\b|stderr\b|stdin\b)\w")


def not_built():
    """The interfaces this build lists as not built (`xnvme library-info`: "not built: why"), by
    id: a build configured without liburing or libaio (make test-configs) cannot run the docs'
    io_uring and libaio commands, and says so instead of failing them"""
    import yaml
    proc = subprocess.run(["xnvme", "library-info"], env=ENV, capture_output=True, text=True,
                          timeout=TIMEOUT)
    found = {}
    for be in yaml.safe_load(proc.stdout)["xnvme_be_attr_list"]:
        for ifaces in be["interfaces"].values():
            for iface in ifaces or []:
                if str(iface.get("descr", "")).startswith("not built"):
                    found[iface["id"]] = iface["descr"]
    return found


NOT_BUILT = None
IFACE_OPT = re.compile(r"--(?:async|sync|admin|mem)[ =](\S+)")


def run_cmd(cmd, cwd, want_rc, where, label=None):
    global NOT_BUILT
    if NOT_BUILT is None:
        NOT_BUILT = not_built()
    missing = [m for m in IFACE_OPT.findall(cmd) if m in NOT_BUILT]
    if missing:
        print(f"SKIP: {where}: `{cmd}`: this build's {missing[0]} is {NOT_BUILT[missing[0]]}",
              flush=True)
        return
    if DEVICE_NODE.search(cmd):
        check(False, f"{where}: `{cmd}` names a device node: not run (mark the block with a "
              "substitute or a skip directive)")
        return
    t0 = time.monotonic()
    # Its own session, so that a timeout ends everything the command started
    proc = subprocess.Popen(["bash", "-c", cmd], cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        rc, err = "timeout", f"still running after {TIMEOUT} s"
    ok = rc == want_rc and (want_rc != 0 or err == "")
    shown = label or "`" + cmd.replace("\n", " \\ ") + "`"
    check(ok, f"{where}: {shown} exits {want_rc}"
          + ("" if ok else f" (exit {rc}, stderr {err.strip()[-300:]!r})")
          + f" [{time.monotonic() - t0:.2f} s]")


def help_of(*args):
    proc = subprocess.run(list(args) + ["--help"], env=ENV, capture_output=True, text=True,
                          timeout=TIMEOUT)
    return proc.stdout if proc.returncode == 0 else ""


_tool_cmds, _cmd_opts = {}, {}


def tool_commands(tool):
    if tool not in _tool_cmds:
        part = help_of(tool).split("commands:\n", 1)[-1].split("\n\n", 1)[0]
        _tool_cmds[tool] = [line.split()[0] for line in part.splitlines() if line.strip()]
    return _tool_cmds[tool]


def command_options(tool, cmd):
    if (tool, cmd) not in _cmd_opts:
        part = help_of(tool, cmd).split("options:\n", 1)[-1].split("\n\n", 1)[0]
        _cmd_opts[tool, cmd] = set(re.findall(r"--[a-z0-9_-]+", part))
    return _cmd_opts[tool, cmd]


def check_inline(span, where):
    """A command shown in prose or in a text block: its tool's command and options exist"""
    words = span.split()
    if words[0] == "make" and len(words) > 1:
        targets = set(re.findall(r"^([a-zA-Z0-9_-]+):", open(os.path.join(SRC, "Makefile")).read(),
                                 re.M))
        goal = words[1]
        if "=" not in goal:
            check(goal in targets, f"{where}: `{span}`: make has a target '{goal}'")
        return
    if words[0] not in TOOLS or len(words) < 2 or words[1].endswith(":"):
        return  # a tool's name alone, or a line of its output ("lblk write: error: ...")
    tool, verb = words[0], words[1]
    if verb in ("<command>", "--help", "-h", "--version"):
        return
    cmds = tool_commands(tool)
    names = []
    for alt in re.split(r"[|/]", verb):
        match = fnmatch.filter(cmds, alt)
        if not match:
            check(False, f"{where}: `{span}`: '{alt}' is not a command of {tool} ({cmds})")
            return
        names += match
    opts = set().union(*(command_options(tool, n) for n in names))
    unknown = [o for o in re.findall(r"(?<![\w-])--[a-z0-9_-]+", span) if o not in opts]
    check(not unknown, f"{where}: `{span}`: {tool} {verb} takes {unknown or 'its options'}")


def check_doc(doc, tmp):
    text = open(os.path.join(SRC, doc)).read()
    scratch = None
    for line, lang, directives, body in blocks(doc):
        where = f"{doc}:{line}"
        if lang is None:
            check(False, f"{where}: an indented code block: fence it with a language ({LANGS})")
            continue
        if lang not in LANGS:
            check(False, f"{where}: code block language '{lang}' is not one of {LANGS}")
            continue
        if "malformed" in directives or set(directives) - {"skip", "substitute", "exit"}:
            check(False, f"{where}: unknown docs-check directive {directives}")
            continue
        if lang == "text":
            cur = None
            for row in body + [""]:
                if cur is not None and row.startswith((" ", "\t")) and row.strip():
                    cur += " " + row.strip()
                    continue
                if cur is not None:
                    check_inline(cur, where)
                cur = row.strip() if row.split(" ", 1)[0] in TOOLS + ("make",) else None
            continue
        if "skip" in directives:
            reason = directives["skip"].strip("()") or "no reason given"
            check(bool(directives["skip"]), f"{where}: a skip says why")
            print(f"SKIP: {where}: {lang} block: {reason}", flush=True)
            continue
        if lang == "c":
            incl = [row for row in body if row.startswith("#include")]
            rest = [row for row in body if not row.startswith("#include")]
            src = "\n".join(incl) + "\nvoid docs_block(void);\nvoid docs_block(void)\n{\n" + \
                "\n".join(rest) + "\n}\n"
            proc = subprocess.run(["cc", "-std=c11", "-fsyntax-only", "-Werror=implicit",
                                   "-Werror=incompatible-pointer-types", "-I",
                                   os.path.join(SRC, "include"), "-x", "c", "-"], input=src,
                                  capture_output=True, text=True, timeout=60)
            check(proc.returncode == 0, f"{where}: the C block compiles ({proc.stderr[-400:]!r})")
            continue
        if scratch is None:
            scratch = scratch_dir(tmp, doc)
        if lang == "python":
            # A sanitized library loads into python after its runtimes (meson passes them)
            preload = os.environ.get("DOCS_CHECK_PY_PRELOAD", "")
            env = f"LD_PRELOAD={preload} ASAN_OPTIONS=detect_leaks=0 " if preload else ""
            run_cmd(env + "python3 - <<'DOCS_CHECK_EOF'\n" + "\n".join(body) + "\nDOCS_CHECK_EOF",
                    scratch, int(directives.get("exit", 0)), where, "the python block")
            continue
        subst = [pair.split("=", 1) for pair in directives.get("substitute", "").split()]
        for cmd in commands(body):
            for old, new in subst:
                cmd = cmd.replace(old, new)
            run_cmd(cmd, scratch, int(directives.get("exit", 0)), where)
    # Inline commands of the prose (fenced blocks taken out)
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    spans = [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]
    for span in spans:
        if span.split(" ", 1)[0] in TOOLS + ("make",):
            check_inline(span, doc)
    if doc == os.path.join("docs", "cli.md"):  # the tools' reference: every option it names
        known = {"--version"} | set().union(*(command_options(t, c) for t in TOOLS
                                              for c in tool_commands(t)))
        named = {o for span in spans for o in re.findall(r"(?<![\w-])--[a-z][a-z0-9_*-]*", span)}
        unknown = sorted(o for o in named - REFUSED_ON_PURPOSE if not fnmatch.filter(known, o))
        check(not unknown, f"{doc}: every option it names is a tool's ({unknown or len(named)})")


t0 = time.monotonic()
tmp = tempfile.mkdtemp(prefix="docs-check-")
try:
    for doc in DOCS:
        check_doc(doc, tmp)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print(f"docs-check: {len(DOCS)} documents in {time.monotonic() - t0:.1f} s", flush=True)
finish()
