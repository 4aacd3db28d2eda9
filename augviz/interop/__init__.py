"""Bridges to other libraries: albumentations (both ways), torchvision.transforms.v2 and
audiomentations (Python source), and a PyTorch ``transform=`` adapter. No bridge imports
its library unless it has to (reading a live albumentations pipeline, building tensors).
"""

from __future__ import annotations

from . import albumentations as _albumentations
from . import audiomentations as _audiomentations
from . import torchvision as _torchvision
from ._base import ImportResult, InteropError, Mapping, Peer, Targets
from .albumentations import (
    from_albumentations,
    to_albumentations,
    to_albumentations_source,
)
from .audiomentations import to_audiomentations_source
from .torch import TorchTransform
from .torchvision import to_torchvision_source

#: every library augviz converts to, each with its mappings and unmappable transforms
PEERS: tuple[Peer, ...] = (_albumentations.PEER, _torchvision.PEER, _audiomentations.PEER)

__all__ = [
    "PEERS",
    "ImportResult",
    "InteropError",
    "Mapping",
    "Peer",
    "Targets",
    "TorchTransform",
    "from_albumentations",
    "to_albumentations",
    "to_albumentations_source",
    "to_audiomentations_source",
    "to_torchvision_source",
]
