"""Lab support for audio: log-mel features, models and the spoken-digits dataset.

``register_lab()`` plugs audio into :mod:`augviz.lab`'s per-modality registry:

- ``register_features("audio", lab_features)``: a batch of (augmented) :class:`Audio`
  → ``N×32×32×1`` float32 log-mel in [0, 1] (the image CNN's input layout);
- ``register_model("audio", "cnn", CNN.factory, default=True)`` and ``"logreg"``;
- ``register_dataset("spoken_digits", ...)`` and ``"synth_audio"``.

It is idempotent and imports the lab only when called (the lab may also call it when it
first sees audio data).

Example
-------
>>> from augviz.audio.lab import register_lab
>>> register_lab()                                   # doctest: +SKIP
>>> augviz.lab.compare(arms={...}, data="spoken_digits")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .data import load_spoken_digits, synth_dataset
from .features import featurize

__all__ = ["lab_features", "register_lab"]

_done = False


def lab_features(x: Any) -> np.ndarray:
    """A list of :class:`Audio` → ``N×32×32×1`` float32 log-mel features in [0, 1]."""
    return featurize(list(x))[..., None]


def _spoken_digits() -> Any:
    from augviz.lab.data import LabData

    audios, labels, names = load_spoken_digits()
    return LabData(audios, labels, "audio", names, name="spoken_digits")


def _synth() -> Any:
    from augviz.lab.data import LabData

    audios, labels, names = synth_dataset(40, seed=0)
    return LabData(audios, labels, "audio", names, name="synth_audio")


def register_lab() -> None:
    """Register audio features, models and datasets with :mod:`augviz.lab` (idempotent)."""
    global _done
    if _done:
        return
    from augviz.lab import data, models

    models.register_features("audio", lab_features)
    models.register_model("audio", "cnn", models.CNN.factory, default=True,
                          doc="small numpy CNN on 32×32 log-mel")
    models.register_model("audio", "logreg", models.SoftmaxRegression.factory,
                          doc="softmax regression on 32×32 log-mel")
    data.register_dataset("spoken_digits", _spoken_digits,
                          "espeak-ng spoken digits 0–9, 12 voices, 120 clips, 16 kHz")
    data.register_dataset("synth_audio", _synth,
                          "numpy tones, up/down chirps, white/pink/brown noise; 240 clips")
    _done = True
