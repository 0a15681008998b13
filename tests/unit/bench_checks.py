"""What the tests of bench/'s Python share: bench/ on the import path (the directory given as the
first argument), PASS/FAIL lines, and the exit status."""
import sys

sys.path.insert(0, sys.argv[1])
failed = 0


def check(ok, what):
    global failed
    print(("PASS: " if ok else "FAIL: ") + what)
    failed += 0 if ok else 1


def finish():
    print(f"{failed} failed")
    sys.exit(1 if failed else 0)
