"""Augment a Ray Data dataset with a recipe, under the seed contract.

:class:`RecipeBatchMapper` is a callable class for ``Dataset.map_batches`` (numpy
batches): each actor loads the recipe once, and the row whose key column holds ``k``
gets ``recipe(x, rng=item_rng(seed, k, epoch, copy))`` — the same bytes as ``augviz apply``
for the file whose relative path is ``k``, whatever the batch size, the number of actors
or the nodes. :func:`map_recipe` wires it up. Needs the ``ray`` extra
(``pip install 'augviz[ray]'``); this module imports ``ray`` only when called.

Recipe.batch (the vectorised path) is not used: its draws depend on which items share a
batch, and the contract promises that they never do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe, as_recipe
from augviz.core.rng import item_key, item_rng

from ._base import InteropError

__all__ = ["COPY_COLUMN", "RecipeBatchMapper", "map_recipe", "require_ray"]

#: the column added when ``copies`` > 1: which copy of its row an output is
COPY_COLUMN = "augviz_copy"


def require_ray() -> Any:
    """The ``ray`` module, or :class:`InteropError` saying how to install it."""
    try:
        import ray
    except ImportError:
        raise InteropError(
            "the Ray engine needs Ray, which is not installed; install it with: pip install 'augviz[ray]' "
            "(or use the local engine: leave out --engine ray)"
        ) from None
    return ray


def _count(value: Any, name: str, low: int = 0) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < low:
        raise InputError(f"{name}={value!r} is not allowed; allowed: an integer >= {low}")
    return int(value)


class RecipeBatchMapper:
    """``Dataset.map_batches(RecipeBatchMapper, fn_constructor_kwargs={...},
    batch_format="numpy", concurrency=N)``.

    Parameters
    ----------
    recipe : Recipe, recipe dict, JSON text or path
        Built once per actor (a dict or path keeps the task small).
    column : str
        The column to augment: images (an ``N×H×W[×C]`` array or an object array of
        arrays), text (strings) or audio (arrays of samples).
    key_column : str
        A column naming each row stably (a relative path, a row id).
    copies : int
        Augmented rows per input row; with more than one, every column is repeated and
        the column ``augviz_copy`` tells the copy (0, 1, ...).
    seed : int, optional
        Default: the recipe's seed, else 0 (as ``augviz apply``).
    epoch : int
    sample_rate : int or str, optional
        Audio only: the rate in Hz, or the name of a column that holds it per row.
    """

    def __init__(self, recipe: Any, column: str, key_column: str, *, copies: int = 1,
                 seed: int | None = None, epoch: int = 0, sample_rate: int | str | None = None) -> None:
        self.recipe: Recipe = as_recipe(recipe, where="RecipeBatchMapper")
        for name, value in (("column", column), ("key_column", key_column)):
            if not isinstance(value, str) or not value:
                raise InputError(f"{name}={value!r} is not allowed; allowed: a column name")
        self.column, self.key_column = column, key_column
        self.copies = _count(copies, "copies", 1)
        self.seed = seed if seed is not None else (self.recipe.seed if self.recipe.seed is not None else 0)
        item_rng(self.seed, "", 0)  # a bad seed is an error here, not in a worker
        self.epoch = _count(epoch, "epoch")
        if self.recipe.modality == "audio" and sample_rate is None:
            raise InputError("an audio recipe needs sample_rate=: the rate in Hz or the name of a column "
                             "that holds it")
        self.sample_rate = sample_rate

    def _augment(self, x: Any, key: Any, copy: int, rate: Any) -> Any:
        rng = item_rng(self.seed, key, self.epoch, copy)
        if self.recipe.modality == "audio":
            from augviz.audio import Audio

            out = self.recipe(Audio(np.asarray(x, np.float32), int(rate)), rng=rng)
            return out.samples, out.sample_rate
        if self.recipe.modality == "text":
            return str(self.recipe(str(x), rng=rng))
        return np.asarray(self.recipe(np.asarray(x), rng=rng))

    def __call__(self, batch: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        for name in (self.column, self.key_column):
            if name not in batch:
                raise InputError(f"the batch has no column {name!r}; its columns: {', '.join(batch)}")
        keys = list(batch[self.key_column])
        for k in keys:
            item_key(k)
        xs = batch[self.column]
        n = len(keys)
        rates: list[Any] = [None] * n
        if isinstance(self.sample_rate, str):
            rates = list(batch[self.sample_rate])
        elif self.sample_rate is not None:
            rates = [self.sample_rate] * n
        outs, out_rates = [], []
        for i in range(n):
            for k in range(self.copies):
                out = self._augment(xs[i], keys[i], k, rates[i])
                if self.recipe.modality == "audio":
                    out, rate = out
                    out_rates.append(rate)
                outs.append(out)
        result = {name: np.repeat(np.asarray(col), self.copies, axis=0) if self.copies > 1 else col
                  for name, col in batch.items()}
        result[self.column] = _column(outs)
        if isinstance(self.sample_rate, str):
            result[self.sample_rate] = np.asarray(out_rates, np.int64)
        if self.copies > 1:
            result[COPY_COLUMN] = np.tile(np.arange(self.copies, dtype=np.int64), n)
        return result


def _column(values: list[Any]) -> np.ndarray:
    """One array when every value has one shape and dtype, else an object array."""
    if values and all(isinstance(v, str) for v in values):
        return np.asarray(values, dtype=object)
    first = values[0] if values else None
    if isinstance(first, np.ndarray) and all(
        isinstance(v, np.ndarray) and v.shape == first.shape and v.dtype == first.dtype for v in values
    ):
        return np.stack(values)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def map_recipe(dataset: Any, recipe: Any, *, column: str, key_column: str, copies: int = 1,
               seed: int | None = None, epoch: int = 0, sample_rate: int | str | None = None,
               concurrency: int | None = None, batch_size: int | None = 32, **map_kwargs: Any) -> Any:
    """``dataset.map_batches`` with a :class:`RecipeBatchMapper` on ``concurrency`` actors
    (default: one per CPU of the cluster). ``map_kwargs`` go to ``map_batches``
    (``num_cpus=``, ...).

    Example (Ray installed)::

        ds = ray.data.read_images("photos/", include_paths=True)
        ds = map_recipe(ds, "recipe.json", column="image", key_column="path", copies=2)
    """
    ray = require_ray()
    if not hasattr(dataset, "map_batches"):
        raise InputError(f"map_recipe takes a ray.data.Dataset; got {type(dataset).__name__}")
    recipe = as_recipe(recipe, where="map_recipe")
    kwargs = {"recipe": recipe.to_dict(), "column": column, "key_column": key_column, "copies": copies,
              "seed": seed, "epoch": epoch, "sample_rate": sample_rate}
    RecipeBatchMapper(**kwargs)  # a bad argument is an error here, not in an actor
    if concurrency is None:
        concurrency = max(1, int(ray.cluster_resources().get("CPU", 1)))
    return dataset.map_batches(RecipeBatchMapper, fn_constructor_kwargs=kwargs, batch_format="numpy",
                               concurrency=concurrency, batch_size=batch_size, **map_kwargs)
