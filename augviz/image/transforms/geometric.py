"""Geometric transforms: flips, rotation, affine, crops, perspective, elastic, grid warp."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from augviz.core import Float, Int, Range, register

from .. import functional as F
from ..base import ImageTransform
from ._specs import ANGLE, BORDER, BORDER_REFLECT, FILL, INTERP, column, uniform

__all__ = [
    "Affine", "CropPad", "Elastic", "GridDistortion", "HorizontalFlip", "Perspective",
    "RandomResizedCrop", "Rotate", "VerticalFlip",
]


@register("image.hflip")
class HorizontalFlip(ImageTransform):
    """Mirror the image left-right.

    Example
    -------
    >>> import numpy as np
    >>> HorizontalFlip()(np.eye(3, dtype=np.uint8))[0].tolist()
    [0, 0, 1]
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    label_risk = "chirality: b↔d, 3/5/6/7 mirrored, text and left/right labels"

    kernel = F.hflip

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        return F.flip_matrix(shape[0], shape[1], horizontal=True)

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim in (3, 4):
            return F.hflip_batch(xs)
        return super().apply_batch(xs, values)


@register("image.vflip")
class VerticalFlip(ImageTransform):
    """Mirror the image top-bottom.

    Example
    -------
    >>> import numpy as np
    >>> VerticalFlip()(np.eye(3, dtype=np.uint8))[0].tolist()
    [0, 0, 1]
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    label_risk = "orientation: 6↔9, M↔W, up/down labels, sky/ground scenes"

    kernel = F.vflip

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        return F.flip_matrix(shape[0], shape[1], horizontal=False)

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        if isinstance(xs, np.ndarray) and xs.ndim in (3, 4):
            return np.ascontiguousarray(xs[:, ::-1])
        return super().apply_batch(xs, values)


def _warp_batch(xs: Any, values: Mapping[str, Any], *, angle: np.ndarray, tx: np.ndarray,
                ty: np.ndarray, scale: np.ndarray, shear: np.ndarray,
                quarter_turns: bool = False) -> np.ndarray | None:
    """The batch affine path: small images in one vectorised numpy gather, larger ones
    (and bicubic) through OpenCV image by image into one array; ``None`` where neither
    applies (the caller loops). ``quarter_turns``: the per-image kernel turns a square
    image by a multiple of 90° exactly (``np.rot90``), so such a batch loops too."""
    if not (isinstance(xs, np.ndarray) and xs.ndim in (3, 4) and len(xs)):
        return None
    fixed = uniform(values, "interpolation", "border", "fill")
    if fixed is None:
        return None
    interpolation, border, fill = fixed
    h, w = xs.shape[1:3]
    m = F.affine_matrices(h, w, angle=angle, tx=tx * w, ty=ty * h, scale=scale, shear=shear)
    if not F.use_numpy_warp(h, w, interpolation=interpolation):
        if quarter_turns and h == w and bool((angle % 90 == 0).any()):
            return None
        return F.warp_affine_each(xs, m, interpolation=interpolation, border=border, fill=fill)
    return F.warp_affine_batch(xs, m, interpolation=interpolation, border=border, fill=fill)


@register("image.rotate")
class Rotate(ImageTransform):
    """Rotate about the centre by an angle drawn from ``angle`` (counter-clockwise).

    A single number is an exact angle: ``Rotate(angle=30)`` always turns 30°.

    Example
    -------
    >>> import numpy as np
    >>> img = np.arange(16, dtype=np.uint8).reshape(4, 4)
    >>> bool((Rotate(angle=90)(img) == np.rot90(img)).all())
    True
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    label_risk = "orientation beyond ~30°: 6↔9, arrows, up/down; corners cut off"
    PARAMS = (
        ANGLE,
        INTERP,
        BORDER,
        FILL,
    )

    kernel = F.rotate

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        return F.affine_matrix(shape[0], shape[1], angle=values["angle"])

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        angle = column(values, "angle")
        n = len(angle)
        zeros = np.zeros(n)
        out = _warp_batch(xs, values, angle=angle, tx=zeros, ty=zeros, scale=np.ones(n),
                          shear=zeros, quarter_turns=True)
        return super().apply_batch(xs, values) if out is None else out


@register("image.affine")
class Affine(ImageTransform):
    """Rotate, shift, scale and shear about the centre in one warp.

    The shift is drawn separately for x and y from ``translate`` (a fraction of the
    width and height). A single number is an exact magnitude: ``Affine(angle=10,
    translate=0, scale=1, shear=0)`` always turns exactly 10°. Batches of small images
    (≤ 32×32) are warped in one vectorised numpy gather.

    Example
    -------
    >>> import numpy as np
    >>> img = np.arange(64, dtype=np.uint8).reshape(8, 8)
    >>> same = Affine(angle=0, translate=0, scale=1, shear=0)(img)
    >>> bool((same == img).all())
    True
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    label_risk = "rotation beyond ~30° (6↔9), large shifts/zoom cut the object out of frame"
    PARAMS = (
        ANGLE,
        Range("translate", -0.5, 0.5, (-0.0625, 0.0625), step=0.005, unit="× size",
              doc="Shift as a fraction of the width (x) and height (y), drawn for each axis."),
        Range("scale", 0.5, 2.0, (0.9, 1.1), step=0.01, unit="×",
              doc="Zoom factor (>1 enlarges)."),
        Range("shear", -45.0, 45.0, (0.0, 0.0), step=1.0, unit="degrees",
              doc="Horizontal shear angle."),
        INTERP,
        BORDER,
        FILL,
    )
    SPLIT: ClassVar[dict[str, tuple[str, ...]]] = {"translate": ("translate_x", "translate_y")}

    kernel = F.affine

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        keys = ("angle", "translate_x", "translate_y", "scale", "shear")
        return F.affine_matrix(shape[0], shape[1], **{k: values[k] for k in keys})

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        out = _warp_batch(xs, values, angle=column(values, "angle"),
                          tx=column(values, "translate_x"), ty=column(values, "translate_y"),
                          scale=column(values, "scale"), shear=column(values, "shear"))
        return super().apply_batch(xs, values) if out is None else out


@register("image.random_resized_crop")
class RandomResizedCrop(ImageTransform):
    """Crop a random box (area fraction ``scale``, aspect ``ratio``) and resize it to
    ``height`` × ``width`` — the standard ImageNet training crop. Changes the size.

    Example
    -------
    >>> import numpy as np
    >>> RandomResizedCrop(height=32, width=24)(np.zeros((64, 64, 3), np.uint8), rng=0).shape
    (32, 24, 3)
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    keeps_shape = False
    label_risk = "small crops can cut the object out (scale < ~0.3) or keep only background"
    PARAMS = (
        Int("height", 1, 4096, 224, unit="px", doc="Output height."),
        Int("width", 1, 4096, 224, unit="px", doc="Output width."),
        Range("scale", 0.01, 1.0, (0.08, 1.0), step=0.01, unit="× area",
              doc="Fraction of the image area the crop covers."),
        Range("ratio", 0.1, 10.0, (0.75, 4 / 3), step=0.01, log=True, unit="w/h",
              doc="Aspect ratio (width / height) of the crop."),
        INTERP,
    )
    POSITIONS = ("pos_x", "pos_y")

    kernel = F.random_resized_crop

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        keys = ("height", "width", "scale", "ratio", "pos_x", "pos_y")
        return F.random_resized_crop_matrix(shape[0], shape[1], **{k: values[k] for k in keys})


@register("image.crop_pad")
class CropPad(ImageTransform):
    """Move each side in (crop, negative ``amount``) or out (pad, positive) by a fraction
    of the size, drawn separately per side, then resize back to the original size.

    Example
    -------
    >>> import numpy as np
    >>> img = np.full((20, 20), 255, np.uint8)
    >>> out = CropPad(amount=0.25, interpolation="nearest")(img)
    >>> int(out[0, 0]), int(out[10, 10])
    (0, 255)
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    label_risk = "large crops lose objects near the edge; padding shrinks the object"
    PARAMS = (
        Range("amount", -0.5, 0.5, (-0.1, 0.1), step=0.01, unit="× size",
              doc="Per-side move: negative crops, positive pads (drawn for each side)."),
        INTERP,
        BORDER,
        FILL,
    )
    SPLIT: ClassVar[dict[str, tuple[str, ...]]] = {"amount": ("top", "right", "bottom", "left")}

    kernel = F.crop_pad

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        keys = ("top", "right", "bottom", "left")
        return F.crop_pad_matrix(shape[0], shape[1], **{k: values[k] for k in keys})


@register("image.perspective")
class Perspective(ImageTransform):
    """Move the four corners by up to ``scale`` × the size (directions drawn from the
    seed) and warp the image onto that quadrilateral — a change of viewpoint.

    Example
    -------
    >>> import numpy as np
    >>> Perspective(scale=0.1)(np.ones((32, 32), np.uint8), rng=0).shape
    (32, 32)
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    uses_seed = True
    label_risk = "low at < 0.1; strong skew distorts shapes and text"
    PARAMS = (
        Range("scale", 0.0, 0.5, (0.02, 0.08), step=0.005, unit="× size",
              doc="Largest corner displacement."),
        INTERP,
        BORDER,
        FILL,
    )

    kernel = F.perspective

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
        return F.perspective_matrix(shape[0], shape[1], values["scale"], values["seed"])


@register("image.elastic")
class Elastic(ImageTransform):
    """Elastic deformation: a smooth random displacement field (Simard et al. 2003), as
    for handwriting. ``alpha`` is the largest displacement, ``sigma`` its smoothness,
    both as fractions of the short side.

    Example
    -------
    >>> import numpy as np
    >>> Elastic(alpha=0.05)(np.zeros((32, 32), np.float32), rng=0).shape
    (32, 32)
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    uses_seed = True
    slow = True
    label_risk = "strong fields (alpha > ~0.1) break thin strokes: 1↔7, 4↔9"
    PARAMS = (
        Range("alpha", 0.0, 0.3, (0.02, 0.05), step=0.005, unit="× short side",
              doc="Largest displacement."),
        Float("sigma", 0.01, 0.5, 0.08, step=0.01, unit="× short side",
              doc="Smoothness of the field (Gaussian width)."),
        INTERP,
        BORDER_REFLECT,
        FILL,
    )

    kernel = F.elastic

    def point_map(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        return F.elastic_maps(shape[0], shape[1], values["alpha"], values["sigma"], values["seed"])


@register("image.grid_distortion")
class GridDistortion(ImageTransform):
    """Stretch and squeeze rows and columns of a ``num_steps`` grid by up to ``distort``
    (each cell's factor drawn from the seed) — a lens-like wobble.

    Example
    -------
    >>> import numpy as np
    >>> GridDistortion(distort=0.3)(np.zeros((32, 32, 3), np.uint8), rng=0).shape
    (32, 32, 3)
    """

    __slots__ = ()
    family = "geometric"
    moves_pixels = True
    uses_seed = True
    label_risk = "low at < 0.3; strong wobble changes proportions (aspect-based labels)"
    PARAMS = (
        Int("num_steps", 2, 20, 5, doc="Grid cells along each side."),
        Range("distort", 0.0, 0.9, (0.1, 0.3), step=0.01, unit="× cell",
              doc="Largest stretch or squeeze of one cell."),
        INTERP,
        BORDER_REFLECT,
        FILL,
    )

    kernel = F.grid_distortion

    def point_map(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        return F.grid_distortion_maps(shape[0], shape[1], values["num_steps"], values["distort"],
                                      values["seed"])
