"""Text features for the lab: a signed hashing trick on word unigrams and bigrams.

Deterministic across processes and platforms (``zlib.crc32``, not Python's salted
``hash``), numpy only, no vocabulary to fit — so augmented texts with new words need
no refit. Pair with :class:`sklearn.linear_model.LogisticRegression`.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence

import numpy as np

from augviz.core import InputError, Int

__all__ = ["N_FEATURES", "featurize", "words"]

N_FEATURES = 2**14
_N_FEATURES = Int("n_features", 2, 2**24, N_FEATURES, doc="Hashed feature columns.")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (negation contractions split: ``don't`` → ``do``, ``not``)."""
    out: list[str] = []
    for w in _WORD.findall(text.lower()):
        w = w.replace("’", "'")
        if w.endswith("n't") and len(w) > 3:
            out += [w[:-3], "not"]
        else:
            out.append(w)
    return out


def featurize(
    texts: Sequence[str], n_features: int = N_FEATURES, *, bigrams: bool = True
) -> np.ndarray:
    """A ``(len(texts), n_features)`` float32 matrix of signed hashed counts, each row
    scaled to unit L2 norm (an empty text is a zero row).

    Example
    -------
    >>> X = featurize(["not good", "good"])
    >>> X.shape, bool((X[0] != X[1]).any())
    ((2, 16384), True)
    """
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise InputError(f"featurize takes a list of str; got {type(texts).__name__}")
    n_features = _N_FEATURES.check_argument(n_features, where="featurize")
    X = np.zeros((len(texts), n_features), np.float32)
    for r, t in enumerate(texts):
        if not isinstance(t, str):
            raise InputError(f"featurize: item {r} is a {type(t).__name__}; allowed: str")
        ws = words(t)
        grams = ws + ([f"{a} {b}" for a, b in itertools.pairwise(ws)] if bigrams else [])
        for g in grams:
            h = zlib.crc32(g.encode("utf-8"))
            X[r, h % n_features] += 1.0 if (h >> 31) & 1 else -1.0
        norm = float(np.linalg.norm(X[r]))
        if norm:
            X[r] /= norm
    return X
