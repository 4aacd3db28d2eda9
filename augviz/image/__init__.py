"""Image augmentation: registered transforms (``transforms``) over pure kernels
(``functional``). Inputs: PIL images (L, RGB, RGBA) or numpy HW/HWC arrays, uint8 or
float32 in [0, 1]; outputs keep the input's type, dtype and mode. A ``Sample`` carries masks, boxes and
keypoints that follow the image through every transform."""

from __future__ import annotations

from . import functional, preprocess
from .base import ImageTransform
from .targets import Boxes, Keypoints, Sample
from .transforms import *  # noqa: F403
from .transforms import __all__ as _transforms_all

__all__ = ["Boxes", "ImageTransform", "Keypoints", "Sample", "functional", "preprocess", *_transforms_all]
