"""The base class of image transforms: input checks and the PIL/numpy round trip."""

from __future__ import annotations

from typing import Any

from augviz.core import Transform

from ._convert import check_image, to_array
from .targets import Sample, move_sample

__all__ = ["ImageTransform"]


class ImageTransform(Transform):
    """An image transform: the kernel takes a numpy array (``kernel(img, **values)``).

    ``apply`` accepts PIL images (L, RGB, RGBA) and numpy HW/HWC arrays (uint8, or
    float32 in [0, 1]) and returns the same type, dtype and mode. It also accepts a
    :class:`~augviz.image.Sample` and returns one whose masks, boxes and keypoints have
    moved with the pixels.
    """

    __slots__ = ()

    def check_input(self, x: Any) -> None:
        if not isinstance(x, Sample):  # a Sample was checked when it was made
            check_image(x)

    def apply(self, x: Any, **values: Any) -> Any:
        if isinstance(x, Sample):
            return move_sample(self, x, values)
        arr, restore = to_array(x)
        return restore(self._apply(arr, **values))
