"""Sample photos that ship inside scikit-image's wheel (no download)."""

from __future__ import annotations

from typing import Any

import numpy as np

from augviz.core import InputError, Int

__all__ = ["SAMPLE_IMAGES", "sample_image"]

#: name -> scikit-image loader; all of these are inside the wheel
SAMPLE_IMAGES = ("astronaut", "camera", "chelsea", "coffee", "rocket", "horse")
_SIZE = Int("size", 1, 4096, 256, unit="px", doc="Side of the square sample photo.")


def sample_image(name: str = "astronaut", *, size: int | None = 256, pil: bool = False) -> Any:
    """A bundled sample photo as uint8 HWC (or HW for grey ones).

    Parameters
    ----------
    name : str
        One of :data:`SAMPLE_IMAGES`.
    size : int or None
        Resize so the shorter side is ``size`` px and centre-crop to a square
        (None keeps the original).
    pil : bool
        Return a PIL image instead of an array.

    Example
    -------
    >>> sample_image("chelsea", size=64).shape
    (64, 64, 3)
    """
    if not isinstance(name, str) or name not in SAMPLE_IMAGES:
        raise InputError(f"unknown sample image {name!r}; allowed: {', '.join(SAMPLE_IMAGES)}")
    from skimage import data

    img = getattr(data, name)()
    if img.dtype == bool:
        img = (~img).astype(np.uint8) * 255
    img = np.ascontiguousarray(img[..., :3] if img.ndim == 3 else img)
    if size is not None:
        size = _SIZE.check_argument(size, where="sample_image")
        import cv2

        h, w = img.shape[:2]
        s = size / min(h, w)
        img = cv2.resize(img, (max(size, round(w * s)), max(size, round(h * s))),
                         interpolation=cv2.INTER_AREA)
        h, w = img.shape[:2]
        top, left = (h - size) // 2, (w - size) // 2
        img = np.ascontiguousarray(img[top : top + size, left : left + size])
    if pil:
        from PIL import Image

        return Image.fromarray(img)
    return img
