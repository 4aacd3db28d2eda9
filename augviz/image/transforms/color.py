"""Colour and tone transforms. They leave an alpha channel alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import Choice, Float, Int, Range, register

from .. import functional as F
from ..base import ImageTransform

__all__ = [
    "CLAHE",
    "AutoContrast",
    "Brightness",
    "ChannelShuffle",
    "ColorJitter",
    "Contrast",
    "Equalize",
    "Gamma",
    "Grayscale",
    "Hue",
    "Invert",
    "Posterize",
    "RGBShift",
    "Saturation",
    "Sharpen",
    "Solarize",
]


def _colour_view(xs: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A batch's colour part and alpha (N×H×W×4 keeps alpha apart)."""
    if xs.ndim == 4 and xs.shape[3] == 4:
        return xs[..., :3], xs[..., 3:]
    return xs, None


@register("image.brightness")
class Brightness(ImageTransform):
    """Shift brightness by adding ``delta`` × full scale to every pixel.

    Example
    -------
    >>> import numpy as np
    >>> Brightness(delta=0.1)(np.zeros((2, 2), np.uint8)).max()
    np.uint8(26)
    """

    __slots__ = ()
    family = "color"
    label_risk = "low: only when the label is about lighting (day/night, exposure)"
    PARAMS = (
        Range("delta", -1.0, 1.0, (-0.2, 0.2), step=0.01, unit="× full scale",
              doc="Amount added to every pixel."),
    )

    kernel = F.add_brightness

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim in (3, 4):
            colour, alpha = _colour_view(xs)
            shape = (-1,) + (1,) * (xs.ndim - 1)
            delta = np.asarray(values["delta"], np.float64).reshape(shape)
            if xs.dtype == np.uint8:  # same float32 arithmetic as the per-image LUT
                shifted = colour + (delta * 255.0).astype(np.float32)
                out = np.clip(np.rint(shifted), 0, 255).astype(np.uint8)
            else:
                out = np.clip(colour + delta.astype(np.float32), 0.0, 1.0, dtype=np.float32)
            return out if alpha is None else np.concatenate([out, alpha], axis=-1)
        return super().apply_batch(xs, values)


@register("image.contrast")
class Contrast(ImageTransform):
    """Scale every value's distance from the image's mean luma by ``factor`` (1 =
    unchanged, 0 = flat grey at the mean), as Pillow and torchvision do.

    Example
    -------
    >>> import numpy as np
    >>> img = np.array([[0, 100, 200]], np.uint8)
    >>> Contrast(factor=0.5)(img).tolist()
    [[50, 100, 150]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "low; a factor near 0 erases faint objects"
    PARAMS = (
        Range("factor", 0.0, 3.0, (0.8, 1.2), step=0.01, unit="×",
              doc="Contrast factor (1 keeps the image)."),
    )

    kernel = F.adjust_contrast

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim in (3, 4) and len(xs):
            colour, alpha = _colour_view(xs)
            shape = (-1,) + (1,) * (xs.ndim - 1)
            axes = tuple(range(1, xs.ndim))
            mean = F.contrast_means(colour, axes)
            factor = np.asarray(values["factor"], np.float64).reshape(shape)
            out = F.contrast_values(colour.astype(np.float32), mean=mean, factor=factor)
            if xs.dtype == np.uint8:
                out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
            else:
                out = np.clip(out, 0.0, 1.0)
            return out if alpha is None else np.concatenate([out, alpha], axis=-1)
        return super().apply_batch(xs, values)


@register("image.saturation")
class Saturation(ImageTransform):
    """Blend with the grey version: ``factor`` 0 is grey, 1 unchanged, >1 more vivid.
    Grey images are returned unchanged.

    Example
    -------
    >>> import numpy as np
    >>> out = Saturation(factor=0)(np.array([[[255, 0, 0]]], np.uint8))
    >>> bool(out[0, 0, 0] == out[0, 0, 1] == out[0, 0, 2])
    True
    """

    __slots__ = ()
    family = "color"
    label_risk = "labels defined by colour (ripe/unripe, traffic lights) at low factors"
    PARAMS = (
        Range("factor", 0.0, 3.0, (0.7, 1.3), step=0.01, unit="×",
              doc="Saturation factor (1 keeps the image)."),
    )

    kernel = F.adjust_saturation


@register("image.hue")
class Hue(ImageTransform):
    """Rotate the hue by ``shift`` turns of the colour wheel (0.5 = opposite colours).
    Grey images are returned unchanged.

    Example
    -------
    >>> import numpy as np
    >>> Hue(shift=1 / 3)(np.array([[[255, 0, 0]]], np.uint8)).tolist()
    [[[0, 255, 0]]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "colour-defined labels (species, fruit ripeness, signs) beyond ~0.05"
    PARAMS = (
        Range("shift", -0.5, 0.5, (-0.05, 0.05), step=0.005, unit="turns",
              doc="Hue rotation as a fraction of the colour wheel."),
    )

    kernel = F.adjust_hue


@register("image.gamma")
class Gamma(ImageTransform):
    """Gamma curve ``value ** gamma``: >1 darkens mid-tones, <1 lightens them.

    Example
    -------
    >>> import numpy as np
    >>> float(Gamma(gamma=2.0)(np.full((1, 1), 0.5, np.float32))[0, 0])
    0.25
    """

    __slots__ = ()
    family = "color"
    label_risk = "low; extreme values crush shadows or highlights"
    PARAMS = (
        Range("gamma", 0.2, 5.0, (0.8, 1.25), step=0.01, log=True, unit="exponent",
              doc="Exponent of the gamma curve (1 keeps the image)."),
    )

    kernel = F.adjust_gamma


@register("image.color_jitter")
class ColorJitter(ImageTransform):
    """Brightness (×), contrast, saturation and hue jitter in one step, applied in
    that fixed order (as torchvision's ColorJitter, minus its random order).

    Example
    -------
    >>> import numpy as np
    >>> img = np.full((4, 4, 3), 100, np.uint8)
    >>> ColorJitter(brightness=1, contrast=1, saturation=1, hue=0)(img).tolist() == img.tolist()
    True
    """

    __slots__ = ()
    family = "color"
    label_risk = "colour-defined labels when hue/saturation ranges are wide"
    PARAMS = (
        Range("brightness", 0.0, 3.0, (0.8, 1.2), step=0.01, unit="×",
              doc="Brightness factor (multiplies every value)."),
        Range("contrast", 0.0, 3.0, (0.8, 1.2), step=0.01, unit="×", doc="Contrast factor."),
        Range("saturation", 0.0, 3.0, (0.8, 1.2), step=0.01, unit="×", doc="Saturation factor."),
        Range("hue", -0.5, 0.5, (-0.05, 0.05), step=0.005, unit="turns", doc="Hue rotation."),
    )

    kernel = F.color_jitter


@register("image.grayscale")
class Grayscale(ImageTransform):
    """Replace colours by their luma (ITU-R 601), keeping the number of channels.

    Example
    -------
    >>> import numpy as np
    >>> out = Grayscale()(np.array([[[255, 0, 0]]], np.uint8))
    >>> out.tolist()
    [[[76, 76, 76]]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "labels carried by colour alone (red vs green apples, flags)"

    kernel = F.grayscale


@register("image.invert")
class Invert(ImageTransform):
    """Negative image: ``1 - value`` (255 - value for uint8).

    Example
    -------
    >>> import numpy as np
    >>> Invert()(np.array([[0, 255]], np.uint8)).tolist()
    [[255, 0]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "light-on-dark vs dark-on-light labels; x-rays and ink scans change meaning"

    kernel = F.invert


@register("image.posterize")
class Posterize(ImageTransform):
    """Keep only the ``bits`` most significant bits of each 8-bit value (fewer tones).

    Example
    -------
    >>> import numpy as np
    >>> Posterize(bits=2)(np.array([[0, 100, 200, 255]], np.uint8)).tolist()
    [[0, 64, 192, 192]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "low at ≥ 4 bits; 1–2 bits erase faint detail"
    PARAMS = (
        Range("bits", 1, 8, (4, 8), integer=True, step=1, unit="bits",
              doc="Bits kept per channel (8 keeps the image)."),
    )

    kernel = F.posterize


@register("image.solarize")
class Solarize(ImageTransform):
    """Invert every value at or above ``threshold`` (0..1 of full scale).

    Example
    -------
    >>> import numpy as np
    >>> Solarize(threshold=0.5)(np.array([[100, 200]], np.uint8)).tolist()
    [[100, 55]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "strong tone change: bright objects turn dark at low thresholds"
    PARAMS = (
        Range("threshold", 0.0, 1.0, (0.5, 1.0), step=0.01, unit="× full scale",
              doc="Values at or above this are inverted (1 keeps the image)."),
    )

    kernel = F.solarize


@register("image.equalize")
class Equalize(ImageTransform):
    """Histogram equalisation, per channel or on the luma only (Pillow's rule, as
    torchvision's RandomEqualize; an image of fewer than ~256 pixels is left unchanged).

    Example
    -------
    >>> import numpy as np
    >>> out = Equalize()(np.repeat(np.array([[100, 101, 102, 103]], np.uint8), 300, axis=0))
    >>> int(out.min()), int(out.max())
    (0, 255)
    """

    __slots__ = ()
    family = "color"
    label_risk = "low; amplifies noise in flat images and shifts colours per channel"
    PARAMS = (
        Choice("mode", ("channels", "luma"), "channels",
               doc="Equalise each channel (shifts colours) or the brightness only."),
    )

    kernel = F.equalize


@register("image.autocontrast")
class AutoContrast(ImageTransform):
    """Stretch each channel to the full range, ignoring a ``cutoff`` fraction of the
    darkest and brightest values.

    Example
    -------
    >>> import numpy as np
    >>> AutoContrast()(np.array([[50, 100, 150]], np.uint8)).tolist()
    [[0, 128, 255]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "low; per-channel stretch can shift colour casts"
    PARAMS = (
        Float("cutoff", 0.0, 0.2, 0.0, step=0.005, unit="fraction",
              doc="Fraction of values clipped at each end before stretching."),
    )

    kernel = F.autocontrast


@register("image.sharpen")
class Sharpen(ImageTransform):
    """Unsharp mask: add ``amount`` × (image − its Gaussian blur of ``sigma`` pixels).

    Example
    -------
    >>> import numpy as np
    >>> img = np.full((8, 8), 128, np.uint8)
    >>> bool((Sharpen(amount=1.0)(img) == img).all())  # flat areas stay flat
    True
    """

    __slots__ = ()
    family = "color"
    label_risk = "low; strong amounts amplify noise and JPEG blocks"
    PARAMS = (
        Range("amount", 0.0, 5.0, (0.5, 1.5), step=0.05, unit="×",
              doc="Strength of the added detail (0 keeps the image)."),
        Float("sigma", 0.3, 10.0, 1.0, step=0.1, unit="px", doc="Blur width defining detail."),
    )

    kernel = F.sharpen


@register("image.clahe")
class CLAHE(ImageTransform):
    """Contrast-limited adaptive histogram equalisation (local contrast on a tile grid).

    Colour images are equalised on their lightness (CIE Lab L); the clip limit is drawn from
    ``clip_limit``.

    Example
    -------
    >>> import numpy as np
    >>> img = np.tile(np.arange(100, 116, dtype=np.uint8), (16, 1))  # a faint ramp
    >>> out = CLAHE(clip_limit=4.0, tiles=2)(img)
    >>> int(np.ptp(out)) > int(np.ptp(img))
    True
    """

    __slots__ = ()
    family = "color"
    label_risk = "low; strong limits amplify noise in flat regions and change local tone"
    PARAMS = (
        Range("clip_limit", 0.0, 40.0, (1.0, 4.0), step=0.1, unit="×",
              doc="Histogram clip limit (higher: more local contrast)."),
        Int("tiles", 1, 64, 8, doc="Tiles along each side of the equalisation grid."),
    )

    kernel = F.clahe


@register("image.channel_shuffle")
class ChannelShuffle(ImageTransform):
    """Reorder the colour channels at random, every order equally likely.

    Alpha stays last; a grey image is left as is.

    Example
    -------
    >>> import numpy as np
    >>> img = np.zeros((1, 1, 3), np.uint8); img[..., 0] = 255
    >>> int(ChannelShuffle()(img, rng=3).sum())  # red moved, not lost
    255
    """

    __slots__ = ()
    family = "color"
    uses_seed = True
    label_risk = "high when colour is the label (ripe/unripe fruit, traffic lights)"
    PARAMS = ()

    kernel = F.channel_shuffle


_SHIFT_DOC = "Amount added to the {} channel."


@register("image.rgb_shift")
class RGBShift(ImageTransform):
    """Add a drawn amount to each colour channel (a colour cast).

    A grey image is left as is.

    Example
    -------
    >>> import numpy as np
    >>> RGBShift(red=0.1, green=0.0, blue=-0.1)(np.full((1, 1, 3), 100, np.uint8)).tolist()
    [[[126, 100, 74]]]
    """

    __slots__ = ()
    family = "color"
    label_risk = "medium when colour is the label; low otherwise for shifts < ~0.1"
    PARAMS = tuple(
        Range(c, -1.0, 1.0, (-0.08, 0.08), step=0.005, unit="× full scale", doc=_SHIFT_DOC.format(c))
        for c in ("red", "green", "blue")
    )

    kernel = F.rgb_shift

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim == 4 and xs.shape[3] in (3, 4):
            colour, alpha = _colour_view(xs)
            shift = np.stack([np.asarray(values[c], np.float32) for c in ("red", "green", "blue")], axis=1)
            shift = shift.reshape(len(xs), 1, 1, 3)
            if xs.dtype == np.uint8:  # the same float32 arithmetic as the kernel
                out = np.clip(np.rint(colour + shift * np.float32(255.0)), 0, 255).astype(np.uint8)
            else:
                out = np.clip(colour + shift, 0.0, 1.0).astype(np.float32)
            return out if alpha is None else np.concatenate([out, alpha], axis=-1)
        return super().apply_batch(xs, values)
