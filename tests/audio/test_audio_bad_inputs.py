"""Audio and spectrogram inputs at the edges: short clips, huge asks, wrong types."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.audio import (
    Audio,
    BackgroundNoise,
    FreqMask,
    PadTrim,
    SpecTimeMask,
    load_wav,
    load_wav_folder,
    save_wav,
)
from augviz.audio import functional as F
from augviz.core import InputError


@pytest.fixture(scope="module")
def noise_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("noises")
    rng = np.random.default_rng(0)
    save_wav(Audio((rng.standard_normal(40) * 0.1).astype(np.float32), 8000), folder / "short.wav")
    return folder


@pytest.mark.parametrize("n", [1, 2, 7, 50])
@pytest.mark.parametrize("sample_rate", [1000, 16000, 384000])
def test_background_noise_mixes_into_clips_shorter_than_its_sounds(n, sample_rate, noise_folder):
    x = (np.random.default_rng(1).standard_normal(n) * 0.1).astype(np.float32)
    for source in (*F.BACKGROUNDS, f"folder:{noise_folder}"):
        out = BackgroundNoise(source=source, snr_db=0.0)(Audio(x, sample_rate), rng=3)
        assert out.num_samples == n and out.sample_rate == sample_rate
        assert np.isfinite(out.samples).all()
        if n >= 7:
            assert not np.array_equal(out.samples, x), source


def test_pad_trim_refuses_to_allocate_gigabytes():
    many = Audio(np.zeros((32, 100), np.float32), 384000)
    with pytest.raises(InputError) as info:
        PadTrim(duration=600.0)(many)
    text = str(info.value)
    assert "audio.pad_trim: duration=600 s at 384000 Hz × 32 channel(s) makes 27.5 GiB" in text
    assert "at most 1 GiB" in text
    # one channel at the same length fits
    assert PadTrim(duration=600.0)(Audio(np.zeros(10, np.float32), 384000)).num_samples == 230_400_000


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        (["a", "b"], "audio samples from a list must be numbers"),
        ([[0.1, 0.2], [0.3]], "audio samples from a list must be numbers (nested lists of one length"),
        ((0.1, None), "audio has 1 NaN or infinite samples"),
        ((0.1, "x"), "audio samples from a tuple must be numbers"),
    ],
)
def test_audio_from_a_list_of_non_numbers_is_an_input_error(samples, message):
    with pytest.raises(InputError) as info:
        Audio(samples, 16000)
    assert message in str(info.value)
    assert Audio([0.1, 0.2], 16000).num_samples == 2


@pytest.mark.parametrize("path", [None, 3, ["a.wav"]])
def test_audio_io_refuses_what_is_not_a_path(path, tmp_path):
    with pytest.raises(InputError, match=r"^load_wav: path .* is not allowed; allowed: a file path"):
        load_wav(path)
    with pytest.raises(InputError, match=r"^load_wav_folder: path .* is not allowed"):
        load_wav_folder(path)
    with pytest.raises(InputError, match=r"^save_wav: path .* is not allowed"):
        save_wav(Audio(np.zeros(8, np.float32), 8000), path)


@pytest.mark.parametrize("rate", [0, -16000, 12.5, "16k", 10**7])
def test_a_bad_target_rate_is_refused_not_ignored(rate, tmp_path):
    path = save_wav(Audio(np.zeros(800, np.float32), 8000), tmp_path / "a.wav")
    with pytest.raises(InputError, match="load_wav: sample_rate="):
        load_wav(path, sample_rate=rate)
    (tmp_path / "dog").mkdir()
    save_wav(Audio(np.zeros(800, np.float32), 8000), tmp_path / "dog" / "a.wav")
    with pytest.raises(InputError, match="load_wav_folder: sample_rate="):
        load_wav_folder(tmp_path, sample_rate=rate)
    assert load_wav(path, sample_rate=16000).sample_rate == 16000
    assert load_wav(path, sample_rate=None).sample_rate == 8000


def test_load_wav_folder_checks_max_per_class(tmp_path):
    with pytest.raises(InputError, match=r"load_wav_folder: max_per_class=-1 is outside \[1, "):
        load_wav_folder(tmp_path, max_per_class=-1)


@pytest.mark.parametrize("transform", [FreqMask(width=(2, 4), count=2), SpecTimeMask(width=(2, 4), count=2)])
def test_mean_fill_of_a_spectrogram_near_the_float32_limit_stays_finite(transform):
    spec = np.full((10, 12), 3e38, np.float32)
    with np.errstate(all="raise"):
        out = transform(spec, rng=0)
    assert np.isfinite(out).all()
    assert np.allclose(out, 3e38)
