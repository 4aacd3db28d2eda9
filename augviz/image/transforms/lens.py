"""Lens distortion transforms (geometric: they move pixels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import Choice, Range, register

from .. import functional as F
from ..base import ImageTransform
from ._specs import BORDER, FILL, INTERP

__all__ = ["OpticalDistortion"]


@register("image.optical_distortion")
class OpticalDistortion(ImageTransform):
    """Radial lens distortion: barrel (k < 0) or pincushion (k > 0), strongest at the corners.

    The strength ``k`` is drawn from its range; ``mode`` picks the camera or fisheye model.

    Example
    -------
    >>> import numpy as np
    >>> img = np.full((32, 32), 255, np.uint8)
    >>> out = OpticalDistortion(k=0.5)(img)  # pincushion: corners sample from outside
    >>> int(out[16, 16]), int(out[0, 0])
    (255, 0)
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    label_risk = "low for |k| < ~0.1; strong distortion bends straight lines (documents, lanes, layouts)"
    PARAMS = (
        Range("k", -1.0, 1.0, (-0.05, 0.05), step=0.01,
              doc="Distortion strength (negative: barrel, positive: pincushion)."),
        Choice("mode", ("camera", "fisheye"), "camera",
               doc="OpenCV's camera model (k1 = k2 = k) or a fisheye radius scaling."),
        INTERP,
        BORDER,
        FILL,
    )

    kernel = F.optical_distortion

    def point_map(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        return F.optical_distortion_maps(shape, k=values["k"], mode=values["mode"])
