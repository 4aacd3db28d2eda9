"""The TrivialAugment reference arm: one random catalogue transform per item at a random
strength, with no tuning.

``compare({"ta": "trivialaugment"})`` (or ``search``) adds it, so a hand-made recipe can
be judged against the zero-effort policy. Every catalogue transform of the data's
modality that keeps an item's shape and type (checked on a few items of the data) is a
child of one :class:`~augviz.core.OneOf` with equal weights; each child keeps the
catalogue's default ranges, from which its strength is drawn per item.

Example
-------
>>> import numpy as np
>>> r = trivial_augment("image", np.zeros((2, 16, 16), np.float32))
>>> r.name, r.steps[0].kind, len(r.steps[0].children) > 10
('trivialaugment', 'one_of', True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from augviz.core import InputError, OneOf, Recipe, registry

__all__ = ["TRIVIAL_AUGMENT", "is_trivial_augment", "trivial_augment"]

TRIVIAL_AUGMENT = "trivialaugment"
# transforms that need an optional engine or run a model per item: not a quick reference
_SKIP = frozenset({"text.back_translate"})


def is_trivial_augment(value: Any) -> bool:
    """Whether an arm value names the TrivialAugment arm."""
    return isinstance(value, str) and value.strip().lower().replace("_", "") == TRIVIAL_AUGMENT


def _same_kind(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same_kind, a, b))
    if isinstance(a, str):
        return isinstance(b, str)
    shape = getattr(a, "shape", None)
    return type(a) is type(b) and shape == getattr(b, "shape", None)


def trivial_augment(modality: str, probe: Any) -> Recipe:
    """The TrivialAugment recipe for ``modality``: the catalogue transforms that run on
    ``probe`` (a few items, as the lab's data holds them) and keep their shape and type.

    A transform that raises on the probe or changes an item's shape (a fixed-size crop,
    a time stretch) is left out, so every augmented batch still stacks.
    """
    children = []
    for cls in registry.catalogue(modality):
        if cls.id in _SKIP:
            continue
        t = cls(p=1.0)
        try:
            out = Recipe([t], modality=modality).batch(probe, rng=0)
        except Exception:  # a transform that cannot take these items is left out
            continue
        if _same_kind(probe, out):
            children.append(t)
    if not children:
        raise InputError(f"trivialaugment: no {modality} transform of the catalogue runs on "
                         "these items and keeps their shape")
    return Recipe([OneOf(children)], modality=modality, name=TRIVIAL_AUGMENT,
                  meta={"notes": "TrivialAugment: one random catalogue transform per item at a "
                                 "random strength (default ranges), no tuning"})
