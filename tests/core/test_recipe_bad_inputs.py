"""Bad values given to recipes: refused at once with a message, never a raw error later."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from helpers import as_bytes, contract_inputs

from augviz import InputError, Recipe, RecipeError
from augviz.core import registry
from augviz.core.errors import AugvizError, ParamError
from augviz.core.params import Float, Int, Range, Text
from augviz.image import Cutout, HorizontalFlip, Rotate

MODALITIES = ("image", "audio", "spectrogram", "text")


def _json(**changes) -> str:
    d = {"format": "augviz.recipe", "version": 1, "modality": "image", "seed": 0, "name": "",
         "steps": [{"transform": "image.hflip"}], "meta": {}}
    d.update(changes)
    return json.dumps(d)


# -- meta -------------------------------------------------------------------------------
def test_numpy_values_in_meta_become_plain_json_and_save(tmp_path):
    meta = {"acc": np.float32(0.5), "n": np.int64(3), "ok": np.bool_(True), "curve": np.arange(3),
            "pair": (1, 2), "nested": {"x": [np.float64(1.5)]}}
    r = Recipe([Rotate()], meta=meta)
    assert r.meta == {"acc": 0.5, "n": 3, "ok": True, "curve": [0, 1, 2], "pair": [1, 2],
                      "nested": {"x": [1.5]}}
    assert type(r.meta["acc"]) is float and type(r.meta["n"]) is int and type(r.meta["ok"]) is bool
    back = Recipe.load(r.save(tmp_path / "r.json"))
    assert back == r


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"tags": {"a", "b"}}, "meta['tags'] holds a set (sorted(...) makes a list)"),
        ({"f": frozenset()}, "meta['f'] holds a frozenset"),
        ({"o": object()}, "meta['o'] holds an object"),
        ({"deep": [{"x": b"raw"}]}, "meta['deep'][0]['x'] holds a bytes"),
        ({1: "one"}, "meta: key 1 is an int; allowed: string keys"),
        ({"note": "caf\udce9"}, "meta['note']: 'caf\\udce9' contains a lone surrogate U+DCE9 at position 3"),
    ],
)
def test_meta_that_json_cannot_store_is_refused_at_construction(meta, message):
    with pytest.raises(RecipeError) as info:
        Recipe([Rotate()], meta=meta)
    assert message in str(info.value)


def test_deeply_nested_meta_is_refused_with_a_short_message():
    meta: dict = {}
    node = meta
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(RecipeError, match=r"^meta: nested more than 100 levels deep") as info:
        Recipe([Rotate()], meta=meta)
    assert len(str(info.value)) < 200
    with pytest.raises(RecipeError, match="meta is a list"):
        Recipe([Rotate()], meta=[1, 2])


# -- names and text ---------------------------------------------------------------------
def test_lone_surrogates_are_refused_where_they_enter(tmp_path):
    with pytest.raises(RecipeError, match=r"name='a\\ud800b' contains a lone surrogate U\+D800 at"):
        Recipe([Rotate()], name="a\ud800b")
    with pytest.raises(ParamError, match=r"lone surrogate U\+DFFF"):
        Text("words").validate("ok \udfff")
    # a name that UTF-8 can store saves and loads back
    r = Recipe([Rotate()], name="été 🎛")
    assert Recipe.load(r.save(tmp_path / "r.json")).name == "été 🎛"


# -- loading ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", [None, 5, 2.5, ["r.json"]])
def test_load_refuses_what_is_not_a_path(path):
    with pytest.raises(RecipeError, match=r"^load: path .* is not allowed; allowed: a file path"):
        Recipe.load(path)


def test_an_unreadable_recipe_file_is_a_recipe_error(tmp_path, monkeypatch):
    path = Recipe([Rotate()]).save(tmp_path / "r.json")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", denied)
    with pytest.raises(RecipeError, match=r"r\.json: not allowed to read this file \(permission denied\)"):
        Recipe.load(path)


def test_a_symlink_loop_is_a_recipe_error(tmp_path):
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(RecipeError, match=r"loop\.json: cannot be read \(.*symbolic links"):
        Recipe.load(loop)


def test_deeply_nested_json_is_a_recipe_error():
    with pytest.raises(RecipeError, match="nests too deeply to read"):
        Recipe.from_json("[" * 100_000 + "]" * 100_000)
    deep_meta = '{"a":' * 50_000 + "1" + "}" * 50_000
    with pytest.raises(RecipeError, match="nests too deeply to read"):
        Recipe.from_json(_json(meta="PLACEHOLDER").replace('"PLACEHOLDER"', deep_meta))
    # deep enough to parse, too deep for a recipe's meta
    deep_meta = '{"a":' * 300 + "1" + "}" * 300
    with pytest.raises(RecipeError, match=r"^meta: nested more than 100 levels"):
        Recipe.from_json(_json(meta="PLACEHOLDER").replace('"PLACEHOLDER"', deep_meta))
    with pytest.raises(RecipeError, match="recipe: a NoneType is not JSON text"):
        Recipe.from_json(None)


def test_huge_seeds_are_refused_without_printing_them():
    text = _json(seed="PLACEHOLDER").replace('"PLACEHOLDER"', "9" * 5000)
    with pytest.raises(RecipeError, match=r"over 4,300 digits.*a seed has at most 20 digits"):
        Recipe.from_json(text)
    with pytest.raises(RecipeError, match=r"seed=an integer of over 4,000 digits is not allowed"):
        Recipe([Rotate()], seed=10**5000)
    with pytest.raises(RecipeError, match=r"seed: an integer of 20 digits is not allowed; allowed: "
                                          r"an integer in \[0, 2\*\*64 - 1\]"):
        Recipe.from_json(_json(seed=2**64))
    assert Recipe([Rotate()], seed=2**64 - 1).seed == 2**64 - 1
    with pytest.raises(RecipeError, match="seed=-1 is not allowed"):
        Recipe([Rotate()], seed=-1)


@pytest.mark.parametrize(
    ("spec", "value", "message"),
    [
        (Int("n", 1, 5, 1), float("inf"), "n=inf is not an integer"),
        (Int("n", 1, 5, 1), float("nan"), "n=nan is not an integer"),
        (Int("n", 1, 5, 1), 10**5000, "n=an integer of about 5001 digits is outside [1, 5]"),
        (Float("x", 0.0, 1.0, 0.0), -(10**400), "x=a negative integer of about 401 digits is outside"),
        (Range("r", 0.0, 1.0, (0.0, 1.0)), [0, 10**400], "r=an integer of about 401 digits is outside"),
    ],
    ids=["inf", "nan", "5000-digits", "negative-400-digits", "range-400-digits"],
)
def test_specs_refuse_infinite_and_huge_numbers(spec, value, message):
    with pytest.raises(ParamError) as info:
        spec.validate(value)
    assert message in str(info.value)


# -- replay -----------------------------------------------------------------------------
@pytest.fixture
def traced():
    recipe = Recipe([Rotate(), Cutout(), HorizontalFlip(p=0.0)])
    img = np.zeros((12, 12), np.uint8)
    out, records = recipe.trace(img, rng=0)
    return recipe, img, out, records


def test_replay_of_a_trace_gives_the_same_bytes(traced):
    recipe, img, out, records = traced
    assert as_bytes(recipe.replay(img, records)) == as_bytes(out)
    assert as_bytes(recipe.replay(img, json.loads(json.dumps(records)))) == as_bytes(out)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: 5, "replay: records is an int; allowed: the list that trace() returns"),
        (lambda r: None, "replay: records is a NoneType"),
        (lambda r: r[0], "replay: records is a dict"),
        (lambda r: ["steps[0]"], "replay: records[0] is a str; allowed: a dict with path, applied"),
        (lambda r: [{**r[0], "path": 7}], "replay: records[0].path=7 is not allowed"),
        (lambda r: [{**r[0], "path": "steps[9]"}], "no transform at path 'steps[9]'"),
        (lambda r: [{**r[0], "applied": "yes"}], "replay: records[0].applied='yes' is not allowed"),
        (lambda r: [{**r[0], "values": 5}], "replay: records[0].values: values must be a dict"),
        (lambda r: [{**r[0], "values": {}}], "records[0].values: missing 'angle'; image.rotate draws: angle"),
        (lambda r: [{**r[0], "values": {**r[0]["values"], "x": 1}}], "records[0].values: unknown value 'x'"),
        (lambda r: [{**r[0], "values": {**r[0]["values"], "angle": float("nan")}}],
         "records[0].values.angle: nan is outside [-180, 180] degrees"),
        (lambda r: [{**r[0], "values": {**r[0]["values"], "angle": "a"}}],
         "records[0].values.angle: 'a' is not a number"),
        (lambda r: [{**r[0], "values": {**r[0]["values"], "angle": [1, 2]}}],
         "records[0].values.angle: [1, 2] is not a number"),
        (lambda r: [{**r[0], "values": {**r[0]["values"], "border": "x"}}],
         "records[0].values.border: 'x' is not allowed; allowed: 'constant'"),
        (lambda r: [r[0], {**r[1], "values": {**r[1]["values"], "seed": -3}}],
         "records[1].values.seed: -3 is outside [0, 4294967295]"),
    ],
)
def test_malformed_trace_records_are_named(traced, change, message):
    recipe, img, _, records = traced
    with pytest.raises(InputError) as info:
        recipe.replay(img, change(copy.deepcopy(records)))
    assert message in str(info.value)


@pytest.mark.parametrize("modality", MODALITIES)
def test_every_transform_accepts_the_values_it_draws(modality):
    # the replay check never refuses what sample() drew (at the default and the widest settings)
    data = contract_inputs(modality)[0][1]()
    for cls in registry.catalogue(modality):
        for t in (cls(), _widest(cls)):
            for seed in range(4):
                values = t.sample(seed, data)
                assert t.check_values(values, where="check") == values, cls.id
                assert t.check_values(json.loads(json.dumps(values)), where="check") is not None


def _widest(cls):
    from augviz.core.params import Range as R

    wide = {s.name: (s.low, s.high) for s in cls.PARAMS if isinstance(s, R)}
    try:
        return cls(**wide)
    except AugvizError:
        return cls()


# -- enabled flags ----------------------------------------------------------------------
@pytest.mark.parametrize("flag", ["0", "yes", 0, 1, 2, None, 1.5])
def test_set_enabled_takes_true_or_false_only(flag):
    r = Recipe([Rotate(), HorizontalFlip()])
    with pytest.raises(InputError, match=r"set_enabled: enabled=.* is not allowed; allowed: true or false"):
        r.set_enabled(0, flag)
    with pytest.raises(RecipeError, match=r"enabled\[1\]: enabled=.* is not allowed"):
        Recipe([Rotate(), HorizontalFlip()], enabled=[True, flag])
    assert r.set_enabled(0, False).enabled == (False, True)
    assert Recipe([Rotate(), HorizontalFlip()], enabled=np.array([True, False])).enabled == (True, False)
    with pytest.raises(RecipeError, match="enabled='10' is not allowed; allowed: a list of true/false"):
        Recipe([Rotate(), HorizontalFlip()], enabled="10")
    assert r.set_enabled(-1, np.bool_(False)).enabled == (True, False)
    with pytest.raises(InputError, match="step index '0' is not an integer"):
        r.set_enabled("0", True)
