"""Loads libxnvme.so.0 and declares the C functions the package calls.

XNVME_LIBRARY (a path) wins; otherwise the dynamic loader's search (LD_LIBRARY_PATH, the ld.so
cache) for the soname, then ctypes.util.find_library. `path` is the file actually loaded, read back
from the loader (dladdr), so a test can tell which library it ran against.
"""
import ctypes
import ctypes.util
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_int,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)

from . import structs as S

SONAME = "libxnvme.so.0"


def _open():
    given = os.environ.get("XNVME_LIBRARY")
    if given:
        return ctypes.CDLL(given, use_errno=True)
    try:
        return ctypes.CDLL(SONAME, use_errno=True)
    except OSError as first:
        found = ctypes.util.find_library("xnvme")
        if not found:
            raise OSError(f"{SONAME} not found: install the library, set LD_LIBRARY_PATH, or "
                          f"set XNVME_LIBRARY to its path ({first})") from None
        return ctypes.CDLL(found, use_errno=True)


lib = _open()
libc = ctypes.CDLL(None, use_errno=True)


class _DlInfo(Structure):
    _fields_ = [("dli_fname", c_char_p), ("dli_fbase", c_void_p), ("dli_sname", c_char_p),
                ("dli_saddr", c_void_p)]


def _loaded_path():
    info = _DlInfo()
    libc.dladdr.argtypes = [c_void_p, POINTER(_DlInfo)]
    if libc.dladdr(ctypes.cast(lib.xnvme_ver_major, c_void_p), ctypes.byref(info)) and \
            info.dli_fname:
        return os.path.realpath(info.dli_fname.decode())
    return lib._name


path = _loaded_path()

# void (*xnvme_queue_cb)(struct xnvme_cmd_ctx *ctx, void *opaque)
QUEUE_CB = CFUNCTYPE(None, POINTER(S.CmdCtx), c_void_p)
# int (*xnvme_enumerate_cb)(struct xnvme_dev *dev, void *cb_args)
ENUMERATE_CB = CFUNCTYPE(c_int, c_void_p, c_void_p)

_CTX = POINTER(S.CmdCtx)
_PROTOTYPES = {
    # name: (restype, argtypes)
    "xnvme_ver_major": (c_int, []),
    "xnvme_ver_minor": (c_int, []),
    "xnvme_ver_patch": (c_int, []),
    "xnvme_opts_default": (S.Opts, []),
    "xnvme_dev_open": (c_void_p, [c_char_p, POINTER(S.Opts)]),
    "xnvme_dev_open_err_msg": (c_char_p, []),
    "xnvme_dev_close": (None, [c_void_p]),
    "xnvme_dev_get_geo": (POINTER(S.Geo), [c_void_p]),
    "xnvme_dev_get_ident": (POINTER(S.Ident), [c_void_p]),
    "xnvme_dev_get_opts": (POINTER(S.Opts), [c_void_p]),
    "xnvme_dev_get_ctrlr": (POINTER(S.IdfyCtrlr), [c_void_p]),
    "xnvme_dev_get_ns": (POINTER(S.IdfyNs), [c_void_p]),
    "xnvme_dev_get_nsid": (c_uint32, [c_void_p]),
    "xnvme_dev_get_csi": (c_uint8, [c_void_p]),
    "xnvme_dev_get_be_name": (c_char_p, [c_void_p]),
    "xnvme_dev_fpr": (c_int, [c_void_p, c_void_p, c_int]),
    "xnvme_spec_idfy_ctrlr_fpr": (c_int, [c_void_p, POINTER(S.IdfyCtrlr), c_int]),
    "xnvme_spec_idfy_ns_fpr": (c_int, [c_void_p, POINTER(S.IdfyNs), c_int]),
    "xnvme_enumerate": (c_int, [c_char_p, POINTER(S.Opts), ENUMERATE_CB, c_void_p]),
    "xnvme_buf_alloc": (c_void_p, [c_void_p, c_size_t]),
    "xnvme_buf_free": (None, [c_void_p, c_void_p]),
    "xnvme_cmd_ctx_from_dev": (S.CmdCtx, [c_void_p]),
    "xnvme_cmd_pass": (c_int, [_CTX, c_void_p, c_size_t, c_void_p, c_size_t]),
    "xnvme_cmd_pass_admin": (c_int, [_CTX, c_void_p, c_size_t, c_void_p, c_size_t]),
    "xnvme_nvm_read": (c_int, [_CTX, c_uint32, c_uint64, c_uint16, c_void_p, c_void_p]),
    "xnvme_nvm_write": (c_int, [_CTX, c_uint32, c_uint64, c_uint16, c_void_p, c_void_p]),
    "xnvme_nvm_write_zeroes": (c_int, [_CTX, c_uint32, c_uint64, c_uint16]),
    "xnvme_nvm_flush": (c_int, [_CTX, c_uint32]),
    "xnvme_adm_idfy_ctrlr": (c_int, [_CTX, POINTER(S.Idfy)]),
    "xnvme_adm_idfy_ns": (c_int, [_CTX, c_uint32, POINTER(S.Idfy)]),
    "xnvme_adm_log": (c_int, [_CTX, c_uint8, c_uint8, c_uint64, c_uint32, c_uint8, c_void_p,
                              c_uint32]),
    "xnvme_queue_init": (c_int, [c_void_p, c_uint16, c_int, POINTER(c_void_p)]),
    "xnvme_queue_term": (c_int, [c_void_p]),
    "xnvme_queue_get_cmd_ctx": (_CTX, [c_void_p]),
    "xnvme_queue_put_cmd_ctx": (c_int, [c_void_p, _CTX]),
    "xnvme_queue_get_capacity": (c_uint32, [c_void_p]),
    "xnvme_queue_get_outstanding": (c_uint32, [c_void_p]),
    "xnvme_queue_poke": (c_int, [c_void_p, c_uint32]),
    "xnvme_queue_wait": (c_int, [c_void_p]),
    "xnvme_queue_drain": (c_int, [c_void_p]),
}
for _name, (_res, _args) in _PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype, _fn.argtypes = _res, _args

for _name, _res, _args in (("open_memstream", c_void_p, [POINTER(c_void_p), POINTER(c_size_t)]),
                           ("fclose", c_int, [c_void_p]), ("free", None, [c_void_p])):
    _fn = getattr(libc, _name)
    _fn.restype, _fn.argtypes = _res, _args


def version():
    """The library's version as (major, minor, patch)"""
    return lib.xnvme_ver_major(), lib.xnvme_ver_minor(), lib.xnvme_ver_patch()


def capture(printer, *args):
    """What one of the library's printers (`*_fpr(FILE *, ...)`) writes, as a str"""
    buf, size = c_void_p(), c_size_t()
    stream = libc.open_memstream(ctypes.byref(buf), ctypes.byref(size))
    if not stream:
        raise OSError(ctypes.get_errno(), "open_memstream failed")
    try:
        printer(stream, *args)
    finally:
        libc.fclose(stream)
    try:
        return ctypes.string_at(buf, size.value).decode("utf-8", "replace")
    finally:
        libc.free(buf)
