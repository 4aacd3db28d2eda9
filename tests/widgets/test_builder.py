"""The Recipe Builder, driven from Python (no browser)."""

from __future__ import annotations

import json

import pytest

import augviz
from augviz import OneOf, Recipe, RecipeError
from augviz.core import InputError
from augviz.datasets import load_digits
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.widgets import RecipeBuilder


@pytest.fixture(scope="module")
def digits():
    return load_digits()


@pytest.fixture
def builder(digits):
    return RecipeBuilder(digits, n_samples=2, n_variants=2)


def test_catalogue_is_grouped_by_family_and_searchable(builder):
    ids = builder.choices
    assert set(ids) == {c.id for c in augviz.catalogue("image")}
    families = [augviz.get_transform(i).family for i in ids]
    assert families == sorted(families)  # grouped
    assert all("›" in label for label, _ in builder._picker.options)
    assert builder.search("flip") == ["image.hflip", "image.vflip"]
    assert builder.search("zzz-nothing") == []
    assert builder.search("") == ids


def test_add_remove_move_enable(builder):
    assert builder.recipe == Recipe([], modality="image")
    assert builder.add("image.rotate", angle=(-10, 10)) == 0
    before = builder.image_bytes
    builder.add("image.brightness", p=0.5)
    builder.add("image.hflip")
    assert builder.steps == ["image.rotate", "image.brightness", "image.hflip"]
    assert builder.image_bytes != before
    builder.move(2, 0)
    assert builder.steps == ["image.hflip", "image.rotate", "image.brightness"]
    builder.set_enabled(0, False)
    assert builder.recipe.enabled == (False, True, True)
    assert "augviz-step-disabled" in builder._steps_box.children[0]._dom_classes
    builder.remove(0)
    assert builder.recipe == Recipe([Rotate(angle=(-10, 10)), Brightness(p=0.5)])
    with pytest.raises(InputError, match="out of range"):
        builder.remove(5)


def test_per_step_parameters_and_json_view(builder):
    builder.add("image.rotate")
    count = builder.render_count
    builder.set(0, angle=(-40, 40), p=0.8)
    assert builder.recipe.steps[0] == Rotate(angle=(-40, 40), p=0.8)
    assert builder.render_count == count + 1
    assert json.loads(builder.json) == builder.recipe.to_dict()
    # moving the step's own slider updates the JSON text too
    builder._steps[0].children[0].widgets["angle"].value = (-5.0, 5.0)
    assert json.loads(builder.json)["steps"][0]["params"]["angle"] == [-5.0, 5.0]


def test_one_of_groups(builder):
    builder.add("image.rotate", p=0.5)
    builder.add("image.brightness", into=0)
    assert builder.steps == ["one_of(image.rotate, image.brightness)"]
    step = builder.recipe.steps[0]
    assert isinstance(step, OneOf)
    assert step.p == 0.5
    builder.set(0, p=0.3)
    builder.set(0, child=1, delta=(-0.4, 0.4))
    assert builder.recipe.steps[0] == OneOf([Rotate(), Brightness(delta=(-0.4, 0.4))], p=0.3)
    builder.add("image.hflip")
    builder.ungroup(0)
    assert builder.steps == ["image.rotate", "image.brightness", "image.hflip"]
    builder.group(1, 2, p=0.4)
    expected = OneOf([Brightness(delta=(-0.4, 0.4)), HorizontalFlip()], p=0.4)
    assert builder.recipe.steps[1] == expected
    builder.remove(1, child=0)
    assert builder.steps == ["image.rotate", "image.hflip"]


def test_export_writes_a_file_that_loads_back_equal(builder, tmp_path):
    builder.add("image.rotate", angle=(-15, 15))
    builder.add("image.brightness", into=0)
    builder.add("image.vflip", p=0.1)
    builder.set_enabled(1, False)
    path = builder.export(tmp_path / "recipe.json")
    assert path.exists()
    assert Recipe.load(path) == builder.recipe
    assert "data:application/json;base64," in builder.export_row.status.value
    with pytest.raises(InputError, match="exists"):
        builder.export(path)
    builder.export(path, overwrite=True)


def test_load_from_file_dict_and_text(builder, tmp_path):
    recipe = Recipe([Rotate(angle=(-5, 5)), OneOf([HorizontalFlip(), Brightness()], p=0.2)],
                    seed=7, name="mine", enabled=[True, False])
    path = recipe.save(tmp_path / "r.json")
    for source in (path, str(path), recipe.to_dict(), recipe.to_json(), recipe):
        builder.clear()
        builder.load(source)
        assert builder.recipe == recipe
    assert builder.steps == ["image.rotate", "one_of(image.hflip, image.brightness)"]
    with pytest.raises(RecipeError):
        builder.load({"format": "augviz.recipe", "version": 1, "modality": "image",
                      "steps": [{"transform": "image.rotat"}]})
    assert builder.recipe == recipe  # a failed load changes nothing


def test_button_errors_are_shown_and_the_builder_keeps_working(builder, tmp_path):
    builder._json.value = (
        '{"format": "augviz.recipe", "version": 1, "modality": "image", '
        '"steps": [{"transform": "image.nope"}]}'
    )
    builder._apply_json.click()
    assert "image.nope" in builder.error
    # shown beside the JSON buttons that were clicked, not above the preview
    assert "image.nope" in builder.preview.area("export").value
    assert builder.preview.error.value == ""
    builder.export_row.path.value = str(tmp_path / "missing-dir" / "x.json")
    builder.export_row.button.click()
    assert "does not exist" in builder.error
    builder._picker.value = "image.rotate"
    builder._add_button.click()
    assert builder.steps == ["image.rotate"]
    assert builder.error is None


def test_buttons_in_the_step_cards(builder):
    builder.add("image.rotate")
    builder.add("image.hflip")
    card = builder._steps_box.children[1]
    up = card.children[0].children[2]
    assert up.tooltip == "move up"
    up.click()
    assert builder.steps == ["image.hflip", "image.rotate"]
    builder._steps_box.children[0].children[0].children[4].click()  # remove
    assert builder.steps == ["image.rotate"]


def test_start_from_a_recipe(digits):
    recipe = Recipe([Rotate(angle=(-10, 10))], seed=1, name="x")
    b = RecipeBuilder(digits, recipe=recipe, n_samples=1, n_variants=1)
    assert b.recipe == recipe
    assert b.error is None
    assert augviz.RecipeBuilder is RecipeBuilder
