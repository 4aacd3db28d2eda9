"""Blur and noise transforms."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.image import GaussianBlur, GaussianNoise, MotionBlur, SaltPepper, Speckle

RGB = np.random.default_rng(2).integers(0, 256, (32, 32, 3), dtype=np.uint8)


def test_zero_magnitudes_are_identity():
    assert np.array_equal(GaussianBlur(sigma=0)(RGB), RGB)
    assert np.array_equal(MotionBlur(length=1)(RGB), RGB)
    assert np.array_equal(GaussianNoise(std=0)(RGB, rng=0), RGB)
    assert np.array_equal(SaltPepper(amount=0)(RGB, rng=0), RGB)
    assert np.array_equal(Speckle(std=0)(RGB, rng=0), RGB)


def test_blur_keeps_mean_and_lowers_variance():
    out = GaussianBlur(sigma=2)(RGB)
    assert abs(out.mean() - RGB.mean()) < 3
    assert out.std() < RGB.std()


def test_motion_blur_direction():
    img = np.zeros((15, 15), np.float32)
    img[7, 7] = 1.0
    horiz = MotionBlur(length=7, angle=0)(img)
    assert horiz[7, 4] > 0
    assert horiz[4, 7] == 0
    vert = MotionBlur(length=7, angle=90)(img)
    assert vert[4, 7] > 0
    assert vert[7, 4] == 0
    assert np.isclose(horiz.sum(), 1.0, atol=1e-5)


def test_noise_is_a_function_of_the_seed():
    t = GaussianNoise(std=0.1)
    a = t.apply(RGB, std=0.1, per_channel=True, seed=5)
    b = t.apply(RGB, std=0.1, per_channel=True, seed=5)
    c = t.apply(RGB, std=0.1, per_channel=True, seed=6)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_noise_std_and_grey_noise():
    img = np.full((200, 200), 0.5, np.float32)
    out = GaussianNoise(std=0.05)(img, rng=0)
    assert abs(float(out.std()) - 0.05) < 0.005
    flat = np.dstack([np.full((32, 32), v, np.uint8) for v in (110, 128, 146)])
    grey = GaussianNoise(std=0.02, per_channel=False)(flat, rng=1).astype(int) - flat
    assert np.array_equal(grey[..., 0], grey[..., 1])
    assert np.array_equal(grey[..., 1], grey[..., 2])


def test_salt_pepper_fraction():
    img = np.full((100, 100, 3), 128, np.uint8)
    out = SaltPepper(amount=0.2, salt=0.5)(img, rng=0)
    changed = (out != 128).any(axis=2).mean()
    assert 0.17 < changed < 0.23
    assert set(np.unique(out)) == {0, 128, 255}


def test_speckle_keeps_black():
    img = np.zeros((8, 8, 3), np.uint8)
    assert not Speckle(std=0.5)(img, rng=0).any()


@pytest.mark.parametrize("shape", [(10, 16, 16), (6, 12, 12, 3), (4, 8, 8, 4)])
def test_noise_batch_equals_per_item(shape):
    xs = np.random.default_rng(3).integers(0, 256, shape, dtype=np.uint8)
    t = GaussianNoise(std=(0.05, 0.2))
    values = t.sample_batch(np.random.default_rng(4), len(xs))
    out = t.apply_batch(xs, values)
    for i in range(len(xs)):
        vi = {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in values.items()}
        assert np.array_equal(out[i], t.apply(xs[i], **vi))
