"""Offline datasets: samples that ship inside installed wheels, and loaders for a
user's own folders. Nothing here downloads."""

from __future__ import annotations

from .digits import load_digits
from .images import SAMPLE_IMAGES, sample_image

__all__ = ["SAMPLE_IMAGES", "load_digits", "sample_image"]
