"""Generate augviz's bundled detection sample: synthetic shapes on crops of the bundled
photos, with boxes, an instance mask and face landmarks (offline, deterministic).

Each image holds one drawn face (head, eyes, nose, mouth: 5 keypoints with left/right
pairs) and two or three shapes (circle, square, triangle) that do not overlap. The boxes
are the envelopes of the drawn pixels, so box, mask and picture agree exactly. Writes
``augviz/datasets/data/sample_detection/`` (PNG images, PNG instance masks and
``annotations.json``)::

    python tools/make_sample_detection.py            # refuses to overwrite
    python tools/make_sample_detection.py --force
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "augviz" / "datasets" / "data" / "sample_detection"
sys.path.insert(0, str(ROOT))

CLASSES = ("face", "circle", "square", "triangle")
KEYPOINTS = ("left_eye", "right_eye", "nose", "mouth_left", "mouth_right")  # left = image left
FLIP_PAIRS = ((0, 1), (3, 4))
# (photo, output height, output width): square and non-square frames
FRAMES = [("astronaut", 128, 128), ("coffee", 112, 160), ("chelsea", 128, 128), ("rocket", 160, 112),
          ("horse", 128, 128), ("camera", 96, 144), ("astronaut", 144, 96), ("coffee", 128, 128)]
COLOURS = [(230, 57, 70), (42, 157, 143), (233, 196, 106), (69, 123, 157), (244, 162, 97), (131, 56, 236)]


def _background(name: str, h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    import cv2

    from augviz.datasets import sample_image

    img = np.asarray(sample_image(name, size=None))
    if img.ndim == 2:
        img = np.repeat(img[:, :, None], 3, axis=2)
    ih, iw = img.shape[:2]
    side = min(ih, iw)
    crop = int(side * rng.uniform(0.6, 0.9))
    ch, cw = (crop, round(crop * w / h)) if w <= h else (round(crop * h / w), crop)
    ch, cw = min(ch, ih), min(cw, iw)
    y, x = int(rng.integers(0, ih - ch + 1)), int(rng.integers(0, iw - cw + 1))
    return cv2.resize(np.ascontiguousarray(img[y:y + ch, x:x + cw]), (w, h), interpolation=cv2.INTER_AREA)


def _free(taken: list[tuple[int, int, int, int]], box: tuple[int, int, int, int]) -> bool:
    x0, y0, x1, y1 = box
    return all(x1 + 3 <= t0 or t2 + 3 <= x0 or y1 + 3 <= t1 or t3 + 3 <= y0 for t0, t1, t2, t3 in taken)


def _place(rng: np.random.Generator, h: int, w: int, size: int,
           taken: list[tuple[int, int, int, int]]) -> tuple[int, int] | None:
    for _ in range(200):
        cx, cy = int(rng.integers(size, w - size)), int(rng.integers(size, h - size))
        box = (cx - size, cy - size, cx + size, cy + size)
        if _free(taken, box):
            taken.append(box)
            return cx, cy
    return None


def make_item(i: int, name: str, h: int, w: int) -> dict:
    import cv2

    rng = np.random.default_rng(1000 + i)
    img = _background(name, h, w, rng)
    mask = np.zeros((h, w), np.uint8)
    taken: list[tuple[int, int, int, int]] = []
    labels, keypoints = [], []
    # the face first (it is the largest)
    r = int(min(h, w) * rng.uniform(0.17, 0.22))
    cx, cy = _place(rng, h, w, int(r * 1.15) + 2, taken)
    layer = np.zeros((h, w), np.uint8)
    cv2.ellipse(layer, (cx, cy), (r, int(r * 1.15)), 0, 0, 360, 1, -1)
    img[layer == 1] = (250, 220, 180)
    cv2.ellipse(img, (cx, cy), (r, int(r * 1.15)), 0, 0, 360, (60, 40, 30), 1)
    mask[layer == 1] = 1
    labels.append("face")
    ex, ey, rad = int(r * 0.4), int(r * 0.3), max(1, r // 6)
    eyes = [(cx - ex, cy - ey), (cx + ex, cy - ey)]
    for e in eyes:
        cv2.circle(img, e, rad, (30, 30, 90), -1)
    nose = (cx, cy + r // 8)
    cv2.circle(img, nose, max(1, rad - 1), (200, 90, 80), -1)
    mouth = [(cx - int(r * 0.45), cy + int(r * 0.55)), (cx + int(r * 0.45), cy + int(r * 0.55))]
    cv2.line(img, mouth[0], mouth[1], (150, 30, 40), max(1, r // 10))
    keypoints = [*eyes, nose, *mouth]
    # two or three shapes
    for _ in range(int(rng.integers(2, 4))):
        kind = CLASSES[1 + int(rng.integers(0, 3))]
        s = int(min(h, w) * rng.uniform(0.08, 0.14))
        spot = _place(rng, h, w, s + 1, taken)
        if spot is None:
            continue
        x, y = spot
        layer = np.zeros((h, w), np.uint8)
        if kind == "circle":
            cv2.circle(layer, (x, y), s, 1, -1)
        elif kind == "square":
            cv2.rectangle(layer, (x - s, y - s), (x + s - 1, y + s - 1), 1, -1)
        else:
            tri = np.array([[x, y - s], [x + s, y + s - 1], [x - s, y + s - 1]], np.int32)
            cv2.fillPoly(layer, [tri], 1)
        colour = COLOURS[int(rng.integers(0, len(COLOURS)))]
        img[layer == 1] = colour
        labels.append(kind)
        mask[layer == 1] = len(labels)
    boxes = []
    for k in range(1, len(labels) + 1):
        ys, xs = np.nonzero(mask == k)
        boxes.append([int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1])
    stem = f"{i:02d}"
    cv2.imwrite(str(OUT / f"{stem}.png"), img[:, :, ::-1])
    cv2.imwrite(str(OUT / f"{stem}_mask.png"), mask)
    return {"image": f"{stem}.png", "mask": f"{stem}_mask.png", "photo": name, "boxes": boxes,
            "labels": labels, "keypoints": [[int(a), int(b)] for a, b in keypoints]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="replace an existing set")
    args = parser.parse_args(argv)
    if OUT.exists():
        if not args.force:
            print(f"{OUT} exists; use --force to replace it", file=sys.stderr)
            return 1
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    items = [make_item(i, name, h, w) for i, (name, h, w) in enumerate(FRAMES)]
    meta = {"format": "augviz.sample_detection", "version": 1, "classes": list(CLASSES),
            "keypoint_names": list(KEYPOINTS), "flip_pairs": [list(p) for p in FLIP_PAIRS],
            "mask": "instance ids: 0 background, k for the k-th box", "items": items}
    (OUT / "annotations.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(items)} images to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
