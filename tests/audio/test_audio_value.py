"""The Audio value object, input checks, WAV I/O and resampling."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest
from helpers import as_bytes

import augviz
from augviz.audio import (
    Audio,
    Gain,
    load_wav,
    load_wav_folder,
    resample,
    save_wav,
)


def test_audio_is_immutable_and_copies_writeable_input():
    x = np.zeros(100, np.float32)
    a = Audio(x, 16000)
    x[0] = 1.0
    assert a.samples[0] == 0.0
    with pytest.raises(ValueError, match="read-only"):
        a.samples[0] = 2.0
    with pytest.raises(AttributeError):
        a.sample_rate = 8000
    assert a == Audio(np.zeros(100, np.float32), 16000)
    assert a != Audio(np.zeros(100, np.float32), 8000)
    assert pickle.loads(pickle.dumps(a)) == a
    assert (a.duration, a.channels, len(a)) == (100 / 16000, 1, 100)


def test_float64_is_converted_and_stereo_kept():
    a = Audio(np.zeros((2, 50)), 8000)
    assert a.samples.dtype == np.float32
    assert a.channels == 2
    assert a.to_mono().samples.shape == (50,)


@pytest.mark.parametrize(
    ("samples", "sr", "match"),
    [
        (np.array([0.0, np.nan], np.float32), 16000, "NaN or infinite"),
        (np.array([0.0, np.inf], np.float32), 16000, "NaN or infinite"),
        (np.zeros(0, np.float32), 16000, "empty"),
        (np.zeros((2, 3, 4), np.float32), 16000, r"shape \(2, 3, 4\)"),
        (np.zeros((1000, 2), np.float32), 16000, "samples.T"),
        (np.zeros(10, np.int16), 16000, "dtype int16.*32768"),
        ("abc", 16000, "numpy array"),
        (np.zeros(10, np.float32), None, "sample_rate"),
        (np.zeros(10, np.float32), 50, r"outside \[1000, 384000\]"),
        (np.zeros(10, np.float32), 10**7, "outside"),
        (np.zeros(10, np.float32), 16000.5, "whole number"),
        (np.zeros(10, np.float32), True, "not a number"),
    ],
)
def test_bad_audio_raises_input_error(samples, sr, match):
    with pytest.raises(augviz.InputError, match=match):
        Audio(samples, sr)


def test_transform_given_bare_array_says_how_to_wrap():
    with pytest.raises(augviz.InputError, match=r"Audio\(samples, sample_rate=16000\)"):
        Gain()(np.zeros(100, np.float32))
    with pytest.raises(augviz.InputError, match="Audio"):
        Gain()([0.0, 1.0])


def test_stretch_to_less_than_one_sample_is_an_input_error():
    from augviz.audio import Speed, TimeStretch

    one = Audio(np.ones(1, np.float32), 8000)
    with pytest.raises(augviz.InputError, match="at least 1 sample"):
        TimeStretch(rate=2.0)(one)
    with pytest.raises(augviz.InputError, match="at least 1 sample"):
        Speed(factor=2.0)(one)


def test_wav_round_trip_and_resample(tmp_path):
    t = np.arange(22050) / 22050
    a = Audio((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 22050)
    path = save_wav(a, tmp_path / "x.wav")
    with pytest.raises(augviz.InputError, match="overwrite=True"):
        save_wav(a, path)
    b = load_wav(path)
    assert b.sample_rate == 22050
    assert b.samples.dtype == np.float32
    np.testing.assert_allclose(b.samples, a.samples, atol=1 / 16000)
    c = load_wav(path, sample_rate=16000)
    assert c.num_samples == 16000
    assert c.sample_rate == 16000
    assert resample(c, 16000) is c
    with pytest.raises(augviz.InputError, match="does not exist"):
        load_wav(tmp_path / "missing.wav")
    (tmp_path / "bad.wav").write_bytes(b"not a wav")
    with pytest.raises(augviz.InputError, match="cannot read"):
        load_wav(tmp_path / "bad.wav")


def test_wav_folder_loader(tmp_path):
    a = Audio(np.zeros(800, np.float32), 8000)
    for cls in ("cat", "dog"):
        (tmp_path / cls).mkdir()
        save_wav(a, tmp_path / cls / "1.wav")
    audios, labels, names = load_wav_folder(tmp_path)
    assert names == ["cat", "dog"]
    assert labels.tolist() == [0, 1]
    assert audios[0].sample_rate == 16000  # resampled by default
    (tmp_path / "empty").mkdir()
    with pytest.raises(augviz.InputError, match=r"'empty'.*no audio files"):
        load_wav_folder(tmp_path)
    with pytest.raises(augviz.InputError, match="no sub-folders"):
        load_wav_folder(tmp_path / "cat")
    with pytest.raises(augviz.InputError, match="does not exist"):
        load_wav_folder(tmp_path / "nope")


def test_repr_html_has_a_player():
    html = Audio(np.zeros(800, np.float32), 8000)._repr_html_()
    assert "<audio" in html
    assert "8000 Hz" in html


def test_import_does_not_import_librosa_numba_or_scipy():
    code = ("import sys, augviz, augviz.audio, augviz.audio.transforms; "
            "print(sorted(m for m in ('librosa', 'numba', 'scipy', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_recipe_runs_on_audio_and_replays():
    from augviz.audio import GaussianSNR, Shift

    a = Audio(np.sin(np.arange(4000, dtype=np.float32) / 3), 16000)
    recipe = augviz.Recipe([Gain(), GaussianSNR(), Shift()], seed=3)
    out, records = recipe.trace(a, rng=4)
    assert isinstance(out, Audio)
    assert as_bytes(recipe.replay(a, records)) == as_bytes(out)
    batch = recipe.batch([a, a], rng=1)
    assert len(batch) == 2
    assert all(isinstance(b, Audio) for b in batch)
