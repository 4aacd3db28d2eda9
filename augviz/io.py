"""Reading and writing items of any modality from files (used by the CLI).

Each modality declares its file module in :mod:`augviz.modalities` (images: PNG, JPEG,
BMP, TIFF, WebP through Pillow; text: UTF-8 ``.txt`` files, one item per line; audio:
WAV/FLAC/OGG, needs the ``audio`` extra).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .core import InputError
from .modalities import get

__all__ = ["extensions", "read_item", "write_item"]


def _io(modality: str, what: str) -> Any:
    record = get(modality)
    if record.io is None:
        raise InputError(f"no file {what} for modality {modality!r}")
    return record


def extensions(modality: str) -> tuple[str, ...]:
    """The file extensions read for ``modality`` (none if it has no files)."""
    return get(modality).extensions


def read_item(path: Path, modality: str) -> Any:
    """Load one file as a recipe input; unreadable files raise :class:`InputError`."""
    record = _io(modality, "reader")
    if not Path(_path(path, "read_item")).is_file():
        raise InputError(f"{path}: no such file")
    return record.read(path)


def write_item(item: Any, path: Path, modality: str) -> None:
    """Write one output; the parent folder must exist. Never overwrites silently: the
    caller decides (the CLI refuses non-empty output folders unless --overwrite)."""
    record = _io(modality, "writer")
    _path(path, "write_item")
    if item is None:
        raise InputError(f"write_item: the item is None; allowed: a {modality} item")
    record.write(item, path)


def _path(path: Any, where: str) -> Any:
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"{where}: path {path!r} is not allowed; allowed: a file path "
                         "(str or pathlib.Path)")
    return path
