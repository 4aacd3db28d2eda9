"""Interactive widgets (ipywidgets): the Explorer, the Recipe Builder, spec controls.

Importing this package imports ipywidgets (``pip install augviz[notebook]``).

Example
-------
>>> import augviz
>>> from augviz.image import Rotate
>>> from augviz.datasets import sample_image
>>> ex = augviz.explore(Rotate(angle=(-30, 30)), sample_image("astronaut"))  # doctest: +SKIP
>>> ex                                                                       # doctest: +SKIP
"""

from __future__ import annotations

try:
    import ipywidgets  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
    raise ModuleNotFoundError(
        "augviz.widgets needs ipywidgets; install it with `pip install augviz[notebook]`",
        name=exc.name,
    ) from None

from .builder import RecipeBuilder
from .controls import MODES, ParamControls, control_for, fixed_value, tooltip_for
from .explorer import Explorer, explore
from .lab_panel import LabPanel
from .viewers import get_viewer, image_viewer, register_viewer, viewers

__all__ = [
    "MODES",
    "Explorer",
    "LabPanel",
    "ParamControls",
    "RecipeBuilder",
    "control_for",
    "explore",
    "fixed_value",
    "get_viewer",
    "image_viewer",
    "register_viewer",
    "tooltip_for",
    "viewers",
]
