"""Geometric kernels: flips, rotation, affine, crops, perspective, elastic, grid warp.

Warps on small images (≤ ``SMALL_PIXELS`` pixels, e.g. the lab's 16 px digits) run in
numpy with exact bilinear weights, so that a whole batch can be warped in one vectorised
gather (``warp_affine_batch``) and give the same bytes as the per-image call. Larger
images go through OpenCV, which is faster per image.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ._common import _cv2, cv_border, cv_interp, fill_scalar, fill_value, keep_channels

__all__ = [
    "SMALL_PIXELS",
    "affine",
    "affine_matrices",
    "affine_matrix",
    "crop_pad",
    "crop_pad_matrix",
    "elastic",
    "elastic_maps",
    "flip_matrix",
    "grid_distortion",
    "grid_distortion_maps",
    "hflip",
    "hflip_batch",
    "perspective",
    "perspective_matrix",
    "random_resized_crop",
    "random_resized_crop_matrix",
    "resize",
    "rotate",
    "use_numpy_warp",
    "vflip",
    "warp_affine",
    "warp_affine_batch",
    "warp_affine_each",
]

#: images with at most this many pixels are warped in numpy (batchable, exact bilinear)
SMALL_PIXELS = 32 * 32
#: output pixels per pass of the numpy warp (its float temporaries then fit in cache)
_CHUNK_PIXELS = 8192


def hflip(img: np.ndarray) -> np.ndarray:
    """Mirror left-right (equals ``np.fliplr``)."""
    # cv2.flip: ~70x faster than a numpy copy of a negative-stride HWC view
    return keep_channels(_cv2().flip(img, 1), img)


def hflip_batch(xs: np.ndarray) -> np.ndarray:
    """Mirror every image of an N×H×W(×C) batch left-right: one OpenCV flip of the rows
    of all images (about 7× faster than a numpy copy of the negative-stride view)."""
    n, h, w = xs.shape[:3]
    if xs.dtype not in (np.uint8, np.float32) or n * h >= 2**31 or xs.size == 0:
        return np.ascontiguousarray(xs[:, :, ::-1])
    rows = np.ascontiguousarray(xs).reshape(n * h, w, *xs.shape[3:])
    return _cv2().flip(rows, 1).reshape(xs.shape)


def vflip(img: np.ndarray) -> np.ndarray:
    """Mirror top-bottom (equals ``np.flipud``)."""
    return keep_channels(_cv2().flip(img, 0), img)


# -- affine ----------------------------------------------------------------------------
def affine_matrices(
    h: int, w: int, angle: np.ndarray, tx: np.ndarray, ty: np.ndarray,
    scale: np.ndarray, shear: np.ndarray,
) -> np.ndarray:
    """Forward (source → destination) 2×3 matrices, shape ``(N, 2, 3)``.

    ``angle`` degrees counter-clockwise (as displayed), ``tx``/``ty`` in pixels,
    ``scale`` a factor, ``shear`` degrees along x; all about the image centre.
    """
    a = np.radians(np.asarray(angle, np.float64))
    s = np.asarray(scale, np.float64)
    k = np.tan(np.radians(np.asarray(shear, np.float64)))
    cos, sin = np.cos(a), np.sin(a)
    # s * R(angle) @ Shear(k), with R = [[cos, sin], [-sin, cos]] in y-down pixel space
    m00, m01 = s * cos, s * (cos * k + sin)
    m10, m11 = -s * sin, s * (cos - sin * k)
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    m = np.empty((a.shape[0], 2, 3))
    m[:, 0, 0], m[:, 0, 1] = m00, m01
    m[:, 1, 0], m[:, 1, 1] = m10, m11
    m[:, 0, 2] = cx + np.asarray(tx, np.float64) - (m00 * cx + m01 * cy)
    m[:, 1, 2] = cy + np.asarray(ty, np.float64) - (m10 * cx + m11 * cy)
    return m


def affine_matrix(
    h: int, w: int, *, angle: float = 0.0, translate_x: float = 0.0, translate_y: float = 0.0,
    scale: float = 1.0, shear: float = 0.0,
) -> np.ndarray:
    """The 3×3 forward matrix of :func:`affine` (shifts as fractions of the size).

    Example
    -------
    >>> m = affine_matrix(5, 5, angle=90)
    >>> (m @ [4, 0, 1]).round(6).tolist()   # the top-right corner goes to the top-left
    [0.0, 0.0, 1.0]
    """
    # the arithmetic of affine_matrices, on one set of numbers (the same float64 ufuncs
    # and operations in the same order, so the same bits, without building arrays)
    a = np.radians(np.float64(angle))
    k = float(np.tan(np.radians(np.float64(shear))))
    cos, sin, s = float(np.cos(a)), float(np.sin(a)), float(scale)
    m00, m01 = s * cos, s * (cos * k + sin)
    m10, m11 = -s * sin, s * (cos - sin * k)
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    tx, ty = float(translate_x * w), float(translate_y * h)
    return np.array([[m00, m01, cx + tx - (m00 * cx + m01 * cy)],
                     [m10, m11, cy + ty - (m10 * cx + m11 * cy)],
                     [0.0, 0.0, 1.0]])


def flip_matrix(h: int, w: int, *, horizontal: bool) -> np.ndarray:
    """The 3×3 forward matrix of :func:`hflip` (``horizontal``) or :func:`vflip`."""
    if horizontal:
        return np.array([[-1.0, 0.0, w - 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    return np.array([[1.0, 0.0, 0.0], [0.0, -1.0, h - 1.0], [0.0, 0.0, 1.0]])


def _invert(m: np.ndarray) -> np.ndarray:
    a, b, c, d = m[:, 0, 0], m[:, 0, 1], m[:, 1, 0], m[:, 1, 1]
    det = a * d - b * c
    inv = np.empty_like(m)
    inv[:, 0, 0], inv[:, 0, 1] = d / det, -b / det
    inv[:, 1, 0], inv[:, 1, 1] = -c / det, a / det
    inv[:, 0, 2] = -(inv[:, 0, 0] * m[:, 0, 2] + inv[:, 0, 1] * m[:, 1, 2])
    inv[:, 1, 2] = -(inv[:, 1, 0] * m[:, 0, 2] + inv[:, 1, 1] * m[:, 1, 2])
    return inv


def _border_index(i: np.ndarray, n: int, border: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Indices mapped into ``[0, n)`` and, for 'constant', the in-range mask."""
    if border == "constant":
        valid = (i >= 0) & (i < n)
        return np.clip(i, 0, n - 1), valid
    if border == "replicate" or n == 1:
        return np.clip(i, 0, n - 1), None
    if border == "wrap":
        return i % n, None
    period = 2 * n - 2  # reflect-101: -1 -> 1, n -> n - 2 (OpenCV's BORDER_REFLECT_101)
    i = np.abs(i) % period
    return np.where(i >= n, period - i, i), None


def warp_affine_batch(
    xs: np.ndarray, matrices: np.ndarray, interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Warp every image of ``xs`` (N×H×W or N×H×W×C) by its forward matrix, in numpy.

    One vectorised gather for the whole batch: each output pixel is mapped back through
    the inverse matrix and sampled (``nearest`` or exact ``bilinear``).
    """
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"numpy warp supports nearest/bilinear, not {interpolation!r}")
    n, h, w = xs.shape[:3]
    chunk = max(1, _CHUNK_PIXELS // max(1, h * w))
    if n > chunk:
        # per-pixel arithmetic, so chunks give the same bytes; chunks small enough for
        # the temporaries to stay in cache are several times faster than one pass
        out = np.empty(xs.shape, xs.dtype)
        m = np.asarray(matrices)
        for s in range(0, n, chunk):
            out[s:s + chunk] = warp_affine_batch(xs[s:s + chunk], m[s:s + chunk], interpolation=interpolation,
                                                 border=border, fill=fill)
        return out
    c = xs.shape[3] if xs.ndim == 4 else 1
    inv = _invert(np.asarray(matrices, np.float64)).astype(np.float32)
    gx = np.arange(w, dtype=np.float32)[None, None, :]
    gy = np.arange(h, dtype=np.float32)[None, :, None]
    a = inv[:, :, :, None, None]  # (N, 2, 3, 1, 1)
    # the y terms are per row (N, H, 1): two full-size passes per coordinate, not four
    sx = a[:, 0, 0] * gx + (a[:, 0, 1] * gy + a[:, 0, 2])
    sy = a[:, 1, 0] * gx + (a[:, 1, 1] * gy + a[:, 1, 2])
    if interpolation == "nearest":
        sx, sy = np.floor(sx + 0.5), np.floor(sy + 0.5)
    src = xs.reshape(n, h, w, c)
    if border in ("constant", "replicate"):
        # Clipping the coordinates is exact here: beyond one pixel outside the frame every
        # neighbour is the fill (constant: a 2-pixel pad of fill) or the edge (replicate:
        # a 1-pixel edge pad), so one gather from a padded copy needs no border logic.
        if border == "constant":
            pad, lo, hx, hy = 2, -1.0, float(w), float(h)
            padded = np.full((n, h + 4, w + 4, c), fill_scalar(xs.dtype, fill), np.float32)
            padded[:, 2:-2, 2:-2] = src
        else:
            pad, lo, hx, hy = 1, 0.0, float(w - 1), float(h - 1)
            padded = np.pad(src.astype(np.float32), ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
        np.clip(sx, lo, hx, out=sx)
        np.clip(sy, lo, hy, out=sy)
        flat = padded.reshape(-1, c) if c > 1 else padded.reshape(-1)
        wp = w + 2 * pad
        base = (np.arange(n, dtype=np.int32) * ((h + 2 * pad) * wp) + pad * wp + pad)[:, None, None]
        x0f, y0f = np.floor(sx), np.floor(sy)
        i00 = base + y0f.astype(np.int32) * wp + x0f.astype(np.int32)
        # np.take: several times faster than fancy indexing for a flat gather
        if interpolation == "nearest":
            out = np.take(flat, i00, axis=0)
        else:
            fx, fy = sx - x0f, sy - y0f
            if c > 1:
                fx, fy = fx[..., None], fy[..., None]
            v00, v01 = np.take(flat, i00, axis=0), np.take(flat, i00 + 1, axis=0)
            v10, v11 = np.take(flat, i00 + wp, axis=0), np.take(flat, i00 + (wp + 1), axis=0)
            top = v00 + (v01 - v00) * fx
            bot = v10 + (v11 - v10) * fx
            out = top + (bot - top) * fy
    else:
        out = _warp_generic(src, sx, sy, interpolation, border)
    if xs.dtype == np.uint8:
        out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    else:
        out = np.clip(out, 0.0, 1.0).astype(xs.dtype, copy=False)
    return out.reshape(xs.shape)


def _warp_generic(src: np.ndarray, sx: np.ndarray, sy: np.ndarray, interpolation: str,
                  border: str) -> np.ndarray:
    # reflect / wrap: map each neighbour's index into the frame
    n, h, w, c = src.shape
    flat = src.reshape(-1, c).astype(np.float32)
    base = (np.arange(n, dtype=np.intp) * (h * w))[:, None, None]

    def gather(yi: np.ndarray, xi: np.ndarray) -> np.ndarray:
        xi, _ = _border_index(xi, w, border)
        yi, _ = _border_index(yi, h, border)
        return np.take(flat, base + yi * w + xi, axis=0)

    x0f, y0f = np.floor(sx), np.floor(sy)
    x0, y0 = x0f.astype(np.intp), y0f.astype(np.intp)
    if interpolation == "nearest":
        return gather(y0, x0)
    fx, fy = (sx - x0f)[..., None], (sy - y0f)[..., None]
    top = gather(y0, x0) * (1 - fx) + gather(y0, x0 + 1) * fx
    bot = gather(y0 + 1, x0) * (1 - fx) + gather(y0 + 1, x0 + 1) * fx
    return top * (1 - fy) + bot * fy


def _cv_source(img: np.ndarray, border: str) -> np.ndarray:
    """The image OpenCV warps: a 1-px axis repeated to 3 px under the ``reflect`` border.

    OpenCV's reflect-101 never terminates on a 1-px axis with bicubic weights. Reflecting
    a single row (column) gives that row again, as do three copies of it, so the warp
    reads the same values and the output size (set by the caller) is unchanged.
    """
    if border != "reflect" or min(img.shape[:2]) > 1:
        return img
    reps = (3 if img.shape[0] == 1 else 1, 3 if img.shape[1] == 1 else 1) + (1,) * (img.ndim - 2)
    return np.tile(img, reps)


def use_numpy_warp(h: int, w: int, interpolation: str) -> bool:
    """Whether the per-image warp runs in numpy (small images; batchable)."""
    return h * w <= SMALL_PIXELS and interpolation in ("nearest", "bilinear")


def warp_affine(
    img: np.ndarray, matrix: np.ndarray, interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Warp one image by a forward 2×3 ``matrix`` (same size out)."""
    h, w = img.shape[:2]
    if use_numpy_warp(h, w, interpolation):
        m = np.asarray(matrix)[None]
        return warp_affine_batch(img[None], m, interpolation=interpolation, border=border,
                                 fill=fill)[0]
    cv2 = _cv2()
    out = cv2.warpAffine(
        _cv_source(img, border), np.asarray(matrix, np.float64), (w, h), flags=cv_interp(interpolation),
        borderMode=cv_border(border), borderValue=fill_value(img, fill),
    )
    if img.dtype == np.float32 and interpolation == "bicubic":
        np.clip(out, 0.0, 1.0, out=out)  # cubic weights overshoot
    return keep_channels(out, img)


def warp_affine_each(
    xs: np.ndarray, matrices: np.ndarray, interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray | None:
    """Warp every image of ``xs`` (N×H×W or N×H×W×C, uint8 or float32) by its own
    forward matrix with OpenCV, straight into one output array: what :func:`warp_affine`
    gives image by image, without its per-image overhead. ``None`` where that path does
    not apply (other dtypes, a 1-px axis, an empty batch): the caller loops."""
    if xs.dtype not in (np.uint8, np.float32) or xs.ndim not in (3, 4) or not len(xs) \
            or min(xs.shape[1:3]) < 2 or (xs.ndim == 4 and xs.shape[3] not in (1, 3, 4)):
        return None
    cv2 = _cv2()
    h, w = xs.shape[1:3]
    src = xs[..., 0] if xs.ndim == 4 and xs.shape[3] == 1 else xs  # OpenCV's 1-channel view
    out = np.empty_like(src)
    flags, mode = cv_interp(interpolation), cv_border(border)
    value = fill_value(xs[0], fill)
    m = np.asarray(matrices, np.float64)[:, :2]
    for i in range(len(src)):
        cv2.warpAffine(src[i], m[i], (w, h), dst=out[i], flags=flags, borderMode=mode,
                       borderValue=value)
    if xs.dtype == np.float32 and interpolation == "bicubic":
        np.clip(out, 0.0, 1.0, out=out)  # cubic weights overshoot
    return out.reshape(xs.shape)


def affine(
    img: np.ndarray, angle: float = 0.0, translate_x: float = 0.0, translate_y: float = 0.0,
    scale: float = 1.0, shear: float = 0.0, interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Rotate (``angle`` degrees, counter-clockwise), shift (``translate_x/y`` as fractions
    of the width/height), scale and shear (degrees along x) about the image centre."""
    h, w = img.shape[:2]
    m = affine_matrix(h, w, angle=angle, translate_x=translate_x, translate_y=translate_y, scale=scale,
                      shear=shear)[:2]
    return warp_affine(img, m, interpolation=interpolation, border=border, fill=fill)


def rotate(
    img: np.ndarray, angle: float, interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Rotate counter-clockwise by ``angle`` degrees about the centre, keeping the size.

    Multiples of 90° on a square image are exact (``np.rot90``).
    """
    h, w = img.shape[:2]
    if angle % 90 == 0 and h == w:
        return np.ascontiguousarray(np.rot90(img, k=int(angle // 90) % 4))
    return affine(img, angle=angle, interpolation=interpolation, border=border, fill=fill)


# -- resizing and crops ----------------------------------------------------------------
def resize(img: np.ndarray, height: int, width: int, interpolation: str = "bilinear") -> np.ndarray:
    """Resize to ``height`` × ``width`` pixels."""
    if img.shape[:2] == (height, width):
        return img.copy()
    cv2 = _cv2()
    out = cv2.resize(img, (width, height), interpolation=cv_interp(interpolation))
    if img.dtype == np.float32 and interpolation == "bicubic":
        np.clip(out, 0.0, 1.0, out=out)
    return keep_channels(out, img)


def random_resized_crop(
    img: np.ndarray, height: int, width: int, scale: float, ratio: float, pos_x: float,
    pos_y: float, interpolation: str = "bilinear",
) -> np.ndarray:
    """Crop a box covering ``scale`` of the area with aspect ``ratio`` (width/height),
    placed at relative position ``pos_x``, ``pos_y`` in [0, 1], and resize it to
    ``height`` × ``width``. The box is clipped to the image."""
    top, left, ch, cw = _rrc_box(img.shape[0], img.shape[1], scale, ratio, pos_x, pos_y)
    return resize(img[top:top + ch, left:left + cw], height, width, interpolation=interpolation)


def _rrc_box(h: int, w: int, scale: float, ratio: float, pos_x: float,
             pos_y: float) -> tuple[int, int, int, int]:
    area = scale * h * w
    cw = int(min(w, max(1, round(math.sqrt(area * ratio)))))
    ch = int(min(h, max(1, round(math.sqrt(area / ratio)))))
    left = round(pos_x * (w - cw))
    top = round(pos_y * (h - ch))
    return top, left, ch, cw


def _crop_resize_matrix(x0: float, y0: float, cw: float, ch: float, width: int,
                        height: int) -> np.ndarray:
    # source column x0 + u (u in [0, cw)) lands at (u + 0.5) * width / cw - 0.5: the
    # half-pixel convention of a bilinear resize
    sx, sy = width / cw, height / ch
    return np.array([[sx, 0.0, (0.5 - x0) * sx - 0.5], [0.0, sy, (0.5 - y0) * sy - 0.5],
                     [0.0, 0.0, 1.0]])


def random_resized_crop_matrix(h: int, w: int, height: int, width: int, scale: float, ratio: float,
                               pos_x: float, pos_y: float) -> np.ndarray:
    """The 3×3 forward matrix of :func:`random_resized_crop` on an ``h`` × ``w`` image."""
    top, left, ch, cw = _rrc_box(h, w, scale, ratio, pos_x, pos_y)
    return _crop_resize_matrix(left, top, cw, ch, width, height)


def crop_pad(
    img: np.ndarray, top: float, right: float, bottom: float, left: float,
    interpolation: str = "bilinear", border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Move each side by a fraction of the size (positive pads, negative crops), then
    resize back to the original size."""
    h, w = img.shape[:2]
    y0, y1, x0, x1, pads = _crop_pad_sides(h, w, top, right, bottom, left)
    out = img[y0:y1, x0:x1]
    if any(pads):
        cv2 = _cv2()
        # OpenCV reads the crop in place through its row stride: no contiguous copy first
        out = keep_channels(
            cv2.copyMakeBorder(out, *pads, cv_border(border), value=fill_value(img, fill)), img)
    return resize(out, h, w, interpolation=interpolation)


def _crop_pad_sides(h: int, w: int, top: float, right: float, bottom: float,
                    left: float) -> tuple[int, int, int, int, tuple[int, int, int, int]]:
    t, b = round(top * h), round(bottom * h)
    lf, r = round(left * w), round(right * w)
    # crop first (negative sides), never below one pixel
    y0, y1 = max(0, -t), h - max(0, -b)
    x0, x1 = max(0, -lf), w - max(0, -r)
    if y1 <= y0:
        y0, y1 = min(y0, h - 1), min(y0, h - 1) + 1
    if x1 <= x0:
        x0, x1 = min(x0, w - 1), min(x0, w - 1) + 1
    return y0, y1, x0, x1, (max(0, t), max(0, b), max(0, lf), max(0, r))


def crop_pad_matrix(h: int, w: int, top: float, right: float, bottom: float,
                    left: float) -> np.ndarray:
    """The 3×3 forward matrix of :func:`crop_pad` on an ``h`` × ``w`` image."""
    y0, y1, x0, x1, (pt, pb, pl, pr) = _crop_pad_sides(h, w, top, right, bottom, left)
    return _crop_resize_matrix(x0 - pl, y0 - pt, x1 - x0 + pl + pr, y1 - y0 + pt + pb, w, h)


# -- non-affine warps --------------------------------------------------------------------
def _remap(img: np.ndarray, map_x: np.ndarray, map_y: np.ndarray | None, interpolation: str,
           border: str, fill: float) -> np.ndarray:
    """``cv2.remap`` with float maps: ``map_x`` and ``map_y``, or one interleaved
    H×W×2 float32 ``map_x`` (``map_y`` None). OpenCV turns either form into the same
    fixed-point offsets block by block, so both give the same bytes."""
    cv2 = _cv2()
    # float maps, not fixed point: with OpenCV 5 a CV_16SC2 map moves values by up to
    # 7 grey levels (the float path interpolates exactly)
    map1 = map_x.astype(np.float32, copy=False)
    map2 = None if map_y is None else map_y.astype(np.float32, copy=False)
    out = cv2.remap(_cv_source(img, border), map1, map2,
                    cv_interp(interpolation), borderMode=cv_border(border),
                    borderValue=fill_value(img, fill))
    if img.dtype == np.float32 and interpolation == "bicubic":
        np.clip(out, 0.0, 1.0, out=out)
    return keep_channels(out, img)


def perspective(
    img: np.ndarray, scale: float, seed: int, interpolation: str = "bilinear",
    border: str = "constant", fill: float = 0.0,
) -> np.ndarray:
    """Move each corner by up to ``scale`` × the size in a direction drawn from ``seed``,
    and warp the image to the new quadrilateral."""
    h, w = img.shape[:2]
    m = perspective_matrix(h, w, scale, seed)
    cv2 = _cv2()
    out = cv2.warpPerspective(_cv_source(img, border), m, (w, h), flags=cv_interp(interpolation),
                              borderMode=cv_border(border), borderValue=fill_value(img, fill))
    if img.dtype == np.float32 and interpolation == "bicubic":
        np.clip(out, 0.0, 1.0, out=out)
    return keep_channels(out, img)


def perspective_matrix(h: int, w: int, scale: float, seed: int) -> np.ndarray:
    """The 3×3 forward homography of :func:`perspective` on an ``h`` × ``w`` image."""
    rng = np.random.default_rng(seed)
    # a 1-px side spans one pixel here: four corners on one line give no transform
    right, bottom = max(w - 1, 1), max(h - 1, 1)
    src = np.array([[0, 0], [right, 0], [right, bottom], [0, bottom]], np.float32)
    jitter = rng.uniform(-1.0, 1.0, (4, 2)) * scale * np.array([right, bottom])
    dst = (src + jitter).astype(np.float32)
    return _cv2().getPerspectiveTransform(src, dst)


def elastic(
    img: np.ndarray, alpha: float, sigma: float, seed: int, interpolation: str = "bilinear",
    border: str = "reflect", fill: float = 0.0,
) -> np.ndarray:
    """Elastic deformation (Simard et al. 2003): a random displacement field smoothed
    by a Gaussian of ``sigma`` × the short side, scaled so the largest displacement is
    ``alpha`` × the short side."""
    map_x, map_y = elastic_maps(img.shape[0], img.shape[1], alpha, sigma, seed)
    return _remap(img, map_x, map_y, interpolation=interpolation, border=border, fill=fill)


@lru_cache(maxsize=2)  # the image and its targets ask for the same field in turn
def elastic_maps(h: int, w: int, alpha: float, sigma: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(map_x, map_y)`` of :func:`elastic`: for each output pixel, the source point it
    is read from (float32, ``h`` × ``w``, read-only)."""
    side = min(h, w)
    cv2 = _cv2()
    rng = np.random.default_rng(seed)
    s = max(sigma * side, 0.5)
    fields = []
    for _ in range(2):
        f = cv2.GaussianBlur(rng.uniform(-1.0, 1.0, (h, w)).astype(np.float32), (0, 0), s)
        peak = float(np.abs(f).max())
        fields.append(f * np.float32(alpha * side / peak) if peak > 0 else f)
    gy, gx = np.mgrid[0:h, 0:w].astype(np.float32)
    map_x, map_y = gx + fields[0], gy + fields[1]
    map_x.setflags(write=False)
    map_y.setflags(write=False)
    return map_x, map_y


def grid_distortion(
    img: np.ndarray, num_steps: int, distort: float, seed: int,
    interpolation: str = "bilinear", border: str = "reflect", fill: float = 0.0,
) -> np.ndarray:
    """Split the image into ``num_steps`` × ``num_steps`` cells and stretch or squeeze
    each row and column of cells by up to ``distort`` (drawn from ``seed``)."""
    h, w = img.shape[:2]
    map_x, map_y = grid_distortion_maps(h, w, num_steps, distort, seed)
    # one interleaved float32 map filled from the two axis maps: no full-size float64
    # conversions, and OpenCV reads one array
    xy = np.empty((h, w, 2), np.float32)
    xy[:, :, 0] = map_x[0].astype(np.float32)
    xy[:, :, 1] = map_y[:, :1].astype(np.float32)
    return _remap(img, xy, None, interpolation=interpolation, border=border, fill=fill)


def grid_distortion_maps(h: int, w: int, num_steps: int, distort: float,
                         seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(map_x, map_y)`` of :func:`grid_distortion`: for each output pixel, the source
    point it is read from (``h`` × ``w``)."""
    rng = np.random.default_rng(seed)

    def axis_map(n: int) -> np.ndarray:
        sizes = 1.0 + rng.uniform(-distort, distort, num_steps)
        knots_src = np.concatenate([[0.0], np.cumsum(sizes)])
        knots_src *= (n - 1) / knots_src[-1]
        knots_dst = np.linspace(0.0, n - 1, num_steps + 1)
        return np.interp(np.arange(n, dtype=np.float64), knots_dst, knots_src)

    mx, my = axis_map(w), axis_map(h)
    map_x = np.broadcast_to(mx[None, :], (h, w))
    map_y = np.broadcast_to(my[:, None], (h, w))
    return map_x, map_y
