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

    def __call__(self, x: Any, target: Any = None) -> Any:
        """Augment ``x`` (an image, or an :class:`augviz.image.Sample` whose targets
        follow it). With ``target`` — the dict a detection dataset gives its
        ``transforms=(image, target)``: ``boxes`` (N×4 ``xyxy`` pixels), ``labels``,
        ``masks`` (N×H×W or H×W), ``keypoints`` (N×K×2 or N×K×3) and any other per-box
        entries (``area``, ``iscrowd``, …) — returns ``(image, target)`` with the boxes
        moved, the dropped boxes' rows removed from every per-box entry, and the types
        (numpy or torch) kept."""
        key = _worker_seed()
        if self._rng is None or key != self._key:
            self._key = key
            self._rng = np.random.default_rng([self.seed, 0 if key is None else key + 1])
        if target is not None:
            sample, n = _target_sample(x, target)
            moved = self.recipe(sample, rng=self._rng)
            image = _to_tensor(moved.image) if self.to_tensor else moved.image
            return image, _target_dict(target, moved, n)
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


# -- targets as detection datasets give them -------------------------------------------
def _numpy(value: Any, key: str) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        return np.asarray(value)
    except (TypeError, ValueError):
        raise InputError(f"target[{key!r}] is {type(value).__name__}; allowed: an array or tensor") from None


def _target_sample(image: Any, target: Any) -> tuple[Any, int]:
    """A Sample whose box labels are the row indices (so the kept rows are known)."""
    from augviz.image import Boxes, Keypoints, Sample

    if not isinstance(target, dict):
        raise InputError(f"target is {type(target).__name__}; allowed: a dict with 'boxes' (N×4 xyxy "
                         "pixels) and optionally 'labels', 'masks', 'keypoints'")
    if "boxes" not in target:
        raise InputError(f"target has no 'boxes' (keys: {', '.join(map(str, target))}); TorchTransform "
                         "moves 'boxes', 'masks' and 'keypoints' with the image")
    boxes = _numpy(target["boxes"], "boxes").astype(np.float64).reshape(-1, 4)
    n = len(boxes)
    masks = None
    if target.get("masks") is not None:
        m = _numpy(target["masks"], "masks")
        if m.ndim == 3 and len(m) != n:
            raise InputError(f"target['masks'] has {len(m)} masks for {n} boxes; allowed: one per box "
                             "(N×H×W) or one H×W mask")
        masks = [np.ascontiguousarray(a) for a in m] if m.ndim == 3 else np.ascontiguousarray(m)
    keypoints = None
    if target.get("keypoints") is not None:
        k = _numpy(target["keypoints"], "keypoints").astype(np.float64)
        if k.ndim != 3 or len(k) != n or k.shape[2] not in (2, 3):
            raise InputError(f"target['keypoints'] has shape {k.shape}; allowed: (N boxes, K, 2 or 3)")
        visible = np.ones(k.shape[:2], bool) if k.shape[2] == 2 else k[:, :, 2] > 0
        keypoints = Keypoints(k[:, :, :2].reshape(-1, 2), visible=visible.reshape(-1))
    sample = Sample(image, masks=masks, boxes=Boxes(boxes, labels=range(n)), keypoints=keypoints)
    return sample, n


def _like(value: Any, arr: np.ndarray) -> Any:
    if hasattr(value, "detach"):
        import torch

        return torch.as_tensor(np.array(arr)).to(value.dtype)  # a copy: moved arrays are read-only
    return arr.astype(np.asarray(value).dtype, copy=False)


def _target_dict(target: dict[str, Any], moved: Any, n: int) -> dict[str, Any]:
    kept = np.array(moved.boxes.labels or (), np.int64)
    out = dict(target)
    out["boxes"] = _like(target["boxes"], moved.boxes.coords.reshape(-1, 4))
    if target.get("masks") is not None:
        m = moved.masks
        if isinstance(m, list):  # one mask per box: the dropped boxes' go too
            dtype = _numpy(target["masks"], "masks").dtype
            m = np.stack(m)[kept] if m else np.zeros((0, *moved.shape), dtype)
        out["masks"] = _like(target["masks"], m)
    if target.get("keypoints") is not None:
        k = _numpy(target["keypoints"], "keypoints")
        xy = moved.keypoints.xy.reshape(n, -1, 2)[kept]
        vis = moved.keypoints.visible.reshape(n, -1)[kept]
        if k.shape[2] == 3:
            # out of the frame: visibility 0, as COCO marks a point that is not there
            v = np.where(vis, k[kept, :, 2], 0)
            xy = np.concatenate([xy, v[:, :, None]], axis=2)
        out["keypoints"] = _like(target["keypoints"], xy)
    for key, value in target.items():
        if key in ("boxes", "masks", "keypoints"):
            continue
        if hasattr(value, "detach") and value.ndim and value.shape[0] == n:
            import torch

            out[key] = value[torch.as_tensor(kept)]
        elif isinstance(value, np.ndarray) and value.ndim and value.shape[0] == n:
            out[key] = value[kept]
        elif isinstance(value, (list, tuple)) and len(value) == n:
            out[key] = type(value)(value[i] for i in kept)
    return out
