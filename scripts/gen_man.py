#!/usr/bin/env python3
"""Renders a tool's --help, and every sub-command's, as a man page (roff, section 1), so the man
page says exactly what the tool says and cannot fall behind it. DEVICE IDENTIFIERS and EXAMPLES
come from docs/cli.md ("Device identifiers", and the blocks under the tool's name in "Examples",
which tests/cli/test_docs.py runs); SEE ALSO names the other tools' man pages, installed with it.
Usage: gen_man.py TOOL-BINARY OUTPUT.1 VERSION CLI-DOC.md [OTHER-TOOL...]"""
import os
import re
import subprocess
import sys

tool, output, version, cli_doc = sys.argv[1:5]
others = [t for t in sys.argv[5:] if t != os.path.basename(tool)]
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


def md_inline(text):
    """Markdown prose to roff: `code` in bold"""
    parts = text.split("`")
    return "".join(f"\\fB{roff(p)}\\fR" if i % 2 else roff(p) for i, p in enumerate(parts))


def md_section(doc, heading):
    """The lines of a markdown section, from its heading to the next of the same level or above"""
    level = heading.split(" ", 1)[0]
    lines, out, inside, fenced = doc.splitlines(), [], False, False
    for line in lines:
        fenced ^= line.startswith("```")
        if (inside and not fenced and re.match(r"^#+ ", line)
                and len(line.split(" ", 1)[0]) <= len(level)):
            break
        if inside:
            out.append(line)
        inside = inside or line == heading
    if not inside:
        sys.exit(f"gen_man: no section '{heading}' in {cli_doc}")
    return out


def identifiers(doc):
    """The bullet list of "## Device identifiers": .TP items, the identifiers in bold"""
    items, out = [], []
    for line in md_section(doc, "## Device identifiers"):
        if line.startswith("- "):
            items.append(line[2:])
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
    for item in items:
        m = re.match(r"^((?:`[^`]+`(?:, )?)+): (.*)$", item)
        if not m:
            sys.exit(f"gen_man: a device identifier item is not '`FORM`: text': {item}")
        out += [".TP", md_inline(m.group(1)), md_inline(m.group(2))]
    return out


def examples(doc):
    """The sh blocks under "### <tool>" in "## Examples": a '#' line is a paragraph, the commands
    after it are shown as typed"""
    out, in_block = [], False
    for line in md_section("\n".join(md_section(doc, "## Examples")), f"### {name}"):
        if line.startswith("```"):
            in_block = line == "```sh"
            continue
        if not in_block or not line.strip():
            continue
        if line.startswith("#"):
            text = line.lstrip("# ")
            out += [".PP", roff(text[:1].upper() + text[1:])]
        else:
            out += [".RS 4", ".nf", "\\fB" + roff(line) + "\\fR", ".fi", ".RE"]
    if not out:
        sys.exit(f"gen_man: no example of {name} in {cli_doc}")
    return out


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
    ".nh",  # no hyphenation: names and options stay whole, as typed
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
doc = open(cli_doc).read()
out += [".SH DEVICE IDENTIFIERS", roff("The URI of a command names the device:")]
out += identifiers(doc)
out += [".SH OUTPUT AND EXIT STATUS"]
out += [roff(line) + "\n.br" for line in tail if not line.startswith("See ")]
out += [".SH EXAMPLES"] + examples(doc)
out += [".SH SEE ALSO"] + [f".BR {roff(t)} (1)," for t in others]
out += [f"\\fB{roff(name)} <command> \\-\\-help\\fR", ""]

with open(output, "w") as f:
    f.write("\n".join(out))
