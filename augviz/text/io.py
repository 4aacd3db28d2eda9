"""Text files in and out: UTF-8 ``.txt`` files, one item per line."""

from __future__ import annotations

import os
from pathlib import Path

from augviz.core import InputError

__all__ = ["EXTENSIONS", "read", "write"]

EXTENSIONS = (".txt",)


def read(path: str | os.PathLike[str]) -> list[str]:
    """The lines of a UTF-8 text file; a file that is not UTF-8 is an :class:`InputError`."""
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def write(lines: list[str], path: str | os.PathLike[str]) -> None:
    """Write one item per line (UTF-8, a final newline)."""
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
