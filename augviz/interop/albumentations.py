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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from augviz.core import AugvizError, OneOf, Recipe, SomeOf, Transform
from augviz.core import get as get_transform

__all__ = [
    "ALB_VERSION",
    "ImportResult",
    "InteropError",
    "from_albumentations",
    "to_albumentations",
    "to_albumentations_source",
]

ALB_VERSION = "2.0.8"


class InteropError(AugvizError):
    """A pipeline cannot be converted (the message lists the steps and why)."""


class _Skip(Exception):
    """This albumentations transform has no faithful augviz equivalent."""


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
        raise _Skip(f"interpolation={code} (augviz has nearest/bilinear/bicubic: 0/1/2)")
    return _INTERP[code]


def _border(d: dict[str, Any]) -> str:
    code = d.get("border_mode", 0)
    if code not in _BORDER:
        raise _Skip(f"border_mode={code} (augviz maps 0, 1, 3, 4)")
    return _BORDER[code]


def _fill(d: dict[str, Any]) -> float:
    fill = d.get("fill", 0.0)
    if isinstance(fill, (list, tuple)):
        if len(set(fill)) != 1:
            raise _Skip(f"per-channel fill {fill} (augviz fills with one grey level)")
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
            raise _Skip(f"{name} differs for x {x} and y {y} (augviz uses one range for both)")
        return x
    return _pair(d)


def _rotate_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("crop_border"):
        raise _Skip("crop_border=True")
    return {"angle": _pair(d["limit"]), **_geometry(d)}


def _affine_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("fit_output") or d.get("keep_ratio"):
        raise _Skip("fit_output/keep_ratio")
    tp = d.get("translate_percent")
    if tp is None:
        px = d.get("translate_px") or {"x": (0, 0), "y": (0, 0)}
        if _xy(px, "translate_px") != (0.0, 0.0):
            raise _Skip("translate_px (augviz translates by a fraction of the size)")
        translate = (0.0, 0.0)
    else:
        translate = _xy(tp, "translate_percent")
    shear = d.get("shear", {"x": (0, 0), "y": (0, 0)})
    if isinstance(shear, dict):
        if _pair(shear["y"]) != (0.0, 0.0):
            raise _Skip("vertical shear (augviz shears horizontally)")
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
        raise _Skip("mean_range ≠ 0 (augviz noise is zero-mean)")
    if d.get("noise_scale_factor", 1.0) != 1.0:
        raise _Skip("noise_scale_factor ≠ 1")
    return {"std": _pair(d["std_range"]), "per_channel": bool(d.get("per_channel", True))}


def _jpeg_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("compression_type", "jpeg") != "jpeg":
        raise _Skip(f"compression_type={d.get('compression_type')!r}")
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
        raise _Skip("only mode='cv' without a mask is mapped")
    return {"mode": "channels" if d.get("by_channels", True) else "luma"}


@dataclass(frozen=True)
class _Map:
    alb: str
    augviz: str
    to_augviz: Callable[[dict[str, Any]], dict[str, Any]]
    to_alb: Callable[[dict[str, Any]], dict[str, Any]]


_MAPS = [
    _Map("HorizontalFlip", "image.hflip", lambda d: {}, lambda v: {}),
    _Map("VerticalFlip", "image.vflip", lambda d: {}, lambda v: {}),
    _Map("Rotate", "image.rotate", _rotate_in, lambda v: {"limit": list(v["angle"]), **_geometry_back(v)}),
    _Map("Affine", "image.affine", _affine_in, _affine_out),
    _Map(
        "GaussianBlur",
        "image.gaussian_blur",
        lambda d: {"sigma": _pair(d["sigma_limit"])},
        lambda v: {"sigma_limit": list(v["sigma"]), "blur_limit": [0, 0]},
    ),
    _Map(
        "GaussNoise",
        "image.gaussian_noise",
        _noise_in,
        lambda v: {"std_range": list(v["std"]), "per_channel": v["per_channel"]},
    ),
    _Map(
        "ColorJitter",
        "image.color_jitter",
        lambda d: {k: _pair(d[k]) for k in ("brightness", "contrast", "saturation", "hue")},
        lambda v: {k: list(v[k]) for k in ("brightness", "contrast", "saturation", "hue")},
    ),
    _Map(
        "ImageCompression",
        "image.jpeg",
        _jpeg_in,
        lambda v: {"quality_range": list(v["quality"]), "compression_type": "jpeg"},
    ),
    _Map(
        "RandomResizedCrop",
        "image.random_resized_crop",
        _rrc_in,
        lambda v: {
            "size": [v["height"], v["width"]],
            "scale": list(v["scale"]),
            "ratio": list(v["ratio"]),
            "interpolation": _INTERP_BACK[v["interpolation"]],
        },
    ),
    _Map("ToGray", "image.grayscale", lambda d: {}, lambda v: {}),
    _Map("InvertImg", "image.invert", lambda d: {}, lambda v: {}),
    _Map(
        "Equalize",
        "image.equalize",
        _equalize_in,
        lambda v: {"mode": "cv", "by_channels": v["mode"] == "channels"},
    ),
    _Map(
        "Posterize",
        "image.posterize",
        lambda d: {"bits": _int_pair(d["num_bits"])},
        lambda v: {"num_bits": list(v["bits"])},
    ),
    _Map(
        "Solarize",
        "image.solarize",
        lambda d: {"threshold": _pair(d["threshold_range"])},
        lambda v: {"threshold_range": list(v["threshold"])},
    ),
    _Map(
        "RandomGamma",
        "image.gamma",
        _gamma_in,
        lambda v: {"gamma_limit": [v["gamma"][0] * 100.0, v["gamma"][1] * 100.0]},
    ),
    _Map(
        "Downscale",
        "image.downscale",
        lambda d: {"scale": _pair(d["scale_range"])},
        lambda v: {"scale_range": list(v["scale"])},
    ),
]
_BY_ALB = {m.alb: m for m in _MAPS}
_BY_ID = {m.augviz: m for m in _MAPS}
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
    m = _BY_ALB.get(cls_name)
    if m is None:
        result.skipped.append((path, cls_name, "no augviz equivalent is mapped"))
        return None
    try:
        params = m.to_augviz(d)
        t = get_transform(m.augviz)(p=float(d.get("p", 1.0)), **params)
    except _Skip as why:
        result.skipped.append((path, cls_name, str(why)))
        return None
    except AugvizError as exc:
        result.skipped.append((path, cls_name, f"values outside augviz's bounds: {exc}"))
        return None
    result.mapped.append(cls_name)
    if cls_name == "Affine":
        v = t.params
        if v["angle"] != (0.0, 0.0) and v["shear"] != (0.0, 0.0):
            result.notes.append(
                f"{path} Affine: albumentations shears after rotating, augviz "
                "before; outputs differ when both are non-zero"
            )
        if v["translate"] != (0.0, 0.0):
            result.notes.append(f"{path} Affine: albumentations truncates shifts to whole pixels")
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
def _export_transform(t: Transform, path: str) -> dict[str, Any]:
    m = _BY_ID.get(t.id)
    if m is None:
        raise InteropError(f"{path}: {t.id} has no albumentations equivalent")
    return {"__class_fullname__": m.alb, "p": t.p, **m.to_alb(dict(t.params))}


def _is_brightness_contrast(step: Any) -> bool:
    if not isinstance(step, SomeOf) or step.n != 2 or len(step.steps) != 2:
        return False
    cj, br = step.steps
    return (
        cj.id == "image.color_jitter"
        and br.id == "image.brightness"
        and cj.p == br.p == 1.0
        and cj.params["contrast"] == (1.0, 1.0)
        and cj.params["saturation"] == (1.0, 1.0)
        and cj.params["hue"] == (0.0, 0.0)
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
    if recipe.modality != "image":
        raise InteropError(f"albumentations takes image recipes; this one is {recipe.modality}")
    out, problems = [], []
    for i, (step, on) in enumerate(zip(recipe.steps, recipe.enabled, strict=False)):
        if not on:
            continue
        try:
            if _is_brightness_contrast(step):
                cj, br = step.steps
                b = cj.params["brightness"]
                out.append(
                    {
                        "__class_fullname__": "RandomBrightnessContrast",
                        "p": step.p,
                        "brightness_limit": list(br.params["delta"]),
                        "contrast_limit": [round(b[0] - 1.0, 10), round(b[1] - 1.0, 10)],
                        "brightness_by_max": True,
                    }
                )
            elif isinstance(step, Transform):
                out.append(_export_transform(step, f"steps[{i}]"))
            else:
                kids = [_export_transform(c, f"steps[{i}].{step.kind}[{j}]")
                        for j, c in enumerate(step.steps)]
                d = {
                    "__class_fullname__": "OneOf" if isinstance(step, OneOf) else "SomeOf",
                    "p": step.p,
                    "transforms": kids,
                }
                if isinstance(step, SomeOf):
                    d["n"] = step.n
                    d["replace"] = False
                out.append(d)
        except InteropError as exc:
            problems.append(str(exc))
    if problems:
        raise InteropError("cannot export to albumentations:\n  " + "\n  ".join(problems))
    return {
        "__version__": ALB_VERSION,
        "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": out},
    }


def _py(value: Any) -> str:
    if isinstance(value, list):
        return "(" + ", ".join(_py(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_py(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _call(d: dict[str, Any], indent: str) -> str:
    name = d["__class_fullname__"]
    args = [f"{k}={_py(v)}" for k, v in d.items() if k not in ("__class_fullname__", "transforms")]
    if "transforms" in d:
        inner = ",\n".join(_call(c, indent + "    ") for c in d["transforms"])
        args.insert(0, f"[\n{inner},\n{indent}]")
    return f"{indent}A.{name}({', '.join(args)})"


def to_albumentations_source(recipe: Recipe) -> str:
    """Python source that builds the same pipeline with albumentations."""
    d = to_albumentations(recipe)
    body = ",\n".join(_call(t, "    ") for t in d["transform"]["transforms"])
    title = f" {recipe.name!r}" if recipe.name else ""
    return (
        f"# augviz recipe{title} exported for albumentations {ALB_VERSION}\n"
        "import albumentations as A\n\n"
        f"transform = A.Compose([\n{body},\n])\n"
    )
