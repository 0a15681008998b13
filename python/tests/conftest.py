"""Fixtures of the xnvme Python suite: the two targets (the ramdisk and a file in a temp dir), the
xnvme CLI to compare against, the repository's public headers for the layout test.

Environment (tests/meson.build sets them): XNVME_LIBRARY (the library under test), XNVME_CLI
(build/tools/xnvme), XNVME_INCLUDE (include/), XNVME_TEST_TARGETS (the targets this build's backends
reach: "ramdisk,file"), XNVME_TCP_TARGET (tests/tcp's xnvme-tcp-target, for NVMe/TCP). Without them
the build tree beside python/ and both targets are used.
"""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FILE_NBYTES = 64 << 20

os.environ.setdefault("XNVME_LIBRARY", str(REPO / "build" / "lib" / "libxnvme.so.0"))


def _path_from_env(name, default):
    path = pathlib.Path(os.environ.get(name, default))
    return path if path.exists() else None


@pytest.fixture(scope="session")
def cli():
    path = _path_from_env("XNVME_CLI", REPO / "build" / "tools" / "xnvme")
    if path is None:
        pytest.skip("no xnvme CLI to compare against (XNVME_CLI)")
    return str(path)


@pytest.fixture(scope="session")
def include_dir():
    path = _path_from_env("XNVME_INCLUDE", REPO / "include")
    if path is None:
        pytest.skip("no public headers (XNVME_INCLUDE)")
    return str(path)


@pytest.fixture
def file_uri(tmp_path):
    _target("file")
    path = tmp_path / "xnvme-python.img"
    with open(path, "wb") as img:
        img.truncate(FILE_NBYTES)
    return str(path)


TARGETS = os.environ.get("XNVME_TEST_TARGETS", "ramdisk,file").split(",")


def _target(name):
    if name not in TARGETS:
        pytest.skip(f"this build has no backend for the {name} target")


@pytest.fixture
def ramdisk_uri():
    _target("ramdisk")
    return "ramdisk:64MiB"


@pytest.fixture(params=["ramdisk", "file"])
def uri(request):
    """Each test that takes `uri` runs on the ramdisk and on a file of the same size"""
    _target(request.param)
    return request.getfixturevalue(request.param + "_uri")


@pytest.fixture
def tcp_target():
    """tests/tcp's NVMe/TCP target on a free port: (HOST:PORT, subsystem NQN)"""
    exe = _path_from_env("XNVME_TCP_TARGET", REPO / "build" / "tests" / "tcp" / "xnvme-tcp-target")
    if exe is None:
        pytest.skip("no NVMe/TCP test target in this build (XNVME_TCP_TARGET)")
    nqn = "nqn.2026-12.io.xnvme:python"
    proc = subprocess.Popen([str(exe), "--port", "0", f"16MiB,subnqn={nqn}"],
                            stdout=subprocess.PIPE, text=True)
    try:
        words = proc.stdout.readline().split()  # "port N subnqn NQN" once listening
        assert words[:1] == ["port"] and words[3] == nqn, words
        yield f"127.0.0.1:{words[1]}", nqn
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
