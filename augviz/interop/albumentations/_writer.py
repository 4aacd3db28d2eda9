"""Writing recipes as albumentations dicts and Python source."""

from __future__ import annotations

from typing import Any

from augviz.core import Recipe, Transform

from .._base import Call, InteropError, Mapping, Peer, Targets, export_steps, write_source
from ._common import ALB_VERSION
from ._prepare import _PREPARE_BY_ID
from ._table import ALIASES, MAPPINGS, UNMAPPABLE
from ._targets import _targets_out


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
