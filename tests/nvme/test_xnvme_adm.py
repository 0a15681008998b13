#!/usr/bin/env python3
"""The `xnvme` tool's admin and raw sub-commands against QEMU's NVMe controller (in the VM rig's
guest), with nvme-cli as the independent checker: padc/idfy reproduce `nvme id-ctrl/id-ns -b`
byte for byte, pioc reads what `nvme write` wrote, log pages equal `nvme get-log -b`, features
round-trip and agree with `nvme get-feature`, format erases, and what QEMU lacks (sanitize,
self-test) fails in one line with the device's status.
Usage: test_xnvme_adm.py XNVME NG-NODE BLOCK-NODE CTRL-NODE ZNS-NG-NODE"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

X, NG, BLK, CTRL, ZNS = sys.argv[1:6]


def nvme(*args, data=None):
    proc = subprocess.run(["nvme", *args], capture_output=True, timeout=120, input=data)
    if proc.returncode:
        print(f"nvme {' '.join(args)}: exit {proc.returncode}: {proc.stderr.decode()[:300]}")
    return proc.returncode, proc.stdout


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


with tempfile.TemporaryDirectory() as tmp:
    p = lambda name: os.path.join(tmp, name)  # noqa: E731

    # Identify: idfy and padc against nvme-cli's raw bytes
    rc_cli, theirs = nvme("id-ctrl", CTRL, "--raw-binary")
    rc, _, err = run(X, "idfy", NG, "--cns", "1", "--data-output", p("idfy.bin"))
    check(rc_cli == 0 and rc == 0 and slurp(p("idfy.bin")) == theirs[:4096],
          f"idfy --cns 1 equals nvme id-ctrl -b ({err!r})")
    rc, _, err = run(X, "padc", NG, "--opcode", "6", "--cdw10", "1", "--data-nbytes", "4096",
                     "--data-output", p("padc.bin"))
    check(rc == 0 and slurp(p("padc.bin")) == theirs[:4096],
          f"padc identify controller equals nvme id-ctrl -b ({err!r})")
    rc_cli, theirs = nvme("id-ns", BLK, "--raw-binary")
    rc, _, err = run(X, "padc", NG, "--opcode", "6", "--nsid", "1", "--cdw10", "0",
                     "--data-nbytes", "4096", "--data-output", p("padc_ns.bin"))
    check(rc_cli == 0 and rc == 0 and slurp(p("padc_ns.bin")) == theirs[:4096],
          f"padc identify namespace equals nvme id-ns -b ({err!r})")
    check_yaml(X, ["idfy", NG, "--cns", "2"], "idfy --cns 2: the controller's namespace list",
               lambda d: 1 in d["xnvme_spec_idfy_nslist"]["nsids"])
    check_yaml(X, ["idfy-cs", ZNS], "idfy-cs on the ZNS namespace: 16 MiB zones of 4 KiB LBAs",
               lambda d: d["xnvme_spec_znd_idfy_ns"]["lbafe"][0]["zsze"] == 4096)

    # pioc reads what nvme-cli wrote, and nvme-cli reads what pioc wrote
    lba = 4096
    data = os.urandom(2 * lba)
    with open(p("w.bin"), "wb") as f:
        f.write(data)
    rc_cli, _ = nvme("write", BLK, "--start-block=10", "--block-count=1",
                     f"--data-size={2 * lba}", f"--data={p('w.bin')}")
    rc, _, err = run(X, "pioc", NG, "--opcode", "2", "--cdw10", "10", "--cdw12", "1",
                     "--data-nbytes", str(2 * lba), "--data-output", p("r.bin"))
    check(rc_cli == 0 and rc == 0 and slurp(p("r.bin")) == data,
          f"pioc read of LBAs 10..11 equals what nvme write wrote ({err!r})")
    data2 = os.urandom(lba)
    with open(p("w2.bin"), "wb") as f:
        f.write(data2)
    rc, _, err = run(X, "pioc", NG, "--opcode", "1", "--cdw10", "20", "--data-input", p("w2.bin"))
    rc_cli, theirs = nvme("read", BLK, "--start-block=20", "--block-count=0",
                          f"--data-size={lba}", f"--data={p('r2.bin')}")
    check(rc == 0 and rc_cli == 0 and slurp(p("r2.bin")) == data2,
          f"nvme read of LBA 20 equals what pioc wrote ({err!r})")

    # Log pages: the bytes equal nvme-cli's; decoded fields agree with the bytes
    for lid, nbytes, cmd in [(2, 512, "log-health"), (3, 512, "log-fwsl"),
                             (5, 4096, "log-cmds-effects")]:
        rc_cli, theirs = nvme("get-log", CTRL, f"--log-id={lid}", f"--log-len={nbytes}",
                              "--raw-binary")
        rc, _, err = run(X, cmd, NG, "--data-output", p(f"log{lid}.bin"))
        check(rc_cli == 0 and rc == 0 and slurp(p(f"log{lid}.bin")) == theirs[:nbytes],
              f"{cmd} bytes equal nvme get-log --log-id={lid} ({err!r})")
        rc, _, err = run(X, "log", NG, "--lid", str(lid), "--data-nbytes", str(nbytes),
                         "--data-output", p(f"log{lid}b.bin"))
        check(rc == 0 and slurp(p(f"log{lid}b.bin")) == theirs[:nbytes],
              f"log --lid {lid} bytes equal nvme get-log ({err!r})")
    full = slurp(p("log5.bin"))
    rc, _, err = run(X, "log", NG, "--lid", "5", "--lpo", "1024", "--data-nbytes", "1024",
                     "--data-output", p("log5_part.bin"))
    check(rc == 0 and slurp(p("log5_part.bin")) == full[1024:2048],
          f"log --lpo 1024 --data-nbytes 1024 is bytes 1024..2047 of the page ({err!r})")
    health = slurp(p("log2.bin"))
    check_yaml(X, ["log-health", NG], "log-health decoded: spare and thresholds from the bytes",
               lambda d: d["xnvme_spec_log_health_entry"]["avail_spare"] == health[3]
               and d["xnvme_spec_log_health_entry"]["avail_spare_thresh"] == health[4]
               and d["xnvme_spec_log_health_entry"]["pct_used"] == health[5])
    check_yaml(X, ["log-erri", NG, "--limit", "4"], "log-erri --limit 4: four entries",
               lambda d: len(d["xnvme_spec_log_erri"]) == 4)
    fw = slurp(p("log3.bin"))
    hexline = "000000: " + " ".join(f"{b:02x}" for b in fw[8:24])
    check_yaml(X, ["log", NG, "--lid", "3", "--lpo", "8", "--data-nbytes", "64"],
               "log at an offset is printed raw, in hex, from that offset",
               lambda d: d["xnvme_log_raw"]["nbytes"] == 64
               and (d["xnvme_log_raw"]["data"] == [] if not any(fw[8:72])
                    else d["xnvme_log_raw"]["data"][0] == hexline))
    check_bad(X, ["log", NG, "--lid", "0x7F"], 1, "log of a reserved page: the device's status",
              "sct 0x")

    # Features: temperature threshold set, read back, equal to nvme-cli's view, restored
    def current(fid):
        rc, out = nvme("get-feature", CTRL, f"--feature-id={fid}")
        m = re.search(rb"Current value:\s*(0x[0-9a-fA-F]+)", out)
        return int(m.group(1), 16) if rc == 0 and m else None

    before = current(4)
    doc = check_yaml(X, ["feature-get", NG, "--fid", "4"], "feature-get --fid 4",
                     lambda d: d["val"] == before)
    check_yaml(X, ["feature-set", NG, "--fid", "4", "--feat", "0x150"], "feature-set 0x150",
               lambda d: d["feat"]["tmpth"] == 0x150)
    check(current(4) == 0x150, "nvme get-feature sees the value feature-set set")
    check_yaml(X, ["feature-get", NG, "--fid", "4"], "feature-get reads 0x150 back",
               lambda d: d["feat"]["tmpth"] == 0x150)
    if before is not None:
        run(X, "feature-set", NG, "--fid", "4", "--feat", hex(before))
    check(current(4) == before, "the threshold is restored")
    check_yaml(X, ["feature-get", NG, "--fid", "4", "--sel", "3"], "feature-get --sel 3",
               lambda d: d["xnvme_feat_capabilities"]["changeable"] == 1)
    check_yaml(X, ["feature-get", NG, "--fid", "6"], "feature-get volatile write cache",
               lambda d: d["feat"]["wce"] in (0, 1))

    # Format: the data is gone; the LBA format is the one in use
    rc_cli, _ = nvme("write", BLK, "--start-block=0", "--block-count=1", f"--data-size={2 * lba}",
                     f"--data={p('w.bin')}")
    ns = check_yaml(X, ["idfy-ns", NG], "idfy-ns before format")
    flbas = ns["xnvme_spec_idfy_ns"]["flbas"] if ns else None
    # 0.7.5's printer splits FLBAS: format_lsb (bits 3:0), extended, format_msb (bits 6:5)
    lbaf_in_use = flbas["format_lsb"] | flbas["format_msb"] << 4 if flbas else None
    check_yaml(X, ["format", NG, "--ses", "1"], "format --ses 1",
               lambda d: d["xnvme_format"]["lbaf"] == lbaf_in_use and d["xnvme_format"]["ses"] == 1,
               json_too=False)
    rc_cli, _ = nvme("read", BLK, "--start-block=0", "--block-count=1", f"--data-size={2 * lba}",
                     f"--data={p('z.bin')}")
    check(rc_cli == 0 and slurp(p("z.bin")) == bytes(2 * lba), "after format the LBAs read zeros")
    check_bad(X, ["format", NG, "--lbaf", "63"], 1, "format --lbaf 63: past the namespace's formats",
              "LBA formats")

    # What QEMU does not implement: the status in one line, nothing else
    ctrl = check_yaml(X, ["idfy-ctrl", NG], "idfy-ctrl", json_too=False)
    if ctrl and ctrl["xnvme_spec_idfy_ctrlr"]["sanicap"] == 0:
        check_bad(X, ["sanitize", NG, "--sanact", "2"], 1, "sanitize on a controller without it",
                  "sanitize failed", "sct 0x")
    else:
        check(False, "QEMU now reports sanitize: test it for real")
    if ctrl and not ctrl["xnvme_spec_idfy_ctrlr"]["oacs"] & 0x10:
        check_bad(X, ["dev-selftest", NG, "--stc", "1"], 1, "self-test on a controller without it",
                  "self-test failed", "sct 0x")
    else:
        check(False, "QEMU now reports device self-test: test it for real")
    check_bad(X, ["padc", NG, "--opcode", "0xC1"], 1, "padc of an unknown vendor opcode",
              "INVALID_OPCODE")

finish()
