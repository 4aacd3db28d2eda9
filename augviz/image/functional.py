"""Pure image kernels on numpy arrays (HW or HWC, uint8 or float32 in [0, 1]).

Each kernel returns a new array of the input's dtype and (unless it changes size)
shape. OpenCV where it is the faster kernel, numpy elsewhere.
"""

from __future__ import annotations

import numpy as np

__all__ = ["INTERPOLATIONS", "BORDERS", "add_brightness", "hflip", "rotate", "vflip"]

INTERPOLATIONS = ("nearest", "bilinear", "bicubic")
BORDERS = ("constant", "reflect", "replicate", "wrap")


def _cv2():  # imported on first use: `import augviz.image` must stay light
    import cv2

    return cv2


def _cv_interp(name: str) -> int:
    cv2 = _cv2()
    return {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR,
            "bicubic": cv2.INTER_CUBIC}[name]


def _cv_border(name: str) -> int:
    cv2 = _cv2()
    return {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101,
            "replicate": cv2.BORDER_REPLICATE, "wrap": cv2.BORDER_WRAP}[name]


def _fill_value(img: np.ndarray, fill: float) -> tuple[float, ...]:
    v = fill * 255.0 if img.dtype == np.uint8 else fill
    return (v,) * (img.shape[2] if img.ndim == 3 else 1)


def _keep_channels(out: np.ndarray, img: np.ndarray) -> np.ndarray:
    # OpenCV drops a trailing axis of length 1
    return out[:, :, None] if img.ndim == 3 and out.ndim == 2 else out


def hflip(img: np.ndarray) -> np.ndarray:
    """Mirror left-right (equals ``np.fliplr``)."""
    return np.ascontiguousarray(img[:, ::-1])


def vflip(img: np.ndarray) -> np.ndarray:
    """Mirror top-bottom (equals ``np.flipud``)."""
    return np.ascontiguousarray(img[::-1])


def rotate(
    img: np.ndarray,
    angle: float,
    interpolation: str = "bilinear",
    border: str = "constant",
    fill: float = 0.0,
) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees about the centre, keeping the size.

    Multiples of 90° on a square image are exact (``np.rot90``).
    """
    h, w = img.shape[:2]
    if angle % 90 == 0 and h == w:
        return np.ascontiguousarray(np.rot90(img, k=int(angle // 90) % 4))
    cv2 = _cv2()
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), float(angle), 1.0)
    out = cv2.warpAffine(
        img, m, (w, h), flags=_cv_interp(interpolation), borderMode=_cv_border(border),
        borderValue=_fill_value(img, fill),
    )
    return _keep_channels(out, img)


def add_brightness(img: np.ndarray, delta: float) -> np.ndarray:
    """Add ``delta`` (a fraction of full scale) to every pixel, clipping at the ends."""
    if img.dtype == np.uint8:
        lut = np.clip(np.arange(256, dtype=np.float32) + delta * 255.0, 0, 255)
        return np.rint(lut).astype(np.uint8)[img]
    return np.clip(img + np.float32(delta), 0.0, 1.0, dtype=np.float32)
