"""Device: one open xnvme_dev, its identify data, buffers and synchronous commands."""
import ctypes
import os
import weakref

from . import structs as S
from ._lib import ENUMERATE_CB, capture, lib
from .buffer import Buffer
from .errors import DeviceClosedError, InvalidArgument, XnvmeError, check, check_cmd

# NVMe's NLB field is 16 bits and zero-based: one command moves 1 to 65536 logical blocks
MAX_BLOCKS = 1 << 16
ENUMERATE_DEV_KEEP_OPEN, ENUMERATE_DEV_CLOSE = 0, 1
PR_DEF, PR_YAML = 0, 1


def _uint(value, bits, what):
    """value as an unsigned C integer of `bits`: ctypes would truncate one out of range silently"""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{what} takes an int, got {value!r}")
    if not 0 <= value < 1 << bits:
        raise InvalidArgument(f"{what} {value} does not fit in {bits} bits")
    return value


def _opts_from_kwargs(kwargs):
    """struct xnvme_opts from keyword arguments named as its fields (`async_` or `async`)"""
    opts = lib.xnvme_opts_default()
    keep = []  # the encoded strings must outlive the device that points at them
    types = {f[0].rstrip("_"): f[1] for f in S.Opts._fields_}
    for key, value in kwargs.items():
        key = "async" if key == "async_" else key  # the keyword-safe spelling
        if key not in types or key == "css":
            raise TypeError(f"unknown option {key!r}; known: {', '.join(sorted(types))}")
        field = "async_" if key == "async" else key
        if types[key] is ctypes.c_char_p:
            if value is not None and not isinstance(value, str):
                raise InvalidArgument(f"option {key} takes a str, got {value!r}")
            value = value.encode() if value is not None else None
            keep.append(value)
        else:
            value = _uint(int(value) if isinstance(value, bool) else value,
                          ctypes.sizeof(types[key]) * 8, f"option {key}")
        setattr(opts, field, value)
    return opts, keep


def _check_buffer(buf, nbytes, offset, what):
    if not isinstance(buf, Buffer):
        raise InvalidArgument(f"{what}: buffers come from Device.buffer(), got {type(buf)}")
    if offset < 0 or offset + nbytes > len(buf):
        raise InvalidArgument(f"{what}: {nbytes} bytes at offset {offset} do not fit in a "
                              f"buffer of {len(buf)}")
    return buf.address + offset


def _check_blocks(slba, count, what):
    if _uint(count, 32, f"{what}: count") == 0 or count > MAX_BLOCKS:
        raise InvalidArgument(f"{what}: count must be 1..{MAX_BLOCKS} blocks, got {count}")
    _uint(slba, 64, f"{what}: slba")


def _pass_buffers(dbuf, mbuf):
    """(data pointer, its length, metadata pointer, its length) of cmd_pass's whole buffers"""
    dptr = _check_buffer(dbuf, 0, 0, "cmd_pass data") if dbuf is not None else None
    mptr = _check_buffer(mbuf, 0, 0, "cmd_pass metadata") if mbuf is not None else None
    return dptr, len(dbuf) if dbuf is not None else 0, mptr, len(mbuf) if mbuf is not None else 0


class Device:
    """An NVMe device or file opened through libxnvme.

    Keyword arguments are the fields of struct xnvme_opts (be, mem, sync, async_, admin, nsid,
    rdonly, wronly, rdwr, create, truncate, direct, create_mode, poll_io, ...); `async_` is C's
    `async`, a Python keyword."""

    def __init__(self, uri, **opts):
        self._handle = None
        self._buffers = weakref.WeakSet()
        # Held until terminated: a queue collected with commands in flight would free the
        # trampoline its completions still call
        self._queues = set()
        self.uri = uri
        self._opts, self._keep = _opts_from_kwargs(opts)
        if not isinstance(uri, str) or not uri:
            raise InvalidArgument(f"device identifier must be a non-empty str, got {uri!r}")
        handle = lib.xnvme_dev_open(uri.encode(), ctypes.byref(self._opts))
        if not handle:
            num = ctypes.get_errno() or 5
            why = lib.xnvme_dev_open_err_msg()
            why = why.decode(errors="replace") if why else os.strerror(num)
            raise XnvmeError(num, f"xnvme_dev_open({uri!r}): {why}")
        self._handle = handle

    # --- life cycle ---

    def _handle_or_raise(self):
        if not self._handle:
            raise DeviceClosedError(f"device {self.uri!r} is closed")
        return self._handle

    @property
    def closed(self):
        return not self._handle

    def close(self):
        """Terminates its queues (their outstanding commands complete, callbacks run), frees its
        buffers, closes the device; then raises what a callback raised, if one did. BufferError
        (and the device stays open) while a memoryview of one of its buffers exists."""
        if not self._handle:
            return
        for buf in list(self._buffers):
            if buf._exported():
                raise BufferError(f"cannot close {self.uri!r}: a memoryview of {buf!r} exists")
        failure = None
        for queue in list(self._queues):
            try:
                queue.term()
            except Exception as exc:  # a callback's: the device is closed all the same
                failure = failure or exc
        for buf in list(self._buffers):
            buf.free()
        handle, self._handle = self._handle, None
        lib.xnvme_dev_close(handle)
        if failure:
            raise failure

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_handle", None):
            try:
                self.close()
            except BufferError:
                pass  # its buffers' views still live: leaked rather than freed under them

    def __repr__(self):
        return f"<xnvme.Device {self.uri!r}{' closed' if self.closed else ''}>"

    # --- what the library knows about the device ---

    @property
    def geo(self):
        """struct xnvme_geo (a copy)"""
        return S.Geo.from_buffer_copy(lib.xnvme_dev_get_geo(self._handle_or_raise()).contents)

    @property
    def ident(self):
        return S.Ident.from_buffer_copy(lib.xnvme_dev_get_ident(self._handle_or_raise()).contents)

    @property
    def opts(self):
        """The options the device was opened with, as the backends resolved them (a dict)"""
        return S.to_dict(lib.xnvme_dev_get_opts(self._handle_or_raise()).contents)

    @property
    def ctrlr(self):
        """Identify controller as the library read it at open (a copy)"""
        return S.IdfyCtrlr.from_buffer_copy(
            lib.xnvme_dev_get_ctrlr(self._handle_or_raise()).contents)

    @property
    def ns(self):
        """Identify namespace as the library read it at open (a copy)"""
        return S.IdfyNs.from_buffer_copy(lib.xnvme_dev_get_ns(self._handle_or_raise()).contents)

    @property
    def nsid(self):
        return lib.xnvme_dev_get_nsid(self._handle_or_raise())

    @property
    def csi(self):
        return lib.xnvme_dev_get_csi(self._handle_or_raise())

    @property
    def be_name(self):
        return lib.xnvme_dev_get_be_name(self._handle_or_raise()).decode()

    def info(self):
        """The library's own YAML description of the device (xnvme_dev_fpr)"""
        return capture(lib.xnvme_dev_fpr, self._handle_or_raise(), PR_DEF)

    # --- buffers and commands ---

    def buffer(self, nbytes):
        """A Buffer of nbytes from xnvme_buf_alloc"""
        return Buffer(self, nbytes)

    def _ctx(self):
        return lib.xnvme_cmd_ctx_from_dev(self._handle_or_raise())

    def _blocks(self, slba, count, what):
        _check_blocks(slba, count, what)
        return count * self.geo.lba_nbytes

    def read(self, slba, count, buf, offset=0):
        """Reads `count` logical blocks from `slba` into buf[offset:]"""
        what = f"read slba={slba} count={count}"
        ptr = _check_buffer(buf, self._blocks(slba, count, what), offset, what)
        ctx = self._ctx()
        check_cmd(lib.xnvme_nvm_read(ctx, self.nsid, slba, count - 1, ptr, None), ctx, what)

    def write(self, slba, count, buf, offset=0):
        """Writes `count` logical blocks at `slba` from buf[offset:]"""
        what = f"write slba={slba} count={count}"
        ptr = _check_buffer(buf, self._blocks(slba, count, what), offset, what)
        ctx = self._ctx()
        check_cmd(lib.xnvme_nvm_write(ctx, self.nsid, slba, count - 1, ptr, None), ctx, what)

    def write_zeroes(self, slba, count):
        what = f"write zeroes slba={slba} count={count}"
        self._blocks(slba, count, what)
        ctx = self._ctx()
        check_cmd(lib.xnvme_nvm_write_zeroes(ctx, self.nsid, slba, count - 1), ctx, what)

    def flush(self):
        ctx = self._ctx()
        check_cmd(lib.xnvme_nvm_flush(ctx, self.nsid), ctx, "flush")

    def identify_ctrlr(self):
        """Sends Identify (CNS 01h): a fresh IdfyCtrlr"""
        with self.buffer(ctypes.sizeof(S.Idfy)) as buf:
            ctx = self._ctx()
            idfy = S.Idfy.from_address(buf.address)
            check_cmd(lib.xnvme_adm_idfy_ctrlr(ctx, idfy), ctx, "identify controller")
            return S.IdfyCtrlr.from_buffer_copy(idfy.ctrlr)

    def identify_ns(self, nsid=None):
        """Sends Identify (CNS 00h) for nsid (default: the device's): a fresh IdfyNs"""
        nsid = self.nsid if nsid is None else _uint(nsid, 32, "nsid")
        with self.buffer(ctypes.sizeof(S.Idfy)) as buf:
            ctx = self._ctx()
            idfy = S.Idfy.from_address(buf.address)
            check_cmd(lib.xnvme_adm_idfy_ns(ctx, nsid, idfy), ctx, f"identify ns {nsid}")
            return S.IdfyNs.from_buffer_copy(idfy.ns)

    def log_page(self, lid, nbytes, nsid=0xFFFFFFFF, lsp=0, offset=0, rae=0):
        """Get Log Page: `nbytes` of log `lid` as bytes"""
        for value, bits, name in ((lid, 8, "lid"), (nbytes, 32, "nbytes"), (nsid, 32, "nsid"),
                                  (lsp, 8, "lsp"), (offset, 64, "offset"), (rae, 8, "rae")):
            _uint(value, bits, f"log page {name}")
        with self.buffer(nbytes) as buf:
            ctx = self._ctx()
            check_cmd(lib.xnvme_adm_log(ctx, lid, lsp, offset, nsid, rae, buf.address, nbytes),
                      ctx, f"get log page 0x{lid:02x}")
            return bytes(buf)

    def health_log(self):
        """The SMART / health information log (02h) as a HealthLog"""
        return S.HealthLog.from_buffer_copy(self.log_page(0x02, ctypes.sizeof(S.HealthLog)))

    def cmd_pass(self, cmd, dbuf=None, mbuf=None, admin=False):
        """Passes a raw S.Cmd (xnvme_cmd_pass, or xnvme_cmd_pass_admin with admin=True) with
        the whole of dbuf / mbuf; returns the completion (S.Cpl)."""
        if not isinstance(cmd, S.Cmd):
            raise InvalidArgument(f"cmd_pass takes an xnvme.Cmd, got {type(cmd)}")
        buffers = _pass_buffers(dbuf, mbuf)
        ctx = self._ctx()
        ctx.cmd = cmd
        fn = lib.xnvme_cmd_pass_admin if admin else lib.xnvme_cmd_pass
        err = fn(ctx, *buffers)
        check_cmd(err, ctx, f"passthrough opcode 0x{cmd.common.opcode:02x}")
        return S.Cpl.from_buffer_copy(ctx.cpl)

    def queue(self, capacity=32, flags=0):
        """A Queue of this device (xnvme_queue_init)"""
        from .queue import Queue
        return Queue(self, capacity, flags)


def _enum_entry(handle):
    ident = lib.xnvme_dev_get_ident(handle).contents
    ctrlr = lib.xnvme_dev_get_ctrlr(handle).contents
    entry = {"uri": ident.uri.decode(errors="replace"), "dtype": ident.dtype,
             "nsid": ident.nsid, "csi": ident.csi,
             "be": lib.xnvme_dev_get_be_name(handle).decode(),
             "subnqn": ident.subnqn.decode(errors="replace")}
    for key in ("mn", "sn", "fr"):
        entry[key] = S.to_dict(getattr(ctrlr, key))
    return entry


def enumerate_devices(sys_uri=None, **opts):
    """The devices the backends find (xnvme_enumerate), each as the CLI's `enum` lists it: a dict
    of uri, dtype, nsid, csi, be, subnqn, mn, sn, fr. sys_uri names a remote system (NVMe/TCP
    discovery: "HOST:PORT"); keyword arguments are struct xnvme_opts fields."""
    c_opts, keep = _opts_from_kwargs(opts)
    found, failures = [], []

    def on_device(handle, _arg):
        try:
            found.append(_enum_entry(handle))
        except BaseException as exc:  # noqa: B036: raised again once the C call returned
            failures.append(exc)
        return ENUMERATE_DEV_CLOSE

    callback = ENUMERATE_CB(on_device)
    err = lib.xnvme_enumerate(sys_uri.encode() if sys_uri else None, ctypes.byref(c_opts),
                              callback, None)
    del keep
    if failures:
        raise failures[0]
    check(err, f"xnvme_enumerate({sys_uri!r})")
    return found
