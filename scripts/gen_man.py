#!/usr/bin/env python3
"""Renders a tool's --help, and every sub-command's, as a man page (roff, section 1), so the man
page says exactly what the tool says and cannot fall behind it.
Usage: gen_man.py TOOL-BINARY OUTPUT.1 [VERSION]"""
import os
import re
import subprocess
import sys

tool, output = sys.argv[1], sys.argv[2]
version = sys.argv[3] if len(sys.argv) > 3 else ""
name = os.path.basename(tool)


def helptext(*args):
    proc = subprocess.run([tool, *args, "--help"], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        sys.exit(f"gen_man: '{name} {' '.join(args)} --help' exited {proc.returncode}")
    return proc.stdout


def roff(text):
    """Escapes text for roff: backslashes, and a leading dot or quote"""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def sections(text):
    """The usage line, the description paragraph and the indented "  name  help" rows"""
    lines = text.splitlines()
    usage = lines[0].removeprefix("usage: ")
    descr, rows, tail = [], {}, []
    part = "descr"
    for line in lines[1:]:
        if re.match(r"^[a-z]+:$", line):
            part = line[:-1]
            rows[part] = []
        elif line.startswith("  ") and part in rows:
            m = re.match(r"^  (\S.*?)\s{2,}(\S.*)$", line)
            rows[part].append((m.group(1), m.group(2)) if m else (line.strip(), ""))
        elif part == "descr" and line.strip():
            descr.append(line.strip())
        elif line.strip() and part != "descr":
            tail.append(line.strip())
    return usage, " ".join(descr), rows, tail


top = helptext()
usage, descr, rows, tail = sections(top)
commands = [c for c, _ in rows.get("commands", [])]
out = [
    f'.TH "{name.upper()}" 1 "" "{name} {version}" "User Commands"',
    ".SH NAME",
    f"{roff(name)} \\- {roff(descr.split('.')[0].strip())}",
    ".SH SYNOPSIS",
    f".B {roff(name)}",
    roff(usage.removeprefix(name).strip()),
    ".SH DESCRIPTION",
    roff(descr),
    ".SH COMMANDS",
]
helps = {cmd: sections(helptext(cmd)) for cmd in commands}
# Options most commands take (device options, --output, --help) are described once
seen = {}
for cmd in commands:
    for opt, text in helps[cmd][2].get("options", []):
        seen.setdefault(opt, [text, 0])[1] += 1
common = [o for o, (_, n) in seen.items() if n * 2 >= len(commands) and n > 1]
for cmd in commands:
    c_usage, c_descr, c_rows, _ = helps[cmd]
    mine = [o for o, _ in c_rows.get("options", [])]
    out += [".TP", f".B {roff(c_usage.removeprefix(name).strip())}", roff(c_descr)]
    for opt, text in c_rows.get("options", []):
        if opt not in common:
            out += [".RS", ".TP", f".B {roff(opt)}", roff(text), ".RE"]
    shared = [o.split()[-1] if o.startswith("-h") else o.split()[0] for o in mine if o in common]
    if shared:
        out += [".RS", ".PP", roff("Also: " + ", ".join(shared) + "."), ".RE"]
if common:
    out += [".SH COMMON OPTIONS"]
    for opt in common:
        out += [".TP", f".B {roff(opt)}", roff(seen[opt][0])]
out += [".SH OUTPUT AND EXIT STATUS"]
out += [roff(line) + "\n.br" for line in tail if not line.startswith("See ")]
out += [".SH SEE ALSO", f"\\fB{roff(name)} <command> \\-\\-help\\fR; docs/cli.md in the sources.", ""]

with open(output, "w") as f:
    f.write("\n".join(out))
