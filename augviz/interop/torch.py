"""Use a recipe as ``transform=`` in a PyTorch Dataset (no torch import unless present).

Given each item's key (:class:`KeyedDataset` passes it), an item's augmentation is a pure
function of (seed, epoch, key): the same for any ``num_workers``, world size or order —
the seed contract of :meth:`augviz.Recipe.item_rng`. :meth:`TorchTransform.set_epoch`
mirrors ``DistributedSampler.set_epoch``.

Without a key (a plain ``Dataset(transform=t)``) each DataLoader worker gets its own stream
derived from the seed and the worker's torch seed: workers never repeat each other's
augmentations and a seeded DataLoader reproduces a run, but the draws then depend on
``num_workers``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe
from augviz.core.rng import item_key, item_rng

__all__ = ["KeyedDataset", "TorchTransform"]


def _worker_seed() -> int | None:
    torch = sys.modules.get("torch")  # only if the user's code imported torch
    if torch is None:
        return None
    info = torch.utils.data.get_worker_info()
    return None if info is None else int(info.seed)


def _count(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise InputError(f"{name}={value!r} is not allowed; allowed: an integer >= 0")
    return int(value)


class TorchTransform:
    """A picklable ``transform=`` callable around a recipe.

    Parameters
    ----------
    recipe : Recipe
    seed : int, optional
        Base seed (default: the recipe's seed, else 0 — as ``augviz apply``).
    to_tensor : bool
        Return a ``torch.Tensor`` (C×H×W float32 in [0, 1] for images) instead of the
        recipe's output type.
    epoch : int
        The pass over the data (see :meth:`set_epoch`).

    Calling ``t(x, key=k)`` draws from ``item_rng(seed, k, epoch)``: the output depends on
    the item and its key only. ``t(x)`` without a key uses the per-worker stream.

    Example
    -------
    >>> from augviz import Recipe
    >>> from augviz.image import HorizontalFlip
    >>> t = TorchTransform(Recipe([HorizontalFlip(p=0.5)], seed=0))
    >>> # data = KeyedDataset(torchvision.datasets.ImageFolder(root), t)
    >>> t.set_epoch(3)
    >>> t.epoch
    3
    """

    def __init__(self, recipe: Recipe, seed: int | None = None, *, to_tensor: bool = False,
                 epoch: int = 0) -> None:
        if not isinstance(recipe, Recipe):
            raise InputError(f"TorchTransform takes a Recipe; got {type(recipe).__name__}")
        self.recipe = recipe
        self.seed = seed if seed is not None else (recipe.seed if recipe.seed is not None else 0)
        self.to_tensor = to_tensor
        self.epoch = _count(epoch, "epoch")
        self._key: Any = object()
        self._rng: np.random.Generator | None = None

    def set_epoch(self, epoch: int) -> None:
        """Use the draws of pass ``epoch`` (call it with the sampler's ``set_epoch``).

        DataLoader workers get a copy of the dataset when an iteration starts, so call
        this before ``iter(loader)``; with ``persistent_workers=True`` the workers keep the
        epoch they started with.
        """
        self.epoch = _count(epoch, "epoch")

    def __getstate__(self) -> dict[str, Any]:
        return {"recipe": self.recipe, "seed": self.seed, "to_tensor": self.to_tensor, "epoch": self.epoch}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["recipe"], state["seed"], to_tensor=state["to_tensor"],  # type: ignore[misc]
                      epoch=state.get("epoch", 0))

    def __call__(self, x: Any, target: Any = None, *, key: Any = None) -> Any:
        """Augment ``x`` (an image, or an :class:`augviz.image.Sample` whose targets
        follow it). With ``key``, the draws are ``item_rng(seed, key, epoch)`` — the same
        for any number of workers. With ``target`` — the dict a detection dataset gives its
        ``transforms=(image, target)``: ``boxes`` (N×4 ``xyxy`` pixels), ``labels``,
        ``masks`` (N×H×W or H×W), ``keypoints`` (N×K×2 or N×K×3) and any other per-box
        entries (``area``, ``iscrowd``, …) — returns ``(image, target)`` with the boxes
        moved, the dropped boxes' rows removed from every per-box entry, and the types
        (numpy or torch) kept."""
        if key is not None:
            rng = item_rng(self.seed, key, self.epoch)
        else:
            worker = _worker_seed()
            if self._rng is None or worker != self._key:
                self._key = worker
                words = [self.seed, 0 if worker is None else worker + 1]
                self._rng = np.random.default_rng([*words, self.epoch] if self.epoch else words)
            rng = self._rng
        if target is not None:
            sample, n = _target_sample(x, target)
            moved = self.recipe(sample, rng=rng)
            image = _to_tensor(moved.image) if self.to_tensor else moved.image
            return image, _target_dict(target, moved, n)
        out = self.recipe(x, rng=rng)
        return _to_tensor(out) if self.to_tensor else out


class KeyedDataset:
    """A map-style dataset that augments each item with its key.

    Wraps ``dataset`` (whose own ``transform`` should be ``None``): item ``i`` is
    ``dataset[i]`` with its first element (or itself, if not a tuple) passed through
    ``transform(x, key=key_of(i))``. The key is, in order: ``keys[i]`` when given; the
    file path relative to ``dataset.root`` for ``ImageFolder``/``DatasetFolder``-style
    datasets (a ``samples`` list of ``(path, label)``) — the same key ``augviz apply``
    uses for that file; else the index ``i``.

    Example
    -------
    >>> from augviz import Recipe
    >>> from augviz.image import Rotate
    >>> t = TorchTransform(Recipe([Rotate()], seed=0))
    >>> data = KeyedDataset([(np.zeros((8, 8), np.uint8), 0)], t)
    >>> x, label = data[0]
    >>> data.key(0), x.shape, label
    (0, (8, 8), 0)
    """

    def __init__(self, dataset: Any, transform: Any, *, keys: Sequence[Any] | None = None) -> None:
        if not hasattr(dataset, "__getitem__") or not hasattr(dataset, "__len__"):
            raise InputError(f"KeyedDataset takes a map-style dataset (with __getitem__ and __len__); "
                             f"got {type(dataset).__name__}")
        if not callable(transform):
            raise InputError(f"KeyedDataset: transform is {type(transform).__name__}; allowed: a "
                             "callable taking (x, key=...), e.g. a TorchTransform")
        if keys is not None:
            keys = list(keys)
            if len(keys) != len(dataset):
                raise InputError(f"KeyedDataset: {len(keys)} keys for {len(dataset)} items; "
                                 "allowed: one key per item")
            for k in keys:
                item_key(k)  # a bad key is an error now, not in a worker
        self.dataset = dataset
        self.transform = transform
        self.keys = keys

    def __len__(self) -> int:
        return len(self.dataset)

    def key(self, i: int) -> Any:
        """The key of item ``i``."""
        if self.keys is not None:
            return self.keys[i]
        samples, root = getattr(self.dataset, "samples", None), getattr(self.dataset, "root", None)
        if samples is not None and root is not None:
            path = samples[i][0]
            return Path(os.path.relpath(path, root)).as_posix()
        return int(i)

    def set_epoch(self, epoch: int) -> None:
        """Pass ``epoch`` on to the transform (as ``DistributedSampler.set_epoch``)."""
        if not hasattr(self.transform, "set_epoch"):
            raise InputError(f"KeyedDataset.set_epoch: the transform ({type(self.transform).__name__}) "
                             "has no set_epoch; use a TorchTransform")
        self.transform.set_epoch(epoch)

    def __getitem__(self, i: int) -> Any:
        item = self.dataset[i]
        key = self.key(i)
        if isinstance(item, tuple) and item:
            return (self.transform(item[0], key=key), *item[1:])
        return self.transform(item, key=key)


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
