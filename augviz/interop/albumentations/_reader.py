"""Reading albumentations pipelines (dicts, JSON, YAML, live objects) into recipes."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from augviz.core import AugvizError, OneOf, Recipe, SomeOf, Transform
from augviz.core import get as get_transform
from augviz.core.registry import get_preprocess

from .._base import ImportResult, InteropError
from ._common import _NOTES, ALB_VERSION, _pair
from ._prepare import _NO_PREPARE_WHY, _PREPARE, _PREPROCESS, _PREPROCESS_WHY
from ._table import CHOICE_READERS, SPLIT_READERS
from ._targets import _targets_in
from ._writer import PEER

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
    except AugvizError as exc:
        result.drop_failed(path, cls_name, exc)
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
    if cls_name in CHOICE_READERS:
        result.dropped.append((path, cls_name, "becomes a one_of of augviz steps; here it would sit inside "
                               "another group (groups do not nest)"))
        return None
    try:
        if cls_name in SPLIT_READERS:
            kids, notes = SPLIT_READERS[cls_name](d)
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
    except AugvizError as exc:
        result.drop_failed(path, cls_name, exc)
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
    if cls_name in CHOICE_READERS:
        kids, notes = CHOICE_READERS[cls_name](_migrate_1x(d))
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

