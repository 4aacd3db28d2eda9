"""Bad values given to the widgets from Python: refused with a message, state untouched."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.core import InputError, Recipe, SomeOf
from augviz.image import HorizontalFlip, Invert, Rotate, VerticalFlip
from augviz.widgets import RecipeBuilder, explore


@pytest.fixture
def photo() -> np.ndarray:
    return (np.random.default_rng(0).random((16, 16, 3)) * 255).astype(np.uint8)


@pytest.mark.parametrize(
    ("n", "message"),
    [
        (0, "steps[0]: n=0 is outside [1, 3]"),
        (5, "steps[0]: n=5 is outside [1, 3]"),
        ("two", "steps[0]: n='two' is not an integer"),
        (2.7, "steps[0]: n=2.7 is not an integer"),
        (True, "steps[0]: n=True is not an integer"),
    ],
)
def test_a_bad_group_size_is_refused_before_it_is_stored(photo, n, message):
    b = RecipeBuilder(photo, n_samples=1, n_variants=1)
    b.load(Recipe([SomeOf([Rotate(), HorizontalFlip(), VerticalFlip()], n=2)]))
    with pytest.raises(InputError) as info:
        b.set(0, n=n)
    assert message in str(info.value)
    assert b.recipe.steps[0].n == 2
    b.add("image.invert")  # the builder keeps working
    assert b.recipe.steps[1] == Invert()
    b.set(0, n=3.0)  # an integral float is an integer
    assert b.recipe.steps[0].n == 3


def test_explore_refuses_zero_samples(photo):
    with pytest.raises(InputError, match=r"explore: n_samples=0 is outside \[1, 1000\]"):
        explore(Rotate(), photo, n_samples=0)


@pytest.mark.parametrize("shape", [(8, 8), (8, 8, 3)])
def test_a_float64_image_is_blamed_for_its_dtype_not_its_rows(shape):
    img = np.random.default_rng(1).random(shape)  # what `img / 255.0` gives
    with pytest.raises(InputError) as info:
        explore(Rotate(), img)
    text = str(info.value)
    assert text.startswith("explore: data (array")
    assert "image dtype float64 is not allowed" in text and "astype(np.float32)" in text
    with pytest.raises(InputError, match=r"RecipeBuilder: .*image dtype float64 is not allowed"):
        RecipeBuilder(img)
    # the same array as float32 is one image
    assert explore(Rotate(), img.astype(np.float32), n_variants=1).error is None
