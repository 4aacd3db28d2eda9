"""Write a notebook from a compact Python description (cells stored without outputs).

Usage in a build script::

    from nb import write_notebook
    write_notebook("notebooks/00_quickstart.ipynb", [("md", "# Title"), ("code", "1 + 1")])
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat


def write_notebook(path: str | Path, cells: Sequence[tuple[str, str]]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, src in cells:
        src = src.strip("\n")
        nb.cells.append(
            nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src)
        )
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    path = Path(path)
    nbformat.write(nb, path)
    return path
