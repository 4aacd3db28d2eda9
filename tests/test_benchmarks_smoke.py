"""The benchmark scripts run (quick mode) and produce a table; no timing asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_image_throughput_quick_writes_a_table(tmp_path):
    pytest.importorskip("albumentations")
    out = tmp_path / "image_throughput.md"
    env = {**os.environ, "AUGVIZ_BENCH_QUICK": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "image_throughput.py"), "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "QUICK MODE" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`image." in line]
    assert len(rows) >= 5, text
    assert "| horizontal flip | `image.hflip` |" in text
    for size in (256, 1024):  # one table per photo size, each with its null row and mean
        assert f"## Per image: {size}×{size}×3" in text
        assert f"**{size} px: geometric mean" in text
    assert text.count("| null: augviz contrast vs itself |") == 2
    batch = [line for line in text.splitlines() if line.startswith(("| mild", "| 4 steps"))]
    assert len(batch) == 2, text


def test_run_all_finds_the_benchmarks():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run_all
    finally:
        sys.path.pop(0)
    names = [p.stem for p in run_all.scripts()]
    assert "image_throughput" in names
    assert "run_all" not in names


@pytest.mark.parametrize(
    ("script", "needs"),
    [("audio_throughput", "audiomentations"), ("audio_cold_start", "audiomentations"),
     ("cli_apply", None), ("lab_speed", None),
     ("targets_throughput", "albumentations"), ("text_throughput", "nlpaug"),
     ("widget_latency", "ipywidgets")],
)
def test_other_benchmarks_run_in_quick_mode_and_save_nothing(script, needs):
    if needs:
        pytest.importorskip(needs, reason=f"{script} compares against {needs} (bench extra)")
    results = ROOT / "benchmarks" / "results" / f"{script}.md"
    before = results.read_bytes() if results.exists() else None
    env = {**os.environ, "AUGVIZ_BENCH_QUICK": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / f"{script}.py")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip(), "a benchmark prints its table"
    assert (results.read_bytes() if results.exists() else None) == before, "quick runs save nothing"
