"""Enumeration through xnvme_enumerate, as the CLI's `enum` does it"""
import json
import subprocess

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
