"""sklearn's handwritten digits (shipped inside scikit-learn's wheel), upscaled."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from augviz.core import InputError, Int

__all__ = ["load_digits"]

_SIZE = Int("size", 8, 128, 16, unit="px", doc="Side of the upscaled digits.")


@lru_cache(maxsize=4)
def _digits(size: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits as sk_load_digits

    d = sk_load_digits()
    images = (d.images / 16.0).astype(np.float32)  # 8×8, values 0..16
    if size != 8:
        import cv2

        images = np.stack(
            [cv2.resize(im, (size, size), interpolation=cv2.INTER_LINEAR) for im in images]
        )
        images = np.clip(images, 0.0, 1.0)
    images.setflags(write=False)
    target = d.target.astype(np.int64)
    target.setflags(write=False)
    return images, target


def load_digits(size: int = 16, *, dtype: str = "float32") -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits (10 classes) as an ``N×size×size`` array and labels.

    Parameters
    ----------
    size : int
        Side in pixels (8 is the native resolution; the lab uses 16).
    dtype : {"float32", "uint8"}
        float32 in [0, 1] or uint8 in [0, 255].

    Example
    -------
    >>> x, y = load_digits()
    >>> x.shape, x.dtype, sorted(set(y.tolist())) == list(range(10))
    ((1797, 16, 16), dtype('float32'), True)
    """
    size = _SIZE.check_argument(size, where="load_digits")
    if dtype not in ("float32", "uint8"):
        raise InputError(f"dtype={dtype!r} is not allowed; allowed: 'float32', 'uint8'")
    images, target = _digits(size)
    if dtype == "uint8":
        return np.rint(images * 255).astype(np.uint8), target.copy()
    return images.copy(), target.copy()
