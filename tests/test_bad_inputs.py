"""Bad values at every public entry point: an ``AugvizError`` that names the problem.

Walks the transforms (through the registry), recipes, ``as_recipe``, the viz grids, the
lab, the dataset loaders and the file io with wrong types, empty, NaN, huge, negative and
wrong-modality values. Each case must raise an :class:`~augviz.AugvizError` whose message
holds the argument's name or the value — never a raw numpy/OpenCV/Python error — and
must answer within a few seconds (inputs are small).
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from contract.bad_values import bad_inputs, bad_values
from helpers import contract_inputs

import augviz
from augviz import AugvizError, ParamError, Recipe, as_recipe
from augviz.core import registry

MODALITIES = ("image", "audio", "spectrogram", "text")
#: seconds one case may take (a hang fails instead of blocking the suite)
LIMIT = 20


@contextlib.contextmanager
def time_limit(seconds: int = LIMIT) -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def refused(call: Callable[[], Any], *needles: str) -> str:
    """Run ``call``; it must raise an AugvizError whose message holds every needle."""
    with time_limit(), pytest.raises(AugvizError) as info:
        call()
    text = str(info.value)
    for needle in needles:
        assert needle in text, f"{needle!r} not in {text!r}"
    return text


# -- transforms, through the registry ---------------------------------------------------
ALL_IDS = [cls.id for m in MODALITIES for cls in registry.catalogue(m)]


@pytest.mark.parametrize("tid", ALL_IDS)
def test_every_parameter_refuses_bad_values_by_name(tid):
    cls = registry.get(tid)
    for spec in cls.PARAMS:
        for value, needle in bad_values(spec):
            build = lambda spec=spec, value=value: cls(**{spec.name: value})  # noqa: E731
            text = refused(build, needle)
            assert spec.name in text, text
            assert isinstance(_last_error(build), ParamError)
    for p in (-0.1, 1.5, "x", None, float("nan")):
        refused(lambda p=p: cls(p=p), "p=")
    refused(lambda: cls(no_such_param=1), "no_such_param")


def _last_error(call: Callable[[], Any]) -> BaseException:
    try:
        call()
    except BaseException as exc:  # the error itself is what is looked at
        return exc
    raise AssertionError("no error")


@pytest.mark.parametrize("tid", ALL_IDS)
def test_every_transform_refuses_bad_data_by_name(tid):
    cls = registry.get(tid)
    t = cls()
    for _name, make, needle in bad_inputs(cls.modality):
        refused(lambda make=make: t(make(), rng=0), needle)
        refused(lambda make=make: Recipe([t])(make(), rng=0), needle)
    good = contract_inputs(cls.modality)[0][1]()
    values = t.sample(0, good)
    bads = [{**values, "no_such_value": 1}, 5] + ([{}] if values else [])
    for bad in bads:
        refused(lambda bad=bad: t.replay(good, bad), f"{tid}.replay")


# -- recipes and as_recipe --------------------------------------------------------------
@dataclass
class Case:
    id: str
    call: Callable[[], Any]
    needles: tuple[str, ...]


def _cases() -> list[Case]:
    from augviz.image import HorizontalFlip, Rotate

    good = Recipe([Rotate(), HorizontalFlip()], seed=1)
    doc = good.to_dict()
    img = np.zeros((6, 6), np.uint8)
    cases = [
        # Recipe(...)
        Case("recipe-step-none", lambda: Recipe([None]), ("step 0", "NoneType")),
        Case("recipe-step-str", lambda: Recipe(["image.rotate"]), ("step 0", "str")),
        Case("recipe-empty-no-modality", lambda: Recipe([]), ("modality=",)),
        Case("recipe-bad-modality", lambda: Recipe([], modality="smell"), ("'smell'",)),
        Case("recipe-mixed", lambda: Recipe([Rotate(), augviz.text.RandomSwap()]), ("mix",)),
        Case("recipe-seed-negative", lambda: Recipe([Rotate()], seed=-1), ("seed=-1",)),
        Case("recipe-seed-float", lambda: Recipe([Rotate()], seed=1.5), ("seed=1.5",)),
        Case("recipe-seed-huge", lambda: Recipe([Rotate()], seed=10**5000), ("seed=", "digits")),
        Case("recipe-meta-set", lambda: Recipe([Rotate()], meta={"s": {1}}), ("meta['s']", "set")),
        Case("recipe-meta-list", lambda: Recipe([Rotate()], meta=[1]), ("meta is a list",)),
        Case("recipe-name-surrogate", lambda: Recipe([Rotate()], name="\ud800"), ("name=", "surrogate")),
        Case("recipe-enabled-str", lambda: Recipe([Rotate()], enabled=["0"]), ("enabled[0]", "'0'")),
        Case("recipe-enabled-count", lambda: Recipe([Rotate()], enabled=[True, False]), ("2 flags",)),
        Case("recipe-replace-unknown", lambda: good.replace(colour=1), ("'colour'",)),
        Case("recipe-set-enabled", lambda: good.set_enabled(0, "0"), ("enabled='0'",)),
        Case("recipe-set-enabled-index", lambda: good.set_enabled(9, True), ("index 9",)),
        Case("recipe-at", lambda: good.at("steps[7]"), ("steps[7]",)),
        # running
        Case("recipe-call-none", lambda: good(None), ("NoneType",)),
        Case("recipe-call-rng", lambda: good(img, rng="seed"), ("rng",)),
        Case("recipe-call-rng-negative", lambda: good(img, rng=-1), ("rng", "-1")),
        Case("recipe-batch-str", lambda: good.batch("images"), ("str",)),
        Case("recipe-batch-1d", lambda: good.batch(np.zeros(5, np.uint8)), ("(5,)",)),
        Case("recipe-batch-float64", lambda: good.batch(np.zeros((2, 4, 4))), ("float64",)),
        Case("recipe-replay-none", lambda: good.replay(img, None), ("records",)),
        Case("recipe-replay-bad", lambda: good.replay(img, [{"applied": True, "path": "steps[0]",
                                                             "values": {"angle": "a"}}]), ("records[0]",)),
        # JSON
        Case("from-dict-none", lambda: Recipe.from_dict(None), ("null",)),
        Case("from-dict-format", lambda: Recipe.from_dict({**doc, "format": "x"}), ("format='x'",)),
        Case("from-dict-version", lambda: Recipe.from_dict({**doc, "version": 99}), ("version", "99")),
        Case("from-dict-key", lambda: Recipe.from_dict({**doc, "stepz": []}), ("stepz",)),
        Case("from-dict-steps", lambda: Recipe.from_dict({**doc, "steps": {}}), ("steps",)),
        Case("from-dict-param", lambda: Recipe.from_dict(
            {**doc, "steps": [{"transform": "image.rotate", "params": {"angle": "x"}}]}),
            ("steps[0].params.angle",)),
        Case("from-dict-id", lambda: Recipe.from_dict({**doc, "steps": [{"transform": "image.rotat"}]}),
             ("steps[0].transform", "image.rotate")),
        Case("from-dict-meta", lambda: Recipe.from_dict({**doc, "meta": [1]}), ("meta",)),
        Case("from-json-none", lambda: Recipe.from_json(None), ("NoneType",)),
        Case("from-json-truncated", lambda: Recipe.from_json(json.dumps(doc)[:40]), ("not valid JSON",)),
        Case("from-json-nan", lambda: Recipe.from_json(json.dumps(doc).replace('"seed": 1', '"seed": NaN')),
             ("NaN",)),
        Case("from-json-deep", lambda: Recipe.from_json("[" * 50_000 + "]" * 50_000), ("too deeply",)),
        Case("from-json-huge-number", lambda: Recipe.from_json(
            json.dumps(doc).replace('"seed": 1', '"seed": ' + "9" * 5000)), ("4,300 digits",)),
        Case("load-none", lambda: Recipe.load(None), ("path None",)),
        Case("load-missing", lambda: Recipe.load("/no/such/recipe.json"), ("no such file",)),
        Case("load-folder", lambda: Recipe.load("/"), ("directory",)),
        Case("save-none", lambda: good.save(None), ("None",)),
        Case("save-folder", lambda: good.save("/"), ("directory",)),
        # as_recipe
        Case("as-recipe-none", lambda: as_recipe(None, where="t"), ("t:", "None")),
        Case("as-recipe-int", lambda: as_recipe(5, where="t"), ("t:", "int")),
        Case("as-recipe-id", lambda: as_recipe("image.rotat", where="t"), ("image.rotat",)),
        Case("as-recipe-list", lambda: as_recipe([None], where="t"), ("t:",)),
        Case("as-recipe-dict", lambda: as_recipe({}, where="t"), ("t:",)),
        Case("as-recipe-json", lambda: as_recipe("{oops", where="t"), ("not valid JSON",)),
        Case("as-recipe-modality", lambda: as_recipe(good, where="t", modality="text"), ("text",)),
        Case("as-recipe-deep", lambda: as_recipe('{"a":' * 50_000 + "1" + "}" * 50_000, where="t"),
             ("t:", "too deeply")),
        Case("as-recipe-long-name", lambda: as_recipe("x" * 5000, where="t"), ("t:", "no such file")),
    ]
    return cases


def _viz_cases() -> list[Case]:
    from augviz import viz
    from augviz.audio import Audio
    from augviz.image import Rotate

    img = np.zeros((6, 6), np.uint8)
    return [
        Case("image-grid-none", lambda: viz.image_grid(None), ("rows",)),
        Case("image-grid-str", lambda: viz.image_grid([["a.png"]]), ("str",)),
        Case("image-grid-tile", lambda: viz.image_grid([[img]], tile=0), ("tile",)),
        Case("image-grid-tile-huge", lambda: viz.image_grid([[img]], tile=10**9), ("tile",)),
        Case("image-grid-pad", lambda: viz.image_grid([[img]], pad=-1), ("pad",)),
        Case("image-grid-shape", lambda: viz.image_grid([[np.zeros((4, 4, 7), np.uint8)]]), ("(4, 4, 7)",)),
        Case("image-grid-captions", lambda: viz.image_grid([[img]], captions=[["a", "b"]]), ("captions",)),
        Case("grid-for-none", lambda: viz.grid_for(Rotate(), None), ("NoneType",)),
        Case("grid-for-target", lambda: viz.grid_for(None, img), ("None",)),
        Case("grid-for-n", lambda: viz.grid_for(Rotate(), img, n=0), ("n=0",)),
        Case("grid-for-n-huge", lambda: viz.grid_for(Rotate(), img, n=10**6), ("n=",)),
        Case("grid-for-empty", lambda: viz.grid_for(Rotate(), []), ("empty",)),
        Case("grid-for-float64", lambda: viz.grid_for(Rotate(), np.zeros((6, 6))), ("float64",)),
        Case("encode-image-format", lambda: viz.encode_image(img, format="tiff"), ("tiff",)),
        Case("encode-image-quality", lambda: viz.encode_image(img, quality=500), ("quality",)),
        Case("encode-image-none", lambda: viz.encode_image(None), ("NoneType",)),
        Case("text-diff-none", lambda: viz.text_diff(None, "a"), ("NoneType",)),
        Case("text-diff-plain-bytes", lambda: viz.text_diff_plain("a", b"b"), ("bytes",)),
        Case("spectrogram-array", lambda: viz.spectrogram(np.zeros(100, np.float32)), ("ndarray(100,)",)),
        Case("spectrogram-n-mels", lambda: viz.spectrogram(Audio(np.zeros(800, np.float32), 8000), n_mels=0),
             ("n_mels",)),
        Case("compare-spectrograms-none", lambda: viz.compare_spectrograms(None, None), ("NoneType",)),
    ]


def _lab_cases() -> list[Case]:
    from augviz import lab
    from augviz.image import Rotate

    x = np.zeros((20, 8, 8), np.float32)
    y = np.arange(20) % 2
    return [
        Case("compare-arms-none", lambda: lab.compare(None), ("arms",)),
        Case("compare-arms-empty", lambda: lab.compare({}), ("arms",)),
        Case("compare-arm-bad", lambda: lab.compare({"x": 5}), ("'x'",)),
        Case("compare-data", lambda: lab.compare({"r": Rotate()}, data="nope"), ("'nope'",)),
        Case("compare-data-none", lambda: lab.compare({"r": Rotate()}, data=None), ("None",)),
        Case("compare-data-pair", lambda: lab.compare({"r": Rotate()}, data=(x, y[:5])), ("5",)),
        Case("compare-data-nan", lambda: lab.compare({"r": Rotate()}, data=(np.full_like(x, np.nan), y)),
             ("nan",)),
        Case("compare-epochs", lambda: lab.compare({"r": Rotate()}, epochs=0), ("epochs=0",)),
        Case("compare-epochs-str", lambda: lab.compare({"r": Rotate()}, epochs="ten"), ("epochs='ten'",)),
        Case("compare-train-size", lambda: lab.compare({"r": Rotate()}, train_size=-5), ("train_size=-5",)),
        Case("compare-seeds", lambda: lab.compare({"r": Rotate()}, seeds=0), ("seeds",)),
        Case("compare-seeds-list", lambda: lab.compare({"r": Rotate()}, seeds=[]), ("seeds",)),
        Case("compare-model", lambda: lab.compare({"r": Rotate()}, model="gpt"), ("'gpt'",)),
        Case("compare-mix", lambda: lab.compare({"r": Rotate()}, mix="half"), ("'half'",)),
        Case("compare-modality", lambda: lab.compare({"r": augviz.text.RandomSwap()}), ("text",)),
        Case("risk-none", lambda: lab.label_risk(None), ("None",)),
        Case("risk-magnitudes", lambda: lab.label_risk(Rotate(), magnitudes=[]), ("magnitudes",)),
        Case("risk-magnitudes-nan", lambda: lab.label_risk(Rotate(), magnitudes=[float("nan")]), ("nan",)),
        Case("risk-param", lambda: lab.label_risk(Rotate(), param="colour"), ("'colour'",)),
        Case("risk-seed", lambda: lab.label_risk(Rotate(), seed=-1), ("seed=-1",)),
        Case("risk-oracle", lambda: lab.label_risk(Rotate(), oracle=5), ("oracle",)),
        Case("search-empty", lambda: lab.search([]), ("at least one candidate", "empty list")),
        Case("search-none", lambda: lab.search(None), ("NoneType",)),
        Case("search-item", lambda: lab.search([None]), ("item 0 is NoneType",)),
        Case("search-n-ops", lambda: lab.search([Rotate()], n_ops=(0,)), ("n_ops",)),
        Case("search-magnitudes", lambda: lab.search([Rotate()], n_ops=(1,), magnitudes=(2.0,)),
             ("magnitudes",)),
    ]


def _data_cases() -> list[Case]:
    from augviz import datasets
    from augviz import io as aio
    from augviz.audio import load_spoken_digits, load_wav, load_wav_folder, synth_dataset
    from augviz.text import load_text_csv

    return [
        Case("sample-image-size-0", lambda: datasets.sample_image(size=0), ("size=0",)),
        Case("sample-image-size-neg", lambda: datasets.sample_image(size=-3), ("size=-3",)),
        Case("sample-image-size-huge", lambda: datasets.sample_image(size=10**6), ("size=1000000",)),
        Case("sample-image-size-float", lambda: datasets.sample_image(size=2.5), ("size=2.5",)),
        Case("sample-image-name", lambda: datasets.sample_image("moon"), ("'moon'",)),
        Case("sample-image-name-int", lambda: datasets.sample_image(3), ("3",)),
        Case("digits-size", lambda: datasets.load_digits(size=0), ("size=0",)),
        Case("digits-dtype", lambda: datasets.load_digits(dtype="int8"), ("int8",)),
        Case("lfw-dtype", lambda: datasets.load_lfw_subset(dtype="int8"), ("int8",)),
        Case("image-folder-none", lambda: datasets.load_image_folder(None), ("None",)),
        Case("image-folder-missing", lambda: datasets.load_image_folder("/no/such/folder"),
             ("/no/such/folder",)),
        Case("open-image-none", lambda: datasets.open_image(None), ("None",)),
        Case("open-image-missing", lambda: datasets.open_image("/no/such.png"), ("/no/such.png",)),
        Case("text-csv-none", lambda: load_text_csv(None), ("None",)),
        Case("text-csv-missing", lambda: load_text_csv("/no/such.csv"), ("/no/such.csv",)),
        Case("spoken-digits-rate", lambda: load_spoken_digits(sample_rate=0), ("sample_rate=0",)),
        Case("synth-n", lambda: synth_dataset(n_per_class=0), ("n_per_class=0",)),
        Case("synth-classes", lambda: synth_dataset(classes=("violin",)), ("'violin'",)),
        Case("load-wav-none", lambda: load_wav(None), ("load_wav", "None")),
        Case("load-wav-rate", lambda: load_wav("/no/such.wav", sample_rate=0), ("sample_rate=0",)),
        Case("load-wav-folder-none", lambda: load_wav_folder(None), ("None",)),
        Case("io-extensions", lambda: aio.extensions("smell"), ("'smell'",)),
        Case("io-read-modality", lambda: aio.read_item("/no/such.png", "smell"), ("'smell'",)),
        Case("io-read-missing", lambda: aio.read_item("/no/such.png", "image"), ("/no/such.png",)),
        Case("io-write-bad-item", lambda: aio.write_item(None, "/tmp/none.png", "image"), ("item is None",)),
    ]


def _widget_cases() -> list[Case]:
    from augviz.image import Rotate
    from augviz.widgets import LabPanel, RecipeBuilder, explore

    img = np.zeros((8, 8), np.uint8)
    return [
        Case("explore-target", lambda: explore(None, img), ("explore:", "None")),
        Case("explore-data-none", lambda: explore(Rotate(), None), ("NoneType",)),
        Case("explore-data-empty", lambda: explore(Rotate(), []), ("empty",)),
        Case("explore-float64", lambda: explore(Rotate(), np.zeros((8, 8))), ("float64",)),
        Case("explore-n-samples", lambda: explore(Rotate(), img, n_samples=0), ("n_samples=0",)),
        Case("explore-n-variants", lambda: explore(Rotate(), img, n_variants="4"), ("n_variants='4'",)),
        Case("explore-mode", lambda: explore(Rotate(), img, mode="calm"), ("mode='calm'",)),
        Case("explore-samples", lambda: explore(Rotate(), [img, img], samples=[5]), ("samples=5",)),
        Case("builder-data", lambda: RecipeBuilder(5), ("int",)),
        Case("builder-recipe", lambda: RecipeBuilder(img, recipe=5), ("int",)),
        Case("builder-add", lambda: RecipeBuilder(img).add("image.rotat"), ("image.rotat",)),
        Case("builder-set-n", lambda: _some_of_builder(img).set(0, n="two"), ("n='two'",)),
        Case("builder-set-param", lambda: _some_of_builder(img).set(0, child=0, angle="x"), ("angle", "'x'")),
        Case("builder-enable", lambda: RecipeBuilder(img, recipe=Rotate()).set_enabled(3), ("3",)),
        Case("builder-enable-flag", lambda: RecipeBuilder(img, recipe=Rotate()).set_enabled(0, "0"),
             ("set_enabled: enabled='0'",)),
        Case("lab-panel-data", lambda: LabPanel(data="nope"), ("'nope'",)),
    ]


def _some_of_builder(img: np.ndarray) -> Any:
    from augviz.core import SomeOf
    from augviz.image import HorizontalFlip, Rotate
    from augviz.widgets import RecipeBuilder

    b = RecipeBuilder(img, n_samples=1, n_variants=1)
    b.load(Recipe([SomeOf([Rotate(), HorizontalFlip()], n=1)]))
    return b


CASES = _cases() + _viz_cases() + _lab_cases() + _data_cases() + _widget_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_entry_point_refuses_a_bad_value_by_name(case):
    refused(case.call, *case.needles)


def test_cases_are_not_duplicated():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
    assert not math.isnan(LIMIT)
