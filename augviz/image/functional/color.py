"""Colour and tone kernels: point ops through uint8 LUTs, colour-space ops through OpenCV.

Colour ops leave an alpha (4th) channel alone; on grey images saturation and hue are
no-ops (a grey pixel has no saturation or hue).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._common import (
    LEVELS,
    _cv2,
    apply_lut,
    from_float,
    is_colour,
    join_alpha,
    keep_channels,
    levels_to_uint8,
    n_channels,
    point_op,
    split_alpha,
    translate_inplace,
)

__all__ = [
    "add_brightness", "adjust_contrast", "adjust_gamma", "adjust_hue", "adjust_saturation",
    "autocontrast", "channel_shuffle", "clahe", "color_jitter", "contrast_mean", "contrast_means",
    "contrast_values", "equalize", "grayscale", "invert",
    "multiply_brightness", "permute_channels", "posterize", "rgb_shift", "sharpen", "solarize",
]


def _colour_only(img: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    colour, alpha = split_alpha(img)
    if alpha is None:
        return fn(img)
    return join_alpha(fn(np.ascontiguousarray(colour)), alpha)


def add_brightness(img: np.ndarray, delta: float) -> np.ndarray:
    """Add ``delta`` (a fraction of full scale) to every colour value, clipping at the ends."""
    def fn(a: np.ndarray) -> np.ndarray:
        if a.dtype == np.uint8:
            lut = np.clip(np.arange(256, dtype=np.float32) + np.float32(delta * 255.0), 0, 255)
            return apply_lut(a, np.rint(lut).astype(np.uint8))
        return np.clip(a + np.float32(delta), 0.0, 1.0, dtype=np.float32)
    return _colour_only(img, fn)


def multiply_brightness(img: np.ndarray, factor: float) -> np.ndarray:
    """Multiply every colour value by ``factor`` (torchvision's brightness)."""
    f = np.float32(factor)
    return _colour_only(img, lambda a: point_op(a, lambda v: v * f))


#: ITU-R 601 luma weights (Pillow's ``convert("L")``, torchvision's grayscale).
LUMA_WEIGHTS = (0.299, 0.587, 0.114)


def contrast_mean(img: np.ndarray) -> float:
    """The contrast pivot: the mean luma of an RGB image (as Pillow, torchvision and
    albumentations' ColorJitter), else the mean value; alpha excluded, in the image's
    own units."""
    colour, _ = split_alpha(img)
    if colour.ndim == 3 and colour.shape[2] > 4:
        return float(colour.mean(dtype=np.float64))
    colour = np.ascontiguousarray(colour)
    if colour.dtype == np.uint8:
        # cv2.sumElems is several times faster than cv2.mean on uint8 and, scaled the way
        # cv2.mean scales its sums (× 1/count), gives the same means to the last bit
        inv = 1.0 / (colour.shape[0] * colour.shape[1])
        means = tuple(v * inv for v in _cv2().sumElems(colour)[:n_channels(colour)])
    else:
        means = _cv2().mean(colour)[:n_channels(colour)]
    if len(means) == 3:
        return float(np.dot(means, LUMA_WEIGHTS))
    return float(np.mean(means))


def contrast_means(colour: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """:func:`contrast_mean` of a batch: ``colour`` is N×H×W or N×H×W×C (no alpha) and
    ``axes`` are the axes to average over (kept as size 1)."""
    if colour.ndim == 4 and colour.shape[-1] == 3:
        per_channel = colour.mean(axis=axes[:-1], dtype=np.float64, keepdims=True)
        return (per_channel * np.asarray(LUMA_WEIGHTS)).sum(axis=-1, keepdims=True)
    return colour.mean(axis=axes, dtype=np.float64, keepdims=True)


def contrast_values(
    v: np.ndarray, mean: float | np.ndarray, factor: float | np.ndarray
) -> np.ndarray:
    """``mean + factor * (v - mean)`` in float32 (shared by the LUT and the batch path)."""
    m = np.asarray(mean, np.float32)
    return m + np.asarray(factor, np.float32) * (v - m)


def adjust_contrast(img: np.ndarray, factor: float) -> np.ndarray:
    """Scale the distance of every value from the image's mean luma by ``factor``
    (Pillow's ``ImageEnhance.Contrast``)."""
    mean = contrast_mean(img)

    def fn(a: np.ndarray) -> np.ndarray:
        if a.dtype == np.uint8:
            m = np.float32(mean)
            lut = (LEVELS - m) * np.float32(factor)  # contrast_values, in fewer calls
            lut += m
            return apply_lut(a, levels_to_uint8(lut))
        return np.clip(contrast_values(a, mean=mean, factor=factor), 0.0, 1.0)
    return _colour_only(img, fn)


def _gray(colour: np.ndarray) -> np.ndarray:
    """Luma (ITU-R 601) of an RGB array, HW."""
    return _cv2().cvtColor(colour, _cv2().COLOR_RGB2GRAY)


def adjust_saturation(img: np.ndarray, factor: float) -> np.ndarray:
    """Blend with the grey version: 0 grey, 1 unchanged, >1 more saturated."""
    if not is_colour(img):
        return img.copy()
    cv2 = _cv2()

    def fn(a: np.ndarray) -> np.ndarray:
        gray = cv2.cvtColor(_gray(a), cv2.COLOR_GRAY2RGB)
        out = cv2.addWeighted(a, float(factor), gray, float(1.0 - factor), 0.0)
        return np.clip(out, 0.0, 1.0) if a.dtype == np.float32 else out
    return _colour_only(img, fn)


def adjust_hue(img: np.ndarray, shift: float) -> np.ndarray:
    """Rotate the hue by ``shift`` turns (0.5 = half way round the colour wheel)."""
    if not is_colour(img) or shift == 0:
        return img.copy()
    cv2 = _cv2()

    def fn(a: np.ndarray) -> np.ndarray:
        hsv = cv2.cvtColor(a, cv2.COLOR_RGB2HSV)
        if a.dtype == np.uint8:  # OpenCV's 8-bit hue runs 0..179
            lut = ((np.arange(256) + round(shift * 180)) % 180).astype(np.uint8)
            # the hue plane made contiguous once and translated in place (cv2.LUT on the
            # strided view copies it in and out and is slower than the translation)
            hsv[:, :, 0] = translate_inplace(np.ascontiguousarray(hsv[:, :, 0]), lut)
        else:
            hsv[:, :, 0] = np.mod(hsv[:, :, 0] + np.float32(shift * 360.0), np.float32(360.0))
        out = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
        return np.clip(out, 0.0, 1.0) if a.dtype == np.float32 else out
    return _colour_only(img, fn)


def adjust_gamma(img: np.ndarray, gamma: float) -> np.ndarray:
    """``value ** gamma`` on the 0..1 scale (>1 darker mid-tones, <1 lighter)."""
    g = np.float32(gamma)
    return _colour_only(img, lambda a: point_op(a, lambda v: np.power(v, g)))


def color_jitter(img: np.ndarray, brightness: float, contrast: float, saturation: float,
                 hue: float) -> np.ndarray:
    """Brightness (×), contrast, saturation and hue, in that fixed order."""
    out = multiply_brightness(img, factor=brightness)
    out = adjust_contrast(out, factor=contrast)
    out = adjust_saturation(out, factor=saturation)
    return adjust_hue(out, shift=hue)


def grayscale(img: np.ndarray) -> np.ndarray:
    """Replace each colour by its luma; the channel count is kept (grey stays grey)."""
    if not is_colour(img):
        return img.copy()
    cv2 = _cv2()
    return _colour_only(img, lambda a: cv2.cvtColor(_gray(a), cv2.COLOR_GRAY2RGB))


def invert(img: np.ndarray) -> np.ndarray:
    """``1 - value`` (255 - value for uint8)."""
    def fn(a: np.ndarray) -> np.ndarray:
        return keep_channels(_cv2().bitwise_not(a), a) if a.dtype == np.uint8 else 1.0 - a
    return _colour_only(img, fn)


def _via_uint8(img: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    # ops defined on 256 levels (posterize, equalize) run on uint8 and come back
    if img.dtype == np.uint8:
        return fn(img)
    u8 = from_float(img, np.uint8)
    return fn(u8).astype(np.float32) * np.float32(1 / 255.0)


def posterize(img: np.ndarray, bits: int) -> np.ndarray:
    """Keep the ``bits`` most significant bits of each 8-bit value."""
    mask = (0xFF << (8 - int(bits))) & 0xFF
    lut = (np.arange(256) & mask).astype(np.uint8)
    return _colour_only(img, lambda a: _via_uint8(a, lambda u: apply_lut(u, lut)))


def solarize(img: np.ndarray, threshold: float) -> np.ndarray:
    """Invert every value at or above ``threshold`` (on the 0..1 scale)."""
    t = np.float32(threshold)
    if img.dtype == np.uint8:  # compare on the uint8 levels themselves
        levels = np.arange(256)
        lut = np.where(levels >= threshold * 255.0, 255 - levels, levels).astype(np.uint8)
        return _colour_only(img, lambda a: apply_lut(a, lut))
    return _colour_only(img, lambda a: np.where(a >= t, 1.0 - a, a).astype(np.float32))


def equalize(img: np.ndarray, mode: str = "channels") -> np.ndarray:
    """Histogram equalisation per channel (``"channels"``) or on the luma only (``"luma"``)."""
    cv2 = _cv2()

    def eq(u: np.ndarray) -> np.ndarray:
        if u.ndim == 2 or u.shape[2] == 1:
            return keep_channels(cv2.equalizeHist(np.ascontiguousarray(u.reshape(u.shape[:2]))), u)
        if mode == "luma":
            ycc = cv2.cvtColor(u, cv2.COLOR_RGB2YCrCb)
            ycc[:, :, 0] = cv2.equalizeHist(np.ascontiguousarray(ycc[:, :, 0]))
            return cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB)
        planes = [cv2.equalizeHist(np.ascontiguousarray(u[:, :, k])) for k in range(u.shape[2])]
        return np.dstack(planes)
    return _colour_only(img, lambda a: _via_uint8(a, eq))


def _channel_ranges(chans: np.ndarray, cutoff: float) -> list[tuple[float, float]]:
    """Each channel's ``(lo, hi)``: its extremes, or its ``cutoff`` quantiles."""
    if cutoff > 0:
        return [tuple(float(q) for q in np.quantile(chans[:, :, k], [cutoff, 1.0 - cutoff]))
                for k in range(chans.shape[2])]
    return [(float(chans[:, :, k].min()), float(chans[:, :, k].max())) for k in range(chans.shape[2])]


def autocontrast(img: np.ndarray, cutoff: float = 0.0) -> np.ndarray:
    """Stretch each channel so its ``cutoff`` and ``1 - cutoff`` quantiles map to 0 and 1."""
    def fn(a: np.ndarray) -> np.ndarray:
        chans = a.reshape(a.shape[0], a.shape[1], -1)
        n = chans.shape[2]
        if n > 4 or chans.size == 0:  # beyond OpenCV's channel count: one plane at a time
            return _autocontrast_planes(a, chans, cutoff)
        if a.dtype == np.uint8 and cutoff <= 0:
            return _autocontrast_uint8(a, chans)
        ranges = _channel_ranges(chans, cutoff)
        if a.dtype == np.uint8:
            luts = [_stretch_lut(lo, hi) for lo, hi in ranges]
            out = _cv2().LUT(np.ascontiguousarray(chans),
                             np.stack(luts, axis=1).reshape(1, 256, n) if n > 1 else luts[0])
            return out.reshape(a.shape)
        lo = np.array([r[0] if r[1] > r[0] else 0.0 for r in ranges], np.float32)
        scale = np.array([1.0 / (r[1] - r[0]) if r[1] > r[0] else 1.0 for r in ranges], np.float32)
        out = np.clip((chans - lo) * scale, 0.0, 1.0)
        for k, (l_k, h_k) in enumerate(ranges):
            if h_k <= l_k:  # a flat channel is kept as it is
                out[:, :, k] = chans[:, :, k]
        return out.reshape(a.shape)
    return _colour_only(img, fn)


def _stretch_lut(lo: float, hi: float) -> np.ndarray:
    """The 256-entry table that maps ``lo`` to 0 and ``hi`` to 255 (identity if flat)."""
    if hi <= lo:
        return np.arange(256, dtype=np.uint8)
    return levels_to_uint8((LEVELS - np.float32(lo)) * np.float32(255.0 / (hi - lo)))


def _autocontrast_uint8(a: np.ndarray, chans: np.ndarray) -> np.ndarray:
    # contiguous planes: OpenCV's min/max and a byte translation per plane, instead of
    # strided reductions and a 3-channel cv2.LUT (the same tables, so the same bytes)
    cv2 = _cv2()
    planes = cv2.split(np.ascontiguousarray(chans)) if chans.shape[2] > 1 else [
        np.array(chans[:, :, 0], order="C")]
    out = []
    for plane in planes:
        lo, hi = cv2.minMaxLoc(plane)[:2]
        out.append(translate_inplace(plane, _stretch_lut(lo, hi)))
    merged = cv2.merge(out) if len(out) > 1 else out[0]
    return merged.reshape(a.shape)


def _autocontrast_planes(a: np.ndarray, chans: np.ndarray, cutoff: float) -> np.ndarray:
    out = np.empty_like(chans)
    for k in range(chans.shape[2]):
        c = chans[:, :, k]
        if cutoff > 0:
            lo, hi = np.quantile(c, [cutoff, 1.0 - cutoff])
        else:
            lo, hi = c.min(), c.max()
        lo, hi = float(lo), float(hi)
        if hi <= lo:
            out[:, :, k] = c
            continue
        if a.dtype == np.uint8:
            lut = (np.arange(256, dtype=np.float32) - lo) * np.float32(255.0 / (hi - lo))
            out[:, :, k] = cv2_lut(c, np.clip(np.rint(lut), 0, 255).astype(np.uint8))
        else:
            out[:, :, k] = np.clip((c - np.float32(lo)) * np.float32(1.0 / (hi - lo)), 0.0, 1.0)
    return out.reshape(a.shape)


def cv2_lut(c: np.ndarray, lut: np.ndarray) -> np.ndarray:
    return _cv2().LUT(np.ascontiguousarray(c), lut)


def sharpen(img: np.ndarray, amount: float, sigma: float = 1.0) -> np.ndarray:
    """Unsharp mask: add ``amount`` × (image − Gaussian blur of ``sigma`` pixels)."""
    cv2 = _cv2()

    from .blur_noise import gaussian_blur

    def fn(a: np.ndarray) -> np.ndarray:
        blur = gaussian_blur(a, sigma=sigma)
        out = keep_channels(cv2.addWeighted(a, 1.0 + amount, blur, -float(amount), 0.0), a)
        return np.clip(out, 0.0, 1.0) if a.dtype == np.float32 else out
    return _colour_only(img, fn)


def clahe(img: np.ndarray, clip_limit: float, tiles: int = 8) -> np.ndarray:
    """Contrast-limited adaptive histogram equalisation on a ``tiles × tiles`` grid: on the
    L channel of CIE Lab for colour images, on the values for grey ones (as OpenCV and
    albumentations). Float images are equalised on their 8-bit levels."""
    cv2 = _cv2()
    op = cv2.createCLAHE(clipLimit=float(clip_limit), tileGridSize=(int(tiles), int(tiles)))

    def fn(u: np.ndarray) -> np.ndarray:
        if u.ndim == 2 or u.shape[2] == 1:
            return keep_channels(op.apply(np.ascontiguousarray(u.reshape(u.shape[:2]))), u)
        lab = cv2.cvtColor(np.ascontiguousarray(u), cv2.COLOR_RGB2LAB)
        lab[:, :, 0] = op.apply(np.ascontiguousarray(lab[:, :, 0]))
        return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
    return _colour_only(img, lambda a: _via_uint8(a, fn))


def permute_channels(img: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """The colour channels in ``order`` (output channel ``i`` is input channel ``order[i]``);
    alpha stays last; a grey image is returned as is."""
    if not is_colour(img):
        return img.copy()
    colour, alpha = split_alpha(img)
    return join_alpha(np.ascontiguousarray(colour[:, :, list(order)]), alpha)


def channel_shuffle(img: np.ndarray, seed: int) -> np.ndarray:
    """The colour channels in an order drawn uniformly from all permutations by ``seed``."""
    if not is_colour(img):
        return img.copy()
    k = split_alpha(img)[0].shape[2]
    order = np.random.default_rng(seed).permutation(k)
    return permute_channels(img, order=tuple(int(i) for i in order))


def rgb_shift(img: np.ndarray, red: float, green: float, blue: float) -> np.ndarray:
    """Add ``red``, ``green`` and ``blue`` (fractions of full scale) to their channels,
    clipping at the ends; a grey image is returned as is."""
    if not is_colour(img):
        return img.copy()
    colour, alpha = split_alpha(img)
    shift = np.array([red, green, blue], np.float32)
    if colour.dtype == np.uint8:
        out = np.clip(np.rint(colour + shift * np.float32(255.0)), 0, 255).astype(np.uint8)
    else:
        out = np.clip(colour + shift, 0.0, 1.0).astype(np.float32)
    return join_alpha(out, alpha)
