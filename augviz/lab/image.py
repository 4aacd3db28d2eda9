"""Lab support for images: pixel features, the CNN (numpy, or PyTorch when installed)
and softmax regression, and the bundled datasets ``digits``, ``lfw_subset`` and
``photos``.

:func:`register_lab` is what the image record of :mod:`augviz.modalities` names; the lab
calls it the first time it needs a model, features or a dataset.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from . import data, models
from .data import LabData

__all__ = ["image_features", "register_lab"]


def image_features(x: Any) -> np.ndarray:
    """Images → float32 ``N×H×W×C`` in [0, 1] (uint8 is scaled by 1/255)."""
    if isinstance(x, list):
        x = np.stack([np.asarray(i) for i in x])
    x = np.asarray(x)
    if x.ndim == 3:
        x = x[..., None]
    if x.dtype == np.uint8:
        return x.astype(np.float32) * np.float32(1 / 255)
    return x.astype(np.float32, copy=False)


def _digits() -> LabData:
    from augviz.datasets import load_digits

    x, y = load_digits(16)
    return LabData(x, y, "image", [str(i) for i in range(10)], name="digits")


def _lfw_subset() -> LabData:
    from augviz.datasets import load_lfw_subset

    x, y, names = load_lfw_subset()
    return LabData(x, y, "image", names, name="lfw_subset")


def _photos() -> LabData:
    from pathlib import Path

    with np.load(Path(__file__).parent / "data" / "photos.npz") as z:
        x, y, names = z["images"], z["labels"], [str(c) for c in z["classes"]]
    return LabData(x, y, "image", names, name="photos")


@functools.cache
def register_lab() -> None:
    """Register image features, models and datasets with the lab (once)."""
    models.register_features("image", image_features)
    models.register_model("image", "cnn", models.CNN.factory, default=True,
                          doc="numpy CNN: 3×3 conv ×16, 2×2 max-pool, ReLU, dense softmax; Adam 3e-3")
    models.register_model("image", "convnet", models.torch_convnet_factory,
                          doc="small PyTorch CNN: 3 conv blocks with batch norm (needs torch); "
                              "the default for own files when torch is installed")
    models.register_model("image", "logreg", models.SoftmaxRegression.factory,
                          doc="softmax regression on pixels")
    models.register_model("image", "torch", models.torch_cnn_factory,
                          doc="the CNN in PyTorch (needs torch)")
    data.register_dataset("digits", _digits, "sklearn digits upscaled to 16×16, 10 classes, 1797 items")
    data.register_dataset("lfw_subset", _lfw_subset,
                          "scikit-image LFW subset: faces vs non-faces, 25×25, 200 items")
    data.register_dataset("photos", _photos,
                          "crops of 5 scikit-image photos (astronaut, coffee, cat, rocket, "
                          "motorcycle), 32×32 RGB, 300 items; made by tools/make_lab_photos.py")
