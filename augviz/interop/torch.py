"""Use a recipe as ``transform=`` in a PyTorch Dataset (no torch import unless present).

Each DataLoader worker gets its own stream derived from the recipe seed and the worker's
torch seed, so workers never repeat each other's augmentations, and a seeded DataLoader
(``torch.manual_seed`` / ``generator=``) reproduces the same run.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe

__all__ = ["TorchTransform"]


def _worker_seed() -> int | None:
    torch = sys.modules.get("torch")  # only if the user's code imported torch
    if torch is None:
        return None
    info = torch.utils.data.get_worker_info()
    return None if info is None else int(info.seed)


class TorchTransform:
    """A picklable ``transform=`` callable around a recipe.

    Parameters
    ----------
    recipe : Recipe
    seed : int, optional
        Base seed (default: the recipe's seed, else 0).
    to_tensor : bool
        Return a ``torch.Tensor`` (C×H×W float32 in [0, 1] for images) instead of the
        recipe's output type.

    Example
    -------
    >>> from augviz import Recipe
    >>> from augviz.image import HorizontalFlip
    >>> t = TorchTransform(Recipe([HorizontalFlip(p=0.5)], seed=0))
    >>> # torchvision.datasets.ImageFolder(root, transform=t)
    """

    def __init__(self, recipe: Recipe, seed: int | None = None, *, to_tensor: bool = False) -> None:
        if not isinstance(recipe, Recipe):
            raise InputError(f"TorchTransform takes a Recipe; got {type(recipe).__name__}")
        self.recipe = recipe
        self.seed = seed if seed is not None else (recipe.seed if recipe.seed is not None else 0)
        self.to_tensor = to_tensor
        self._key: Any = object()
        self._rng: np.random.Generator | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"recipe": self.recipe, "seed": self.seed, "to_tensor": self.to_tensor}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["recipe"], state["seed"], to_tensor=state["to_tensor"])  # type: ignore[misc]

    def __call__(self, x: Any) -> Any:
        key = _worker_seed()
        if self._rng is None or key != self._key:
            self._key = key
            self._rng = np.random.default_rng([self.seed, 0 if key is None else key + 1])
        out = self.recipe(x, rng=self._rng)
        return _to_tensor(out) if self.to_tensor else out


def _to_tensor(out: Any) -> Any:
    import torch

    if hasattr(out, "mode") and hasattr(out, "size"):
        out = np.asarray(out)
    if isinstance(out, np.ndarray):
        arr = out.astype(np.float32) / 255.0 if out.dtype == np.uint8 else out.astype(np.float32)
        if arr.ndim == 3:
            arr = arr.transpose(2, 0, 1)
        elif arr.ndim == 2:
            arr = arr[None]
        return torch.from_numpy(np.ascontiguousarray(arr))
    return out
