"""The preprocess part of a recipe: preparation steps kept apart from the augmentations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import augviz
from augviz import Recipe
from augviz.core.errors import RecipeError
from augviz.core.registry import preprocess_catalogue
from augviz.image import HorizontalFlip, Rotate
from augviz.image.preprocess import (
    CenterCrop,
    LongestMaxSize,
    Normalize,
    PadIfNeeded,
    RandomCrop,
    Resize,
    SmallestMaxSize,
    ToTensor,
)

GOLDEN = Path(__file__).parents[1] / "data" / "recipes"
IMG = np.random.default_rng(0).integers(0, 256, (60, 40, 3), dtype=np.uint8)


def _recipe(**kw):
    pre = {"before": [LongestMaxSize(max_size=32), PadIfNeeded(min_height=32, min_width=32)],
           "after": [Normalize(), ToTensor()]}
    return Recipe([Rotate(angle=(-10, 10)), HorizontalFlip(p=0.5)], seed=0, preprocess=pre, **kw)


def test_preprocess_runs_before_and_after_the_steps():
    out, records = _recipe().trace(IMG, rng=1)
    assert out.shape == (3, 32, 32) and out.dtype == np.float32
    assert [r["path"] for r in records] == [
        "preprocess.before[0]", "preprocess.before[1]", "steps[0]", "steps[1]",
        "preprocess.after[0]", "preprocess.after[1]"]
    assert np.array_equal(_recipe().replay(IMG, records), out)


def test_preprocess_does_not_change_what_the_steps_draw():
    plain = Recipe([Rotate(angle=(-10, 10)), HorizontalFlip(p=0.5)], seed=0)
    with_pre = plain.replace(preprocess={"before": [Resize(height=60, width=40)]})
    assert plain.trace(IMG, rng=5)[1] == with_pre.trace(IMG, rng=5)[1][1:]
    assert np.array_equal(plain(IMG, rng=5), with_pre(IMG, rng=5))


def test_json_round_trip_writes_version_2_only_when_needed():
    r = _recipe()
    d = r.to_dict()
    assert d["version"] == 2 and set(d["preprocess"]) == {"before", "after"}
    assert Recipe.from_dict(d) == r
    assert r.replace(preprocess=None).to_dict()["version"] == 1
    assert "preprocess" not in r.replace(preprocess=None).to_dict()


def test_v2_golden_file_loads_and_runs():
    r = Recipe.load(GOLDEN / "v2-preprocess.json")
    assert json.loads((GOLDEN / "v2-preprocess.json").read_text())["version"] == 2
    assert [t.id for t in r.preprocess["before"]] == ["image.smallest_max_size", "image.center_crop"]
    assert r(IMG, rng=0).shape == (3, 32, 32)


def test_batch_runs_preprocess_per_item():
    out = _recipe().batch([IMG, IMG[:30]], rng=2)
    assert [o.shape for o in out] == [(3, 32, 32), (3, 32, 32)]


@pytest.mark.parametrize(("bad", "match"), [
    ({"middle": []}, "allowed: 'before', 'after'"),
    ({"before": [Rotate()]}, r"preprocess\['before'\]\[0\] is a Rotate; allowed: a preprocessing step"),
    ([Resize()], "allowed: a dict"),
])
def test_bad_preprocess_argument(bad, match):
    with pytest.raises(RecipeError, match=match):
        Recipe([Rotate()], preprocess=bad)


@pytest.mark.parametrize(("change", "match"), [
    (lambda d: d["preprocess"].update(middle=[]), r"^preprocess\.middle: unknown key"),
    (lambda d: d["preprocess"]["before"][0].update(transform="image.rotate"),
     r"^preprocess\.before\[0\]\.transform: unknown preprocessing step 'image.rotate'"),
    (lambda d: d["preprocess"]["before"][0]["params"].update(max_size=0),
     r"preprocess\.before\[0\]\.params\.max_size"),
])
def test_bad_preprocess_json_names_the_path(change, match):
    d = _recipe().to_dict()
    change(d)
    with pytest.raises(RecipeError, match=match):
        Recipe.from_dict(d)


def test_preprocess_steps_are_not_augmentations():
    ids = {cls.id for cls in preprocess_catalogue("image")}
    assert ids == {"image.resize", "image.longest_max_size", "image.smallest_max_size",
                   "image.pad_if_needed", "image.center_crop", "image.random_crop", "image.normalize",
                   "image.to_tensor"}
    assert not ids & {cls.id for cls in augviz.catalogue()}


@pytest.mark.parametrize(("step", "shape"), [
    (Resize(height=10, width=20), (10, 20, 3)),
    (LongestMaxSize(max_size=30), (30, 20, 3)),
    (SmallestMaxSize(max_size=20), (30, 20, 3)),
    (PadIfNeeded(min_height=64, min_width=64, border="constant"), (64, 64, 3)),
    (CenterCrop(height=10, width=10), (10, 10, 3)),
    (RandomCrop(height=10, width=12), (10, 12, 3)),
    (ToTensor(), (3, 60, 40)),
])
def test_step_shapes(step, shape):
    assert step(IMG, rng=0).shape == shape


def test_kernels_match_their_definitions():
    padded = PadIfNeeded(min_height=64, min_width=44, border="constant", fill=1.0)(IMG)
    assert np.array_equal(padded[2:62, 2:42], IMG) and (padded[:2] == 255).all()
    assert np.array_equal(CenterCrop(height=20, width=20)(IMG), IMG[20:40, 10:30])
    norm = Normalize()(IMG)
    expected = (IMG[..., 0] / 255.0 - 0.485) / 0.229
    assert np.allclose(norm[..., 0], expected, atol=1e-5)
    assert np.allclose(Normalize()(IMG.astype(np.float32) / 255), norm, atol=1e-5)
    crops = {RandomCrop(height=10, width=10)(IMG, rng=s).tobytes() for s in range(5)}
    assert len(crops) > 1
