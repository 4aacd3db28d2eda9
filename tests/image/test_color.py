"""Colour transforms at fixed magnitudes."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.image import (
    AutoContrast,
    Brightness,
    ColorJitter,
    Contrast,
    Equalize,
    Gamma,
    Grayscale,
    Hue,
    Invert,
    Posterize,
    Saturation,
    Sharpen,
    Solarize,
)

RNG = np.random.default_rng(1)
RGB = RNG.integers(0, 256, (24, 32, 3), dtype=np.uint8)
RGBA = np.dstack([RGB, np.full((24, 32), 77, np.uint8)])
GREY = RGB[:, :, 0].copy()
FLOAT = RGB.astype(np.float32) / 255


@pytest.mark.parametrize("img", [RGB, RGBA, GREY, FLOAT])
def test_invert_twice_is_identity(img):
    twice = Invert()(Invert()(img))
    if img.dtype == np.uint8:
        assert np.array_equal(twice, img)
    else:  # 1 - (1 - x) rounds in float32
        np.testing.assert_allclose(twice, img, atol=1e-7)


@pytest.mark.parametrize("img", [RGB, FLOAT, RGBA])
def test_grayscale_channels_equal(img):
    out = Grayscale()(img)
    assert out.shape == img.shape
    assert np.array_equal(out[:, :, 0], out[:, :, 1])
    assert np.array_equal(out[:, :, 1], out[:, :, 2])


@pytest.mark.parametrize("t", [Brightness(delta=0.3), Contrast(factor=1.5), Saturation(factor=2),
                               Hue(shift=0.2), Gamma(gamma=2), Invert(), Grayscale(),
                               Posterize(bits=2), Solarize(threshold=0.3), Equalize(),
                               AutoContrast(), Sharpen(amount=2),
                               ColorJitter(brightness=1.3, contrast=1.3, saturation=1.3, hue=0.1)])
def test_colour_ops_leave_alpha_alone(t):
    out = t(RGBA, rng=0)
    assert np.array_equal(out[:, :, 3], RGBA[:, :, 3])


@pytest.mark.parametrize("t", [Saturation(factor=2.5), Hue(shift=0.3)])
@pytest.mark.parametrize("img", [GREY, GREY[:, :, None]])
def test_saturation_and_hue_are_noops_on_grey(t, img):
    assert np.array_equal(t(img), img)


@pytest.mark.parametrize("bits", range(1, 9))
def test_posterize_keeps_top_bits(bits):
    out = Posterize(bits=bits)(RGB)
    assert np.array_equal(out, RGB & ((0xFF << (8 - bits)) & 0xFF))


def test_solarize_threshold():
    img = np.arange(256, dtype=np.uint8).reshape(16, 16)
    out = Solarize(threshold=128 / 255)(img)
    assert np.array_equal(out[img < 128], img[img < 128])
    assert np.array_equal(out[img >= 128], 255 - img[img >= 128])
    assert np.array_equal(Solarize(threshold=1.0)(img)[:-1, :], img[:-1, :])


def test_hue_third_turn_maps_red_to_green_and_zero_is_identity():
    red = np.zeros((2, 2, 3), np.uint8)
    red[..., 0] = 255
    assert Hue(shift=1 / 3)(red)[0, 0].tolist() == [0, 255, 0]
    assert np.abs(Hue(shift=0)(RGB).astype(int) - RGB).max() == 0
    f = Hue(shift=1 / 3)(red.astype(np.float32) / 255)
    assert np.allclose(f[0, 0], [0, 1, 0], atol=1e-5)


@pytest.mark.parametrize("img", [RGB, FLOAT, GREY])
def test_unit_factors_are_identity(img):
    tol = 1 if img.dtype == np.uint8 else 1e-5
    for t in (Contrast(factor=1), Saturation(factor=1), Gamma(gamma=1), Brightness(delta=0),
              ColorJitter(brightness=1, contrast=1, saturation=1, hue=0)):
        assert np.abs(t(img).astype(np.float64) - img).max() <= tol, t


def test_contrast_zero_is_the_mean():
    out = Contrast(factor=0)(GREY)
    assert np.unique(out).size == 1
    assert abs(int(out[0, 0]) - GREY.mean()) <= 0.5


@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_contrast_and_brightness_batches_equal_per_item(dtype):
    xs = np.random.default_rng(2).integers(0, 256, (10, 8, 8, 4)).astype(dtype)
    if dtype == np.float32:
        xs /= 255
    for t in (Contrast(factor=(0.2, 2.5)), Brightness(delta=(-0.5, 0.5))):
        values = t.sample_batch(np.random.default_rng(3), len(xs))
        out = t.apply_batch(xs, values)
        for i in range(len(xs)):
            vi = {k: v[i].item() for k, v in values.items()}
            np.testing.assert_allclose(out[i].astype(float), t.apply(xs[i], **vi).astype(float),
                                       atol=1 if dtype == np.uint8 else 1e-5)


def _photo_like() -> np.ndarray:
    """Smooth colour gradients with noise and a strong red cast (luma mean ≠ RGB mean)."""
    h, w = 96, 128
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([xx * 120 / w + 130, yy * 200 / h, (xx + yy) * 60 / (w + h) + 20], -1)
    img = img + np.random.default_rng(0).normal(0, 18, (h, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("factor", [0.5, 1.3, 2.0])
def test_contrast_pivots_on_the_luma_mean_like_pillow(factor):
    from PIL import Image, ImageEnhance

    img = _photo_like()
    pil = np.asarray(ImageEnhance.Contrast(Image.fromarray(img)).enhance(factor)).astype(float)
    ours = Contrast(factor=factor)(img).astype(float)
    assert np.abs(ours - pil).mean() <= 0.5  # Pillow truncates where augviz rounds
    pair = np.stack([img, img[::-1]])
    batch = Contrast(factor=factor).apply_batch(pair, {"factor": np.array([factor] * 2)})
    np.testing.assert_array_equal(batch[0], ours.astype(np.uint8))


def test_equalize_follows_opencv_and_the_torchvision_export_says_it_differs():
    """augviz equalizes as OpenCV (and albumentations) do; torchvision uses Pillow's rule,
    so its mapping carries the measured difference."""
    import cv2
    from PIL import Image, ImageOps

    from augviz.interop.torchvision import MAPPINGS

    img = _photo_like()[:, :, 1].copy()
    np.testing.assert_array_equal(Equalize()(img), cv2.equalizeHist(img))
    pil = np.asarray(ImageOps.equalize(Image.fromarray(img))).astype(float)
    assert np.abs(Equalize()(img).astype(float) - pil).mean() > 0.5
    (mapping,) = [m for m in MAPPINGS if m.augviz_id == "image.equalize"]
    assert "grey levels" in mapping.notes({})[0]


def test_equalize_and_autocontrast_stretch():
    img = np.repeat(np.array([[100, 101, 102, 103]], np.uint8), 300, axis=0)
    out = Equalize()(img)
    assert out.min() == 0
    assert out.max() == 255
    assert Equalize(mode="luma")(RGB).shape == RGB.shape
    assert AutoContrast()(np.array([[50, 100, 150]], np.uint8)).tolist() == [[0, 128, 255]]
    f = AutoContrast()(np.array([[0.2, 0.6]], np.float32))
    assert np.allclose(f, [[0.0, 1.0]])


def test_gamma_float_exact():
    out = Gamma(gamma=2.0)(np.full((2, 2), 0.5, np.float32))
    assert np.allclose(out, 0.25)
