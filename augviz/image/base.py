"""The base class of image transforms: input checks and the PIL/numpy round trip."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from augviz.core import Transform
from augviz.core.rng import RngLike, as_generator

from ._convert import check_image, to_array

__all__ = ["ImageTransform"]


class ImageTransform(Transform):
    """An image transform: subclasses implement ``_apply(array, **values)``.

    ``apply`` accepts PIL images (L, RGB, RGBA) and numpy HW/HWC arrays (uint8, or
    float32 in [0, 1]) and returns the same type, dtype and mode.

    Two optional class attributes shape what ``sample`` draws, so that values stay
    explicit (JSON-safe, replayable) rather than hidden in a seed:

    - ``SPLIT = {"translate": ("translate_x", "translate_y")}`` draws one Range spec
      several times, once per listed value name (the spec's own name is dropped);
    - ``POSITIONS = ("pos_x", "pos_y")`` adds uniform [0, 1) draws (e.g. where a crop sits),
      resolved against the image size in ``apply``.
    """

    __slots__ = ()
    SPLIT: ClassVar[dict[str, tuple[str, ...]]] = {}
    POSITIONS: ClassVar[tuple[str, ...]] = ()

    def check_input(self, x: Any) -> None:
        check_image(x)

    def sample(self, rng: RngLike = None, x: Any = None) -> dict[str, Any]:
        gen = as_generator(rng)
        values = super().sample(gen, x)
        if self.SPLIT or self.POSITIONS:
            specs = self.param_specs()
            for name, names in self.SPLIT.items():
                values[names[0]] = values.pop(name)
                for extra in names[1:]:
                    values[extra] = specs[name].sample(self._params[name], gen)
            for name in self.POSITIONS:
                values[name] = float(gen.random())
        return values

    def sample_batch(self, rng: RngLike, n: int, xs: Any = None) -> dict[str, Any]:
        gen = as_generator(rng)
        values = super().sample_batch(gen, n, xs)
        if self.SPLIT or self.POSITIONS:
            specs = self.param_specs()
            for name, names in self.SPLIT.items():
                values[names[0]] = values.pop(name)
                for extra in names[1:]:
                    values[extra] = specs[name].sample_batch(self._params[name], gen, n)
            for name in self.POSITIONS:
                values[name] = gen.random(n)
        return values

    def apply(self, x: Any, **values: Any) -> Any:
        arr, restore = to_array(x)
        return restore(self._apply(arr, **values))

    def _apply(self, img: np.ndarray, **values: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError
