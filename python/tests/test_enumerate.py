"""Enumeration through xnvme_enumerate, as the CLI's `enum` does it"""
import json
import os
import subprocess
import sys

import pytest

import xnvme


def test_enumeration_lists_what_the_cli_lists(cli):
    theirs = json.loads(subprocess.run([cli, "enum", "--output", "json"], check=True,
                                       capture_output=True, text=True).stdout)
    ours = xnvme.enumerate_devices()
    assert [d["uri"] for d in ours] == [d["uri"] for d in theirs["xnvme_cli_enumeration"]]
    for entry in ours:
        assert set(entry) >= {"uri", "dtype", "nsid", "csi", "be", "mn", "sn", "fr"}


def test_enumeration_failure_raises():
    # A remote system that cannot be reached: the fabrics backend's error, not an empty list
    with pytest.raises(xnvme.XnvmeError):
        xnvme.enumerate_devices("127.0.0.1:1")


def test_enumeration_of_an_nvme_tcp_target_equals_the_clis(cli, tcp_target):
    addr, nqn = tcp_target
    theirs = json.loads(subprocess.run([cli, "enum", "--uri", addr, "--output", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    ours = xnvme.enumerate_devices(addr)
    assert len(ours) == 1 and ours[0]["subnqn"] == nqn and ours[0]["be"] == "tcp"
    assert ours == theirs["xnvme_cli_enumeration"]


def test_io_over_nvme_tcp(tcp_target):
    addr, nqn = tcp_target
    with xnvme.Device(addr, subnqn=nqn) as dev:
        assert dev.be_name == "tcp" and dev.geo.tbytes == 16 << 20
        data = bytes(range(256)) * 16
        buf = dev.buffer(len(data))
        buf[:] = data
        dev.write(10, len(data) // dev.geo.lba_nbytes, buf)
        buf.fill(0)
        done = []
        with dev.queue(4) as queue:
            queue.read(10, len(data) // dev.geo.lba_nbytes, buf, callback=done.append)
            queue.drain()
        assert done[0].ok and bytes(buf) == data


def test_module_main_says_which_library_and_lists_devices(tcp_target):
    addr, nqn = tcp_target
    out = subprocess.run([sys.executable, "-m", "xnvme", addr], check=True, capture_output=True,
                         text=True).stdout
    assert f"library: {os.path.realpath(os.environ['XNVME_LIBRARY'])}\n" in out
    assert "version: 0.7.5\n" in out and nqn in out
