"""A PEP 517 build backend for the xnvme package, in the tree so that a build needs no download.

It writes the wheel itself (a zip of xnvme/*.py and its dist-info, PEP 427): pure Python, no
compiled code, nothing to configure. `pip install ./python` and `pip install -e ./python` use it.
"""
import base64
import hashlib
import os
import zipfile

NAME, VERSION = "xnvme", "0.7.5"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = "py3-none-any"
METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Python bindings for libxnvme (ctypes, the xNVMe 0.7.5 C API)
License: BSD-3-Clause
Requires-Python: >=3.9
"""


def _dist_info():
    return f"{NAME}-{VERSION}.dist-info"


def _wheel_file():
    return f"Wheel-Version: 1.0\nGenerator: xnvme_build\nRoot-Is-Purelib: true\nTag: {TAG}\n"


def _package_files():
    pkg = os.path.join(HERE, NAME)
    return sorted(f"{NAME}/{f}" for f in os.listdir(pkg) if f.endswith(".py"))


def _write_wheel(directory, members):
    """members: (archive name, bytes); the dist-info and its RECORD are added here"""
    members = list(members) + [
        (f"{_dist_info()}/METADATA", METADATA.encode()),
        (f"{_dist_info()}/WHEEL", _wheel_file().encode()),
    ]
    record = []
    name = f"{NAME}-{VERSION}-{TAG}.whl"
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as whl:
        for arcname, data in members:
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{arcname},sha256={digest.decode()},{len(data)}")
            whl.writestr(arcname, data)
        record.append(f"{_dist_info()}/RECORD,,")
        whl.writestr(f"{_dist_info()}/RECORD", "\n".join(record) + "\n")
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    members = []
    for rel in _package_files():
        with open(os.path.join(HERE, rel), "rb") as src:
            members.append((rel, src.read()))
    return _write_wheel(wheel_directory, members)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth line puts the source tree on sys.path: edits take effect without reinstalling
    return _write_wheel(wheel_directory, [(f"_{NAME}_editable.pth", (HERE + "\n").encode())])
