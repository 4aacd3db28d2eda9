"""The bundled offline samples."""

from __future__ import annotations

import numpy as np
import pytest

from augviz import InputError
from augviz.datasets import SAMPLE_IMAGES, load_digits, load_lfw_subset, sample_image


def test_lfw_subset_faces_and_non_faces():
    x, y, names = load_lfw_subset()
    assert x.shape == (200, 25, 25)
    assert x.dtype == np.float32
    assert x.min() >= 0.0
    assert x.max() <= 1.0
    assert names == ["non-face", "face"]
    assert np.bincount(y).tolist() == [100, 100]
    x8, _, _ = load_lfw_subset(dtype="uint8")
    assert x8.dtype == np.uint8
    assert np.abs(x8.astype(np.float32) / 255 - x).max() < 0.01


def test_lfw_returns_copies():
    x, _, _ = load_lfw_subset()
    x[:] = 0
    assert load_lfw_subset()[0].max() > 0


def test_lfw_rejects_bad_dtype():
    with pytest.raises(InputError, match="float64"):
        load_lfw_subset(dtype="float64")


@pytest.mark.parametrize("name", SAMPLE_IMAGES)
def test_sample_images_ship_and_are_square(name):
    img = sample_image(name, size=32)
    assert img.shape[:2] == (32, 32)
    assert img.dtype == np.uint8


def test_digits_still_load():
    x, y = load_digits(16, dtype="uint8")
    assert x.shape == (1797, 16, 16)
    assert x.dtype == np.uint8
    assert set(y.tolist()) == set(range(10))
