"""albumentations preparation classes (resize, pad, crop, normalise, to-tensor) ↔ augviz
preprocessing steps."""

from __future__ import annotations

from typing import Any

from .._base import InteropError, Mapping, no_params
from ._common import _BORDER_BACK, _INTERP_BACK, _border, _fill, _interp

#: preparation classes that come in as a recipe's ``preprocess`` part (see _PREPARE)
_PREPROCESS = frozenset({
    "Normalize", "ToTensorV2", "ToTensor", "Resize", "LongestMaxSize", "SmallestMaxSize", "PadIfNeeded",
    "RandomCrop", "CenterCrop", "Crop", "ToFloat", "FromFloat", "RandomSizedCrop", "CropNonEmptyMaskIfExists",
    "RandomCropNearBBox", "RandomSizedBBoxSafeCrop", "BBoxSafeRandomCrop", "AtLeastOneBBoxRandomCrop",
    "Pad", "ToRGB", "ToSepia",
})


_PREPROCESS_WHY = ("a preparation step (resize, pad, crop, normalise, convert) augviz keeps only in a "
                   "recipe's preprocess part, which runs before or after all the steps, never inside a group")


_NO_PREPARE_WHY = ("a preparation step augviz has no preprocessing equivalent for (kept: Resize, "
                   "LongestMaxSize, SmallestMaxSize, PadIfNeeded, CenterCrop, RandomCrop, Normalize, "
                   "ToTensorV2)")


def _one_size(d: dict[str, Any]) -> int:
    if d.get("max_size_hw") is not None:
        raise InteropError(f"max_size_hw={d['max_size_hw']} (augviz scales by one side length)")
    size = d.get("max_size", 1024)
    if isinstance(size, (list, tuple)):
        if len(size) != 1:
            raise InteropError(f"max_size={list(size)} draws one of several sizes (augviz keeps one size)")
        size = size[0]
    return int(size)


def _channels(v: Any, name: str) -> tuple[float, float, float]:
    if isinstance(v, (int, float)):
        return (float(v),) * 3
    if not isinstance(v, (list, tuple)) or len(v) not in (1, 3):
        raise InteropError(f"{name}={v} (augviz takes one value or three, one per channel)")
    return tuple(float(x) for x in (list(v) * 3)[:3])  # type: ignore[return-value]


def _normalize_in(d: dict[str, Any]) -> dict[str, Any]:
    mode = d.get("normalization", "standard")
    if mode != "standard":
        raise InteropError(f"normalization={mode!r} (augviz normalises with a fixed mean and std)")
    mean = _channels(d.get("mean", (0.485, 0.456, 0.406)), "mean")
    std = _channels(d.get("std", (0.229, 0.224, 0.225)), "std")
    return {"mean_r": mean[0], "mean_g": mean[1], "mean_b": mean[2], "std_r": std[0], "std_g": std[1],
            "std_b": std[2], "max_pixel_value": float(d.get("max_pixel_value", 255.0))}


def _normalize_out(v: dict[str, Any]) -> dict[str, Any]:
    return {"mean": [v["mean_r"], v["mean_g"], v["mean_b"]], "std": [v["std_r"], v["std_g"], v["std_b"]],
            "max_pixel_value": v["max_pixel_value"], "normalization": "standard"}


def _pad_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("min_height") is None or d.get("min_width") is None:
        raise InteropError("pads to a multiple of a divisor (augviz pads to min_height × min_width)")
    if d.get("position", "center") != "center":
        raise InteropError(f"position={d['position']!r} (augviz pads centred)")
    return {"min_height": int(d["min_height"]), "min_width": int(d["min_width"]), "border": _border(d),
            "fill": _fill(d)}


def _pad_out(v: dict[str, Any]) -> dict[str, Any]:
    return {"min_height": v["min_height"], "min_width": v["min_width"], "position": "center",
            "border_mode": _BORDER_BACK[v["border"]], "fill": v["fill"] * 255.0}


def _crop_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("pad_if_needed"):
        raise InteropError("pad_if_needed=True (add a PadIfNeeded before it)")
    return {"height": int(d["height"]), "width": int(d["width"])}


def _crop_out(v: dict[str, Any]) -> dict[str, Any]:
    return {"height": v["height"], "width": v["width"]}


def _resize_in(d: dict[str, Any]) -> dict[str, Any]:
    return {"height": int(d["height"]), "width": int(d["width"]), "interpolation": _interp(d)}


def _resize_out(v: dict[str, Any]) -> dict[str, Any]:
    return {"height": v["height"], "width": v["width"], "interpolation": _INTERP_BACK[v["interpolation"]]}


def _scale_in(d: dict[str, Any]) -> dict[str, Any]:
    return {"max_size": _one_size(d), "interpolation": _interp(d)}


def _scale_out(v: dict[str, Any]) -> dict[str, Any]:
    return {"max_size": v["max_size"], "interpolation": _INTERP_BACK[v["interpolation"]]}


def _tensor_notes(v: dict[str, Any]) -> list[str]:
    return ["augviz gives a channels-first numpy array where ToTensorV2 gives a torch tensor "
            "(same values, dtype and layout)"]


#: albumentations preparation classes that come in as preprocessing steps (read and written)
PREPROCESS_MAPPINGS: tuple[Mapping, ...] = (
    Mapping("image.normalize", "Normalize", _normalize_out, _normalize_in,
            example={"mean_r": 0.5, "mean_g": 0.5, "mean_b": 0.5, "std_r": 0.25, "std_g": 0.25,
                     "std_b": 0.25, "max_pixel_value": 255.0}),
    Mapping("image.longest_max_size", "LongestMaxSize", _scale_out, _scale_in,
            example={"max_size": 48, "interpolation": "bilinear"}),
    Mapping("image.smallest_max_size", "SmallestMaxSize", _scale_out, _scale_in,
            example={"max_size": 48, "interpolation": "nearest"}),
    Mapping("image.pad_if_needed", "PadIfNeeded", _pad_out, _pad_in,
            example={"min_height": 80, "min_width": 90, "border": "constant", "fill": 0.0}),
    Mapping("image.random_crop", "RandomCrop", _crop_out, _crop_in, example={"height": 20, "width": 24}),
    Mapping("image.center_crop", "CenterCrop", _crop_out, _crop_in, example={"height": 20, "width": 24}),
    Mapping("image.resize", "Resize", _resize_out, _resize_in,
            example={"height": 30, "width": 50, "interpolation": "bilinear"}),
    Mapping("image.to_tensor", "ToTensorV2", no_params, no_params, example={}, notes=_tensor_notes),
)
_PREPARE = {m.name: m for m in PREPROCESS_MAPPINGS}

_PREPARE_BY_ID = {m.augviz_id: m for m in PREPROCESS_MAPPINGS}

