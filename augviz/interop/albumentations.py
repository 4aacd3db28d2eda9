"""albumentations ↔ augviz.

- :func:`from_albumentations` reads what ``A.to_dict`` / ``A.save`` write (JSON or YAML,
  albumentations 1.x or 2.x, or a live ``A.Compose``) into a :class:`~augviz.Recipe`, with
  an :class:`ImportResult` listing each transform as exact, approximate (what differs, in
  measured numbers where possible) or dropped (why);
- :func:`to_albumentations` writes a dict that ``A.from_dict`` loads, and
  :func:`to_albumentations_source` the equivalent Python code.

``MAPPINGS`` go both ways, ``ALIASES`` are read only; the replay test
(tests/test_interop_albumentations_replay.py) checks each against albumentations' own
sampled parameters. Checked against albumentations 2.0.8 (the last MIT release).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from augviz.core import AugvizError, OneOf, Recipe, SomeOf, Transform
from augviz.core import get as get_transform
from augviz.core.registry import get_preprocess

from ._base import (
    Call,
    InteropError,
    Mapping,
    Peer,
    Targets,
    export_steps,
    no_params,
    read_only,
    write_source,
)

__all__ = [
    "ALB_VERSION",
    "ALIASES",
    "MAPPINGS",
    "PEER",
    "PREPROCESS_MAPPINGS",
    "UNMAPPABLE",
    "ImportResult",
    "InteropError",
    "Targets",
    "from_albumentations",
    "to_albumentations",
    "to_albumentations_source",
]

ALB_VERSION = "2.0.8"

_INTERP = {0: "nearest", 1: "bilinear", 2: "bicubic"}
_BORDER = {0: "constant", 1: "replicate", 3: "wrap", 4: "reflect"}
_INTERP_BACK = {v: k for k, v in _INTERP.items()}
_BORDER_BACK = {v: k for k, v in _BORDER.items()}


def _pair(v: Any) -> tuple[float, float]:
    if isinstance(v, (int, float)):
        return (float(v), float(v))
    return (float(v[0]), float(v[1]))


def _int_pair(v: Any) -> tuple[int, int]:
    lo, hi = _pair(v)
    return (int(lo), int(hi))


def _interp(d: dict[str, Any]) -> str:
    code = d.get("interpolation", 1)
    if code not in _INTERP:
        raise InteropError(f"interpolation={code} (augviz has nearest/bilinear/bicubic: 0/1/2)")
    return _INTERP[code]


def _border(d: dict[str, Any]) -> str:
    code = d.get("border_mode", 0)
    if code not in _BORDER:
        raise InteropError(f"border_mode={code} (augviz maps 0, 1, 3, 4)")
    return _BORDER[code]


def _fill(d: dict[str, Any]) -> float:
    fill = d.get("fill", 0.0)
    if isinstance(fill, (list, tuple)):
        if len(set(fill)) != 1:
            raise InteropError(f"per-channel fill {fill} (augviz fills with one grey level)")
        fill = fill[0]
    return float(fill) / 255.0


def _geometry(d: dict[str, Any]) -> dict[str, Any]:
    return {"interpolation": _interp(d), "border": _border(d), "fill": _fill(d)}


def _geometry_back(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "interpolation": _INTERP_BACK[v["interpolation"]],
        "border_mode": _BORDER_BACK[v["border"]],
        "fill": v["fill"] * 255.0,
    }


def _xy(d: Any, name: str) -> tuple[float, float]:
    if isinstance(d, dict):
        x, y = _pair(d["x"]), _pair(d["y"])
        if x != y:
            raise InteropError(f"{name} differs for x {x} and y {y} (augviz uses one range for both)")
        return x
    return _pair(d)


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


def _noise_in(d: dict[str, Any]) -> dict[str, Any]:
    if _pair(d.get("mean_range", (0, 0))) != (0.0, 0.0):
        raise InteropError("mean_range ≠ 0 (augviz noise is zero-mean)")
    if d.get("noise_scale_factor", 1.0) != 1.0:
        raise InteropError("noise_scale_factor ≠ 1")
    return {"std": _pair(d["std_range"]), "per_channel": bool(d.get("per_channel", True))}


def _jpeg_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("compression_type", "jpeg") != "jpeg":
        raise InteropError(f"compression_type={d.get('compression_type')!r}")
    return {"quality": _int_pair(d["quality_range"])}


def _rrc_in(d: dict[str, Any]) -> dict[str, Any]:
    h, w = d["size"]
    return {
        "height": int(h),
        "width": int(w),
        "scale": _pair(d["scale"]),
        "ratio": _pair(d["ratio"]),
        "interpolation": _interp(d),
    }


def _gamma_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _pair(d.get("gamma_limit", (80, 120)))
    return {"gamma": (lo / 100.0, hi / 100.0)}


def _equalize_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("mode", "cv") != "cv" or d.get("mask") is not None:
        raise InteropError("only mode='cv' without a mask is mapped")
    return {"mode": "channels" if d.get("by_channels", True) else "luma"}


_JITTER = ("brightness", "contrast", "saturation", "hue")
#: key under which a reader passes notes about one pipeline's settings (never a parameter)
_NOTES = "__notes__"


def _odd_radius(limit: Any) -> tuple[int, int]:
    """albumentations' odd kernel sizes ``[lo, hi]`` (raised to odd, at least 3) as augviz
    radii: the same odd sizes, each as likely."""
    lo, hi = _int_pair(limit)
    lo, hi = max(3, lo | 1), max(3, hi | 1)
    return ((lo - 1) // 2, (max(lo, hi) - 1) // 2)


def _radius_out(v: dict[str, Any]) -> dict[str, Any]:
    lo, hi = v["radius"]
    if lo < 1:
        raise InteropError(
            f"radius {list(v['radius'])} includes 0 (albumentations' kernels are at least 3 px)")
    return {"blur_limit": [2 * lo + 1, 2 * hi + 1]}


def _opencv_sigma(size: int) -> float:
    """The sigma OpenCV derives from a kernel width when it is given none."""
    return 0.3 * ((max(3, size | 1) - 1) * 0.5 - 1) + 0.8


def _gaussian_blur_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _int_pair(d.get("blur_limit", (0, 0)))
    sigma = _pair(d.get("sigma_limit", (0.5, 3.0)))
    if sigma[0] <= 0.0 and hi > 0:  # albumentations 1.x: sigma 0 means "from the kernel width"
        derived = (_opencv_sigma(lo), _opencv_sigma(hi))
        return {"sigma": derived, "size": (lo, hi), _NOTES: [
            f"sigma_limit={list(sigma)}: OpenCV derives sigma from each kernel width; augviz draws "
            "sigma from "
            f"{[round(x, 3) for x in derived]} independently of the width"]}
    # albumentations draws randint(lo, hi) and raises even widths to odd; augviz the same
    return {"sigma": sigma, "size": (lo, hi)}


def _clahe_in(d: dict[str, Any]) -> dict[str, Any]:
    tiles = _int_pair(d.get("tile_grid_size", (8, 8)))
    if tiles[0] != tiles[1]:
        raise InteropError(f"tile_grid_size={list(tiles)} is not square (augviz uses n × n tiles)")
    return {"clip_limit": _pair(d.get("clip_limit", (1.0, 4.0))), "tiles": tiles[0]}


def _rgb_in(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for c in ("r", "g", "b"):
        lo, hi = _pair(d.get(f"{c}_shift_limit", (-20, 20)))
        out[{"r": "red", "g": "green", "b": "blue"}[c]] = (lo / 255.0, hi / 255.0)
    return out


_JPEG_NOTE = ("albumentations hands the RGB array to OpenCV, which encodes it as BGR (chroma is subsampled "
              "on swapped channels): 2.8 / 4.4 / 5.0 grey levels mean difference on a photo at quality 90 / "
              "50 / 30")


_CONTRAST_NOTE = ("both blend with the mean luma; rounding differs: 0.4-0.5 grey levels mean difference "
                  "on a photo at factors 0.7-1.3")


def _jitter_notes(v: dict[str, Any]) -> list[str]:
    changing = [k for k in _JITTER if v[k] != ((0.0, 0.0) if k == "hue" else (1.0, 1.0))]
    notes = []
    if "contrast" in changing:
        notes.append(_CONTRAST_NOTE)
    if len(changing) < 2:
        return notes
    return [
        *notes,
        "albumentations applies brightness, contrast, saturation and hue in a shuffled order, augviz in "
        "that fixed order; replaying 20 draws at ColorJitter's default limits on a photo, the order "
        "changes it by 1.6 grey levels mean (up to 3.7; 0.9 without hue)",
    ]


def _in_pixels(v: Any) -> bool:
    values = v if isinstance(v, (list, tuple)) else [v]
    return any(isinstance(x, int) and not isinstance(x, bool) for x in values) or max(values) > 1.0


def _cutout_in(d: dict[str, Any]) -> dict[str, Any]:
    raw_h, raw_w = d.get("hole_height_range", (0.1, 0.2)), d.get("hole_width_range", (0.1, 0.2))
    hh, hw = _pair(raw_h), _pair(raw_w)
    notes = []
    if _in_pixels(raw_h) or _in_pixels(raw_w):
        hh = (min(1.0, hh[0] / _REF_SIDE), min(1.0, hh[1] / _REF_SIDE))
        hw = (min(1.0, hw[0] / _REF_SIDE), min(1.0, hw[1] / _REF_SIDE))
        notes.append(f"hole sizes in pixels become fractions of a {_REF_SIDE:g}-px image (augviz sizes holes "
                     "as fractions of the image)")
    fill = d.get("fill", 0)
    if isinstance(fill, str):
        raise InteropError(f"fill={fill!r} (augviz fills holes with one grey level)")
    if hh != hw:
        notes.append(
            f"albumentations draws each hole's height from {list(hh)} and width from {list(hw)}; augviz one "
            f"size from {[min(hh[0], hw[0]), max(hh[1], hw[1])]} for height and width of all holes"
        )
    notes.append("albumentations draws a size per hole and lets holes touch the border; augviz one size "
                 "for all holes, each fully inside")
    return {
        "holes": _int_pair(d.get("num_holes_range", (1, 2))),
        "size": (min(hh[0], hw[0]), max(hh[1], hw[1])),
        "fill": _fill(d),
        _NOTES: notes,
    }


def _motion_angle(d: dict[str, Any]) -> tuple[float, float]:
    lo, hi = _pair(d.get("angle_range", (0.0, 360.0)))
    if hi - lo >= 180.0:  # a blur line is the same line turned by 180°: every direction
        return (-180.0, 180.0)
    # albumentations measures the angle with y pointing down; augviz counter-clockwise
    a, b = -hi, -lo
    while a < -180.0:
        a, b = a + 180.0, b + 180.0
    while b > 180.0:
        a, b = a - 180.0, b - 180.0
    return (a, b)


def _motion_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _int_pair(d.get("blur_limit", (3, 7)))
    notes = ["albumentations draws odd kernel sizes; augviz draws a length of any integer in the range"]
    if d.get("allow_shifted", True):
        notes.append("allow_shifted=True: albumentations also shifts the blur line off centre (which moves "
                     "the image by up to a quarter of the kernel); augviz keeps it centred: 7.3 grey levels "
                     "mean difference on a photo at blur_limit (3, 7), over 20 draws")
    if _pair(d.get("direction_range", (0.0, 0.0))) != (0.0, 0.0):
        notes.append("direction_range: albumentations biases the line forwards or backwards; augviz blurs "
                     "symmetrically: 3.9 grey levels mean difference on a photo at direction_range (-1, 1), "
                     "blur_limit (3, 7), over 20 draws")
    return {"length": (max(1, lo), max(1, hi)), "angle": _motion_angle(d), _NOTES: notes}


def _motion_out(v: dict[str, Any]) -> dict[str, Any]:
    lo, hi = v["length"]
    a, b = v["angle"]
    # y down in albumentations; a line turned by 180° is the same line
    turned = [-b, -a] if -b >= 0.0 else [180.0 - b, 180.0 - a]
    angles = [0.0, 360.0] if b - a >= 180.0 else turned
    return {
        "blur_limit": [max(3, lo | 1), max(3, hi | 1)],
        "angle_range": angles,
        "direction_range": [0.0, 0.0],
        "allow_shifted": False,
    }


def _motion_notes(v: dict[str, Any]) -> list[str]:
    return ["albumentations draws odd kernel sizes; augviz draws a length of any integer in the range"]


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


def _sharpen_in(d: dict[str, Any]) -> dict[str, Any]:
    alpha = _pair(d.get("alpha", (0.2, 0.5)))
    if d.get("method", "kernel") != "kernel":
        return {"amount": alpha, "sigma": max(0.3, float(d.get("sigma", 1.0))), _NOTES: [
            "albumentations' gaussian method blurs with a kernel_size-wide kernel, augviz's is "
            "2·int(3.5·sigma) + 1 wide; on uint8 images albumentations 2.0.8 subtracts in uint8, which "
            "wraps around (32 grey levels mean difference on a photo at alpha 0.3, sigma 1): augviz "
            "computes the unsharp mask the method describes"]}
    # the kernel (1 − a)·δ + a·(−1 ring, 8 + L centre) is x·(1 + a(L − 1)) + 9a·(x − box3(x)): an
    # unsharp mask of amount 9a with a 3×3 box (σ ≈ 0.82 px) and a darkening for L < 1
    notes = [
        "albumentations sharpens with a 3×3 box, augviz with a Gaussian of σ = 0.82 px and amount 9·alpha: "
        "2.3 / 3.1 / 3.7 grey levels mean difference on a photo at alpha 0.2 / 0.35 / 0.5 with lightness 1 "
        "(the unsharpened photo is 15 / 22 / 28 away)"
    ]
    light = _pair(d.get("lightness", (0.5, 1.0)))
    if light != (1.0, 1.0):
        notes.append(
            f"lightness {list(light)} below 1 also darkens by 1 + alpha·(lightness − 1), which augviz leaves "
            "out: 5.6 grey levels mean difference at alpha 0.2, lightness 0.75"
        )
    if 9.0 * alpha[1] > 5.0:
        notes.append(f"alpha up to {alpha[1]:g} is capped at augviz's largest amount, 5 (alpha 0.56)")
    return {"amount": (min(5.0, 9.0 * alpha[0]), min(5.0, 9.0 * alpha[1])), "sigma": 0.82, _NOTES: notes}


#: the short side at which pixel sizes are turned into fractions of the image
_REF_SIDE = 256.0


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


def _hue_out(v: dict[str, Any]) -> dict[str, Any]:
    lo, hi = v["shift"]
    return {"hue_shift_limit": [lo * 180.0, hi * 180.0], "sat_shift_limit": [0.0, 0.0],
            "val_shift_limit": [0.0, 0.0]}


def _hue_notes(v: dict[str, Any]) -> list[str]:
    return ["albumentations truncates the hue shift to whole OpenCV hue steps (2°), augviz rounds: "
            "at most one hue step apart (0.0 grey levels mean difference on a photo at shifts of 7.3, 10, "
            "-15.5)"]


def _jitter_one(name: str) -> Any:
    """ColorJitter changing ``name`` only (a single adjustment: the shuffled order is moot)."""
    def out(v: dict[str, Any]) -> dict[str, Any]:
        d: dict[str, Any] = {k: [1.0, 1.0] for k in ("brightness", "contrast", "saturation")}
        d["hue"] = [0.0, 0.0]
        d[name] = list(v["factor"])
        return d
    return out


def _color_jitter(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    """ColorJitter; one that changes only saturation or only contrast is that augviz transform."""
    v = {k: _pair(d.get(k, (0.0, 0.0) if k == "hue" else (1.0, 1.0))) for k in _JITTER}
    changing = [k for k in _JITTER if v[k] != ((0.0, 0.0) if k == "hue" else (1.0, 1.0))]
    if changing == ["saturation"]:
        return [get_transform("image.saturation")(factor=v["saturation"])], []
    if changing == ["contrast"]:
        return [get_transform("image.contrast")(factor=v["contrast"])], [_CONTRAST_NOTE]
    t = get_transform("image.color_jitter")(**v)
    return [t], _jitter_notes(dict(t.params))


_SAT_NOTE = ("albumentations adds sat_shift to the HSV saturation (0–255), augviz blends with the grey image "
             "by 1 + shift/128: not alike (at a shift of 30 albumentations moves a photo by 9.3 grey "
             "levels mean; the closest augviz factor still differs from it by 9.2)")
_VAL_NOTE = ("albumentations adds val_shift to the HSV value (the largest channel, so every channel of a "
             "pixel moves in proportion), augviz adds val_shift/255 to every channel: 4.3 grey levels mean "
             "difference on a photo at a shift of 20 (the shift itself moves it by 15.5)")


def _hsv(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    h = _pair(d.get("hue_shift_limit", (-20, 20)))
    s = _pair(d.get("sat_shift_limit", (-30, 30)))
    v = _pair(d.get("val_shift_limit", (-20, 20)))
    kids: list[Transform] = []
    notes: list[str] = []
    if h != (0.0, 0.0):
        kids.append(get_transform("image.hue")(shift=(h[0] / 180.0, h[1] / 180.0)))
        notes += _hue_notes({})
    if s != (0.0, 0.0):
        kids.append(get_transform("image.saturation")(factor=(1.0 + s[0] / 128.0, 1.0 + s[1] / 128.0)))
        notes.append(_SAT_NOTE)
    if v != (0.0, 0.0):
        kids.append(get_transform("image.brightness")(delta=(v[0] / 255.0, v[1] / 255.0)))
        notes.append(_VAL_NOTE)
    return kids, notes


def _brightness_contrast(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    if not d.get("brightness_by_max", True):
        raise InteropError("brightness_by_max=False (brightness relative to the image mean is not mapped)")
    b = _pair(d.get("brightness_limit", (-0.2, 0.2)))
    c = _pair(d.get("contrast_limit", (-0.2, 0.2)))
    kids: list[Transform] = []
    if c != (0.0, 0.0):  # x·(1+c): albumentations' contrast scales about 0, then adds brightness
        kids.append(get_transform("image.color_jitter")(
            brightness=(1 + c[0], 1 + c[1]), contrast=1.0, saturation=1.0, hue=0.0))
    if b != (0.0, 0.0) or not kids:
        kids.append(get_transform("image.brightness")(delta=b))
    return kids, []


_SQUARE_NOTE = ("exact on square images (0.0 grey levels mean difference); on other shapes albumentations "
                "swaps height and width where augviz keeps the size (corners cut, borders filled)")


def _transpose(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    # out[i, j] = img[j, i]: a quarter turn counter-clockwise, then upside down
    return [get_transform("image.rotate")(angle=90.0), get_transform("image.vflip")()], [_SQUARE_NOTE]


def _rotate90(d: dict[str, Any]) -> tuple[list[Transform], list[str]]:
    """One of the four quarter turns, each as likely (a one_of)."""
    return [get_transform("image.rotate")(angle=a) for a in (0.0, 90.0, 180.0, -90.0)], [_SQUARE_NOTE]


#: albumentations classes that come in as several augviz steps applied together
_SPLIT_READERS = {"RandomBrightnessContrast": _brightness_contrast, "HueSaturationValue": _hsv,
                  "Transpose": _transpose, "ColorJitter": _color_jitter}
#: albumentations classes that come in as a one_of of augviz steps
_CHOICE_READERS = {"RandomRotate90": _rotate90}

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
#: classes that run code given by the user
_CODE = frozenset({"Lambda", "TemplateTransform"})
_CONTAINERS = ("Compose", "Sequential", "OneOf", "SomeOf", "OneOrOther", "SelectiveChannelTransform",
               "ReplayCompose", "RandomOrder")


#: limits that albumentations widens from one number v to (-v, v)
_SYMMETRIC = frozenset({
    "limit", "brightness_limit", "contrast_limit", "rotate_limit", "shift_limit", "shift_limit_x",
    "shift_limit_y", "scale_limit", "hue_shift_limit", "sat_shift_limit", "val_shift_limit", "r_shift_limit",
    "g_shift_limit", "b_shift_limit", "distort_limit",
})


def _widen(d: dict[str, Any]) -> None:
    """One-number limits as albumentations reads them (hand-written dicts and YAML have them)."""
    for key, value in list(d.items()):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        if key in _SYMMETRIC:
            d[key] = [-abs(value), abs(value)]
        elif key == "blur_limit":
            d[key] = [0 if _class(d) == "GaussianBlur" else 3, value]
        elif key == "clip_limit":
            d[key] = [1.0, value]


def _migrate_1x(d: dict[str, Any]) -> dict[str, Any]:
    """A transform dict written by albumentations 1.x with the 2.x argument names (and
    one-number limits widened as albumentations does)."""
    d = dict(d)
    _widen(d)
    if "shift_limit" in d and "shift_limit_x" not in d:
        d["shift_limit_x"] = d["shift_limit_y"] = d.pop("shift_limit")
    if d.pop("always_apply", False):
        d["p"] = 1.0
    if "fill_value" in d and "fill" not in d:
        d["fill"] = d.pop("fill_value")
    if "value" in d and "fill" not in d:
        v = d.pop("value")
        d["fill"] = 0.0 if v is None else v
    cls = _class(d)
    if cls == "GaussNoise" and "var_limit" in d:
        lo, hi = _pair(d.pop("var_limit"))
        d["std_range"] = [math.sqrt(lo) / 255.0, math.sqrt(hi) / 255.0]
        d["mean_range"] = [float(d.pop("mean", 0)) / 255.0] * 2
    if cls in ("ImageCompression", "JpegCompression") and "quality_lower" in d:
        d["quality_range"] = [d.pop("quality_lower"), d.pop("quality_upper", 100)]
        d["__class_fullname__"] = "ImageCompression"
    if cls in ("ImageCompression", "JpegCompression") and isinstance(d.get("compression_type"), int):
        d["compression_type"] = {0: "jpeg", 1: "webp"}.get(d["compression_type"], d["compression_type"])
    if cls == "CoarseDropout" and "max_holes" in d:
        d["num_holes_range"] = [d.pop("min_holes", None) or d["max_holes"], d.pop("max_holes")]
        for side in ("height", "width"):
            hi = d.pop(f"max_{side}")
            lo = d.pop(f"min_{side}", None) or hi
            d[f"hole_{side}_range"] = [lo, hi]
    if cls == "Cutout":  # removed in 2.x: holes of one size in pixels
        n = int(d.pop("num_holes", 8))
        d["num_holes_range"] = [n, n]
        d["hole_height_range"] = [int(d.get("max_h_size", 8))] * 2
        d["hole_width_range"] = [int(d.get("max_w_size", 8))] * 2
        d["__class_fullname__"] = "CoarseDropout"
    if cls in ("RandomBrightness", "RandomContrast"):  # removed in 2.x: one half of RandomBrightnessContrast
        limit = d.pop("limit", 0.2)
        zero = [0.0, 0.0]
        d["brightness_limit"] = limit if cls == "RandomBrightness" else zero
        d["contrast_limit"] = limit if cls == "RandomContrast" else zero
        d["__class_fullname__"] = "RandomBrightnessContrast"
    if cls in ("RandomResizedCrop",) and "height" in d:
        d["size"] = [d.pop("height"), d.pop("width")]
    if cls == "Downscale" and "scale_min" in d:
        d["scale_range"] = [d.pop("scale_min"), d.pop("scale_max")]
    if cls == "Solarize" and "threshold" in d and "threshold_range" not in d:
        t = _pair(d.pop("threshold"))
        d["threshold_range"] = [t[0] / 255.0, t[1] / 255.0]
    return d




def _affine_notes(v: dict[str, Any]) -> list[str]:
    notes = []
    if v["angle"] != (0.0, 0.0) and v["shear"] != (0.0, 0.0):
        notes.append(
            "albumentations shears after rotating, augviz before; outputs differ when both are non-zero"
        )
    if v["translate"] != (0.0, 0.0):
        notes.append("albumentations truncates shifts to whole pixels")
    return notes


def _cutout_out(v: dict[str, Any]) -> dict[str, Any]:
    return {
        "num_holes_range": list(v["holes"]),
        "hole_height_range": list(v["size"]),
        "hole_width_range": list(v["size"]),
        "fill": v["fill"] * 255.0,
    }


def _cutout_notes(v: dict[str, Any]) -> list[str]:
    return ["albumentations draws a size per hole and lets holes touch the border; augviz one size for all "
            "holes, each fully inside"]


MAPPINGS = (
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
        "image.gaussian_blur",
        "GaussianBlur",
        lambda v: {"sigma_limit": list(v["sigma"]), "blur_limit": list(v["size"])},
        _gaussian_blur_in,
        example={"sigma": (0.4, 1.7), "size": (3, 5)},
    ),
    Mapping(
        "image.box_blur",
        "Blur",
        _radius_out,
        lambda d: {"radius": _odd_radius(d.get("blur_limit", (3, 7)))},
        example={"radius": (1, 4)},
    ),
    Mapping(
        "image.median_blur",
        "MedianBlur",
        _radius_out,
        lambda d: {"radius": _odd_radius(d.get("blur_limit", (3, 7)))},
        example={"radius": (2, 3)},
    ),
    Mapping(
        "image.motion_blur",
        "MotionBlur",
        _motion_out,
        _motion_in,
        example={"length": (5, 9), "angle": (-30.0, 60.0)},
        notes=_motion_notes,
    ),
    Mapping(
        "image.gaussian_noise",
        "GaussNoise",
        lambda v: {"std_range": list(v["std"]), "per_channel": v["per_channel"]},
        _noise_in,
        example={"std": (0.01, 0.2), "per_channel": False},
    ),
    Mapping(
        "image.color_jitter",
        "ColorJitter",
        lambda v: {k: list(v[k]) for k in _JITTER},
        lambda d: {k: _pair(d[k]) for k in _JITTER},
        example={"brightness": (0.7, 1.3), "contrast": (0.9, 1.1), "saturation": (0.5, 1.5),
                 "hue": (-0.1, 0.1)},
        notes=_jitter_notes,
    ),
    Mapping(
        "image.brightness",
        "RandomBrightnessContrast",
        lambda v: {"brightness_limit": list(v["delta"]), "contrast_limit": [0.0, 0.0],
                   "brightness_by_max": True},
        example={"delta": (-0.15, 0.3)},
    ),
    Mapping("image.hue", "HueSaturationValue", _hue_out, example={"shift": (-0.1, 0.05)}, notes=_hue_notes),
    Mapping("image.saturation", "ColorJitter", _jitter_one("saturation"), example={"factor": (0.75, 1.25)}),
    Mapping("image.contrast", "ColorJitter", _jitter_one("contrast"), example={"factor": (0.7, 1.3)},
            notes=lambda v: [_CONTRAST_NOTE]),
    Mapping(
        "image.cutout",
        "CoarseDropout",
        _cutout_out,
        _cutout_in,
        example={"holes": (2, 5), "size": (0.1, 0.3), "fill": 0.4},
        notes=_cutout_notes,
    ),
    Mapping(
        "image.jpeg",
        "ImageCompression",
        lambda v: {"quality_range": list(v["quality"]), "compression_type": "jpeg"},
        _jpeg_in,
        example={"quality": (40, 80)},
        notes=lambda v: [_JPEG_NOTE],
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
    Mapping(
        "image.iso_noise",
        "ISONoise",
        lambda v: {"color_shift": list(v["color_shift"]), "intensity": list(v["intensity"])},
        lambda d: {"color_shift": _pair(d.get("color_shift", (0.01, 0.05))),
                   "intensity": _pair(d.get("intensity", (0.1, 0.5)))},
        example={"color_shift": (0.02, 0.08), "intensity": (0.2, 0.7)},
    ),
    Mapping("image.grayscale", "ToGray", no_params, no_params, example={}),
    Mapping("image.invert", "InvertImg", no_params, no_params, example={}),
    Mapping("image.channel_shuffle", "ChannelShuffle", no_params, no_params, example={}),
    Mapping(
        "image.clahe",
        "CLAHE",
        lambda v: {"clip_limit": list(v["clip_limit"]), "tile_grid_size": [v["tiles"], v["tiles"]]},
        _clahe_in,
        example={"clip_limit": (2.0, 3.5), "tiles": 4},
    ),
    Mapping(
        "image.rgb_shift",
        "RGBShift",
        lambda v: {f"{c[0]}_shift_limit": [v[c][0] * 255.0, v[c][1] * 255.0]
                   for c in ("red", "green", "blue")},
        _rgb_in,
        example={"red": (-0.1, 0.05), "green": (0.0, 0.1), "blue": (-0.05, 0.0)},
    ),
    Mapping(
        "image.equalize",
        "Equalize",
        lambda v: {"mode": "cv", "by_channels": v["mode"] == "channels"},
        _equalize_in,
        example={"mode": "luma"},
    ),
    Mapping(
        "image.posterize",
        "Posterize",
        lambda v: {"num_bits": list(v["bits"])},
        lambda d: {"bits": _int_pair(d["num_bits"])},
        example={"bits": (3, 6)},
    ),
    Mapping(
        "image.solarize",
        "Solarize",
        lambda v: {"threshold_range": list(v["threshold"])},
        lambda d: {"threshold": _pair(d["threshold_range"])},
        example={"threshold": (0.4, 0.9)},
    ),
    Mapping(
        "image.gamma",
        "RandomGamma",
        lambda v: {"gamma_limit": [v["gamma"][0] * 100.0, v["gamma"][1] * 100.0]},
        _gamma_in,
        example={"gamma": (0.7, 1.4)},
    ),
    Mapping(
        "image.downscale",
        "Downscale",
        lambda v: {"scale_range": list(v["scale"])},
        lambda d: {"scale": _pair(d["scale_range"])},
        example={"scale": (0.3, 0.6)},
    ),
)

def _salt_pepper_in(d: dict[str, Any]) -> dict[str, Any]:
    svp = _pair(d.get("salt_vs_pepper", (0.4, 0.6)))
    notes = ["albumentations draws the noisy pixels with its own generator: alike in amount, not pixel for "
             "pixel"]
    if svp[0] != svp[1]:
        notes.append(f"albumentations draws the salt share from {list(svp)}; augviz keeps it at "
                     f"{(svp[0] + svp[1]) / 2:g}")
    return {"amount": _pair(d.get("amount", (0.01, 0.06))), "salt": (svp[0] + svp[1]) / 2, _NOTES: notes}


def _erasing_in(d: dict[str, Any]) -> dict[str, Any]:
    fill = d.get("fill", 0.0)
    noise = fill in ("random", "random_uniform")
    if isinstance(fill, str) and not noise:
        raise InteropError(f"fill={fill!r} (augviz fills with one grey level or uniform noise)")
    notes = ["albumentations places and shapes the box its own way (up to 10 tries, log-uniform aspect "
             "ratio): alike in size, not draw for draw"]
    if fill == "random":
        notes.append("fill='random': albumentations fills with Gaussian noise, augviz with uniform noise")
    return {
        "scale": _pair(d.get("scale", (0.02, 0.33))),
        "ratio": _pair(d.get("ratio", (0.3, 3.3))),
        "noise": noise,
        "fill": 0.0 if noise else _fill(d),
        _NOTES: notes,
    }


def _grid_dropout_in(d: dict[str, Any]) -> dict[str, Any]:
    fill = d.get("fill", 0.0)
    if isinstance(fill, str):
        raise InteropError(f"fill={fill!r} (augviz fills the grid with one grey level)")
    units, holes = d.get("unit_size_range"), d.get("holes_number_xy")
    if units is not None:
        lo, hi = _pair(units)
        unit = (lo / _REF_SIDE, hi / _REF_SIDE)
        how = f"unit_size_range {[lo, hi]} px becomes fractions of a {_REF_SIDE:g}-px short side"
    elif holes is not None:
        n = max(_int_pair(holes))
        unit = (1.0 / n, 1.0 / n)
        how = f"holes_number_xy {list(_int_pair(holes))} becomes a unit of 1/{n} of the short side"
    else:  # albumentations' default: a tenth of each side
        unit = (0.1, 0.1)
        how = "the default grid (a tenth of each side) becomes a unit of 0.1 × the short side"
    return {
        "unit": (max(0.02, min(1.0, unit[0])), max(0.02, min(1.0, unit[1]))),
        "ratio": float(d.get("ratio", 0.5)),
        "fill": _fill(d),
        _NOTES: [how, "albumentations offsets the grid at random (random_offset) its own way: alike, not "
                 "draw for draw"],
    }


#: albumentations classes read as an augviz transform but never written (approximate)
ALIASES = (
    Mapping("image.salt_pepper", "SaltAndPepper", read_only, _salt_pepper_in),
    Mapping("image.random_erasing", "Erasing", read_only, _erasing_in),
    Mapping("image.grid_mask", "GridDropout", read_only, _grid_dropout_in),
    Mapping("image.affine", "ShiftScaleRotate", read_only, _ssr_in, notes=_affine_notes),
    Mapping("image.sharpen", "Sharpen", read_only, _sharpen_in),
    Mapping("image.elastic", "ElasticTransform", read_only, _elastic_in),
    Mapping("image.grid_distortion", "GridDistortion", read_only, _grid_in),
    Mapping("image.perspective", "Perspective", read_only, _perspective_in),
)

#: augviz image transforms without an albumentations mapping, and why
UNMAPPABLE = {
    "image.autocontrast": "not checked to match: A.AutoContrast's cdf/pil methods against augviz's per-"
    "channel stretch with a quantile cutoff",
    "image.crop_pad": "not checked to match: A.CropAndPad(percent=..., keep_size=True) rounds and "
    "resizes in its own way",
    "image.elastic": "A.ElasticTransform takes alpha and sigma in pixels; augviz takes fractions of "
    "the short side and scales the field to its largest displacement (read approximately, not written)",
    "image.grid_distortion": "A.GridDistortion stretches grid lines by 1 + U(distort_limit); augviz "
    "stretches cells by up to a drawn amount (read approximately, not written)",
    "image.grid_mask": "A.GridDropout sizes its unit in pixels; augviz in fractions of the short side (read "
    "approximately, not written)",
    "image.perspective": "A.Perspective draws corner offsets from a normal distribution, inwards; augviz "
    "uniformly, both ways (read approximately, not written)",
    "image.random_erasing": "A.Erasing samples its box and 'random' fill its own way (read approximately, "
    "not written)",
    "image.salt_pepper": "A.SaltAndPepper draws a salt share per call; augviz takes a fixed share (read "
    "approximately, not written)",
    "image.sharpen": "A.Sharpen blends a sharpening kernel by alpha/lightness; augviz adds a Gaussian "
    "unsharp mask (read approximately, not written)",
    "image.speckle": "A.MultiplicativeNoise draws a uniform multiplier; augviz a Gaussian one",
}


@dataclass
class ImportResult:
    """What :func:`from_albumentations` made of a pipeline: the recipe and, for every
    albumentations transform, whether it came in exactly, approximately (what differs) or
    was dropped (why). ``path`` is where the transform sits in the pipeline."""

    recipe: Recipe
    #: (path, class): same parameters and the same behaviour
    exact: list[tuple[str, str]] = field(default_factory=list)
    #: (path, class, what differs — in numbers where measured)
    approximate: list[tuple[str, str, str]] = field(default_factory=list)
    #: (path, class, why it was left out)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    #: the pipeline's ``bbox_params`` / ``keypoint_params``: build Boxes and Keypoints that
    #: follow them with ``result.targets.boxes(...)`` / ``.keypoints(...)``
    targets: Targets = field(default_factory=Targets)
    #: the library the pipeline came from
    source: str = "albumentations"

    @property
    def complete(self) -> bool:
        """Nothing was dropped."""
        return not self.dropped

    @property
    def mapped(self) -> list[str]:
        """The classes that came in, exactly or approximately, in pipeline order."""
        rows = [r for r in self.exact + self.approximate if r[0].startswith("transforms[")]
        return [row[1] for row in sorted(rows, key=lambda r: _order(r[0]))]

    @property
    def skipped(self) -> list[tuple[str, str, str]]:
        """The dropped rows (path, class, reason)."""
        return self.dropped

    @property
    def notes(self) -> list[str]:
        """One line per approximate transform: where, which and what differs."""
        return [f"{path} {cls}: {what}" for path, cls, what in self.approximate]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Every transform as (path, class, "exact" | "approximate" | "dropped", detail), in order."""
        rows = [(p, c, "exact", "") for p, c in self.exact]
        rows += [(p, c, "approximate", w) for p, c, w in self.approximate]
        rows += [(p, c, "dropped", w) for p, c, w in self.dropped]
        return sorted(rows, key=lambda r: _order(r[0]))

    def __str__(self) -> str:
        lines = [
            f"{self.source} → augviz: {len(self.exact)} exact, {len(self.approximate)} approximate, "
            f"{len(self.dropped)} dropped"
        ]
        if self.dropped:
            lines.append("dropped:")
            lines += [f"  {path} {cls}: {why}" for path, cls, why in self.dropped]
        if self.approximate:
            lines.append("approximate:")
            lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        colour = {"exact": "#2e7d32", "approximate": "#b26a00", "dropped": "#c62828"}
        rows = "".join(
            f"<tr><td><code>{html.escape(p)}</code></td><td>{html.escape(c)}</td>"
            f"<td style='color:{colour[s]}'>{s}</td><td>{html.escape(w)}</td></tr>"
            for p, c, s, w in self.rows()
        )
        head = html.escape(str(self).splitlines()[0])
        table = (f"<table><tr><th>where</th><th>albumentations</th><th>came in</th><th>what differs / why"
                 f"</th></tr>{rows}</table>") if rows else "<p>The pipeline is empty.</p>"
        return f"<p>{head}</p>{table}{self.recipe._repr_html_()}"


def _order(path: str) -> tuple[int, ...]:
    """``transforms[2].transforms[10]`` sorts as (2, 10)."""
    return tuple(int(n) for n in re.findall(r"\[(\d+)\]", path))


def _load(source: Any) -> dict[str, Any]:
    """The pipeline as albumentations' dict, from a dict, JSON or YAML text or file, or a
    live pipeline. YAML is read with ``yaml.safe_load`` (no code runs)."""
    if isinstance(source, dict):
        return source
    if isinstance(source, (str, Path)):
        text, where, suffix = str(source), "text", ""
        is_text = "\n" in text or text.lstrip().startswith(("{", "__version__", "transform"))
        if isinstance(source, Path) or not is_text:
            path = Path(source)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise InteropError(
                    f"{source}: cannot read an albumentations JSON or YAML file ({exc})") from None
            where, suffix = str(path), path.suffix.lower()
        if suffix in (".yml", ".yaml") or not text.lstrip().startswith("{"):
            return _yaml(text, where)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InteropError(f"{where}: cannot read an albumentations JSON file ({exc})") from None
    if type(source).__module__.startswith("albumentations"):
        return {"__version__": _live_version(), "transform": _live(source)}
    raise InteropError(
        "expected an albumentations dict, JSON or YAML file or text, or an albumentations Compose; "
        f"got {type(source).__module__}.{type(source).__name__}"
    )


def _live_version() -> str:
    import albumentations as A

    return str(A.__version__)


def _live(t: Any) -> dict[str, Any]:
    """A live albumentations transform as its dict; a part albumentations cannot write (a
    Lambda without a name, a custom class) becomes a bare entry that is reported as dropped."""
    import albumentations as A

    try:
        return dict(A.to_dict(t)["transform"])
    except Exception:  # albumentations raises ValueError, TypeError, …: go part by part
        pass
    d: dict[str, Any] = {"__class_fullname__": type(t).__name__, "p": float(getattr(t, "p", 1.0))}
    if isinstance(getattr(t, "transforms", None), (list, tuple)):
        d["transforms"] = [_live(c) for c in t.transforms]
        for key in ("n", "replace"):
            if hasattr(t, key):
                d[key] = getattr(t, key)
    return d


def _yaml(text: str, where: str) -> dict[str, Any]:
    try:
        import yaml
    except ImportError:
        raise InteropError(f"{where}: reading YAML needs PyYAML (pip install pyyaml)") from None
    try:
        data = yaml.safe_load(text)  # plain data only: no tags that construct objects
    except yaml.YAMLError as exc:
        raise InteropError(f"{where}: malformed YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise InteropError(
            f"{where}: not an albumentations pipeline (the YAML holds a {type(data).__name__})")
    return data


def from_albumentations(source: Any, *, strict: bool = False, name: str = "") -> ImportResult:
    """Convert an albumentations pipeline into an augviz recipe, with a report of what
    came in exactly, what approximately (and how it differs) and what was dropped (and why).

    Parameters
    ----------
    source : dict, str, Path or albumentations.Compose
        What ``A.to_dict`` returns, a JSON or YAML file written by ``A.save`` (albumentations
        1.x or 2.x), such text, or a live pipeline. Nothing in a file is executed.
    strict : bool
        Raise :class:`InteropError` when anything is dropped (default: leave it out and
        list it in ``result.dropped``).

    Example
    -------
    >>> d = {"__version__": "2.0.8", "transform": {"__class_fullname__": "Compose",
    ...      "p": 1.0, "transforms": [{"__class_fullname__": "HorizontalFlip", "p": 0.5}]}}
    >>> result = from_albumentations(d)
    >>> result.recipe[0], result.exact
    (HorizontalFlip(p=0.5), [('transforms[0]', 'HorizontalFlip')])
    """
    data = _load(source)
    if not isinstance(data, dict) or "transform" not in data or not isinstance(data["transform"], dict):
        raise InteropError(
            "not an albumentations pipeline: expected {'__version__': ..., "
            "'transform': {'__class_fullname__': 'Compose', ...}}"
        )
    result = ImportResult(recipe=Recipe([], modality="image"))
    root = data["transform"]
    if _class(root) in ("Compose", "Sequential", "ReplayCompose"):
        p = float(root.get("p", 1.0))
        if p != 1.0:
            result.dropped.append(("transform", _class(root), f"p={p:g} on the whole pipeline is not kept "
                                   "(the recipe always runs)"))
        top = _children(root, "transform", result)
    else:
        top = [root]
    items: list[Any] = []
    for i, d in enumerate(top):
        items += _top_step(d, f"transforms[{i}]", result)
    steps, preprocess = _split_preparation(items, result)
    result.targets = _targets_in(root, result)
    result.recipe = Recipe(
        steps,
        modality="image",
        name=name,
        meta={"imported_from": f"albumentations {data.get('__version__', '?')}"},
        preprocess=preprocess,
    )
    if strict and result.dropped:
        raise InteropError(str(result))
    return result


@dataclass(frozen=True)
class _Prepared:
    """A preparation step read from the pipeline, before it is placed in the recipe."""

    step: Transform
    path: str
    cls_name: str
    notes: tuple[str, ...]


def _split_preparation(items: list[Any], result: ImportResult) -> tuple[list[Any], dict[str, list[Any]]]:
    """Preparation steps ahead of the first augmentation run before the recipe's steps,
    all others after them (where Normalize and ToTensorV2 sit); one that had
    augmentations after it is reported as moved."""
    last_aug = max((k for k, it in enumerate(items) if not isinstance(it, _Prepared)), default=-1)
    first_aug = next((k for k, it in enumerate(items) if not isinstance(it, _Prepared)), len(items))
    steps = [it for it in items if not isinstance(it, _Prepared)]
    pre: dict[str, list[Any]] = {"before": [], "after": []}
    for k, it in enumerate(items):
        if not isinstance(it, _Prepared):
            continue
        notes = list(it.notes)
        if k < first_aug:
            pre["before"].append(it.step)
        else:
            pre["after"].append(it.step)
            if k < last_aug:
                notes.append("moved behind the augmentations that followed it (a recipe prepares before "
                             "and after its steps, not between them)")
        _record(result, it.path, it.cls_name, notes)
    return steps, pre


def _prepared(d: dict[str, Any], path: str, result: ImportResult) -> list[Any]:
    """A preparation class as a preprocessing step (or a dropped row)."""
    d = _migrate_1x(d)
    cls_name = _class(d)
    m = _PREPARE[cls_name]
    p = float(d.get("p", 1.0))
    try:
        if p != 1.0:
            raise InteropError(f"p={p:g}: preparation steps always run in augviz")
        t = get_preprocess(m.augviz_id)(**m.from_peer(d))  # type: ignore[misc]
    except InteropError as why:
        result.dropped.append((path, cls_name, str(why)))
        return []
    except AugvizError as exc:
        result.dropped.append((path, cls_name, f"values outside augviz's bounds: {exc}"))
        return []
    notes = m.notes(dict(t.params)) if m.notes is not None else []
    return [_Prepared(t, path, cls_name, tuple(notes))]


def _class(d: Any) -> str:
    if not isinstance(d, dict):
        return type(d).__name__
    return str(d.get("__class_fullname__", "?")).rsplit(".", 1)[-1]


def _children(d: dict[str, Any], path: str, result: ImportResult) -> list[dict[str, Any]]:
    kids = d.get("transforms", [])
    if not isinstance(kids, list):
        result.dropped.append((path, _class(d), f"'transforms' is a {type(kids).__name__}, not a list"))
        return []
    return kids


def _read(d: Any, path: str, result: ImportResult) -> tuple[list[Transform], list[str], float] | None:
    """One albumentations transform as augviz transforms applied together (usually one),
    what differs, and its probability; ``None`` (and a dropped row) when it cannot come in."""
    cls_name = _class(d)
    if not isinstance(d, dict) or "__class_fullname__" not in d:
        result.dropped.append((path, cls_name, "not a transform (no __class_fullname__)"))
        return None
    d = _migrate_1x(d)
    cls_name = _class(d)
    p = float(d.get("p", 1.0))
    if cls_name in _CHOICE_READERS:
        result.dropped.append((path, cls_name, "becomes a one_of of augviz steps; here it would sit inside "
                               "another group (groups do not nest)"))
        return None
    try:
        if cls_name in _SPLIT_READERS:
            kids, notes = _SPLIT_READERS[cls_name](d)
        else:
            m = PEER.reader(cls_name)
            if m is None or m.from_peer is None:
                result.dropped.append((path, cls_name, _why_not(cls_name)))
                return None
            params = dict(m.from_peer(d))
            notes = list(params.pop(_NOTES, []))
            t = get_transform(m.augviz_id)(**params)
            if m.notes is not None:
                notes += m.notes(dict(t.params))
            kids = [t]
    except InteropError as why:
        result.dropped.append((path, cls_name, str(why)))
        return None
    except AugvizError as exc:
        result.dropped.append((path, cls_name, f"values outside augviz's bounds: {exc}"))
        return None
    if len(kids) == 1:
        kids = [_with_p(kids[0], p)]
    return kids, list(dict.fromkeys(notes)), p


def _with_p(t: Transform, p: float) -> Transform:
    return type(t)(p=p, **t.params)


def _why_not(cls_name: str) -> str:
    if cls_name in _PREPARE:
        return _PREPROCESS_WHY
    if cls_name in _PREPROCESS:
        return _NO_PREPARE_WHY
    if cls_name in _CODE:
        return "runs code given in Python (augviz never executes code from a pipeline)"
    if cls_name in _CONTAINERS:
        return f"{cls_name} is not mapped"
    try:
        import albumentations as A
    except ImportError:
        return "no augviz equivalent is mapped"
    if not hasattr(A, cls_name):
        return f"not an albumentations {ALB_VERSION} class (unknown name)"
    return "no augviz equivalent is mapped"


def _record(result: ImportResult, path: str, cls_name: str, notes: list[str]) -> None:
    if notes:
        result.approximate.append((path, cls_name, "; ".join(notes)))
    else:
        result.exact.append((path, cls_name))


def _top_step(d: Any, path: str, result: ImportResult) -> list[Any]:
    """The recipe steps for one top-level albumentations item."""
    cls_name = _class(d)
    if cls_name in ("Compose", "Sequential"):
        return _sequence(d, path, result)
    if cls_name in _PREPARE and isinstance(d, dict):
        return _prepared(d, path, result)
    if cls_name in ("OneOf", "SomeOf", "OneOrOther"):
        return _read_group(d, path, result)
    if cls_name in _CHOICE_READERS:
        kids, notes = _CHOICE_READERS[cls_name](_migrate_1x(d))
        _record(result, path, cls_name, notes)
        return [OneOf(kids, p=float(_migrate_1x(d).get("p", 1.0)))]
    read = _read(d, path, result)
    if read is None:
        return []
    kids, notes, p = read
    _record(result, path, cls_name, notes)
    if len(kids) == 1:
        return kids
    # several augviz steps applied together with the transform's probability
    return [SomeOf([_with_p(k, 1.0) for k in kids], n=len(kids), p=p)]


def _sequence(d: dict[str, Any], path: str, result: ImportResult) -> list[Any]:
    """A nested Compose / Sequential: its steps in place when it always runs, else a
    some_of that applies all of them together (its children must then always run)."""
    cls_name = _class(d)
    p = float(d.get("p", 1.0))
    kids = _children(d, path, result)
    if p == 1.0:
        steps: list[Any] = []
        for j, c in enumerate(kids):
            steps += _top_step(c, f"{path}.transforms[{j}]", result)
        return steps
    reads = []
    for j, c in enumerate(kids):
        where = f"{path}.transforms[{j}]"
        if _class(c) in _CONTAINERS:
            result.dropped.append((where, _class(c), f"a group inside {cls_name}(p={p:g}): augviz groups "
                                   "hold "
                                   "single transforms"))
            continue
        r = _read(c, where, result)
        if r is not None:
            reads.append((where, _class(c), r))
    if not reads:
        return []
    transforms: list[Transform] = []
    for where, name, (ts, notes, cp) in reads:
        if cp != 1.0:
            notes = [*notes, f"its own p={cp:g} inside {cls_name}(p={p:g}) is not kept: augviz applies every "
                     f"step of the group when the group runs (p={p:g})"]
        _record(result, where, name, notes)
        transforms += [_with_p(t, 1.0) for t in ts]
    return [SomeOf(transforms, n=len(transforms), p=p)]


def _read_group(d: dict[str, Any], path: str, result: ImportResult) -> list[Any]:
    cls_name = _class(d)
    p = float(d.get("p", 1.0 if cls_name != "OneOrOther" else 0.5))
    kids: list[Transform] = []
    raw = _children(d, path, result)
    if cls_name == "OneOrOther" and len(raw) != 2:
        result.dropped.append((path, cls_name, f"{len(raw)} transforms (OneOrOther takes two)"))
        return []
    for j, c in enumerate(raw):
        where = f"{path}.transforms[{j}]"
        if _class(c) in _CONTAINERS:
            result.dropped.append((where, _class(c), f"a {_class(c)} inside {cls_name}: augviz groups hold "
                                   "single transforms (groups do not nest)"))
            continue
        r = _read(c, where, result)
        if r is None:
            continue
        ts, notes, cp = r
        if len(ts) != 1:
            result.dropped.append((where, _class(c), f"becomes {len(ts)} augviz steps applied together "
                                   f"({', '.join(t.id for t in ts)}); a group inside {cls_name} holds single "
                                   "transforms (groups do not nest)"))
            continue
        if cls_name == "OneOrOther":  # the first with probability p, else the second
            cp = p if j == 0 else 1.0 - p
            if cp <= 0.0:
                continue
        if cls_name == "SomeOf" and cp != 1.0:
            notes = [*notes, f"albumentations applies a chosen step with its own p={cp:g}; augviz applies "
                     "chosen steps always"]
        _record(result, where, _class(c), notes)
        kids.append(_with_p(ts[0], cp))
    if not kids:
        return []
    if cls_name == "OneOrOther":
        return [OneOf(kids, p=1.0)]
    if cls_name == "OneOf":
        return [OneOf(kids, p=p)]
    if d.get("replace"):
        result.approximate.append((path, cls_name, "replace=True may apply a step twice; augviz picks "
                                   "distinct steps"))
    n = min(int(d.get("n", 1)), len(kids))
    return [SomeOf([_with_p(k, 1.0) for k in kids], n=n, p=p)]


# -- targets --------------------------------------------------------------------------
#: albumentations bbox format ↔ augviz box format
_BOX_FORMATS = {"pascal_voc": "xyxy", "coco": "xywh", "yolo": "yolo"}
_BOX_FORMATS_BACK = {v: k for k, v in _BOX_FORMATS.items()}


def _label_fields(params: dict[str, Any], where: str) -> tuple[str, ...]:
    fields = params.get("label_fields") or ()
    if isinstance(fields, str) or not all(isinstance(f, str) for f in fields):
        raise InteropError(f"{where}.label_fields: expected a list of names; got {fields!r}")
    return tuple(fields)


def _targets_in(root: dict[str, Any], result: ImportResult) -> Targets:
    """The Compose's ``bbox_params`` / ``keypoint_params`` as augviz target options; what
    augviz does otherwise is listed as approximate, what it cannot take as dropped."""
    options: dict[str, Any] = {}
    bp = root.get("bbox_params")
    if isinstance(bp, dict):
        where = "transform.bbox_params"
        fmt = bp.get("format")
        if fmt in _BOX_FORMATS:
            options.update(box_format=_BOX_FORMATS[fmt], box_labels=_label_fields(bp, where),
                           min_visibility=float(bp.get("min_visibility") or 0.0),
                           min_area=float(bp.get("min_area") or 0.0))
            notes = []
            for key in ("min_width", "min_height"):
                if float(bp.get(key) or 0.0) > 0:
                    notes.append(f"{key}={bp[key]:g} is not kept (augviz drops boxes by min_area and "
                                 "min_visibility)")
            if float(bp.get("max_accept_ratio") or 0.0) > 0:
                notes.append(f"max_accept_ratio={bp['max_accept_ratio']:g} is not kept")
            if not bp.get("clip", False):
                notes.append("augviz clips moved boxes to the frame (albumentations with clip=False "
                             "rejects boxes that start outside it)")
            (result.approximate.append((where, "BboxParams", "; ".join(notes))) if notes
             else result.exact.append((where, "BboxParams")))
        else:
            result.dropped.append((where, "BboxParams", f"box format {fmt!r} has no augviz format (augviz "
                                   f"takes {', '.join(sorted(_BOX_FORMATS))})"))
    kp = root.get("keypoint_params")
    if isinstance(kp, dict):
        where = "transform.keypoint_params"
        fmt = kp.get("format", "xy")
        if fmt == "xy":
            options.update(keypoints_on=True, keypoint_labels=_label_fields(kp, where))
            if kp.get("remove_invisible", True):
                result.approximate.append((where, "KeypointParams", "remove_invisible=True removes points "
                                           "that leave the frame; augviz keeps every point in order and "
                                           "clears its visible flag"))
            else:
                result.exact.append((where, "KeypointParams"))
        else:
            result.dropped.append((where, "KeypointParams", f"keypoint format {fmt!r}: augviz keypoints are "
                                   "'xy' (no angle, scale or swapped axes)"))
    return Targets(**options)


def _targets_out(targets: Targets) -> dict[str, Any]:
    """``bbox_params`` / ``keypoint_params`` entries of a Compose dict."""
    out: dict[str, Any] = {}
    if targets.box_format is not None:
        fmt = _BOX_FORMATS_BACK.get(targets.box_format)
        if fmt is None:
            raise InteropError(f"box format {targets.box_format!r} has no albumentations format; allowed: "
                               f"{', '.join(sorted(_BOX_FORMATS_BACK))}")
        out["bbox_params"] = {
            "format": fmt, "label_fields": list(targets.box_labels), "min_area": targets.min_area,
            "min_visibility": targets.min_visibility, "min_width": 0.0, "min_height": 0.0,
            "check_each_transform": True, "clip": True, "max_accept_ratio": None,
        }
    if targets.keypoints_on:
        out["keypoint_params"] = {
            "format": "xy", "label_fields": list(targets.keypoint_labels), "remove_invisible": False,
            "angle_in_degrees": True, "check_each_transform": True,
        }
    return out


# -- export ---------------------------------------------------------------------------
def _brightness_contrast_out(step: Any) -> dict[str, Any] | None:
    """A some_of of color_jitter brightness and brightness (n=2) is RandomBrightnessContrast."""
    if step.kind != "some_of" or step.n != 2 or len(step.children) != 2:
        return None
    cj, br = step.children
    if not (
        cj.id == "image.color_jitter"
        and br.id == "image.brightness"
        and cj.p == br.p == 1.0
        and cj.params["contrast"] == (1.0, 1.0)
        and cj.params["saturation"] == (1.0, 1.0)
        and cj.params["hue"] == (0.0, 0.0)
    ):
        return None
    b = cj.params["brightness"]
    return {
        "__class_fullname__": "RandomBrightnessContrast",
        "p": step.p,
        "brightness_limit": list(br.params["delta"]),
        "contrast_limit": [round(b[0] - 1.0, 10), round(b[1] - 1.0, 10)],
        "brightness_by_max": True,
    }


def _leaf(m: Mapping, t: Transform, kwargs: dict[str, Any], grouped: bool) -> dict[str, Any]:
    return {"__class_fullname__": m.name, "p": t.p, **kwargs}


def _group_out(step: Any, items: list[Any]) -> dict[str, Any]:
    if step.kind == "some_of":  # augviz applies chosen steps always; albumentations by their own p
        items = [{**item, "p": 1.0} for item in items]
    return _group(step, items)


def _group(step: Any, items: list[Any]) -> dict[str, Any]:
    d: dict[str, Any] = {
        "__class_fullname__": "OneOf" if step.kind == "one_of" else "SomeOf",
        "p": step.p,
        "transforms": items,
    }
    if step.kind == "some_of":
        d["n"] = step.n
        d["replace"] = False
    return d


PEER = Peer(
    "albumentations",
    "image",
    MAPPINGS,
    UNMAPPABLE,
    leaf=_leaf,
    group=_group_out,
    whole=_brightness_contrast_out,
    aliases=ALIASES,
)


def to_albumentations(recipe: Recipe, *, targets: Targets | None = None) -> dict[str, Any]:
    """The recipe as an albumentations dict (load it with ``A.from_dict``).

    Disabled steps are left out. Raises :class:`InteropError` naming every step that
    has no albumentations equivalent. ``targets`` (e.g. an import's ``result.targets``)
    are written as the Compose's ``bbox_params`` / ``keypoint_params`` (boxes clipped to
    the frame and keypoints kept, as augviz does).

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> to_albumentations(Recipe([HorizontalFlip(p=0.5)]))["transform"]["transforms"]
    [{'__class_fullname__': 'HorizontalFlip', 'p': 0.5}]
    """
    pre = recipe.preprocess
    items = [*map(_prepared_out, pre["before"]), *export_steps(recipe, PEER, writes_preprocess=True),
             *map(_prepared_out, pre["after"])]
    compose = {"__class_fullname__": "Compose", "p": 1.0, "transforms": items}
    if targets is not None:
        compose.update(_targets_out(targets))
    return {"__version__": ALB_VERSION, "transform": compose}


def _prepared_out(t: Transform) -> dict[str, Any]:
    m = _PREPARE_BY_ID.get(t.id)
    if m is None:
        raise InteropError(f"preprocessing step {t.id} has no albumentations equivalent")
    return {"__class_fullname__": m.name, "p": 1.0, **m.to_peer(dict(t.params))}


def _literal(value: Any) -> Any:
    """JSON lists are written as tuples, as albumentations' own signatures show them."""
    if isinstance(value, list):
        return tuple(_literal(v) for v in value)
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    return value


def _as_call(d: dict[str, Any]) -> Call:
    kwargs = {k: _literal(v) for k, v in d.items() if k not in ("__class_fullname__", "transforms")}
    args = ([_as_call(c) for c in d["transforms"]],) if "transforms" in d else ()
    return Call(f"A.{d['__class_fullname__']}", args, kwargs)


def _params_call(name: str, d: dict[str, Any]) -> Call:
    return Call(f"A.{name}", kwargs={k: _literal(v) for k, v in d.items()})


def to_albumentations_source(recipe: Recipe, *, targets: Targets | None = None) -> str:
    """Python source that builds the same pipeline with albumentations (with ``targets``:
    its ``bbox_params=A.BboxParams(...)`` / ``keypoint_params=A.KeypointParams(...)``).

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> print(to_albumentations_source(Recipe([HorizontalFlip(p=0.5)])).splitlines()[-2])
        A.HorizontalFlip(p=0.5),
    """
    compose = to_albumentations(recipe, targets=targets)["transform"]
    calls = [_as_call(d) for d in compose["transforms"]]
    extra = {key: _params_call(name, compose[key])
             for key, name in (("bbox_params", "BboxParams"), ("keypoint_params", "KeypointParams"))
             if key in compose}
    return write_source(
        recipe,
        calls,
        library=f"albumentations {ALB_VERSION}",
        imports="import albumentations as A",
        assign="transform = A.Compose",
        calls_on_lines=True,
        extra=extra,
    )
