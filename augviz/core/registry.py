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

__all__ = ["MODALITIES", "catalogue", "check_modality", "declare_modality", "get", "get_preprocess",
           "preprocess_catalogue", "register", "register_preprocess"]

#: modality name -> module that registers its built-in transforms (see declare_modality)
MODALITIES: dict[str, str] = {}
_ID = re.compile(r"^([a-z]+)\.([a-z0-9_]+)$")
_REGISTRY: dict[str, type[Transform]] = {}
#: deterministic preparation steps (resize, pad, crop, normalise): kept apart from the
#: augmentations because they change size or dtype, which augmentations never do
_PREPROCESS: dict[str, type[Transform]] = {}
_loaded: set[str] = set()

T = TypeVar("T", bound=type[Transform])


def register(transform_id: str, *, _table: dict[str, type[Transform]] | None = None) -> Callable[[T], T]:
    """Class decorator that registers a transform under ``transform_id``.

    Example
    -------
    >>> @register("image.my_invert")            # doctest: +SKIP
    ... class MyInvert(ImageTransform): ...
    """
    table = _REGISTRY if _table is None else _table
    m = _ID.match(transform_id)
    if not m:
        raise AugvizError(
            f"transform id {transform_id!r} is malformed; allowed: 'modality.name' "
            "in lower case, e.g. 'image.rotate'"
        )

    def deco(cls: T) -> T:
        taken = _REGISTRY.get(transform_id) or _PREPROCESS.get(transform_id)
        if taken is not None and taken is not cls:
            raise AugvizError(
                f"transform id {transform_id!r} is already registered by "
                f"{taken.__module__}.{taken.__qualname__}"
            )
        names = [s.name for s in cls.PARAMS]
        clash = {"p", "seed"} & set(names)
        if clash or len(set(names)) != len(names):
            raise AugvizError(f"{transform_id}: parameter names must be unique and not p/seed")
        cls.id = transform_id
        cls.modality = m.group(1)
        table[transform_id] = cls
        cls.is_preprocess = table is _PREPROCESS
        return cls

    return deco


def register_preprocess(op_id: str) -> Callable[[T], T]:
    """Class decorator that registers a preprocessing step (``"image.resize"``): it runs
    in a recipe's ``preprocess`` part and may change the size or dtype of the data."""
    return register(op_id, _table=_PREPROCESS)


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


def get_preprocess(op_id: str) -> type[Transform]:
    """The preprocessing step registered under ``op_id`` (e.g. ``"image.resize"``)."""
    if not isinstance(op_id, str):
        raise RecipeError(f"a preprocessing id must be a string; got {op_id!r}")
    _load(op_id.split(".", 1)[0])
    try:
        return _PREPROCESS[op_id]
    except KeyError:
        pass
    close = difflib.get_close_matches(op_id, sorted(_PREPROCESS), n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise RecipeError(f"unknown preprocessing step {op_id!r}{hint}; known: {', '.join(sorted(_PREPROCESS))}")


def preprocess_catalogue(modality: str | None = None) -> list[type[Transform]]:
    """All registered preprocessing steps (of one modality), sorted by id."""
    for mod in [modality] if modality else list(MODALITIES):
        _load(mod)
    return [cls for tid, cls in sorted(_PREPROCESS.items()) if modality is None or cls.modality == modality]
