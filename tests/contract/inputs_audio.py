"""Audio inputs for the contract tests: mono, stereo, and a clip too short for a vocoder."""

from __future__ import annotations

import numpy as np

from augviz.audio import Audio


def _tone(n: int, sr: int, f: float, seed: int) -> np.ndarray:
    t = np.arange(n) / sr
    noise = np.random.default_rng(seed).standard_normal(n) * 0.02
    return (0.4 * np.sin(2 * np.pi * f * t) + noise).astype(np.float32)


INPUTS = [
    ("mono_16k", lambda: Audio(_tone(4000, 16000, 440.0, 1), 16000)),
    ("stereo_22k", lambda: Audio(np.stack([_tone(5512, 22050, 330.0, 2),
                                           _tone(5512, 22050, 660.0, 3)]), 22050)),
    ("short_8k", lambda: Audio(_tone(200, 8000, 1000.0, 4), 8000)),
]
