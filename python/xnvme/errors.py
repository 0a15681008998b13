"""The package's exceptions: every failure is an OSError carrying an errno.

A negative errno from the library becomes XnvmeError(errno, message); a command the device
completed with an error status becomes NvmeStatusError, which also carries SCT and SC. Arguments the
package refuses before calling the library raise InvalidArgument (EINVAL), also a ValueError.
"""
import errno as _errno
import os


class XnvmeError(OSError):
    """A failure reported by libxnvme: `errno` is the library's errno, positive"""


class InvalidArgument(XnvmeError, ValueError):
    """An argument refused before it reaches the library (EINVAL)"""

    def __init__(self, message):
        super().__init__(_errno.EINVAL, message)


class DeviceClosedError(XnvmeError):
    """A device, queue or buffer used after it was closed or freed (EBADF)"""

    def __init__(self, message):
        super().__init__(_errno.EBADF, message)


class NvmeStatusError(XnvmeError):
    """A command completed with an NVMe error status: `sct` (status code type) and `sc`"""

    sct = 0
    sc = 0
    cdw0 = 0

    @classmethod
    def from_cpl(cls, what, cpl, err=0):
        num = -err if err < 0 else _errno.EIO
        exc = cls(num, f"{what}: NVMe status sct=0x{cpl.status.sct:x} sc=0x{cpl.status.sc:02x}"
                       f" ({os.strerror(num)})")
        exc.sct, exc.sc, exc.cdw0 = cpl.status.sct, cpl.status.sc, cpl.cdw0
        return exc


def check(err, what):
    """A library return value: negative errno raises XnvmeError, others are returned"""
    if err < 0:
        raise XnvmeError(-err, f"{what}: {os.strerror(-err)}")
    return err


def check_cmd(err, ctx, what):
    """A command's outcome: its completion status first (it says more than the errno)"""
    if ctx.cpl.status.sc or ctx.cpl.status.sct:
        raise NvmeStatusError.from_cpl(what, ctx.cpl, err)
    return check(err, what)
