"""Queue: asynchronous commands completed through Python callbacks.

Each command takes a command context from the queue (xnvme_queue_get_cmd_ctx); one C trampoline,
kept alive as long as the queue, returns the context (xnvme_queue_put_cmd_ctx) and calls the
command's Python callback from poke(), wait() or drain(); a callback may submit more commands. The
buffer of a command in flight is kept referenced until it completes. An exception raised by a
callback cannot cross the C frames: it is kept and raised again by the poke(), wait(), drain() or
term() that ran the callback (the first one; later ones are attached to it as notes). A failed
completion without a callback raises the same way, so no failure is silent.
"""
import ctypes
import errno

from . import structs as S
from ._lib import QUEUE_CB, lib
from .device import _check_blocks, _check_buffer, _pass_buffers, _uint
from .errors import (
    DeviceClosedError,
    InvalidArgument,
    NvmeStatusError,
    XnvmeError,
    check,
    check_cmd,
)

QUEUE_IOPOLL, QUEUE_SQPOLL = 0x1, 0x2
QUEUE_CAPACITY_MAX = 4096


class Completion:
    """What a callback receives: the completion entry (a copy), what was asked and the tag"""

    __slots__ = ("cpl", "what", "tag")

    def __init__(self, cpl, what, tag):
        self.cpl, self.what, self.tag = cpl, what, tag

    @property
    def ok(self):
        return not (self.cpl.status.sc or self.cpl.status.sct)

    @property
    def sct(self):
        return self.cpl.status.sct

    @property
    def sc(self):
        return self.cpl.status.sc

    @property
    def result(self):
        """Completion dwords 0-1 (command specific)"""
        return self.cpl.result

    def error(self):
        """NvmeStatusError for a failed completion, None for a good one"""
        return None if self.ok else NvmeStatusError.from_cpl(self.what, self.cpl)

    def raise_for_status(self):
        if not self.ok:
            raise self.error()


class Queue:
    def __init__(self, dev, capacity=32, flags=0):
        self._queue = None
        if _uint(capacity, 16, "queue capacity") == 0:
            raise InvalidArgument(f"queue capacity {capacity} out of range")
        handle = ctypes.c_void_p()
        check(lib.xnvme_queue_init(dev._handle_or_raise(), capacity, flags,
                                   ctypes.byref(handle)), f"xnvme_queue_init({capacity})")
        self._dev, self._queue = dev, handle.value
        self._inflight = {}  # context address -> (callback, tag, what, buffers kept alive)
        self._failures = []
        self._trampoline = QUEUE_CB(self._on_complete)
        self._trampoline_addr = ctypes.cast(self._trampoline, ctypes.c_void_p).value
        dev._queues.add(self)

    def _live(self):
        if not self._queue:
            raise DeviceClosedError("queue is terminated")
        return self._queue

    @property
    def capacity(self):
        return lib.xnvme_queue_get_capacity(self._live())

    @property
    def outstanding(self):
        return lib.xnvme_queue_get_outstanding(self._live())

    # --- completions ---

    def _on_complete(self, ctxp, _cb_arg):
        ctx = ctxp.contents
        entry = self._inflight.pop(ctypes.addressof(ctx), None)
        cpl = S.Cpl.from_buffer_copy(ctx.cpl)
        # Back to the queue before the callback runs, so a callback may submit the next command
        lib.xnvme_queue_put_cmd_ctx(self._queue, ctxp)
        try:
            if entry is None:
                raise XnvmeError(errno.EPROTO, "completion of a context this queue never gave")
            callback, tag, what, _buffers = entry
            done = Completion(cpl, what, tag)
            if callback is not None:
                callback(done)
            else:
                done.raise_for_status()
        except BaseException as exc:  # noqa: B036: raised again by the caller of poke/wait
            self._failures.append(exc)

    def _reraise(self, err, what):
        if self._failures:
            first, *rest = self._failures
            self._failures = []
            notes = [f"another callback raised too: {other!r}" for other in rest]
            if err < 0:
                notes.append(f"{what} itself returned {err}")
            for note in notes if hasattr(first, "add_note") else ():  # Python 3.11+
                first.add_note(note)
            raise first
        return check(err, what)

    def poke(self, max_completions=0):
        """Reaps up to max_completions (0: all ready); returns how many"""
        _uint(max_completions, 32, "poke: max_completions")
        return self._reraise(lib.xnvme_queue_poke(self._live(), max_completions), "poke")

    def wait(self):
        """Waits for at least one completion (none outstanding: returns 0); returns how many"""
        return self._reraise(lib.xnvme_queue_wait(self._live()), "wait")

    def drain(self):
        """Waits until nothing is outstanding; returns how many completed"""
        return self._reraise(lib.xnvme_queue_drain(self._live()), "drain")

    def term(self):
        """Completes what is outstanding (callbacks run), then terminates the queue"""
        if not self._queue:
            return
        err = lib.xnvme_queue_drain(self._queue) if self.outstanding else 0
        err = min(err, 0)
        term_err = lib.xnvme_queue_term(self._queue)
        self._queue = None
        self._dev._queues.discard(self)
        self._inflight.clear()
        self._reraise(err if err < 0 else term_err, "term")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.term()

    # --- submissions ---

    def _submit(self, what, callback, tag, buffers, submit):
        queue = self._live()
        ctxp = lib.xnvme_queue_get_cmd_ctx(queue)
        if not ctxp:
            raise XnvmeError(errno.EBUSY, f"{what}: no free command context (queue full)")
        ctx = ctxp.contents
        ctx.async_.cb = self._trampoline_addr
        ctx.async_.cb_arg = None
        key = ctypes.addressof(ctx)
        self._inflight[key] = (callback, tag, what, buffers)
        err = submit(ctxp)
        if err < 0 and self._inflight.pop(key, None) is not None:
            try:
                check_cmd(err, ctx, what)
            finally:
                lib.xnvme_queue_put_cmd_ctx(queue, ctxp)

    def _io(self, fn, name, slba, count, buf, offset, callback, tag):
        what = f"{name} slba={slba} count={count}"
        _check_blocks(slba, count, what)
        ptr = _check_buffer(buf, count * self._dev.geo.lba_nbytes, offset, what)
        nsid = self._dev.nsid
        self._submit(what, callback, tag, (buf,),
                     lambda ctxp: fn(ctxp, nsid, slba, count - 1, ptr, None))

    def read(self, slba, count, buf, callback=None, tag=None, offset=0):
        """Submits a read of `count` blocks into buf[offset:]; callback(Completion) later"""
        self._io(lib.xnvme_nvm_read, "read", slba, count, buf, offset, callback, tag)

    def write(self, slba, count, buf, callback=None, tag=None, offset=0):
        """Submits a write of `count` blocks from buf[offset:]; callback(Completion) later"""
        self._io(lib.xnvme_nvm_write, "write", slba, count, buf, offset, callback, tag)

    def write_zeroes(self, slba, count, callback=None, tag=None):
        what = f"write zeroes slba={slba} count={count}"
        _check_blocks(slba, count, what)
        nsid = self._dev.nsid
        self._submit(what, callback, tag, (),
                     lambda ctxp: lib.xnvme_nvm_write_zeroes(ctxp, nsid, slba, count - 1))

    def cmd_pass(self, cmd, dbuf=None, mbuf=None, callback=None, tag=None):
        """Submits a raw S.Cmd with the whole of dbuf / mbuf (xnvme_cmd_pass)"""
        if not isinstance(cmd, S.Cmd):
            raise InvalidArgument(f"cmd_pass takes an xnvme.Cmd, got {type(cmd)}")
        buffers = _pass_buffers(dbuf, mbuf)

        def submit(ctxp):
            ctxp.contents.cmd = cmd
            return lib.xnvme_cmd_pass(ctxp, *buffers)

        self._submit(f"passthrough opcode 0x{cmd.common.opcode:02x}", callback, tag,
                     (dbuf, mbuf), submit)
