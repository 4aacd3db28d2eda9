"""What the notebooks show once run: what the text promises, no internal state, and a
static copy of every preview so a saved run notebook still shows them without a kernel."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
MAKEFILE = Path(__file__).parent.parent / "Makefile"


def _run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str = ""
         ) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    # the kernel imports this checkout's augviz, whatever is installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(NOTEBOOKS.parent),
                                                                    os.environ.get("PYTHONPATH")])))

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    if extra:  # a probe cell at the end
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    work = tmp_path / "nb"
    shutil.copytree(NOTEBOOKS, work, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(work)}}).execute()
    return nb


def _text(cell) -> str:
    out = []
    for o in cell.outputs:
        if o.output_type == "stream":
            out.append(o.text)
        elif "data" in o:
            out.append(o.data.get("text/plain", ""))
    return "".join(out)


def _code(nb, needle: str):
    return next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)


def test_explorer_notebook_shows_sixes_and_nines_and_static_previews(tmp_path, monkeypatch):
    nb = _run("02_explorer.ipynb", tmp_path, monkeypatch, extra="print(digits.preview.labels)")
    digits = _code(nb, "sixes_and_nines")
    widget, static = digits.outputs[0], digits.outputs[1]
    assert "application/vnd.jupyter.widget-view+json" in widget.data
    assert widget.data["text/plain"].startswith("augviz Explorer (run the cell")
    assert "image/jpeg" in static.data  # what a reader without a kernel sees
    assert _text(nb.cells[-1]).split() == ["[6,", "6,", "9,", "9]"]  # the rows the text talks about
    # the first explorer's static copy follows its later changes (set from the next cell)
    first = _code(nb, "explorer = augviz.explore")
    assert "image/jpeg" in first.outputs[1].data


def test_audio_notebook_first_cell_prints_nothing(tmp_path, monkeypatch):
    nb = _run("05_audio.ipynb", tmp_path, monkeypatch)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.outputs == []


def test_text_notebook_negation_claim_holds_and_back_translation_is_real(tmp_path, monkeypatch):
    nb = _run("06_text.ipynb", tmp_path, monkeypatch)
    line = _text(_code(nb, "lost_negation"))
    protected, unprotected = (int(x) for x in re.search(r"protected: (\d+)%, unprotected: (\d+)%",
                                                          line).groups())
    assert protected == 0 and unprotected > 0
    bt = _code(nb, "BackTranslate")
    assert "use_translator" not in bt.source and "replace(" not in bt.source
    assert len(bt.outputs) == 2


def test_app_serves_the_builder_alone(tmp_path, monkeypatch):
    recipe = re.search(r"^app:.*\n((?:\t.*\n)+)", MAKEFILE.read_text(), re.M).group(1)
    assert "/voila notebooks/app.ipynb" in recipe and "03_recipe_builder" not in recipe
    nb = _run("app.ipynb", tmp_path, monkeypatch)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1
    outputs = code[0].outputs
    assert "application/vnd.jupyter.widget-view+json" in outputs[0].data
    # nothing else: no printed JSON, no True, no "saved" status of an export it never made
    assert all(o.output_type == "display_data" for o in outputs)
    assert "export" not in code[0].source
