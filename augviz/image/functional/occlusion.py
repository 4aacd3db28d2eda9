"""Occlusion kernels: cutout, random erasing, grid mask. Hole positions come from
``np.random.default_rng(seed)`` so the kernels stay pure."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from augviz.core.rng import seeded_generators

from ._common import fill_scalar

__all__ = ["cutout", "cutout_batch", "grid_mask", "random_erasing"]


def _fill_box(out: np.ndarray, y0: int, y1: int, x0: int, x1: int, fill: float) -> None:
    colour = out[:, :, :3] if out.ndim == 3 and out.shape[2] == 4 else out
    colour[y0:y1, x0:x1] = fill_scalar(out.dtype, fill)


def cutout(img: np.ndarray, holes: int, size: float, seed: int, fill: float = 0.0) -> np.ndarray:
    """Fill ``holes`` rectangles of ``size`` × the height and width, placed inside the
    image at positions drawn from ``seed`` (DeVries & Taylor 2017)."""
    h, w = img.shape[:2]
    hh, hw = max(1, round(size * h)), max(1, round(size * w))
    rng = np.random.default_rng(seed)
    out = img.copy()
    ys = rng.integers(0, h - hh + 1, holes)
    xs = rng.integers(0, w - hw + 1, holes)
    for y, x in zip(ys, xs, strict=True):
        _fill_box(out, int(y), int(y) + hh, int(x), int(x) + hw, fill)
    return out


def cutout_batch(xs: np.ndarray, holes: Any, size: Any, seed: Any, fill: Any) -> np.ndarray:
    """:func:`cutout` on every item of ``xs`` (N×H×W or N×H×W×C) with its own ``holes``,
    ``size``, ``seed`` and ``fill`` (sequences of length N): the same bytes as the
    per-item calls. Positions are drawn per item (from its seed); the filling is one
    masked copy over the batch."""
    n_items, h, w = xs.shape[:3]
    counts = [int(n) for n in np.asarray(holes).tolist()]
    sizes = np.asarray(size, np.float64).tolist()
    hh = [max(1, round(s * h)) for s in sizes]
    hw = [max(1, round(s * w)) for s in sizes]
    # (hole, item) -> top-left corner, in Python lists (numpy item access costs more);
    # an item with fewer holes than the most keeps empty boxes (0, 0, 0, 0)
    most = max(counts, default=0)
    y0 = [[0] * n_items for _ in range(most)]
    x0 = [[0] * n_items for _ in range(most)]
    for i, (gen, n) in enumerate(zip(seeded_generators(seed), counts, strict=True)):
        if n == 1:  # a scalar draw takes the same values from the stream, at a third of the cost
            y0[0][i] = int(gen.integers(0, h - hh[i] + 1))
            x0[0][i] = int(gen.integers(0, w - hw[i] + 1))
            continue
        for k, v in enumerate(gen.integers(0, h - hh[i] + 1, (n,)).tolist()):
            y0[k][i] = v
        for k, v in enumerate(gen.integers(0, w - hw[i] + 1, (n,)).tolist()):
            x0[k][i] = v
    has = np.array([[k < n for n in counts] for k in range(most)], bool).reshape(most, n_items)
    top, left = np.array(y0, np.intp).reshape(most, n_items), np.array(x0, np.intp).reshape(most, n_items)
    bottom, right = top + np.array(hh, np.intp) * has, left + np.array(hw, np.intp) * has
    rows, cols = np.arange(h), np.arange(w)
    mask = np.zeros((n_items, h, w), bool)
    for k in range(most):
        in_rows = (rows >= top[k][:, None]) & (rows < bottom[k][:, None])
        in_cols = (cols >= left[k][:, None]) & (cols < right[k][:, None])
        mask |= in_rows[:, :, None] & in_cols[:, None, :]
    out = xs.copy()
    colour = out[..., :3] if out.ndim == 4 and out.shape[3] == 4 else out
    values = np.array([fill_scalar(xs.dtype, f) for f in np.asarray(fill, np.float64).tolist()])
    values = values.astype(xs.dtype).reshape(-1, *(1,) * (colour.ndim - 1))
    np.copyto(colour, values, where=mask if colour.ndim == 3 else mask[..., None])
    return out


def random_erasing(img: np.ndarray, scale: float, ratio: float, seed: int, fill: float = 0.0,
                   noise: bool = False) -> np.ndarray:
    """Erase one rectangle covering ``scale`` of the area with aspect ``ratio`` (w/h),
    filled with ``fill`` or with uniform noise (Zhong et al. 2020)."""
    h, w = img.shape[:2]
    area = scale * h * w
    eh = int(min(h, max(1, round(math.sqrt(area / ratio)))))
    ew = int(min(w, max(1, round(math.sqrt(area * ratio)))))
    rng = np.random.default_rng(seed)
    y = int(rng.integers(0, h - eh + 1))
    x = int(rng.integers(0, w - ew + 1))
    out = img.copy()
    if not noise:
        _fill_box(out, y, y + eh, x, x + ew, fill)
        return out
    colour = out[:, :, :3] if out.ndim == 3 and out.shape[2] == 4 else out
    shape = (eh, ew, *colour.shape[2:])
    # the same 256 levels for both dtypes, so uint8 and float32 inputs erase alike
    levels = rng.integers(0, 256, shape, dtype=np.uint8)
    if img.dtype == np.uint8:
        colour[y:y + eh, x:x + ew] = levels
    else:
        colour[y:y + eh, x:x + ew] = levels.astype(np.float32) * np.float32(1 / 255.0)
    return out


def grid_mask(
    img: np.ndarray, unit: float, ratio: float, seed: int, fill: float = 0.0
) -> np.ndarray:
    """Drop squares on a regular grid (GridMask, Chen et al. 2020): cells of ``unit`` ×
    the short side, a ``ratio`` of each cell's side masked, offset drawn from ``seed``."""
    h, w = img.shape[:2]
    d = max(2, round(unit * min(h, w)))
    r = min(d - 1, max(1, round(ratio * d)))
    rng = np.random.default_rng(seed)
    oy, ox = (int(v) for v in rng.integers(0, d, 2))
    out = img.copy()
    colour = out[:, :, :3] if out.ndim == 3 and out.shape[2] == 4 else out
    value = fill_scalar(img.dtype, fill)
    # the cells masked are those where ((y + oy) % d) < r and ((x + ox) % d) < r: each axis
    # splits into a partial period at the start, whole periods and a partial one at the
    # end, so at most 3 × 3 slice assignments fill them all (no per-pixel mask)
    for ys in _periodic_bands(h, d, r, oy):
        for xs in _periodic_bands(w, d, r, ox):
            _fill_bands(colour, ys, xs, value)
    return out


_Bands = tuple[int, int, int, int]  # (start, count of periods, period, length masked in each)


def _periodic_bands(n: int, d: int, r: int, offset: int) -> list[_Bands]:
    """The indices ``i`` in ``[0, n)`` with ``(i + offset) % d < r`` as at most three
    groups ``(start, k, d, length)``: ``k`` runs of ``length`` starting every ``d``."""
    bands = []
    first = (d - offset) % d  # the first index where a period starts
    if 0 < offset < r:  # the index 0 lies inside a masked run that started before it
        bands.append((0, 1, d, min(r - offset, n)))
    k = max(0, (n - first) // d) if first < n else 0
    if k:
        bands.append((first, k, d, r))
    tail = first + k * d
    if first < n and tail < n:
        bands.append((tail, 1, d, min(r, n - tail)))
    return bands


def _fill_bands(colour: np.ndarray, ys: _Bands, xs: _Bands, value: float) -> None:
    y0, ky, d, ly = ys
    x0, kx, _, lx = xs
    rows, cols = (ky * d if ky > 1 else ly), (kx * d if kx > 1 else lx)
    block = colour[y0:y0 + rows, x0:x0 + cols]
    # each axis split into (periods, period): a view (splitting an axis never copies);
    # the first ``length`` of every period is filled
    view = block.reshape(ky, rows // ky, kx, cols // kx, *block.shape[2:])
    view[:, :ly, :, :lx] = value
