"""python/examples/xnvme_io.py runs and verifies on both targets"""
import os
import pathlib
import subprocess
import sys

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "xnvme_io.py"


def test_example_runs(uri):
    env = dict(os.environ, PYTHONPATH=str(EXAMPLE.parents[1]))
    out = subprocess.run([sys.executable, str(EXAMPLE), uri], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("verify ok") == 2
    assert f"library: {os.path.realpath(os.environ['XNVME_LIBRARY'])}" in out.stdout
