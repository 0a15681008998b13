"""Python bindings for libxnvme (ctypes over libxnvme.so.0, the xNVMe 0.7.5 C API).

    import xnvme
    with xnvme.Device("ramdisk:64MiB") as dev:
        print(dev.geo.tbytes, xnvme.to_dict(dev.ns)["nsze"])

`xnvme.LIBRARY` is the path of the library loaded: XNVME_LIBRARY if set, otherwise what the
dynamic loader finds for libxnvme.so.0. See docs/python.md.
"""
from ._lib import path as LIBRARY
from ._lib import version
from .buffer import Buffer
from .device import MAX_BLOCKS, Device, enumerate_devices
from .errors import (
    DeviceClosedError,
    InvalidArgument,
    NvmeStatusError,
    XnvmeError,
)
from .queue import QUEUE_IOPOLL, QUEUE_SQPOLL, Completion, Queue
from .structs import (
    GEO_CONVENTIONAL,
    GEO_KV,
    GEO_UNKNOWN,
    GEO_ZONED,
    Cmd,
    CmdCtx,
    Cpl,
    Geo,
    HealthLog,
    Ident,
    Idfy,
    IdfyCtrlr,
    IdfyNs,
    Opts,
    to_dict,
)

__version__ = "0.7.5"
__all__ = [
    "LIBRARY", "version", "Buffer", "Device", "enumerate_devices", "MAX_BLOCKS", "Queue",
    "Completion", "QUEUE_IOPOLL", "QUEUE_SQPOLL", "XnvmeError", "InvalidArgument",
    "DeviceClosedError", "NvmeStatusError", "Cmd", "CmdCtx", "Cpl", "Geo", "HealthLog", "Ident",
    "Idfy", "IdfyCtrlr", "IdfyNs", "Opts", "to_dict", "GEO_UNKNOWN", "GEO_CONVENTIONAL",
    "GEO_ZONED", "GEO_KV",
]
