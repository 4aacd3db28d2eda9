"""The base class of image transforms: input checks and the PIL/numpy round trip."""

from __future__ import annotations

from typing import Any

from augviz.core import Transform

from ._convert import check_image, to_array

__all__ = ["ImageTransform"]


class ImageTransform(Transform):
    """An image transform: the kernel takes a numpy array (``kernel(img, **values)``).

    ``apply`` accepts PIL images (L, RGB, RGBA) and numpy HW/HWC arrays (uint8, or
    float32 in [0, 1]) and returns the same type, dtype and mode.
    """

    __slots__ = ()

    def check_input(self, x: Any) -> None:
        check_image(x)

    def apply(self, x: Any, **values: Any) -> Any:
        arr, restore = to_array(x)
        return restore(self._apply(arr, **values))
