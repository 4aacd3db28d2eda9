"""albumentations ↔ augviz.

- :func:`from_albumentations` reads what ``A.to_dict`` / ``A.save`` write (or a live
  ``A.Compose``) into a :class:`~augviz.Recipe`, reporting what could not be mapped;
- :func:`to_albumentations` writes a dict that ``A.from_dict`` loads, and
  :func:`to_albumentations_source` the equivalent Python code.

Only transforms whose behaviour matches are mapped; the report says why the others were
left out. Checked against albumentations 2.0.8 (the last MIT release).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from augviz.core import AugvizError, OneOf, Recipe, SomeOf, Transform
from augviz.core import get as get_transform

from ._base import Call, InteropError, Mapping, Peer, export_steps, no_params, write_source

__all__ = [
    "ALB_VERSION",
    "MAPPINGS",
    "PEER",
    "UNMAPPABLE",
    "ImportResult",
    "InteropError",
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


def _affine_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("fit_output") or d.get("keep_ratio"):
        raise InteropError("fit_output/keep_ratio")
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
    return {
        "angle": _pair(d.get("rotate", 0)),
        "translate": translate,
        "scale": _xy(d.get("scale", 1.0), "scale"),
        # albumentations' positive x-shear leans the other way
        "shear": (-sx[1], -sx[0]),
        **_geometry(d),
    }


def _affine_out(v: dict[str, Any]) -> dict[str, Any]:
    t, s, sh = v["translate"], v["scale"], v["shear"]
    return {
        "rotate": list(v["angle"]),
        "scale": {"x": list(s), "y": list(s)},
        "translate_percent": {"x": list(t), "y": list(t)},
        "shear": {"x": [-sh[1], -sh[0]], "y": [0.0, 0.0]},
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


def _affine_notes(v: dict[str, Any]) -> list[str]:
    notes = []
    if v["angle"] != (0.0, 0.0) and v["shear"] != (0.0, 0.0):
        notes.append(
            "albumentations shears after rotating, augviz before; outputs differ when both are non-zero"
        )
    if v["translate"] != (0.0, 0.0):
        notes.append("albumentations truncates shifts to whole pixels")
    return notes


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
        lambda v: {"sigma_limit": list(v["sigma"]), "blur_limit": [0, 0]},
        lambda d: {"sigma": _pair(d["sigma_limit"])},
        example={"sigma": (0.4, 1.7)},
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
    ),
    Mapping(
        "image.jpeg",
        "ImageCompression",
        lambda v: {"quality_range": list(v["quality"]), "compression_type": "jpeg"},
        _jpeg_in,
        example={"quality": (40, 80)},
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
    Mapping("image.grayscale", "ToGray", no_params, no_params, example={}),
    Mapping("image.invert", "InvertImg", no_params, no_params, example={}),
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

#: augviz image transforms without an albumentations mapping, and why
UNMAPPABLE = {
    "image.autocontrast": "not checked to match: A.AutoContrast's cdf/pil methods against augviz's per-"
    "channel stretch with a quantile cutoff",
    "image.brightness": "exported only with contrast, as RandomBrightnessContrast (a some_of of "
    "color_jitter brightness and brightness, n=2); albumentations has no additive "
    "brightness alone",
    "image.contrast": "albumentations scales contrast about 0 (RandomBrightnessContrast) or about the "
    "grey mean (ColorJitter); augviz scales about the mean of the colour channels",
    "image.crop_pad": "not checked to match: A.CropAndPad(percent=..., keep_size=True) rounds and "
    "resizes in its own way",
    "image.cutout": "A.CoarseDropout draws each hole's height and width separately; augviz draws one "
    "size fraction for all holes",
    "image.elastic": "A.ElasticTransform takes alpha and sigma in pixels; augviz takes fractions of "
    "the short side and scales the field to its largest displacement",
    "image.grid_distortion": "not checked to match: A.GridDistortion's normalised steps against augviz's "
    "num_steps cells",
    "image.grid_mask": "A.GridDropout sizes its unit in pixels; augviz in fractions of the short side",
    "image.hue": "A.HueSaturationValue shifts hue in OpenCV HSV units together with saturation and"
    " value",
    "image.motion_blur": "A.MotionBlur draws an odd kernel size, a shift and a direction; augviz a length "
    "in pixels and an angle",
    "image.perspective": "A.Perspective draws corner offsets from a normal distribution; augviz uniformly "
    "up to a fraction of the size",
    "image.random_erasing": "not checked to match: A.Erasing's box sampling and 'random' fill against "
    "augviz's noise fill",
    "image.salt_pepper": "not checked to match: A.SaltAndPepper's per-pixel sampling against augviz's",
    "image.saturation": "A.HueSaturationValue shifts saturation additively; augviz blends with the grey "
    "image",
    "image.sharpen": "A.Sharpen blends a sharpening kernel by alpha/lightness; augviz adds a Gaussian "
    "unsharp mask",
    "image.speckle": "A.MultiplicativeNoise draws a uniform multiplier; augviz a Gaussian one",
}
_GROUPS = ("Compose", "OneOf", "SomeOf", "RandomBrightnessContrast")


@dataclass
class ImportResult:
    """What :func:`from_albumentations` made of a pipeline."""

    recipe: Recipe
    mapped: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (path, class, reason)
    #: mapped, but not bit-for-bit the same (what differs and where)
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.skipped

    def __str__(self) -> str:
        lines = [f"mapped {len(self.mapped)} albumentations transforms to augviz"]
        if self.skipped:
            lines.append(f"left out {len(self.skipped)}:")
            lines += [f"  {path} {cls}: {why}" for path, cls, why in self.skipped]
        if self.notes:
            lines.append("approximate:")
            lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td>{html.escape(c)}</td><td>{html.escape(w)}</td></tr>"
            for p, c, w in self.skipped
        )
        left = (
            (
                f"<p>Left out {len(self.skipped)}:</p><table><tr><th>where</th><th>transform</th>"
                f"<th>why</th></tr>{rows}</table>"
            )
            if self.skipped
            else "<p>Nothing left out.</p>"
        )
        return f"<p>Mapped {len(self.mapped)} transforms.</p>{left}{self.recipe._repr_html_()}"


def _load(source: Any) -> dict[str, Any]:
    if isinstance(source, (str, Path)) and not str(source).lstrip().startswith("{"):
        try:
            return json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InteropError(f"{source}: cannot read an albumentations JSON file ({exc})") from None
    if isinstance(source, str):
        return json.loads(source)
    if isinstance(source, dict):
        return source
    if type(source).__module__.startswith("albumentations"):
        import albumentations as A

        return A.to_dict(source)
    raise InteropError(f"expected an albumentations dict, JSON path or Compose; got {type(source).__name__}")


def from_albumentations(source: Any, *, strict: bool = False, name: str = "") -> ImportResult:
    """Convert an albumentations pipeline into an augviz recipe.

    Parameters
    ----------
    source : dict, str, Path or albumentations.Compose
        What ``A.to_dict`` returns, a file written by ``A.save``, or a live pipeline.
    strict : bool
        Raise :class:`InteropError` when anything cannot be mapped (default: leave it out
        and list it in ``result.skipped``).

    Example
    -------
    >>> d = {"__version__": "2.0.8", "transform": {"__class_fullname__": "Compose",
    ...      "p": 1.0, "transforms": [{"__class_fullname__": "HorizontalFlip", "p": 0.5}]}}
    >>> from_albumentations(d).recipe[0]
    HorizontalFlip(p=0.5)
    """
    data = _load(source)
    if not isinstance(data, dict) or "transform" not in data or not isinstance(data["transform"], dict):
        raise InteropError(
            "not an albumentations pipeline: expected {'__version__': ..., "
            "'transform': {'__class_fullname__': 'Compose', ...}}"
        )
    result = ImportResult(recipe=Recipe([], modality="image"))
    root = data["transform"]
    top = root.get("transforms", [root]) if root.get("__class_fullname__") == "Compose" else [root]
    if root.get("__class_fullname__") == "Compose" and root.get("p", 1.0) != 1.0:
        result.skipped.append(("transform", "Compose", f"p={root['p']} on the whole pipeline is not kept"))
    steps: list[Any] = []
    for i, d in enumerate(top):
        step = _step(d, f"transforms[{i}]", result, top_level=True)
        if step is not None:
            steps.append(step)
    result.recipe = Recipe(
        steps,
        modality="image",
        name=name,
        meta={"imported_from": f"albumentations {data.get('__version__', '?')}"},
    )
    if strict and result.skipped:
        raise InteropError(str(result))
    return result


def _class(d: dict[str, Any]) -> str:
    return str(d.get("__class_fullname__", "?")).rsplit(".", 1)[-1]


def _transform(d: dict[str, Any], path: str, result: ImportResult) -> Transform | None:
    cls_name = _class(d)
    m = PEER.reader(cls_name)
    if m is None or m.from_peer is None:
        result.skipped.append((path, cls_name, "no augviz equivalent is mapped"))
        return None
    try:
        params = m.from_peer(d)
    except InteropError as why:
        result.skipped.append((path, cls_name, str(why)))
        return None
    try:
        t = get_transform(m.augviz_id)(p=float(d.get("p", 1.0)), **params)
    except AugvizError as exc:
        result.skipped.append((path, cls_name, f"values outside augviz's bounds: {exc}"))
        return None
    result.mapped.append(cls_name)
    if m.notes is not None:
        result.notes += [f"{path} {cls_name}: {note}" for note in m.notes(dict(t.params))]
    return t


def _step(d: dict[str, Any], path: str, result: ImportResult, *, top_level: bool) -> Any:
    cls_name = _class(d)
    if cls_name == "RandomBrightnessContrast":
        if not d.get("brightness_by_max", True):
            result.skipped.append((path, cls_name, "brightness_by_max=False"))
            return None
        cl = _pair(d.get("contrast_limit", (-0.2, 0.2)))
        kids = [
            get_transform("image.color_jitter")(
                brightness=(1 + cl[0], 1 + cl[1]), contrast=1.0, saturation=1.0, hue=0.0
            ),
            get_transform("image.brightness")(delta=_pair(d.get("brightness_limit", (-0.2, 0.2)))),
        ]
        result.mapped.append(cls_name)
        # x·(1+c) + b·max: albumentations' contrast scales about 0, then adds brightness
        return SomeOf(kids, n=2, p=float(d.get("p", 1.0)))
    if cls_name in ("OneOf", "SomeOf") and top_level:
        kids = [
            _transform(c, f"{path}.transforms[{j}]", result) for j, c in enumerate(d.get("transforms", []))
        ]
        kids = [k for k in kids if k is not None]
        if not kids:
            return None
        if cls_name == "OneOf":
            return OneOf(kids, p=float(d.get("p", 1.0)))
        if d.get("replace"):
            result.skipped.append((path, cls_name, "replace=True sampling (augviz picks distinct steps)"))
        n = min(int(d.get("n", 1)), len(kids))
        return SomeOf(kids, n=n, p=float(d.get("p", 1.0)))
    if cls_name in _GROUPS:
        result.skipped.append((path, cls_name, "nested groups are not supported"))
        return None
    return _transform(d, path, result)


# -- export ---------------------------------------------------------------------------
def _brightness_contrast(step: Any) -> dict[str, Any] | None:
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
    group=_group,
    whole=_brightness_contrast,
)


def to_albumentations(recipe: Recipe) -> dict[str, Any]:
    """The recipe as an albumentations dict (load it with ``A.from_dict``).

    Disabled steps are left out. Raises :class:`InteropError` naming every step that
    has no albumentations equivalent.

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> to_albumentations(Recipe([HorizontalFlip(p=0.5)]))["transform"]["transforms"]
    [{'__class_fullname__': 'HorizontalFlip', 'p': 0.5}]
    """
    return {
        "__version__": ALB_VERSION,
        "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": export_steps(recipe, PEER)},
    }


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


def to_albumentations_source(recipe: Recipe) -> str:
    """Python source that builds the same pipeline with albumentations.

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> print(to_albumentations_source(Recipe([HorizontalFlip(p=0.5)])).splitlines()[-2])
        A.HorizontalFlip(p=0.5),
    """
    calls = [_as_call(d) for d in to_albumentations(recipe)["transform"]["transforms"]]
    return write_source(
        recipe,
        calls,
        library=f"albumentations {ALB_VERSION}",
        imports="import albumentations as A",
        assign="transform = A.Compose",
        calls_on_lines=True,
    )
