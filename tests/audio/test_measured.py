"""Listen-checks by measurement: each transform does to the sound what it says."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import as_bytes

import augviz
from augviz.audio import (
    Audio,
    BackgroundNoise,
    BandPass,
    ColoredNoise,
    Gain,
    GaussianSNR,
    HighPass,
    LowPass,
    PadTrim,
    PitchShift,
    Reverb,
    Speed,
    TimeStretch,
)
from augviz.audio import functional as F

from .conftest import fundamental, tone

AUDIO = augviz.catalogue("audio")


@pytest.mark.parametrize("cls", AUDIO, ids=[c.id for c in AUDIO])
def test_float32_kept_length_kept_and_seed_deterministic(cls):
    a = tone(300.0, 16000, 0.5)
    out = cls()(a, rng=7)
    assert isinstance(out, Audio)
    assert out.samples.dtype == np.float32
    assert out.sample_rate == a.sample_rate
    if cls.keeps_shape:
        assert out.samples.shape == a.samples.shape
    assert as_bytes(cls()(a, rng=7)) == as_bytes(out)
    assert np.isfinite(out.samples).all()


def test_gain_plus_6_db_doubles_rms():
    a = tone()
    out = Gain(gain_db=20 * np.log10(2))(a)
    assert F.rms(out.samples) / F.rms(a.samples) == pytest.approx(2.0, rel=1e-5)


@pytest.mark.parametrize("snr", [0.0, 10.0, 30.0])
@pytest.mark.parametrize("cls", [GaussianSNR, ColoredNoise, BackgroundNoise])
def test_snr_noise_hits_target(cls, snr):
    a = tone()
    out = cls(snr_db=snr)(a, rng=1)
    noise = out.samples - a.samples
    achieved = 20 * np.log10(F.rms(a.samples) / F.rms(noise))
    assert abs(achieved - snr) < 0.5


def test_colors_have_their_slope():
    rng = np.random.default_rng(0)
    for color, beta in [("white", 0.0), ("pink", 1.0), ("brown", 2.0)]:
        x = F.colored_noise((2**16,), beta, rng)
        spec = np.abs(np.fft.rfft(x)) ** 2
        f = np.fft.rfftfreq(2**16)
        band = (f > 0.001) & (f < 0.4)
        slope = np.polyfit(np.log(f[band]), np.log(spec[band] + 1e-20), 1)[0]
        assert slope == pytest.approx(-beta, abs=0.15), color


def test_lowpass_attenuates_a_high_tone_and_highpass_a_low_one():
    high, low = tone(6000.0), tone(100.0)
    assert F.rms(LowPass(cutoff=500, rolloff=24)(high).samples) < 0.01 * F.rms(high.samples)
    assert F.rms(LowPass(cutoff=500, rolloff=24)(low).samples) > 0.9 * F.rms(low.samples)
    assert F.rms(HighPass(cutoff=2000, rolloff=24)(low).samples) < 0.01 * F.rms(low.samples)
    bp = BandPass(center=1000, bandwidth=0.5, rolloff=24)
    assert F.rms(bp(tone(1000.0)).samples) > 0.7 * F.rms(tone(1000.0).samples)
    assert F.rms(bp(high).samples) < 0.05 * F.rms(high.samples)


def _octave_slope_db(kernel, octave_from: float, **params) -> float:
    """Level drop in dB over one octave from ``octave_from`` Hz, measured on white noise."""
    sr = 16000
    noise = np.random.default_rng(0).standard_normal(sr * 8).astype(np.float32)
    y = kernel(noise, sample_rate=sr, **params).astype(np.float64)
    frames = y[sr : sr + 90 * 1024].reshape(-1, 1024) * np.hanning(1024)  # no edges; mean PSD
    psd = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).mean(axis=0)
    f = np.fft.rfftfreq(1024, 1 / sr)

    def level(hz: float) -> float:
        return 10 * np.log10(psd[(f > hz / 1.1) & (f < hz * 1.1)].mean())

    return level(octave_from) - level(2 * octave_from)


@pytest.mark.parametrize("zero_phase", [False, True])
@pytest.mark.parametrize("rolloff", [12, 24])
def test_filter_slope_measured_on_white_noise_matches_the_rolloff(rolloff, zero_phase):
    drop = _octave_slope_db(F.lowpass, 800.0, cutoff=100.0, rolloff=rolloff, zero_phase=zero_phase)
    assert drop == pytest.approx(rolloff, abs=1.5)
    rise = -_octave_slope_db(F.highpass, 250.0, cutoff=2000.0, rolloff=rolloff, zero_phase=zero_phase)
    assert rise == pytest.approx(rolloff, abs=1.5)


@pytest.mark.parametrize("engine", ["signalsmith", "librosa"])
def test_stretch_rate_2_halves_the_length_and_keeps_pitch(engine, request):
    if engine == "librosa":
        request.getfixturevalue("warm_librosa")
    else:
        pytest.importorskip("python_stretch")
    a = tone(440.0, 16000, 1.0)
    out = TimeStretch(rate=2.0, engine=engine)(a)
    assert out.num_samples == 8000
    core = out.samples[2000:6000]
    assert fundamental(core, 16000) == pytest.approx(440.0, rel=0.03)
    slow = TimeStretch(rate=0.5, engine=engine)(a)
    assert slow.num_samples == 32000
    assert TimeStretch(rate=2.0, keep_length=True, engine=engine)(a).num_samples == 16000


@pytest.mark.parametrize("engine", ["signalsmith", "librosa"])
@pytest.mark.parametrize("semitones", [12.0, -12.0, 4.0])
def test_pitch_shift_moves_the_fundamental(engine, semitones, request):
    if engine == "librosa":
        request.getfixturevalue("warm_librosa")
    else:
        pytest.importorskip("python_stretch")
    a = tone(440.0, 16000, 1.0)
    out = PitchShift(semitones=semitones, engine=engine)(a)
    assert out.num_samples == a.num_samples
    f = fundamental(out.samples[4000:12000], 16000)
    assert f == pytest.approx(440.0 * 2 ** (semitones / 12), rel=0.03)


def test_speed_changes_pitch_and_length_together():
    a = tone(440.0, 16000, 1.0)
    out = Speed(factor=1.25)(a)
    assert out.num_samples == 12800
    assert fundamental(out.samples, 16000) == pytest.approx(550.0, rel=0.01)


def test_reverb_adds_a_tail_and_keeps_level():
    click = np.zeros(16000, np.float32)
    click[100] = 1.0
    a = Audio(click, 16000)
    out = Reverb(rt60=0.5, wet=1.0)(a, rng=0).samples
    assert np.abs(out[4000:8000]).max() > 1e-4  # energy 0.25–0.5 s after the click
    assert F.rms(out) == pytest.approx(F.rms(click), rel=1e-3)


def test_pad_trim_positions():
    a = Audio(np.arange(1, 11, dtype=np.float32), 1000)
    assert PadTrim(duration=0.005, position=0.0)(a).samples.tolist() == [1, 2, 3, 4, 5]
    assert PadTrim(duration=0.005, position=1.0)(a).samples.tolist() == [6, 7, 8, 9, 10]
    padded = PadTrim(duration=0.014, position=0.5)(a).samples
    assert padded.tolist() == [0, 0, *range(1, 11), 0, 0]


def test_background_noise_from_a_user_folder(tmp_path):
    from augviz.audio import save_wav

    save_wav(tone(1234.0, 8000, 0.3), tmp_path / "n1.wav")
    t = BackgroundNoise(source=f"folder:{tmp_path}", snr_db=0.0)
    a = tone(200.0, 16000, 1.0)
    out = t(a, rng=0)
    noise = out.samples - a.samples
    assert fundamental(noise, 16000) == pytest.approx(1234.0, rel=0.01)
    assert augviz.Recipe.from_json(augviz.Recipe([t]).to_json()) == augviz.Recipe([t])
    with pytest.raises(augviz.ParamError, match="does not exist"):
        BackgroundNoise(source=f"folder:{tmp_path / 'nope'}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(augviz.ParamError, match="no audio files"):
        BackgroundNoise(source=f"folder:{tmp_path / 'empty'}")
    with pytest.raises(augviz.ParamError, match="folder:"):
        BackgroundNoise(source="traffic")


def test_engine_choice_names_what_is_missing(monkeypatch):
    from augviz.audio import _backend

    monkeypatch.setattr(_backend, "has_signalsmith", lambda: False)
    assert _backend.resolve_engine("auto") == "librosa"
    with pytest.raises(augviz.AugvizError, match="pip install python-stretch"):
        _backend.resolve_engine("signalsmith")
