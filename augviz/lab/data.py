"""Labelled data for the lab: :class:`LabData`, named datasets and the train/val split.

What ``data=`` may be, and how it becomes a :class:`LabData`: :mod:`augviz.lab.load`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from augviz.core import InputError

from .args import TRAIN_SIZE, VAL_SIZE

__all__ = ["LabData", "Split", "available_datasets", "open_dataset", "register_dataset", "split"]


@dataclass(frozen=True, eq=False)
class LabData:
    """Items, integer labels, the modality and class names.

    Parameters
    ----------
    x : array or list
        The items in the form the modality's recipes take: an ``N×…`` array for images
        (and audio of equal length), a list of strings for text.
    y : array-like
        One label per item; any hashable values (ints, strings). Stored as ints
        ``0 .. K-1`` with ``class_names[k]`` the original value.
    modality : str
    class_names : list of str, optional
    name : str
    meta : dict
        Anything to keep with the data (its path, skipped files).
    features : callable, optional
        The feature function the model's input comes from; by default the modality's
        (see :func:`~augviz.lab.register_features`). An image folder's resizes each
        image to the model's size, so its images may differ in size (a list).

    Example
    -------
    >>> import numpy as np
    >>> d = LabData(np.zeros((4, 8, 8), np.float32), ["cat", "dog", "cat", "dog"])
    >>> d.class_names, d.y.tolist()
    (['cat', 'dog'], [0, 1, 0, 1])
    """

    x: Any
    y: Any
    modality: str = "image"
    class_names: Sequence[str] | None = None
    name: str = "data"
    meta: dict[str, Any] = field(default_factory=dict)
    features: Callable[[Any], np.ndarray] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        x, y = self.x, self.y
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
            raise InputError(f"data x must be an array or a list of items; got {type(x).__name__}")
        y_arr = np.asarray(y)
        if y_arr.ndim != 1:
            raise InputError(f"labels y must be one label per item (1-D); got shape {y_arr.shape}")
        if len(x) != len(y_arr):
            raise InputError(
                f"data and labels do not match: {len(x)} items but {len(y_arr)} labels; "
                "allowed: one label per item"
            )
        if self.modality == "image":
            x = _check_images(x, one_size=self.features is None)
        values, codes = np.unique(y_arr, return_inverse=True)
        if len(values) < 2:
            found = values.tolist() if len(values) else "none"
            raise InputError(
                f"the lab needs at least 2 classes to measure accuracy; the labels hold {found}"
            )
        names = self.class_names
        if names is None:
            names = [str(v) for v in values.tolist()]
        elif len(names) != len(values):
            raise InputError(
                f"class_names has {len(names)} names but the labels hold {len(values)} classes"
            )
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", codes.astype(np.int64))
        object.__setattr__(self, "class_names", [str(n) for n in names])

    def __len__(self) -> int:
        return len(self.y)

    @property
    def n_classes(self) -> int:
        return len(self.class_names or ())

    def subset(self, idx: np.ndarray) -> tuple[Any, np.ndarray]:
        """``(x[idx], y[idx])`` (lists are indexed item by item)."""
        if isinstance(self.x, np.ndarray):
            return self.x[idx], self.y[idx]
        return [self.x[i] for i in idx], self.y[idx]

    def describe(self) -> dict[str, Any]:
        """A JSON-safe summary (name, modality, size, shape, classes)."""
        shape = list(self.x.shape[1:]) if isinstance(self.x, np.ndarray) else None
        out = {"name": self.name, "modality": self.modality, "n": len(self),
               "item_shape": shape, "classes": list(self.class_names or [])}
        for key in ("path", "image_size", "fit", "text_column", "label_column"):
            if key in self.meta:
                out[key] = self.meta[key]
        if self.meta.get("skipped"):
            out["skipped_files"] = len(self.meta["skipped"])
        return out


def _check_images(x: Any, one_size: bool = True) -> Any:
    if isinstance(x, list) and not one_size and len({np.shape(i) for i in x}) > 1:
        return [_check_images(np.asarray(i)[None])[0] for i in x]  # kept at their sizes
    if isinstance(x, list):
        try:
            x = np.stack([np.asarray(i) for i in x])
        except ValueError:
            raise InputError(
                "image data: all images must have the same shape for the lab"
            ) from None
    x = np.asarray(x)
    if x.ndim not in (3, 4) or (x.ndim == 4 and x.shape[3] not in (1, 3, 4)):
        raise InputError(
            f"image data shape {x.shape} is not allowed; allowed: N×H×W or N×H×W×C "
            "with C in 1, 3, 4"
        )
    if x.dtype == np.uint8:
        return x
    if x.dtype.kind == "f":
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 0.0)
        if not (np.isfinite(lo) and np.isfinite(hi)) or lo < 0 or hi > 1:
            raise InputError(
                f"float image values span [{lo:g}, {hi:g}]; allowed: finite values in [0, 1]"
            )
        return x.astype(np.float32, copy=False)
    raise InputError(f"image dtype {x.dtype} is not allowed; allowed: uint8 or float in [0, 1]")


_DATASETS: dict[str, tuple[Callable[[], LabData], str]] = {}
_plugged = False


def ensure_plugins() -> None:
    """Register every modality's lab support (features, models, datasets) once: the
    ``lab`` function each :mod:`augviz.modalities` record names is called the first time
    the lab needs its registries, before any user registration (which then wins)."""
    global _plugged
    if _plugged:
        return
    _plugged = True
    from augviz.modalities import all_modalities

    for record in all_modalities():
        if record.lab is not None:
            record.load("lab")()


def register_dataset(name: str, loader: Callable[[], LabData], doc: str = "") -> None:
    """Make ``data=name`` available to the lab; ``loader()`` returns a :class:`LabData`
    (it must not download anything)."""
    ensure_plugins()
    _DATASETS[name] = (loader, doc)


def available_datasets() -> dict[str, str]:
    """Registered dataset names and one-line descriptions."""
    ensure_plugins()
    return {k: v[1] for k, v in sorted(_DATASETS.items())}


def open_dataset(name: str) -> LabData | None:
    """The registered dataset ``name`` (loaded), or ``None`` if no dataset has that name."""
    ensure_plugins()
    entry = _DATASETS.get(name)
    return None if entry is None else entry[0]()


@dataclass(frozen=True)
class Split:
    """Train and validation indices into a :class:`LabData`."""

    train: np.ndarray
    val: np.ndarray


def split(data: LabData, train_size: int, val_size: int | None, rng: np.random.Generator, *,
          where: str = "lab.split") -> Split:
    """A stratified random split: ``train_size`` items to train on, ``val_size`` (default:
    ``min(500, the rest)``) to validate on; classes appear in proportion in both.
    ``where`` names the caller in error messages."""
    n = len(data)
    train_size = TRAIN_SIZE.check_argument(train_size, where=where)
    if train_size >= n:
        raise InputError(
            f"train_size={train_size} is larger than the data allows: {data.name!r} has {n} "
            f"items and validation needs at least one; allowed: {TRAIN_SIZE.low} .. {n - 1}"
        )
    rest = n - train_size
    if val_size is None:
        val_size = min(500, rest)
    val_size = VAL_SIZE.check_argument(val_size, where=where)
    if val_size > rest:
        raise InputError(
            f"val_size={val_size} is too large: {data.name!r} has {n} items and "
            f"train_size={train_size}; allowed: 1 .. {rest}"
        )
    # interleave the classes: shuffle, rank each item within its class, order by rank/size
    perm = rng.permutation(n)
    y = data.y[perm]
    counts = np.bincount(y, minlength=data.n_classes)
    order = np.argsort(y, kind="stable")
    rank = np.empty(n, np.float64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank[order] = np.arange(n) - np.repeat(starts, counts)
    key = (rank + rng.random(n)) / counts[y]
    ordered = perm[np.argsort(key, kind="stable")]
    train, val = ordered[:train_size], ordered[train_size : train_size + val_size]
    if len(np.unique(data.y[train])) < 2:
        raise InputError(
            f"train_size={train_size} leaves only one class in the training set; use more items"
        )
    return Split(np.sort(train), np.sort(val))
