#!/usr/bin/env python3
"""The ramdisk's image files (file=PATH) from the command line, one command per process as a user
types them: lblk writes blocks, a later lblk reads them back; kvs stores a key, a later kvs
retrieves it; an image locked by another process, or made for another device, is refused in one
error line; a key missing from a plain ramdisk says why. Usage: test_ramdisk_image_cli.py TOOLDIR"""
import fcntl
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from clitest import check, check_bad, check_yaml, finish, run  # noqa: E402

D = sys.argv[1]
LBLK, KVS = os.path.join(D, "lblk"), os.path.join(D, "kvs")

with tempfile.TemporaryDirectory() as tmp:
    img = os.path.join(tmp, "disk.img")
    dev = f"ramdisk:16MiB,file={img}"
    data = os.urandom(8192)
    src, dst = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
    with open(src, "wb") as f:
        f.write(data)
    check_yaml(LBLK, ["write", dev, "--slba", "100", "--nlb", "15", "--data-input", src],
               "lblk write 16 blocks to a new image", json_too=False)
    check(os.path.getsize(img) > 16 << 20, f"the image is made ({os.path.getsize(img)} bytes)")
    check_yaml(LBLK, ["read", dev, "--slba", "100", "--nlb", "15", "--data-output", dst],
               "lblk read them in another command", json_too=False)
    with open(dst, "rb") as f:
        check(f.read() == data, "the blocks read are those written")

    kimg = os.path.join(tmp, "kv.img")
    kdev = f"ramdisk:64MiB,kv=1,file={kimg}"
    check_yaml(KVS, ["store", kdev, "--key", "greeting", "--value", "hello"],
               "kvs store into a new image", json_too=False)
    check_yaml(KVS, ["retrieve", kdev, "--key", "greeting"], "kvs retrieve in another command",
               lambda d: d["kvs_retrieve"]["value"] == "hello", json_too=False)
    check_yaml(KVS, ["list", kdev], "kvs list: the one key",
               lambda d: d["kvs_list"]["keys"] == ["greeting"], json_too=False)
    check_bad(KVS, ["retrieve", "ramdisk:64MiB,kv=1", "--key", "greeting"], 1,
              "kvs retrieve on a plain ramdisk: the key is not there, and why",
              "KV_KEY_DOES_NOT_EXIST", "a ramdisk lives for one process", "file=PATH")
    check_bad(KVS, ["retrieve", kdev, "--key", "nokey"], 1,
              "kvs retrieve of a key absent from an image: the status, no hint",
              "KV_KEY_DOES_NOT_EXIST")
    rc, _, err = run(KVS, "retrieve", kdev, "--key", "nokey")
    check("lives for one process" not in err, f"(no hint on an image: {err.strip()!r})")

    # Another process holds the image: refused, in one line, while it does
    with open(kimg, "rb") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        check_bad(KVS, ["list", kdev], 1, "an image another process holds",
                  "in use by another process")
    check_yaml(KVS, ["list", kdev], "free again once it lets go", json_too=False)
    check_bad(KVS, ["list", f"ramdisk:32MiB,kv=1,file={kimg}"], 1,
              "an image of another size", "holds another device")
    check_bad(LBLK, ["read", f"ramdisk:16MiB,file={tmp}/no/such/dir.img", "--slba", "0",
                     "--nlb", "0"], 1, "an image in a directory that does not exist",
              "cannot open or create")
finish()
