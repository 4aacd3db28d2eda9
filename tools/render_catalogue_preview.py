"""Render every registered image transform at a visible magnitude into one PNG grid.

Run: ``python tools/render_catalogue_preview.py [out.png]`` (default /tmp/augviz_catalogue.png),
then look at it: channels swapped, black tiles or a wrong direction show at a glance.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import augviz
from augviz.datasets import sample_image

# visible, fixed magnitudes (a scalar to a Range means exactly that value)
VISIBLE: dict[str, dict] = {
    "image.rotate": {"angle": 30},
    "image.affine": {"angle": 20, "translate": 0.1, "scale": 0.8, "shear": 15},
    "image.random_resized_crop": {"height": 256, "width": 256, "scale": 0.3},
    "image.crop_pad": {"amount": (-0.2, 0.2)},
    "image.perspective": {"scale": 0.15},
    "image.elastic": {"alpha": 0.05, "sigma": 0.05},
    "image.grid_distortion": {"distort": 0.5},
    "image.brightness": {"delta": 0.3},
    "image.contrast": {"factor": 1.8},
    "image.saturation": {"factor": 2.0},
    "image.hue": {"shift": 0.25},
    "image.gamma": {"gamma": 2.0},
    "image.color_jitter": {"brightness": 1.2, "contrast": 1.3, "saturation": 1.6, "hue": 0.1},
    "image.posterize": {"bits": 2},
    "image.solarize": {"threshold": 0.5},
    "image.sharpen": {"amount": 3.0, "sigma": 2.0},
    "image.gaussian_blur": {"sigma": 4.0},
    "image.motion_blur": {"length": 25, "angle": 30},
    "image.gaussian_noise": {"std": 0.15},
    "image.salt_pepper": {"amount": 0.1},
    "image.speckle": {"std": 0.5},
    "image.jpeg": {"quality": 5},
    "image.downscale": {"scale": 0.15},
    "image.cutout": {"holes": 4, "size": 0.2, "fill": 0.5},
    "image.random_erasing": {"scale": 0.2, "noise": True},
    "image.grid_mask": {"unit": 0.2, "ratio": 0.5},
}


def main(out: str = "/tmp/augviz_catalogue.png", tile: int = 192) -> Path:
    img = np.asarray(sample_image("astronaut"))
    img = np.asarray(Image.fromarray(img).resize((256, 256)))
    cells = [("original", img)]
    for cls in augviz.catalogue("image"):
        t = cls(**VISIBLE.get(cls.id, {}))
        cells.append((cls.id.removeprefix("image."), np.asarray(t(img, rng=3))))
    cols = 6
    rows = -(-len(cells) // cols)
    sheet = Image.new("RGB", (cols * tile, rows * (tile + 14)), "white")
    draw = ImageDraw.Draw(sheet)
    for k, (name, a) in enumerate(cells):
        r, c = divmod(k, cols)
        pic = Image.fromarray(a).convert("RGB").resize((tile, tile))
        sheet.paste(pic, (c * tile, r * (tile + 14) + 14))
        draw.text((c * tile + 3, r * (tile + 14)), name, fill="black")
    path = Path(out)
    sheet.save(path)
    return path


def digits_batch(out: str = "/tmp/augviz_digits_affine.png") -> Path:
    """The lab's case: 16 px digits through the vectorised affine batch path (top row
    clean, then three augmented rows)."""
    from augviz.datasets import load_digits
    from augviz.image import Affine

    data = load_digits(16)
    xs = np.asarray(data[0] if isinstance(data, tuple) else data.images)[:12]
    recipe = augviz.Recipe([Affine(angle=(-15, 15), translate=(-0.125, 0.125), scale=(0.9, 1.1))])
    rows = [xs] + [recipe.batch(xs, rng=k) for k in range(3)]
    grid = np.concatenate([np.concatenate(list(r), axis=1) for r in rows], axis=0)
    if grid.dtype != np.uint8:
        grid = (np.clip(grid, 0, 1) * 255).astype(np.uint8)
    path = Path(out)
    Image.fromarray(grid).resize((grid.shape[1] * 4, grid.shape[0] * 4), Image.NEAREST).save(path)
    return path


if __name__ == "__main__":
    print(main(*sys.argv[1:2]))
    print(digits_batch())
