"""Spectrogram inputs for the contract tests: 2-D (freq × time) float arrays."""

from __future__ import annotations

import numpy as np


def _unit(f: int, t: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((f, t), dtype=np.float32)


INPUTS = [
    ("logmel_float32_unit", lambda: _unit(40, 120, 1)),
    ("db_float64", lambda: -80.0 * np.random.default_rng(2).random((64, 80))),
    ("tiny_float32", lambda: _unit(3, 5, 3)),
]

#: batches for the batch-path contract (N × freq × time)
BATCHES = [
    ("logmel_batch_float32",
     lambda: np.random.default_rng(4).random((6, 32, 40), dtype=np.float32)),
]
