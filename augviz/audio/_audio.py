"""The ``Audio`` value object and the input checks shared by every audio function."""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from augviz.core import InputError

__all__ = ["MAX_CHANNELS", "MAX_RATE", "MIN_RATE", "Audio", "check_audio", "check_rate"]

MIN_RATE = 1000
MAX_RATE = 384000
MAX_CHANNELS = 32


def check_rate(sample_rate: Any, *, where: str = "sample_rate") -> int:
    """Return ``sample_rate`` as an int, or raise :class:`InputError`."""
    if sample_rate is None:
        raise InputError(
            f"{where} is missing; allowed: an integer in [{MIN_RATE}, {MAX_RATE}] Hz, e.g. 16000"
        )
    if isinstance(sample_rate, (bool, np.bool_)) or not isinstance(
        sample_rate, (int, float, np.integer, np.floating)
    ):
        raise InputError(
            f"{where}={sample_rate!r} is not a number; allowed: an integer in "
            f"[{MIN_RATE}, {MAX_RATE}] Hz"
        )
    if not np.isfinite(sample_rate) or float(sample_rate) != int(sample_rate):
        raise InputError(f"{where}={sample_rate!r} is not a whole number of Hz")
    sr = int(sample_rate)
    if not MIN_RATE <= sr <= MAX_RATE:
        raise InputError(f"{where}={sr} Hz is outside [{MIN_RATE}, {MAX_RATE}] Hz")
    return sr


def _check_samples(samples: Any) -> np.ndarray:
    if isinstance(samples, Audio):
        return samples.samples
    if not isinstance(samples, np.ndarray):
        if isinstance(samples, (list, tuple)):
            try:
                samples = np.asarray(samples, dtype=np.float32)
            except (ValueError, TypeError):
                raise InputError(
                    f"audio samples from a {type(samples).__name__} must be numbers (nested lists "
                    f"of one length for channels); got {_preview(samples)}"
                ) from None
        else:
            raise InputError(
                f"audio samples must be a numpy array; got {type(samples).__name__}"
            )
    if samples.dtype == np.float64:
        samples = samples.astype(np.float32)
    elif samples.dtype != np.float32:
        hint = ""
        if np.issubdtype(samples.dtype, np.integer):
            hint = (" (integer PCM: use augviz.audio.load_wav, or divide by the full scale, "
                    "e.g. x.astype(np.float32) / 32768)")
        raise InputError(
            f"audio samples have dtype {samples.dtype}; allowed: float32 (or float64, "
            f"converted) in about [-1, 1]{hint}"
        )
    if samples.ndim not in (1, 2):
        raise InputError(
            f"audio samples have shape {samples.shape}; allowed: (samples,) or "
            "(channels, samples)"
        )
    if samples.size == 0:
        raise InputError(f"audio is empty (shape {samples.shape}); allowed: at least one sample")
    if samples.ndim == 2:
        ch, n = samples.shape
        if ch > MAX_CHANNELS:
            looks_transposed = n <= MAX_CHANNELS
            hint = "; it looks like (samples, channels): pass samples.T" if looks_transposed else ""
            raise InputError(
                f"audio has shape {samples.shape}, i.e. {ch} channels; allowed: (channels, "
                f"samples) with at most {MAX_CHANNELS} channels{hint}"
            )
    if not np.isfinite(samples).all():
        bad = int(np.size(samples) - np.count_nonzero(np.isfinite(samples)))
        raise InputError(f"audio has {bad} NaN or infinite samples; allowed: finite values")
    return samples


def _preview(items: Any) -> str:
    text = repr(items)
    return text if len(text) <= 60 else text[:57] + "..."


class Audio:
    """Immutable audio: float32 ``samples`` (``(n,)`` or ``(channels, n)``) + ``sample_rate``.

    The input and output of every audio transform. The samples are stored read-only
    (copied if the array given is writeable, so later edits of it do not leak in).

    Parameters
    ----------
    samples : numpy.ndarray
        float32 (float64 is converted) samples, nominally in [-1, 1]; no NaN/Inf.
    sample_rate : int
        Samples per second, in [1000, 384000].

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.zeros(16000, np.float32), 16000)
    >>> a.duration, a.channels
    (1.0, 1)
    """

    __slots__ = ("_samples", "_sr")

    def __init__(self, samples: Any, sample_rate: Any = None) -> None:
        if sample_rate is None and not isinstance(samples, Audio):
            raise InputError(
                "Audio needs a sample_rate; e.g. Audio(samples, sample_rate=16000)"
            )
        sr = samples.sample_rate if sample_rate is None else check_rate(sample_rate)
        arr = _check_samples(samples)
        if arr.flags.writeable:
            arr = arr.copy()
            arr.flags.writeable = False
        object.__setattr__(self, "_samples", arr)
        object.__setattr__(self, "_sr", sr)

    @classmethod
    def _wrap(cls, samples: np.ndarray, sample_rate: int) -> Audio:
        """Trusted fast path for kernel outputs (float32, finite, fresh)."""
        return wrap_output(samples, sample_rate, cls)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Audio is immutable; use with_samples()")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Audio, (np.array(self._samples), self._sr))

    @property
    def samples(self) -> np.ndarray:
        """The float32 samples (read-only)."""
        return self._samples

    @property
    def sample_rate(self) -> int:
        """Samples per second."""
        return self._sr

    @property
    def channels(self) -> int:
        """Number of channels (1 for a 1-D signal)."""
        return 1 if self._samples.ndim == 1 else self._samples.shape[0]

    @property
    def num_samples(self) -> int:
        """Samples per channel."""
        return self._samples.shape[-1]

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.num_samples / self._sr

    def __len__(self) -> int:
        return self.num_samples

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._samples if dtype is None else self._samples.astype(dtype)

    def with_samples(self, samples: Any) -> Audio:
        """New audio with the same sample rate."""
        return Audio(samples, self._sr)

    def to_mono(self) -> Audio:
        """The channel mean (a mono signal is returned as is)."""
        if self._samples.ndim == 1:
            return self
        return Audio._wrap(self._samples.mean(axis=0, dtype=np.float32), self._sr)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Audio):
            return NotImplemented
        return self._sr == other._sr and np.array_equal(self._samples, other._samples)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shape = "x".join(map(str, self._samples.shape))
        return f"Audio({self.duration:.3f} s, {self._sr} Hz, {self.channels} ch, samples {shape})"

    def _repr_html_(self) -> str:
        label = html.escape(repr(self))
        try:
            from IPython.display import Audio as IPyAudio
        except ImportError:  # pragma: no cover - IPython is there in notebooks
            return f"<code>{label}</code>"
        peak = float(np.max(np.abs(self._samples))) if self._samples.size else 0.0
        player = IPyAudio(self._samples, rate=self._sr, normalize=peak > 1.0)
        return f"<div><code>{label}</code><br>{player._repr_html_()}</div>"


def is_audio(x: Any) -> bool:
    """Whether ``x`` is an audio clip."""
    return isinstance(x, Audio)


# the slots' own setters: the wrap of every transform output skips Audio.__setattr__
_set_samples = Audio._samples.__set__  # type: ignore[attr-defined]
_set_sr = Audio._sr.__set__  # type: ignore[attr-defined]
_new = object.__new__
_F32 = np.dtype(np.float32)


def wrap_output(samples: np.ndarray, sample_rate: int, cls: type[Audio] = Audio) -> Audio:
    """A kernel's output as :class:`Audio`, unchecked (float32, finite, fresh or a view
    of read-only samples): made read-only, converted only if it is not float32."""
    obj = _new(cls)
    if samples.dtype is not _F32 and samples.dtype != _F32:
        samples = samples.astype(_F32)
    if samples.flags.writeable:
        samples.setflags(write=False)
    _set_samples(obj, samples)
    _set_sr(obj, sample_rate if type(sample_rate) is int else int(sample_rate))
    return obj


def check_audio(x: Any, *, what: str = "audio transforms") -> Audio:
    """Return ``x`` if it is an :class:`Audio`, else raise an :class:`InputError` saying how."""
    if isinstance(x, Audio):
        return x
    if isinstance(x, np.ndarray):
        raise InputError(
            f"{what} take an augviz.audio.Audio; got a bare numpy array of shape {x.shape} "
            "with no sample rate. Wrap it: Audio(samples, sample_rate=16000)"
        )
    raise InputError(
        f"{what} take an augviz.audio.Audio; got {type(x).__name__}. "
        "Wrap samples with Audio(samples, sample_rate=...) or load a file with load_wav(path)"
    )
