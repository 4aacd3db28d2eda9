"""The README's Python snippets are real code: each runs verbatim and alone in a fresh
process and a fresh folder, twice (a second run must not trip over the first one's
files), and outside Jupyter every picture it makes lands in a PNG whose path is printed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _snippets() -> dict[str, str]:
    """Each ```python block of the README, named by the section it is in."""
    out: dict[str, str] = {}
    section = "top"
    for block in re.split(r"^(## .+)$", README.read_text(encoding="utf-8"), flags=re.M):
        if block.startswith("## "):
            section = block[3:].strip()
            continue
        for i, code in enumerate(re.findall(r"```python\n(.*?)```", block, re.S)):
            out[section if i == 0 else f"{section} ({i + 1})"] = code
    return out


SNIPPETS = _snippets()
HEAVY = {"Measure, don't guess"}  # trains 4 × 3 small models, twice


def test_the_readme_has_the_snippets_users_copy():
    assert {"Ten lines", "Measure, don't guess"} <= set(SNIPPETS)
    assert len(SNIPPETS["Ten lines"].strip().splitlines()) <= 12


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.slow) if n in HEAVY else n for n in SNIPPETS]
)
def test_snippet_runs_alone_twice_in_a_fresh_shell(name, tmp_path):
    script = tmp_path / "snippet.py"
    script.write_text(SNIPPETS[name], encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "MPL"))}
    env.update(PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path), MPLBACKEND="Agg")
    for run in (1, 2):
        proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=900)
        assert proc.returncode == 0, f"run {run} of {name!r} failed:\n{proc.stderr}"
        assert "Traceback" not in proc.stderr and "<IPython" not in proc.stdout + proc.stderr
        pictures = re.findall(r"written to (\S+\.png)", proc.stderr)
        draws = len(re.findall(r"show_grid\(|\.plot\(", SNIPPETS[name]))
        assert len(pictures) == draws, proc.stderr  # every picture is said where it went
        for path in pictures:
            with Image.open(path) as im:
                assert im.format == "PNG" and min(im.size) > 100
    if name == "Ten lines":
        assert (tmp_path / "mild.json").exists()
