"""augviz image recipe → ``torchvision.transforms.v2`` Python source.

torchvision is not a dependency (and not imported): the output is code to paste into a
training script. Steps without a faithful torchvision equivalent are refused (or, with
``skip_unmapped=True``, left out with a comment naming them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from augviz.core import OneOf, Recipe, Transform

from ._source import compose_source, export_lines
from .albumentations import InteropError

__all__ = ["to_torchvision_source"]

_INTERP = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC"}


def _fixed(v: tuple[Any, Any], what: str) -> Any:
    if v[0] != v[1]:
        raise InteropError(f"{what} is a range {list(v)}; torchvision takes one value here")
    return v[0]


def _rotation(v: dict[str, Any]) -> str:
    if v["border"] != "constant":
        raise InteropError(f"border={v['border']!r} (torchvision fills with a constant)")
    return (
        f"v2.RandomRotation(degrees={tuple(v['angle'])}, interpolation=InterpolationMode."
        f"{_INTERP[v['interpolation']]}, fill={round(v['fill'] * 255)})"
    )


def _affine(v: dict[str, Any]) -> str:
    lo, hi = v["translate"]
    if lo != -hi:
        raise InteropError(f"translate {list(v['translate'])} is not symmetric (torchvision takes ±max)")
    if v["border"] != "constant":
        raise InteropError(f"border={v['border']!r} (torchvision fills with a constant)")
    shear = v["shear"]
    return (
        f"v2.RandomAffine(degrees={tuple(v['angle'])}, translate=({hi}, {hi}), "
        f"scale={tuple(v['scale'])}, shear={(-shear[1], -shear[0])}, "
        f"interpolation=InterpolationMode.{_INTERP[v['interpolation']]}, fill={round(v['fill'] * 255)})"
    )


def _blur(v: dict[str, Any]) -> str:
    k = 2 * math.ceil(3 * max(v["sigma"][1], 0.1)) + 1
    return f"v2.GaussianBlur(kernel_size={k}, sigma={tuple(v['sigma'])})"


def _jitter(**names: str) -> Callable[[dict[str, Any]], str]:
    def build(v: dict[str, Any]) -> str:
        return "v2.ColorJitter(" + ", ".join(f"{tv}={tuple(v[ours])}" for tv, ours in names.items()) + ")"

    return build


_BUILDERS: dict[str, tuple[Callable[[dict[str, Any]], str], bool]] = {
    # id: (builder, whether the torchvision class takes p itself)
    "image.hflip": (lambda v: "v2.RandomHorizontalFlip(p={p})", True),
    "image.vflip": (lambda v: "v2.RandomVerticalFlip(p={p})", True),
    "image.rotate": (_rotation, False),
    "image.affine": (_affine, False),
    "image.gaussian_blur": (_blur, False),
    "image.color_jitter": (
        _jitter(brightness="brightness", contrast="contrast", saturation="saturation", hue="hue"),
        False,
    ),
    "image.contrast": (_jitter(contrast="factor"), False),
    "image.saturation": (_jitter(saturation="factor"), False),
    "image.hue": (_jitter(hue="shift"), False),
    "image.grayscale": (lambda v: "v2.RandomGrayscale(p={p})", True),
    "image.invert": (lambda v: "v2.RandomInvert(p={p})", True),
    "image.equalize": (lambda v: "v2.RandomEqualize(p={p})", True),
    "image.autocontrast": (lambda v: "v2.RandomAutocontrast(p={p})", True),
    "image.posterize": (lambda v: f"v2.RandomPosterize(bits={_fixed(v['bits'], 'bits')}, p={{p}})", True),
    "image.solarize": (
        lambda v: f"v2.RandomSolarize(threshold={_fixed(v['threshold'], 'threshold') * 255:g}, p={{p}})",
        True,
    ),
    "image.jpeg": (lambda v: f"v2.JPEG(quality={tuple(v['quality'])})", False),
    "image.random_resized_crop": (
        lambda v: (
            f"v2.RandomResizedCrop(size=({v['height']}, {v['width']}), scale={tuple(v['scale'])}, "
            f"ratio={tuple(v['ratio'])}, interpolation=InterpolationMode.{_INTERP[v['interpolation']]})"
        ),
        False,
    ),
}


def _one(t: Transform, path: str) -> str:
    if t.id not in _BUILDERS:
        raise InteropError(f"{path}: {t.id} has no torchvision equivalent")
    build, takes_p = _BUILDERS[t.id]
    try:
        code = build(dict(t.params))
    except InteropError as exc:
        raise InteropError(f"{path}: {t.id}: {exc}") from None
    if takes_p:
        return code.format(p=t.p)
    return code if t.p == 1.0 else f"v2.RandomApply([{code}], p={t.p})"


def to_torchvision_source(recipe: Recipe, *, skip_unmapped: bool = False) -> str:
    """Python source building a ``torchvision.transforms.v2.Compose`` like the recipe.

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> print(to_torchvision_source(Recipe([HorizontalFlip(p=0.5)])).splitlines()[-2])
        v2.RandomHorizontalFlip(p=0.5),
    """
    if recipe.modality != "image":
        raise InteropError(f"torchvision export takes image recipes; this one is {recipe.modality}")

    def step_code(step: Any, i: int) -> str:
        if isinstance(step, Transform):
            return _one(step, f"steps[{i}]")
        if not isinstance(step, OneOf):
            raise InteropError(f"steps[{i}]: some_of has no torchvision equivalent")
        kids = ", ".join(
            _one(c.with_params(p=1.0), f"steps[{i}].one_of[{j}]") for j, c in enumerate(step.steps)
        )
        weights = [round(float(w), 6) for w in step.weights()]
        code = f"v2.RandomChoice([{kids}], p={weights})"
        return code if step.p == 1.0 else f"v2.RandomApply([{code}], p={step.p})"

    lines = export_lines(recipe, "torchvision", step_code, skip_unmapped=skip_unmapped)
    imports = "from torchvision.transforms import InterpolationMode, v2"
    return compose_source(recipe, "torchvision.transforms.v2", imports, "transform = v2.Compose", lines)
