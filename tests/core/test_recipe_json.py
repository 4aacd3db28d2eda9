from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import as_bytes

import augviz
from augviz import InputError, OneOf, Recipe, RecipeError
from augviz.core import recipe_json as recipe_module
from augviz.image import Brightness, HorizontalFlip, Rotate

GOLDEN = Path(__file__).parent.parent / "data" / "recipes"


def good() -> dict:
    return {
        "format": "augviz.recipe",
        "version": 1,
        "modality": "image",
        "seed": 0,
        "name": "digits-mild",
        "steps": [
            {"transform": "image.rotate", "p": 1.0, "params": {"angle": [-15.0, 15.0]}},
            {
                "one_of": [
                    {"transform": "image.hflip", "p": 1.0, "params": {}},
                    {"transform": "image.brightness", "p": 1.0, "params": {"delta": [0.02, 0.08]}},
                ],
                "p": 0.3,
            },
        ],
        "meta": {"augviz": "0.1.0", "notes": "", "lab": {}},
    }


def test_design_example_loads_and_round_trips():
    r = Recipe.from_dict(good())
    assert r.name == "digits-mild" and r.seed == 0 and len(r) == 2
    assert isinstance(r[1], OneOf)
    assert r[0] == Rotate(angle=(-15, 15))
    assert Recipe.from_dict(r.to_dict()) == r
    assert r.written_by == "0.1.0"


def test_omitted_params_take_spec_defaults():
    d = good()
    d["steps"] = [{"transform": "image.rotate"}]
    assert Recipe.from_dict(d)[0] == Rotate()


def mutate(path_fn):
    d = good()
    path_fn(d)
    return d


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda d: d.update(colour="red"), r"^colour: unknown key; allowed keys here: format"),
        (lambda d: d["steps"][0].update(prob=0.5), r"^steps\[0\]\.prob: unknown key"),
        (
            lambda d: d["steps"][0].update(transform="image.rotat"),
            r"^steps\[0\]\.transform: unknown transform id 'image.rotat'; did you mean 'image.rotate'",
        ),
        (
            lambda d: d["steps"][1]["one_of"][1]["params"].update(delta=[0.5, 2.0]),
            r"^steps\[1\]\.one_of\[1\]\.params\.delta: 2 is outside \[-1, 1\]",
        ),
        (
            lambda d: d["steps"][0]["params"].update(angle=[20, -20]),
            r"^steps\[0\]\.params\.angle: \[20, -20\] has low > high",
        ),
        (
            lambda d: d["steps"][0]["params"].update(angle="big"),
            r"^steps\[0\]\.params\.angle: 'big' is not a \[low, high\] pair",
        ),
        (
            lambda d: d["steps"][0]["params"].update(spin=1),
            r"^steps\[0\]\.params\.spin: unknown parameter of image.rotate; allowed: angle",
        ),
        (
            lambda d: d["steps"][0].update(p=1.5),
            r"^steps\[0\]\.p: 1.5 is outside \[0, 1\]",
        ),
        (
            lambda d: d["steps"][1].update(p="often"),
            r"^steps\[1\]\.p: 'often' is not a number; allowed: a number in \[0, 1\]",
        ),
        (lambda d: d.update(version=3), r"^version: format version 3 is newer"),
        (lambda d: d.update(version="1"), r"^version: '1' is not allowed"),
        (lambda d: d.update(steps={}), r"^steps: expected an array of steps, got object"),
        (lambda d: d["steps"].append(3), r"^steps\[2\]: expected an object with 'transform'"),
        (
            lambda d: d["steps"][0].update(transform=5),
            r"^steps\[0\]\.transform: expected a transform id string",
        ),
        (lambda d: d.update(modality="video"), r"^modality: 'video' is not allowed"),
        (lambda d: d["steps"][0].update(transform="text.swap"), r"^steps\[0\]\.transform: "),
        (lambda d: d.update(seed=-3), r"^seed: -3 is not allowed"),
        (lambda d: d.update(meta=[]), r"^meta: expected an object, got array"),
        (lambda d: d.pop("steps"), r"missing key 'steps'"),
        (lambda d: d["steps"][1].update(one_of=[]), r"^steps\[1\]\.one_of: expected a non-empty array"),
        (
            lambda d: d["steps"][1]["one_of"].append({"one_of": []}),
            r"^steps\[1\]\.one_of\[2\]: expected an object with 'transform'",
        ),
        (
            lambda d: d["steps"][0]["params"].update(interpolation="lanczos9"),
            r"^steps\[0\]\.params\.interpolation: 'lanczos9' is not allowed; allowed: 'nearest'",
        ),
    ],
)
def test_bad_json_names_path_and_allowed(make, pattern):
    with pytest.raises(RecipeError, match=pattern):
        Recipe.from_dict(mutate(make))


@pytest.mark.parametrize("data", [[], "recipe", 3, None, {"steps": []}, {"format": "albumentations"}])
def test_not_a_recipe_at_all(data):
    with pytest.raises(RecipeError, match="not an augviz recipe"):
        Recipe.from_dict(data)


def test_albumentations_json_is_recognised_as_not_ours():
    alb = {"__version__": "2.0.8", "transform": {"__class_fullname__": "Compose", "transforms": []}}
    with pytest.raises(RecipeError, match="not an augviz recipe"):
        Recipe.from_dict(alb)


def test_truncated_and_non_json_files(tmp_path):
    text = json.dumps(good())
    (tmp_path / "t.json").write_text(text[: len(text) // 2])
    with pytest.raises(RecipeError, match=r"t.json: not valid JSON \(line 1, column \d+.*truncated"):
        Recipe.load(tmp_path / "t.json")
    (tmp_path / "b.json").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(RecipeError, match="not a UTF-8 text file"):
        Recipe.load(tmp_path / "b.json")
    with pytest.raises(RecipeError, match="no such file"):
        Recipe.load(tmp_path / "missing.json")
    (tmp_path / "nan.json").write_text(text.replace("-15.0", "NaN"))
    with pytest.raises(RecipeError, match="NaN"):
        Recipe.load(tmp_path / "nan.json")


def test_loading_never_executes_code(tmp_path, monkeypatch):
    """A transform id that names a module is looked up in the registry only."""
    imported = []
    real_import = __import__

    def spy(name, *args, **kwargs):
        imported.append(name)
        return real_import(name, *args, **kwargs)

    d = good()
    d["steps"][0]["transform"] = "os.system"
    monkeypatch.setattr("builtins.__import__", spy)
    with pytest.raises(RecipeError, match=r"unknown transform id 'os\.system'"):
        Recipe.from_dict(d)
    assert "os.system" not in imported


def test_save_is_atomic_and_refuses_to_overwrite(tmp_path):
    r = Recipe.from_dict(good())
    path = r.save(tmp_path / "r.json")
    assert Recipe.load(path) == r
    original = path.read_bytes()
    other = Recipe([HorizontalFlip()])
    with pytest.raises(InputError, match="exists; pass overwrite=True"):
        other.save(path)
    assert path.read_bytes() == original  # user data untouched
    other.save(path, overwrite=True)
    assert Recipe.load(path) == other
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temp files left behind
    with pytest.raises(InputError, match="is a directory"):
        other.save(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        other.save(tmp_path / "nope" / "r.json")


def test_json_is_readable_and_ranges_on_one_line():
    text = Recipe.from_dict(good()).to_json()
    assert '"angle": [-15.0, 15.0]' in text
    assert json.loads(text)["format"] == "augviz.recipe"


def test_disabled_steps_round_trip():
    r = Recipe([Rotate(), Brightness()]).set_enabled(1, False)
    d = r.to_dict()
    assert d["steps"][1]["enabled"] is False and "enabled" not in d["steps"][0]
    assert Recipe.from_dict(d) == r


def test_migration_hook_upgrades_old_versions(monkeypatch):
    """A future v2 reader runs MIGRATIONS[1] on v1 files; simulate that with a fake v2."""

    def v1_to_v2(d):
        d = copy.deepcopy(d)
        d["version"] = 2
        d["name"] = d["name"] + " (migrated)"
        return d

    monkeypatch.setattr(recipe_module, "VERSION", 2)
    monkeypatch.setitem(recipe_module.MIGRATIONS, 1, v1_to_v2)
    r = Recipe.from_dict(good())
    assert r.name == "digits-mild (migrated)"


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.name)
def test_golden_files_of_every_released_version_load(path):
    r = Recipe.load(path)
    expected = json.loads(path.read_text())
    assert r.modality == expected["modality"]
    assert len(r) == len(expected["steps"])
    img = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    assert as_bytes(r(img, rng=0)) == as_bytes(r(img, rng=0))


def test_golden_folder_is_not_empty():
    assert len(list(GOLDEN.glob("v1-*.json"))) >= 2


def test_top_level_load_helpers():
    assert augviz.Recipe.from_json(Recipe.from_dict(good()).to_json()) == Recipe.from_dict(good())
