"""`augviz apply` throughput: 1,000 256-px PNGs (a real photo, varied), a 4-step recipe,
1 and 2 worker processes, 1 copy each. Wall time includes reading, augmenting, writing
and the run record. Writes results/cli_apply.md.

``AUGVIZ_BENCH_QUICK=1``: 60 images, no results file.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from augviz import Recipe
from augviz.cli import main
from augviz.datasets import sample_image
from augviz.image import Affine, ColorJitter, GaussianNoise, HorizontalFlip

QUICK = os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")
N = 60 if QUICK else 1000
OUT = Path(__file__).parent / "results" / "cli_apply.md"


def make_tree(root: Path, n: int) -> None:
    photos = [sample_image(name, size=256) for name in ("astronaut", "chelsea", "coffee", "rocket")]
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / f"class{i % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        img = np.roll(photos[i % 4], int(rng.integers(0, 256)), axis=1)
        Image.fromarray(img).save(folder / f"{i:04d}.png", compress_level=1)


def run(recipe: Path, src: Path, dst: Path, workers: int) -> float:
    start = time.perf_counter()
    rc = main(["apply", str(recipe), str(src), str(dst), "--workers", str(workers), "--quiet"])
    elapsed = time.perf_counter() - start
    if rc != 0:
        raise SystemExit(f"augviz apply failed with exit code {rc}")
    return elapsed


def bench() -> str:
    tmp = Path(tempfile.mkdtemp(prefix="augviz-bench-"))
    try:
        src = tmp / "in"
        make_tree(src, N)
        recipe = Recipe([Affine(), HorizontalFlip(p=0.5), ColorJitter(), GaussianNoise(p=0.3)],
                        seed=0, name="bench").save(tmp / "r.json")
        rows = []
        for workers in (1, 2):
            t = run(recipe, src, tmp / f"out{workers}", workers)
            rows.append(f"| {workers} | {N} | {t:.1f} | {N / t:.0f} |")
        cores = os.cpu_count()
        return "\n".join([
            "# augviz apply throughput",
            "",
            f"{N} PNG files of 256×256×3, recipe affine + hflip + colour jitter + noise, one copy "
            f"each; {cores} cores; Python {sys.version.split()[0]}.",
            "",
            "| workers | files | seconds | files/s |",
            "|---:|---:|---:|---:|",
            *rows,
            "",
        ])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    report = bench()
    print(report)
    if not QUICK:
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(report, encoding="utf-8")
