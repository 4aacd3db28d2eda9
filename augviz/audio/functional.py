"""Pure audio kernels on float32 arrays shaped ``(n,)`` or ``(channels, n)``.

Every kernel returns a new float32 array and never modifies its input. A transform's
kernel takes the samples, then its values by keyword with the spec names, always with
``sample_rate`` (Hz) among them — kernels that do not depend on the rate accept and
ignore it, so every waveform transform calls its kernel alike. Kernels that draw noise
take an integer ``seed`` (``np.random.default_rng(seed)``) so that the transforms'
``apply`` stays pure. scipy and librosa are imported inside the kernels that need them.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import cache, lru_cache

import numpy as np

from augviz.core import InputError

from ._backend import librosa, resolve_engine

__all__ = [
    "BACKGROUNDS",
    "FILTER_KINDS",
    "NOISE_COLORS",
    "as_mono",
    "background",
    "background_mix",
    "bandpass",
    "clipping",
    "colored_noise",
    "colored_snr_noise",
    "db_to_amplitude",
    "filter_sos",
    "fit_length",
    "gain",
    "gain_transition",
    "gaussian_noise",
    "highpass",
    "lowpass",
    "mix_at_snr",
    "pad_trim",
    "pitch_shift",
    "polarity",
    "resample",
    "reverb",
    "reverse",
    "rms",
    "shift",
    "snr_noise",
    "speed",
    "synthetic_impulse_response",
    "tile_to",
    "time_mask",
    "time_stretch",
]

#: Noise colours and their spectral slope β (power ∝ 1 / f^β).
NOISE_COLORS: dict[str, float] = {"white": 0.0, "pink": 1.0, "brown": 2.0, "blue": -1.0,
                                  "violet": -2.0}
#: Synthetic background noises (made with numpy from a seed; nothing is downloaded).
BACKGROUNDS = ("pink", "brown", "hum", "babble", "wind", "rain")
FILTER_KINDS = ("lowpass", "highpass", "bandpass")
#: the most a transform that lengthens audio may allocate (1 GiB of float32 samples)
MAX_OUTPUT_BYTES = 2**30


def _f32(x: np.ndarray) -> np.ndarray:
    return x if x.dtype == np.float32 else x.astype(np.float32)


def db_to_amplitude(db: float) -> float:
    """``10 ** (db / 20)``."""
    return float(10.0 ** (db / 20.0))


def rms(x: np.ndarray) -> float:
    """Root mean square over all samples (float64 accumulation)."""
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


# -- level ---------------------------------------------------------------------------
def gain(x: np.ndarray, *, sample_rate: int | None = None, gain_db: float) -> np.ndarray:
    """Multiply by ``gain_db`` decibels (+6 dB ≈ ×2 amplitude)."""
    # a Python float keeps float32 samples float32 (rounded to float32 first, as an
    # np.float32 factor would be) and skips making a numpy scalar; db_to_amplitude written
    # out (a call costs as much as this line)
    return x * float(10.0 ** (gain_db / 20.0))


def gain_transition(x: np.ndarray, *, sample_rate: int | None = None, start_db: float,
                    end_db: float, duration: float, position: float) -> np.ndarray:
    """A gain ramp (linear in dB) from ``start_db`` to ``end_db``.

    The ramp lasts ``duration`` × length and starts at ``position`` × the remaining
    room; before it the gain is ``start_db``, after it ``end_db``.
    """
    n = x.shape[-1]
    width = max(1, round(duration * n))
    start = int(position * (n - width)) if n > width else 0
    end = min(n, start + width)
    ramp = np.linspace(start_db, end_db, width, dtype=np.float32)[: end - start]
    out = np.empty_like(x)
    np.multiply(x[..., :start], np.float32(db_to_amplitude(start_db)), out=out[..., :start])
    np.multiply(x[..., start:end], np.power(np.float32(10.0), ramp / np.float32(20.0)),
                out=out[..., start:end])
    np.multiply(x[..., end:], np.float32(db_to_amplitude(end_db)), out=out[..., end:])
    return out


def polarity(x: np.ndarray, *, sample_rate: int | None = None) -> np.ndarray:
    """Flip the sign of every sample."""
    return np.negative(x)


def reverse(x: np.ndarray, *, sample_rate: int | None = None) -> np.ndarray:
    """Play backwards (a reversed view: callers treat kernel outputs as read-only)."""
    return x[..., ::-1]


def clipping(x: np.ndarray, *, sample_rate: int | None = None, percentile: float) -> np.ndarray:
    """Hard-clip the loudest ``percentile`` % of samples (half at each end)."""
    if percentile <= 0:
        return x.copy()
    # nearest-rank thresholds from one partition (np.percentile interpolates: 2-4× slower)
    flat = x.reshape(-1)
    n = flat.shape[0]
    k_lo = round(percentile / 200.0 * (n - 1))
    k_hi = n - 1 - k_lo
    part = np.partition(flat, [k_lo, k_hi])
    return np.clip(x, part[k_lo], part[k_hi])


# -- noise ---------------------------------------------------------------------------
def gaussian_noise(x: np.ndarray, *, sample_rate: int | None = None, std: float,
                   seed: int) -> np.ndarray:
    """Add white Gaussian noise of standard deviation ``std`` (full scale = 1)."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(x.shape, dtype=np.float32)
    noise *= np.float32(std)
    return noise + x


def colored_noise(shape: tuple[int, ...], beta: float, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS noise whose power falls as ``1 / f ** beta`` (0 white, 1 pink, 2 brown)."""
    n = shape[-1]
    if beta == 0.0 or n < 4:
        return rng.standard_normal(shape, dtype=np.float32)
    freqs = np.fft.rfftfreq(n)
    scale = np.zeros_like(freqs)
    scale[1:] = freqs[1:] ** (-beta / 2.0)
    spec_shape = (*shape[:-1], len(freqs))
    spec = rng.standard_normal(spec_shape) + 1j * rng.standard_normal(spec_shape)
    noise = np.fft.irfft(spec * scale, n)
    level = np.sqrt(np.mean(np.square(noise), axis=-1, keepdims=True))
    return (noise / np.where(level > 0, level, 1.0)).astype(np.float32)


def mix_at_snr(x: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Add ``noise`` scaled so that RMS(x) / RMS(noise) is exactly ``snr_db`` decibels.

    A silent ``x`` is returned unchanged (no SNR is defined).
    """
    sig = rms(x)
    lvl = rms(noise)
    if sig == 0.0 or lvl == 0.0:
        return x.copy()
    scale = np.float32(sig / (lvl * db_to_amplitude(snr_db)))
    return _f32(x + noise * scale)


def snr_noise(x: np.ndarray, *, sample_rate: int | None = None, snr_db: float,
              seed: int) -> np.ndarray:
    """Add white Gaussian noise at ``snr_db`` decibels below the signal's RMS."""
    noise = np.random.default_rng(seed).standard_normal(x.shape, dtype=np.float32)
    return mix_at_snr(x, noise, snr_db)


def colored_snr_noise(x: np.ndarray, *, sample_rate: int | None = None, snr_db: float,
                      color: str, seed: int) -> np.ndarray:
    """Add noise of a colour (``NOISE_COLORS``) at ``snr_db`` decibels."""
    noise = colored_noise(x.shape, NOISE_COLORS[color], np.random.default_rng(seed))
    return mix_at_snr(x, noise, snr_db)


def _smooth_envelope(n: int, rate_hz: float, sample_rate: int,
                     rng: np.random.Generator) -> np.ndarray:
    """A positive, slowly varying envelope (noise low-passed at ``rate_hz``)."""
    spec = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
    spec[freqs > rate_hz] = 0.0
    env = np.fft.irfft(spec, n)
    env /= np.max(np.abs(env)) or 1.0
    return np.clip(0.5 + 0.5 * env, 0.0, 1.0)


def background(kind: str, n: int, sample_rate: int, seed: int) -> np.ndarray:
    """A synthetic background noise of ``n`` samples (unit RMS), from ``BACKGROUNDS``."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / sample_rate
    if kind in NOISE_COLORS:
        return colored_noise((n,), NOISE_COLORS[kind], rng)
    if kind == "hum":
        f0 = 50.0 if rng.random() < 0.5 else 60.0
        out = sum(
            (0.6 ** k) * np.sin(2 * np.pi * f0 * (k + 1) * t + rng.uniform(0, 2 * np.pi))
            for k in range(6)
        )
        out = out + 0.05 * rng.standard_normal(n)
    elif kind == "babble":
        out = np.zeros(n)
        for _ in range(6):
            f0 = rng.uniform(90, 260)
            vib = 1.0 + 0.03 * np.sin(2 * np.pi * rng.uniform(3, 6) * t)
            phase = 2 * np.pi * np.cumsum(f0 * vib) / sample_rate
            voice = sum(np.sin((k + 1) * phase) / (k + 1) for k in range(8))
            out += voice * _smooth_envelope(n, 4.0, sample_rate, rng) ** 2
        out += 0.1 * colored_noise((n,), 1.0, rng)
    elif kind == "wind":
        out = colored_noise((n,), 2.0, rng) * (0.2 + _smooth_envelope(n, 0.7, sample_rate, rng))
    elif kind == "rain":
        out = 0.3 * colored_noise((n,), 1.0, rng)
        drops = rng.random(n) < 400.0 / sample_rate
        decay = np.exp(-np.arange(max(2, sample_rate // 500)) / (sample_rate / 4000.0))
        # numpy's mode="same" keeps the longer of the two: a clip shorter than a drop's
        # decay would grow, so cut the centred part of the full convolution
        full = np.convolve(drops * rng.standard_normal(n), decay)
        start = (len(decay) - 1) // 2
        out += full[start:start + n]
    else:  # pragma: no cover - the spec validates kinds
        raise InputError(f"unknown background {kind!r}; allowed: {', '.join(BACKGROUNDS)}")
    out = np.asarray(out, np.float64)
    out /= rms(out) or 1.0
    return out.astype(np.float32)


# -- time ----------------------------------------------------------------------------
def shift(x: np.ndarray, *, sample_rate: int | None = None, fraction: float,
          rollover: bool) -> np.ndarray:
    """Move the signal ``fraction`` × length later (negative: earlier).

    With ``rollover`` what falls off one end comes back at the other; otherwise the gap
    is filled with silence.
    """
    n = x.shape[-1]
    k = round(fraction * n)
    out = np.empty_like(x)
    if rollover:  # np.roll's result, written as two slice copies
        k %= n
        out[..., k:] = x[..., : n - k]
        out[..., :k] = x[..., n - k :]
    elif k >= n or k <= -n:
        out.fill(0)
    elif k >= 0:  # only the gap is zeroed, the rest is written once
        out[..., :k] = 0
        out[..., k:] = x[..., : n - k]
    else:
        out[..., : n + k] = x[..., -k:]
        out[..., n + k :] = 0
    return out


def time_mask(x: np.ndarray, *, sample_rate: int | None = None, fraction: float, position: float,
              fade: bool) -> np.ndarray:
    """Silence a band of ``fraction`` × length starting at ``position`` × the free room."""
    n = x.shape[-1]
    width = round(fraction * n)
    out = x.copy()
    if width <= 0:
        return out
    start = int(position * (n - width))
    stop = start + width
    # the band is multiplied (not assigned) so that negative samples become -0.0 as before
    if fade and width >= 8:
        ramp = max(1, width // 8)
        if ramp == 1:  # one-sample ramps, [1.0] and [0.0]: all but the first sample silenced
            out[..., start + 1 : stop] *= _ZERO
            return out
        # np.linspace(1, 0, ramp) and np.linspace(0, 1, ramp) (float32) bit for bit: the
        # ramps' last samples (0 and 1) are the band's zero and an unchanged sample
        down, up = _fade_pair(ramp)
        out[..., start : start + ramp - 1] *= down
        out[..., start + ramp - 1 : stop - ramp] *= _ZERO
        out[..., stop - ramp : stop - 1] *= up
    else:
        out[..., start:stop] *= _ZERO
    return out


def _fade_pair(num: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``num - 1`` samples of ``np.linspace(1, 0, num)`` and of
    ``np.linspace(0, 1, num)`` as float32 (numpy's own arithmetic: ``start + k * step``
    in float64, rounded once)."""
    y = _counting(num.bit_length())[: num - 1] * (1.0 / (num - 1))
    return (1.0 - y).astype(np.float32), y.astype(np.float32)


@cache
def _counting(bits: int) -> np.ndarray:
    """0, 1, 2, … (float64), ``2**bits`` of them (read-only, shared)."""
    k = np.arange(1 << bits, dtype=np.float64)
    k.flags.writeable = False
    return k


_ZERO = np.float32(0.0)


def pad_trim(x: np.ndarray, *, sample_rate: int, duration: float, position: float) -> np.ndarray:
    """Pad with silence or cut to exactly ``duration`` seconds (at least one sample).

    ``position`` as in :func:`fit_length`. The output is at most :data:`MAX_OUTPUT_BYTES`.
    """
    length = max(1, round(duration * sample_rate))
    channels = x.shape[0] if x.ndim == 2 else 1
    size = length * channels * 4
    if size > MAX_OUTPUT_BYTES:
        raise InputError(
            f"audio.pad_trim: duration={duration:g} s at {sample_rate} Hz × {channels} channel(s) makes "
            f"{size / 2**30:.1f} GiB of samples; allowed: at most {MAX_OUTPUT_BYTES / 2**30:g} GiB "
            "(a shorter duration, fewer channels or a lower rate)"
        )
    return fit_length(x, length, position)


def fit_length(x: np.ndarray, length: int, position: float) -> np.ndarray:
    """Pad with silence or cut to exactly ``length`` samples.

    ``position`` in [0, 1] says where: 0 keeps the start (pads/cuts at the end), 1 keeps
    the end, 0.5 centres.
    """
    n = x.shape[-1]
    if length == n:
        return x.copy()
    if length < n:
        start = round(position * (n - length))
        return np.ascontiguousarray(x[..., start:start + length])
    out = np.zeros((*x.shape[:-1], length), np.float32)
    start = round(position * (length - n))
    out[..., start:start + n] = x
    return out


def _fit(y: np.ndarray, n: int) -> np.ndarray:
    """Cut or zero-pad the last axis to ``n``."""
    if y.shape[-1] >= n:
        return np.ascontiguousarray(y[..., :n])
    pad = [(0, 0)] * (y.ndim - 1) + [(0, n - y.shape[-1])]
    return np.pad(y, pad)


def _stretched_length(n: int, rate: float) -> int:
    m = round(n / rate)
    if m < 1:
        raise InputError(
            f"stretching {n} samples by rate {rate:g} gives {n / rate:.2f} samples; "
            "allowed: a result of at least 1 sample (use a longer signal or a rate closer to 1)"
        )
    return m


def _interp_resize(x: np.ndarray, m: int) -> np.ndarray:
    n = x.shape[-1]
    src = np.linspace(0.0, n - 1, m) if m > 1 else np.zeros(1)
    flat = x.reshape(-1, n)
    out = np.stack([np.interp(src, np.arange(n), row) for row in flat])
    return out.reshape(*x.shape[:-1], m).astype(np.float32)


def _n_fft(n: int) -> int:
    return int(min(2048, 2 ** math.floor(math.log2(max(n, 2)))))


# Below this many samples a phase vocoder has nothing to work with; resize instead.
_MIN_VOCODER = 512


def _signalsmith(x: np.ndarray, sample_rate: int, rate: float = 1.0,
                 semitones: float = 0.0) -> np.ndarray:
    from python_stretch import Signalsmith

    x2 = x if x.ndim == 2 else x[None, :]
    st = Signalsmith.Stretch(0)  # a fixed seed: same input, same bytes
    st.preset(x2.shape[0], float(sample_rate))
    if rate != 1.0:
        st.setTimeFactor(float(rate))
    if semitones:
        st.setTransposeSemitones(float(semitones))
    # nanobind wants a writeable C-contiguous buffer; Audio samples are read-only
    y = np.asarray(st.process(np.array(x2, dtype=np.float32, order="C")))
    return y if x.ndim == 2 else y[0]


def time_stretch(x: np.ndarray, *, sample_rate: int, rate: float, keep_length: bool = False,
                 engine: str = "auto") -> np.ndarray:
    """Change tempo, keep pitch: ``rate`` 2 plays twice as fast (half the length).

    ``keep_length`` pads or cuts the result back to the input's length (at the end).
    ``engine``: ``"signalsmith"`` (python-stretch), ``"librosa"`` (phase vocoder, numba)
    or ``"auto"``.
    """
    y = _stretch(x, sample_rate, rate, engine)
    return fit_length(y, x.shape[-1], 0.0) if keep_length else y


def _stretch(x: np.ndarray, sample_rate: int, rate: float, engine: str) -> np.ndarray:
    n = x.shape[-1]
    m = _stretched_length(n, rate)
    if rate == 1.0:
        return x.copy()
    if n < _MIN_VOCODER:
        return _interp_resize(x, m)
    if resolve_engine(engine) == "signalsmith":
        y = _signalsmith(x, sample_rate, rate=rate)
    else:
        y = librosa().effects.time_stretch(x, rate=rate, n_fft=_n_fft(n))
    return _f32(_fit(y, m))


def pitch_shift(x: np.ndarray, *, sample_rate: int, semitones: float,
                engine: str = "auto") -> np.ndarray:
    """Shift pitch by ``semitones`` (+12 = one octave up) keeping the length."""
    n = x.shape[-1]
    if semitones == 0.0:
        return x.copy()
    if n < _MIN_VOCODER:
        return x.copy()
    if resolve_engine(engine) == "signalsmith":
        y = _signalsmith(x, sample_rate, semitones=semitones)
    else:
        y = librosa().effects.pitch_shift(x, sr=sample_rate, n_steps=semitones, n_fft=_n_fft(n))
    return _f32(_fit(y, n))


def resample(x: np.ndarray, sample_rate: int, target_rate: int) -> np.ndarray:
    """Resample from ``sample_rate`` to ``target_rate`` (polyphase, anti-aliased)."""
    if sample_rate == target_rate:
        return x.copy()
    from scipy.signal import resample_poly

    g = math.gcd(int(sample_rate), int(target_rate))
    return _f32(resample_poly(x, target_rate // g, sample_rate // g, axis=-1))


def speed(x: np.ndarray, *, sample_rate: int | None = None, factor: float) -> np.ndarray:
    """Play ``factor`` × faster, like a tape: tempo and pitch change together.

    The ratio is approximated by a fraction with denominator ≤ 64 (< 0.1 % off).
    """
    n = x.shape[-1]
    m = _stretched_length(n, factor)
    if factor == 1.0:
        return x.copy()
    if n < 64:
        return _interp_resize(x, m)
    frac = Fraction(factor).limit_denominator(64)
    from scipy.signal import resample_poly

    # playing faster = fewer samples: up/down = 1/factor
    y = resample_poly(x, frac.denominator, frac.numerator, axis=-1)
    return _f32(_fit(y, m))


# -- filters -------------------------------------------------------------------------
@lru_cache(maxsize=256)
def filter_sos(kind: str, order: int, freqs: tuple[float, ...], sample_rate: int) -> np.ndarray:
    """Butterworth second-order sections (cached; cut-offs are clamped below Nyquist)."""
    from scipy.signal import butter

    nyq = sample_rate / 2.0
    wn = [min(max(f, 1.0), 0.95 * nyq) for f in freqs]
    if kind == "bandpass":
        lo, hi = wn
        if lo >= hi:
            lo = hi / 1.5
        return butter(order, [lo, hi], btype="bandpass", fs=sample_rate, output="sos")
    return butter(order, wn[0], btype=kind, fs=sample_rate, output="sos")


def _sosfilt(x: np.ndarray, sos: np.ndarray, zero_phase: bool) -> np.ndarray:
    from scipy.signal import sosfilt, sosfiltfilt

    if zero_phase:
        padlen = min(3 * (2 * len(sos) + 1), x.shape[-1] - 1)
        return _f32(sosfiltfilt(sos, x, axis=-1, padlen=max(padlen, 0)))
    return _f32(sosfilt(sos, x, axis=-1))


def _order(rolloff: int, zero_phase: bool) -> int:
    """The Butterworth order giving ``rolloff`` dB/octave: 6 per order and pass."""
    return max(1, rolloff // 12) if zero_phase else rolloff // 6


def lowpass(x: np.ndarray, *, sample_rate: int, cutoff: float, rolloff: int,
            zero_phase: bool) -> np.ndarray:
    """Butterworth low-pass at ``cutoff`` Hz, ``rolloff`` dB/octave (6 per order).

    With ``zero_phase`` the signal passes the filter twice, which doubles the slope, so the
    design order is halved (6 dB/octave rounds up to 12, 18 down to 12)."""
    sos = filter_sos("lowpass", _order(rolloff, zero_phase), (round(cutoff, 1),), sample_rate)
    return _sosfilt(x, sos, zero_phase)


def highpass(x: np.ndarray, *, sample_rate: int, cutoff: float, rolloff: int,
             zero_phase: bool) -> np.ndarray:
    """Butterworth high-pass at ``cutoff`` Hz, ``rolloff`` dB/octave (see :func:`lowpass`)."""
    sos = filter_sos("highpass", _order(rolloff, zero_phase), (round(cutoff, 1),), sample_rate)
    return _sosfilt(x, sos, zero_phase)


def bandpass(x: np.ndarray, *, sample_rate: int, center: float, bandwidth: float, rolloff: int,
             zero_phase: bool) -> np.ndarray:
    """Butterworth band-pass around ``center`` Hz, ``bandwidth`` × centre wide."""
    lo = center * (1.0 - bandwidth / 2.0)
    hi = center * (1.0 + bandwidth / 2.0)
    order = max(1, rolloff // 12)  # a band-pass of order k has 6k dB/oct on each side
    sos = filter_sos("bandpass", order, (round(lo, 1), round(hi, 1)), sample_rate)
    return _sosfilt(x, sos, zero_phase)


# -- room ----------------------------------------------------------------------------
def synthetic_impulse_response(sample_rate: int, rt60: float, seed: int) -> np.ndarray:
    """A room-like impulse response: a direct click plus exponentially decaying noise.

    The tail falls by 60 dB in ``rt60`` seconds and is darker late (high frequencies
    decay faster), like a real room; unit energy.
    """
    rng = np.random.default_rng(seed)
    n = max(16, int(rt60 * sample_rate))
    t = np.arange(n) / sample_rate
    tail = rng.standard_normal(n) * np.exp(-6.91 * t / rt60)
    # darker late: blend towards a one-pole low-passed copy as time goes on
    lp = _one_pole(tail, 0.7)
    w = np.clip(t / rt60, 0.0, 1.0)
    tail = (1 - w) * tail + w * lp
    delay = int(0.01 * sample_rate)  # 10 ms pre-delay before the diffuse tail
    ir = np.zeros(n + delay)
    ir[0] = 1.0
    ir[delay:] += 0.5 * tail
    return (ir / np.sqrt(np.sum(ir**2))).astype(np.float32)


def _one_pole(x: np.ndarray, a: float) -> np.ndarray:
    from scipy.signal import lfilter

    return lfilter([1.0 - a], [1.0, -a], x)


def reverb(x: np.ndarray, *, sample_rate: int, rt60: float, wet: float, seed: int) -> np.ndarray:
    """Convolve with :func:`synthetic_impulse_response`; ``wet`` in [0, 1] mixes it in.

    The output keeps the input's length (the tail past the end is cut) and its RMS.
    """
    from scipy.signal import oaconvolve

    ir = synthetic_impulse_response(sample_rate, rt60, seed)
    n = x.shape[-1]
    irs = ir if x.ndim == 1 else ir[None, :]
    y = oaconvolve(x, irs, mode="full", axes=-1)[..., :n]
    dry_level = rms(x)
    wet_level = rms(y)
    if wet_level > 0:
        y = y * (dry_level / wet_level)
    return _f32((1.0 - wet) * x + wet * y)


def background_mix(x: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """Mix a noise (same length, any channel layout) into ``x`` at ``snr_db``."""
    if x.ndim == 2 and noise.ndim == 1:
        noise = np.broadcast_to(noise, x.shape)
    return mix_at_snr(x, noise, snr_db)


def tile_to(noise: np.ndarray, n: int, offset: int) -> np.ndarray:
    """``n`` samples of ``noise`` starting at ``offset``, looping if it is shorter."""
    m = noise.shape[-1]
    idx = (offset + np.arange(n)) % m
    return noise[..., idx]


def as_mono(x: np.ndarray) -> np.ndarray:
    """Channel mean of a ``(channels, n)`` array (1-D is returned as is)."""
    return x if x.ndim == 1 else x.mean(axis=0)
