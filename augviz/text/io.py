"""Text files in and out: UTF-8 ``.txt`` files, one item per line.

A line ends at ``\\n`` (or ``\\r\\n``) and nowhere else: form feeds, U+2028 and other
characters that :meth:`str.splitlines` would break on stay inside their line, so a
file keeps its line count (labels aligned by line stay aligned) and each line keeps its
ending; an identity recipe writes back the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from augviz.core import InputError
from augviz.core.files import atomic_write

__all__ = ["EXTENSIONS", "Lines", "read", "write"]

EXTENSIONS = (".txt",)


class Lines(list):  # type: ignore[type-arg]
    """The lines of a text file (without their endings) and, in ``endings``, how each
    ended (``"\\n"``, ``"\\r\\n"``, or ``""`` for a last line with no newline).

    Example
    -------
    >>> lines = Lines.parse("a\\r\\nb")
    >>> list(lines), lines.endings
    (['a', 'b'], ['\\r\\n', ''])
    >>> lines.replaced(["A", "B"]).text()
    'A\\r\\nB'
    """

    def __init__(self, lines: Iterable[str] = (), endings: Iterable[str] | None = None) -> None:
        super().__init__(lines)
        self.endings = list(endings) if endings is not None else ["\n"] * len(self)
        if len(self.endings) != len(self):
            raise InputError(f"{len(self)} lines need {len(self)} line endings; got {len(self.endings)}")

    @classmethod
    def parse(cls, text: str) -> Lines:
        """Split ``text`` at ``\\n`` only (``\\r\\n`` counts as one ending)."""
        parts = text.split("\n")
        last = parts.pop()  # what follows the final "\n" ("" when the text ends with one)
        lines, endings = [], []
        for part in parts:
            crlf = part.endswith("\r")
            lines.append(part[:-1] if crlf else part)
            endings.append("\r\n" if crlf else "\n")
        if last:
            lines.append(last)
            endings.append("")
        return cls(lines, endings)

    def replaced(self, lines: Iterable[str]) -> Lines:
        """New lines with these endings (one new line per old line)."""
        return Lines(lines, self.endings)

    def text(self) -> str:
        """The file's text: each line followed by its ending."""
        return "".join(line + end for line, end in zip(self, self.endings, strict=True))


def read(path: str | os.PathLike[str]) -> Lines:
    """The lines of a UTF-8 text file (:class:`Lines`, endings kept); a file that is not
    UTF-8 is an :class:`InputError`."""
    try:
        return Lines.parse(Path(path).read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def write(lines: list[str], path: str | os.PathLike[str]) -> None:
    """Write one item per line (UTF-8), replacing ``path`` atomically. :class:`Lines`
    keep their own endings; a plain list gets ``\\n`` after every line."""
    text = lines.text() if isinstance(lines, Lines) else Lines(lines).text()
    with atomic_write(path, overwrite=True) as fh:
        fh.write(text.encode("utf-8"))
