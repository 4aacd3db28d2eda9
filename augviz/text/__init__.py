"""Text augmentation: registered transforms (``transforms``) over pure kernels
(``functional``), an offline synonym lexicon derived from WordNet 3.0, pluggable
back-translation, EDA presets, and loaders for labelled text.

Input is a ``str``; output is a ``str``. Word-level operations never touch protected
tokens by default: numbers, negations and the words in a transform's ``protect`` list.
"""

from __future__ import annotations

from . import functional
from .base import NEGATIONS, STOP_WORDS, TextTransform, detokenize, tokenize
from .transforms import *  # noqa: F403
from .transforms import __all__ as _transforms_all

__all__ = [
    "NEGATIONS",
    "STOP_WORDS",
    "TextTransform",
    "detokenize",
    "functional",
    "tokenize",
    *_transforms_all,
]

from .data import TextDataset, load_reviews, load_text_csv, negation_probe
from .features import featurize
from .presets import EDA_TABLE, eda_params, eda_recipe
from .translate import Translator, back_translate, get_translator, set_translator, use_translator

__all__ += [
    "EDA_TABLE",
    "TextDataset",
    "Translator",
    "back_translate",
    "eda_params",
    "eda_recipe",
    "featurize",
    "get_translator",
    "load_reviews",
    "load_text_csv",
    "negation_probe",
    "set_translator",
    "use_translator",
]
