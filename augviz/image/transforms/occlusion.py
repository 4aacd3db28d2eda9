"""Occlusion transforms: cutout, random erasing, grid mask (positions from the seed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import Bool, Float, Range, register

from .. import functional as F
from ..base import ImageTransform
from ._specs import FILL

__all__ = ["Cutout", "GridMask", "RandomErasing"]


@register("image.cutout")
class Cutout(ImageTransform):
    """Fill ``holes`` rectangles of ``size`` × the height and width with ``fill``
    (DeVries & Taylor 2017). Holes lie fully inside the image.

    Example
    -------
    >>> import numpy as np
    >>> out = Cutout(holes=1, size=0.25)(np.full((40, 40), 255, np.uint8), rng=0)
    >>> int((out == 0).sum())
    100
    """

    __slots__ = ()
    family = "occlusion"
    uses_seed = True
    label_risk = "a hole can cover the whole object or its key part (size > ~0.3)"
    PARAMS = (
        Range("holes", 1, 32, (1, 4), integer=True, step=1, doc="Number of holes."),
        Range("size", 0.01, 1.0, (0.1, 0.25), step=0.01, unit="× size",
              doc="Hole height and width as fractions of the image's."),
        FILL,
    )

    kernel = F.cutout

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if not isinstance(xs, np.ndarray) or xs.ndim not in (3, 4) or not len(xs):
            return super().apply_batch(xs, values)
        return F.cutout_batch(xs, holes=values["holes"], size=values["size"], seed=values["seed"],
                              fill=values["fill"])


@register("image.random_erasing")
class RandomErasing(ImageTransform):
    """Erase one rectangle covering ``scale`` of the area with aspect ``ratio``, filled
    with ``fill`` or with random noise (Zhong et al. 2020).

    Example
    -------
    >>> import numpy as np
    >>> out = RandomErasing(scale=0.25, ratio=1.0)(np.full((40, 40), 255, np.uint8), rng=0)
    >>> int((out == 0).sum())
    400
    """

    __slots__ = ()
    family = "occlusion"
    uses_seed = True
    label_risk = "large boxes (> ~0.3 of the area) can hide the labelled object"
    PARAMS = (
        Range("scale", 0.001, 1.0, (0.02, 0.33), step=0.005, unit="× area",
              doc="Fraction of the image area erased."),
        Range("ratio", 0.1, 10.0, (0.3, 3.3), step=0.01, log=True, unit="w/h",
              doc="Aspect ratio (width / height) of the box."),
        FILL,
        Bool("noise", False, doc="Fill with uniform random noise instead of the fill level."),
    )

    kernel = F.random_erasing


@register("image.grid_mask")
class GridMask(ImageTransform):
    """Drop squares on a regular grid (GridMask, Chen et al. 2020): cells of ``unit``
    × the short side, a ``ratio`` of each cell's side masked, offset from the seed.

    Example
    -------
    >>> import numpy as np
    >>> out = GridMask(unit=0.25, ratio=0.5)(np.full((40, 40), 255, np.uint8), rng=0)
    >>> int((out == 0).sum())
    400
    """

    __slots__ = ()
    family = "occlusion"
    uses_seed = True
    label_risk = "dense grids (ratio > ~0.6) hide thin or small objects"
    PARAMS = (
        Range("unit", 0.02, 1.0, (0.1, 0.25), step=0.01, unit="× short side",
              doc="Grid cell size."),
        Float("ratio", 0.05, 0.95, 0.5, step=0.05, doc="Masked fraction of each cell's side."),
        FILL,
    )

    kernel = F.grid_mask
