"""The core: errors, parameter specs, randomness, the Transform base, registry, recipes.

Imports nothing else of augviz.
"""

from __future__ import annotations

from .coerce import as_recipe, read_recipe
from .errors import AugvizError, InputError, ParamError, RecipeError
from .params import Bool, Choice, Float, Int, Param, Range, Source, Text
from .recipe import OneOf, Recipe, SomeOf
from .registry import catalogue, get, register
from .rng import as_generator
from .transform import Transform

__all__ = [
    "AugvizError",
    "Bool",
    "Choice",
    "Float",
    "InputError",
    "Int",
    "OneOf",
    "Param",
    "ParamError",
    "Range",
    "Recipe",
    "RecipeError",
    "SomeOf",
    "Source",
    "Text",
    "Transform",
    "as_generator",
    "as_recipe",
    "catalogue",
    "get",
    "read_recipe",
    "register",
]
