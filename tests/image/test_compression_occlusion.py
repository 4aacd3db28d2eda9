"""Compression and occlusion transforms."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.image import Cutout, Downscale, GridMask, Jpeg, RandomErasing

YY, XX = np.mgrid[0:48, 0:64]
SMOOTH = np.dstack([XX * 4, YY * 5, (XX + YY) * 2]).astype(np.uint8)


@pytest.mark.parametrize("img", [SMOOTH, SMOOTH[:, :, 1].copy(), SMOOTH[:, :, :1].copy(),
                                 SMOOTH.astype(np.float32) / 255,
                                 np.dstack([SMOOTH, np.full((48, 64), 9, np.uint8)])])
def test_jpeg_quality_100_is_close(img):
    out = Jpeg(quality=100)(img)
    assert out.shape == img.shape
    assert out.dtype == img.dtype
    scale = 255 if img.dtype == np.float32 else 1
    assert np.abs(out.astype(float) * scale - img.astype(float) * scale).mean() < 2
    if img.ndim == 3 and img.shape[2] == 4:
        assert np.array_equal(out[:, :, 3], img[:, :, 3])


def test_jpeg_keeps_colour_order():
    red = np.zeros((16, 16, 3), np.uint8)
    red[..., 0] = 200
    out = Jpeg(quality=90)(red)
    assert out[..., 0].mean() > 180
    assert out[..., 2].mean() < 20


def test_jpeg_low_quality_loses_more():
    noisy = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    lo = np.abs(Jpeg(quality=5)(noisy).astype(int) - noisy).mean()
    hi = np.abs(Jpeg(quality=95)(noisy).astype(int) - noisy).mean()
    assert lo > hi


def test_downscale_blocks_and_full_scale():
    out = Downscale(scale=0.25)(SMOOTH)
    assert out.shape == SMOOTH.shape
    assert np.array_equal(out[0:4, 0:4], np.broadcast_to(out[0, 0], (4, 4, 3)))
    assert np.array_equal(Downscale(scale=1.0)(SMOOTH), SMOOTH)


@pytest.mark.parametrize("fill", [0.0, 0.5, 1.0])
def test_cutout_fills_stated_area(fill):
    img = np.full((40, 40, 3), 77, np.uint8)
    out = Cutout(holes=1, size=0.25, fill=fill)(img, rng=3)
    level = round(fill * 255)
    hole = (out == level).all(axis=2)
    assert hole.sum() == 100
    rows, cols = np.nonzero(hole)
    assert np.ptp(rows) == 9
    assert np.ptp(cols) == 9


def test_cutout_float_and_alpha():
    img = np.dstack([np.full((20, 20, 3), 100, np.uint8), np.full((20, 20), 50, np.uint8)])
    out = Cutout(holes=3, size=0.3)(img, rng=0)
    assert np.array_equal(out[:, :, 3], img[:, :, 3])
    assert (out[:, :, :3] == 0).any()
    f = Cutout(holes=1, size=0.5, fill=1.0)(np.zeros((10, 10), np.float32), rng=0)
    assert f.sum() == 25.0


def test_random_erasing_area_and_noise():
    img = np.full((40, 40), 255, np.uint8)
    out = RandomErasing(scale=0.25, ratio=1.0)(img, rng=0)
    assert (out == 0).sum() == 400
    noisy = RandomErasing(scale=0.25, ratio=1.0, noise=True)(img, rng=0)
    assert (noisy != 255).sum() > 300


def test_grid_mask_fraction():
    img = np.full((40, 40), 255, np.uint8)
    out = GridMask(unit=0.25, ratio=0.5)(img, rng=0)
    assert (out == 0).sum() == 400  # 16 cells of 10 px, 5×5 masked in each
