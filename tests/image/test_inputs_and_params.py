"""Bad inputs and bad parameters give AugvizErrors that say what is wrong."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import augviz
from augviz import InputError, ParamError
from augviz.image import (
    Affine,
    Cutout,
    GaussianBlur,
    Hue,
    Jpeg,
    Posterize,
    RandomResizedCrop,
    Rotate,
)

IMAGE_TRANSFORMS = augviz.catalogue("image")


@pytest.mark.parametrize(("t", "kw", "name"), [
    (Rotate, {"angle": 500}, "angle"),
    (Affine, {"translate": [-0.7, 0.2]}, "translate"),
    (Affine, {"scale": 0.1}, "scale"),
    (Affine, {"interpolation": "lanczos"}, "interpolation"),
    (Affine, {"border": "mirror"}, "border"),
    (Jpeg, {"quality": 0}, "quality"),
    (Posterize, {"bits": 2.5}, "bits"),
    (GaussianBlur, {"sigma": [3, 1]}, "sigma"),
    (Hue, {"shift": "red"}, "shift"),
    (Cutout, {"holes": 0}, "holes"),
    (RandomResizedCrop, {"height": 0}, "height"),
])
def test_bad_params_name_the_parameter(t, kw, name):
    with pytest.raises(ParamError, match=name):
        t(**kw)


@pytest.mark.parametrize("cls", IMAGE_TRANSFORMS, ids=[c.id for c in IMAGE_TRANSFORMS])
@pytest.mark.parametrize("bad", [
    Image.new("P", (8, 8)), Image.new("CMYK", (8, 8)), np.zeros((8, 8), np.float64),
    np.zeros((8, 8, 2), np.uint8), np.full((8, 8), 2.0, np.float32), [[0, 1]],
], ids=["pil_P", "pil_CMYK", "float64", "two_channels", "float_out_of_range", "list"])
def test_bad_inputs_raise_input_error(cls, bad):
    with pytest.raises(InputError):
        cls()(bad, rng=0)


def test_families_are_known():
    allowed = {"geometric", "color", "blur_noise", "occlusion", "compression"}
    assert {c.family for c in IMAGE_TRANSFORMS} <= allowed
    assert len(IMAGE_TRANSFORMS) >= 30


def test_noise_like_transforms_use_a_seed():
    for tid in ("image.gaussian_noise", "image.salt_pepper", "image.speckle", "image.cutout",
                "image.random_erasing", "image.grid_mask", "image.elastic", "image.perspective",
                "image.grid_distortion"):
        assert augviz.get_transform(tid).uses_seed, tid
    assert augviz.get_transform("image.elastic").slow
