"""Compression and resolution-loss kernels."""

from __future__ import annotations

import numpy as np

from ._common import _cv2, cv_interp, from_float, join_alpha, keep_channels, split_alpha

__all__ = ["downscale", "jpeg"]


def jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    """Encode as JPEG at ``quality`` (1..100) and decode (alpha kept as is)."""
    cv2 = _cv2()
    colour, alpha = split_alpha(img)
    u8 = colour if colour.dtype == np.uint8 else from_float(colour, np.uint8)
    rgb = u8.ndim == 3 and u8.shape[2] == 3
    # OpenCV encodes BGR: reverse so its luma/chroma split sees the real colours
    src = cv2.cvtColor(u8, cv2.COLOR_RGB2BGR) if rgb else np.ascontiguousarray(u8.reshape(u8.shape[:2]))
    ok, buf = cv2.imencode(".jpg", src, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV failure, not user input
        raise RuntimeError("JPEG encoding failed")
    dec = cv2.imdecode(buf, cv2.IMREAD_COLOR if rgb else cv2.IMREAD_GRAYSCALE)
    dec = cv2.cvtColor(dec, cv2.COLOR_BGR2RGB) if rgb else keep_channels(dec, colour)
    if img.dtype != np.uint8:
        dec = dec.astype(np.float32) * np.float32(1 / 255.0)
    return join_alpha(dec, alpha)


def downscale(img: np.ndarray, scale: float, interpolation: str = "nearest") -> np.ndarray:
    """Shrink by ``scale`` and enlarge back with ``interpolation`` both ways: the
    detail of a low-resolution capture."""
    cv2 = _cv2()
    h, w = img.shape[:2]
    sh, sw = max(1, round(h * scale)), max(1, round(w * scale))
    flag = cv_interp(interpolation)
    small = cv2.resize(img, (sw, sh), interpolation=flag)
    out = cv2.resize(small, (w, h), interpolation=flag)
    if img.dtype == np.float32:
        np.clip(out, 0.0, 1.0, out=out)
    return keep_channels(out, img)
