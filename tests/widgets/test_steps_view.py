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


def _quiet_albumentations():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pytest.importorskip("albumentations")


def test_widgets_take_a_live_albumentations_pipeline_and_show_the_report(images):
    A = _quiet_albumentations()
    pipe = A.Compose([A.Resize(20, 20), A.HorizontalFlip(), A.Emboss(), A.Normalize(mean=0.5, std=0.5)])
    e = augviz.explore(pipe, images)
    assert e.error is None and [t.id for t in e.recipe.preprocess["after"]] == ["image.normalize"]
    assert [c for _, c, _ in e.import_report.dropped] == ["Emboss"]
    assert any("Emboss" in w.value for w in _html_children(e))
    out = e.outputs[0][0][0]
    assert out.shape[:2] == (20, 20) and out.min() >= 0.0 and out.max() <= 1.0  # shown rescaled
    b = RecipeBuilder(images, recipe=pipe)
    assert b.error is None and b.import_report is not None and "Emboss" in b._report.value
    assert b.recipe.preprocess == e.recipe.preprocess  # preparation survives the builder
    greyed = [c.value for c in b._steps_box.children if "preprocess (" in getattr(c, "value", "")]
    assert len(greyed) == 2 and "image.resize" in greyed[0] and "color:#888" in greyed[0]
    b.load(RECIPE)
    assert b.import_report is None and b._report.value == ""


def test_builder_loads_an_albumentations_yaml_file(images):
    _quiet_albumentations()
    from pathlib import Path

    path = Path(__file__).parents[1] / "data" / "albumentations" / "kaggle_like.yaml"
    b = RecipeBuilder(images, recipe=path)
    assert b.error is None and len(b.recipe) == 10 and "9 exact" in b._report.value


def _html_children(w):
    import ipywidgets as W

    stack, found = [w], []
    while stack:
        x = stack.pop()
        if isinstance(x, W.HTML):
            found.append(x)
        stack += list(getattr(x, "children", ()))
    return found
