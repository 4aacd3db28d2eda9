"""What the widgets share: one way to read a recipe (``as_recipe``), argument specs, one
preview host (mode, seed, export, errors) for the Explorer and the Builder, the LabPanel's
spec-built controls, and viewers found through the modality records."""

from __future__ import annotations

import ipywidgets as W
import pytest

import augviz
from augviz import OneOf, Recipe, RecipeError, SomeOf
from augviz.core import InputError
from augviz.core.coerce import as_recipe, single_transform
from augviz.datasets import load_digits, sample_image
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.lab.args import EPOCHS, SEEDS, TRAIN_SIZE
from augviz.modalities import all_modalities
from augviz.widgets import Explorer, LabPanel, RecipeBuilder, explore, get_viewer, register_viewer, viewers
from augviz.widgets._live import N_VARIANTS, ErrorArea, PreviewHost


@pytest.fixture(scope="module")
def photo():
    return sample_image("astronaut", size=48)


@pytest.fixture(scope="module")
def recipe():
    return Recipe([Rotate(angle=(-5, 5)), OneOf([HorizontalFlip(), Brightness()], p=0.2)],
                  seed=7, name="mine", enabled=[True, False])


# -- as_recipe ------------------------------------------------------------------------
def test_as_recipe_takes_every_form_of_a_recipe(recipe, tmp_path):
    path = recipe.save(tmp_path / "r.json")
    for given in (recipe, recipe.to_dict(), recipe.to_json(), path, str(path)):
        assert as_recipe(given, where="test") == recipe
    group = SomeOf([HorizontalFlip(), Brightness()], n=1)
    assert as_recipe(group, where="test").steps == (group,)
    for given in (Rotate(angle=3), "image.rotate", Rotate):
        assert as_recipe(given, where="test").steps[0].id == "image.rotate"
    assert augviz.as_recipe is as_recipe


def test_as_recipe_tells_a_single_transform_from_a_recipe(recipe):
    assert single_transform(Rotate(angle=3)) == Rotate(angle=3)
    assert single_transform("image.hflip") == HorizontalFlip()
    for given in (recipe, recipe.to_dict(), Recipe([Rotate()]), OneOf([Rotate()]), "r.json"):
        assert single_transform(given) is None


def test_as_recipe_messages_name_where_what_and_what_is_allowed(recipe, tmp_path):
    with pytest.raises(InputError, match=r"^explore: got a int; allowed: a Recipe, a Transform"):
        as_recipe(3, where="explore")
    with pytest.raises(InputError, match=r"'image.rotat' is not a registered .*did you mean 'image.rotate'"):
        as_recipe("image.rotat", where="explore")
    with pytest.raises(InputError, match=r"no such file"):
        as_recipe(str(tmp_path / "none.json"), where="explore")
    with pytest.raises(InputError, match=r"a folder"):
        as_recipe(tmp_path, where="explore")
    with pytest.raises(RecipeError, match=r"^load: the JSON text: not valid JSON"):
        as_recipe("{oops", where="load")
    with pytest.raises(InputError, match=r"^b: the recipe is image; allowed: audio recipes"):
        as_recipe(recipe, where="b", modality="audio")


def test_explorer_and_builder_take_what_as_recipe_takes(recipe, photo, tmp_path):
    path = recipe.save(tmp_path / "r.json")
    for given in (recipe, recipe.to_dict(), str(path)):
        ex = explore(given, photo, n_variants=1)
        assert ex.recipe == recipe
        assert "steps[1].one_of[0]" in ex.params  # a recipe: sliders per step
    assert explore("image.rotate", photo, n_variants=1).params["angle"] == (-15.0, 15.0)
    b = RecipeBuilder(photo, recipe=Rotate(angle=(-2, 2)), n_samples=1, n_variants=1)
    assert b.recipe.steps == (Rotate(angle=(-2, 2)),)
    b.load("image.hflip")
    assert b.steps == ["image.hflip"]
    with pytest.raises(InputError, match=r"RecipeBuilder\.load: the recipe is image; allowed: text"):
        RecipeBuilder(["some text"], n_samples=1, n_variants=1).load(recipe)
    with pytest.raises(InputError, match="explore: got a list"):
        explore([Rotate()], photo)


# -- argument specs -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_variants": 0}, "explore: n_variants=0 is outside [1, 16]"),
        ({"n_variants": 2.5}, "n_variants=2.5 is not an integer"),
        ({"n_samples": 0}, "explore: n_samples=0 is outside"),
        ({"tile": -4}, "explore: tile=-4 is outside [8, 2048] px"),
        ({"seed": -1}, "explore: seed=-1 is outside"),
        ({"samples": [0, 3]}, "explore: samples=3 is outside [-1, 0]"),
        ({"mode": "sometimes"}, "explore: mode='sometimes' is not allowed; allowed: 'random', 'fixed'"),
    ],
)
def test_widget_arguments_are_checked_by_their_specs(photo, kwargs, message):
    with pytest.raises(InputError) as info:
        explore(Rotate(), photo, **kwargs)
    assert message in str(info.value)


def test_builder_arguments_are_checked_by_the_same_specs(photo):
    with pytest.raises(InputError, match=r"RecipeBuilder: n_variants=17 is outside \[1, 16\]"):
        RecipeBuilder(photo, n_variants=17)
    assert N_VARIANTS.high == 16


# -- one host -------------------------------------------------------------------------
def test_explorer_and_builder_share_one_host(photo, tmp_path):
    assert issubclass(Explorer, PreviewHost) and issubclass(RecipeBuilder, PreviewHost)
    ex = explore(Rotate(angle=(-30, 30)), photo, n_variants=2)
    b = RecipeBuilder(photo, recipe=Rotate(angle=(-30, 30)), n_samples=1, n_variants=2)
    for w in (ex, b):
        assert w.image_bytes[:2] == b"\xff\xd8"
        first = w.image_bytes
        assert w.reroll() is w and w.seed == 1 and w.image_bytes != first
        w.seed = 0
        assert w.image_bytes == first
        w.mode = "fixed"
        assert w.recipe.steps[0].params["angle"] == (30.0, 30.0)
        assert len(w.captions[0]) == 1 and w.captions[0][0].endswith("angle=30°")
        w.mode = "random"
        assert w.recipe.steps[0].params["angle"] == (-30.0, 30.0)
        path = w.export(tmp_path / f"{type(w).__name__}.json")
        assert Recipe.load(path) == w.recipe
        assert "download" in w.export_row.status.value
        w.export_row.path.value = str(path)
        w.export_row.button.click()  # the file exists now: shown, not raised
        assert "exists" in w.error
    assert '"angle": [-30.0, 30.0]' in b.json


def test_builder_in_fixed_mode_makes_new_steps_fixed(photo):
    b = RecipeBuilder(photo, mode="fixed", n_samples=1, n_variants=3)
    b.add("image.rotate", angle=(-20, 10))
    assert isinstance(b._steps[0].children[0].widgets["angle"], W.FloatSlider)
    assert b.recipe.steps[0].params["angle"] == (-20.0, -20.0)
    assert len(b.captions[0]) == 1  # one magnitude, one column
    b.preview.mode_toggle.value = "random"  # the toggle, as in the browser
    assert b.mode == "random"
    assert isinstance(b._steps[0].children[0].widgets["angle"], W.FloatRangeSlider)


def test_builder_group_n_is_checked(photo):
    b = RecipeBuilder(photo, n_samples=1, n_variants=1)
    b.load(SomeOf([Rotate(), HorizontalFlip(), Brightness()], n=1))
    assert b.steps == ["some_of(image.rotate, image.hflip, image.brightness)"]
    b.set(0, n=2)
    assert b.recipe.steps[0].n == 2
    with pytest.raises(InputError, match=r"steps\[0\]: n=5 is outside \[1, 3\]"):
        b.set(0, n=5)
    assert b.recipe.steps[0].n == 2


def test_error_area_shows_and_clears():
    area = ErrorArea()
    assert area.guard("load", lambda: 1 / 0) is None
    assert area.message == "ZeroDivisionError: division by zero"
    assert "load failed" in area.widget.value
    assert area.guard("load", lambda: 5) == 5
    area.clear()
    assert (area.message, area.widget.value) == (None, "")


# -- LabPanel -------------------------------------------------------------------------
def test_lab_panel_controls_come_from_the_lab_specs():
    panel = LabPanel({"none": None}, train_size=60, epochs=200, seeds=1)
    assert (panel.epochs.min, panel.epochs.max, panel.epochs.value) == (EPOCHS.low, EPOCHS.high, 200)
    assert (panel.seeds.min, panel.seeds.max) == (SEEDS.low, SEEDS.high)
    assert (panel.train_size.min, panel.train_size.step) == (TRAIN_SIZE.low, TRAIN_SIZE.step)
    assert EPOCHS.doc in panel.epochs.tooltip
    with pytest.raises(InputError, match=r"LabPanel: epochs=0 is outside \[1, 1000\]"):
        LabPanel({"none": None}, epochs=0)
    with pytest.raises(InputError, match="LabPanel: seeds=101 is outside"):
        LabPanel({"none": None}, seeds=101)


def test_lab_panel_shows_errors_in_the_shared_error_area(tmp_path):
    panel = LabPanel({"none": None}, train_size=60, epochs=1, seeds=1)
    panel.path.value = str(tmp_path / "missing.json")
    panel.add_button.click()
    assert "no such file" in panel.error
    assert "augviz-error" in panel.status.value and "add_file failed" in panel.status.value
    panel.add_recipe("flip", "image.hflip")  # anything as_recipe takes
    assert panel.recipes["flip"] == Recipe([HorizontalFlip()])
    assert LabPanel([None, Rotate()]).recipes.keys() == {"none", "recipe 1"}


# -- viewers --------------------------------------------------------------------------
def test_viewers_come_from_the_modality_records():
    for m in all_modalities():
        if m.viewer:
            assert get_viewer(m.name) is m.load("viewer")
    assert set(viewers()) >= {m.name for m in all_modalities() if m.viewer}


def test_a_registered_viewer_overrides_the_record():
    def mine(samples, outputs_with_traces, **options):
        return W.HTML("mine")

    declared = get_viewer("text")
    with pytest.raises(augviz.AugvizError, match=r"already registered.*text_viewer"):
        register_viewer("text", mine)
    register_viewer("text", mine, replace=True)
    try:
        assert get_viewer("text") is mine
        ex = explore("text.random_swap", ["one two three four"], n_variants=1)
        assert ex.preview.view.children[0].value == "mine"
    finally:
        register_viewer("text", declared, replace=True)
    assert get_viewer("text") is declared
    x, _y = load_digits()
    assert explore(Rotate(), x[:1], n_variants=1).error is None
