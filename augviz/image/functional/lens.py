"""Lens distortion kernels (radial barrel / pincushion), as a camera lens bends straight
lines near the edges."""

from __future__ import annotations

import math

import numpy as np

from ._common import _cv2, cv_border, cv_interp, fill_value, keep_channels

__all__ = ["optical_distortion", "optical_distortion_maps"]


def optical_distortion_maps(
    shape: tuple[int, ...], k: float, mode: str = "camera",
) -> tuple[np.ndarray, np.ndarray]:
    """Where each output pixel samples the input: ``"camera"`` uses OpenCV's radial model
    with k1 = k2 = ``k`` (focal length = the image size, centre at the middle); ``"fisheye"``
    scales each radius by ``1 + k·(r / r_max)²`` (the albumentations models)."""
    h, w = shape[:2]
    cx, cy = w / 2, h / 2
    if mode == "camera":
        cv2 = _cv2()
        camera = np.array([[w, 0, cx], [0, h, cy], [0, 0, 1]], dtype=np.float32)
        coeffs = np.array([k, k, 0, 0, 0], dtype=np.float32)
        return cv2.initUndistortRectifyMap(camera, coeffs, None, None, (w, h), cv2.CV_32FC1)
    y, x = np.mgrid[:h, :w].astype(np.float32)
    x, y = x - cx, y - cy
    r = np.sqrt(x * x + y * y)
    theta = np.arctan2(y, x)
    r_max = math.sqrt(max(cx, w - cx) ** 2 + max(cy, h - cy) ** 2)
    r_dist = r * (1 + k * (r / r_max) ** 2)
    return r_dist * np.cos(theta) + cx, r_dist * np.sin(theta) + cy


def optical_distortion(
    img: np.ndarray, k: float, mode: str = "camera", interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Radial lens distortion of strength ``k`` (negative: barrel, positive: pincushion in
    the camera model); pixels from outside the image follow ``border`` / ``fill``."""
    if k == 0:
        return img.copy()
    cv2 = _cv2()
    map_x, map_y = optical_distortion_maps(img.shape, k=k, mode=mode)
    map_xy = np.stack([map_x, map_y], axis=-1).astype(np.float32)
    out = cv2.remap(img, map_xy, None, cv_interp(interpolation), borderMode=cv_border(border),
                    borderValue=fill_value(img, fill))
    if img.dtype == np.float32 and interpolation == "bicubic":
        out = np.clip(out, 0.0, 1.0)
    return keep_channels(out, img)
