"""Lab support for text: hashed word features, softmax regression and the bundled
datasets ``reviews`` and ``negation_probe``.

:func:`register_lab` is what the text record of :mod:`augviz.modalities` names; the lab
calls it the first time it needs a model, features or a dataset.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from augviz.text.data import load_reviews, negation_probe
from augviz.text.features import featurize

from . import data, models
from .data import LabData

__all__ = ["N_FEATURES", "lab_features", "register_lab"]

#: length of the hashed feature vector
N_FEATURES = 2**12


def lab_features(x: Any) -> np.ndarray:
    """A list of strings → ``N×4096`` float32 hashed unigram+bigram counts."""
    return featurize(list(x), N_FEATURES)


def _reviews() -> LabData:
    d = load_reviews()
    return LabData(list(d.texts), d.y, "text", list(d.classes), name="reviews")


def _probe() -> LabData:
    d = negation_probe(0)
    return LabData(list(d.texts), d.y, "text", list(d.classes), name="negation_probe")


@functools.cache
def register_lab() -> None:
    """Register text features, the model and datasets with the lab (once)."""
    models.register_features("text", lab_features)
    models.register_model("text", "logreg", models.SoftmaxRegression.factory, default=True,
                          doc="softmax regression on hashed word unigrams+bigrams")
    data.register_dataset("reviews", _reviews, "344 hand-written product/movie reviews, +/−")
    data.register_dataset("negation_probe", _probe,
                          "2,400 synthetic sentences where 'not' decides the label")
