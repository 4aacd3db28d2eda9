"""The lab's arguments as specs: one bound, default and doc sentence for each, read by
``compare``, ``label_risk``, ``search`` and the LabPanel's controls alike."""

from __future__ import annotations

from augviz.core import Int

__all__ = ["EPOCHS", "SEEDS", "TRAIN_SIZE"]

EPOCHS = Int("epochs", 1, 1000, 30, doc="Passes over the training set per arm and seed.")
SEEDS = Int("seeds", 1, 100, 3, doc="Repeats with different seeds (splits, weights, draws).")
TRAIN_SIZE = Int("train_size", 2, 1_000_000, 500, step=10,
                 doc="Training items drawn from the data (the rest validates).")
