"""Compression and resolution-loss transforms."""

from __future__ import annotations

from augviz.core import Choice, Range, register

from .. import functional as F
from ..base import ImageTransform

__all__ = ["Downscale", "Jpeg"]


@register("image.jpeg")
class Jpeg(ImageTransform):
    """JPEG-compress at a ``quality`` drawn from the range and decode again (block and
    ringing artefacts). Alpha is kept as is.

    Example
    -------
    >>> import numpy as np
    >>> img = np.full((16, 16, 3), 120, np.uint8)
    >>> int(np.abs(Jpeg(quality=95)(img).astype(int) - 120).max()) <= 2
    True
    """

    __slots__ = ()
    family = "compression"
    label_risk = "low at quality ≥ 30; fine texture and small text degrade below"
    PARAMS = (
        Range("quality", 1, 100, (50, 95), integer=True, step=1, unit="JPEG quality",
              doc="Encoder quality (100 best)."),
    )

    kernel = F.jpeg


@register("image.downscale")
class Downscale(ImageTransform):
    """Shrink by ``scale`` and enlarge back to the original size (low-resolution capture).

    Example
    -------
    >>> import numpy as np
    >>> img = np.arange(64, dtype=np.uint8).reshape(8, 8)
    >>> out = Downscale(scale=0.5)(img)
    >>> out.shape, bool((out[0::2, 0::2] == out[1::2, 1::2]).all())
    ((8, 8), True)
    """

    __slots__ = ()
    family = "compression"
    label_risk = "fine-detail labels (small text, thin strokes) below ~0.3"
    PARAMS = (
        Range("scale", 0.05, 1.0, (0.25, 0.5), step=0.01, unit="×",
              doc="Size of the intermediate image relative to the original."),
        Choice("interpolation", F.INTERPOLATIONS, "nearest",
               doc="Interpolation for shrinking and enlarging back."),
    )

    kernel = F.downscale
