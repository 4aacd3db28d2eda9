"""What targets cost: a recipe on an image with 20 boxes + 1 mask + 17 keypoints, against
the same recipe on the image alone, and against albumentations 2.0.8 with the same
pipeline and the same targets.

- 256×256×3 uint8 photo (``sample_image("astronaut")``), one core (threadpoolctl +
  ``cv2.setNumThreads(1)``).
- Pipeline: affine (±15°, ±5 % shift, 0.9–1.1 zoom), horizontal flip p=0.5, random
  resized crop to 224×224 (scale 0.5–1), brightness ±0.2. augviz through
  ``recipe(sample, rng=i)``; albumentations through ``A.Compose`` with
  ``BboxParams("pascal_voc", label_fields=["labels"])`` and
  ``KeypointParams("xy", remove_invisible=False)`` (augviz keeps every keypoint too).
- augviz moves the targets of consecutive affine steps once, when they are read: the
  augviz arms with targets read the masks, boxes and keypoints of every result, so
  that their time includes moving them.
- The arms alternate inside every repeat (machine load hits all alike); each repeat
  gives the mean time per call; the table shows the median over repeats. The null row
  times the harness calling a function that does nothing.
- Wall time and the process's CPU time are both recorded: on a shared, loaded machine
  the wall time also holds the waits for a core, the CPU time only the work done.

Goals: augviz with targets ≤ 1.3× augviz on the image alone; ≥ 1.0× albumentations'
speed with the same targets.

Usage::

    python benchmarks/targets_throughput.py [--quick] [--out PATH]

``--quick`` (or ``AUGVIZ_BENCH_QUICK=1``) is a smoke run of the script, not a
measurement, and saves nothing unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _offline  # noqa: F401  (first: offline albumentations, one BLAS thread, no torch)
import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "targets_throughput.md"
N_BOXES, N_KEYPOINTS = 20, 17


def _targets(h: int, w: int) -> tuple[np.ndarray, list[int], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x0 = rng.uniform(0, w * 0.7, N_BOXES)
    y0 = rng.uniform(0, h * 0.7, N_BOXES)
    boxes = np.column_stack([x0, y0, x0 + rng.uniform(8, w * 0.3, N_BOXES),
                             y0 + rng.uniform(8, h * 0.3, N_BOXES)])
    labels = [int(v) for v in rng.integers(0, 5, N_BOXES)]
    mask = np.zeros((h, w), np.uint8)
    for k, (a, b, c, d) in enumerate(boxes[:5].astype(int)):
        mask[b:d, a:c] = k + 1
    keypoints = np.column_stack([rng.uniform(0, w - 1, N_KEYPOINTS), rng.uniform(0, h - 1, N_KEYPOINTS)])
    return boxes, labels, mask, keypoints


def _read(sample: Any) -> Any:
    return sample.masks, sample.boxes, sample.keypoints


def arms() -> dict[str, Callable[[int], Any]]:
    import albumentations as A

    from augviz import Recipe
    from augviz.datasets import sample_image
    from augviz.image import Affine, Boxes, Brightness, HorizontalFlip, Keypoints, RandomResizedCrop, Sample

    img = np.ascontiguousarray(np.asarray(sample_image("astronaut", size=256)))
    h, w = img.shape[:2]
    boxes, labels, mask, keypoints = _targets(h, w)
    sample = Sample(img, masks=mask, boxes=Boxes(boxes, labels=labels), keypoints=Keypoints(keypoints))
    no_mask = sample.replace(masks=None)
    recipe = Recipe([
        Affine(angle=(-15, 15), translate=(-0.05, 0.05), scale=(0.9, 1.1), shear=0),
        HorizontalFlip(p=0.5),
        RandomResizedCrop(height=224, width=224, scale=(0.5, 1.0)),
        Brightness(delta=(-0.2, 0.2)),
    ])
    albu_steps = [
        A.Affine(rotate=(-15, 15), translate_percent=(-0.05, 0.05), scale=(0.9, 1.1), shear=0, p=1.0),
        A.HorizontalFlip(p=0.5),
        A.RandomResizedCrop(size=(224, 224), scale=(0.5, 1.0), p=1.0),
        A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.0, p=1.0),
    ]
    plain = A.Compose(albu_steps, seed=0)
    with_targets = A.Compose(albu_steps, seed=0,
                             bbox_params=A.BboxParams(format="pascal_voc", label_fields=["labels"]),
                             keypoint_params=A.KeypointParams(format="xy", remove_invisible=False))
    return {
        "null (harness)": lambda i: None,
        "augviz, image alone": lambda i: recipe(img, rng=i),
        "augviz, image + targets": lambda i: _read(recipe(sample, rng=i)),
        "augviz, image + boxes + keypoints (no mask)": lambda i: _read(recipe(no_mask, rng=i)),
        "albumentations, image alone": lambda i: plain(image=img),
        "albumentations, image + targets": lambda i: with_targets(image=img, mask=mask, bboxes=boxes,
                                                                   labels=labels, keypoints=keypoints),
    }


def measure(quick: bool) -> tuple[dict[str, list[float]], dict[str, list[float]], int, int]:
    import cv2
    from threadpoolctl import threadpool_limits

    cv2.setNumThreads(1)
    repeats, calls = (3, 3) if quick else (25, 40)
    with threadpool_limits(1):
        runs = arms()
        for fn in runs.values():  # warm up (imports, caches)
            for i in range(3):
                fn(i)
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for r in range(repeats):
            for name, fn in runs.items():
                c0, t0 = time.process_time(), time.perf_counter()
                for i in range(calls):
                    fn(r * calls + i)
                times[name].append((time.perf_counter() - t0) / calls)
                cpu[name].append((time.process_time() - c0) / calls)
    return times, cpu, repeats, calls


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    except OSError:  # not on every platform
        return "unknown"


def _ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    # paired within each repeat, so that load drifting between repeats cancels
    return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))


def report(times: dict[str, list[float]], cpu: dict[str, list[float]], repeats: int, calls: int,
           quick: bool) -> str:
    import albumentations as A
    import cv2

    medians = {name: statistics.median(ts) for name, ts in times.items()}
    cpu_medians = {name: statistics.median(ts) for name, ts in cpu.items()}
    out = ["# Targets throughput: image + 20 boxes + 1 mask + 17 keypoints", ""]
    if quick:
        out += ["**QUICK MODE — a smoke run of the script, not a measurement.**", ""]
    out += [
        f"albumentations {A.__version__}, OpenCV {cv2.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}, {platform.machine()}, one core. Median over {repeats} "
        f"repeats of the mean of {calls} calls; arms interleaved. Load average when it started: "
        f"{_load()}.",
        "",
        "| arm | ms / call | calls / s | CPU ms / call |",
        "|---|---:|---:|---:|",
    ]
    for name, t in medians.items():
        rate = f"{1 / t:,.0f}" if t > 0 else "–"
        out.append(f"| {name} | {t * 1e3:.3f} | {rate} | {cpu_medians[name] * 1e3:.3f} |")
    lines = []
    for clock, data in (("wall time", times), ("CPU time", cpu)):
        cost = _ratio(data, "augviz, image + targets", "augviz, image alone")
        cost_no_mask = _ratio(data, "augviz, image + boxes + keypoints (no mask)", "augviz, image alone")
        speed = _ratio(data, "albumentations, image + targets", "augviz, image + targets")
        lines += [
            f"- {clock}: augviz with targets / augviz image alone **{cost:.2f}×** (goal ≤ 1.3×), "
            f"without the mask {cost_no_mask:.2f}×; albumentations with targets / augviz with "
            f"targets **{speed:.2f}×** (augviz's speed relative to albumentations; goal ≥ 1.0×)",
        ]
    out += [
        "",
        "Ratios are medians of the per-repeat ratios (the arms of one repeat ran back to back).",
        "",
        *lines,
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")
    text = report(*measure(quick), quick=quick)
    out = args.out or (None if quick else RESULTS)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
