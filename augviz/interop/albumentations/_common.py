"""Helpers shared by the albumentations conversions: pairs, interpolation and border
names, fills, the notes key."""

from __future__ import annotations

from typing import Any

from .._base import InteropError

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


#: key under which a reader passes notes about one pipeline's settings (never a parameter)
_NOTES = "__notes__"


#: the short side at which pixel sizes are turned into fractions of the image
_REF_SIDE = 256.0


def _in_pixels(v: Any) -> bool:
    values = v if isinstance(v, (list, tuple)) else [v]
    return any(isinstance(x, int) and not isinstance(x, bool) for x in values) or max(values) > 1.0
