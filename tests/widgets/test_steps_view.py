"""The steps view of the Explorer and the Recipe Builder, driven from Python."""

from __future__ import annotations

import pytest

import augviz
from augviz import OneOf, Recipe
from augviz.core import InputError
from augviz.datasets import load_digits
from augviz.image import GaussianBlur, GaussianNoise, HorizontalFlip, MotionBlur, Rotate
from augviz.widgets import RecipeBuilder

RECIPE = Recipe([Rotate(angle=(-20, 20)), HorizontalFlip(p=0.5), OneOf([GaussianBlur(), MotionBlur()]),
                 GaussianNoise()])


@pytest.fixture(scope="module")
def images():
    return load_digits()[0][:2]


@pytest.mark.parametrize("make", [lambda x: augviz.explore(RECIPE, x),
                                  lambda x: RecipeBuilder(x, recipe=RECIPE)], ids=["explorer", "builder"])
def test_steps_view_shows_each_sample_after_every_step(make, images):
    w = make(images)
    grid_bytes = w.image_bytes
    w.view = "steps"
    assert w.error is None and w.view == "steps"
    assert len(w.captions) == 2 and [len(c) for c in w.captions] == [5, 5]
    assert w.captions[0][0] == "input" and w.captions[0][1].startswith("rotate")
    assert w.image_bytes and w.image_bytes != grid_bytes
    assert w.preview.step_switches in w.preview.view.children
    w.view = "grid"
    assert w.preview.step_switches not in w.preview.view.children and len(w.captions[0]) == 4


def test_a_step_switched_off_is_left_out_of_the_preview_not_the_recipe(images):
    b = RecipeBuilder(images, recipe=RECIPE)
    b.view = "steps"
    b.show_step(0, False)
    assert b.steps_shown == [False, True, True, True]
    assert b.captions[0][1] == "rotate: off"
    assert b.recipe.enabled == (True, True, True, True)
    boxes = b.preview.step_switches.children
    assert [x.value for x in boxes] == [False, True, True, True]
    boxes[0].value = True  # the checkbox drives the same switch
    b.render()
    assert b.steps_shown == [True] * 4 and b.captions[0][1].startswith("rotate angle=")
    b.view = "grid"
    b.show_step(3, False)
    assert all("gaussian_noise" not in c for row in b.captions for c in row)


def test_bad_view_and_step_arguments(images):
    b = RecipeBuilder(images, recipe=RECIPE)
    with pytest.raises(InputError, match="view"):
        b.view = "table"
    with pytest.raises(InputError, match="allowed: 0 to 3"):
        b.show_step(7, False)
