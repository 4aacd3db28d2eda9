"""Every step visible: the input and the image after each step of a recipe, for one or
more draws (:func:`step_grid`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from augviz.core import InputError, Int, Recipe, as_recipe
from augviz.core.rng import RngLike, as_generator

from .image import _fmt, _is_sample, image_grid, value_labels

__all__ = ["step_grid", "step_rows", "tile_images", "viewable"]

DRAWS = Int("n", 1, 32, 1, doc="Draws: one row per run of the recipe.")
#: how much of the background shows through a tile that is not an augmentation's output
_FADE = 0.55


def _key(path: str) -> str:
    """The top-level part of a trace path: ``steps[1].one_of[0]`` → ``steps[1]``."""
    return path if path.startswith("preprocess.") else path.split(".", 1)[0]


def viewable(x: Any) -> Any:
    """What a preparation step made of an image, back in a form a tile can show:
    channels last, values scaled to [0, 1] (a normalised array is min-max scaled)."""
    if not isinstance(x, np.ndarray):
        return x
    arr = x
    if arr.ndim == 3 and arr.shape[0] in (1, 3, 4) and arr.shape[2] not in (1, 3, 4):
        arr = arr.transpose(1, 2, 0)
    if arr.dtype != np.uint8:
        arr = arr.astype(np.float32)
        lo, hi = float(arr.min()), float(arr.max())
        if lo < 0.0 or hi > 1.0:
            arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    return arr


def _fade(x: Any, background: int) -> Any:
    if _is_sample(x):  # its targets are drawn on top: leave it as it is
        return x
    arr = np.asarray(viewable(x))
    if arr.dtype != np.uint8:
        arr = (np.clip(arr, 0.0, 1.0) * 255).round().astype(np.uint8)
    if arr.ndim == 3 and arr.shape[2] == 4:
        arr = arr[:, :, :3]
    out = arr.astype(np.float32) * (1 - _FADE) + background * _FADE
    return out.round().astype(np.uint8)


def _label(recipe: Recipe, records: list[dict[str, Any]]) -> tuple[str, str]:
    """(caption, state) for one top-level step's records; state is ``"ran"``,
    ``"skipped"`` (its probability did not fire), ``"off"`` or ``"prep"``."""
    first = records[0]
    key = _key(first["path"])
    if key.startswith("preprocess."):
        t = recipe.at(first["path"])
        specs = t.param_specs()  # sizes say what a preparation did; the rest is in the recipe
        shown = [f"{k}={_fmt(v)}" for k, v in first["values"].items()
                 if k in specs and specs[k].kind == "int"]
        return f"prep {t.id.split('.', 1)[-1]}" + (f" {' '.join(shown)}" if shown else ""), "prep"
    step = recipe[int(key[len("steps["):-1])]
    name = step.id.split(".", 1)[-1] if step.kind == "transform" else step.kind
    if first.get("enabled") is False:
        return f"{name}: off", "off"
    applied = [r for r in records if r.get("applied")]
    if not applied:
        return f"{name}: skipped (p={step.p:g})", "skipped"
    parts = []
    for r in applied:
        t = recipe.at(r["path"])
        vals = value_labels(t, r["values"])
        short = t.id.split(".", 1)[-1]
        parts.append(" ".join([short, *vals]) if step.kind != "transform" else " ".join(vals) or short)
    body = ", ".join(parts)
    if step.kind != "transform":
        return f"{name}: {body}", "ran"
    return (name if body == name else f"{name} {body}"), "ran"


def step_rows(recipe_or_transform: Any, x: Any, n: int = 1, *, rng: RngLike = None
              ) -> list[list[tuple[Any, str, str]]]:
    """The pictures of :func:`step_grid` before they are composed: one list per draw of
    ``(image, caption, state)`` — the input first (state ``"input"``), then one entry per
    preparation step (``"prep"``) and per top-level step (``"ran"``, ``"skipped"``,
    ``"off"``), in the order they ran."""
    n = DRAWS.check_argument(n, where="n")
    recipe = as_recipe(recipe_or_transform, where="step_grid")
    gen = as_generator(rng)
    rows = []
    for _ in range(int(n)):
        _, records = recipe.trace(x, rng=gen)
        groups: dict[str, list[dict[str, Any]]] = {}
        for rec in records:
            groups.setdefault(_key(rec["path"]), []).append(rec)
        cur = x
        row: list[tuple[Any, str, str]] = [(x, "input", "input")]
        for recs in groups.values():
            for r in recs:
                if r.get("applied") and r.get("values") is not None:
                    cur = recipe.at(r["path"]).apply(cur, **r["values"])
            caption, state = _label(recipe, recs)
            row.append((cur, caption, state))
        rows.append(row)
    return rows


def step_grid(
    recipe_or_transform: Any,
    x: Any,
    n: int = 1,
    *,
    rng: RngLike = None,
    tile: int = 128,
    captions: bool = True,
    background: int = 255,
    **grid_kw: Any,
) -> np.ndarray:
    """Every step visible: the input, then the image after each step, for ``n`` draws
    (one row per draw).

    Under each tile: the step's name and the values it drew (``rotate angle=12.3``);
    a step whose probability did not fire reads ``skipped (p=…)``, a disabled one
    ``off``, and both are drawn faded, as are the recipe's preparation steps
    (``prep resize``: not augmentations). After ``Normalize`` / ``ToTensor`` the tile
    shows the array rescaled to [0, 1], channels last.

    Parameters
    ----------
    recipe_or_transform : Recipe, Transform, OneOf, SomeOf (or anything
        :func:`augviz.as_recipe` takes)
    x : image
        One image (or :class:`augviz.image.Sample`).
    n : int
        Draws (1–32): each row is one run of the recipe.
    rng : int, numpy Generator or None
        Makes the rows reproducible; row ``k`` is the ``k``-th run of the recipe with
        this generator, exactly as :func:`grid_for` draws.
    tile, captions, background, **grid_kw
        As in :func:`augviz.viz.image_grid`.

    Returns
    -------
    numpy.ndarray
        uint8 H×W×3.

    Example
    -------
    >>> from augviz import Recipe
    >>> from augviz.image import HorizontalFlip, Rotate
    >>> from augviz.datasets import load_digits
    >>> grid = step_grid(Recipe([Rotate(), HorizontalFlip(p=0.5)]), load_digits()[0][0], n=2, rng=0,
    ...                  tile=32, pad=2, captions=False)
    >>> grid.shape  # 2 draws × (input + 2 steps)
    (70, 104, 3)
    """
    if isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.ndim == 4):
        raise InputError("step_grid takes one image; for several images call it once per image")
    rows = step_rows(recipe_or_transform, x, n, rng=rng)
    images = [tile_images(row, background) for row in rows]
    caps: list[Sequence[str]] = [[cap for _, cap, _ in row] for row in rows]
    return image_grid(images, caps if captions else None, tile=tile, background=background, **grid_kw)


def tile_images(row: Sequence[tuple[Any, str, str]], background: int = 255) -> list[Any]:
    """The pictures of one :func:`step_rows` row as tiles: outputs as they are, skipped,
    disabled and preparation steps faded towards ``background``."""
    return [viewable(img) if state in ("input", "ran") else _fade(img, background) for img, _, state in row]
