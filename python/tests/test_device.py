"""Device: open and close, what the library knows, identify against the CLI, sync commands"""
import ctypes
import json
import os
import subprocess
import threading


import xnvme
from conftest import FILE_NBYTES


def test_library_is_the_one_asked_for():
    assert xnvme.LIBRARY == os.path.realpath(os.environ["XNVME_LIBRARY"])
    assert xnvme.version() == (0, 7, 5)


def test_open_close_and_context_manager(uri):
    dev = xnvme.Device(uri)
    assert not dev.closed and dev.nsid == 1
    dev.close()
    assert dev.closed
    dev.close()  # twice is harmless
    with xnvme.Device(uri) as dev:
        assert dev.geo.tbytes == FILE_NBYTES
    assert dev.closed


def test_geometry_and_ident(uri):
    with xnvme.Device(uri) as dev:
        geo, ident = dev.geo, dev.ident
        assert geo.type == xnvme.GEO_CONVENTIONAL and geo.nbytes == 512 and geo.lba_nbytes == 512
        assert geo.tbytes == FILE_NBYTES and geo.nsect == FILE_NBYTES // 512 and geo.ssw == 9
        assert ident.uri.decode() == uri and ident.nsid == 1
        as_dict = xnvme.to_dict(geo)
        assert as_dict["tbytes"] == FILE_NBYTES and "_rsvd" not in as_dict
        assert dev.ns.nsze == FILE_NBYTES // 512
        assert dev.ns.lbaf_current().ds == 9
        assert "xnvme_geo" in dev.info()


def test_options_reach_the_library(file_uri):
    with xnvme.Device(file_uri, rdonly=True, **{"async": "thrpool"}) as dev:
        opts = dev.opts
        assert opts["rdonly"] == 1 and opts["async"] == "thrpool"
        assert dev.be_name == "linux"
    with xnvme.Device(file_uri, async_="posix", sync="psync") as dev:
        assert (dev.opts["async"], dev.opts["sync"]) == ("posix", "psync")


def _compare(ours, theirs, path=""):
    """Counts the fields of the CLI's JSON that match ours; raises on the first that differs"""
    compared = 0
    for key, want in theirs.items():
        if key not in ours:
            continue
        have = ours[key]
        if isinstance(have, dict) and "val" in have and isinstance(want, int):
            have = have["val"]
        if isinstance(want, dict) and isinstance(have, dict):
            compared += _compare(have, want, f"{path}{key}.")
            continue
        if isinstance(want, str) and isinstance(have, str):
            want, have = want.rstrip(), have.rstrip()
        elif isinstance(want, list) and isinstance(have, list):
            have = have[: len(want)]
        elif type(want) is not type(have):
            continue
        assert have == want, f"{path}{key}: ours {have!r}, the CLI's {want!r}"
        compared += 1
    return compared


def _cli_json(cli, *args):
    out = subprocess.run([cli, *args, "--output", "json"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def test_identify_ns_matches_the_cli(cli, uri):
    theirs = _cli_json(cli, "idfy-ns", uri)["xnvme_spec_idfy_ns"]
    with xnvme.Device(uri) as dev:
        ours = xnvme.to_dict(dev.identify_ns())
    assert _compare(ours, theirs) >= 35


def test_identify_ctrlr_matches_the_cli(cli, uri):
    theirs = _cli_json(cli, "idfy-ctrlr", uri)["xnvme_spec_idfy_ctrlr"]
    theirs.pop("sn", None)  # the ramdisk's serial number differs per process
    with xnvme.Device(uri) as dev:
        ours = xnvme.to_dict(dev.identify_ctrlr())
        assert dev.ctrlr.sn.startswith(b"ramdisk-" if uri.startswith("ramdisk") else b"")
    assert _compare(ours, theirs) >= 40


def test_identify_commands_return_what_open_read(uri):
    with xnvme.Device(uri) as dev:
        assert bytes(dev.identify_ns()) == bytes(dev.ns)
        assert bytes(dev.identify_ctrlr()) == bytes(dev.ctrlr)


def test_write_read_verify(uri):
    with xnvme.Device(uri) as dev:
        nlbas = dev.geo.nsect
        payload = os.urandom(64 * 512)
        wbuf, rbuf = dev.buffer(len(payload)), dev.buffer(len(payload))
        wbuf[:] = payload
        for slba in (0, 4096, nlbas - 64):
            dev.write(slba, 64, wbuf)
            rbuf.fill(0)
            dev.read(slba, 64, rbuf)
            assert bytes(rbuf) == payload
        # a part of the buffer, by offset
        dev.read(4096 + 3, 2, rbuf, offset=512)
        assert rbuf[512:1536] == payload[3 * 512:5 * 512]
        dev.write_zeroes(4096, 8)
        dev.read(4096, 8, rbuf)
        assert rbuf[: 8 * 512] == bytes(8 * 512)
        dev.flush()


def test_raw_passthrough(uri):
    with xnvme.Device(uri) as dev:
        data = os.urandom(4 * 512)
        buf = dev.buffer(len(data))
        buf[:] = data
        dev.write(100, 4, buf)
        cmd = xnvme.Cmd()
        cmd.common.opcode = 0x02  # Read
        cmd.common.nsid = dev.nsid
        cmd.nvm.slba, cmd.nvm.nlb = 100, 3
        out = dev.buffer(len(data))
        cpl = dev.cmd_pass(cmd, out)
        assert bytes(out) == data and cpl.status.val & 0xFFFE == 0
        admin = xnvme.Cmd()
        admin.common.opcode = 0x06  # Identify
        admin.idfy.cns = 0x01
        idfy = dev.buffer(ctypes.sizeof(xnvme.Idfy))
        dev.cmd_pass(admin, idfy, admin=True)
        assert bytes(idfy) == bytes(dev.ctrlr)


def test_health_log(ramdisk_uri):
    with xnvme.Device(ramdisk_uri) as dev:
        before = dev.health_log()
        buf = dev.buffer(512 * 1000)
        dev.write(0, 1000, buf)
        after = dev.health_log()
        assert after.comp_temp > 273  # Kelvin
        assert after.counter("host_write_cmds") == before.counter("host_write_cmds") + 1
        assert after.counter("data_units_written") >= before.counter("data_units_written") + 1
        assert len(dev.log_page(0x02, 512)) == 512


def test_threads_share_a_device_for_sync_commands(uri):
    """ctypes lets go of the GIL in C calls: four threads' commands on one handle, each verified"""
    with xnvme.Device(uri) as dev:
        failures = []

        def worker(index):
            try:
                buf = dev.buffer(8 * 512)
                for rnd in range(50):
                    slba = (index * 50 + rnd) * 8
                    buf.fill(bytes([index, rnd]))
                    dev.write(slba, 8, buf)
                    buf.fill(0)
                    dev.read(slba, 8, buf)
                    assert buf[:2] == bytes([index, rnd]) and buf[-1] == rnd
            except BaseException as exc:  # noqa: B036: reported by the main thread
                failures.append(exc)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures, failures
