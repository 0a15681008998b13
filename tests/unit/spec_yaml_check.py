#!/usr/bin/env python3
"""Runs test_spec_pp (path in argv[1]), parses everything it printed as one YAML stream and checks
that the values test_spec_pp.c put into the structures come back out of the printers.

The document order is test_spec_pp.c's: for each fill (zero, pattern, 0xFF) every printer with
XNVME_PR_DEF then XNVME_PR_TERSE (XNVME_PR_YAML for the command-side printers); then one NULL
document per printer; then the `_pr` documents."""
import os
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed")
    sys.exit(77)

ZERO_DEF, ZERO_TERSE, PAT_DEF, PAT_TERSE, ONES_DEF, ONES_TERSE = range(6)
errors = []


def check(cond, what):
    if not cond:
        errors.append(what)


def run(binary):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "spec_pp.yaml")
        proc = subprocess.run([binary, out], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            sys.exit(f"FAIL: {binary} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
        with open(out, "rb") as f:
            raw = f.read()
    # Non-printable bytes must have been escaped: the stream is plain ASCII
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        sys.exit(f"FAIL: printer output is not ASCII: {exc}")
    try:
        return list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        sys.exit(f"FAIL: printer output is not valid YAML: {exc}")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: spec_yaml_check.py TEST_SPEC_PP")
    docs = run(sys.argv[1])

    by_key = {}
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict) or len(doc) != 1:
            errors.append(f"document {i} is not a mapping with one key: {doc!r:.200}")
            continue
        (key, val), = doc.items()
        check(key.startswith("xnvme_spec_") or key == "feat", f"document {i} has key {key}")
        by_key.setdefault(key, []).append(val)

    # Every printer printed 3 fills x 2 forms; all but the feature printer one NULL document. An
    # empty list prints as no value too: the zeroed command set combinations, KV formats
    empty = {"feat": 0, "xnvme_spec_idfy_cs": 3, "xnvme_spec_kvs_idfy_ns": 1}
    for key, vals in by_key.items():
        nulls = sum(v is None for v in vals)
        check(nulls == empty.get(key, 1), f"{key}: {nulls} NULL documents")

    ctrl = by_key.get("xnvme_spec_idfy_ctrlr", [])
    check(len(ctrl) == 8, f"{len(ctrl)} identify controller documents, expected 8")
    if len(ctrl) == 8:
        for c in (ctrl[PAT_DEF], ctrl[PAT_TERSE], ctrl[7]):
            check(c["vid"] == 0x1B36, f"vid is {c['vid']!r}")
            check(c["ssvid"] == 0x1AF4, f"ssvid is {c['ssvid']!r}")
            # Strings as xNVMe prints them: up to the first NUL, padding kept
            check(c["sn"] == "SN\x01\"q\\ 'x' \x7f\xff:#     ", f"sn is {c['sn']!r}")
            check(c["mn"] == "model: \t- [x]", f"mn is {c['mn']!r}")
            check(c["fr"] == "FR&*!%@|", f"fr is {c['fr']!r}")
            check(c["mdts"] == 5 and c["nn"] == 1024 and c["oacs"] == 0x5F,
                  f"mdts/nn/oacs are {c['mdts']}/{c['nn']}/{c['oacs']}")
        c = ctrl[PAT_DEF]
        # xNVMe's six hex digits of the OUI, without a prefix (quoted: a string either way)
        check(c["ieee"] == "123456", f"ieee is {c['ieee']!r}")
        check(c["tnvmcap"] == [2**64 - 1, 1], f"tnvmcap is {c['tnvmcap']!r}")
        check(c["subnqn"] == "nqn.2014-08.org.nvmexpress:uuid:1", f"subnqn is {c['subnqn']!r}")
        check(set(c["oncs"]) == {"compare", "write_unc", "dsm", "write_zeroes",
                                 "set_features_save", "reservations", "timestamp", "verify",
                                 "copy"}, f"oncs is {c['oncs']!r}")
        check(len(ctrl[PAT_TERSE]) < len(c) / 4, "terse identify controller is not terse")
        check(ctrl[ZERO_DEF]["sn"] == "" and ctrl[ZERO_DEF]["ieee"] == "000000", "zeroed ctrlr")
        ones = ctrl[ONES_DEF]
        check(ones["vid"] == 0xFFFF and ones["sn"] == "\xff" * 20, "0xFF ctrlr vid/sn")
        check(ones["tnvmcap"] == [2**64 - 1] * 2, f"0xFF tnvmcap is {ones['tnvmcap']!r}")
        check(ones["lpa"]["val"] == 0xFF and ones["lpa"]["tel_da4"] == 1, "0xFF ctrlr lpa")

    ns = by_key.get("xnvme_spec_idfy_ns", [])
    check(len(ns) == 8, f"{len(ns)} identify namespace documents, expected 8")
    if len(ns) == 8:
        n = ns[PAT_DEF]
        flbas = {"format_lsb": 2, "extended": 1, "format_msb": 0, "reserved2": 0}
        check(n["nsze"] == 0x123456789 and n["nlbaf"] == 7 and n["flbas"] == flbas,
              f"nsze/nlbaf/flbas are {n['nsze']}/{n['nlbaf']}/{n['flbas']}")
        # NLBAF + 1 formats (zero-based), at most the table's 64
        for form, count in ((ZERO_DEF, 1), (PAT_DEF, 8), (PAT_TERSE, 8), (ONES_DEF, 64)):
            lbaf = ns[form]["lbaf"]
            check(len(lbaf) == count and all(set(f) == {"ms", "ds", "rp"} for f in lbaf),
                  f"lbaf is not {count} {{ms, ds, rp}} mappings in document {form}")
        check(n["lbaf"][5] == {"ms": 40, "ds": 10, "rp": 1}, f"lbaf[5] is {n['lbaf'][5]}")
        check(ns[ONES_DEF]["nguid"] == [0xFF] * 16, "0xFF nguid")
        check(ns[ONES_DEF]["nsze"] == 2**64 - 1, "0xFF nsze")
        check(ns[7]["nsze"] == 0x123456789, "xnvme_spec_idfy_ns_pr")

    nsl = by_key.get("xnvme_spec_idfy_nslist", [])
    if len(nsl) == 7:
        check(nsl[ZERO_DEF]["nsids"] == [], "zeroed namespace list is not empty")
        check(nsl[PAT_DEF]["nsids"] == list(range(1, 11)), f"nsids {nsl[PAT_DEF]['nsids']}")
        check(nsl[ONES_DEF]["nsids"] == [0xFFFFFFFF] * 1024, "0xFF namespace list")
    else:
        errors.append(f"{len(nsl)} namespace list documents")

    erri = by_key.get("xnvme_spec_log_erri", [])
    if len(erri) == 7:
        # The entries as a list; status is the completion's status field, phase tag included
        for form, count in ((ZERO_DEF, 1), (PAT_DEF, 5), (PAT_TERSE, 5), (ONES_DEF, 64)):
            check(len(erri[form]) == count, f"error log {form}: {len(erri[form])}, not {count}")
        e = erri[PAT_DEF]
        check([x["ecnt"] for x in e] == [1, 2, 3, 4, 5], "error counts")
        check(all((x["status"] >> 9) & 0x7 == 1 and (x["status"] >> 1) & 0xFF == 0xB9
                  for x in e), f"error entry status {e[0]}")
    else:
        errors.append(f"{len(erri)} error log documents")

    health = by_key.get("xnvme_spec_log_health_entry", [])
    if len(health) == 7:
        h = health[PAT_DEF]
        # Temperatures in Celsius; 128-bit counters through a long double, as xNVMe has them
        check(h["comp_temp"] == 300 - 273 and h["data_units_read"] == 2**64, "health counters")
        check(h["temp_sens1"] == 310 - 273, "temp_sens1")
        check(health[ONES_DEF]["nr_err_logs"] == 2**128, "0xFF nr_err_logs")
        check(health[ZERO_DEF]["temp_sens8"] == 0, "an unreported sensor is 0")
    else:
        errors.append(f"{len(health)} health log documents")

    fw = by_key.get("xnvme_spec_log_fw_slot", [])
    if len(fw) == 7:
        frs = fw[PAT_DEF]["frs"]
        check(len(frs) == 7 and frs[0] == "1.0" and frs[1] == "\"\\\xff\x01", f"frs {frs[:2]}")
        check(fw[ZERO_DEF]["frs"] == [""] * 7, "zeroed frs")

    chns = by_key.get("xnvme_spec_log_chns", [])
    if len(chns) == 7:
        check(chns[PAT_DEF]["nsids"] == [1, 2, 3] and chns[ZERO_DEF]["nsids"] == [], "chns")

    csae = by_key.get("xnvme_spec_log_csae", [])
    if len(csae) == 7:
        c = csae[PAT_DEF]
        check([(a["opc"], a["adm_opc_str"]) for a in c["acs"]] == [(6, "IDENTIFY")],
              f"acs {c['acs']}")
        check([(a["opc"], a["nvm_opc_str"], a["lbcc"]) for a in c["iocs"]]
              == [(1, "WRITE", 1), (2, "READ", 0)], f"iocs {c['iocs']}")
        check(len(csae[ONES_DEF]["acs"]) == 256 and csae[ZERO_DEF]["iocs"] == [], "csae fills")

    zlog = by_key.get("xnvme_spec_znd_log_changes", [])
    if len(zlog) == 7:
        check(zlog[PAT_DEF]["nidents"] == 3 and zlog[ONES_DEF]["nidents"] == 0xFFFF, "zone log")

    # The command-side printers print xNVMe's output: their second form is XNVME_PR_YAML
    descr = by_key.get("xnvme_spec_znd_descr", [])
    check(len(descr) == 8, f"{len(descr)} zone descriptor documents, expected 8")
    if len(descr) == 8:
        d = descr[PAT_DEF]
        check(d["zs"] == "ZND_STATE_FULL" and d["zslba"] == 0x80000, f"zone descriptor {d}")
        check(descr[PAT_TERSE] == d and d["za"] == "0b01010101", f"zone descriptor {d}")
        check(descr[ZERO_DEF]["zs"] == "ENOSYS", "zeroed zone descriptor state")
        check(descr[7]["zs"] == "ZND_STATE_EMPTY" and descr[7]["zcap"] == 64,
              "xnvme_spec_znd_descr_pr")

    hdr = by_key.get("xnvme_spec_znd_report_hdr", [])
    if len(hdr) == 8:
        check(hdr[PAT_DEF]["nzones"] == 4096 and hdr[ONES_DEF]["nzones"] == 2**64 - 1, "hdr")
        check(hdr[7] == {"nzones": 2}, "xnvme_spec_znd_report_hdr_pr")
    else:
        errors.append(f"{len(hdr)} zone report header documents")

    fmt0 = by_key.get("xnvme_spec_nvm_scopy_fmt_zero", [])
    srange = by_key.get("xnvme_spec_nvm_scopy_source_range", [])
    if len(fmt0) == 8 and len(srange) == 8:
        check(fmt0[PAT_DEF]["slba"] == 0x1000 and fmt0[PAT_DEF]["nlb"] == 7, f"{fmt0[PAT_DEF]}")
        check(all(r["nranges"] == 3 and r["nr"] == 2 and len(r["entries"]) == 3
                  for r in srange[:6]), "source range entry counts")
        check(srange[PAT_DEF]["entries"][1] == fmt0[PAT_DEF], "source range entry 1")
        check(srange[7]["nranges"] == 1 and srange[7]["entries"][0]["nlb"] == 1,
              "xnvme_spec_nvm_scopy_source_range_pr")
    else:
        errors.append(f"{len(fmt0)} / {len(srange)} copy range documents")

    cmd = by_key.get("xnvme_spec_cmd", [])
    if len(cmd) == 8:
        # Sixteen dwords: in binary (XNVME_PR_DEF), as numbers (XNVME_PR_YAML)
        c, y = cmd[PAT_DEF], cmd[PAT_TERSE]
        check(len(c) == 16 and all(len(w) == 32 for w in c), "cmd dwords in binary")
        check([int(w, 2) for w in c] == y, "binary and hex dwords differ")
        check(y[0] & 0xFF == 6 and y[1] == 1, "cmd opcode / nsid")
        check(cmd[ONES_DEF] == ["1" * 32] * 16 and cmd[7] == ["0" * 32] * 16, "cmd fills")
    else:
        errors.append(f"{len(cmd)} command documents")

    cpl = by_key.get("xnvme_spec_cpl", [])
    if len(cpl) == 8:
        c = cpl[PAT_DEF]
        check(c["sct"] == 2 and c["sc"] == 0x85 and c["status_str"] == "COMPARE_FAILURE",
              f"cpl {c}")
        check(cpl[7]["status_str"] == "SUCCESS", "xnvme_spec_cpl_pr")

    feats = [f for f in by_key.get("feat", []) if f]
    nq = [f for f in feats if f.get("nsqa") == 3 and f.get("ncqa") == 7]
    check(len(nq) == 2, f"number of queues {nq}")
    temp = [f for f in feats if f.get("tmpth") == 3 and "tmpsel" in f]
    check(len(temp) == 2 and temp[0]["tmpsel"] == 7, f"temperature threshold {temp}")

    cs = by_key.get("xnvme_spec_idfy_cs", [])
    if len(cs) == 7:
        check(cs[ZERO_DEF] is None and len(cs[ONES_DEF]) == 512, "command set combinations")
        check(cs[ONES_DEF][511] == {"iocsci": 511, "val": 2**64 - 1, "nvm": 1, "kv": 1,
                                    "zns": 1}, f"iocsc[511] {cs[ONES_DEF][511]}")
    else:
        errors.append(f"{len(cs)} command set documents")

    kvs = by_key.get("xnvme_spec_kvs_idfy_ns", [])
    if len(kvs) == 7:
        check(len(kvs[PAT_DEF]["kvf"]) == 2 and len(kvs[ONES_DEF]["kvf"]) == 16, "kv formats")
    else:
        errors.append(f"{len(kvs)} KV namespace documents")

    bar = by_key.get("xnvme_spec_ctrlr_bar", [])
    if len(bar) == 7:
        check(bar[ONES_DEF]["cap"] == 2**64 - 1 and bar[ZERO_DEF]["pmrmscu"] == 0, "bar")
    else:
        errors.append(f"{len(bar)} controller register documents")

    for e in errors:
        print("FAIL:", e)
    print(f"{len(docs)} YAML documents parsed, {len(errors)} checks failed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
