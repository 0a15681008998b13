#!/usr/bin/env python3
"""The `zoned` tool on a target that is not zoned (a file): every sub-command that takes a device
is refused in one line ("zoned <command>: error: '<file>' is not a zoned namespace"), exit 1,
the file unchanged and no output file made; bad arguments are usage errors (exit 2); enum lists no
file. The zoned behaviour itself is tested in the VM rig
(tests/nvme/test_zoned_cli.py). Usage: test_zoned.py PATH-TO-zoned"""
import hashlib
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

Z = sys.argv[1]

with tempfile.TemporaryDirectory() as tmp:
    img = os.path.join(tmp, "dev.img")
    with open(img, "wb") as f:
        f.write(os.urandom(1 << 20))
    with open(img, "rb") as f:
        before = hashlib.sha256(f.read()).hexdigest()
    _, out, _ = run(Z, "--help")
    cmds = [line.split()[0] for line in out.split("commands:\n")[1].split("\n\n")[0].splitlines()]
    check(len(cmds) == 17, f"zoned has its 17 commands ({cmds})")
    out_file = os.path.join(tmp, "out")
    for cmd in cmds:
        if cmd == "enum":
            continue
        zsa = ["--zsa", "3"] if cmd == "mgmt" else []
        extra = {"read": ["--data-output", out_file], "write": ["--data-input", img],
                 "append": ["--slba", "0"]}.get(cmd, ["--slba", "0", *zsa]
                                               if cmd.startswith("mgmt") else [])
        check_bad(Z, [cmd, img, *extra], 1, f"{cmd} on a file",
                  f"zoned {cmd}: error: '{img}' is not a zoned namespace")
        if cmd.startswith("mgmt"):
            check_bad(Z, [cmd, img, "--all", *zsa], 1, f"{cmd} --all on a file",
                      "is not a zoned namespace")
    check(not os.path.exists(out_file), "the refused read created no output file")
    check_yaml(Z, ["enum"], "enum: a list", lambda d: isinstance(d["xnvme_cli_enumeration"], list))
    for args, what, needles in [
        (["mgmt-reset", img], "mgmt without --slba or --all", ["--all"]),
        (["mgmt-reset", img, "--all", "--slba", "0"], "--all with --slba", ["--all"]),
        (["report", img, "--limit", "x"], "--limit x", ["x"]),
        (["append", img, "--nlb", "65536"], "--nlb 65536", ["large"]),
        (["report", img, "--all"], "an option report does not take", ["--all"]),
        (["report"], "report without URI", ["URI"]),
        (["append", img, "--all"], "append does not take --all", ["--all"]),
        (["mgmt-open", img, "--extended", "--all"], "mgmt does not take --extended",
         ["--extended"]),
        (["read", img, "--slba", "-1"], "--slba -1", ["negative"]),
        (["write", img, "--nlb", "0x10000"], "--nlb past 16 bits", ["large"]),
        (["mgmt-open", img, "--slba"], "--slba without a value", ["--slba"]),
        (["open", img], "an unknown command", ["open"]),
        (["report", img, "--sl", "0"], "an abbreviated option", ["--sl"]),
        (["report", img, img], "an extra argument", [img]),
    ]:
        check_bad(Z, args, 2, what, *needles)
    with open(img, "rb") as f:
        check(hashlib.sha256(f.read()).hexdigest() == before, "the file is unchanged")

finish()
