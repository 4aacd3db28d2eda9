"""step_grid: the input and the image after each step, per draw."""

from __future__ import annotations

import numpy as np
import pytest

from augviz import OneOf, Recipe
from augviz.core.errors import InputError
from augviz.core.rng import as_generator
from augviz.image import GaussianBlur, GaussianNoise, HorizontalFlip, MotionBlur, Rotate
from augviz.image.preprocess import Normalize, Resize, ToTensor
from augviz.viz import step_grid, step_rows
from augviz.viz.steps import viewable

IMG = np.random.default_rng(0).integers(0, 256, (24, 24, 3), dtype=np.uint8)


def _recipe():
    return Recipe([Rotate(angle=(-20, 20)), HorizontalFlip(p=0.0), OneOf([GaussianBlur(), MotionBlur()]),
                   GaussianNoise()]).set_enabled(3, False)


def test_rows_show_each_step_with_its_drawn_values_and_state():
    (row,) = step_rows(_recipe(), IMG, rng=0)
    captions = [c for _, c, _ in row]
    states = [s for _, _, s in row]
    assert states == ["input", "ran", "skipped", "ran", "off"]
    assert captions[0] == "input" and captions[1].startswith("rotate angle=")
    assert captions[2] == "hflip: skipped (p=0)" and captions[3].startswith("one_of: ")
    assert captions[4] == "gaussian_noise: off"
    # each tile is the image after its step: the last equals the recipe's own output
    assert np.array_equal(row[-1][0], _recipe()(IMG, rng=as_generator(0)))
    assert np.array_equal(row[2][0], row[1][0])  # a skipped step leaves the image as it was


def test_draws_follow_the_generator_and_repeat_for_a_seed():
    rows = step_rows(_recipe(), IMG, n=3, rng=5)
    assert len(rows) == 3 and rows[0][1][1] != rows[1][1][1]
    assert np.array_equal(step_grid(_recipe(), IMG, n=3, rng=5), step_grid(_recipe(), IMG, n=3, rng=5))


def test_preparation_steps_are_shown_and_faded():
    r = Recipe([Rotate()], preprocess={"before": [Resize(height=16, width=20)],
                                       "after": [Normalize(), ToTensor()]})
    (row,) = step_rows(r, IMG, rng=0)
    assert [s for _, _, s in row] == ["input", "prep", "ran", "prep", "prep"]
    assert row[1][1] == "prep resize height=16 width=20" and row[4][1] == "prep to_tensor"
    assert viewable(row[4][0]).shape == (16, 20, 3)
    grid = step_grid(r, IMG, rng=0, tile=20, pad=0, captions=False)
    assert grid.shape == (20, 100, 3)
    faded = grid[:, 20:40].astype(int)  # faded towards the white background
    assert faded.min() >= int(0.55 * 255) - 1


def test_viewable_rescales_normalised_channels_first_arrays():
    arr = Normalize()(IMG).transpose(2, 0, 1)
    out = viewable(arr)
    assert out.shape == (24, 24, 3) and out.min() == 0.0 and out.max() == 1.0


def test_step_grid_takes_one_image():
    with pytest.raises(InputError, match="one image"):
        step_grid(_recipe(), [IMG, IMG])
