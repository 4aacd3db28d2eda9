"""What ``data=`` may be anywhere in the lab, turned into a :class:`~augviz.lab.LabData`.

A dataset name (``"digits"``, ``"lfw_subset"``, or one added with
:func:`~augviz.lab.register_dataset`), a path to a user's own files (an image or audio
folder with one sub-folder per class, a CSV/TSV table; :mod:`augviz.lab.files`), a
``(x, y)`` pair of a user's arrays (images: ``N×H×W`` or ``N×H×W×C``, uint8 or float32
in [0, 1]) or a :class:`~augviz.lab.LabData`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from augviz.core import InputError

from .data import LabData, available_datasets, ensure_plugins, open_dataset
from .files import load_files

__all__ = ["load_data"]


def load_data(data: Any, *, modality: str | None = None, image_size: int | None = None,
              fit: str = "crop", text_column: str | None = None,
              label_column: str | None = None) -> LabData:
    """Resolve ``data=``: a dataset name, a path to the user's own files (an image or
    audio folder with one sub-folder per class, or a CSV/TSV table with a text and a
    label column; see :mod:`augviz.lab.files`), an ``(x, y)`` pair or a
    :class:`LabData`. ``image_size``, ``fit``, ``text_column`` and ``label_column`` are
    for files (column names are guessed when not given).

    Example
    -------
    >>> load_data("digits").x.shape
    (1797, 16, 16)
    """
    if isinstance(data, LabData):
        return data
    ensure_plugins()  # a modality's lab support is registered before its data is used
    named = open_dataset(data) if isinstance(data, str) else None
    if named is not None:
        return named
    if isinstance(data, (str, os.PathLike)):
        looks_like_a_name = isinstance(data, str) and "/" not in data and os.sep not in data \
            and "." not in data
        if looks_like_a_name and not Path(data).expanduser().exists():
            allowed = ", ".join(map(repr, available_datasets()))
            raise InputError(f"unknown lab dataset {data!r}; allowed: {allowed}, a folder or "
                             "CSV/TSV file of your own, an (x, y) pair or a LabData")
        return load_files(data, image_size=image_size, fit=fit, text_column=text_column,
                          label_column=label_column)
    if isinstance(data, tuple) and len(data) == 2:
        return LabData(data[0], data[1], modality=modality or "image", name="user data")
    raise InputError(
        f"data={type(data).__name__} is not allowed; allowed: a dataset name "
        f"({', '.join(available_datasets())}), a path to a folder or CSV/TSV file, an (x, y) "
        "pair or a LabData"
    )
