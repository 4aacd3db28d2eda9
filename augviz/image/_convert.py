"""Image input checks and the PIL/numpy round trip.

Kernels see a numpy array, HW or HWC, uint8 or float32 in [0, 1]; outputs go back to
the caller's type, dtype and mode.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from augviz.core import InputError

__all__ = ["PIL_MODES", "check_image", "is_image", "to_array"]

PIL_MODES = ("L", "RGB", "RGBA")


def _is_pil(x: Any) -> bool:
    mod = type(x).__module__
    return mod.startswith("PIL.") and hasattr(x, "mode") and hasattr(x, "size")


def is_image(x: Any) -> bool:
    """Whether ``x`` looks like one image (a PIL image or an HW/HWC array)."""
    if _is_pil(x):
        return True
    return isinstance(x, np.ndarray) and (x.ndim == 2 or (x.ndim == 3 and x.shape[2] in (1, 3, 4)))


def check_image(x: Any) -> None:
    """Raise :class:`InputError` unless ``x`` is an image augviz can work on."""
    if _is_pil(x):
        if x.mode not in PIL_MODES:
            raise InputError(
                f"PIL image mode {x.mode!r} is not supported; allowed: {', '.join(PIL_MODES)} "
                f"(convert first, e.g. img.convert('RGB'))"
            )
        if x.size[0] == 0 or x.size[1] == 0:
            raise InputError(f"image is empty (size {x.size})")
        return
    if not isinstance(x, np.ndarray):
        raise InputError(
            f"expected an image (PIL.Image or numpy array HW/HWC); got {type(x).__name__}"
        )
    if x.ndim not in (2, 3) or (x.ndim == 3 and x.shape[2] not in (1, 3, 4)):
        raise InputError(
            f"image array shape {x.shape} is not allowed; allowed: (H, W) or (H, W, C) with "
            "C in 1, 3, 4 (a batch goes to recipe.batch)"
        )
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise InputError(f"image is empty (shape {x.shape})")
    if x.dtype == np.uint8:
        return
    if x.dtype == np.float32:
        lo, hi = float(x.min()), float(x.max())
        if not (np.isfinite(lo) and np.isfinite(hi)) or lo < 0.0 or hi > 1.0:
            raise InputError(
                f"float32 image values span [{lo:g}, {hi:g}]; allowed: finite values in [0, 1]"
            )
        return
    hint = " (use .astype(np.float32))" if x.dtype.kind == "f" else ""
    raise InputError(
        f"image dtype {x.dtype} is not allowed; allowed: uint8 or float32 in [0, 1]{hint}"
    )


def to_array(x: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """``(array, restore)``: the pixels as numpy, and a function that turns a kernel's
    output back into the caller's type (PIL mode, dtype, channel axis)."""
    if _is_pil(x):
        from PIL import Image

        mode = x.mode
        return np.asarray(x), lambda a: _to_pil(Image, a, mode)
    dtype, ndim = x.dtype, x.ndim
    return x, lambda a: back_to(a, dtype, ndim)


def back_to(a: np.ndarray, dtype: np.dtype, ndim: int) -> np.ndarray:
    """A kernel's output in the input's ``dtype`` and number of axes (a dropped channel
    axis put back; uint8 rounded and clipped, float32 clipped to [0, 1])."""
    if a.ndim == 2 and ndim == 3:
        a = a[:, :, None]
    if a.dtype != dtype:
        a = np.clip(a, 0.0, 1.0) if dtype == np.float32 else np.clip(np.rint(a), 0, 255)
        a = a.astype(dtype)
    return a


def _to_pil(image_module: Any, a: np.ndarray, mode: str) -> Any:
    if a.dtype != np.uint8:
        a = np.clip(np.rint(a), 0, 255).astype(np.uint8)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    img = image_module.fromarray(np.ascontiguousarray(a))  # mode follows the shape
    return img if img.mode == mode else img.convert(mode)
