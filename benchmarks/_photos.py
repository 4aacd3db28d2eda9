"""A folder of labelled photos for the benchmarks that read files (no download: crops of
scikit-image's bundled photos)."""

from __future__ import annotations

from pathlib import Path


def write_photo_folder(root: Path, n: int, size: int, classes: int = 5) -> Path:
    """``n`` photos of ``size`` px in ``classes`` sub-folders: random crops of one
    scikit-image photo per class, resized."""
    import numpy as np
    from PIL import Image
    from skimage import data

    sources = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket(), data.hubble_deep_field()]
    rng = np.random.default_rng(0)
    for i in range(n):
        k = i % classes
        src = sources[k % len(sources)]
        h, w = src.shape[:2]
        side = int(rng.integers(min(h, w) // 3, min(h, w)))
        top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        crop = Image.fromarray(src[top : top + side, left : left + side]).resize((size, size))
        (root / f"class{k}").mkdir(parents=True, exist_ok=True)
        crop.save(root / f"class{k}" / f"{i:05d}.png")
    return root
