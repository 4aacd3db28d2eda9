"""Reading live audiomentations pipelines (and exploring them directly)."""

from __future__ import annotations

import warnings

import pytest

import augviz
from augviz.core import read_recipe
from augviz.interop import InteropError
from augviz.interop.audiomentations import MAPPINGS, from_audiomentations

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    AM = pytest.importorskip("audiomentations")


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def test_every_exported_class_reads_back_to_the_same_transform():
    for m in MAPPINGS:
        t = augviz.get_transform(m.augviz_id)(p=0.5, **m.example)
        live = _quiet(lambda m=m, t=t: getattr(AM, m.name)(**m.to_peer(dict(t.params)), p=0.5))
        result = from_audiomentations(AM.Compose([live]))
        assert result.recipe.steps == (t,), m.name
        assert not result.dropped


def test_groups_reports_and_bad_input():
    pipe = _quiet(lambda: AM.Compose([
        AM.Gain(p=0.3), AM.OneOf([AM.AddGaussianSNR(p=1.0), AM.Reverse(p=0.5)]), AM.LowPassFilter(),
        AM.TimeMask(), AM.SomeOf((1, 2), [AM.Reverse(), AM.PolarityInversion()]),
        AM.Compose([AM.Shift(rollover=False)])]))
    result = from_audiomentations(pipe)
    kinds = [s.kind for s in result.recipe.steps]
    assert kinds == ["transform", "one_of", "transform", "some_of", "transform"]
    assert [c for _, c, _ in result.dropped] == ["TimeMask"]
    why = {f"{p} {c}": w for p, c, w in result.approximate}
    assert "its own p=0.5" in why["transforms[1].transforms[1] Reverse"]
    assert "rolloff in [12, 24]" in why["transforms[2] LowPassFilter"]
    assert "fades the cut edges over 5 ms" in why["transforms[5].transforms[0] Shift"]
    assert str(result).startswith("audiomentations → augviz:")
    # the report's table names the library the pipeline came from
    html = result._repr_html_()
    assert "<th>audiomentations</th>" in html and "<th>albumentations</th>" not in html
    with pytest.raises(InteropError, match="expected an audiomentations pipeline"):
        from_audiomentations([1, 2])


def test_as_recipe_takes_a_live_audiomentations_pipeline():
    pipe = _quiet(lambda: AM.Compose([AM.Gain(p=0.3)]))
    recipe, report = read_recipe(pipe, where="test")
    assert recipe.modality == "audio" and report.exact == [("transforms[0]", "Gain")]
    assert augviz.as_recipe(pipe, where="test") == recipe
    with pytest.raises(augviz.InputError, match="allowed: image recipes"):
        read_recipe(pipe, where="test", modality="image")


def test_explorer_and_builder_take_an_audiomentations_pipeline():
    import numpy as np

    from augviz.audio import Audio

    clips = [Audio((0.3 * np.sin(np.linspace(0, 2000, 8000))).astype(np.float32), sample_rate=8000)]
    pipe = _quiet(lambda: AM.Compose([AM.Gain(p=0.8), AM.PolarityInversion(), AM.TimeMask()]))
    e = augviz.explore(pipe, clips, n_variants=2)
    assert e.error is None and [c for _, c, _ in e.import_report.dropped] == ["TimeMask"]
    b = augviz.RecipeBuilder(clips, recipe=pipe, n_variants=1)
    assert b.error is None and len(b.recipe) == 2 and "TimeMask" in b._report.value
