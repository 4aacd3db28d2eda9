"""Blur and noise transforms. Noise comes from the sampled ``seed`` (apply is pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import Bool, Float, Range, register

from .. import functional as F
from ..base import ImageTransform
from ._specs import uniform

__all__ = [
    "BoxBlur", "GaussianBlur", "GaussianNoise", "ISONoise", "MedianBlur", "MotionBlur", "SaltPepper",
    "Speckle",
]


@register("image.gaussian_blur")
class GaussianBlur(ImageTransform):
    """Gaussian blur with a standard deviation drawn from ``sigma`` (pixels).

    Example
    -------
    >>> import numpy as np
    >>> img = np.zeros((9, 9), np.float32); img[4, 4] = 1.0
    >>> out = GaussianBlur(sigma=1.0)(img)
    >>> bool(out[4, 4] < 1.0 and out[4, 5] > 0.0)
    True
    """

    __slots__ = ()
    family = "blur_noise"
    label_risk = "fine-detail labels (small text, texture classes) at sigma > ~2 px"
    PARAMS = (
        Range("sigma", 0.0, 20.0, (0.5, 1.5), step=0.1, unit="px",
              doc="Standard deviation of the blur."),
        Range("size", 0, 63, (0, 0), integer=True, step=1, unit="px",
              doc="Kernel width in taps (even widths are raised to the next odd one); 0 = "
                  "2·int(3.5·sigma) + 1."),
    )

    kernel = F.gaussian_blur


_RADIUS_DOC = "Half the kernel width: the kernel is 2·radius + 1 pixels square (0 keeps the image)."


@register("image.box_blur")
class BoxBlur(ImageTransform):
    """Mean over a square of ``2·radius + 1`` pixels (a cheap, blocky defocus).

    Example
    -------
    >>> import numpy as np
    >>> img = np.zeros((5, 5), np.float32); img[2, 2] = 9.0 / 255.0
    >>> out = BoxBlur(radius=1)(img)
    >>> round(float(out[1, 1]) * 255.0, 3), float(out[0, 0])
    (1.0, 0.0)
    """

    __slots__ = ()
    family = "blur_noise"
    label_risk = "fine-detail labels (small text, texture classes) at radius > ~2 px"
    PARAMS = (
        Range("radius", 0, 25, (1, 3), integer=True, step=1, unit="px", doc=_RADIUS_DOC),
    )

    kernel = F.box_blur


@register("image.median_blur")
class MedianBlur(ImageTransform):
    """Median over a square of ``2·radius + 1`` pixels: removes specks, keeps edges.

    Example
    -------
    >>> import numpy as np
    >>> img = np.zeros((5, 5), np.uint8); img[2, 2] = 255  # one hot pixel
    >>> int(MedianBlur(radius=1)(img).max())
    0
    """

    __slots__ = ()
    family = "blur_noise"
    label_risk = "thin strokes and small objects (one or two pixels wide) vanish at radius ≥ 1"
    PARAMS = (
        Range("radius", 0, 12, (1, 3), integer=True, step=1, unit="px", doc=_RADIUS_DOC),
    )

    kernel = F.median_blur


@register("image.motion_blur")
class MotionBlur(ImageTransform):
    """Blur along a straight line of ``length`` pixels at ``angle`` (camera shake).

    Example
    -------
    >>> import numpy as np
    >>> img = np.zeros((9, 9), np.float32); img[4, 4] = 1.0
    >>> out = MotionBlur(length=5, angle=0)(img)
    >>> bool(out[4, 2] > 0 and out[2, 4] == 0)
    True
    """

    __slots__ = ()
    family = "blur_noise"
    label_risk = "fine-detail labels; long blurs smear thin strokes (1 vs 7)"
    PARAMS = (
        Range("length", 1, 51, (3, 9), integer=True, step=1, unit="px",
              doc="Length of the blur line (1 keeps the image)."),
        Range("angle", -180.0, 180.0, (-180.0, 180.0), step=1.0, unit="degrees",
              doc="Direction of the motion, counter-clockwise from the x axis."),
    )

    kernel = F.motion_blur


@register("image.gaussian_noise")
class GaussianNoise(ImageTransform):
    """Add Gaussian noise with a standard deviation drawn from ``std`` (× full scale).

    Example
    -------
    >>> import numpy as np
    >>> img = np.full((8, 8), 0.5, np.float32)
    >>> out = GaussianNoise(std=0.1)(img, rng=0)
    >>> 0.0 < float(out.std()) < 0.2
    True
    """

    __slots__ = ()
    family = "blur_noise"
    uses_seed = True
    label_risk = "low for std < ~0.1; heavy noise hides small or low-contrast objects"
    PARAMS = (
        Range("std", 0.0, 1.0, (0.02, 0.08), step=0.005, unit="× full scale",
              doc="Standard deviation of the noise."),
        Bool("per_channel", True,
             doc="Independent noise per colour channel (else one grey field)."),
    )

    kernel = F.gaussian_noise

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        fixed = uniform(values, "per_channel") if isinstance(xs, np.ndarray) else None
        if fixed is None or xs.ndim not in (3, 4) or not len(xs):
            return super().apply_batch(xs, values)
        shape = F.noise_shape(xs.shape[1:], per_channel=fixed[0])
        u8 = xs.dtype == np.uint8
        # each item's noise comes from its own seed (that is what makes replay exact);
        # the draws are per item, the arithmetic is one operation on the batch
        noise = F.gaussian_noise_fields(shape, std=values["std"], seed=values["seed"], uint8=u8)
        return F.add_noise(xs, noise=noise, reuse_noise=True)


@register("image.iso_noise")
class ISONoise(ImageTransform):
    """Camera sensor (ISO) noise: grainy lightness and a slight hue jitter.

    Poisson lightness noise and a Gaussian hue jitter, both stronger at high ``intensity``
    (albumentations' ISONoise model); a grey image is left as is.

    Example
    -------
    >>> import numpy as np
    >>> img = np.random.default_rng(0).integers(0, 256, (16, 16, 3)).astype(np.uint8)
    >>> out = ISONoise(color_shift=0.05, intensity=0.8)(img, rng=0)
    >>> out.shape == img.shape and bool((out != img).any())
    True
    """

    __slots__ = ()
    family = "blur_noise"
    uses_seed = True
    label_risk = "low for intensity < ~0.5; heavy grain hides small or low-contrast objects"
    PARAMS = (
        Range("color_shift", 0.0, 1.0, (0.01, 0.05), step=0.005,
              doc="Hue jitter (with intensity: degrees of standard deviation)."),
        Range("intensity", 0.0, 2.0, (0.1, 0.5), step=0.01, doc="Strength of the grain."),
    )

    kernel = F.iso_noise


@register("image.salt_pepper")
class SaltPepper(ImageTransform):
    """Set a fraction ``amount`` of the pixels to white (a ``salt`` share) or black.

    Example
    -------
    >>> import numpy as np
    >>> out = SaltPepper(amount=0.5)(np.full((20, 20), 128, np.uint8), rng=0)
    >>> sorted(set(out.ravel().tolist()))
    [0, 128, 255]
    """

    __slots__ = ()
    family = "blur_noise"
    uses_seed = True
    label_risk = "low for < 5 %; dense noise breaks thin strokes and small objects"
    PARAMS = (
        Range("amount", 0.0, 1.0, (0.01, 0.05), step=0.005, unit="fraction",
              doc="Fraction of pixels replaced."),
        Float("salt", 0.0, 1.0, 0.5, step=0.05, doc="Share of replaced pixels set to white."),
    )

    kernel = F.salt_pepper


@register("image.speckle")
class Speckle(ImageTransform):
    """Multiplicative noise ``value × (1 + n)``, ``n`` Gaussian with ``std`` (radar-like).

    Example
    -------
    >>> import numpy as np
    >>> Speckle(std=0.3)(np.zeros((4, 4), np.float32), rng=0).max()  # black stays black
    np.float32(0.0)
    """

    __slots__ = ()
    family = "blur_noise"
    uses_seed = True
    label_risk = "low for std < ~0.2; bright textures get grainy"
    PARAMS = (
        Range("std", 0.0, 1.0, (0.05, 0.2), step=0.005,
              doc="Standard deviation of the multiplier noise."),
    )

    kernel = F.speckle
