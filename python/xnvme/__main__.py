"""`python3 -m xnvme`: which library is loaded, its version, and the devices found"""
import sys

import xnvme


def main():
    print(f"library: {xnvme.LIBRARY}")
    print(f"version: {'.'.join(map(str, xnvme.version()))}")
    devices = xnvme.enumerate_devices(sys.argv[1] if len(sys.argv) > 1 else None)
    print("devices:" + ("" if devices else " []"))
    for dev in devices:
        print(f"  - {dev}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
