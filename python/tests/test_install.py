"""`pip install ./python` into a fresh venv works offline: --no-index forbids any download"""
import os
import pathlib
import subprocess
import sys

SOURCE = pathlib.Path(__file__).resolve().parents[1]


def test_pip_install_into_a_venv_without_an_index(tmp_path):
    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True,
                          text=True)
    assert made.returncode == 0, f"python3-venv (scripts/deps.sh) missing? {made.stderr[-300:]}"
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    subprocess.run(pip + ["install", "--no-index", "--no-cache-dir", str(SOURCE)], check=True,
                   capture_output=True, timeout=120)
    probe = "import xnvme, sys; print(xnvme.__file__); print(xnvme.LIBRARY)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(venv / "bin" / "python"), "-c", probe], check=True,
                         capture_output=True, text=True, cwd=tmp_path, env=env).stdout.split()
    assert out[0].startswith(str(venv)) and out[1] == os.path.realpath(env["XNVME_LIBRARY"])
    listed = subprocess.run(pip + ["show", "-f", "xnvme"], check=True, capture_output=True,
                            text=True).stdout
    assert "xnvme/queue.py" in listed and "Version: 0.7.5" in listed
