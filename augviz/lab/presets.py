"""Named example recipes for the lab's digits (16 px): none, mild, harmful.

``mild`` is one ``image.affine`` (rotation ±15°, shift ±2 px = ±0.125 of the size, scale
±10 %). ``harmful`` mirrors and turns by up to ±180°: it breaks the labels of
2/3/5/6/7/9 and should destroy accuracy.

Example
-------
>>> from augviz.lab import presets
>>> presets.digits_mild().name
'digits-mild'
"""

from __future__ import annotations

from augviz.core import InputError, Recipe, registry

__all__ = ["PRESETS", "digits_harmful", "digits_mild", "digits_none", "get"]


def digits_none() -> None:
    """No augmentation (the baseline)."""
    return None


def digits_mild(seed: int | None = None) -> Recipe:
    """Small geometric jitter that keeps every digit's label."""
    step = registry.get("image.affine")(angle=(-15.0, 15.0), translate=(-0.125, 0.125),
                                        scale=(0.9, 1.1))
    return Recipe([step], seed=seed, name="digits-mild",
                  meta={"notes": "rotation ±15°, shift ±2 px, scale ±10 % (label-safe)"})


def digits_harmful(seed: int | None = None) -> Recipe:
    """Mirror + rotate by up to ±180°: turns 6 into 9, mirrors 2/3/5/7 — breaks labels."""
    return Recipe(
        [registry.get("image.hflip")(p=0.5), registry.get("image.rotate")(angle=(-180.0, 180.0))],
        seed=seed, name="digits-harmful",
        meta={"notes": "hflip p=0.5 + rotate ±180°: breaks digit labels (6↔9, mirrored 2/3/5/7)"},
    )


PRESETS = {"none": digits_none, "mild": digits_mild, "harmful": digits_harmful}


def get(name: str) -> Recipe | None:
    """A preset by name: ``"none"``, ``"mild"`` or ``"harmful"``."""
    if name not in PRESETS:
        raise InputError(f"unknown preset {name!r}; allowed: {', '.join(PRESETS)}")
    return PRESETS[name]()
