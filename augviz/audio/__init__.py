"""Audio augmentation: waveform transforms on :class:`Audio`, SpecAugment on 2-D
(freq × time) spectrograms, WAV I/O, offline data and log-mel features.

librosa (and its numba compile) is imported only by the kernels that need it; call
:func:`warm_up` to pay that in a background thread. ``python-stretch`` (signalsmith),
when installed, is the default stretch/pitch engine (faster, no compile).

Example
-------
>>> import numpy as np
>>> from augviz.audio import Audio, Gain, PitchShift
>>> import augviz
>>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 4), 16000)
>>> recipe = augviz.Recipe([Gain(gain_db=(-6, 6)), PitchShift(semitones=(-2, 2))], seed=0)
>>> recipe(a, rng=0).num_samples
16000
"""

from __future__ import annotations

from . import functional
from ._audio import Audio, check_audio
from ._backend import has_signalsmith, is_warm, numba_cache_dir, warm_up, warm_up_state
from .base import AudioTransform, SpectrogramTransform
from .data import AudioDataset, load_spoken_digits, spoken_digits_manifest, synth_dataset
from .features import featurize, log_mel
from .io import load_wav, load_wav_folder, resample, save_wav
from .spectrogram import POLICIES, FreqMask, SpecTimeMask, TimeWarp, specaugment_policy
from .transforms import *  # noqa: F403
from .transforms import __all__ as _transforms_all

__all__ = [
    "POLICIES",
    "Audio",
    "AudioDataset",
    "AudioTransform",
    "FreqMask",
    "SpecTimeMask",
    "SpectrogramTransform",
    "TimeWarp",
    "check_audio",
    "featurize",
    "functional",
    "has_signalsmith",
    "is_warm",
    "load_spoken_digits",
    "load_wav",
    "load_wav_folder",
    "log_mel",
    "numba_cache_dir",
    "resample",
    "save_wav",
    "specaugment_policy",
    "spoken_digits_manifest",
    "synth_dataset",
    "warm_up",
    "warm_up_state",
    *_transforms_all,
]
