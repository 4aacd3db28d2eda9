from __future__ import annotations

import numpy as np
import pytest

from augviz.audio import Audio


def tone(freq: float = 440.0, sr: int = 16000, seconds: float = 1.0, amp: float = 0.5) -> Audio:
    t = np.arange(int(sr * seconds)) / sr
    return Audio((amp * np.sin(2 * np.pi * freq * t)).astype(np.float32), sr)


def fundamental(x: np.ndarray, sr: int) -> float:
    """Peak frequency of the magnitude spectrum, parabolic-interpolated (Hann window)."""
    x = np.asarray(x, np.float64)
    n = len(x)
    spec = np.abs(np.fft.rfft(x * np.hanning(n)))
    k = int(np.argmax(spec[1:-1])) + 1
    a, b, c = np.log(spec[k - 1 : k + 2] + 1e-12)
    shift = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + shift) * sr / n


@pytest.fixture(scope="session")
def warm_librosa():
    """Compile librosa's numba kernels once per session (cached in ~/.cache/augviz/numba)."""
    from augviz.audio import warm_up, warm_up_state

    warm_up(background=False)
    state = warm_up_state()
    assert state["state"] == "warm", state
    return state
