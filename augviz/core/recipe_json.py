"""The recipe JSON codec (format ``augviz.recipe``, version 2): dict and text forms,
atomic saves, loading with migrations.

Version 2 adds the optional ``preprocess`` part (``{"before": [...], "after": [...]}``,
preparation steps such as ``image.resize``). A recipe without one is written as
version 1, so that every augviz that reads version 1 still reads it; version-1 files
load through :data:`MIGRATIONS` (a version-1 recipe is a version-2 recipe without
``preprocess``).

Parsing reuses the constructors (``Transform.build``, ``OneOf``, ``SomeOf``) so that a
value is checked by its spec alone; the codec only adds the JSON path, and turns every
complaint into a :class:`RecipeError` in one place (:func:`from_dict`).
"""

from __future__ import annotations

import copy
import difflib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ._version import __version__
from .errors import ParamError, RecipeError
from .files import atomic_write
from .registry import check_modality, get_preprocess
from .registry import get as get_transform
from .rng import check_seed
from .steps import OneOf, SomeOf, Step

__all__ = ["FORMAT", "MIGRATIONS", "VERSION", "Parts", "dumps", "from_dict", "from_json", "load", "save",
           "to_dict"]

FORMAT = "augviz.recipe"
VERSION = 2


def migrate_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2: the same recipe (version 2 only adds the optional ``preprocess``)."""
    data["version"] = 2
    return data


#: ``MIGRATIONS[n]`` turns a version-``n`` dict into a version-``n+1`` dict.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: migrate_v1_to_v2}


class RecipeLike(Protocol):
    """What the codec reads of a recipe (the model, :mod:`augviz.core.recipe`, calls the
    codec; the codec does not import the model)."""

    steps: Sequence[Step]
    enabled: Sequence[bool]
    modality: str
    seed: int | None
    name: str
    meta: dict[str, Any]
    preprocess: dict[str, tuple[Step, ...]]

    def to_json(self) -> str: ...


@dataclass(frozen=True)
class Parts:
    """What a recipe file holds, checked: the arguments of ``Recipe(...)`` and the
    version of augviz that wrote it."""

    steps: list[Step]
    modality: str
    seed: int | None
    name: str
    meta: dict[str, Any]
    enabled: list[bool]
    written_by: str | None
    preprocess: dict[str, list[Step]] | None = None


def to_dict(recipe: RecipeLike) -> dict[str, Any]:
    """The recipe as a JSON-safe dict."""
    steps = []
    for step, on in zip(recipe.steps, recipe.enabled, strict=True):
        d = step.to_dict()
        if not on:
            d["enabled"] = False
        steps.append(d)
    meta = copy.deepcopy(recipe.meta)
    meta.setdefault("augviz", __version__)
    pre = {where: [t.to_dict() for t in ts] for where, ts in recipe.preprocess.items() if ts}
    out = {
        "format": FORMAT,
        "version": VERSION if pre else 1,  # the oldest version that holds the recipe
        "modality": recipe.modality,
        "seed": recipe.seed,
        "name": recipe.name,
    }
    if pre:
        out["preprocess"] = pre
    out.update(steps=steps, meta=meta)
    return out


def from_dict(data: Any) -> Parts:
    """Build a recipe from its JSON dict; every problem is a :class:`RecipeError` that
    names the JSON path and what is allowed. Never executes code."""
    try:
        return _parse_recipe(data)
    except ParamError as exc:  # a spec's complaint, already located at its JSON path
        raise RecipeError(str(exc)) from None


def from_json(text: str, *, source: str = "recipe") -> Parts:
    """Build a recipe from JSON text (``source`` names it in messages)."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise RecipeError(f"{source}: a {type(text).__name__} is not JSON text; allowed: a string")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise RecipeError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "is the file truncated?"
        ) from None
    except RecursionError:
        raise RecipeError(
            f"{source}: the JSON nests too deeply to read; a recipe nests a few levels"
        ) from None
    except UnicodeDecodeError:
        raise RecipeError(f"{source}: not UTF-8 text, so not a recipe") from None
    except RecipeError:
        raise
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise RecipeError(f"{source}: holds a number too long to read (over 4,300 digits); "
                          "allowed: numbers a recipe can use (a seed has at most 20 digits)") from None
    return from_dict(data)


def save(recipe: RecipeLike, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the JSON atomically (temp file + rename, mode 0666 minus the umask); refuses
    to replace an existing file unless ``overwrite=True``."""
    from .errors import InputError

    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"save: path {path!r} is not allowed; allowed: a file path (str or pathlib.Path)")
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a directory; give a file path such as recipe.json")
    if target.exists() and not overwrite:
        raise InputError(f"{target} exists; pass overwrite=True to replace it")
    if not target.parent.exists():
        raise InputError(f"folder {target.parent} does not exist")
    text = recipe.to_json() + "\n"
    with atomic_write(target, overwrite=overwrite) as fh:
        fh.write(text.encode("utf-8"))
    return target


def load(path: str | os.PathLike[str]) -> Parts:
    """Load a recipe JSON file (any released format version)."""
    if not isinstance(path, (str, os.PathLike)):
        raise RecipeError(f"load: path {path!r} is not allowed; allowed: a file path (str or pathlib.Path)")
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RecipeError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise RecipeError(f"{p}: is a directory, not a recipe file") from None
    except UnicodeDecodeError:
        raise RecipeError(f"{p}: not a UTF-8 text file, so not a recipe") from None
    except PermissionError:
        raise RecipeError(f"{p}: not allowed to read this file (permission denied)") from None
    except OSError as exc:  # a symlink loop, a name too long, a device error
        raise RecipeError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return from_json(text, source=str(p))


def dumps(obj: Any) -> str:
    """Readable JSON: one key per line, short arrays (ranges) kept on one line."""
    return _dumps(obj, "")


def _dumps(obj: Any, indent: str) -> str:
    if isinstance(obj, dict) and obj:
        inner = indent + "  "
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in obj) + f"\n{indent}]"
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise RecipeError(f"recipe holds a value JSON cannot store: {obj!r}") from None


def _reject_constant(name: str) -> Any:
    raise RecipeError(f"recipe JSON contains {name}, which is not a valid number")


def _err(path: str, msg: str) -> RecipeError:
    return RecipeError(f"{path}: {msg}" if path else msg)


def _type_name(v: Any) -> str:
    return {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        type(None): "null",
        int: "number",
        float: "number",
    }.get(type(v), type(v).__name__)


def _check_keys(d: dict[str, Any], path: str, allowed: Sequence[str], required: Sequence[str]) -> None:
    for key in d:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            where = f"{path}.{key}" if path else str(key)
            raise _err(where, f"unknown key{hint}; allowed keys here: {', '.join(allowed)}")
    for key in required:
        if key not in d:
            raise _err(path or "recipe", f"missing key {key!r}; required: {', '.join(required)}")


def _parse_recipe(data: Any) -> Parts:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        got = (
            f"a JSON {_type_name(data)}"
            if not isinstance(data, dict)
            else (f"format={data.get('format')!r}" if "format" in data else "an object without 'format'")
        )
        raise RecipeError(
            f'not an augviz recipe: expected a JSON object with "format": "{FORMAT}"; got {got}'
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _err("version", f"{version!r} is not allowed; allowed: an integer >= 1")
    if version > VERSION:
        raise _err(
            "version",
            f"format version {version} is newer than this augviz reads "
            f"(up to {VERSION}); upgrade augviz to load it",
        )
    while version < VERSION:
        data = MIGRATIONS[version](copy.deepcopy(data))
        version = data["version"]
    _check_keys(
        data,
        "",
        ["format", "version", "modality", "seed", "name", "preprocess", "steps", "meta"],
        ["format", "version", "modality", "steps"],
    )
    modality = data["modality"]
    check_modality(modality, "modality: ")
    seed = data.get("seed")
    check_seed(seed, "seed: ")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise _err("name", f"expected a string, got {_type_name(name)}")
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        raise _err("meta", f"expected an object, got {_type_name(meta)}")
    meta = dict(meta)
    written_by = meta.pop("augviz", None)
    raw_steps = data["steps"]
    if not isinstance(raw_steps, list):
        raise _err("steps", f"expected an array of steps, got {_type_name(raw_steps)}")
    steps: list[Step] = []
    enabled: list[bool] = []
    for i, raw in enumerate(raw_steps):
        step, on = _parse_step(raw, f"steps[{i}]", modality, top=True)
        steps.append(step)
        enabled.append(on)
    return Parts(steps, modality, seed, name, meta, enabled,
                 written_by if isinstance(written_by, str) else None,
                 _parse_preprocess(data.get("preprocess", {}), modality))


def _parse_preprocess(raw: Any, modality: str) -> dict[str, list[Step]]:
    if not isinstance(raw, dict):
        raise _err("preprocess", f"expected an object with 'before' and/or 'after', got {_type_name(raw)}")
    _check_keys(raw, "preprocess", ["before", "after"], [])
    out: dict[str, list[Step]] = {}
    for where, items in raw.items():
        path = f"preprocess.{where}"
        if not isinstance(items, list):
            raise _err(path, f"expected an array of preprocessing steps, got {_type_name(items)}")
        out[where] = []
        for k, item in enumerate(items):
            at = f"{path}[{k}]"
            if not isinstance(item, dict):
                raise _err(at, f"expected an object with 'transform', got {_type_name(item)}")
            _check_keys(item, at, ["transform", "p", "params"], ["transform"])
            out[where].append(_build(item, at, modality, get_preprocess, "step"))
    return out


def _build(raw: dict[str, Any], path: str, modality: str, lookup: Callable[[str], Any], what: str) -> Any:
    """One ``{"transform": id, "p": …, "params": {…}}`` entry, built by its class's
    constructor (``lookup``: the registry of augmentations or of preprocessing steps)."""
    tid = raw["transform"]
    if not isinstance(tid, str):
        raise _err(f"{path}.transform", f"expected a transform id string, got {_type_name(tid)}")
    try:
        cls = lookup(tid)
    except RecipeError as exc:
        raise _err(f"{path}.transform", str(exc)) from None
    if cls.modality != modality:
        raise _err(f"{path}.transform", f"{tid!r} is a {cls.modality} {what} in a {modality} recipe")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise _err(f"{path}.params", f"expected an object, got {_type_name(params)}")
    return cls.build(raw.get("p", 1.0), params, path)


def _parse_enabled(d: dict[str, Any], path: str) -> bool:
    on = d.get("enabled", True)
    if not isinstance(on, bool):
        raise _err(f"{path}.enabled", f"expected true or false, got {_type_name(on)}")
    return on


def _parse_step(raw: Any, path: str, modality: str, *, top: bool) -> tuple[Step, bool]:
    kinds = ("transform", "one_of", "some_of") if top else ("transform",)
    if not isinstance(raw, dict) or not any(k in raw for k in kinds):
        raise _err(
            path,
            f"expected an object with {' or '.join(map(repr, kinds))}; "
            f"got {_type_name(raw) if not isinstance(raw, dict) else sorted(raw)}",
        )
    if "transform" in raw:
        _check_keys(
            raw,
            path,
            ["transform", "p", "params", "enabled"] if top else ["transform", "p", "params"],
            ["transform"],
        )
        return _build(raw, path, modality, get_transform, "transform"), _parse_enabled(raw, path)
    key = "one_of" if "one_of" in raw else "some_of"
    allowed = ["one_of", "p", "enabled"] if key == "one_of" else ["some_of", "n", "p", "enabled"]
    _check_keys(raw, path, allowed, [key])
    children_raw = raw[key]
    if not isinstance(children_raw, list) or not children_raw:
        raise _err(f"{path}.{key}", "expected a non-empty array of transform steps")
    children = [
        _parse_step(c, f"{path}.{key}[{j}]", modality, top=False)[0] for j, c in enumerate(children_raw)
    ]
    p = raw.get("p", 1.0)
    if key == "one_of":
        return OneOf(children, p=p, _path=path), _parse_enabled(raw, path)  # type: ignore[arg-type]
    return SomeOf(children, n=raw.get("n", 1), p=p, _path=path), _parse_enabled(raw, path)  # type: ignore[arg-type]
