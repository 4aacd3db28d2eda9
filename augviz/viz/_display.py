"""Showing a picture where the user is: inline in a notebook, a PNG file elsewhere.

In Jupyter (any IPython kernel: JupyterLab, Voila, VS Code, Colab) a picture is shown by
the notebook itself. A script, a plain ``python`` prompt or an IDE's run button has no
such display, so the picture is written to a PNG file and its path is printed, once,
where the user is looking (stderr).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["Picture", "in_notebook", "picture_path", "present_figure"]

_FOLDER: list[Path] = []  # one folder per process for the pictures it writes
_COUNT = [0]


def in_notebook() -> bool:
    """Whether the code runs in an IPython kernel (a notebook shows rich output)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def picture_path(what: str, suffix: str = ".png") -> Path:
    """A new file name for a picture of ``what`` (in a folder of this process's pictures)."""
    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="augviz-pictures-")))
    _COUNT[0] += 1
    slug = "-".join(what.lower().split())
    return _FOLDER[0] / f"{_COUNT[0]:02d}-{slug}{suffix}"


def _say(what: str, path: Path) -> None:
    print(f"augviz: {what} written to {path} (no notebook display here; open it with an image viewer)",
          file=sys.stderr)


def present_figure(figure: Any, what: str) -> Path | None:
    """Outside a notebook, write a matplotlib ``figure`` to a PNG and say where; in a
    notebook do nothing (the notebook shows it). Returns the path written, if any."""
    if in_notebook():
        return None
    path = picture_path(what)
    figure.savefig(path, dpi=100, bbox_inches="tight")
    _say(what, path)
    return path


class Picture:
    """Encoded image bytes that a notebook shows inline (``_repr_png_``/``_repr_jpeg_``).

    Outside a notebook the picture is written to a file when it is made; ``path`` says
    where and ``save(path)`` keeps a copy elsewhere.
    """

    def __init__(self, data: bytes, format: str, size: tuple[int, int], what: str = "picture") -> None:
        self.data = data
        self.format = "jpeg" if format == "jpg" else format
        self.width, self.height = size
        self.what = what
        self.path: Path | None = None
        if not in_notebook():
            self.path = picture_path(what, ".jpg" if self.format == "jpeg" else ".png")
            self.path.write_bytes(data)
            _say(what, self.path)

    def _repr_png_(self) -> bytes | None:
        return self.data if self.format == "png" else None

    def _repr_jpeg_(self) -> bytes | None:
        return self.data if self.format == "jpeg" else None

    def save(self, path: str | Path) -> Path:
        """Write the picture's bytes to ``path`` (replacing it) and return the path."""
        from augviz.core.files import atomic_write

        with atomic_write(path, overwrite=True) as fh:
            fh.write(self.data)
        return Path(path)

    def __repr__(self) -> str:
        where = f", written to {self.path}" if self.path else ""
        return f"<augviz {self.what}: {self.width}×{self.height} {self.format.upper()}{where}>"
