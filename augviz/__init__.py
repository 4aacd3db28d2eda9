"""augviz — see and measure data augmentation before you train.

Example
-------
>>> import numpy as np
>>> import augviz
>>> from augviz.image import Rotate, HorizontalFlip
>>> recipe = augviz.Recipe([Rotate(angle=(-15, 15)), HorizontalFlip(p=0.5)], seed=0)
>>> out = recipe(np.zeros((16, 16), np.uint8), rng=0)

Modality packages (``augviz.image``, …), ``augviz.viz``, ``augviz.lab`` and the widgets
are imported on first use, so ``import augviz`` stays fast and side-effect free.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import modalities  # noqa: F401  (declares the modalities to the core registry)
from .core import (
    AugvizError,
    InputError,
    OneOf,
    ParamError,
    Recipe,
    RecipeError,
    SomeOf,
    as_recipe,
    catalogue,
)
from .core import get as get_transform
from .core._version import __version__
from .core.coerce import declare_reader

# other libraries' pipelines become recipes wherever a recipe is taken (loaded on first use)
declare_reader("augviz.interop.readers:read_foreign")

__all__ = [
    "AugvizError",
    "InputError",
    "OneOf",
    "ParamError",
    "Recipe",
    "RecipeError",
    "SomeOf",
    "__version__",
    "as_recipe",
    "catalogue",
    "get_transform",
]

_LAZY_MODULES = {"image", "audio", "text", "datasets", "viz", "lab", "widgets", "interop"}
_LAZY_ATTRS: dict[str, tuple[str, str]] = {
    "explore": ("augviz.widgets", "explore"),
    "RecipeBuilder": ("augviz.widgets", "RecipeBuilder"),
    "LabPanel": ("augviz.widgets", "LabPanel"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(f"augviz.{name}")
    if name in _LAZY_ATTRS:
        module, attr = _LAZY_ATTRS[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'augviz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_LAZY_MODULES, *_LAZY_ATTRS])
