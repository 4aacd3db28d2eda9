"""Lab support for audio: log-mel features, models and the bundled datasets.

:func:`register_lab` (named by the audio record of :mod:`augviz.modalities`, called by
the lab the first time it needs its registries) adds:

- features: a batch of (augmented) :class:`~augviz.audio.Audio` → ``N×32×32×1`` float32
  log-mel in [0, 1] (the image CNN's input layout);
- models ``"cnn"`` (the default) and ``"logreg"``;
- datasets ``"spoken_digits"`` and ``"synth_audio"``.

Example
-------
>>> import augviz
>>> augviz.lab.compare(arms={...}, data="spoken_digits")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from augviz.audio.data import load_spoken_digits, synth_dataset
from augviz.audio.features import featurize

from . import data, models
from .data import LabData

__all__ = ["lab_features", "register_lab"]


def lab_features(x: Any) -> np.ndarray:
    """A list of :class:`~augviz.audio.Audio` → ``N×32×32×1`` float32 log-mel features
    in [0, 1]."""
    return featurize(list(x))[..., None]


def _spoken_digits() -> LabData:
    audios, labels, names = load_spoken_digits()
    return LabData(audios, labels, "audio", names, name="spoken_digits")


def _synth() -> LabData:
    audios, labels, names = synth_dataset(40, seed=0)
    return LabData(audios, labels, "audio", names, name="synth_audio")


@functools.cache
def register_lab() -> None:
    """Register audio features, models and datasets with the lab (once)."""
    models.register_features("audio", lab_features)
    models.register_model("audio", "cnn", models.CNN.factory, default=True,
                          doc="small numpy CNN on 32×32 log-mel")
    models.register_model("audio", "convnet", models.torch_convnet_factory,
                          doc="small PyTorch CNN: 3 conv blocks with batch norm (needs torch); "
                              "the default for own files when torch is installed")
    models.register_model("audio", "logreg", models.SoftmaxRegression.factory,
                          doc="softmax regression on 32×32 log-mel")
    data.register_dataset("spoken_digits", _spoken_digits,
                          "espeak-ng spoken digits 0–9, 12 voices, 120 clips, 16 kHz")
    data.register_dataset("synth_audio", _synth,
                          "numpy tones, up/down chirps, white/pink/brown noise; 240 clips")
