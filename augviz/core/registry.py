"""The transform registry: explicit ids, no magic discovery.

Built-in transforms live in modality packages, imported on first lookup so that
``import augviz`` stays light. Which package registers which modality is declared from
above (:mod:`augviz.modalities` calls :func:`declare_modality`): core names no modality.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import AugvizError, RecipeError
from .transform import Transform

__all__ = ["MODALITIES", "catalogue", "check_modality", "declare_modality", "get", "register"]

#: modality name -> module that registers its built-in transforms (see declare_modality)
MODALITIES: dict[str, str] = {}
_ID = re.compile(r"^([a-z]+)\.([a-z0-9_]+)$")
_REGISTRY: dict[str, type[Transform]] = {}
_loaded: set[str] = set()

T = TypeVar("T", bound=type[Transform])


def register(transform_id: str) -> Callable[[T], T]:
    """Class decorator that registers a transform under ``transform_id``.

    Example
    -------
    >>> @register("image.my_invert")            # doctest: +SKIP
    ... class MyInvert(ImageTransform): ...
    """
    m = _ID.match(transform_id)
    if not m:
        raise AugvizError(
            f"transform id {transform_id!r} is malformed; allowed: 'modality.name' "
            "in lower case, e.g. 'image.rotate'"
        )

    def deco(cls: T) -> T:
        if transform_id in _REGISTRY and _REGISTRY[transform_id] is not cls:
            raise AugvizError(
                f"transform id {transform_id!r} is already registered by "
                f"{_REGISTRY[transform_id].__module__}.{_REGISTRY[transform_id].__qualname__}"
            )
        names = [s.name for s in cls.PARAMS]
        clash = {"p", "seed"} & set(names)
        if clash or len(set(names)) != len(names):
            raise AugvizError(f"{transform_id}: parameter names must be unique and not p/seed")
        cls.id = transform_id
        cls.modality = m.group(1)
        _REGISTRY[transform_id] = cls
        return cls

    return deco


def declare_modality(name: str, package: str) -> None:
    """Make ``name`` a known modality whose transforms ``package`` registers on import."""
    if not re.fullmatch(r"[a-z]+", name):
        raise AugvizError(f"modality name {name!r} is malformed; allowed: lower-case letters")
    MODALITIES[name] = package


def check_modality(modality: Any, where: str) -> str:
    """The one rule for a recipe's modality: a declared one (``where`` prefixes the message)."""
    if modality not in MODALITIES:
        raise RecipeError(f"{where}{modality!r} is not allowed; allowed: {', '.join(sorted(MODALITIES))}")
    return modality


def _load(modality: str) -> None:
    module = MODALITIES.get(modality)
    if module is None or module in _loaded:
        return
    _loaded.add(module)
    importlib.import_module(module)


def get(transform_id: str) -> type[Transform]:
    """The transform class registered under ``transform_id``.

    Example
    -------
    >>> get("image.rotate").__name__
    'Rotate'
    """
    if not isinstance(transform_id, str):
        raise RecipeError(f"a transform id must be a string; got {transform_id!r}")
    modality = transform_id.split(".", 1)[0]
    _load(modality)
    try:
        return _REGISTRY[transform_id]
    except KeyError:
        pass
    known = sorted(_REGISTRY)
    close = difflib.get_close_matches(transform_id, known, n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    same = [k for k in known if k.startswith(modality + ".")]
    listing = f" Known {modality} transforms: {', '.join(same)}." if same else ""
    if modality not in MODALITIES:
        listing = f" Known modalities: {', '.join(sorted(set(MODALITIES)))}."
    raise RecipeError(f"unknown transform id {transform_id!r}{hint}{listing}")


def catalogue(modality: str | None = None) -> list[type[Transform]]:
    """All registered transforms (of one modality), sorted by id.

    Example
    -------
    >>> [t.id for t in catalogue("image")][:2]
    ['image.affine', 'image.autocontrast']
    """
    if modality is not None and modality not in MODALITIES:
        raise AugvizError(f"unknown modality {modality!r}; allowed: {', '.join(sorted(MODALITIES))}")
    for mod in [modality] if modality else list(MODALITIES):
        _load(mod)
    return [cls for tid, cls in sorted(_REGISTRY.items()) if modality is None or cls.modality == modality]
