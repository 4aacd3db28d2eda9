"""Pictures (no widgets): image grids, spectrograms, text diffs, curves.

Names are resolved on first use so that importing ``augviz.viz`` does not import
matplotlib or librosa.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "image_grid": "image",
    "show_grid": "image",
    "plot_grid": "image",
    "encode_image": "image",
    "grid_for": "image",
    "caption_for": "image",
    "step_grid": "steps",
    "step_rows": "steps",
    "text_diff": "text",
    "text_diff_plain": "text",
    "spectrogram": "audio",
    "compare_spectrograms": "audio",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f"augviz.viz.{_NAMES[name]}"), name)
    raise AttributeError(f"module 'augviz.viz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
