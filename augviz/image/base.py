"""The base class of image transforms: input checks and the PIL/numpy round trip."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augviz.core import Transform
from augviz.core.rng import RngLike, as_generator

from ._convert import back_to, check_image, to_array
from .targets import Sample, move_sample

__all__ = ["ImageTransform"]

_U8 = np.dtype(np.uint8)
_Generator = np.random.Generator


class ImageTransform(Transform):
    """An image transform: the kernel takes a numpy array (``kernel(img, **values)``).

    ``apply`` accepts PIL images (L, RGB, RGBA) and numpy HW/HWC arrays (uint8, or
    float32 in [0, 1]) and returns the same type, dtype and mode. It also accepts a
    :class:`~augviz.image.Sample` and returns one whose masks, boxes and keypoints have
    moved with the pixels.
    """

    __slots__ = ()
    #: whether ``__call__`` may hand a uint8 array straight to the kernel (the class keeps
    #: this base's input check and ``apply``)
    _direct: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._direct = cls.apply is ImageTransform.apply and cls.check_input is ImageTransform.check_input

    def __call__(self, x: Any, rng: RngLike = None) -> Any:
        """Sample and apply (with probability ``p``): exactly ``Transform.__call__``; a
        uint8 numpy image, the common case, goes to the kernel without the general
        PIL/dtype round trip."""
        if type(x) is not np.ndarray or x.dtype != _U8 or not self._direct:
            return super().__call__(x, rng)
        ndim, shape = x.ndim, x.shape
        if not (ndim == 2 or (ndim == 3 and shape[2] in (1, 3, 4))) or not shape[0] or not shape[1]:
            check_image(x)  # raises, naming the shape
        out = self._call_kernel(x, rng if type(rng) is _Generator else as_generator(rng), x)
        if out is None:
            return x
        return out if out.dtype is _U8 and out.ndim == ndim else back_to(out, _U8, ndim)

    def check_input(self, x: Any) -> None:
        if not isinstance(x, Sample):  # a Sample was checked when it was made
            check_image(x)

    def apply(self, x: Any, **values: Any) -> Any:
        if isinstance(x, Sample):
            return move_sample(self, x, values)
        arr, restore = to_array(x)
        return restore(self._apply(arr, **values))
