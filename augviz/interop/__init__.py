"""Bridges to other libraries: albumentations / torchvision / audiomentations, and a
PyTorch ``transform=`` adapter. Each bridge imports its library only when used."""

from __future__ import annotations

from .torch import TorchTransform

__all__ = ["TorchTransform"]
