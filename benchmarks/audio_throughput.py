"""augviz vs audiomentations 0.43.1 on 3 s mono clips at 16 kHz and 44.1 kHz, shared
transforms.

Both sides are called through their public ``__call__`` with matching parameter ranges
and p=1, interleaved call by call (so machine load hits both alike; which side goes first
alternates); median ms over ``--repeat`` calls after one untimed warm-up call each. A
null row times augviz's gain against itself: its ratio shows the harness's own noise.
librosa's numba kernels are compiled before timing (``augviz.audio.warm_up``). Writes
``benchmarks/results/audio_throughput.md``.

    python benchmarks/audio_throughput.py [--repeat 25]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
from _results import save

RATES = (16000, 44100)
OUT = Path(__file__).parent / "results" / "audio_throughput.md"


def clip(sr: int) -> np.ndarray:
    t = np.arange(3 * sr) / sr
    rng = np.random.default_rng(0)
    y = 0.3 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
    return (y + 0.02 * rng.standard_normal(len(t))).astype(np.float32)


def pairs():
    import audiomentations as AM

    import augviz.audio as AV

    snr = {"min_snr_db": 5.0, "max_snr_db": 40.0}
    filt = {"min_rolloff": 12, "max_rolloff": 12, "zero_phase": False}
    p = {"p": 1.0}
    return [
        ("gain", AV.Gain(gain_db=(-12, 12)), AM.Gain(min_gain_db=-12, max_gain_db=12, **p)),
        ("gain transition",
         AV.GainTransition(start_db=(-24, 6), end_db=(-24, 6), duration=(0.2, 0.5)),
         AM.GainTransition(min_duration=0.2, max_duration=0.5, duration_unit="fraction", **p)),
        ("gaussian noise", AV.GaussianNoise(std=(0.001, 0.015)),
         AM.AddGaussianNoise(min_amplitude=0.001, max_amplitude=0.015, **p)),
        ("gaussian SNR", AV.GaussianSNR(snr_db=(5, 40)), AM.AddGaussianSNR(**snr, **p)),
        ("pink noise (SNR)", AV.ColoredNoise(snr_db=(5, 40), color="pink"),
         AM.AddColorNoise(**snr, min_f_decay=-3.01, max_f_decay=-3.01, **p)),
        ("shift (roll-over)", AV.Shift(fraction=(-0.5, 0.5), rollover=True),
         AM.Shift(min_shift=-0.5, max_shift=0.5, rollover=True, fade_duration=0.0, **p)),
        ("time stretch (signalsmith)", AV.TimeStretch(rate=(0.8, 1.25), engine="signalsmith"),
         AM.TimeStretch(min_rate=0.8, max_rate=1.25, leave_length_unchanged=False,
                        method="signalsmith_stretch", **p)),
        ("time stretch (librosa)", AV.TimeStretch(rate=(0.8, 1.25), engine="librosa"),
         AM.TimeStretch(min_rate=0.8, max_rate=1.25, leave_length_unchanged=False,
                        method="librosa_phase_vocoder", **p)),
        ("pitch shift (signalsmith)", AV.PitchShift(semitones=(-4, 4), engine="signalsmith"),
         AM.PitchShift(min_semitones=-4, max_semitones=4, method="signalsmith_stretch", **p)),
        ("pitch shift (librosa)", AV.PitchShift(semitones=(-4, 4), engine="librosa"),
         AM.PitchShift(min_semitones=-4, max_semitones=4, method="librosa_phase_vocoder", **p)),
        ("low-pass", AV.LowPass(cutoff=(150, 7500), rolloff=12),
         AM.LowPassFilter(min_cutoff_freq=150, max_cutoff_freq=7500, **filt, **p)),
        ("high-pass", AV.HighPass(cutoff=(20, 2400), rolloff=12),
         AM.HighPassFilter(min_cutoff_freq=20, max_cutoff_freq=2400, **filt, **p)),
        ("band-pass", AV.BandPass(center=(200, 4000), bandwidth=(0.5, 1.99), rolloff=12),
         AM.BandPassFilter(min_center_freq=200, max_center_freq=4000, min_bandwidth_fraction=0.5,
                           max_bandwidth_fraction=1.99, **filt, **p)),
        ("polarity inversion", AV.PolarityInversion(), AM.PolarityInversion(**p)),
        ("reverse", AV.Reverse(), AM.Reverse(**p)),
        ("clipping distortion", AV.ClippingDistortion(percentile=(0, 40)),
         AM.ClippingDistortion(min_percentile_threshold=0, max_percentile_threshold=40, **p)),
        ("time mask", AV.TimeMask(fraction=(0.01, 0.2), fade=False),
         AM.TimeMask(min_band_part=0.01, max_band_part=0.2, fade_duration=0.0, **p)),
        ("time mask (fades)", AV.TimeMask(fraction=(0.01, 0.2), fade=True),
         AM.TimeMask(min_band_part=0.01, max_band_part=0.2, fade_duration=0.005, **p)),
        ("shift (no roll-over)", AV.Shift(fraction=(-0.5, 0.5), rollover=False),
         AM.Shift(min_shift=-0.5, max_shift=0.5, rollover=False, fade_duration=0.0, **p)),
        ("null: augviz gain vs itself", AV.Gain(gain_db=(-12, 12)), _Null(AV.Gain(gain_db=(-12, 12)))),
        ("floor: gain written out", _Floor(-12.0, 12.0),
         AM.Gain(min_gain_db=-12, max_gain_db=12, **p)),
    ]


class _Floor:
    """The least a gain call can cost under augviz's contracts: the coin and the gain drawn
    from the numpy Generator passed in (two raw words, as the draw plan takes them), the
    kernel's one multiplication, the output made read-only and wrapped as Audio — no input
    check, no plan, no dispatch. What no change of augviz's code (as opposed to its
    contracts) can go below."""

    def __init__(self, lo: float, hi: float) -> None:
        from augviz.audio import Audio

        self.lo, self.width, self.wrap = lo, hi - lo, Audio._wrap

    def __call__(self, audio, rng):
        raw = rng.bit_generator.random_raw
        if ((raw() >> 11) * 2.0**-53) >= 1.0:  # the p coin
            return audio
        db = self.lo + ((raw() >> 11) * 2.0**-53) * self.width
        out = audio._samples * 10.0 ** (db / 20.0)
        out.setflags(write=False)
        return self.wrap(out, audio._sr)


class _Null:
    """augviz's own transform called the way audiomentations is (the harness's noise)."""

    def __init__(self, transform) -> None:
        from augviz.audio import Audio

        self.transform, self.Audio, self.cache = transform, Audio, {}
        self.gen = np.random.default_rng(0)  # made once, as the augviz side's are made untimed

    def __call__(self, x, sample_rate):
        key = (id(x), sample_rate)
        if key not in self.cache:  # wrap once, as the augviz side's clip is wrapped once
            self.cache = {key: self.Audio(x, sample_rate)}
        return self.transform(self.cache[key], rng=self.gen)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=25)
    args = parser.parse_args()
    quick = os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")  # smoke run: few repeats, nothing saved
    if quick:
        args.repeat = 3
    warnings.simplefilter("ignore")  # audiomentations warns about parameter defaults

    import audiomentations

    from augviz.audio import Audio, warm_up

    t0 = time.perf_counter()
    warm_up(background=False)
    warm_s = time.perf_counter() - t0
    rows = []
    for sr in RATES:
        x = clip(sr)
        audio = Audio(x, sr)
        for name, ours, theirs in pairs():
            ours(audio, rng=np.random.default_rng(0))
            theirs(x, sample_rate=sr)
            t_ours, t_theirs = [], []
            for i in range(args.repeat):
                # who goes first alternates: a call that follows the other library's (which
                # evicted its caches) is not always the same side's
                for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                    if side == 0:
                        rng = np.random.default_rng(i)
                        a = time.perf_counter()
                        ours(audio, rng=rng)
                        t_ours.append(time.perf_counter() - a)
                    else:
                        np.random.seed(i)  # noqa: NPY002 - audiomentations draws from the global generator
                        a = time.perf_counter()
                        theirs(x, sample_rate=sr)
                        t_theirs.append(time.perf_counter() - a)
            mo, mt = 1000 * statistics.median(t_ours), 1000 * statistics.median(t_theirs)
            # the median of the per-pair ratios: a pair's two calls ran back to back, under
            # the same load (as the image benchmark takes per-round ratios)
            ratio = statistics.median(b / a for a, b in zip(t_ours, t_theirs, strict=True))
            rows.append((f"{name} @ {sr / 1000:g} kHz", mo, mt, ratio, name.startswith(("null", "floor"))))
            print(f"{rows[-1][0]:40s} augviz {mo:8.3f} ms   other {mt:8.3f} ms   {ratio:5.2f}×")
    shared = [r for r in rows if not r[4]]
    lines = [
        "# Audio throughput: augviz vs audiomentations",
        "",
        f"3 s mono float32 clips at {', '.join(f'{r} Hz' for r in RATES)}; median ms per call over "
        f"{args.repeat} interleaved "
        "pairs of calls (p=1, same parameter ranges; the side that goes first alternates), after one "
        "warm-up call. Speed-up = the median over pairs of "
        "audiomentations time / augviz time (> 1: augviz faster).",
        f"audiomentations {audiomentations.__version__}; Python {platform.python_version()}; "
        f"librosa warm-up (numba, cached) took {warm_s:.1f} s before timing.",
        "Machine: 2 shared cores under load from other jobs — absolute ms are noisy; the "
        "ratios (interleaved in one process) are what counts. The null row is augviz against "
        "itself (ideal 1.00×). The floor row is a gain call written out by hand with nothing "
        "but what augviz's contracts require (draws from the numpy Generator passed in, a "
        "read-only Audio out): the least such a call can cost. Time mask with fades does not "
        "do the same work on both sides: augviz ramps an eighth of the band at each edge "
        "(60–1,200 samples at 16 kHz here), audiomentations 5 ms (80 samples).",
        "",
        "| transform | augviz ms | audiomentations ms | speed-up |",
        "|---|---:|---:|---:|",
        *[f"| {n} | {o:.3f} | {t:.3f} | {r:.2f}× |" for n, o, t, r, _ in rows],
        "",
        f"Geometric mean speed-up over the shared transforms (null and floor rows excluded): "
        f"{np.exp(np.mean(np.log([r[3] for r in shared]))):.2f}×",
        "",
    ]
    if quick:
        return 0
    save(OUT, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
