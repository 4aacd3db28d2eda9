"""Augment a Hugging Face ``datasets.Dataset`` column with a recipe.

:func:`with_recipe` augments on the fly (``Dataset.with_transform``: nothing is written,
every read draws anew for the epoch given); :func:`augment` writes augmented copies
(``Dataset.map``). Both follow the seed contract of :meth:`augviz.Recipe.item_rng`: the row
whose key column holds ``k`` gets ``recipe(x, rng=item_rng(seed, k, epoch, copy))`` — the
same bytes as ``augviz apply`` for the file whose relative path is ``k``, whatever the
batch size, ``num_proc`` or DataLoader workers. Needs the ``hf`` extra
(``pip install 'augviz[hf]'``); this module imports ``datasets`` only when called.

Column values: images as PIL images or arrays, text as ``str``, audio as a dict with
``array`` and ``sampling_rate`` (what the ``Audio`` feature or a plain struct gives) or an
:class:`augviz.audio.Audio`. Outputs keep the input's form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe, as_recipe
from augviz.core.rng import item_key, item_rng

from ._base import InteropError

__all__ = ["RecipeColumns", "augment", "with_recipe"]

#: the column ``augment`` adds: which copy of its row an output is
COPY_COLUMN = "augviz_copy"


def _datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise InteropError(
            "augviz.interop.hf needs the Hugging Face datasets package, which is not installed; "
            "install it with: pip install 'augviz[hf]'"
        ) from None
    return datasets


def _count(value: Any, name: str, low: int = 0) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < low:
        raise InputError(f"{name}={value!r} is not allowed; allowed: an integer >= {low}")
    return int(value)


class RecipeColumns:
    """A picklable batch function: ``fn(batch) -> batch`` with ``column`` augmented.

    ``batch`` is a dict of column lists (what ``with_transform`` and ``map(batched=True)``
    pass). Row ``i`` is augmented with ``item_rng(seed, batch[key_column][i], epoch, copy)``.

    Parameters
    ----------
    recipe : Recipe (or anything :func:`augviz.as_recipe` takes)
    column : str
        The column to augment.
    key_column : str
        A column that names each row stably (a path, a row id).
    seed : int, optional
        Default: the recipe's seed, else 0 (as ``augviz apply``).
    epoch, copy : int
    """

    def __init__(self, recipe: Any, column: str, key_column: str, *, seed: int | None = None,
                 epoch: int = 0, copy: int = 0) -> None:
        recipe = as_recipe(recipe, where="recipe")
        for name, value in (("column", column), ("key_column", key_column)):
            if not isinstance(value, str) or not value:
                raise InputError(f"{name}={value!r} is not allowed; allowed: a column name")
        self.recipe: Recipe = recipe
        self.column = column
        self.key_column = key_column
        self.seed = seed if seed is not None else (recipe.seed if recipe.seed is not None else 0)
        item_rng(self.seed, "", 0)  # a bad seed is an error here, not in a worker
        self.epoch = _count(epoch, "epoch")
        self.copy = _count(copy, "copy")

    def set_epoch(self, epoch: int) -> None:
        self.epoch = _count(epoch, "epoch")

    def one(self, x: Any, key: Any, copy: int | None = None) -> Any:
        """Augment one value of the column (the contract's draw for ``key``)."""
        rng = item_rng(self.seed, key, self.epoch, self.copy if copy is None else copy)
        return _augment(self.recipe, x, rng)

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, Any]:
        xs, keys = _columns(batch, self.column, self.key_column)
        out = dict(batch)
        out[self.column] = [self.one(x, k) for x, k in zip(xs, keys, strict=True)]
        return out


def _columns(batch: Mapping[str, Any], column: str, key_column: str) -> tuple[list[Any], list[Any]]:
    for name in (column, key_column):
        if name not in batch:
            raise InputError(f"the dataset has no column {name!r}; its columns: {', '.join(batch)}")
    keys = list(batch[key_column])
    for k in keys:
        item_key(k)
    return list(batch[column]), keys


def _augment(recipe: Recipe, x: Any, rng: np.random.Generator) -> Any:
    if recipe.modality == "audio" and isinstance(x, Mapping):
        from augviz.audio import Audio

        if "array" not in x or "sampling_rate" not in x:
            raise InputError(f"an audio value is a dict with keys {sorted(x)}; allowed: a dict with "
                             "'array' and 'sampling_rate'")
        out = recipe(Audio(np.asarray(x["array"], np.float32), int(x["sampling_rate"])), rng=rng)
        return {**x, "array": out.samples, "sampling_rate": out.sample_rate}
    if recipe.modality == "audio" and hasattr(x, "get_all_samples"):  # a torchcodec decoder
        from augviz.audio import Audio

        s = x.get_all_samples()
        data = np.asarray(s.data, np.float32)
        out = recipe(Audio(data[0] if data.shape[0] == 1 else data, int(s.sample_rate)), rng=rng)
        return {"array": out.samples, "sampling_rate": out.sample_rate}
    if recipe.modality == "image" and isinstance(x, list):
        x = np.asarray(x, np.uint8)
    return recipe(x, rng=rng)


def with_recipe(dataset: Any, recipe: Any, *, column: str, key_column: str, seed: int | None = None,
                epoch: int = 0) -> Any:
    """The dataset with ``column`` augmented on the fly (a new view; nothing is copied).

    Each read of row ``i`` gives the contract's draw for ``(seed, dataset[key_column][i],
    epoch)``; call again with the next ``epoch`` for the next pass. Uses
    ``Dataset.with_transform`` (the non-mutating ``set_transform``).

    Example (``datasets`` installed)::

        ds = datasets.Dataset.from_dict({"text": ["a cat sat"], "id": ["r0"]})
        for epoch in range(3):
            train = with_recipe(ds, recipe, column="text", key_column="id", epoch=epoch)
    """
    _datasets()
    fn = RecipeColumns(recipe, column, key_column, seed=seed, epoch=epoch)
    names = getattr(dataset, "column_names", None)
    if names is None or not hasattr(dataset, "with_transform"):
        raise InputError(f"with_recipe takes a datasets.Dataset; got {type(dataset).__name__}")
    _columns(dict.fromkeys(names, ()), column, key_column)
    return dataset.with_transform(fn)


class _Copies:
    def __init__(self, fn: RecipeColumns, copies: int) -> None:
        self.fn, self.copies = fn, copies

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, Any]:
        xs, keys = _columns(batch, self.fn.column, self.fn.key_column)
        n = len(keys)
        out: dict[str, list[Any]] = {name: [] for name in batch}
        out[COPY_COLUMN] = []
        for i in range(n):
            for k in range(self.copies):
                for name in batch:
                    out[name].append(batch[name][i])
                out[self.fn.column][-1] = self.fn.one(xs[i], keys[i], copy=k)
                out[COPY_COLUMN].append(k)
        return out


def augment(dataset: Any, recipe: Any, *, column: str, key_column: str, copies: int = 1,
            seed: int | None = None, epoch: int = 0, **map_kwargs: Any) -> Any:
    """A new dataset of ``copies`` augmented rows per row (``Dataset.map``), each with
    the column ``augviz_copy`` (0, 1, ...). Copy ``k`` of the row keyed ``key`` is what
    ``augviz apply --copies`` writes for the file ``key``. ``map_kwargs`` go to
    ``Dataset.map`` (``num_proc=``, ``batch_size=``, ``cache_file_name=``...).
    """
    _datasets()
    copies = _count(copies, "copies", 1)
    if COPY_COLUMN in getattr(dataset, "column_names", ()):
        raise InputError(f"the dataset already has a column {COPY_COLUMN!r}; rename it first")
    fn = RecipeColumns(recipe, column, key_column, seed=seed, epoch=epoch)
    names = getattr(dataset, "column_names", None)
    if names is None or not hasattr(dataset, "map"):
        raise InputError(f"augment takes a datasets.Dataset; got {type(dataset).__name__}")
    _columns(dict.fromkeys(names, ()), column, key_column)
    for taken in ("batched", "function", "with_indices"):
        if taken in map_kwargs:
            raise InputError(f"augment: {taken}= is set by augviz; allowed map options: num_proc, "
                             "batch_size, cache_file_name, load_from_cache_file, desc, ...")
    return dataset.map(_Copies(fn, copies), batched=True, **map_kwargs)
