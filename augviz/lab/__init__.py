"""The lab: measure what an augmentation recipe does before you train with it.

- :func:`compare` — train a quick model per recipe (plus a compute-matched control) the
  way a training loop with the recipe would, and compare train/validation curves, the
  generalisation gap *and* the change in validation accuracy with its 95 % interval over
  seeds; each recipe gets a verdict ("helps", "hurts", "no clear effect") from the
  interval against the control. ``"trivialaugment"`` is a reference arm;
  :meth:`LabResult.report` writes one HTML page.
- :func:`label_risk` — how often a transform changes a trained model's prediction, per
  class, across a sweep of magnitudes (and into which class).
- :func:`target_risk` — how often a transform drops or cuts boxes, carries keypoints out of
  the frame, swaps left/right keypoints and loses mask area, across a sweep of magnitudes.
- :func:`search` — rank candidate recipes (or a RandAugment grid) by validation gain.

Data: ``"digits"`` (16 px), ``"lfw_subset"``, … ; a path to the user's own files — an
image or audio folder with one sub-folder per class, or a CSV/TSV table with a text and a
label column (:func:`load_data` takes ``image_size``, ``fit``, ``text_column``,
``label_column``); a user's ``(x, y)`` or a :class:`LabData`.
Models: a small numpy CNN by default; plug in any object with ``fit_epoch`` and
``predict_proba`` (see :mod:`augviz.lab.models`).

Example
-------
>>> from augviz.lab import compare, presets
>>> res = compare({"none": None, "mild": presets.digits_mild(),
...                "harmful": presets.digits_harmful()})        # doctest: +SKIP
>>> res.plot()                                                    # doctest: +SKIP
"""

from __future__ import annotations

from . import presets
from .compare import CONTROL, LabResult, compare
from .data import LabData, available_datasets, register_dataset
from .load import load_data
from .models import (
    CNN,
    SoftmaxRegression,
    available_models,
    register_features,
    register_model,
)
from .risk import RiskResult, label_risk, train_oracle
from .search import SearchResult, scale_op, search
from .targets import TargetRiskResult, target_risk

__all__ = [
    "CNN",
    "CONTROL",
    "LabData",
    "LabResult",
    "RiskResult",
    "SearchResult",
    "SoftmaxRegression",
    "TargetRiskResult",
    "available_datasets",
    "available_models",
    "compare",
    "label_risk",
    "load_data",
    "presets",
    "register_dataset",
    "register_features",
    "register_model",
    "scale_op",
    "search",
    "target_risk",
    "train_oracle",
]
