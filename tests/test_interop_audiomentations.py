from __future__ import annotations

import warnings

import numpy as np
import pytest

from augviz import OneOf, Recipe, SomeOf
from augviz.audio import (
    Audio,
    ColoredNoise,
    Gain,
    GaussianSNR,
    LowPass,
    PitchShift,
    Reverb,
    Reverse,
    TimeStretch,
)
from augviz.interop import InteropError
from augviz.interop.audiomentations import to_audiomentations_source

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    AM = pytest.importorskip("audiomentations", reason="audiomentations is a bench extra")


def build(recipe):
    ns: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(to_audiomentations_source(recipe), "<export>", "exec"), ns)
    return ns["augment"]


def test_exported_source_builds_the_same_pipeline():
    r = Recipe(
        [
            Gain(gain_db=(-6, 3), p=0.5),
            OneOf([GaussianSNR(), ColoredNoise(color="pink")], p=0.3),
            SomeOf([PitchShift(), TimeStretch(), LowPass(cutoff=(300, 900))], n=2),
            Reverse(p=0.1),
        ]
    )
    aug = build(r)
    kinds = [type(t).__name__ for t in aug.transforms]
    assert kinds == ["Gain", "OneOf", "SomeOf", "Reverse"]
    gain = aug.transforms[0]
    assert (gain.min_gain_db, gain.max_gain_db, gain.p) == (-6.0, 3.0, 0.5)
    assert [type(t).__name__ for t in aug.transforms[1].transforms] == ["AddGaussianSNR", "AddColorNoise"]
    assert aug.transforms[2].num_transforms == 2
    low = aug.transforms[2].transforms[2]
    assert (low.min_cutoff_freq, low.max_cutoff_freq) == (300.0, 900.0)


def test_same_gain_gives_the_same_samples():
    t = np.arange(8000, dtype=np.float32) / 16000
    clip = Audio((0.1 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), 16000)
    ours = Recipe([Gain(gain_db=6)])(clip, rng=0)
    theirs = build(Recipe([Gain(gain_db=6)]))(samples=clip.samples, sample_rate=16000)
    np.testing.assert_allclose(ours.samples, theirs, rtol=1e-5, atol=1e-6)


def test_unmappable_steps_are_named():
    r = Recipe([Reverb(), Gain()])
    with pytest.raises(InteropError, match=r"steps\[0\]: audio.reverb has no audiomentations equivalent"):
        to_audiomentations_source(r)
    assert "# not exported" in to_audiomentations_source(r, skip_unmapped=True)
