"""Write the lab's small real-photo set, ``augviz/lab/data/photos.npz``.

Crops of five photos that ship inside the scikit-image wheel (astronaut, coffee, cat,
rocket, motorcycle): for each photo 60 square crops of a random third to two thirds of
its short side at a random place, resized to 32 px (area interpolation). The class is
the photo a crop comes from, so colour and layout carry the label: a recipe that wrecks
colour should hurt, a horizontal flip should not. Deterministic (seed 0).

    python tools/make_lab_photos.py
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from skimage import data

OUT = Path(__file__).resolve().parents[1] / "augviz" / "lab" / "data" / "photos.npz"
PER_CLASS, SIZE = 60, 32


def main() -> None:
    sources = {"astronaut": data.astronaut(), "coffee": data.coffee(), "cat": data.chelsea(),
               "rocket": data.rocket(), "motorcycle": data.stereo_motorcycle()[0]}
    rng = np.random.default_rng(0)
    images, labels = [], []
    for k, src in enumerate(sources.values()):
        h, w = src.shape[:2]
        for _ in range(PER_CLASS):
            side = int(rng.integers(min(h, w) // 3, min(h, w) * 2 // 3))
            top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
            crop = src[top : top + side, left : left + side]
            images.append(cv2.resize(crop, (SIZE, SIZE), interpolation=cv2.INTER_AREA))
            labels.append(k)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, images=np.stack(images).astype(np.uint8),
                        labels=np.asarray(labels, np.int64), classes=np.asarray(list(sources)))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {len(labels)} photos)")


if __name__ == "__main__":
    main()
