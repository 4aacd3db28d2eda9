"""Images per second, augviz vs albumentations 2.0.8, side by side in one run.

- 256×256×3 and 1024×1024×3 uint8 (a real photo: ``sample_image("astronaut")``), one
  core (threadpoolctl + ``cv2.setNumThreads(1)``); in every round the two libraries run
  back to back in alternating order, and a ratio is the median over rounds of the ratio
  within a round, so machine load hits both alike. A null row (augviz against itself)
  shows the harness's own noise.
- augviz transforms go through the public ``__call__`` (sample + apply, as users
  call them) with ``p=1``; albumentations transforms are called bare (``t(image=x)``)
  with ``p=1`` and matched parameters.
- Transforms are looked up by id: one that is not registered (or whose parameters
  differ from what this script expects) is skipped with a note in the table.
- The batch path: recipes via ``recipe.batch`` on 500 16-px digits (the last one
  rotate → contrast → gaussian noise → cutout) vs an albumentations ``Compose`` called
  per image on the same 500.

Usage::

    python benchmarks/image_throughput.py [--quick] [--out PATH]

``--quick`` (or ``AUGVIZ_BENCH_QUICK=1``) runs a few calls per transform: a smoke
test of the script, not a measurement. Writes markdown to
``benchmarks/results/image_throughput.md`` (not in quick mode unless ``--out`` is
given) and prints it.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _offline  # noqa: F401  (first: offline albumentations, one BLAS thread, no torch)
import numpy as np

RESULTS = Path(__file__).resolve().parent / "results" / "image_throughput.md"


@dataclass
class Case:
    """One row: an augviz transform (candidates tried in order) and its albumentations
    counterpart, with a human description of the matched parameters."""

    name: str
    params: str
    augviz: list[tuple[str, dict[str, Any]]]
    albu: Callable[[Any, Any], Any]  # (A, cv2) -> transform
    image: str = "photo"  # or "photo_grey"
    notes: list[str] = field(default_factory=list)


def cases(size: int = 256) -> list[Case]:
    """The rows for a ``size`` × ``size`` photo: augviz's sizes are fractions of the side,
    so albumentations' pixel sizes (elastic smoothing, grid unit) follow ``size``."""
    rrc = {"scale": (0.08, 1.0), "ratio": (0.75, 4 / 3)}
    return [
        Case("horizontal flip", "", [("image.hflip", {})],
             lambda A, cv2: A.HorizontalFlip(p=1.0)),
        Case("vertical flip", "", [("image.vflip", {})],
             lambda A, cv2: A.VerticalFlip(p=1.0)),
        Case("rotate", "±30°, bilinear, constant border", [("image.rotate", {"angle": (-30, 30)})],
             lambda A, cv2: A.Rotate(limit=30, interpolation=cv2.INTER_LINEAR,
                                     border_mode=cv2.BORDER_CONSTANT, p=1.0)),
        Case("affine", "rot ±15°, shift ±6.25 %, scale 0.9–1.1",
             [("image.affine", {"angle": (-15, 15), "translate": (-0.0625, 0.0625),
                                "scale": (0.9, 1.1)})],
             lambda A, cv2: A.Affine(rotate=(-15, 15), translate_percent=(-0.0625, 0.0625),
                                     scale=(0.9, 1.1), interpolation=cv2.INTER_LINEAR,
                                     border_mode=cv2.BORDER_CONSTANT, p=1.0)),
        Case("random resized crop", "→224×224, scale 0.08–1, ratio 3/4–4/3",
             [("image.random_resized_crop", {"size": 224, **rrc}),
              ("image.random_resized_crop", {"height": 224, "width": 224, **rrc}),
              ("image.random_resized_crop", {"size": (224, 224), **rrc})],
             lambda A, cv2: A.RandomResizedCrop(size=(224, 224), scale=(0.08, 1.0),
                                                ratio=(0.75, 4 / 3), p=1.0)),
        Case("gaussian blur", "σ = 2",
             [("image.gaussian_blur", {"sigma": (2.0, 2.0)}),
              ("image.gaussian_blur", {"sigma": 2.0})],
             lambda A, cv2: A.GaussianBlur(blur_limit=0, sigma_limit=(2.0, 2.0), p=1.0)),
        Case("gaussian noise", "std 0.2–0.44 of full scale, per channel",
             [("image.gaussian_noise", {"std": (0.2, 0.44)})],
             lambda A, cv2: A.GaussNoise(std_range=(0.2, 0.44), per_channel=True, p=1.0)),
        Case("brightness", "±0.2 of full scale",
             [("image.brightness", {"delta": (-0.2, 0.2)})],
             lambda A, cv2: A.RandomBrightnessContrast(brightness_limit=0.2, contrast_limit=0.0,
                                                       brightness_by_max=True, p=1.0)),
        Case("contrast", "factor 0.8–1.2",
             [("image.contrast", {"factor": (0.8, 1.2)}),
              ("image.contrast", {"contrast": (0.8, 1.2)})],
             lambda A, cv2: A.RandomBrightnessContrast(brightness_limit=0.0, contrast_limit=0.2,
                                                       p=1.0)),
        Case("colour jitter", "brightness, contrast, saturation 0.8–1.2, hue ±0.1",
             [("image.color_jitter", {"brightness": (0.8, 1.2), "contrast": (0.8, 1.2),
                                      "saturation": (0.8, 1.2), "hue": (-0.1, 0.1)}),
              ("image.color_jitter", {"brightness": (-0.2, 0.2), "contrast": (0.8, 1.2),
                                      "saturation": (0.8, 1.2), "hue": (-0.1, 0.1)})],
             lambda A, cv2: A.ColorJitter(brightness=(0.8, 1.2), contrast=(0.8, 1.2),
                                          saturation=(0.8, 1.2), hue=(-0.1, 0.1), p=1.0)),
        Case("JPEG", "quality 50–90", [("image.jpeg", {"quality": (50, 90)})],
             lambda A, cv2: A.ImageCompression(quality_range=(50, 90), p=1.0)),
        Case("elastic", f"smoothing σ = {0.08 * size:g} px (augviz 0.08 × side); displacement "
             "scales differ",
             [("image.elastic", {"alpha": (0.03, 0.03), "sigma": 0.08})],
             lambda A, cv2: A.ElasticTransform(alpha=60 * size / 256, sigma=0.08 * size, p=1.0)),
        Case("grid distortion", "5×5 grid, distort ≤ 0.3",
             [("image.grid_distortion", {"num_steps": 5, "distort": (0.0, 0.3)})],
             lambda A, cv2: A.GridDistortion(num_steps=5, distort_limit=(-0.3, 0.3), p=1.0)),
        Case("gamma", "0.8–1.2", [("image.gamma", {"gamma": (0.8, 1.2)})],
             lambda A, cv2: A.RandomGamma(gamma_limit=(80, 120), p=1.0)),
        Case("grayscale", "", [("image.grayscale", {}), ("image.to_gray", {})],
             lambda A, cv2: A.ToGray(p=1.0)),
        Case("invert", "", [("image.invert", {})], lambda A, cv2: A.InvertImg(p=1.0)),
        Case("solarize", "threshold 0.5", [("image.solarize", {"threshold": (0.5, 0.5)})],
             lambda A, cv2: A.Solarize(threshold_range=(0.5, 0.5), p=1.0)),
        Case("posterize", "4 bits", [("image.posterize", {"bits": (4, 4)}),
                                     ("image.posterize", {"bits": 4})],
             lambda A, cv2: A.Posterize(num_bits=4, p=1.0)),
        Case("equalize", "per channel", [("image.equalize", {})],
             lambda A, cv2: A.Equalize(p=1.0)),
        Case("auto contrast", "", [("image.autocontrast", {})],
             lambda A, cv2: A.AutoContrast(p=1.0)),
        Case("sharpen", "Gaussian unsharp mask σ = 1, amount 0.5–1 (albu: alpha)",
             [("image.sharpen", {"amount": (0.5, 1.0), "sigma": 1.0})],
             lambda A, cv2: A.Sharpen(alpha=(0.5, 1.0), lightness=(1.0, 1.0), method="gaussian",
                                      kernel_size=7, sigma=1.0, p=1.0)),
        Case("perspective", "scale 0.05–0.1", [("image.perspective", {"scale": (0.05, 0.1)})],
             lambda A, cv2: A.Perspective(scale=(0.05, 0.1), p=1.0)),
        Case("cutout", "1 hole, 10–20 % of the side",
             [("image.cutout", {"holes": (1, 1), "size": (0.1, 0.2)})],
             lambda A, cv2: A.CoarseDropout(num_holes_range=(1, 1),
                                            hole_height_range=(0.1, 0.2),
                                            hole_width_range=(0.1, 0.2), p=1.0)),
        Case("random erasing", "area 2–33 %, aspect 0.3–3.3",
             [("image.random_erasing", {"scale": (0.02, 0.33), "ratio": (0.3, 3.3)})],
             lambda A, cv2: A.Erasing(scale=(0.02, 0.33), ratio=(0.3, 3.3), p=1.0)),
        Case("grid mask", "unit 10–25 % of the side, ratio 0.5",
             [("image.grid_mask", {"unit": (0.1, 0.25), "ratio": 0.5})],
             lambda A, cv2: A.GridDropout(ratio=0.5, unit_size_range=(round(0.1 * size),
                                                                     round(0.25 * size)), p=1.0)),
        Case("motion blur", "length 3–9 px, any angle",
             [("image.motion_blur", {"length": (3, 9)})],
             lambda A, cv2: A.MotionBlur(blur_limit=(3, 9), allow_shifted=False, p=1.0)),
        Case("downscale", "scale 0.25–0.5, nearest",
             [("image.downscale", {"scale": (0.25, 0.5), "interpolation": "nearest"})],
             lambda A, cv2: A.Downscale(scale_range=(0.25, 0.5), p=1.0)),
        Case("salt and pepper", "1–5 % of pixels",
             [("image.salt_pepper", {"amount": (0.01, 0.05)})],
             lambda A, cv2: A.SaltAndPepper(amount=(0.01, 0.05), p=1.0)),
        Case("null: augviz contrast vs itself", "factor 0.8–1.2 (the harness's own noise)",
             [("image.contrast", {"factor": (0.8, 1.2)})],
             lambda A, cv2: _Null("image.contrast", {"factor": (0.8, 1.2)})),
    ]


class _Null:
    """augviz called the way albumentations is (``t(image=x)``): a row of augviz against
    itself, whose ratio shows the harness's noise (ideal 1.00×)."""

    def __init__(self, tid: str, params: dict[str, Any]) -> None:
        from augviz.core import registry

        self.transform = registry.get(tid)(p=1.0, **params)
        self.gen = np.random.default_rng(1)

    def __call__(self, image: Any) -> Any:
        return self.transform(image, rng=self.gen)


def _time(fn: Callable[[], Any], number: int) -> float:
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - t0) / number


def _build(case: Case) -> tuple[Any, str]:
    """The augviz transform, or (None, why it was skipped)."""
    from augviz import AugvizError
    from augviz.core import registry

    known = {t.id for t in registry.catalogue("image")}
    errors = []
    for tid, params in case.augviz:
        if tid not in known:
            continue
        try:
            return registry.get(tid)(p=1.0, **params), tid
        except AugvizError as exc:
            errors.append(str(exc).splitlines()[0])
    if not errors:
        return None, f"not registered ({', '.join(sorted({t for t, _ in case.augviz}))})"
    return None, "parameters differ: " + errors[0]


def run(quick: bool = False) -> str:
    import cv2
    from threadpoolctl import threadpool_limits

    cv2.setNumThreads(1)
    with threadpool_limits(1):
        return _run(quick)


SIZES = (256, 1024)


def _run(quick: bool) -> str:
    import albumentations as A
    import cv2

    from augviz.datasets import load_digits

    number, repeats = (2, 1) if quick else (400, 15)
    tables = {size: _per_image(A, cv2, size, quick, number, repeats) for size in SIZES}
    batch_rows = _batch(A, cv2, quick, load_digits, repeats)
    return _markdown(tables, batch_rows, quick, number, repeats)


def _rounds(fa: Callable[[], Any], fb: Callable[[], Any], n: int,
            repeats: int) -> tuple[float, float, float]:
    """Seconds per call of ``fa`` and ``fb`` (medians over rounds) and the median over rounds
    of ``time(fb) / time(fa)``: within a round the two run back to back, in alternating
    order, so load that comes and goes hits both alike."""
    ta, tb, ratios = [], [], []
    for r in range(repeats):
        if r % 2:
            b = _time(fb, n)
            a = _time(fa, n)
        else:
            a = _time(fa, n)
            b = _time(fb, n)
        ta.append(a)
        tb.append(b)
        ratios.append(b / a)
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def _per_image(A: Any, cv2: Any, size: int, quick: bool, number: int, repeats: int) -> list[Any]:
    from augviz.datasets import sample_image

    photo = sample_image("astronaut", size=size)
    rng = np.random.default_rng(0)
    rows: list[tuple[str, str, str, float | None, float | None, float | None, str]] = []
    for case in cases(size):
        aug, tid = _build(case)
        alb = case.albu(A, cv2)
        if aug is None:
            rows.append((case.name, "—", case.params, None, None, None, tid))
            continue
        # warm up both (first calls import kernels, build LUTs, allocate)
        for _ in range(1 if quick else 3):
            aug(photo, rng=rng)
            alb(image=photo)
        # about 0.1 s per timed block: slow transforms get fewer calls, fast ones more
        single = max(_time(lambda aug=aug: aug(photo, rng=rng), 1),
                     _time(lambda alb=alb: alb(image=photo), 1))
        n = number if quick else max(3, min(number, int(0.1 / max(single, 1e-6))))
        ta, tb, ratio = _rounds(lambda aug=aug: aug(photo, rng=rng),
                               lambda alb=alb: alb(image=photo), n, repeats)
        rows.append((case.name, tid, case.params, 1 / ta, 1 / tb, ratio, ""))
    return rows


def _batch(A: Any, cv2: Any, quick: bool, load_digits: Any, repeats: int) -> list[Any]:
    from augviz import AugvizError, Recipe
    from augviz.core import registry

    n_items = 50 if quick else 500
    x, _ = load_digits(16, dtype="uint8")
    x = np.ascontiguousarray(x[:n_items])
    known = {t.id for t in registry.catalogue("image")}
    rows = []

    def steps_affine() -> list[Any]:
        return [registry.get("image.affine")(angle=(-15, 15), translate=(-0.125, 0.125),
                                             scale=(0.9, 1.1))]

    albu_affine = [A.Affine(rotate=(-15, 15), translate_percent=(-0.125, 0.125),
                            scale=(0.9, 1.1), interpolation=cv2.INTER_LINEAR,
                            border_mode=cv2.BORDER_CONSTANT, p=1.0)]
    recipes: list[tuple[str, Callable[[], list[Any]], list[Any], set[str]]] = [
        ("mild: affine (rot ±15°, shift ±12.5 %, scale ±10 %)", steps_affine, albu_affine,
         {"image.affine"}),
        ("3 steps: rotate ±15° → affine shift ±12.5 % / scale ±10 % → brightness ±0.1",
         lambda: [registry.get("image.rotate")(angle=(-15, 15)),
                  registry.get("image.affine")(angle=0, translate=(-0.125, 0.125),
                                               scale=(0.9, 1.1)),
                  registry.get("image.brightness")(delta=(-0.1, 0.1))],
         [A.Rotate(limit=15, interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_CONSTANT,
                   p=1.0),
          A.Affine(translate_percent=(-0.125, 0.125), scale=(0.9, 1.1),
                   interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_CONSTANT, p=1.0),
          A.RandomBrightnessContrast(brightness_limit=0.1, contrast_limit=0.0, p=1.0)],
         {"image.rotate", "image.affine", "image.brightness"}),
        ("4 steps: rotate ±15° → contrast 0.8–1.2 → gaussian noise std 0.02–0.08 → cutout 1 hole "
         "20–30 %",
         lambda: [registry.get("image.rotate")(angle=(-15, 15)),
                  registry.get("image.contrast")(factor=(0.8, 1.2)),
                  registry.get("image.gaussian_noise")(std=(0.02, 0.08)),
                  registry.get("image.cutout")(holes=(1, 1), size=(0.2, 0.3))],
         [A.Rotate(limit=15, interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_CONSTANT,
                   p=1.0),
          A.RandomBrightnessContrast(brightness_limit=0.0, contrast_limit=0.2, p=1.0),
          A.GaussNoise(std_range=(0.02, 0.08), p=1.0),
          A.CoarseDropout(num_holes_range=(1, 1), hole_height_range=(0.2, 0.3),
                          hole_width_range=(0.2, 0.3), p=1.0)],
         {"image.rotate", "image.contrast", "image.gaussian_noise", "image.cutout"}),
    ]
    for label, make, albu_steps, needs in recipes:
        missing = sorted(needs - known)
        if missing:
            rows.append((label, None, None, None, None, f"not registered: {', '.join(missing)}"))
            continue
        try:
            recipe = Recipe(make(), seed=0)
        except AugvizError as exc:
            rows.append((label, None, None, None, None,
                         "parameters differ: " + str(exc).splitlines()[0]))
            continue
        compose = A.Compose(albu_steps, seed=0)
        recipe.batch(x, rng=0)
        for im in x[:5]:
            compose(image=im)
            recipe(im, rng=0)
        gen = np.random.default_rng(1)
        t_batch, t_alb, ratio = _rounds(lambda r=recipe, g=gen: r.batch(x, rng=g),
                                        lambda c=compose: [c(image=im)["image"] for im in x],
                                        1, repeats)
        t_loop = statistics.median(
            _time(lambda r=recipe, g=gen: [r(im, rng=g) for im in x], 1) for _ in range(max(1, repeats // 3)))
        rows.append((label, n_items / t_batch, n_items / t_loop, n_items / t_alb, ratio, ""))
    return rows


def _fmt_rate(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def _markdown(tables: dict[int, list[Any]], batch_rows: list[Any], quick: bool, number: int,
              repeats: int) -> str:
    import albumentations as A
    import cv2

    import augviz

    out = ["# Image throughput: augviz vs albumentations", ""]
    if quick:
        out += ["**QUICK MODE — a smoke run of the script, not a measurement.**", ""]
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    out += [
        f"augviz {augviz.__version__}, albumentations {A.__version__}, OpenCV {cv2.__version__}, "
        f"numpy {np.__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"one core for both libraries (threadpoolctl + cv2.setNumThreads(1)); load average at "
        f"the end of the run {load} on {os.cpu_count()} cores. {repeats} rounds; in each round "
        f"the two libraries run back to back (order alternating), each a block of up to {number} "
        "calls (fewer for slow transforms, ~0.1 s per block). Rates are medians over rounds; "
        "a ratio is the median over rounds of the ratio within a round.",
    ]
    for size, rows in tables.items():
        out += [
            "",
            f"## Per image: {size}×{size}×3 uint8 photo (astronaut), images/s (higher is better)",
            "",
            "augviz: the transform's public `__call__` (sample + apply). albumentations: the "
            "bare transform, `t(image=x)`. Both with p=1.",
            "",
            "| transform | augviz id | parameters | augviz | albumentations | augviz ÷ albu | note |",
            "|---|---|---|---:|---:|---:|---|",
        ]
        ratios = []
        for name, tid, params, a, b, ratio, note in rows:
            ratio_s = "—"
            if ratio is not None:
                if not name.startswith("null"):
                    ratios.append(ratio)
                ratio_s = f"{ratio:.2f}×"
            tid_s = f"`{tid}`" if tid != "—" else tid
            out.append(f"| {name} | {tid_s} | {params} | {_fmt_rate(a)} | {_fmt_rate(b)} | "
                       f"{ratio_s} | {note} |")
        if ratios:
            gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            out += ["", f"**{size} px: geometric mean of augviz ÷ albumentations over {len(ratios)} "
                    f"transforms: {gm:.2f}×; lowest {min(ratios):.2f}×** (> 1: augviz is faster; "
                    "the null row excluded)."]
        skipped = [r for r in rows if r[3] is None]
        if skipped:
            out += ["", f"{len(skipped)} transform(s) skipped (see notes)."]
    n_items = 50 if quick else 500
    out += [
        "",
        f"## Batch: a recipe on {n_items} digits (16×16 uint8), images/s",
        "",
        "augviz `recipe.batch(x)` (one vectorised call per step) and the same recipe "
        "called per image; albumentations `Compose` called per image (it has no batch path). "
        "The ratio is batch ÷ albumentations, interleaved as above.",
        "",
        "| recipe | augviz batch | augviz per image | albumentations per image | "
        "batch ÷ albu | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, batch, loop, alb, ratio, note in batch_rows:
        ratio_s = f"{ratio:.2f}×" if ratio else "—"
        out.append(f"| {label} | {_fmt_rate(batch)} | {_fmt_rate(loop)} | {_fmt_rate(alb)} | "
                   f"{ratio_s} | {note} |")
    out += ["", "Numbers are from a shared 2-core machine under load from other jobs: compare "
            "the ratios (the libraries alternate in every round), not the absolute rates; "
            "the null rows (augviz against itself) show how far a ratio moves by noise alone.", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a few calls per transform (smoke test, not a measurement)")
    parser.add_argument("--out", type=Path, default=None, help=f"markdown file (default {RESULTS})")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")
    text = run(quick)
    out = args.out if args.out is not None else (None if quick else RESULTS)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
