"""Queues: QD 32 with Python callbacks, exceptions raised in callbacks, failed completions"""
import gc
import os

import pytest

import xnvme

QD = 32
NLB = 8  # blocks per command


def test_qd32_write_then_read_with_callbacks(uri):
    with xnvme.Device(uri) as dev:
        chunk = NLB * dev.geo.lba_nbytes
        payload = os.urandom(QD * chunk)
        wbuf, rbuf = dev.buffer(len(payload)), dev.buffer(len(payload))
        wbuf[:] = payload
        done = []
        with dev.queue(QD) as queue:
            assert queue.capacity == QD
            for i in range(QD):
                queue.write(i * NLB, NLB, wbuf, offset=i * chunk, tag=i,
                            callback=lambda c: done.append((c.tag, c.ok)))
            # all 32 in flight at once: submitted before any was reaped
            assert queue.outstanding + len(done) == QD and len(done) == 0
            queue.drain()
            assert sorted(done) == [(i, True) for i in range(QD)]
            done.clear()
            for i in range(QD):
                queue.read(i * NLB, NLB, rbuf, offset=i * chunk, tag=i,
                           callback=lambda c: done.append(c.tag))
            reaped = 0
            while reaped < QD:
                reaped += queue.poke() or queue.wait()
            assert sorted(done) == list(range(QD)) and queue.outstanding == 0
        assert bytes(rbuf) == payload


class Boom(Exception):
    pass


def test_exception_in_callback_is_raised_by_poke_and_not_lost(uri):
    with xnvme.Device(uri) as dev:
        buf = dev.buffer(512)
        ran = []

        def explode(done):
            ran.append(done.tag)
            raise Boom(f"callback of command {done.tag}")

        with dev.queue(8) as queue:
            queue.write(0, 1, buf, callback=lambda c: ran.append(c.tag), tag="fine")
            queue.write(1, 1, buf, callback=explode, tag="first")
            queue.write(2, 1, buf, callback=explode, tag="second")
            with pytest.raises(Boom) as caught:
                queue.drain()
            assert sorted(ran) == ["fine", "first", "second"]  # the others still ran
            notes = getattr(caught.value, "__notes__", [])
            assert len(notes) == 1 and "another callback raised" in notes[0]
            assert queue.outstanding == 0
            # the queue stays usable, and a raise is reported once, not again
            queue.write(3, 1, buf, callback=lambda c: ran.append(c.tag), tag="after")
            assert queue.drain() == 1 and ran[-1] == "after"


def test_failed_command_raises_with_status(uri):
    with xnvme.Device(uri) as dev:
        buf = dev.buffer(512)
        beyond = dev.geo.nsect
        with dev.queue(4) as queue:
            seen = []
            # Rejected at submission or at completion, either way with the NVMe status
            with pytest.raises(xnvme.NvmeStatusError) as caught:
                queue.read(beyond, 1, buf)
                queue.drain()
            assert (caught.value.sct, caught.value.sc) == (0x0, 0x80)  # LBA out of range
            try:
                queue.read(beyond, 1, buf, callback=seen.append)
                queue.drain()
                assert len(seen) == 1 and not seen[0].ok and seen[0].sc == 0x80
                assert isinstance(seen[0].error(), xnvme.NvmeStatusError)
            except xnvme.NvmeStatusError as exc:
                assert exc.sc == 0x80


def test_queue_bad_input(uri):
    with xnvme.Device(uri) as dev:
        with pytest.raises(xnvme.XnvmeError) as caught:
            dev.queue(3)  # not a power of two: the library refuses
        assert caught.value.errno == 22
        buf = dev.buffer(512)
        queue = dev.queue(2)
        with pytest.raises(xnvme.InvalidArgument):
            queue.write(0, 2, buf)
        queue.term()
        with pytest.raises(xnvme.DeviceClosedError):
            queue.write(0, 1, buf)
        # closing the device terminates its queues, running what was outstanding
        queue2 = dev.queue(4)
        ran = []
        queue2.write(0, 1, buf, callback=ran.append)
    assert len(ran) == 1 and ran[0].ok
    with pytest.raises(xnvme.DeviceClosedError):
        queue2.poke()


def test_callback_submits_the_next_command(uri):
    """A full queue of 1: the callback can only submit because its context was given back"""
    with xnvme.Device(uri) as dev:
        buf = dev.buffer(512)
        buf.fill(0x5A)
        order = []
        with dev.queue(1) as queue:
            def chain(done):
                order.append(done.tag)
                if done.tag < 9:
                    queue.write(done.tag + 1, 1, buf, callback=chain, tag=done.tag + 1)

            queue.write(0, 1, buf, callback=chain, tag=0)
            while queue.outstanding:
                queue.wait()
        assert order == list(range(10))
        rbuf = dev.buffer(10 * 512)
        dev.read(0, 10, rbuf)
        assert bytes(rbuf) == b"\x5a" * 5120


def test_close_runs_outstanding_callbacks_and_raises_theirs(uri):
    dev = xnvme.Device(uri)
    buf = dev.buffer(512)
    queue = dev.queue(4)
    queue.write(0, 1, buf, callback=lambda done: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        dev.close()
    assert dev.closed and buf.freed


def test_a_dropped_queue_still_completes_its_commands(uri):
    dev = xnvme.Device(uri)
    buf = dev.buffer(512)
    ran = []
    queue = dev.queue(4)
    queue.write(0, 1, buf, callback=ran.append)
    del queue
    gc.collect()  # the device keeps it, and with it the C trampoline, until it is terminated
    dev.close()
    assert len(ran) == 1 and ran[0].ok
