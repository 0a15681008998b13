"""Buffers from xnvme_buf_alloc: memory the device's backend can transfer to and from.

A Buffer shares its memory through memoryviews (`buf.view()`, and `memoryview(buf)` on Python
3.12+). Like mmap, it refuses to be freed while a view of it exists (BufferError), so no view ever
points to freed memory; it is freed by free(), by its device's close(), or when it is collected.
"""
import ctypes
import sys

from ._lib import lib
from .errors import DeviceClosedError, InvalidArgument, XnvmeError


class Buffer:
    def __init__(self, dev, nbytes):
        nbytes = int(nbytes)
        if nbytes <= 0:
            raise InvalidArgument(f"buffer size must be positive, got {nbytes}")
        handle = dev._handle_or_raise()
        ptr = lib.xnvme_buf_alloc(handle, nbytes)
        if not ptr:
            raise XnvmeError(ctypes.get_errno() or 12, f"xnvme_buf_alloc({nbytes}) failed")
        self._dev, self._ptr, self._nbytes = dev, ptr, nbytes
        self._mem = (ctypes.c_uint8 * nbytes).from_address(ptr)
        # The memory and its Buffer live and die together: a view keeps both alive
        self._mem._owner = self
        dev._buffers.add(self)

    @property
    def address(self):
        """The buffer's virtual address (what the C functions take)"""
        self._live()
        return self._ptr

    @property
    def freed(self):
        return self._ptr is None

    def __len__(self):
        return self._nbytes

    def _live(self):
        if self._ptr is None:
            raise DeviceClosedError("buffer already freed")
        return self._mem

    def view(self):
        """A writable memoryview of the whole buffer (format 'B')"""
        return memoryview(self._live()).cast("B")

    def __buffer__(self, flags):
        """memoryview(buf) on Python 3.12+ (PEP 688)"""
        return self.view()

    def __getitem__(self, key):
        with self.view() as view:
            return view[key] if isinstance(key, int) else bytes(view[key])

    def __setitem__(self, key, value):
        with self.view() as view:
            view[key] = value

    def __bytes__(self):
        return ctypes.string_at(self.address, self._nbytes)

    def fill(self, data):
        """Repeats `data` (bytes, or an int byte value) over the whole buffer"""
        pattern = bytes([data]) if isinstance(data, int) else bytes(data)
        reps = -(-self._nbytes // len(pattern))
        ctypes.memmove(self.address, (pattern * reps)[: self._nbytes], self._nbytes)

    def _exported(self):
        # References to the memory: ours, getrefcount's argument, one per live view
        return self._mem is not None and sys.getrefcount(self._mem) > 2

    def free(self):
        """Returns the memory to the library; BufferError while a view of it exists"""
        if self._ptr is None:
            return
        if self._exported():
            raise BufferError("cannot free a buffer while memoryviews of it exist")
        self._mem._owner = None
        self._mem = None
        ptr, self._ptr = self._ptr, None
        self._dev._buffers.discard(self)
        lib.xnvme_buf_free(self._dev._handle, ptr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.free()

    def __del__(self):
        if getattr(self, "_ptr", None) is not None and self._dev._handle:
            self._mem = None
            lib.xnvme_buf_free(self._dev._handle, self._ptr)
            self._ptr = None

    def __repr__(self):
        state = "freed" if self._ptr is None else f"0x{self._ptr:x}"
        return f"<xnvme.Buffer {self._nbytes} bytes at {state}>"
