"""Parameter specs shared by several image transforms (one definition each)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from augviz.core import Choice, Float, Range

from .. import functional as F

ANGLE = Range("angle", -180.0, 180.0, (-15.0, 15.0), step=1.0, unit="degrees",
              doc="Rotation angle, counter-clockwise.")
INTERP = Choice("interpolation", F.INTERPOLATIONS, "bilinear", doc="Pixel interpolation.")
BORDER = Choice("border", F.BORDERS, "constant", doc="How pixels outside the image are filled.")
#: the same border choice, defaulting to mirrored pixels (for warps that pull from outside)
BORDER_REFLECT = replace(BORDER, default="reflect")
FILL = Float("fill", 0.0, 1.0, 0.0, step=0.05,
             doc="Fill level for border='constant' and erased areas (0 black, 1 white).")


def uniform(values: Mapping[str, Any], *names: str) -> tuple[Any, ...] | None:
    """The single value of each fixed column (``None`` if some column varies in the batch)."""
    out = []
    for name in names:
        col = values[name]
        first = col[0]
        if isinstance(col, np.ndarray):
            if not (col == first).all():
                return None
            first = first.item()
        elif list(col).count(first) != len(col):  # C-speed scan of a constant column
            return None
        out.append(first)
    return tuple(out)


def column(values: Mapping[str, Any], name: str) -> np.ndarray:
    return np.asarray(values[name], np.float64)
