"""The fast audio kernels give exactly the bytes of their straightforward definitions
(``np.roll``, a copy multiplied by ``np.linspace`` ramps), on mono and stereo clips."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.audio import functional as F


def _clip(rng: np.random.Generator, n: int, channels: int) -> np.ndarray:
    x = rng.standard_normal((channels, n) if channels > 1 else n).astype(np.float32)
    x.flags.writeable = False  # kernels get read-only samples from Audio
    return x


def _time_mask_reference(x: np.ndarray, fraction: float, position: float, fade: bool) -> np.ndarray:
    n = x.shape[-1]
    width = round(fraction * n)
    out = x.copy()
    if width <= 0:
        return out
    start = int(position * (n - width))
    stop = start + width
    if fade and width >= 8:
        ramp = max(1, width // 8)
        out[..., start : start + ramp] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
        out[..., start + ramp : stop - ramp] *= np.float32(0.0)
        out[..., stop - ramp : stop] *= np.linspace(0.0, 1.0, ramp, dtype=np.float32)
    else:
        out[..., start:stop] *= np.float32(0.0)
    return out


@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("fade", [False, True])
def test_time_mask_matches_its_definition(channels: int, fade: bool) -> None:
    rng = np.random.default_rng(3)
    for n in (1, 7, 16, 17, 100, 1000, 48000):
        x = _clip(rng, n, channels)
        for fraction in (0.0, 0.01, 0.05, 0.12, 0.33, 0.5, *rng.uniform(0, 0.5, 8)):
            for position in (0.0, 0.5, 1.0, float(rng.random())):
                got = F.time_mask(x, fraction=fraction, position=position, fade=fade)
                want = _time_mask_reference(x, fraction, position, fade)
                assert got.dtype == np.float32
                assert got.tobytes() == want.tobytes(), (n, fraction, position)


def test_time_mask_band_keeps_the_sign_of_zero() -> None:
    x = np.full(64, -0.5, np.float32)
    out = F.time_mask(x, fraction=0.5, position=0.0, fade=True)
    assert np.signbit(out[4:28]).all() and (out[4:28] == 0).all()


def test_fade_ramps_are_numpys_linspace() -> None:
    for num in range(2, 3000):
        down, up = F._fade_pair(num)
        assert down.tobytes() == np.linspace(1.0, 0.0, num, dtype=np.float32)[:-1].tobytes()
        assert up.tobytes() == np.linspace(0.0, 1.0, num, dtype=np.float32)[:-1].tobytes()


@pytest.mark.parametrize("channels", [1, 3])
@pytest.mark.parametrize("rollover", [False, True])
def test_shift_matches_roll_and_zero_fill(channels: int, rollover: bool) -> None:
    rng = np.random.default_rng(5)
    for n in (1, 2, 9, 1000):
        x = _clip(rng, n, channels)
        for fraction in (-1.0, -0.5, -0.01, 0.0, 0.3, 0.999, 1.0, *rng.uniform(-1, 1, 6)):
            k = round(fraction * n)
            if rollover:
                want = np.roll(x, k, axis=-1)
            else:
                want = np.zeros_like(x)
                if 0 <= k < n:
                    want[..., k:] = x[..., : n - k]
                elif -n < k < 0:
                    want[..., : n + k] = x[..., -k:]
            got = F.shift(x, fraction=fraction, rollover=rollover)
            assert got.tobytes() == want.tobytes(), (n, fraction)
