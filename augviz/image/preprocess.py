"""Preprocessing steps: resize, pad, crop to a size, normalise, convert to channels-first.

They live in a recipe's ``preprocess`` part, never among its augmentations: they change
the size or the dtype of an image (an augmentation keeps both), and all but
``image.random_crop`` are deterministic. An imported pipeline keeps them, so it runs end
to end; views show them greyed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import Choice, Float, Int
from augviz.core.registry import register_preprocess

from . import functional as F
from ._convert import to_array
from .base import ImageTransform
from .targets import Sample
from .transforms._specs import INTERP

__all__ = ["CenterCrop", "LongestMaxSize", "Normalize", "PadIfNeeded", "RandomCrop", "Resize",
           "SmallestMaxSize", "ToTensor"]

_SIZE = 8192


def _size(name: str, default: int, doc: str) -> Int:
    return Int(name, 1, _SIZE, default, unit="px", doc=doc)


# -- kernels ---------------------------------------------------------------------------
def scale_to(img: np.ndarray, max_size: int, interpolation: str, *, longest: bool) -> np.ndarray:
    """Scale so the longest (or the shortest) side is ``max_size``, keeping the aspect."""
    height, width = _scaled_size(img.shape[0], img.shape[1], max_size, longest=longest)
    return F.resize(img, height=height, width=width, interpolation=interpolation)


def pad_to(img: np.ndarray, min_height: int, min_width: int, border: str, fill: float) -> np.ndarray:
    """Pad (centred) to at least ``min_height`` × ``min_width``."""
    h, w = img.shape[:2]
    dh, dw = max(0, min_height - h), max(0, min_width - w)
    if not dh and not dw:
        return img.copy()
    top, left = dh // 2, dw // 2
    pads = [(top, dh - top), (left, dw - left)] + [(0, 0)] * (img.ndim - 2)
    if border == "constant":
        value = fill * 255 if img.dtype == np.uint8 else fill
        return np.pad(img, pads, mode="constant", constant_values=np.asarray(value).astype(img.dtype))
    mode = {"reflect": "reflect", "replicate": "edge", "wrap": "wrap"}[border]
    if mode == "reflect":  # OpenCV's BORDER_REFLECT_101 (albumentations' default) is numpy's reflect
        return np.pad(img, pads, mode="reflect")
    return np.pad(img, pads, mode=mode)


def crop_at(img: np.ndarray, height: int, width: int, pos_y: float, pos_x: float) -> np.ndarray:
    """A ``height`` × ``width`` window; ``pos_*`` in [0, 1] place it (0.5: centred).
    A window larger than the image is clipped to it."""
    h, w = img.shape[:2]
    top, left = _crop_origin(h, w, height, width, pos_y, pos_x)
    return np.ascontiguousarray(img[top : top + min(height, h), left : left + min(width, w)])


def _resize_matrix(h: int, w: int, height: int, width: int) -> np.ndarray:
    # the half-pixel convention of a bilinear resize: column x lands at (x + 0.5)·W/w − 0.5
    sx, sy = width / w, height / h
    return np.array([[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5], [0.0, 0.0, 1.0]])


def _shift_matrix(dx: float, dy: float) -> np.ndarray:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def _scaled_size(h: int, w: int, max_size: int, *, longest: bool) -> tuple[int, int]:
    scale = max_size / (max(h, w) if longest else min(h, w))
    return max(1, round(h * scale)), max(1, round(w * scale))


def _crop_origin(h: int, w: int, height: int, width: int, pos_y: float, pos_x: float) -> tuple[int, int]:
    return int((h - min(height, h)) * pos_y), int((w - min(width, w)) * pos_x)


# -- steps -----------------------------------------------------------------------------
class _Sized(ImageTransform):
    __slots__ = ()
    family = "preprocess"
    keeps_shape = False
    #: resizing, padding and cropping move content: targets follow through geometry()
    moves_pixels = True
    label_risk = "none (a fixed preparation step)"


@register_preprocess("image.resize")
class Resize(_Sized):
    """Resize to a fixed ``height`` × ``width`` (aspect not kept).

    Example
    -------
    >>> Resize(height=8, width=4)(np.zeros((16, 16), np.uint8)).shape
    (8, 4)
    """

    __slots__ = ()
    PARAMS = (_size("height", 224, "Output height."), _size("width", 224, "Output width."), INTERP)
    kernel = F.resize

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        return _resize_matrix(shape[0], shape[1], values["height"], values["width"])


@register_preprocess("image.longest_max_size")
class LongestMaxSize(_Sized):
    """Scale so the longest side is ``max_size`` (aspect kept).

    Example
    -------
    >>> LongestMaxSize(max_size=8)(np.zeros((16, 32), np.uint8)).shape
    (4, 8)
    """

    __slots__ = ()
    PARAMS = (_size("max_size", 1024, "Length of the longest side after scaling."), INTERP)

    def _apply(self, data: Any, **values: Any) -> Any:
        return scale_to(data, longest=True, **values)

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        size = _scaled_size(shape[0], shape[1], values["max_size"], longest=True)
        return _resize_matrix(shape[0], shape[1], *size)


@register_preprocess("image.smallest_max_size")
class SmallestMaxSize(_Sized):
    """Scale so the shortest side is ``max_size`` (aspect kept).

    Example
    -------
    >>> SmallestMaxSize(max_size=8)(np.zeros((16, 32), np.uint8)).shape
    (8, 16)
    """

    __slots__ = ()
    PARAMS = (_size("max_size", 1024, "Length of the shortest side after scaling."), INTERP)

    def _apply(self, data: Any, **values: Any) -> Any:
        return scale_to(data, longest=False, **values)

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        size = _scaled_size(shape[0], shape[1], values["max_size"], longest=False)
        return _resize_matrix(shape[0], shape[1], *size)


@register_preprocess("image.pad_if_needed")
class PadIfNeeded(_Sized):
    """Pad (centred) to at least ``min_height`` × ``min_width``.

    Example
    -------
    >>> PadIfNeeded(min_height=20, min_width=10)(np.zeros((16, 16), np.uint8)).shape
    (20, 16)
    """

    __slots__ = ()
    PARAMS = (
        _size("min_height", 1024, "Smallest height after padding."),
        _size("min_width", 1024, "Smallest width after padding."),
        Choice("border", F.BORDERS, "reflect", doc="How the padding is filled."),
        Float("fill", 0.0, 1.0, 0.0, step=0.05, doc="Fill level for border='constant' (0 black, 1 white)."),
    )
    kernel = pad_to

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        dh, dw = max(0, values["min_height"] - shape[0]), max(0, values["min_width"] - shape[1])
        return _shift_matrix(dw // 2, dh // 2)


@register_preprocess("image.center_crop")
class CenterCrop(_Sized):
    """Crop the centred ``height`` × ``width`` window.

    Example
    -------
    >>> CenterCrop(height=4, width=6)(np.zeros((16, 16), np.uint8)).shape
    (4, 6)
    """

    __slots__ = ()
    PARAMS = (_size("height", 224, "Crop height."), _size("width", 224, "Crop width."))

    def _apply(self, data: Any, **values: Any) -> Any:
        return crop_at(data, pos_y=0.5, pos_x=0.5, **values)

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        top, left = _crop_origin(shape[0], shape[1], values["height"], values["width"], 0.5, 0.5)
        return _shift_matrix(-left, -top)


@register_preprocess("image.random_crop")
class RandomCrop(_Sized):
    """Crop a ``height`` × ``width`` window at a drawn position (the one preprocessing step
    that draws: its position comes from the recipe's stream).

    Example
    -------
    >>> RandomCrop(height=4, width=6)(np.zeros((16, 16), np.uint8), rng=0).shape
    (4, 6)
    """

    __slots__ = ()
    PARAMS = (_size("height", 224, "Crop height."), _size("width", 224, "Crop width."))
    POSITIONS = ("pos_y", "pos_x")
    kernel = crop_at

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        top, left = _crop_origin(shape[0], shape[1], values["height"], values["width"],
                                 values["pos_y"], values["pos_x"])
        return _shift_matrix(-left, -top)


class _Convert(_Sized):
    """Steps whose output is no longer an image augviz draws (float values outside [0, 1],
    channels first): they take any numpy array (or a PIL image) and return a numpy array."""

    __slots__ = ()
    moves_pixels = False  # the values change, not where they are
    #: what comes out is an array for training, not a picture a file can hold
    writes_image = False

    def check_input(self, x: Any) -> None:
        if isinstance(x, np.ndarray):
            return
        super().check_input(x)

    def apply(self, x: Any, **values: Any) -> Any:
        if isinstance(x, Sample):  # the targets stay where they are; the image becomes an array
            return x._passed(self.apply(x.image, **values))
        arr = x if isinstance(x, np.ndarray) else to_array(x)[0]
        return self._apply(arr, **values)


def _channel(name: str, default: float, low: float, doc: str) -> Float:
    return Float(name, low, 1000.0, default, step=0.001, doc=doc)


@register_preprocess("image.normalize")
class Normalize(_Convert):
    """``(x / max_pixel_value - mean) / std`` per channel, as float32 (ImageNet defaults).

    Example
    -------
    >>> out = Normalize()(np.full((2, 2, 3), 255, np.uint8))
    >>> out.dtype.name, round(float(out[0, 0, 0]), 3)
    ('float32', 2.249)
    """

    __slots__ = ()
    PARAMS = (
        _channel("mean_r", 0.485, -1000.0, "Mean of the first channel (of values / max_pixel_value)."),
        _channel("mean_g", 0.456, -1000.0, "Mean of the second channel."),
        _channel("mean_b", 0.406, -1000.0, "Mean of the third channel."),
        _channel("std_r", 0.229, 1e-6, "Standard deviation of the first channel."),
        _channel("std_g", 0.224, 1e-6, "Standard deviation of the second channel."),
        _channel("std_b", 0.225, 1e-6, "Standard deviation of the third channel."),
        Float("max_pixel_value", 1e-6, 65535.0, 255.0, doc="The value that maps to 1 before the mean is "
              "taken off (255 for uint8; float32 input in [0, 1] is scaled to it first)."),
    )

    def _apply(self, data: Any, **values: Any) -> Any:
        arr = data.astype(np.float32)
        if data.dtype == np.float32:
            arr = arr * 255.0  # float images are in [0, 1]: the uint8 scale the values were given for
        mean = np.array([values["mean_r"], values["mean_g"], values["mean_b"]], np.float32)
        std = np.array([values["std_r"], values["std_g"], values["std_b"]], np.float32)
        if arr.ndim == 2 or arr.shape[2] == 1:
            mean, std = mean[:1], std[:1]
        elif arr.shape[2] == 4:
            mean, std = np.append(mean, 0.0), np.append(std, 1.0)
        out = (arr / np.float32(values["max_pixel_value"]) - mean) / std
        return out.astype(np.float32)


@register_preprocess("image.to_tensor")
class ToTensor(_Convert):
    """Channels first (``C×H×W``), as a training framework wants it; a numpy array here.

    Example
    -------
    >>> ToTensor()(np.zeros((4, 5, 3), np.uint8)).shape
    (3, 4, 5)
    """

    __slots__ = ()
    PARAMS = ()

    def _apply(self, data: Any, **values: Any) -> Any:
        arr = data if data.ndim == 3 else data[:, :, None]
        return np.ascontiguousarray(arr.transpose(2, 0, 1))
