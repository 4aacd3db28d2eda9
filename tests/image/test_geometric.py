"""Geometric transforms at fixed magnitudes: exact where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.image import (
    Affine,
    CropPad,
    Elastic,
    GridDistortion,
    HorizontalFlip,
    Perspective,
    RandomResizedCrop,
    Rotate,
    VerticalFlip,
)
from augviz.image import functional as F

RNG = np.random.default_rng(0)
SMALL = RNG.integers(0, 256, (16, 16, 3), dtype=np.uint8)
LARGE = RNG.integers(0, 256, (64, 80, 3), dtype=np.uint8)
IDENTITY = {"angle": 0, "translate": 0, "scale": 1, "shear": 0}


@pytest.mark.parametrize("img", [SMALL, LARGE, SMALL[:, :, 0], LARGE.astype(np.float32) / 255])
def test_flips_match_numpy(img):
    assert np.array_equal(HorizontalFlip()(img), np.fliplr(img))
    assert np.array_equal(VerticalFlip()(img), np.flipud(img))


@pytest.mark.parametrize("k", [1, 2, -1])
def test_rotate_multiples_of_90_are_exact_on_squares(k):
    img = RNG.integers(0, 256, (48, 48), dtype=np.uint8)
    assert np.array_equal(Rotate(angle=90 * k)(img), np.rot90(img, k))


def test_rotate_is_counter_clockwise():
    img = np.zeros((41, 41), np.uint8)
    img[20, 30:] = 255  # a bar pointing right (east)
    out = Rotate(angle=90, interpolation="nearest")(img[:, :40])  # non-square: the warp path
    # counter-clockwise: east turns to north (smaller row index)
    rows, cols = np.nonzero(out > 128)
    assert rows.mean() < 20
    assert abs(cols.mean() - 19.5) < 2


@pytest.mark.parametrize("img", [SMALL, LARGE, SMALL[:, :, 0], LARGE.astype(np.float32) / 255,
                                 np.dstack([LARGE, LARGE[:, :, :1]])])
@pytest.mark.parametrize("border", F.BORDERS)
def test_affine_identity_returns_input(img, border):
    assert np.array_equal(Affine(**IDENTITY, border=border)(img), img)


@pytest.mark.parametrize("img", [SMALL, LARGE])
def test_affine_translate_moves_right_and_down(img):
    h, w = img.shape[:2]
    out = Affine(angle=0, translate=0.25, scale=1, shear=0, interpolation="nearest")(img)
    dx, dy = round(0.25 * w), round(0.25 * h)
    assert np.array_equal(out[dy:, dx:], img[:h - dy, :w - dx])
    assert (out[:dy] == 0).all()
    assert (out[:, :dx] == 0).all()


def test_affine_translate_is_drawn_per_axis():
    values = Affine(translate=(-0.5, 0.5)).sample(np.random.default_rng(1))
    assert "translate" not in values
    assert values["translate_x"] != values["translate_y"]
    batch = Affine(translate=(-0.5, 0.5)).sample_batch(np.random.default_rng(1), 50)
    assert not np.allclose(batch["translate_x"], batch["translate_y"])


def test_affine_fixed_magnitude_is_exact():
    values = Affine(angle=12, translate=0.1, scale=1.2, shear=5).sample(np.random.default_rng(3))
    assert (values["angle"], values["translate_x"], values["translate_y"], values["scale"],
            values["shear"]) == (12.0, 0.1, 0.1, 1.2, 5.0)


@pytest.mark.parametrize("border", F.BORDERS)
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_numpy_warp_agrees_with_opencv(border, interpolation):
    import cv2

    cv_interp = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR}[interpolation]
    cv_border = {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101,
                 "replicate": cv2.BORDER_REPLICATE, "wrap": cv2.BORDER_WRAP}[border]
    rng = np.random.default_rng(5)
    for _ in range(10):
        img = rng.integers(0, 256, (24, 20, 3), dtype=np.uint8)
        m = F.affine_matrices(24, 20, angle=rng.uniform(-180, 180, 1), tx=rng.uniform(-5, 5, 1),
                              ty=rng.uniform(-5, 5, 1), scale=rng.uniform(0.6, 1.5, 1),
                              shear=rng.uniform(-20, 20, 1))
        ours = F.warp_affine_batch(img[None], m, interpolation=interpolation, border=border,
                                   fill=0.4)[0]
        ref = cv2.warpAffine(img, m[0], (20, 24), flags=cv_interp, borderMode=cv_border,
                             borderValue=(102.0,) * 3)
        diff = np.abs(ours.astype(int) - ref)
        # OpenCV quantises coordinates to 1/32 px: a few levels on sharp edges at most
        assert np.percentile(diff, 99) <= 1
        assert diff.mean() < 0.5


@pytest.mark.parametrize("border", F.BORDERS)
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
def test_affine_batch_equals_per_item(border, interpolation, dtype):
    xs = np.random.default_rng(6).integers(0, 256, (20, 16, 16, 3)).astype(dtype)
    if dtype == np.float32:
        xs /= 255
    t = Affine(angle=(-40, 40), translate=(-0.3, 0.3), scale=(0.7, 1.3), shear=(-10, 10),
               interpolation=interpolation, border=border, fill=0.3)
    values = t.sample_batch(np.random.default_rng(7), len(xs))
    out = t.apply_batch(xs, values)
    for i in range(len(xs)):
        vi = {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in values.items()}
        assert np.array_equal(out[i], t.apply(xs[i], **vi))


@pytest.mark.parametrize("shape", [(3, 5, 7), (3, 5, 7, 1), (3, 5, 7, 3), (3, 5, 7, 4)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_hflip_batch_equals_per_item(shape, dtype):
    xs = (np.random.default_rng(1).random(shape) * 255).astype(dtype)
    out = HorizontalFlip().apply_batch(xs, {})
    assert out.shape == xs.shape and out.dtype == xs.dtype
    for i in range(len(xs)):
        assert np.array_equal(out[i], HorizontalFlip().apply(xs[i]))


@pytest.mark.parametrize("shape", [(4, 40, 52), (4, 40, 52, 1), (4, 64, 48, 3), (4, 33, 33, 4)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_large_image_warp_batches_equal_per_item(shape, dtype, interpolation):
    """Past 32×32 the batch path warps with OpenCV into one array: the bytes of apply."""
    rng = np.random.default_rng(2)
    xs = rng.integers(0, 256, shape).astype(dtype)
    if dtype == np.float32:
        xs /= 255
    for t in (Affine(angle=(-40, 40), translate=(-0.3, 0.3), scale=(0.7, 1.3), shear=(-10, 10),
                     interpolation=interpolation, border="reflect", fill=0.3),
              Rotate(angle=(-180, 180), interpolation=interpolation, fill=0.6),
              Rotate(angle=90, interpolation=interpolation)):  # square: np.rot90 per image
        values = t.sample_batch(rng, len(xs))
        out = t.apply_batch(xs, values)
        assert out.shape == xs.shape and out.dtype == xs.dtype
        for i in range(len(xs)):
            vi = {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in values.items()}
            assert np.array_equal(out[i], t.apply(xs[i], **vi)), (type(t).__name__, i)


@pytest.mark.parametrize("cls", [Affine, Rotate])
@pytest.mark.parametrize("shape", [(8, 16, 16), (4, 32, 32, 3), (3, 64, 80, 3)])
def test_affine_batch_path_is_vectorised(cls, shape, monkeypatch):
    def per_item(*args, **kwargs):
        raise AssertionError("apply_batch fell back to per-item apply")

    monkeypatch.setattr(cls, "apply", per_item)
    xs = np.zeros(shape, np.uint8)
    t = cls()
    out = t.apply_batch(xs, t.sample_batch(np.random.default_rng(0), len(xs)))
    assert out.shape == xs.shape


def test_random_resized_crop_size_and_full_crop():
    img = RNG.integers(0, 256, (40, 40, 3), dtype=np.uint8)
    out = RandomResizedCrop(height=20, width=30)(img, rng=1)
    assert out.shape == (20, 30, 3)
    full = RandomResizedCrop(height=40, width=40, scale=1.0, ratio=1.0)(img, rng=1)
    assert np.array_equal(full, img)


@pytest.mark.parametrize(("pos_x", "pos_y"), [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)])
def test_random_resized_crop_positions_place_the_box(pos_x, pos_y):
    img = RNG.integers(0, 256, (40, 30), dtype=np.uint8)
    # a 17×17 box (aspect 1) placed at the corner the positions name
    t = RandomResizedCrop(height=17, width=17, scale=17 * 17 / (40 * 30), ratio=1.0,
                          interpolation="nearest")
    values = {**t.sample(np.random.default_rng(0)), "pos_x": pos_x, "pos_y": pos_y}
    top, left = round(pos_y * (40 - 17)), round(pos_x * (30 - 17))
    assert np.array_equal(t.apply(img, **values), img[top:top + 17, left:left + 17])


def test_crop_pad_zero_is_identity_and_pads_fill():
    assert np.array_equal(CropPad(amount=0)(LARGE), LARGE)
    img = np.full((20, 20), 255, np.uint8)
    out = CropPad(amount=0.25, interpolation="nearest", fill=0.0)(img)
    assert out.shape == img.shape
    assert out[0, 0] == 0
    assert out[10, 10] == 255


@pytest.mark.parametrize("t", [Perspective(scale=0), Elastic(alpha=0), GridDistortion(distort=0)])
def test_zero_magnitude_warps_are_identity(t):
    out = t(LARGE, rng=0)
    assert np.abs(out.astype(int) - LARGE).max() <= 1
