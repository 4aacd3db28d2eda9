"""Base classes of audio (waveform) and spectrogram transforms: the input checks."""

from __future__ import annotations

from typing import Any

import numpy as np

from augviz.core import InputError, Transform
from augviz.core.rng import RngLike, as_generator

from ._audio import _F32, Audio, _new, _set_samples, _set_sr, check_audio

_Generator = np.random.Generator

__all__ = ["AudioTransform", "SpectrogramTransform", "check_spectrogram"]


class AudioTransform(Transform):
    """A waveform transform: ``Audio`` in, ``Audio`` out (float32, same sample rate).

    The kernel is called as ``kernel(samples, sample_rate=sr, **values)`` and returns
    float32 samples shaped like the input (except where ``keeps_shape`` is False). A
    transform whose work is more than one kernel call overrides
    ``_apply(samples, sample_rate, **values)``.
    """

    __slots__ = ()
    KERNEL_EXTRA = ("sample_rate",)

    def check_input(self, x: Any) -> None:
        check_audio(x)

    def apply(self, x: Any, **values: Any) -> Audio:
        a = check_audio(x)
        return Audio._wrap(self._apply(a.samples, sample_rate=a.sample_rate, **values), a.sample_rate)

    def __call__(self, x: Any, rng: RngLike = None) -> Any:
        """Sample and apply (with probability ``p``); the input is checked once."""
        a = x if type(x) is Audio else check_audio(x)
        sr = a._sr
        gen = rng if type(rng) is _Generator else as_generator(rng)
        try:
            run = self._run
        except AttributeError:
            run = self._compile_run()
        # the compiled call without _call_kernel's frame in between: audio kernels take a
        # few microseconds, and a frame is a few percent of that
        out = run(a._samples, gen, sr) if run is not None else self._call_kernel(a._samples, gen, a, sr)
        if out is None:
            return x
        # Audio._wrap, written out: this runs on every call
        if out.dtype is not _F32 and out.dtype != _F32:
            out = out.astype(_F32)
        if out.flags.writeable:
            out.setflags(write=False)
        obj = _new(Audio)
        _set_samples(obj, out)
        _set_sr(obj, sr)
        return obj


def check_spectrogram(x: Any) -> np.ndarray:
    """Return ``x`` if it is a finite 2-D float (freq × time) array, else raise."""
    from ._audio import Audio

    if isinstance(x, Audio):
        raise InputError(
            "spectrogram transforms take a 2-D (freq × time) array, not Audio; compute one "
            "first: augviz.audio.log_mel(audio)"
        )
    if not isinstance(x, np.ndarray):
        raise InputError(
            f"spectrogram transforms take a 2-D float numpy array (freq × time); "
            f"got {type(x).__name__}"
        )
    if x.dtype not in (np.float32, np.float64):
        raise InputError(
            f"spectrogram has dtype {x.dtype}; allowed: float32 or float64"
        )
    if x.ndim != 2:
        raise InputError(
            f"spectrogram has shape {x.shape}; allowed: 2-D (freq × time). For a batch use "
            "recipe.batch(array_of_shape_N_F_T)"
        )
    if x.size == 0:
        raise InputError(f"spectrogram is empty (shape {x.shape})")
    if not np.isfinite(x).all():
        raise InputError("spectrogram has NaN or infinite values; allowed: finite values")
    return x


class SpectrogramTransform(Transform):
    """A transform of a 2-D (freq × time) float array; dtype and shape are kept.

    The kernel is called as ``kernel(spec, **values)``."""

    __slots__ = ()

    def check_input(self, x: Any) -> None:
        check_spectrogram(x)

    def apply(self, x: Any, **values: Any) -> np.ndarray:
        spec = check_spectrogram(x)
        out = self._apply(spec, **values)
        return out.astype(spec.dtype, copy=False)

    def __call__(self, x: Any, rng: RngLike = None) -> Any:
        """Sample and apply (with probability ``p``); the input is checked once (the
        check reads every value: it is the cost of a mask on a large spectrogram)."""
        spec = check_spectrogram(x)
        out = self._call_kernel(spec, rng if type(rng) is _Generator else as_generator(rng), spec)
        if out is None:
            return x
        return out.astype(spec.dtype, copy=False)
