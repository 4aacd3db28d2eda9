"""The README's first command: in a fresh clone, ``make lab`` installs augviz and serves
JupyterLab — also as root (Docker, cloud VMs), where Jupyter needs ``--allow-root``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "augviz-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.read().decode("utf-8", "replace")


@pytest.mark.slow
def test_make_lab_in_a_fresh_clone_serves_jupyterlab(tmp_path):
    if not (ROOT / ".git").exists() or not shutil.which("git") or not shutil.which("make"):
        pytest.skip("needs a git checkout, git and make")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=300)
    port = _free_port()
    log = tmp_path / "make.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "lab", f"PORT={port}", f"JUPYTER_ARGS=--no-browser --ServerApp.token={TOKEN}"],
            cwd=clone, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
        )
    try:
        deadline = time.monotonic() + 1500  # creating .venv and installing the extras
        status, page = 0, ""
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"make lab stopped (exit {proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                status, page = _get(f"http://127.0.0.1:{port}/lab?token={TOKEN}")
                break
            except OSError:
                time.sleep(2)
        assert status == 200 and "<title>JupyterLab</title>" in page, log.read_text()[-3000:]
        text = log.read_text()
        as_root = os.geteuid() == 0
        assert ("--allow-root" in text) == as_root
        assert "Running as root is not recommended" not in text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
