"""Registered image transforms: thin classes over the kernels in ``functional``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import Choice, Float, Range, register

from . import functional as F
from .base import ImageTransform

__all__ = ["Brightness", "HorizontalFlip", "Rotate", "VerticalFlip"]

_INTERP = Choice("interpolation", F.INTERPOLATIONS, "bilinear", doc="Pixel interpolation.")
_BORDER = Choice("border", F.BORDERS, "constant", doc="How pixels outside the image are filled.")
_FILL = Float("fill", 0.0, 1.0, 0.0, step=0.05, doc="Fill level for border='constant' (0 black, 1 white).")


@register("image.hflip")
class HorizontalFlip(ImageTransform):
    """Mirror the image left-right.

    Example
    -------
    >>> import numpy as np
    >>> HorizontalFlip()(np.eye(3, dtype=np.uint8))[0].tolist()
    [0, 0, 1]
    """

    __slots__ = ()
    family = "geometric"
    label_risk = "chirality: b↔d, 3/5/6/7 mirrored, text and left/right labels"

    def _apply(self, img: np.ndarray) -> np.ndarray:
        return F.hflip(img)

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim in (3, 4):
            return np.ascontiguousarray(xs[:, :, ::-1])
        return super().apply_batch(xs, values)


@register("image.vflip")
class VerticalFlip(ImageTransform):
    """Mirror the image top-bottom.

    Example
    -------
    >>> import numpy as np
    >>> VerticalFlip()(np.eye(3, dtype=np.uint8))[0].tolist()
    [0, 0, 1]
    """

    __slots__ = ()
    family = "geometric"
    label_risk = "orientation: 6↔9, M↔W, up/down labels, sky/ground scenes"

    def _apply(self, img: np.ndarray) -> np.ndarray:
        return F.vflip(img)

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim in (3, 4):
            return np.ascontiguousarray(xs[:, ::-1])
        return super().apply_batch(xs, values)


@register("image.rotate")
class Rotate(ImageTransform):
    """Rotate about the centre by an angle drawn from ``angle`` (counter-clockwise).

    A single number is an exact angle: ``Rotate(angle=30)`` always turns 30°.

    Example
    -------
    >>> import numpy as np
    >>> img = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> bool((Rotate(angle=90)(img) == np.rot90(img)).all())
    True
    """

    __slots__ = ()
    family = "geometric"
    label_risk = "orientation beyond ~30°: 6↔9, arrows, up/down; corners cut off"
    PARAMS = (
        Range("angle", -180.0, 180.0, (-15.0, 15.0), step=1.0, unit="degrees",
              doc="Rotation angle, counter-clockwise."),
        _INTERP,
        _BORDER,
        _FILL,
    )

    def _apply(self, img: np.ndarray, angle: float, interpolation: str, border: str,
               fill: float) -> np.ndarray:
        return F.rotate(img, angle, interpolation, border, fill)


@register("image.brightness")
class Brightness(ImageTransform):
    """Shift brightness by adding ``delta`` × full scale to every pixel.

    Example
    -------
    >>> import numpy as np
    >>> Brightness(delta=0.1)(np.zeros((2, 2), np.uint8)).max()
    np.uint8(26)
    """

    __slots__ = ()
    family = "color"
    label_risk = "low: only when the label is about lighting (day/night, exposure)"
    PARAMS = (
        Range("delta", -1.0, 1.0, (-0.2, 0.2), step=0.01, unit="× full scale",
              doc="Amount added to every pixel."),
    )

    def _apply(self, img: np.ndarray, delta: float) -> np.ndarray:
        return F.add_brightness(img, delta)

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray):
            shape = (-1,) + (1,) * (xs.ndim - 1)
            delta = np.asarray(values["delta"], np.float64).reshape(shape)
            if xs.dtype == np.uint8:  # same float32 arithmetic as the per-image LUT
                shifted = xs + (delta * 255.0).astype(np.float32)
                return np.clip(np.rint(shifted), 0, 255).astype(np.uint8)
            return np.clip(xs + delta.astype(np.float32), 0.0, 1.0, dtype=np.float32)
        return super().apply_batch(xs, values)
