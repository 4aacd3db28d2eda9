"""The lab's arguments as specs: one bound, default and doc sentence for each, read by
``compare``, ``label_risk``, ``search`` and the LabPanel's controls alike."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from augviz.core import Choice, Float, InputError, Int, Param

__all__ = ["EPOCHS", "MAGNITUDE", "MIX", "N_OPS", "SEED", "SEEDS", "TRAIN_SIZE", "VAL_SIZE",
           "check_each"]

EPOCHS = Int("epochs", 1, 1000, 30, doc="Passes over the training set per arm and seed.")
SEEDS = Int("seeds", 1, 100, 3, doc="Repeats with different seeds (splits, weights, draws).")
TRAIN_SIZE = Int("train_size", 2, 1_000_000, 500, step=10,
                 doc="Training items drawn from the data (the rest validates).")
VAL_SIZE = Int("val_size", 1, 1_000_000, 500, step=10,
               doc="Validation items (by default min(500, the items left after training)).")
SEED = Int("seed", 0, 2**63 - 1, 0, doc="A seed: the first of the run's seeds, or one of them.")
MIX = Choice("mix", ("aug", "clean+aug"), "aug",
             doc="What an augmented arm trains on each epoch: every item through the recipe "
                 "twice (as a training loop would), or the clean set plus one augmented copy.")
N_OPS = Int("n_ops", 1, 1000, 2, doc="How many of the ops each recipe of a search grid applies.")
MAGNITUDE = Float("magnitude", 0.0, 1.0, 0.5,
                  doc="Fraction of each op's configured ranges a search grid keeps.")


def check_each(spec: Param, values: Any, *, where: str, name: str | None = None) -> list[Any]:
    """Validate every item of the list argument ``name`` (default: the spec's name) with
    ``spec``; an item is called ``name[i]`` in the message. A value that is not a list is
    an :class:`~augviz.InputError`.

    Example
    -------
    >>> check_each(SEED, (3, 5), where="lab.compare", name="seeds")
    [3, 5]
    """
    name = name or spec.name
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InputError(f"{where}: {name}={values!r} is not allowed; allowed: a list of "
                         f"{spec.name} values")
    return [dataclasses.replace(spec, name=f"{name}[{i}]").check_argument(v, where=where)
            for i, v in enumerate(values)]
