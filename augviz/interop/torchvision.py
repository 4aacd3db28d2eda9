"""augviz image recipe → ``torchvision.transforms.v2`` Python source.

torchvision is not a dependency (and not imported): the output is code to paste into a
training script. Steps without a faithful torchvision equivalent are refused (or, with
``skip_unmapped=True``, left out with a comment naming them). Additive brightness, which
torchvision lacks, is written as a ``v2.Lambda`` on image tensors (uint8 or float in 0..1).

With ``targets`` (:class:`~augviz.interop.Targets`), the source also defines
``to_tv_tensors(image, boxes=None, labels=None, mask=None, keypoints=None)``, which wraps
an image and its targets as ``tv_tensors`` (``BoundingBoxes``, ``Mask``, ``KeyPoints``) so
that every v2 transform moves them with the image; the pipeline then ends with
``v2.SanitizeBoundingBoxes`` when boxes are involved, and the brightness ``Lambda`` only
touches ``tv_tensors.Image``.
"""

from __future__ import annotations

import math
from typing import Any

from augviz.core import Recipe, Transform

from ._base import (
    Call,
    Code,
    Comment,
    InteropError,
    Mapping,
    Peer,
    Targets,
    export_steps,
    no_params,
    write_source,
)

__all__ = ["MAPPINGS", "PEER", "UNMAPPABLE", "to_torchvision_source"]


def _interp(v: dict[str, Any]) -> Code:
    return Code(f"InterpolationMode.{v['interpolation'].upper()}")


def _fixed(v: tuple[Any, Any], what: str) -> Any:
    if v[0] != v[1]:
        raise InteropError(f"{what} is a range {list(v)}; torchvision takes one value here")
    return v[0]


def _constant_border(v: dict[str, Any]) -> None:
    if v["border"] != "constant":
        raise InteropError(f"border={v['border']!r} (torchvision fills with a constant)")


def _rotation(v: dict[str, Any]) -> dict[str, Any]:
    _constant_border(v)
    return {"degrees": tuple(v["angle"]), "interpolation": _interp(v), "fill": round(v["fill"] * 255)}


def _affine(v: dict[str, Any]) -> dict[str, Any]:
    lo, hi = v["translate"]
    if lo != -hi:
        raise InteropError(f"translate {list(v['translate'])} is not symmetric (torchvision takes ±max)")
    _constant_border(v)
    shear = v["shear"]
    return {
        "degrees": tuple(v["angle"]),
        "translate": (hi, hi),
        "scale": tuple(v["scale"]),
        "shear": (-shear[1], -shear[0]),
        "interpolation": _interp(v),
        "fill": round(v["fill"] * 255),
    }


def _blur(v: dict[str, Any]) -> dict[str, Any]:
    size = _fixed(v["size"], "size")
    if size == 0:
        size = 2 * math.ceil(3 * max(v["sigma"][1], 0.1)) + 1
    return {"kernel_size": int(size) | 1, "sigma": tuple(v["sigma"])}


def _brightness(v: dict[str, Any]) -> dict[str, Any]:
    """Additive brightness has no torchvision class: written as a ``v2.Lambda`` that adds
    one uniform draw (× 255 for uint8 tensors), rounds and clips as augviz does."""
    lo, hi = v["delta"]
    d = f"torch.empty(()).uniform_({lo!r}, {hi!r})"
    return {"lambd": Code(
        f"lambda x: (x.float() + {d} * 255).round().clamp(0, 255).to(torch.uint8) "
        f"if x.dtype == torch.uint8 else (x + {d}).clamp(0, 1)"
    )}


def _jitter(**names: str) -> Any:
    """ColorJitter with its arguments (torchvision names) taken from augviz parameters."""
    return lambda v: {tv: tuple(v[ours]) for tv, ours in names.items()}


MAPPINGS = (
    Mapping("image.hflip", "RandomHorizontalFlip", no_params, example={}),
    Mapping("image.vflip", "RandomVerticalFlip", no_params, example={}),
    Mapping(
        "image.rotate",
        "RandomRotation",
        _rotation,
        example={"angle": (-25.0, 10.0), "interpolation": "nearest", "fill": 0.2},
        takes_p=False,
    ),
    Mapping(
        "image.affine",
        "RandomAffine",
        _affine,
        example={"angle": (-10.0, 10.0), "translate": (-0.1, 0.1), "scale": (0.9, 1.2), "shear": (-6.0, 4.0),
                 "interpolation": "bicubic"},
        takes_p=False,
    ),
    Mapping("image.gaussian_blur", "GaussianBlur", _blur, example={"sigma": (0.4, 1.7)}, takes_p=False),
    Mapping(
        "image.color_jitter",
        "ColorJitter",
        _jitter(brightness="brightness", contrast="contrast", saturation="saturation", hue="hue"),
        example={"brightness": (0.7, 1.3), "contrast": (0.9, 1.1), "saturation": (0.5, 1.5),
                 "hue": (-0.1, 0.1)},
        takes_p=False,
    ),
    Mapping("image.contrast", "ColorJitter", _jitter(contrast="factor"), example={"factor": (0.6, 1.3)},
            takes_p=False),
    Mapping("image.saturation", "ColorJitter", _jitter(saturation="factor"), example={"factor": (0.2, 1.8)},
            takes_p=False),
    Mapping("image.hue", "ColorJitter", _jitter(hue="shift"), example={"shift": (-0.2, 0.1)}, takes_p=False),
    Mapping("image.brightness", "Lambda", _brightness, example={"delta": (-0.1, 0.25)}, takes_p=False),
    Mapping("image.grayscale", "RandomGrayscale", no_params, example={}),
    Mapping("image.invert", "RandomInvert", no_params, example={}),
    # augviz equalizes as OpenCV and albumentations do; Pillow's rule (torchvision's)
    # differs by 2-11 grey levels mean on the bundled photos
    Mapping("image.equalize", "RandomEqualize", no_params, example={},
            notes=lambda v: ["approximate: torchvision equalizes with Pillow's rule, augviz with "
                             "OpenCV's (as albumentations): 2-11 grey levels mean difference on photos"]),
    Mapping("image.autocontrast", "RandomAutocontrast", no_params, example={}),
    Mapping(
        "image.posterize",
        "RandomPosterize",
        lambda v: {"bits": _fixed(v["bits"], "bits")},
        example={"bits": (3, 3)},
    ),
    Mapping(
        "image.solarize",
        "RandomSolarize",
        lambda v: {"threshold": Code(f"{_fixed(v['threshold'], 'threshold') * 255:g}")},
        example={"threshold": (0.3, 0.3)},
    ),
    Mapping(
        "image.jpeg", "JPEG", lambda v: {"quality": tuple(v["quality"])}, example={"quality": (40, 80)},
        takes_p=False,
    ),
    Mapping(
        "image.random_resized_crop",
        "RandomResizedCrop",
        lambda v: {
            "size": (v["height"], v["width"]),
            "scale": tuple(v["scale"]),
            "ratio": tuple(v["ratio"]),
            "interpolation": _interp(v),
        },
        example={"height": 48, "width": 40, "scale": (0.3, 0.9), "ratio": (0.8, 1.25),
                 "interpolation": "bicubic"},
        takes_p=False,
    ),
)

#: augviz image transforms without a torchvision.transforms.v2 mapping, and why
UNMAPPABLE = {
    "image.box_blur": "no box (mean) blur in torchvision",
    "image.channel_shuffle": "v2.RandomChannelPermutation always permutes (no p) and exists only from "
    "torchvision 0.17; not checked against it",
    "image.clahe": "no CLAHE in torchvision",
    "image.iso_noise": "no camera (ISO) noise in torchvision",
    "image.median_blur": "no median blur in torchvision",
    "image.optical_distortion": "no lens distortion in torchvision",
    "image.rgb_shift": "no per-channel additive shift in torchvision",
    "image.crop_pad": "no torchvision transform crops or pads each side by a drawn fraction and resizes "
    "back",
    "image.cutout": "torchvision erases one box (RandomErasing); augviz cuts several holes",
    "image.downscale": "no torchvision transform shrinks and enlarges back",
    "image.elastic": "v2.ElasticTransform takes alpha and sigma in pixels; augviz takes fractions of the "
    "short side and scales the field to its largest displacement",
    "image.gamma": "no random gamma in torchvision (only the fixed functional adjust_gamma)",
    "image.gaussian_noise": "not checked to match: v2.GaussianNoise takes one sigma for float images, "
    "without augviz's per_channel choice",
    "image.grid_distortion": "no grid distortion in torchvision",
    "image.grid_mask": "no GridMask in torchvision",
    "image.motion_blur": "no motion blur in torchvision",
    "image.perspective": "v2.RandomPerspective moves corners inwards only; augviz moves them both ways",
    "image.random_erasing": "v2.RandomErasing draws its box its own way (log-uniform aspect ratio, up to 10 "
    "tries)",
    "image.salt_pepper": "no salt-and-pepper noise in torchvision",
    "image.sharpen": "v2.RandomAdjustSharpness blends with a fixed 3×3 smoothing kernel; augviz adds a "
    "Gaussian unsharp mask",
    "image.speckle": "no multiplicative noise in torchvision",
}


def _leaf(m: Mapping, t: Transform, kwargs: dict[str, Any], grouped: bool) -> Call:
    # inside a group the group holds the probability: children are written with p=1
    p = 1.0 if grouped else t.p
    if m.takes_p:
        return Call(f"v2.{m.name}", kwargs={**kwargs, "p": p})
    call = Call(f"v2.{m.name}", kwargs=kwargs)
    return call if p == 1.0 else Call("v2.RandomApply", ([call],), {"p": p})


def _group(step: Any, items: list[Call]) -> Call:
    weights = [round(float(w), 6) for w in step.weights()]
    call = Call("v2.RandomChoice", (items,), {"p": weights})
    return call if step.p == 1.0 else Call("v2.RandomApply", ([call],), {"p": step.p})


PEER = Peer(
    "torchvision", "image", MAPPINGS, UNMAPPABLE, leaf=_leaf, group=_group, groups=frozenset({"one_of"})
)


#: augviz box format → tv_tensors.BoundingBoxFormat
_BOX_FORMATS = {"xyxy": "XYXY", "xywh": "XYWH", "cxcywh": "CXCYWH"}

_WRAP = '''
def to_tv_tensors(image, boxes=None, labels=None, mask=None, keypoints=None):
    """An H×W×C uint8 image and its targets as the tv_tensors the pipeline moves together."""
    h, w = image.shape[:2]
    sample = {{"image": tv_tensors.Image(torch.as_tensor(image).permute(2, 0, 1))}}{boxes}{mask}{keypoints}
    return sample
'''
_WRAP_BOXES = '''
    if boxes is not None:
        sample["boxes"] = tv_tensors.BoundingBoxes(
            torch.as_tensor(boxes, dtype=torch.float32).reshape(-1, 4), format="{fmt}", canvas_size=(h, w))
        sample["labels"] = torch.as_tensor(labels if labels is not None else [0] * len(sample["boxes"]))'''
_WRAP_MASK = '''
    if mask is not None:
        sample["mask"] = tv_tensors.Mask(torch.as_tensor(mask))'''
_WRAP_KEYPOINTS = '''
    if keypoints is not None:  # tv_tensors.KeyPoints: torchvision 0.23 or newer
        sample["keypoints"] = tv_tensors.KeyPoints(
            torch.as_tensor(keypoints, dtype=torch.float32).reshape(-1, 2), canvas_size=(h, w))'''


def _images_only(item: Any) -> Any:
    """The brightness ``Lambda`` restricted to images (a Lambda applies to every input)."""
    if not isinstance(item, Call):
        return item
    if item.name == "v2.Lambda":
        return Call(item.name, (item.kwargs["lambd"], Code("tv_tensors.Image")))
    args = tuple([_images_only(a) for a in arg] if isinstance(arg, list) else _images_only(arg)
                 for arg in item.args)
    return Call(item.name, args, item.kwargs)


def _sanitize(targets: Targets) -> list[Call | Comment]:
    """The closing ``SanitizeBoundingBoxes`` (and what it cannot express)."""
    kwargs: dict[str, Any] = {"min_size": 1.0}
    if targets.min_area > 0:
        kwargs["min_area"] = targets.min_area
    out: list[Call | Comment] = []
    if targets.min_visibility > 0:
        out.append(Comment(f"min_visibility={targets.min_visibility:g} has no torchvision equivalent: "
                           "SanitizeBoundingBoxes drops boxes by size and area only"))
    return [*out, Call("v2.SanitizeBoundingBoxes", kwargs=kwargs)]


def to_torchvision_source(
    recipe: Recipe, *, skip_unmapped: bool = False, targets: Targets | None = None
) -> str:
    """Python source building a ``torchvision.transforms.v2.Compose`` like the recipe.

    With ``targets`` (e.g. an albumentations import's ``result.targets``), the source
    also writes ``to_tv_tensors(...)``: call ``transform(to_tv_tensors(image, boxes,
    labels, mask, keypoints))``; boxes are cleaned by a final ``v2.SanitizeBoundingBoxes``.

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> print(to_torchvision_source(Recipe([HorizontalFlip(p=0.5)])).splitlines()[-2])
        v2.RandomHorizontalFlip(p=0.5),
    """
    items = export_steps(recipe, PEER, skip_unmapped=skip_unmapped)
    if targets is None or not targets.any:
        return write_source(
            recipe,
            items,
            library="torchvision.transforms.v2",
            imports="import torch\nfrom torchvision.transforms import InterpolationMode, v2",
            assign="transform = v2.Compose",
        )
    boxes = ""
    if targets.box_format is not None:
        fmt = _BOX_FORMATS.get(targets.box_format)
        if fmt is None:
            raise InteropError(f"box format {targets.box_format!r} has no tv_tensors.BoundingBoxFormat; "
                               f"allowed: {', '.join(_BOX_FORMATS)}")
        boxes = _WRAP_BOXES.format(fmt=fmt)
    wrap = _WRAP.format(boxes=boxes, mask=_WRAP_MASK if targets.masks else "",
                        keypoints=_WRAP_KEYPOINTS if targets.keypoints_on else "")
    return write_source(
        recipe,
        [_images_only(item) for item in items],
        library="torchvision.transforms.v2 (tv_tensors)",
        imports="import torch\nfrom torchvision import tv_tensors\nfrom torchvision.transforms import "
        "InterpolationMode, v2",
        assign="transform = v2.Compose",
        after=_sanitize(targets) if targets.box_format is not None else [],
        epilogue=wrap,
    )
