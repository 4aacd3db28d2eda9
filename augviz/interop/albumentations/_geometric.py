"""albumentations ↔ augviz: geometric transforms (flips, rotate, affine, crops, warps)."""

from __future__ import annotations

from typing import Any

from augviz.core import Transform
from augviz.core import get as get_transform

from .._base import InteropError, Mapping, no_params, read_only
from ._common import (
    _BORDER,
    _INTERP_BACK,
    _NOTES,
    _REF_SIDE,
    _border,
    _fill,
    _geometry,
    _geometry_back,
    _interp,
    _pair,
    _xy,
)


def _rotate_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("crop_border"):
        raise InteropError("crop_border=True")
    return {"angle": _pair(d["limit"]), **_geometry(d)}


def _affine_out(v: dict[str, Any]) -> dict[str, Any]:
    t, s, sh = v["translate"], v["scale"], v["shear"]
    return {
        "rotate": list(v["angle"]),
        "scale": {"x": list(s), "y": list(s)},
        "translate_percent": {"x": list(t), "y": list(t)},
        "shear": {"x": [-sh[1], -sh[0]], "y": [0.0, 0.0]},
        "keep_ratio": True,  # one scale for both axes, as augviz
        **_geometry_back(v),
    }


def _affine_notes(v: dict[str, Any]) -> list[str]:
    notes = []
    if v["angle"] != (0.0, 0.0) and v["shear"] != (0.0, 0.0):
        notes.append(
            "albumentations shears after rotating, augviz before; outputs differ when both are non-zero"
        )
    if v["translate"] != (0.0, 0.0):
        notes.append("albumentations truncates shifts to whole pixels")
    return notes


def _rrc_in(d: dict[str, Any]) -> dict[str, Any]:
    h, w = d["size"]
    return {
        "height": int(h),
        "width": int(w),
        "scale": _pair(d["scale"]),
        "ratio": _pair(d["ratio"]),
        "interpolation": _interp(d),
    }


def _ssr_in(d: dict[str, Any]) -> dict[str, Any]:
    sx = _pair(d.get("shift_limit_x", (-0.0625, 0.0625)))
    sy = _pair(d.get("shift_limit_y", (-0.0625, 0.0625)))
    if sx != sy:
        raise InteropError(f"shift_limit_x {list(sx)} ≠ shift_limit_y {list(sy)} (augviz uses one range)")
    sl = _pair(d.get("scale_limit", (-0.1, 0.1)))
    params = {
        "angle": _pair(d.get("rotate_limit", (-45.0, 45.0))),
        "translate": sx,
        "scale": (1.0 + sl[0], 1.0 + sl[1]),
        "shear": (0.0, 0.0),
        **_geometry(d),
    }
    notes = ["ShiftScaleRotate is albumentations' Affine with keep_ratio=False: it draws the x and y scale "
             "separately; augviz one scale for both"] if sl[0] != sl[1] else []
    return {**params, _NOTES: notes}


def _affine_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("fit_output"):
        raise InteropError("fit_output=True (augviz keeps the image size and framing)")
    tp = d.get("translate_percent")
    if tp is None:
        px = d.get("translate_px") or {"x": (0, 0), "y": (0, 0)}
        if _xy(px, "translate_px") != (0.0, 0.0):
            raise InteropError("translate_px (augviz translates by a fraction of the size)")
        translate = (0.0, 0.0)
    else:
        translate = _xy(tp, "translate_percent")
    shear = d.get("shear", {"x": (0, 0), "y": (0, 0)})
    if isinstance(shear, dict):
        if _pair(shear["y"]) != (0.0, 0.0):
            raise InteropError("vertical shear (augviz shears horizontally)")
        sx = _pair(shear["x"])
    else:
        sx = _pair(shear)
    scale = _xy(d.get("scale", 1.0), "scale")
    notes = []
    if not d.get("keep_ratio") and scale[0] != scale[1]:
        notes.append("keep_ratio=False: albumentations draws the x and y scale separately; augviz one scale")
    return {
        "angle": _pair(d.get("rotate", 0)),
        "translate": translate,
        "scale": scale,
        # albumentations' positive x-shear leans the other way
        "shear": (-sx[1], -sx[0]),
        **_geometry(d),
        _NOTES: notes,
    }


def _elastic_in(d: dict[str, Any]) -> dict[str, Any]:
    alpha, sigma = float(d.get("alpha", 1.0)), float(d.get("sigma", 50.0))
    # albumentations: alpha × a noise field in [-1, 1] smoothed with a Gaussian of sigma px; its
    # typical largest displacement is measured on a 256² field
    largest = alpha * _smoothed_peak(sigma, d.get("noise_distribution", "gaussian"))
    return {
        "alpha": (0.0, min(0.3, largest / _REF_SIDE)),
        "sigma": min(0.5, max(0.01, sigma / _REF_SIDE)),
        "border": _border(d) if d.get("border_mode", 4) in _BORDER else "reflect",
        "interpolation": _interp(d),
        "fill": _fill(d),
        _NOTES: [
            f"alpha={alpha:g} px, sigma={sigma:g} px become fractions of a {_REF_SIDE:g}-px short side "
            f"(largest displacement {largest:.1f} px); albumentations' field strength varies from draw to "
            "draw where augviz scales each field to a drawn largest displacement: the fields are alike in "
            "size and smoothness, not draw for draw"
        ],
    }


def _smoothed_peak(sigma: float, distribution: str = "gaussian") -> float:
    """The median, over five fixed seeds, of the largest value of albumentations' elastic
    noise field for a 256² image: two planes of standard normal noise scaled to [-1, 1] (or
    uniform in [-1, 1]), smoothed as albumentations does (OpenCV's automatic kernel width,
    replicated border)."""
    import cv2
    import numpy as np

    peaks = []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        if distribution == "uniform":
            field = rng.uniform(-1, 1, (512, 256)).astype(np.float32)
        else:
            field = rng.standard_normal((512, 256), np.float32)
            field /= np.abs(field).max()
        blurred = cv2.GaussianBlur(field, (0, 0), max(sigma, 0.1), borderType=cv2.BORDER_REPLICATE)
        peaks.append(float(np.abs(blurred).max()))
    return float(np.median(peaks))


def _grid_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _pair(d.get("distort_limit", (-0.3, 0.3)))
    return {
        "num_steps": max(2, min(20, int(d.get("num_steps", 5)))),
        "distort": (0.0, min(0.9, max(abs(lo), abs(hi)))),
        "interpolation": _interp(d),
        "border": _border(d),
        "fill": _fill(d),
        _NOTES: [
            f"albumentations stretches each grid line by 1 + U{[lo, hi]}"
            f"{' (normalised so the image stays covered)' if d.get('normalized', True) else ''}; augviz "
            "stretches or squeezes each cell by up to the drawn amount: alike in strength, not draw for draw"
        ],
    }


def _perspective_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("fit_output"):
        raise InteropError("fit_output=True (augviz keeps the image framing)")
    if not d.get("keep_size", True):
        raise InteropError("keep_size=False (augviz keeps the image size)")
    lo, hi = _pair(d.get("scale", (0.05, 0.1)))
    return {
        # |N(0, σ)| reaches about 2σ; augviz draws offsets uniformly up to its scale
        "scale": (0.0, min(0.5, 2.0 * hi)),
        "interpolation": _interp(d),
        "border": _border(d),
        "fill": _fill(d),
        _NOTES: [
            f"albumentations moves each corner inwards by |N(0, σ)| with σ from {[lo, hi]} × the size; "
            "augviz "
            f"moves corners both ways, uniformly up to {min(0.5, 2.0 * hi):g} × the size: alike in strength, "
            "not draw for draw"
        ],
    }


_SQUARE_NOTE = ("exact on square images (0.0 grey levels mean difference); on other shapes albumentations "
                "swaps height and width where augviz keeps the size (corners cut, borders filled)")


def _transpose(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    # out[i, j] = img[j, i]: a quarter turn counter-clockwise, then upside down
    return [get_transform("image.rotate")(angle=90.0), get_transform("image.vflip")()], [_SQUARE_NOTE]


def _rotate90(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    """One of the four quarter turns, each as likely (a one_of)."""
    return [get_transform("image.rotate")(angle=a) for a in (0.0, 90.0, 180.0, -90.0)], [_SQUARE_NOTE]


#: mapped both ways
MAPPINGS: tuple[Mapping, ...] = (
    Mapping("image.hflip", "HorizontalFlip", no_params, no_params, example={}),
    Mapping("image.vflip", "VerticalFlip", no_params, no_params, example={}),
    Mapping(
        "image.rotate",
        "Rotate",
        lambda v: {"limit": list(v["angle"]), **_geometry_back(v)},
        _rotate_in,
        example={"angle": (-25.0, 10.0), "interpolation": "nearest", "border": "reflect", "fill": 0.2},
    ),
    Mapping(
        "image.affine",
        "Affine",
        _affine_out,
        _affine_in,
        example={"angle": (-10.0, 10.0), "translate": (-0.1, 0.05), "scale": (0.9, 1.2),
                 "shear": (-6.0, 4.0), "border": "replicate"},
        notes=_affine_notes,
    ),
    Mapping(
        "image.random_resized_crop",
        "RandomResizedCrop",
        lambda v: {
            "size": [v["height"], v["width"]],
            "scale": list(v["scale"]),
            "ratio": list(v["ratio"]),
            "interpolation": _INTERP_BACK[v["interpolation"]],
        },
        _rrc_in,
        example={"height": 48, "width": 40, "scale": (0.3, 0.9), "ratio": (0.8, 1.25),
                 "interpolation": "bicubic"},
    ),
    Mapping(
        "image.optical_distortion",
        "OpticalDistortion",
        lambda v: {"distort_limit": list(v["k"]), "mode": v["mode"], **_geometry_back(v)},
        lambda d: {"k": _pair(d.get("distort_limit", (-0.05, 0.05))), "mode": d.get("mode", "camera"),
                   **_geometry(d)},
        example={"k": (-0.2, 0.1), "mode": "fisheye", "interpolation": "nearest", "border": "reflect",
                 "fill": 0.0},
    ),
)

#: read as an augviz transform but never written (approximate)
ALIASES: tuple[Mapping, ...] = (
    Mapping("image.affine", "ShiftScaleRotate", read_only, _ssr_in, notes=_affine_notes),
    Mapping("image.elastic", "ElasticTransform", read_only, _elastic_in),
    Mapping("image.grid_distortion", "GridDistortion", read_only, _grid_in),
    Mapping("image.perspective", "Perspective", read_only, _perspective_in),
)

#: albumentations classes that come in as several augviz steps applied together
SPLIT_READERS = {"Transpose": _transpose}
#: albumentations classes that come in as a one_of of augviz steps
CHOICE_READERS = {"RandomRotate90": _rotate90}
