"""albumentations ↔ augviz: occlusion (holes, erasing, grid dropout)."""

from __future__ import annotations

from typing import Any

from .._base import InteropError, Mapping, read_only
from ._common import _NOTES, _REF_SIDE, _fill, _in_pixels, _int_pair, _pair


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


#: mapped both ways
MAPPINGS: tuple[Mapping, ...] = (
    Mapping(
        "image.cutout",
        "CoarseDropout",
        _cutout_out,
        _cutout_in,
        example={"holes": (2, 5), "size": (0.1, 0.3), "fill": 0.4},
        notes=_cutout_notes,
    ),
)

#: read as an augviz transform but never written (approximate)
ALIASES: tuple[Mapping, ...] = (
    Mapping("image.random_erasing", "Erasing", read_only, _erasing_in),
    Mapping("image.grid_mask", "GridDropout", read_only, _grid_dropout_in),
)
