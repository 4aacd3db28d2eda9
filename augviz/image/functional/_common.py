"""Shared helpers of the image kernels: OpenCV flags, fill values, dtype handling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

INTERPOLATIONS = ("nearest", "bilinear", "bicubic")
BORDERS = ("constant", "reflect", "replicate", "wrap")


def _cv2() -> Any:  # imported on first use: `import augviz.image` must stay light
    import cv2

    return cv2


def cv_interp(name: str) -> int:
    cv2 = _cv2()
    return {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR,
            "bicubic": cv2.INTER_CUBIC, "area": cv2.INTER_AREA}[name]


def cv_border(name: str) -> int:
    cv2 = _cv2()
    return {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101,
            "replicate": cv2.BORDER_REPLICATE, "wrap": cv2.BORDER_WRAP}[name]


def fill_scalar(dtype: np.dtype, fill: float) -> float:
    """``fill`` (0..1 of full scale) in the pixel units of ``dtype``."""
    return float(round(fill * 255.0)) if dtype == np.uint8 else float(fill)


def fill_value(img: np.ndarray, fill: float) -> tuple[float, ...]:
    v = fill_scalar(img.dtype, fill)
    return (v,) * (img.shape[2] if img.ndim == 3 else 1)


def keep_channels(out: np.ndarray, img: np.ndarray) -> np.ndarray:
    # OpenCV drops a trailing axis of length 1
    return out[:, :, None] if img.ndim == 3 and out.ndim == 2 else out


def n_channels(img: np.ndarray) -> int:
    return img.shape[2] if img.ndim == 3 else 1


def split_alpha(img: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``(colour, alpha)``: colour ops leave a 4th (alpha) channel alone."""
    if img.ndim == 3 and img.shape[2] == 4:
        return img[:, :, :3], img[:, :, 3:]
    return img, None


def join_alpha(colour: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    if alpha is None:
        return colour
    return np.concatenate([colour, alpha], axis=2)


def is_colour(img: np.ndarray) -> bool:
    return img.ndim == 3 and img.shape[2] >= 3


def from_float(out: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A float result (0..1 scale) back to ``dtype``, clipped."""
    if dtype == np.uint8:
        return levels_to_uint8(out * np.float32(255.0))
    return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)


#: 0, 1, ..., 255 as float32: the input of every 256-entry lookup table
LEVELS = np.arange(256, dtype=np.float32)
LEVELS.setflags(write=False)
_UNIT_LEVELS = LEVELS / np.float32(255.0)  # the same levels on the 0..1 scale
_UNIT_LEVELS.setflags(write=False)


def levels_to_uint8(v: np.ndarray) -> np.ndarray:
    """``clip(rint(v), 0, 255)`` as uint8 (a new array; ``v`` is left alone). The ufuncs
    in place: ``np.clip``'s wrapper costs more than the arithmetic on a 256-entry table."""
    out = np.rint(v)
    np.minimum(out, 255, out=out)
    np.maximum(out, 0, out=out)
    return out.astype(np.uint8)


_SZ: Any = None
_SZ_OUT = False  # whether translate writes into a given buffer (one pass, no copy first)


def _stringzilla() -> Any:
    # stringzilla's SIMD byte translation is ~20 % faster than cv2.LUT and exact; it is
    # there whenever albumentations is, optional otherwise (cv2.LUT gives the same bytes)
    global _SZ, _SZ_OUT
    if _SZ is None:
        try:
            import stringzilla

            _SZ = stringzilla if hasattr(stringzilla, "translate") else False
        except ImportError:
            _SZ = False
        if _SZ:
            probe = bytearray(2)
            try:
                _SZ.translate(b"\x00\x01", bytes(range(1, 256)) + b"\x00", out=probe)
                _SZ_OUT = bytes(probe) == b"\x01\x02"
            except (TypeError, ValueError):
                _SZ_OUT = False
    return _SZ


def apply_lut(img: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """Map uint8 ``img`` through a 256-entry uint8 ``lut`` (the fastest point op)."""
    if lut.ndim != 1:
        raise ValueError("lut must be 1-D")  # internal misuse, not user input
    lut = np.ascontiguousarray(lut, dtype=np.uint8)
    sz = _stringzilla()
    if sz and _SZ_OUT and img.flags.c_contiguous:
        out = np.empty(img.shape, np.uint8)
        sz.translate(memoryview(img.reshape(-1)), memoryview(lut), out=memoryview(out.reshape(-1)))
        return out
    if sz:
        out = np.array(img, copy=True, order="C")
        sz.translate(memoryview(out.reshape(-1)), memoryview(lut), inplace=True)
        return out
    if img.ndim == 3 and img.shape[2] > 4:
        return lut[img]
    out = _cv2().LUT(img, lut)
    return keep_channels(out, img)


def translate_inplace(img: np.ndarray, lut: np.ndarray) -> np.ndarray:
    """Map a C-contiguous uint8 ``img`` through ``lut`` in place (no copy) and return it."""
    sz = _stringzilla()
    if sz and img.flags.c_contiguous:
        sz.translate(memoryview(img.reshape(-1)), memoryview(np.ascontiguousarray(lut, np.uint8)),
                     inplace=True)
        return img
    img[...] = apply_lut(img, lut)
    return img


def point_op(img: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Apply a per-value function ``fn`` (on 0..1 floats): a LUT for uint8, direct for float."""
    if img.dtype == np.uint8:
        return apply_lut(img, from_float(fn(_UNIT_LEVELS), np.uint8))
    return from_float(fn(img), np.float32)
