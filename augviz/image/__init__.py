"""Image augmentation: registered transforms (``transforms``) over pure kernels
(``functional``). Inputs: PIL images (L, RGB, RGBA) or numpy HW/HWC arrays, uint8 or
float32 in [0, 1]; outputs keep the input's type, dtype and mode."""

from __future__ import annotations

from . import functional
from .base import ImageTransform
from .transforms import *  # noqa: F403
from .transforms import __all__ as _transforms_all

__all__ = ["ImageTransform", "functional", *_transforms_all]
