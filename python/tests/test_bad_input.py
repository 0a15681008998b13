"""Bad input raises the right error, never a crash, hang or silent wrong value"""
import errno

import pytest

import xnvme
from conftest import TARGETS


def test_bad_identifiers(tmp_path):
    with pytest.raises(xnvme.XnvmeError) as caught:
        xnvme.Device("ramdisk:nonsense")
    assert caught.value.errno > 0 and "ramdisk:nonsense" in str(caught.value)
    with pytest.raises(xnvme.XnvmeError) as caught:
        xnvme.Device(str(tmp_path / "does-not-exist"))
    # the file backend says the file is missing; without it no backend claims a path
    assert caught.value.errno == (errno.ENOENT if "file" in TARGETS else errno.ENXIO)
    with pytest.raises(xnvme.InvalidArgument):
        xnvme.Device("")


def test_bad_options(file_uri):
    with pytest.raises(TypeError):
        xnvme.Device(file_uri, no_such_option=1)
    with pytest.raises(xnvme.InvalidArgument):
        xnvme.Device(file_uri, be=3)
    with pytest.raises(xnvme.XnvmeError):
        xnvme.Device(file_uri, be="no-such-backend")
    for bad in ({"nsid": 1 << 32}, {"rdonly": 256}, {"nsid": -1}, {"direct": 1.0}):
        with pytest.raises(xnvme.InvalidArgument):  # never truncated into another value
            xnvme.Device(file_uri, **bad)


def test_block_counts_out_of_range(uri):
    with xnvme.Device(uri) as dev:
        buf = dev.buffer(512)
        for count in (0, -1, xnvme.MAX_BLOCKS + 1):
            with pytest.raises(xnvme.InvalidArgument):
                dev.read(0, count, buf)
        for slba in (-1, 1 << 64, 0.5):
            with pytest.raises(xnvme.InvalidArgument):
                dev.write(slba, 1, buf)
        with pytest.raises(xnvme.InvalidArgument):
            dev.identify_ns(1 << 32)
        with pytest.raises(xnvme.InvalidArgument):
            dev.log_page(0x100, 512)
        with pytest.raises(xnvme.NvmeStatusError) as caught:
            dev.read(dev.geo.nsect, 1, buf)  # one past the end
        assert (caught.value.sct, caught.value.sc) == (0, 0x80)
        with pytest.raises(xnvme.NvmeStatusError):
            dev.write_zeroes(dev.geo.nsect - 1, 2)  # runs past the end


def test_buffer_too_small_or_not_a_buffer(uri):
    with xnvme.Device(uri) as dev:
        buf = dev.buffer(1024)
        with pytest.raises(xnvme.InvalidArgument) as caught:
            dev.read(0, 3, buf)
        assert isinstance(caught.value, ValueError) and caught.value.errno == errno.EINVAL
        with pytest.raises(xnvme.InvalidArgument):
            dev.write(0, 2, buf, offset=1)
        with pytest.raises(xnvme.InvalidArgument):
            dev.write(0, 1, bytearray(512))
        with pytest.raises(xnvme.InvalidArgument):
            dev.buffer(0)


def test_closed_device_and_freed_buffer(uri):
    dev = xnvme.Device(uri)
    buf = dev.buffer(512)
    view = buf.view()
    with pytest.raises(BufferError):
        buf.free()  # a view of it exists
    with pytest.raises(BufferError):
        dev.close()  # and the device will not free it under the view either
    assert not dev.closed
    view.release()
    dev.close()
    assert buf.freed
    for use in (lambda: dev.geo, lambda: dev.read(0, 1, buf), lambda: dev.buffer(512),
                lambda: dev.queue(4), lambda: buf.view(), lambda: dev.identify_ns()):
        with pytest.raises(xnvme.DeviceClosedError) as caught:
            use()
        assert caught.value.errno == errno.EBADF
