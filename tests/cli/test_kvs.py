#!/usr/bin/env python3
"""The `kvs` tool on a target without the key-value command set (a file): every sub-command is
refused in one line ("not supported by this device"), exit 1, the file unchanged; bad arguments are
usage errors (exit 2). The key-value behaviour itself is tested by tests/target/test_kvs.c on a
key-value namespace. Usage: test_kvs.py PATH-TO-kvs"""
import hashlib
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import check, check_bad, finish  # noqa: E402

KVS = sys.argv[1]

with tempfile.TemporaryDirectory() as tmp:
    img = os.path.join(tmp, "dev.img")
    with open(img, "wb") as f:
        f.write(os.urandom(1 << 20))
    with open(img, "rb") as f:
        before = hashlib.sha256(f.read()).hexdigest()
    value = os.path.join(tmp, "value.bin")
    with open(value, "wb") as f:
        f.write(b"some value")

    for args in [["store", img, "--key", "k", "--value", "v"],
                 ["store", img, "--key", "k", "--data-input", value],
                 ["retrieve", img, "--key", "k"], ["delete", img, "--key", "k"],
                 ["exist", img, "--key", "k"], ["list", img]]:
        check_bad(KVS, args, 1, f"{args[0]} on a file", "not a key-value namespace",
                  "not supported by this device")
    for args, what, needles in [
        (["store", img, "--value", "v"], "store without --key", ["--key"]),
        (["store", img, "--key", "k"], "store without a value", ["--value"]),
        (["store", img, "--key", "k", "--value", "v", "--data-input", value],
         "store with two values", ["--value"]),
        (["store", img, "--key", "0123456789abcdefg", "--value", "v"], "a 17-byte key", ["17"]),
        (["store", img, "--key", "", "--value", "v"], "an empty key", ["--key"]),
        (["store", img, "--key", "k", "--value", "v", "--only-add", "--only-update"],
         "--only-add with --only-update", ["--only-add"]),
        (["retrieve", img, "--key", "k", "--data-nbytes", "2"], "retrieve --data-nbytes 2", []),
        (["retrieve", img, "--key", "k", "--slba", "1"], "an option of another tool", ["--slba"]),
        (["list", img, "--data-nbytes", "x"], "list --data-nbytes x", ["x"]),
        (["nosuch", img], "unknown command", ["nosuch"]),
        (["exist"], "exist without URI", ["URI"]),
    ]:
        check_bad(KVS, args, 2, what, *needles)
    check_bad(KVS, ["store", img, "--key", "k", "--data-input", os.path.join(tmp, "missing")], 1,
              "store --data-input missing", "missing")
    with open(img, "rb") as f:
        check(hashlib.sha256(f.read()).hexdigest() == before, "the file is unchanged")

finish()
