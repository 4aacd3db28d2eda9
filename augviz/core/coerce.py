"""One way to turn what a person passes into a :class:`~augviz.core.recipe.Recipe`.

Every function that takes "a recipe" accepts the same things, with the same messages:
a Recipe, a Transform (instance or class), a registered transform id, a OneOf/SomeOf,
a recipe JSON dict, JSON text, or the path of a recipe file — and the pipelines of other
libraries that a declared reader takes (:func:`declare_reader`; augviz declares its
interop readers: albumentations and audiomentations pipelines).

Example
-------
>>> from augviz.core import get
>>> as_recipe("image.rotate", where="example").steps[0].id
'image.rotate'
>>> single_transform(get("image.rotate")).id
'image.rotate'
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import InputError, RecipeError
from .recipe import OneOf, Recipe, SomeOf
from .registry import MODALITIES, get
from .transform import Transform

__all__ = ["ALLOWED", "as_recipe", "declare_reader", "read_recipe", "single_transform"]

#: what :func:`as_recipe` accepts, as its messages say it
ALLOWED = (
    "a Recipe, a Transform (instance or class), a transform id such as 'image.rotate', "
    "a OneOf/SomeOf, a recipe JSON dict, JSON text or the path of a recipe file, or an "
    "albumentations / audiomentations pipeline (live, or an albumentations dict, JSON or YAML file)"
)
_ID_LIKE = re.compile(r"^([a-z]+)\.[a-z0-9_]+$")

#: readers of other libraries' pipelines, as "module:function" (declared from above, loaded
#: on first use); a reader returns ``None`` for what is not its library's, else an import
#: result with ``.recipe`` (and a report: ``str()``, ``_repr_html_()``)
_READERS: list[str] = []


def declare_reader(target: str) -> None:
    """Declare a reader of foreign pipelines (``"package.module:function"``); the core
    never imports the packages that declare them (see :func:`read_recipe`)."""
    if target not in _READERS:
        _READERS.append(target)


def _foreign(obj: Any, where: str) -> Any:
    for target in _READERS:
        module, _, name = target.partition(":")
        result = getattr(importlib.import_module(module), name)(obj, where=where)
        if result is not None:
            return result
    return None


def read_recipe(obj: Any, *, where: str, modality: str | None = None) -> tuple[Recipe, Any]:
    """:func:`as_recipe` that also reads other libraries' pipelines (a live
    albumentations or audiomentations Compose, an albumentations dict, JSON or YAML
    file) and returns ``(recipe, report)``: the import report (exact / approximate /
    dropped rows) of a foreign pipeline, else ``None``.

    Example
    -------
    >>> recipe, report = read_recipe("image.hflip", where="example")
    >>> recipe.steps[0].id, report
    ('image.hflip', None)
    """
    ours = isinstance(obj, (Recipe, Transform, OneOf, SomeOf, type)) or single_transform(obj) is not None
    result = None if ours else _foreign(obj, where)
    recipe = _coerce(obj, where) if result is None else result.recipe
    if modality is not None and recipe.modality != modality:
        raise InputError(
            f"{where}: the recipe is {recipe.modality}; allowed: {modality} recipes"
        )
    return recipe, result


def single_transform(obj: Any) -> Transform | None:
    """The one transform ``obj`` names — an instance, a class (its defaults) or a
    registered id — else ``None`` (a recipe, a group, a dict, JSON text, a path).

    Example
    -------
    >>> single_transform("image.hflip").id, single_transform({"steps": []})
    ('image.hflip', None)
    """
    if isinstance(obj, Transform):
        return obj
    if isinstance(obj, type) and issubclass(obj, Transform):
        return obj()
    if isinstance(obj, str) and _ID_LIKE.match(obj.strip()):
        try:
            return get(obj.strip())()
        except RecipeError:
            return None
    return None


def as_recipe(obj: Any, *, where: str, modality: str | None = None) -> Recipe:
    """``obj`` as a Recipe; ``where`` names the caller in messages.

    Parameters
    ----------
    obj : Recipe, Transform, Transform class, transform id, OneOf, SomeOf, dict, str or path
        A ``str`` is JSON text when it starts with ``{``, a transform id when one is
        registered under it, and otherwise the path of a recipe file.
    where : str
        The function or widget asking (e.g. ``"explore"``), named in every error.
    modality : str, optional
        When given, a recipe of another modality is an :class:`InputError`.

    Raises
    ------
    InputError
        For anything else (naming what was given and what is allowed), a missing file,
        or a recipe of the wrong modality.
    RecipeError
        For a dict, JSON text or file that is not a valid recipe (with the JSON path).

    Example
    -------
    >>> from augviz.core import get
    >>> r = as_recipe(get("image.rotate")(angle=10), where="example", modality="image")
    >>> r.modality, len(r)
    ('image', 1)
    >>> as_recipe(r, where="example", modality="audio")
    Traceback (most recent call last):
    ...
    augviz.core.errors.InputError: example: the recipe is image; allowed: audio recipes
    """
    return read_recipe(obj, where=where, modality=modality)[0]


def _coerce(obj: Any, where: str) -> Recipe:
    if isinstance(obj, Recipe):
        return obj
    if isinstance(obj, (Transform, OneOf, SomeOf)):
        return Recipe([obj])
    single = single_transform(obj)
    if single is not None:
        return Recipe([single])
    if isinstance(obj, Mapping):
        return _parsed(lambda: Recipe.from_dict(dict(obj)), where)
    if isinstance(obj, str):
        if obj.lstrip().startswith("{"):
            return _parsed(lambda: Recipe.from_json(obj, source="the JSON text"), where)
        return _load(obj, where)
    if isinstance(obj, os.PathLike):
        return _load(obj, where)
    raise InputError(f"{where}: got a {type(obj).__name__}; allowed: {ALLOWED}")


def _parsed(parse: Any, where: str) -> Recipe:
    try:
        return parse()
    except RecipeError as exc:
        raise RecipeError(f"{where}: {exc}") from None


def _load(path: str | os.PathLike[str], where: str) -> Recipe:
    p = Path(path).expanduser()
    try:
        is_file, is_dir = p.is_file(), p.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL byte: no file has it
        is_file = is_dir = False
    if is_file:
        return _parsed(lambda: Recipe.load(p), where)
    text = str(path)
    hint = ""
    m = _ID_LIKE.match(text.strip())
    if m and m.group(1) in MODALITIES:  # meant as a transform id: say which ones exist
        try:
            get(text.strip())
        except RecipeError as exc:
            hint = f" ({exc})"
    what = "a folder" if is_dir else "no such file"
    shown = repr(text) if len(text) <= 80 else repr(text[:77]) + "..."
    raise InputError(
        f"{where}: {shown} is not a registered transform id, JSON text or a recipe file "
        f"({what}){hint}; allowed: {ALLOWED}"
    )
