#!/usr/bin/env python3
"""The `zoned` tool against QEMU's zoned namespace (in the VM rig's guest), nvme-cli as the
independent checker:
- info, idfy-ns, idfy-ctrl equal `nvme zns id-ns` / `nvme zns id-ctrl` field by field; enum lists
  the zoned namespace and no other;
- report equals `nvme zns report-zones` zone by zone (start, write pointer, capacity, state, type,
  attributes), on the char and the block node; --slba, --limit, --extended;
- write at the write pointer moves it; a write elsewhere fails with the device's status; append
  returns the write pointer it wrote at; read gives back what was written (to a file and to
  stdout); an append of the largest size the device takes works, one block more is refused;
- open, close, finish, reset of one zone and with --all change the states the report shows; the
  open-zone limit is the device's; offline of an empty zone fails with Invalid Zone State
  Transition, offline --all (no read-only zone) changes nothing; the changed zone list log fails
  as it fails for nvme-cli (QEMU has none);
- bad arguments: one line on stderr, exit 2 (usage) or 1 (checked against the device), nothing
  written to the namespace or to an output file.
Every zone is reset before and after, whatever happens in between.
Usage: test_zoned_cli.py ZONED NG_ZNS BLK_ZNS [BLK_NOT_ZONED]"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

Z, NG, BLK = sys.argv[1:4]
NOT_ZONED = sys.argv[4] if len(sys.argv) > 4 else None
# nvme-cli's names of the zone states and types
STATES = {"EMPTY": "EMPTY", "IOPEN": "IMP_OPENED", "EOPEN": "EXP_OPENED", "CLOSED": "CLOSED",
          "FULL": "FULL", "RONLY": "READONLY", "OFFLINE": "OFFLINE"}
TYPES = {2: "SEQWRITE_REQ"}


def nvme_json(*args):
    """nvme-cli's JSON, or None (with its message printed) when it fails"""
    proc = subprocess.run(["nvme", *args, "-o", "json"], capture_output=True, text=True,
                          timeout=120)
    if proc.returncode:
        print(f"nvme {' '.join(args)}: exit {proc.returncode}: {proc.stderr.strip()[:300]}")
        return None
    return json.loads(proc.stdout)


def zones(dev=NG, *args):
    rc, out, err = run(Z, "report", dev, "--output", "json", *args)
    if rc:
        print(f"report {dev}: exit {rc}: {err.strip()}")
        return []
    return json.loads(out)["xnvme_znd_report"]["entries"]


def zone(zslba, dev=NG):
    """The descriptor of the zone at zslba, from our report"""
    found = zones(dev, "--slba", str(zslba), "--limit", "1")
    return found[0] if found else {}


def states(zslbas):
    by_start = {z["zslba"]: z["zs"] for z in zones()}
    return [by_start.get(s) for s in zslbas]


def same_as_nvme_cli(ours, dev):
    """Our report equals nvme-cli's, every field of every zone"""
    theirs = nvme_json("zns", "report-zones", dev)
    if not theirs or len(ours) != theirs["nr_zones"] or len(theirs["zone_list"]) != len(ours):
        return False
    return all(o["zslba"] == t["slba"] and o["wp"] == t["wp"] and o["zcap"] == t["cap"]
               and STATES[o["zs"]] == t["state"] and TYPES.get(o["zt"]) == t["type"]
               and o["za"] == t["attrs"] for o, t in zip(ours, theirs["zone_list"]))


def run_bytes(*args):
    proc = subprocess.run([Z, *args], capture_output=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr.decode()


def reset_all():
    rc, _, err = run(Z, "mgmt-reset", NG, "--all")
    return rc == 0 and all(z["zs"] == "EMPTY" and z["wp"] == z["zslba"] for z in zones())


check(reset_all(), "start: every zone reset")
try:
    # --- the device as the tool sees it, against nvme-cli ---------------------------------
    id_ns = nvme_json("id-ns", BLK) or {}
    zns_ns = nvme_json("zns", "id-ns", BLK) or {}
    zns_ctrl = nvme_json("zns", "id-ctrl", BLK) or {}
    lbafe = zns_ns.get("lbafe", [{}] * 16)[id_ns.get("flbas", 0) & 0xF]
    for dev in (NG, BLK):
        info = check_yaml(Z, ["info", dev], f"info {dev} equals nvme-cli (zsze, zdes, mor, mar, "
                          "zasl, nzone, tbytes)",
                          lambda d: d["zoned_geo"]["zsze"] == lbafe["zsze"]
                          and d["zoned_geo"]["zdes"] == lbafe["zdes"]
                          and d["zoned_geo"]["mor"] == zns_ns["mor"]
                          and d["zoned_geo"]["mar"] == zns_ns["mar"]
                          and d["zoned_geo"]["zasl"] == zns_ctrl["zasl"]
                          and d["xnvme_dev"]["xnvme_geo"]["nzone"] == id_ns["nsze"] // lbafe["zsze"]
                          and d["xnvme_dev"]["xnvme_geo"]["tbytes"] == id_ns["nsze"] * d["xnvme_dev"]["xnvme_geo"]["nbytes"])
    zsze = info["zoned_geo"]["zsze"] if info else 4096
    lba = info["xnvme_dev"]["xnvme_geo"]["lba_nbytes"] if info else 4096
    nzone = info["xnvme_dev"]["xnvme_geo"]["nzone"] if info else 16
    mor = info["zoned_geo"]["mor"] if info else 7
    mdts = info["xnvme_dev"]["xnvme_geo"]["mdts_nbytes"] if info else 520192
    append_max = info["zoned_geo"]["append_nbytes"] if info else mdts
    check(info and append_max == (mdts if zns_ctrl.get("zasl") == 0
                                  else min(mdts, 4096 << zns_ctrl.get("zasl", 0))),
          f"append_nbytes {append_max} follows ZASL {zns_ctrl.get('zasl')} and MDTS {mdts}")

    def enum_ok(d):
        listed = d["xnvme_cli_enumeration"]
        ok = any(e["uri"] == BLK and e["csi"] == 2 for e in listed)
        return ok and not any(e["uri"] == NOT_ZONED for e in listed)
    check_yaml(Z, ["enum"], "enum lists the zoned namespace (csi 2), not the others", enum_ok)

    def as_number(key, value):
        """xNVMe 0.7.5's printer nests bit fields; nvme-cli prints the register as a number"""
        if not isinstance(value, dict):
            return value
        if "val" in value:
            return value["val"]
        if key == "zoc":
            return value["vzcap"] | value["zae"] << 1
        return value

    def idfy_ns_ok(d):
        ours = d["xnvme_spec_znd_idfy_ns"]
        # The fields both print (0.7.5's names; nvme-cli 2.3 has a few more, e.g. rrl1..3)
        keys = [k for k in zns_ns if k != "lbafe" and k in ours]
        return (len(keys) >= 8 and all(as_number(k, ours[k]) == zns_ns[k] for k in keys)
                and ours["lbafe"][:len(zns_ns["lbafe"])] == zns_ns["lbafe"])
    check_yaml(Z, ["idfy-ns", NG], "idfy-ns equals nvme zns id-ns in every field both print",
               idfy_ns_ok)
    check_yaml(Z, ["idfy-ctrl", BLK], "idfy-ctrl equals nvme zns id-ctrl, every field",
               lambda d: zns_ctrl and all(d["xnvme_spec_znd_idfy_ctrlr"][k] == v
                                          for k, v in zns_ctrl.items()))

    with tempfile.TemporaryDirectory() as tmp:
        p = lambda name: os.path.join(tmp, name)  # noqa: E731

        # --- write, append, read --------------------------------------------------------
        data = os.urandom(2 * lba)
        with open(p("d"), "wb") as f:
            f.write(data)
        z1 = zsze
        check_yaml(Z, ["write", NG, "--slba", str(z1), "--nlb", "1", "--data-input", p("d")],
                   "write 2 blocks at zone 1's write pointer",
                   lambda d: d["zoned_write"]["slba"] == z1 and d["zoned_write"]["nlb"] == 1,
                   json_too=False)
        zd = zone(z1)
        check(zd.get("zs") == "IOPEN" and zd.get("wp") == z1 + 2,
              f"zone 1: implicitly open, write pointer + 2 ({zd})")
        check_bad(Z, ["write", NG, "--slba", str(z1 + 5), "--data-input", p("d")], 1,
                  "a write away from the write pointer", "ZONE_INVALID_WRITE", "sct 0x1")
        check(zone(z1).get("wp") == z1 + 2, "the failed write left the write pointer")
        albas = []
        for dev in (NG, BLK, NG):
            _, out, _ = run(Z, "append", dev, "--slba", str(z1), "--nlb", "1", "--output",
                            "json")
            albas.append(json.loads(out)["zoned_append"]["alba"] if out else None)
        check(albas == [z1 + 2, z1 + 4, z1 + 6],
              f"append (char, block, char node) returns the write pointers ({albas})")
        check(zone(z1).get("wp") == z1 + 8, "the write pointer after the appends")
        # the block node writes too
        check_yaml(Z, ["write", BLK, "--slba", str(z1 + 8), "--data-input", p("d")],
                   "write on the block node at the write pointer", json_too=False)
        check(zone(z1, BLK).get("wp") == z1 + 9, "the block node's report: write pointer + 1")

        rc, _, err = run(Z, "read", NG, "--slba", str(z1), "--nlb", "1", "--data-output",
                         p("r"))
        with open(p("r"), "rb") as f:
            check(rc == 0 and f.read() == data, f"read back the written blocks ({err!r})")
        rc, out, err = run_bytes("read", BLK, "--slba", str(z1), "--nlb", "1",
                                 "--data-output", "-")
        check(rc == 0 and out == data and err == "",
              f"read --data-output - on the block node: the data alone on stdout ({err!r})")
        rc, out, _ = run_bytes("read", NG, "--slba", str(z1 + 2), "--nlb", "1",
                               "--data-output", "-")
        want = bytes(((z1 + 2) * lba + i) & 0xFF for i in range(2 * lba))
        check(rc == 0 and out == want, "append without --data-input wrote the documented pattern")
        rc, out, _ = run_bytes("read", NG, "--slba", str(z1 + 8), "--data-output", "-")
        check(rc == 0 and out == data[:lba], "read the block node's write back")

        # the largest append the device takes, then one block more
        z6, nmax = 6 * zsze, append_max // lba
        check_yaml(Z, ["append", NG, "--slba", str(z6), "--nlb", str(nmax - 1)],
                   f"append of {nmax} blocks (append_nbytes)",
                   lambda d: d["zoned_append"]["alba"] == z6, json_too=False)
        check(zone(z6).get("wp") == z6 + nmax, "zone 6's write pointer after the largest append")
        check_bad(Z, ["append", NG, "--slba", str(z6), "--nlb", str(nmax)], 1,
                  f"append of {nmax + 1} blocks", "more than the device appends", "ZASL")
        check_bad(Z, ["write", NG, "--slba", str(z6 + nmax), "--nlb", str(mdts // lba)], 1,
                  f"write of {mdts // lba + 1} blocks", "MDTS")

        # --- the report against nvme-cli -------------------------------------------------
        ours = zones()
        check(len(ours) == nzone and same_as_nvme_cli(ours, BLK),
              "report (char node) equals nvme zns report-zones for every zone and field")
        check(same_as_nvme_cli(zones(BLK), BLK),
              "report (block node) equals nvme zns report-zones")
        check_yaml(Z, ["report", NG, "--slba", str(2 * zsze), "--limit", "3"],
                   "report --slba zone 2 --limit 3", lambda d: [
                       e["zslba"] for e in d["xnvme_znd_report"]["entries"]] == [
                       2 * zsze, 3 * zsze, 4 * zsze])
        check_yaml(Z, ["report", NG, "--slba", str(z1 + 7), "--limit", "1"],
                   "report --slba inside zone 1 reports zone 1",
                   lambda d: d["xnvme_znd_report"]["entries"][0] == ours[1])
        check_yaml(Z, ["report", NG, "--slba", str((nzone - 2) * zsze), "--limit", "100"],
                   "a --limit past the end reports to the last zone",
                   lambda d: d["xnvme_znd_report"]["nentries"] == 2)
        zdes_nbytes = 64 * lbafe.get("zdes", 1)
        check_yaml(Z, ["report", BLK, "--extended"],
                   f"report --extended: the same zones, each with {zdes_nbytes} extension bytes",
                   lambda d: [{k: v for k, v in e.items() if k != "zdext"}
                              for e in d["xnvme_znd_report"]["entries"]] == ours
                   and all(len(bytes.fromhex(e["zdext"])) == zdes_nbytes
                           for e in d["xnvme_znd_report"]["entries"]))

        # --- zone management ----------------------------------------------------------------
        z2 = 2 * zsze
        for cmd, want in [("mgmt-open", "EOPEN"), ("mgmt-close", "CLOSED"),
                          ("mgmt-open", "EOPEN"), ("mgmt-finish", "FULL"),
                          ("mgmt-reset", "EMPTY")]:
            check_yaml(Z, [cmd, NG, "--slba", str(z2)], f"{cmd} of zone 2",
                       lambda d, c=cmd: d[f"zoned_{c}"] == {"nsid": d[f"zoned_{c}"]["nsid"],
                                                            "zslba": z2}, json_too=False)
            got = zone(z2)
            check(got.get("zs") == want, f"zone 2 is {want} after {cmd} ({got.get('zs')})")
        check(zone(z2).get("wp") == z2, "a reset zone's write pointer is its start")
        check_yaml(Z, ["mgmt-finish", BLK, "--slba", str(z2)], "mgmt-finish on the block node",
                   json_too=False)
        check(zone(z2, BLK).get("zs") == "FULL", "zone 2 FULL, as the block node reports")
        check_yaml(Z, ["mgmt-reset", BLK, "--slba", str(z2)], "mgmt-reset on the block node",
                   json_too=False)

        # --all: zones 3 and 4 implicitly open by writes, zone 5 explicitly open
        z345 = [3 * zsze, 4 * zsze, 5 * zsze]
        for s in z345[:2]:
            run(Z, "write", NG, "--slba", str(s))
        run(Z, "mgmt-open", NG, "--slba", str(z345[2]))
        check(states(z345) == ["IOPEN", "IOPEN", "EOPEN"], f"zones 3-5 open ({states(z345)})")
        for cmd, want in [("mgmt-close", "CLOSED"), ("mgmt-open", "EOPEN"),
                          ("mgmt-finish", "FULL")]:
            check_yaml(Z, [cmd, NG, "--all"], f"{cmd} --all",
                       lambda d, c=cmd: d[f"zoned_{c}"]["all"] is True, json_too=False)
            check(states(z345) == [want] * 3, f"zones 3-5 {want} after {cmd} --all "
                  f"({states(z345)})")
        check(same_as_nvme_cli(zones(), BLK), "after the --all actions: report equals nvme-cli's")

        # offline: only a read-only zone can go offline (ZNS 1.1, Offline Zone); QEMU has none
        check_bad(Z, ["mgmt-offline", NG, "--slba", str(z2)], 1, "offline of an empty zone",
                  "INVALID_ZONE_STATE_TRANSITION", "sct 0x1, sc 0xbf")
        before = zones()
        check_yaml(Z, ["mgmt-offline", NG, "--all"],
                   "offline --all with no read-only zone: success", json_too=False)
        check(zones() == before, "offline --all changed no zone")

        check_yaml(Z, ["mgmt-reset", BLK, "--all"], "mgmt-reset --all (block node)",
                   lambda d: d["zoned_mgmt-reset"]["all"] is True, json_too=False)
        check(all(z["zs"] == "EMPTY" and z["wp"] == z["zslba"] for z in zones()),
              "every zone is empty after reset --all")

        # the open-zone limit (MOR is zero-based): one zone past it is refused by the device
        for i in range(mor + 1):
            run(Z, "mgmt-open", NG, "--slba", str(i * zsze))
        check_bad(Z, ["mgmt-open", NG, "--slba", str((mor + 1) * zsze)], 1,
                  f"opening zone {mor + 2} when {mor + 1} are open", "TOO_MANY_OPEN_ZONES")
        check([z["zs"] for z in zones()].count("EOPEN") == mor + 1,
              f"{mor + 1} zones explicitly open, the limit")
        check(reset_all(), "reset --all after the open limit")

        # the changed zone list: what nvme-cli gets is what we get
        proc = subprocess.run(["nvme", "zns", "changed-zone-list", BLK, "-o", "json"],
                              capture_output=True, text=True, timeout=120)
        status = re.search(r"\(0x([0-9a-f]+)\)", proc.stdout + proc.stderr)
        if proc.returncode and status:
            value = int(status.group(1), 16)
            sct, sc, dnr = (value >> 8) & 7, value & 0xFF, (value >> 14) & 1
            check_bad(Z, ["changes", NG], 1,
                      f"changed zone list: the device's status, as nvme-cli's (0x{value:x})",
                      f"(sct 0x{sct:x}, sc 0x{sc:02x}, dnr {dnr})")
        else:
            # a device that has the log: both read it (its content depends on the device)
            check(proc.returncode == 0, f"nvme-cli reads the changed zone list ({proc.stderr!r})")
            check_yaml(Z, ["changes", NG], "changed zone list",
                       lambda d: isinstance(d["xnvme_spec_znd_log_changes"]["idents"], list))

        # --- bad arguments: refused, nothing sent, nothing written ------------------------
        with open(p("short"), "wb") as f:
            f.write(b"x" * (lba - 1))
        before = zones()
        for args, rc_want, what, needles in [
            (["mgmt-open", NG], 2, "mgmt without --slba or --all", ["--all"]),
            (["mgmt-open", NG, "--slba", "0", "--all"], 2, "--slba with --all", ["--all"]),
            (["append", NG, "--all"], 2, "append --all", ["--all"]),
            (["mgmt-open", NG, "--slba", "1"], 1, "--slba not a zone start",
             ["not the start", f"0 or {zsze}"]),
            (["mgmt-finish", NG, "--slba", str(zsze - 1)], 1, "--slba the end of zone 0",
             ["not the start"]),
            (["append", NG, "--slba", str(zsze + 3)], 1, "append to a non-start",
             ["not the start"]),
            (["mgmt-reset", NG, "--slba", str(nzone * zsze)], 1, "a zone past the end",
             ["outside"]),
            (["report", NG, "--slba", str(nzone * zsze)], 1, "report past the end", ["outside"]),
            (["write", NG, "--slba", str(nzone * zsze - 1), "--nlb", "1"], 1,
             "a write past the end", ["outside"]),
            (["read", NG, "--slba", str(nzone * zsze - 1), "--nlb", "1", "--data-output",
              p("never")], 1, "a read past the end", ["outside"]),
            (["write", NG, "--slba", "0", "--data-input", p("short")], 1,
             "a --data-input shorter than the blocks", ["bytes"]),
            (["write", NG, "--slba", "0", "--data-input", p("missing")], 1,
             "a --data-input that does not exist", ["missing"]),
            (["read", NG, "--slba", "x"], 2, "--slba x", ["x"]),
            (["report", NG, "--limit", "-1"], 2, "--limit -1", ["negative"]),
            (["mgmt-open", NG, "--slba", "0", "--output", "xml"], 2, "--output xml", ["xml"]),
        ]:
            check_bad(Z, args, rc_want, what, *needles)
        check(zones() == before, "the bad arguments changed no zone")
        check(not os.path.exists(p("never")), "the refused read created no output file")

        # a namespace of another command set: refused before anything is sent
        if NOT_ZONED:
            for args in (["info"], ["report"], ["mgmt-reset", "--all"], ["write"],
                         ["append", "--slba", "0"], ["changes"]):
                check_bad(Z, [args[0], NOT_ZONED, *args[1:]], 1, f"{args[0]} on {NOT_ZONED}",
                          f"zoned {args[0]}: error: '{NOT_ZONED}' is not a zoned namespace")
finally:
    check(reset_all(), "end: every zone reset")

finish()
