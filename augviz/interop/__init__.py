"""Bridges to other libraries: albumentations (both ways), torchvision.transforms.v2 and
audiomentations (Python source), and a PyTorch ``transform=`` adapter. No bridge imports
its library unless it has to (reading a live albumentations pipeline, building tensors).
"""

from __future__ import annotations

from .albumentations import (
    ImportResult,
    InteropError,
    from_albumentations,
    to_albumentations,
    to_albumentations_source,
)
from .audiomentations import to_audiomentations_source
from .torch import TorchTransform
from .torchvision import to_torchvision_source

__all__ = [
    "ImportResult",
    "InteropError",
    "TorchTransform",
    "from_albumentations",
    "to_albumentations",
    "to_albumentations_source",
    "to_audiomentations_source",
    "to_torchvision_source",
]
