"""The ctypes structures have the C layouts: every member checked against the headers.

For each member (bit-fields included) a zeroed struct gets that member set to all ones, in C by a
program compiled here from include/*.h and in Python through the ctypes class; the bytes that
changed must be the same. That checks offsets, sizes, bit positions and array lengths at once.
"""
import ctypes
import subprocess

import xnvme.structs as S

C_NAMES = {
    S.Opts: "struct xnvme_opts", S.Geo: "struct xnvme_geo", S.Ident: "struct xnvme_ident",
    S.Cpl: "struct xnvme_spec_cpl", S.Cmd: "struct xnvme_spec_cmd",
    S.CmdCtx: "struct xnvme_cmd_ctx", S.IdfyCtrlr: "struct xnvme_spec_idfy_ctrlr",
    S.IdfyNs: "struct xnvme_spec_idfy_ns", S.Idfy: "struct xnvme_spec_idfy",
    S.HealthLog: "struct xnvme_spec_log_health_entry",
}
_AGGREGATES = (ctypes.Structure, ctypes.Union)


def _members(ctype, py_path=(), c_path=""):
    """(python attribute path, C member expression, bit width or None) of every member"""
    anonymous = getattr(ctype, "_anonymous_", ())
    for field in ctype._fields_:
        name, ftype = field[0], field[1]
        width = field[2] if len(field) == 3 else None
        c_sub = c_path if name in anonymous else f"{c_path}.{name.rstrip('_')}"
        path = py_path + (name,)
        if isinstance(ftype, type) and issubclass(ftype, _AGGREGATES):
            yield from _members(ftype, path, c_sub)
            continue
        yield path, c_sub, width
        if isinstance(ftype, type) and issubclass(ftype, ctypes.Array) and \
                issubclass(ftype._type_, _AGGREGATES):
            yield from _members(ftype._type_, path + (0,), f"{c_sub}[0]")


def _runs(raw):
    """The changed bytes as runs: 'offset+length=value' joined by spaces"""
    out, i = [], 0
    while i < len(raw):
        if raw[i]:
            j = i
            while j < len(raw) and raw[j] == raw[i]:
                j += 1
            out.append(f"{i}+{j - i}={raw[i]}")
            i = j
        else:
            i += 1
    return " ".join(out)


def _python_side(ctype, path, width):
    root = ctype()
    parent = root
    for step in path[:-1]:
        parent = parent[step] if isinstance(step, int) else getattr(parent, step)
    last = path[-1]
    if width is not None:
        setattr(parent, last, (1 << width) - 1)
    else:
        desc = getattr(type(parent), last)
        ctypes.memset(ctypes.addressof(parent) + desc.offset, 0xFF, desc.size)
    return _runs(bytes(root))


C_PROGRAM = """
#include <stdio.h>
#include <string.h>
#include <libxnvme.h>
#include <libxnvme_spec_pp.h>

static void runs(const char *name, const unsigned char *raw, size_t n)
{
	const char *sep = "";

	printf("%s|", name);
	for (size_t i = 0; i < n;) {
		if (raw[i]) {
			size_t j = i;
			while (j < n && raw[j] == raw[i])
				j++;
			printf("%s%zu+%zu=%u", sep, i, j - i, raw[i]);
			sep = " ";
			i = j;
		} else {
			i++;
		}
	}
	printf("\\n");
}
"""


def _c_program(checks):
    body = [C_PROGRAM, "int main(void)\n{"]
    for i, (cname, label, cexpr, width) in enumerate(checks):
        var = f"v{i}"
        body.append(f"\t{{ static {cname} {var}; memset(&{var}, 0, sizeof({var}));")
        if width is not None:
            body.append(f"\t  {var}{cexpr} = ~0ULL;")
        else:
            body.append(f"\t  memset(&{var}{cexpr}, 0xff, sizeof({var}{cexpr}));")
        body.append(f'\t  runs("{label}", (const unsigned char *)&{var}, sizeof({var})); }}')
    for ctype, cname in C_NAMES.items():
        body.append(f'\tprintf("sizeof {ctype.__name__}|%zu\\n", sizeof({cname}));')
    body.append("\treturn 0;\n}")
    return "\n".join(body)


def test_every_member_matches_the_c_headers(include_dir, tmp_path):
    checks, expected = [], {}
    for ctype, cname in C_NAMES.items():
        expected[f"sizeof {ctype.__name__}"] = str(ctypes.sizeof(ctype))
        for path, cexpr, width in _members(ctype):
            label = f"{ctype.__name__}{cexpr}"
            checks.append((cname, label, cexpr, width))
            expected[label] = _python_side(ctype, path, width)
    src = tmp_path / "layout.c"
    src.write_text(_c_program(checks))
    exe = tmp_path / "layout"
    subprocess.run(["cc", "-std=gnu11", "-w", "-I", include_dir, str(src), "-o", str(exe)],
                   check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    got = dict(line.split("|", 1) for line in out.splitlines())
    assert len(got) == len(expected) > 900
    wrong = [f"{k}: C {got[k]!r}, ctypes {expected[k]!r}"
             for k in expected if got[k] != expected[k]]
    assert not wrong, "\n".join(wrong[:20])
