"""Blur and noise kernels. Noise is drawn from ``np.random.default_rng(seed)`` so the
kernel stays pure: same seed in, same bytes out."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from augviz.core.rng import seeded_generators

from ._common import _cv2, from_float, is_colour, join_alpha, keep_channels, split_alpha

__all__ = [
    "add_noise",
    "box_blur",
    "gaussian_blur",
    "gaussian_noise",
    "gaussian_noise_field",
    "gaussian_noise_fields",
    "iso_noise",
    "median_blur",
    "motion_blur",
    "motion_kernel",
    "noise_shape",
    "salt_pepper",
    "speckle",
]


def gaussian_blur(img: np.ndarray, sigma: float, size: int = 0) -> np.ndarray:
    """Gaussian blur with standard deviation ``sigma`` pixels. The kernel is ``size`` taps
    wide (an even size is raised to the next odd one); ``size=0`` makes it
    ``2 * int(3.5 * sigma) + 1`` wide (as Pillow and albumentations)."""
    if sigma <= 0 or size == 1:
        return img.copy()
    cv2 = _cv2()
    taps = 2 * int(3.5 * sigma) + 1 if size <= 0 else int(size) | 1
    k = cv2.getGaussianKernel(taps, float(sigma))
    # a separable float kernel is faster here than cv2.GaussianBlur's bit-exact uint8 path
    out = cv2.sepFilter2D(img, -1, k, k, borderType=cv2.BORDER_REFLECT_101)
    return keep_channels(out, img)


def box_blur(img: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a ``(2·radius + 1)``-pixel square (OpenCV ``blur``, reflected border)."""
    if radius <= 0:
        return img.copy()
    k = 2 * int(radius) + 1
    return keep_channels(_cv2().blur(img, (k, k)), img)


def median_blur(img: np.ndarray, radius: int) -> np.ndarray:
    """Median over a ``(2·radius + 1)``-pixel square; float images are filtered on their
    8-bit levels (OpenCV's median takes float only up to 5 px)."""
    if radius <= 0:
        return img.copy()
    cv2 = _cv2()
    k = 2 * int(radius) + 1
    colour, alpha = split_alpha(img)
    u8 = colour if colour.dtype == np.uint8 else np.clip(np.rint(colour * np.float32(255.0)), 0, 255).astype(
        np.uint8)
    out = keep_channels(cv2.medianBlur(np.ascontiguousarray(u8), k), u8)
    if img.dtype != np.uint8:
        out = out.astype(np.float32) * np.float32(1 / 255.0)
    return out if alpha is None else np.concatenate([out, alpha], axis=2)


def motion_kernel(length: int, angle: float) -> np.ndarray:
    """A normalised line kernel ``length`` pixels long at ``angle`` degrees (counter-clockwise)."""
    k = int(length) | 1  # odd, so the line is centred
    kernel = np.zeros((k, k), np.float32)
    c = k // 2
    a = math.radians(angle)
    dx, dy = math.cos(a), -math.sin(a)
    n = 4 * k  # dense samples so diagonal lines have no gaps
    t = np.linspace(-(length - 1) / 2.0, (length - 1) / 2.0, n)
    xs = np.clip(np.rint(c + t * dx).astype(int), 0, k - 1)
    ys = np.clip(np.rint(c + t * dy).astype(int), 0, k - 1)
    kernel[ys, xs] = 1.0
    return kernel / kernel.sum()


def motion_blur(img: np.ndarray, length: int, angle: float) -> np.ndarray:
    """Blur along a line of ``length`` pixels at ``angle`` degrees (camera shake)."""
    if length <= 1:
        return img.copy()
    cv2 = _cv2()
    line = motion_kernel(length=length, angle=angle)
    out = cv2.filter2D(img, -1, line, borderType=cv2.BORDER_REFLECT_101)
    return keep_channels(out, img)


def noise_shape(img_shape: tuple[int, ...], per_channel: bool) -> tuple[int, ...]:
    """Shape of the noise field: alpha excluded; one plane for all colours if not per channel."""
    h, w = img_shape[:2]
    c = img_shape[2] if len(img_shape) == 3 else 0
    colour = 3 if c == 4 else c
    if not per_channel or colour == 0:
        return (h, w, 1) if c else (h, w)
    return (h, w, colour)


def gaussian_noise_field(shape: tuple[int, ...], std: float, seed: int, uint8: bool) -> np.ndarray:
    """Zero-mean Gaussian noise, in the image's units (× 255 for uint8)."""
    noise = np.random.default_rng(seed).standard_normal(shape, np.float32)
    noise *= np.float32(std * (255.0 if uint8 else 1.0))  # in place: no second full-size array
    return noise


def gaussian_noise_fields(shape: tuple[int, ...], std: Any, seed: Any, uint8: bool) -> np.ndarray:
    """:func:`gaussian_noise_field` for many items at once: ``(N, *shape)``, item ``i``
    equal to ``gaussian_noise_field(shape, std[i], seed[i], uint8)`` bit for bit (each
    item still draws from its own seed; the seeding is done for all seeds together)."""
    std = np.asarray(std, np.float64).reshape(-1)
    out = np.empty((len(std), *shape), np.float32)
    for i, gen in enumerate(seeded_generators(seed)):
        gen.standard_normal(dtype=np.float32, out=out[i])
    # float64 std × 255 rounded once to float32: the scale of the single-item call
    out *= (std * (255.0 if uint8 else 1.0)).astype(np.float32).reshape(-1, *(1,) * len(shape))
    return out


#: dtypes whose sum or product with float32 is float32 (so float32 can hold it)
_SMALL = (np.dtype(np.uint8), np.dtype(np.float32))


def add_noise(img: np.ndarray, noise: np.ndarray, *, reuse_noise: bool = False) -> np.ndarray:
    """``img + noise`` on the colour channels, clipped and back in the image's dtype.
    Works on single images and N-batches alike (the batch path calls it once).
    ``reuse_noise=True`` lets a float32 ``noise`` of the colour channels' shape hold the
    sum (it is overwritten; the same bytes, one full-size array fewer)."""
    colour, alpha = split_alpha(img) if img.ndim == 3 else (img, None)
    if img.ndim == 4 and img.shape[3] == 4:
        colour, alpha = img[..., :3], img[..., 3:]
    if reuse_noise and noise.dtype == np.float32 and noise.shape == colour.shape and colour.dtype in _SMALL:
        out = np.add(noise, colour, out=noise)  # float32 + uint8 -> float32, as below
    else:
        out = colour + noise  # uint8 + float32 -> float32
    if img.dtype == np.uint8:
        out = np.clip(np.rint(out, out=out), 0, 255, out=out).astype(np.uint8)
    else:
        out = np.clip(out, 0.0, 1.0, out=out)
    if alpha is not None:
        out = np.concatenate([out, alpha], axis=-1)
    return out


def gaussian_noise(img: np.ndarray, std: float, seed: int, per_channel: bool = True) -> np.ndarray:
    """Add Gaussian noise of standard deviation ``std`` (a fraction of full scale)."""
    noise = gaussian_noise_field(noise_shape(img.shape, per_channel=per_channel), std=std,
                                 seed=seed, uint8=img.dtype == np.uint8)
    return add_noise(img, noise=noise, reuse_noise=True)


def speckle(img: np.ndarray, std: float, seed: int) -> np.ndarray:
    """Multiplicative noise: ``value × (1 + n)``, ``n`` Gaussian with ``std``."""
    shape = noise_shape(img.shape, per_channel=True)
    n = np.random.default_rng(seed).standard_normal(shape, np.float32)
    colour, _ = split_alpha(img)
    n *= np.float32(std)
    same = n.shape == colour.shape and colour.dtype in _SMALL
    return add_noise(img, noise=np.multiply(colour, n, out=n) if same else colour * n, reuse_noise=True)


def salt_pepper(img: np.ndarray, amount: float, salt: float, seed: int) -> np.ndarray:
    """Set a fraction ``amount`` of the pixels to white (``salt`` of them) or black."""
    r = np.random.default_rng(seed).random(img.shape[:2], np.float32)
    out = img.copy()
    hi = 255 if img.dtype == np.uint8 else 1.0
    white = r < amount * salt
    black = (r >= amount * salt) & (r < amount)
    colour = out[:, :, :3] if out.ndim == 3 and out.shape[2] == 4 else out
    colour[white] = hi
    colour[black] = 0
    return out


def iso_noise(img: np.ndarray, color_shift: float, intensity: float, seed: int) -> np.ndarray:
    """Camera sensor noise on a colour image (the albumentations ``ISONoise`` model): in HLS,
    Poisson lightness noise of rate ``intensity`` × the lightness spread, scaled by
    ``intensity`` and by the room left below white, and a Gaussian hue jitter of
    ``color_shift`` × ``intensity`` degrees. A grey image is returned as is."""
    if not is_colour(img):
        return img.copy()
    cv2 = _cv2()
    colour, alpha = split_alpha(img)
    f = colour.astype(np.float32) * np.float32(1 / 255.0) if colour.dtype == np.uint8 else colour
    hls = cv2.cvtColor(np.ascontiguousarray(f, dtype=np.float32), cv2.COLOR_RGB2HLS)
    _, spread = cv2.meanStdDev(hls)
    rng = np.random.default_rng(seed)
    lightness = rng.poisson(spread[1] * intensity, size=hls.shape[:2])
    hue = rng.normal(0, color_shift * intensity, size=hls.shape[:2])
    hls[..., 0] += hue
    hls[..., 1] += lightness * intensity * (1.0 - hls[..., 1])
    out = np.clip(cv2.cvtColor(hls, cv2.COLOR_HLS2RGB), 0.0, 1.0)
    return join_alpha(from_float(out, img.dtype), alpha)
