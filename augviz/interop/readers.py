"""Other libraries' pipelines wherever augviz takes a recipe: the reader that
:func:`augviz.as_recipe` consults (declared by ``augviz/__init__.py``; the core never
imports interop). It answers ``None`` for anything that is not another library's
pipeline, so augviz's own recipes, ids and files go the usual way."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .albumentations import ImportResult, from_albumentations

__all__ = ["is_albumentations_dict", "read_foreign"]

_YAML = (".yml", ".yaml")


def is_albumentations_dict(d: Any) -> bool:
    """What ``A.to_dict`` writes: ``{"__version__": ..., "transform": {"__class_fullname__": ...}}``."""
    return (isinstance(d, Mapping) and "format" not in d and isinstance(d.get("transform"), Mapping)
            and "__class_fullname__" in d["transform"])


def _text_of(obj: Any) -> tuple[str, str] | None:
    """(text, suffix) of a file path or of JSON/YAML text; ``None`` when it is neither."""
    if isinstance(obj, str) and (obj.lstrip().startswith("{") or "\n" in obj):
        return obj, ""
    if isinstance(obj, (str, os.PathLike)):
        p = Path(obj).expanduser()
        try:
            if not p.is_file():
                return None
            return p.read_text(encoding="utf-8"), p.suffix.lower()
        except (OSError, UnicodeDecodeError, ValueError):
            return None
    return None


def read_foreign(obj: Any, *, where: str = "as_recipe") -> ImportResult | None:
    """The import result of another library's pipeline, or ``None`` when ``obj`` is not
    one: a live albumentations or audiomentations pipeline, an albumentations dict, or an
    albumentations JSON or YAML file or text (YAML read with ``safe_load``: no code runs).

    Example
    -------
    >>> read_foreign({"format": "augviz.recipe"}) is None
    True
    """
    module = type(obj).__module__
    if module.startswith("albumentations"):
        return from_albumentations(obj)
    if module.startswith("audiomentations"):
        from .audiomentations import from_audiomentations

        return from_audiomentations(obj)
    if isinstance(obj, Mapping):
        return from_albumentations(dict(obj)) if is_albumentations_dict(obj) else None
    found = _text_of(obj)
    if found is None:
        return None
    text, suffix = found
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None  # not JSON (or too deep): augviz's own reader says what is wrong
        return from_albumentations(data) if is_albumentations_dict(data) else None
    if suffix in _YAML or (suffix == "" and "__class_fullname__" in text):
        result = from_albumentations(text if suffix == "" else Path(obj))
        return result
    return None
