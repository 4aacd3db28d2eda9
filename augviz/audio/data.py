"""Offline audio data: the bundled spoken digits and numpy-synthesised classes."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from augviz.core import InputError, Int

from . import functional as F
from ._audio import Audio, check_rate

__all__ = ["SPOKEN_DIGITS_DIR", "SYNTH_CLASSES", "AudioDataset", "load_spoken_digits",
           "spoken_digits_manifest", "synth_dataset"]

_N_PER_CLASS = Int("n_per_class", 1, 100_000, 20, doc="Clips per class.")

SPOKEN_DIGITS_DIR = Path(__file__).parent / "data" / "spoken_digits"
SYNTH_CLASSES = ("tone", "chirp_up", "chirp_down", "white", "pink", "brown")


class AudioDataset(NamedTuple):
    """Clips, integer labels and class names (``labels[i]`` indexes ``class_names``)."""

    audios: list[Audio]
    labels: np.ndarray
    class_names: list[str]


def spoken_digits_manifest() -> list[dict[str, Any]]:
    """One record per bundled clip: file, digit, voice, rate (wpm), pitch, seconds."""
    path = SPOKEN_DIGITS_DIR / "manifest.json"
    if not path.is_file():
        raise InputError(
            f"the spoken-digits set is missing ({str(path)!r}); regenerate it with "
            "python tools/make_spoken_digits.py"
        )
    return list(json.loads(path.read_text(encoding="utf-8"))["clips"])


@lru_cache(maxsize=2)
def _spoken(sample_rate: int | None) -> tuple[tuple[Audio, ...], tuple[int, ...]]:
    from .io import load_wav

    audios, labels = [], []
    for rec in spoken_digits_manifest():
        audios.append(load_wav(SPOKEN_DIGITS_DIR / rec["file"], sample_rate=sample_rate))
        labels.append(int(rec["digit"]))
    return tuple(audios), tuple(labels)


def load_spoken_digits(*, sample_rate: int | None = None) -> AudioDataset:
    """The bundled spoken digits: 0–9 said by several espeak-ng voices at several rates
    and pitches (16 kHz mono, trimmed; made by ``tools/make_spoken_digits.py``).

    Parameters
    ----------
    sample_rate : int, optional
        Resample (the files are 16 kHz).

    Example
    -------
    >>> audios, labels, names = load_spoken_digits()
    >>> names[:3], audios[0].sample_rate
    (['0', '1', '2'], 16000)
    """
    sr = None if sample_rate is None else check_rate(sample_rate)
    audios, labels = _spoken(sr)
    return AudioDataset(list(audios), np.asarray(labels, np.int64), [str(d) for d in range(10)])


def _synth_one(kind: str, n: int, sr: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(n) / sr
    amp = rng.uniform(0.2, 0.7)
    if kind == "tone":
        f = rng.uniform(200.0, 2000.0)
        y = np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
    elif kind in ("chirp_up", "chirp_down"):
        f0, f1 = rng.uniform(150.0, 500.0), rng.uniform(1500.0, min(4000.0, 0.4 * sr))
        if kind == "chirp_down":
            f0, f1 = f1, f0
        dur = n / sr
        phase = 2 * np.pi * (f0 * t + (f1 - f0) * t**2 / (2 * dur))
        y = np.sin(phase)
    else:
        y = F.colored_noise((n,), F.NOISE_COLORS[kind], rng) * 0.3
    env = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)  # 10 ms fades: no clicks
    return (amp * y * env).astype(np.float32)


def synth_dataset(n_per_class: int = 20, *, classes: tuple[str, ...] = SYNTH_CLASSES,
                  sample_rate: int = 16000, duration: float = 0.5, seed: int = 0) -> AudioDataset:
    """Numpy-synthesised labelled clips: tones, up/down chirps and noise colours.

    Random frequency, level and phase per clip. Handy for tests and for seeing label
    risk (``audio.reverse`` turns an up-chirp into a down-chirp).

    Example
    -------
    >>> audios, labels, names = synth_dataset(2, seed=0)
    >>> len(audios), names[:2]
    (12, ['tone', 'chirp_up'])
    """
    sr = check_rate(sample_rate)
    unknown = [c for c in classes if c not in SYNTH_CLASSES]
    if unknown or not classes:
        raise InputError(
            f"classes={classes!r} is not allowed; allowed: a subset of {SYNTH_CLASSES}"
        )
    n_per_class = _N_PER_CLASS.check_argument(n_per_class, where="synth_dataset")
    n = round(duration * sr)
    if n < 16:
        raise InputError(f"duration={duration} s gives {n} samples; allowed: at least 16")
    rng = np.random.default_rng(seed)
    audios, labels = [], []
    for _ in range(n_per_class):
        for k, kind in enumerate(classes):
            audios.append(Audio._wrap(_synth_one(kind, n, sr, rng), sr))
            labels.append(k)
    return AudioDataset(audios, np.asarray(labels, np.int64), list(classes))
