"""albumentations ↔ augviz: colour and tone transforms."""

from __future__ import annotations

from typing import Any

from augviz.core import Transform
from augviz.core import get as get_transform

from .._base import InteropError, Mapping, no_params
from ._common import _int_pair, _pair


def _gamma_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _pair(d.get("gamma_limit", (80, 120)))
    return {"gamma": (lo / 100.0, hi / 100.0)}


def _equalize_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("mode", "cv") != "cv" or d.get("mask") is not None:
        raise InteropError("only mode='cv' without a mask is mapped")
    return {"mode": "channels" if d.get("by_channels", True) else "luma"}


_JITTER = ("brightness", "contrast", "saturation", "hue")


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


#: mapped both ways
MAPPINGS: tuple[Mapping, ...] = (
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
)

#: albumentations classes that come in as several augviz steps applied together
SPLIT_READERS = {"RandomBrightnessContrast": _brightness_contrast, "HueSaturationValue": _hsv,
                 "ColorJitter": _color_jitter}

#: read as an augviz transform but never written (approximate): none in this family
ALIASES: tuple[Mapping, ...] = ()
