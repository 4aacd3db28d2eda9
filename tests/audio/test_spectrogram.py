"""SpecAugment transforms, policies and numpy log-mel features."""

from __future__ import annotations

import numpy as np
import pytest

import augviz
from augviz.audio import (
    POLICIES,
    Audio,
    FreqMask,
    SpecTimeMask,
    TimeWarp,
    featurize,
    log_mel,
    specaugment_policy,
    synth_dataset,
)
from augviz.audio.spectrogram import warp_point

from .conftest import tone


def test_freq_and_time_masks_respect_width_count_and_cap():
    spec = np.ones((80, 200), np.float32)
    out = FreqMask(width=10, count=2, fill="zero")(spec, rng=0)
    masked_rows = (out == 0).all(axis=1).sum()
    assert 10 <= masked_rows <= 20
    out = SpecTimeMask(width=100, count=1, max_fraction=0.2, fill="zero")(spec, rng=0)
    assert (out == 0).all(axis=0).sum() == 40  # capped at p·τ
    assert FreqMask(count=0)(spec, rng=0).tolist() == spec.tolist()


def test_time_warp_moves_the_point_and_keeps_edges():
    spec = np.tile(np.arange(100, dtype=np.float64), (4, 1))
    out = TimeWarp(distance=10, center=0.5)(spec)
    assert out[0, 0] == 0
    assert out[0, -1] == 99
    w0 = round(11 + 0.5 * 77)  # inside (W, τ − W) with W = 10
    assert out[0, w0 + 10] == pytest.approx(w0)
    assert np.all(np.diff(out[0]) > 0)  # monotone: nothing folds over


@pytest.mark.parametrize("tau", [100, 300, 1000])
def test_time_warp_point_lies_inside_w_and_tau_minus_w(tau):
    """SpecAugment: the point is drawn from (W, τ − W), W the largest warp of the policy."""
    spec = np.tile(np.arange(tau, dtype=np.float64), (2, 1))
    t = TimeWarp(distance=(-40, 40))
    points = []
    for seed in range(300):
        values = t.sample(seed, spec)
        w0, dest = warp_point(tau, values["distance"], values["center"], 40)
        assert 40 < w0 < tau - 40
        assert 0 < dest < tau - 1
        out = t.replay(spec, values)
        if dest != w0:
            assert out[0, dest] == pytest.approx(w0)  # the frame at w0 lands on w0 + w
        points.append(w0)
    assert min(points) < 40 + 0.1 * tau and max(points) > tau - 40 - 0.1 * tau  # spread over it
    short = np.tile(np.arange(30, dtype=np.float64), (2, 1))  # shorter than 2W + 3: W shrinks
    w0, dest = warp_point(30, 40, 0.0, 40)
    assert 0 < w0 < 29 and 0 < dest < 29
    assert np.all(np.diff(TimeWarp(distance=40, center=0.0)(short)[0]) > 0)


@pytest.mark.parametrize("name", list(POLICIES))
def test_policies_are_recipes_that_round_trip(name):
    recipe = specaugment_policy(name)
    assert recipe.modality == "spectrogram"
    again = augviz.Recipe.from_json(recipe.to_json())
    assert again == recipe
    spec = np.random.default_rng(0).random((80, 300), dtype=np.float32)
    out = recipe(spec, rng=1)
    assert out.shape == spec.shape
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, again(spec, rng=1))


def test_unknown_policy_and_bad_spectrograms():
    with pytest.raises(augviz.InputError, match="LB, LD, SM, SS"):
        specaugment_policy("XX")
    with pytest.raises(augviz.InputError, match="log_mel"):
        FreqMask()(tone())
    with pytest.raises(augviz.InputError, match="2-D"):
        FreqMask()(np.zeros((2, 3, 4), np.float32))
    with pytest.raises(augviz.InputError, match="dtype"):
        FreqMask()(np.zeros((3, 4), np.uint8))
    with pytest.raises(augviz.InputError, match="NaN"):
        FreqMask()(np.full((3, 4), np.nan))


def test_log_mel_matches_librosa(warm_librosa):
    import librosa

    a = tone(700.0, 16000, 0.5)
    ours = log_mel(a, n_mels=40)
    ref = librosa.power_to_db(
        librosa.feature.melspectrogram(y=a.samples, sr=16000, n_fft=512, hop_length=128,
                                       n_mels=40, pad_mode="constant"),
        ref=np.max, top_db=80.0,
    )
    assert ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, atol=0.05)


def test_featurize_is_fixed_size_and_separates_classes():
    audios, _labels, _ = synth_dataset(3, seed=0)
    feats = featurize(audios)
    assert feats.shape == (len(audios), 32, 32)
    assert feats.dtype == np.float32
    assert feats.min() >= 0
    assert feats.max() <= 1
    long = Audio(np.zeros((2, 40000), np.float32) + 0.1, 22050)
    assert featurize([long]).shape == (1, 32, 32)
    with pytest.raises(augviz.InputError, match="at least one"):
        featurize([])
