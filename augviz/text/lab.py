"""Plug text into :mod:`augviz.lab`: hashed word features, softmax regression, and the
bundled datasets. Registered automatically the first time the lab needs text."""

from __future__ import annotations

from typing import Any

import numpy as np

from .data import load_reviews, negation_probe
from .features import featurize

__all__ = ["lab_features", "register_lab"]

N_FEATURES = 2**12
_done = False


def lab_features(x: Any) -> np.ndarray:
    """A list of strings → ``N×4096`` float32 hashed unigram+bigram counts."""
    return featurize(list(x), N_FEATURES)


def _reviews() -> Any:
    from augviz.lab.data import LabData

    d = load_reviews()
    return LabData(list(d.texts), d.y, "text", list(d.classes), name="reviews")


def _probe() -> Any:
    from augviz.lab.data import LabData

    d = negation_probe(0)
    return LabData(list(d.texts), d.y, "text", list(d.classes), name="negation_probe")


def register_lab() -> None:
    """Register text features, the model and datasets with :mod:`augviz.lab` (idempotent)."""
    global _done
    if _done:
        return
    from augviz.lab import data, models

    models.register_features("text", lab_features)
    models.register_model("text", "logreg", models.SoftmaxRegression.factory, default=True,
                          doc="softmax regression on hashed word unigrams+bigrams")
    data.register_dataset("reviews", _reviews, "344 hand-written product/movie reviews, +/−")
    data.register_dataset("negation_probe", _probe,
                          "2,400 synthetic sentences where 'not' decides the label")
    _done = True
