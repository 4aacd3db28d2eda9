"""Faces vs non-faces: scikit-image's ``lfw_subset`` (ships inside its wheel)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from augviz.core import InputError

__all__ = ["LFW_CLASSES", "load_lfw_subset"]

#: label names of :func:`load_lfw_subset`
LFW_CLASSES = ("non-face", "face")


@lru_cache(maxsize=1)
def _lfw() -> np.ndarray:
    from skimage.data import lfw_subset

    images = lfw_subset().astype(np.float32)  # 200×25×25, faces first
    images.setflags(write=False)
    return images


def load_lfw_subset(*, dtype: str = "float32") -> tuple[np.ndarray, np.ndarray, list[str]]:
    """200 grey 25×25 crops: 100 faces (from Labeled Faces in the Wild) and 100
    non-face patches, with labels (1 face, 0 non-face) and class names.

    A face has an up and a down but no left and right: a small set for seeing which
    geometric transforms keep the label.

    Parameters
    ----------
    dtype : {"float32", "uint8"}
        float32 in [0, 1] or uint8 in [0, 255].

    Returns
    -------
    images : numpy.ndarray
        ``200×25×25``.
    labels : numpy.ndarray
        int64, 1 for a face, 0 for a non-face.
    class_names : list of str
        ``["non-face", "face"]``.

    Examples
    --------
    >>> x, y, names = load_lfw_subset()
    >>> x.shape, int(y.sum()), names
    ((200, 25, 25), 100, ['non-face', 'face'])
    """
    if dtype not in ("float32", "uint8"):
        raise InputError(f"dtype={dtype!r} is not allowed; allowed: 'float32', 'uint8'")
    images = _lfw()
    labels = np.r_[np.ones(100, np.int64), np.zeros(len(images) - 100, np.int64)]
    out = np.rint(images * 255).astype(np.uint8) if dtype == "uint8" else images.copy()
    return out, labels, list(LFW_CLASSES)
