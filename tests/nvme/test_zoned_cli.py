#!/usr/bin/env python3
"""The `zoned` tool against QEMU's zoned namespace (in the VM rig's guest), nvme-cli as the
independent checker: report equals `nvme zns report-zones`, identify equals `nvme zns id-ns`/
`id-ctrl`; write at the write pointer, append (returned LBAs), read back; open, close, finish,
reset (one and --all) change the states the report shows; offline of an empty zone and the
changed-zone log (QEMU has neither) fail with the device's status in one line; bad arguments are
refused before anything is sent. Leaves every zone empty.
Usage: test_zoned_cli.py ZONED NG_ZNS BLK_ZNS"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

Z, NG, BLK = sys.argv[1:4]
STATES = {"EMPTY": "EMPTY", "IOPEN": "IMP_OPENED", "EOPEN": "EXP_OPENED", "CLOSED": "CLOSED",
          "FULL": "FULL", "RONLY": "READONLY", "OFFLINE": "OFFLINE"}


def nvme_json(*args):
    proc = subprocess.run(["nvme", *args, "-o", "json"], capture_output=True, text=True,
                          timeout=120)
    return json.loads(proc.stdout) if proc.returncode == 0 else None


def zones(limit=0):
    _, out, _ = run(Z, "report", NG, "--output", "json", *(["--limit", str(limit)] if limit else []))
    return json.loads(out)["xnvme_znd_report"]["entries"]


def state(zslba):
    return [z["zs"] for z in zones() if z["zslba"] == zslba][0]


info = check_yaml(Z, ["info", NG], "info", lambda d: d["zoned_geo"]["zsze"] > 0)
zsze = info["zoned_geo"]["zsze"] if info else 4096
lba = info["xnvme_geo"]["lba_nbytes"] if info else 4096
check_yaml(Z, ["enum"], "enum lists the zoned namespace",
           lambda d: any(e["uri"] == BLK for e in d["zoned_enumeration"]))
check_yaml(Z, ["mgmt-reset", NG, "--all"], "mgmt-reset --all", lambda d: d["zoned_mgmt-reset"]["all"])
theirs = nvme_json("zns", "id-ns", BLK)
check_yaml(Z, ["idfy-ns", NG], "idfy-ns equals nvme zns id-ns (mor, mar, zsze, zdes)",
           lambda d: theirs and d["xnvme_spec_znd_idfy_ns"]["mor"] == theirs["mor"]
           and d["xnvme_spec_znd_idfy_ns"]["mar"] == theirs["mar"]
           and d["xnvme_spec_znd_idfy_ns"]["lbafe"][0]["zsze"] == theirs["lbafe"][0]["zsze"]
           and d["xnvme_spec_znd_idfy_ns"]["lbafe"][0]["zdes"] == theirs["lbafe"][0]["zdes"])
theirs = nvme_json("zns", "id-ctrl", BLK)
check_yaml(Z, ["idfy-ctrl", NG], "idfy-ctrl equals nvme zns id-ctrl (zasl)",
           lambda d: theirs and d["xnvme_spec_znd_idfy_ctrlr"]["zasl"] == theirs["zasl"])

with tempfile.TemporaryDirectory() as tmp:
    p = lambda name: os.path.join(tmp, name)  # noqa: E731
    data = os.urandom(2 * lba)
    with open(p("d"), "wb") as f:
        f.write(data)
    # write at the write pointer of zone 1; the report shows it moved and the zone open
    z1 = zsze
    check_yaml(Z, ["write", NG, "--slba", str(z1), "--nlb", "1", "--data-input", p("d")],
               "write 2 blocks at zone 1's write pointer", json_too=False)
    check(state(z1) == "IOPEN" and zones()[1]["wp"] == z1 + 2, "zone 1: implicitly open, wp + 2")
    check_bad(Z, ["write", NG, "--slba", str(z1 + 5), "--data-input", p("d")], 1,
              "a write behind the write pointer's back", "ZONE_INVALID_WRITE")
    # append: the LBAs the device returns are the write pointer before each append
    albas = []
    for _ in range(3):
        _, out, err = run(Z, "append", NG, "--slba", str(z1), "--nlb", "1", "--output", "json")
        albas.append(json.loads(out)["zoned_append"]["alba"] if out else None)
    check(albas == [z1 + 2, z1 + 4, z1 + 6], f"append returns the write pointers ({albas})")
    rc, _, err = run(Z, "read", NG, "--slba", str(z1), "--nlb", "1", "--data-output", p("r"))
    with open(p("r"), "rb") as f:
        check(rc == 0 and f.read() == data, f"read back the written blocks ({err!r})")
    rc, _, err = run(Z, "read", NG, "--slba", str(z1 + 2), "--nlb", "1", "--data-output", p("r2"))
    with open(p("r2"), "rb") as f:
        want = bytes(((z1 + 2) * lba + i) & 0xFF for i in range(2 * lba))
        check(rc == 0 and f.read() == want, "append without data wrote the documented pattern")

    # the report equals nvme-cli's, zone by zone
    theirs = nvme_json("zns", "report-zones", BLK)
    ours = zones()
    check(theirs and len(ours) == theirs["nr_zones"] and all(
        o["zslba"] == t["slba"] and o["wp"] == t["wp"] and o["zcap"] == t["cap"]
        and STATES[o["zs"]] == t["state"] for o, t in zip(ours, theirs["zone_list"])),
        "report equals nvme zns report-zones for every zone")
    check_yaml(Z, ["report", NG, "--slba", str(2 * zsze), "--limit", "3"],
               "report --slba zone 2 --limit 3", lambda d: [e["zslba"] for e in
               d["xnvme_znd_report"]["entries"]] == [2 * zsze, 3 * zsze, 4 * zsze])
    check_yaml(Z, ["report", NG, "--slba", str(14 * zsze), "--limit", "100"],
               "a --limit past the end reports to the last zone",
               lambda d: d["xnvme_znd_report"]["nentries"] == 2)
    check_yaml(Z, ["report", NG, "--limit", "1", "--extended"], "report --extended",
               lambda d: len(d["xnvme_znd_report"]["entries"][0]["zdext"]) == 128)

    # management: the states follow
    z2 = 2 * zsze
    for cmd, want in [("mgmt-open", "EOPEN"), ("mgmt-close", "CLOSED"), ("mgmt-finish", "FULL"),
                      ("mgmt-reset", "EMPTY")]:
        check_yaml(Z, [cmd, NG, "--slba", str(z2)], f"{cmd} of zone 2",
                   lambda d, c=cmd: d[f"zoned_{c}"]["zslba"] == z2, json_too=False)
        check(state(z2) == want, f"zone 2 is {want} after {cmd} ({state(z2)})")
    check_bad(Z, ["mgmt-offline", NG, "--slba", str(z2)], 1, "offline of an empty zone",
              "INVALID_ZONE_STATE_TRANSITION")
    check_bad(Z, ["changes", NG], 1, "changed zone list, which QEMU lacks", "sct 0x")
    check_yaml(Z, ["mgmt-reset", NG, "--all"], "mgmt-reset --all", json_too=False)
    check(all(z["zs"] == "EMPTY" and z["wp"] == z["zslba"] for z in zones()),
          "every zone is empty after reset --all")

    # bad arguments: nothing is sent
    for args, rc_want, what, needles in [
        (["mgmt-open", NG], 2, "mgmt without --slba or --all", ["--all"]),
        (["mgmt-open", NG, "--slba", "0", "--all"], 2, "--slba with --all", ["--all"]),
        (["mgmt-open", NG, "--slba", "1"], 1, "--slba not a zone start", ["not the start"]),
        (["append", NG, "--slba", str(zsze + 3)], 1, "append to a non-start", ["not the start"]),
        (["mgmt-reset", NG, "--slba", str(16 * zsze)], 1, "a zone past the end", ["outside"]),
        (["report", NG, "--slba", str(16 * zsze)], 1, "report past the end", ["outside"]),
        (["read", NG, "--slba", "x"], 2, "--slba x", ["x"]),
        (["append", NG, "--slba", "0", "--nlb", "1000"], 1, "append larger than MDTS/ZASL", []),
    ]:
        check_bad(Z, args, rc_want, what, *needles)
    check(all(z["zs"] == "EMPTY" for z in zones()), "the zones are still empty")

finish()
