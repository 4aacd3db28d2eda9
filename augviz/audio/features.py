"""Log-mel spectrograms with numpy only (no librosa, no numba) and fixed-size features.

The mel filterbank matches librosa's defaults (Slaney mel scale and area
normalisation), so ``log_mel`` agrees with ``librosa.power_to_db(melspectrogram(...))``
to float precision — without librosa's import and numba compile.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from augviz.core import InputError, Int

from . import functional as F
from ._audio import Audio, check_audio

__all__ = ["default_n_fft", "featurize", "log_mel", "mel_filterbank", "power_spectrogram"]

_N_MELS = Int("n_mels", 1, 512, 64, doc="Mel bands.")


def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    f = np.asarray(f, np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    log_part = min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep
    return np.where(f >= min_log_hz, log_part, mels)


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), f_sp * m)


@lru_cache(maxsize=32)
def mel_filterbank(sample_rate: int, n_fft: int, n_mels: int, fmin: float = 0.0,
                   fmax: float | None = None) -> np.ndarray:
    """``(n_mels, n_fft // 2 + 1)`` triangular filters (Slaney scale, area-normalised)."""
    fmax = sample_rate / 2.0 if fmax is None else fmax
    fft_freqs = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(fmin), _hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0.0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
    weights = weights.astype(np.float32)
    weights.setflags(write=False)
    return weights


@lru_cache(maxsize=16)
def _window(n_fft: int) -> np.ndarray:
    # periodic Hann, as librosa/scipy use for spectra
    w = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)
    w.setflags(write=False)
    return w


def default_n_fft(sample_rate: int) -> int:
    """About 32–46 ms: 512 at 16 kHz, 1024 at 22.05–32 kHz, 2048 above."""
    return 512 if sample_rate <= 16000 else 1024 if sample_rate <= 32000 else 2048


def power_spectrogram(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """``|STFT|²`` of a 1-D signal, ``(n_fft // 2 + 1, frames)``, centred frames (zero pad)."""
    pad = n_fft // 2
    xp = np.pad(np.asarray(x, np.float32), (pad, pad))
    if xp.shape[0] < n_fft:
        xp = np.pad(xp, (0, n_fft - xp.shape[0]))
    frames = np.lib.stride_tricks.sliding_window_view(xp, n_fft)[::hop]
    spec = np.fft.rfft(frames * _window(n_fft), axis=-1)
    return (spec.real**2 + spec.imag**2).astype(np.float32).T


def log_mel(audio: Audio, *, n_mels: int = 64, n_fft: int | None = None, hop: int | None = None,
            fmin: float = 0.0, fmax: float | None = None, top_db: float | None = 80.0,
            ref: float | None = None) -> np.ndarray:
    """Log-mel spectrogram in dB, ``(n_mels, frames)`` float32 (channels are averaged).

    Parameters
    ----------
    audio : Audio
        The sound.
    n_mels : int
        Mel bands.
    n_fft, hop : int, optional
        Window and hop in samples (default: :func:`default_n_fft` and ``n_fft // 4``).
    fmin, fmax : float
        Frequency range of the mel bands (default 0 to Nyquist).
    top_db : float or None
        Floor the result at ``max − top_db``.
    ref : float, optional
        Power for 0 dB (default: the loudest bin, so the maximum is 0 dB). Pass a fixed
        value (e.g. 1.0) to compare levels across clips.

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 3), 16000)
    >>> log_mel(a, n_mels=32).shape
    (32, 126)
    """
    a = check_audio(audio, what="log_mel")
    n_mels = _N_MELS.check_argument(n_mels, where="log_mel")
    sr = a.sample_rate
    n_fft = n_fft or default_n_fft(sr)
    hop = hop or n_fft // 4
    if n_fft < 16 or hop < 1:
        raise InputError(f"n_fft={n_fft}, hop={hop}: allowed n_fft >= 16, hop >= 1")
    power = power_spectrogram(F.as_mono(a.samples), n_fft, hop)
    fb = mel_filterbank(sr, n_fft, n_mels, float(fmin), None if fmax is None else float(fmax))
    mel = fb @ power
    amin = 1e-10
    r = float(mel.max()) if ref is None else float(ref)
    db = 10.0 * np.log10(np.maximum(mel, amin)) - 10.0 * np.log10(max(r, amin))
    if top_db is not None:
        db = np.maximum(db, db.max() - top_db)
    return db.astype(np.float32)


def featurize(audios: Sequence[Audio], *, n_mels: int = 32, n_frames: int = 32,
              sample_rate: int = 16000, duration: float = 1.0, top_db: float = 80.0) -> np.ndarray:
    """Fixed-size log-mel features for small models: ``(N, n_mels, n_frames)`` float32 in [0, 1].

    Each clip is resampled to ``sample_rate``, made mono, padded or cut (centred) to
    ``duration`` seconds, turned into a log-mel spectrogram with the hop that gives
    ``n_frames`` frames, floored at ``−top_db`` below its maximum and scaled to [0, 1].

    Example
    -------
    >>> import numpy as np
    >>> clips = [Audio(np.random.default_rng(0).standard_normal(8000).astype(np.float32), 16000)]
    >>> featurize(clips).shape
    (1, 32, 32)
    """
    if isinstance(audios, Audio):
        audios = [audios]
    items = list(audios)
    if not items:
        raise InputError("featurize needs at least one Audio")
    length = round(duration * sample_rate)
    if length < 64:
        raise InputError(f"duration={duration} s is too short; allowed: >= 64 samples")
    n_fft = default_n_fft(sample_rate)
    hop = max(1, int(np.ceil(length / max(1, n_frames - 1))))
    n_fft = min(n_fft, 1 << int(np.log2(max(16, 4 * hop))))  # window ≈ 4 hops
    from .io import resample

    # every clip has the same length after pad/trim: one batched STFT for all of them
    batch = np.empty((len(items), length), np.float32)
    for i, item in enumerate(items):
        a = check_audio(item, what=f"featurize (item {i})")
        batch[i] = F.fit_length(resample(a.to_mono(), sample_rate).samples, length, 0.5)
    pad = n_fft // 2
    xp = np.pad(batch, ((0, 0), (pad, pad)))
    frames = np.lib.stride_tricks.sliding_window_view(xp, n_fft, axis=1)[:, ::hop][:, :n_frames]
    spec = np.fft.rfft(frames * _window(n_fft), axis=-1)
    power = (spec.real**2 + spec.imag**2).astype(np.float32)  # (N, frames, bins)
    mel = power @ mel_filterbank(sample_rate, n_fft, n_mels).T  # (N, frames, mels)
    db = 10.0 * np.log10(np.maximum(mel, 1e-10))
    db = db - db.max(axis=(1, 2), keepdims=True)  # 0 dB = each clip's loudest bin
    out = np.clip((db + top_db) / top_db, 0.0, 1.0).transpose(0, 2, 1)
    if out.shape[2] < n_frames:
        out = np.pad(out, ((0, 0), (0, 0), (0, n_frames - out.shape[2])))
    return np.ascontiguousarray(out, np.float32)
