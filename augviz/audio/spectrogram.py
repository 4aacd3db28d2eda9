"""SpecAugment (Park et al. 2019) on 2-D (freq × time) float arrays, and its policies.

The kernels (:func:`freq_mask`, :func:`time_mask`, :func:`time_warp`) are pure functions
of the spectrogram and the drawn values; the registered classes declare them. Masks are
filled with the spectrogram's mean by default (the paper masks normalised features with
0, i.e. their mean), so a float32 input in [0, 1] stays in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from augviz.core import Choice, Float, InputError, Int, Range, Recipe, register
from augviz.core.rng import RngLike, as_generator

from .base import SpectrogramTransform

__all__ = [
    "POLICIES",
    "FreqMask",
    "SpecTimeMask",
    "TimeWarp",
    "freq_mask",
    "specaugment_policy",
    "time_mask",
    "time_warp",
    "warp_point",
]

_FILL = Choice("fill", ("mean", "zero", "min"), "mean",
               doc="Value written into masks: the spectrogram's mean, 0, or its minimum.")
_START = Float("start", 0.0, 1.0, 0.0, doc="Where a mask starts, as a fraction of the free room.")


def _fill_value(spec: np.ndarray, fill: str) -> float:
    if fill == "mean":
        with np.errstate(over="ignore"):
            mean = float(spec.mean())
        # a float32 sum of values near the float32 limit overflows: average in float64
        return mean if np.isfinite(mean) else float(spec.mean(dtype=np.float64))
    if fill == "min":
        return float(spec.min())
    return 0.0


def _mask(spec: np.ndarray, axis: int, widths: list[int], starts: list[float], fill: str,
          cap: int | None = None) -> np.ndarray:
    out = spec.copy()
    size = spec.shape[axis]
    value = _fill_value(spec, fill)
    for w, u in zip(widths, starts, strict=False):
        w = min(int(w), size, cap if cap is not None else size)
        if w <= 0:
            continue
        s = int(u * (size - w + 1))
        if axis == 0:
            out[s:s + w, :] = value
        else:
            out[:, s:s + w] = value
    return out


def freq_mask(spec: np.ndarray, *, widths: list[int], starts: list[float], fill: str) -> np.ndarray:
    """Fill bands of ``widths[i]`` frequency bins with the spectrogram's ``fill`` value
    ("mean", "zero" or "min"); band ``i`` starts at ``starts[i]`` (in [0, 1)) × the free room."""
    return _mask(spec, 0, widths, starts, fill)


def time_mask(spec: np.ndarray, *, widths: list[int], starts: list[float], fill: str,
              max_fraction: float) -> np.ndarray:
    """As :func:`freq_mask` along time; no span is wider than ``max_fraction`` × the frames."""
    cap = int(np.floor(max_fraction * spec.shape[1]))
    return _mask(spec, 1, widths, starts, fill, cap=cap)


def warp_point(tau: int, distance: int, center: float,
               max_distance: int | None = None) -> tuple[int, int]:
    """The frame that moves and where it lands: ``(w0, w0 + w)``.

    As in SpecAugment (Park et al. 2019), the point lies inside ``(W, τ − W)`` with ``W``
    the largest warp (``max_distance``, at least ``|distance|``), so any warp in
    ``[−W, W]`` keeps it off the edges; ``center`` places it within that interval. On a
    spectrogram shorter than ``2W + 3`` frames, ``W`` (and the warp) shrink to fit.
    """
    w_max = abs(int(distance)) if max_distance is None else max(abs(int(max_distance)), abs(int(distance)))
    w_max = max(0, min(w_max, (tau - 3) // 2))
    d = int(np.clip(distance, -w_max, w_max))
    w0 = round(w_max + 1 + center * (tau - 3 - 2 * w_max))
    return w0, w0 + d


def time_warp(spec: np.ndarray, *, distance: int, center: float,
              max_distance: int | None = None) -> np.ndarray:
    """Move the frame at ``center`` by ``distance`` frames, stretching one side and
    squeezing the other linearly; the edge frames stay put. The point lies inside
    ``(W, τ − W)`` (see :func:`warp_point`; ``W`` is ``max_distance``, by default
    ``|distance|``)."""
    tau = spec.shape[1]
    if tau < 4 or distance == 0:
        return spec.copy()
    w0, dest = warp_point(tau, distance, center, max_distance)
    if dest == w0:
        return spec.copy()
    t = np.arange(tau, dtype=np.float64)
    src = np.where(
        t <= dest,
        t * (w0 / dest),
        w0 + (t - dest) * ((tau - 1 - w0) / (tau - 1 - dest)),
    )
    i0 = np.clip(np.floor(src).astype(np.int64), 0, tau - 1)
    i1 = np.minimum(i0 + 1, tau - 1)
    frac = (src - i0)[None, :]
    return spec[:, i0] * (1.0 - frac) + spec[:, i1] * frac


class _Masks(SpectrogramTransform):
    """Shared sampling of ``count`` masks: their widths and start fractions.

    The number of draws depends on ``count``, so the masks draw their own values:
    ``widths`` and ``starts`` (one per mask), then the fixed values named in ``FIXED``.
    """

    __slots__ = ()
    FIXED: ClassVar[tuple[str, ...]] = ("fill",)

    @classmethod
    def value_names(cls) -> tuple[str, ...]:
        return ("widths", "starts", *cls.FIXED)

    def sample(self, rng: RngLike = None, x: Any = None) -> dict[str, Any]:
        gen = as_generator(rng)
        width = self.PARAMS[0]
        count = self._params["count"]
        widths = [int(width.sample(self._params["width"], gen)) for _ in range(count)]
        starts = [float(gen.random()) for _ in range(count)]
        return {"widths": widths, "starts": starts, **{k: self._params[k] for k in self.FIXED}}

    def check_values(self, values: Any, *, where: str) -> dict[str, Any]:
        out = super().check_values(values, where=where)
        width, count = self.PARAMS[0], self._params["count"]
        for name, spec in (("widths", width), ("starts", _START)):
            got = out[name]
            if isinstance(got, (str, bytes)) or not isinstance(got, (list, tuple, np.ndarray)) \
                    or len(got) != count:
                raise InputError(f"{where}.{name}: {got!r} is not allowed; allowed: a list of {count} "
                                 f"numbers (one per mask), each in [{spec.low}, {spec.high}]")
            for i, v in enumerate(got):
                if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)):
                    raise InputError(f"{where}.{name}[{i}]: {v!r} is not a number")
                spec.check_argument(v, where=f"{where}.{name}[{i}]")
        return out

    def sample_batch(self, rng: RngLike, n: int, xs: Any = None) -> dict[str, Any]:
        gen = as_generator(rng)
        rows = [self.sample(gen) for _ in range(n)]
        return {k: [r[k] for r in rows] for k in (rows[0] if rows else {})}


@register("spectrogram.freq_mask")
class FreqMask(_Masks):
    """SpecAugment frequency masks: ``count`` bands of up to ``width`` bins set to the mean.

    Example
    -------
    >>> import numpy as np
    >>> spec = np.ones((40, 50), np.float32)
    >>> out = FreqMask(width=10, count=1, fill="zero")(spec, rng=0)
    >>> int((out == 0).all(axis=1).sum())
    10
    """

    __slots__ = ()
    kernel = freq_mask
    family = "specaugment"
    label_risk = "wide masks remove formants/pitch bands: speaker and tonal labels"
    PARAMS = (
        Range("width", 0, 100, (0, 27), integer=True, unit="bins",
              doc="Mask width F (drawn per mask from this range)."),
        Int("count", 0, 10, 1, doc="Number of frequency masks (mF)."),
        _FILL,
    )


@register("spectrogram.time_mask")
class SpecTimeMask(_Masks):
    """SpecAugment time masks: ``count`` spans of up to ``width`` frames (≤ ``max_fraction`` τ).

    Example
    -------
    >>> import numpy as np
    >>> spec = np.ones((20, 100), np.float32)
    >>> out = SpecTimeMask(width=30, count=1, max_fraction=0.2, fill="zero")(spec, rng=0)
    >>> int((out == 0).all(axis=0).sum())
    20
    """

    __slots__ = ()
    kernel = time_mask
    FIXED = ("fill", "max_fraction")
    family = "specaugment"
    label_risk = "masks wider than a short word remove it; keep width below the event length"
    PARAMS = (
        Range("width", 0, 400, (0, 100), integer=True, unit="frames",
              doc="Mask width T (drawn per mask from this range)."),
        Int("count", 0, 20, 1, doc="Number of time masks (mT)."),
        Float("max_fraction", 0.0, 1.0, 1.0, step=0.05,
              doc="Upper bound p: no mask is wider than p × the number of frames."),
        _FILL,
    )


@register("spectrogram.time_warp")
class TimeWarp(SpectrogramTransform):
    """SpecAugment time warp: move the frame at ``center`` by ``distance`` frames.

    As in the paper, the point lies inside ``(W, τ − W)``, ``W`` being the largest
    ``|distance|`` the range allows, and ``center`` places it within that interval. The
    two sides are stretched/squeezed linearly (interpolated between frames); the first
    and last frames stay put.

    Example
    -------
    >>> import numpy as np
    >>> spec = np.tile(np.linspace(0, 1, 50, dtype=np.float32), (8, 1))
    >>> TimeWarp(distance=5, center=0.5)(spec).shape
    (8, 50)
    """

    __slots__ = ()
    kernel = time_warp
    family = "specaugment"
    label_risk = "low: a mild local tempo change; large W distorts short events"
    PARAMS = (
        Range("distance", -200, 200, (-80, 80), integer=True, unit="frames",
              doc="Warp distance w (the paper draws it from [−W, W])."),
        Range("center", 0.0, 1.0, (0.0, 1.0), step=0.01,
              doc="Where the warp point sits, as a fraction of the interval (W, τ − W)."),
    )

    def _apply(self, data: np.ndarray, **values: Any) -> np.ndarray:
        lo, hi = self.params["distance"]  # W is the transform's, not the draw's
        return time_warp(data, **values, max_distance=max(abs(int(lo)), abs(int(hi))))


#: SpecAugment policies (Park et al. 2019, table 1): W, F, mF, T, p, mT.
POLICIES: Mapping[str, dict[str, float]] = {
    "LB": {"W": 80, "F": 27, "mF": 1, "T": 100, "p": 1.0, "mT": 1},
    "LD": {"W": 80, "F": 27, "mF": 2, "T": 100, "p": 1.0, "mT": 2},
    "SM": {"W": 40, "F": 15, "mF": 2, "T": 70, "p": 0.2, "mT": 2},
    "SS": {"W": 40, "F": 27, "mF": 2, "T": 70, "p": 0.2, "mT": 2},
}


def specaugment_policy(name: str, *, seed: int | None = None) -> Recipe:
    """A SpecAugment policy as a spectrogram :class:`~augviz.Recipe`.

    Parameters
    ----------
    name : {"LB", "LD", "SM", "SS"}
        LibriSpeech basic/double, Switchboard mild/strong (Park et al. 2019).
    seed : int, optional
        The recipe's seed.

    Example
    -------
    >>> import numpy as np
    >>> recipe = specaugment_policy("LD")
    >>> [step.id for step in recipe]
    ['spectrogram.time_warp', 'spectrogram.freq_mask', 'spectrogram.time_mask']
    >>> recipe(np.zeros((80, 300), np.float32), rng=0).shape
    (80, 300)
    """
    key = str(name).upper()
    if key not in POLICIES:
        raise InputError(
            f"unknown SpecAugment policy {name!r}; allowed: {', '.join(POLICIES)}"
        )
    pol = POLICIES[key]
    w, f, t = int(pol["W"]), int(pol["F"]), int(pol["T"])
    return Recipe(
        [
            TimeWarp(distance=(-w, w)),
            FreqMask(width=(0, f), count=int(pol["mF"])),
            SpecTimeMask(width=(0, t), count=int(pol["mT"]), max_fraction=float(pol["p"])),
        ],
        modality="spectrogram",
        seed=seed,
        name=f"specaugment-{key}",
        meta={"source": "Park et al. 2019, SpecAugment", "policy": dict(pol)},
    )
