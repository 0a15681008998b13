#!/usr/bin/env python3
"""Open a device, identify it, write + read back + verify synchronously, then the same through a
queue with callbacks. Usage: xnvme_io.py [URI] [--async NAME]   (default URI: ramdisk:64MiB)
Exit status 0 when every block read back is what was written."""
import argparse
import os
import sys
import time

import xnvme


def sync_io(dev, nblocks):
    data = os.urandom(nblocks * dev.geo.lba_nbytes)
    with dev.buffer(len(data)) as wbuf, dev.buffer(len(data)) as rbuf:
        wbuf[:] = data
        dev.write(0, nblocks, wbuf)
        dev.read(0, nblocks, rbuf)
        return bytes(rbuf) == data


def async_io(dev, depth, nblocks_each):
    chunk = nblocks_each * dev.geo.lba_nbytes
    data = os.urandom(depth * chunk)
    completed = []

    def on_done(done):
        done.raise_for_status()  # an exception here is raised again by drain()
        completed.append(done.tag)

    with dev.buffer(len(data)) as wbuf, dev.buffer(len(data)) as rbuf, dev.queue(depth) as q:
        wbuf[:] = data
        start = time.perf_counter()
        for i in range(depth):
            q.write(i * nblocks_each, nblocks_each, wbuf, callback=on_done, tag=i,
                    offset=i * chunk)
        q.drain()
        for i in range(depth):
            q.read(i * nblocks_each, nblocks_each, rbuf, callback=on_done, tag=i,
                   offset=i * chunk)
        q.drain()
        elapsed = time.perf_counter() - start
        ok = bytes(rbuf) == data and len(completed) == 2 * depth
    return ok, elapsed, 2 * len(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("uri", nargs="?", default="ramdisk:64MiB")
    parser.add_argument("--async", dest="async_iface", help="async interface (default: auto)")
    args = parser.parse_args()
    opts = {"async_": args.async_iface} if args.async_iface else {}

    print(f"library: {xnvme.LIBRARY} (xNVMe API {'.'.join(map(str, xnvme.version()))})")
    with xnvme.Device(args.uri, **opts) as dev:
        geo, ns, ctrlr = dev.geo, dev.identify_ns(), dev.identify_ctrlr()
        lbaf = ns.lbaf_current()
        print(f"device: {args.uri} be={dev.be_name} async={dev.opts['async']} nsid={dev.nsid}")
        print(f"identify: mn='{xnvme.to_dict(ctrlr)['mn']}' nsze={ns.nsze} nlbaf={ns.nlbaf} "
              f"lba={1 << lbaf.ds} B + {lbaf.ms} B metadata, {geo.tbytes >> 20} MiB")
        sync_ok = sync_io(dev, 64)
        print(f"sync: write + read of 64 blocks, verify {'ok' if sync_ok else 'MISMATCH'}")
        async_ok, secs, nbytes = async_io(dev, 16, 8)
        print(f"async: 16 writes then 16 reads at depth 16 with callbacks, verify "
              f"{'ok' if async_ok else 'MISMATCH'} ({nbytes / secs / 2**20:.0f} MiB/s)")
    return 0 if sync_ok and async_ok else 1


if __name__ == "__main__":
    sys.exit(main())
