"""Errors raised by augviz.

Every error a user can cause is an :class:`AugvizError` subclass whose message says
what was given, what is allowed and where (parameter name or JSON path).
"""

from __future__ import annotations

__all__ = ["AugvizError", "InputError", "ParamError", "RecipeError"]


class AugvizError(Exception):
    """Base class of every error augviz raises on purpose."""


class ParamError(AugvizError, ValueError):
    """A transform parameter is outside its spec (name, value and bounds are named)."""


class InputError(AugvizError, ValueError):
    """The data given to a transform, recipe, viewer or lab is not usable."""


class RecipeError(AugvizError, ValueError):
    """A recipe (or its JSON) is malformed; the message names the JSON path."""
