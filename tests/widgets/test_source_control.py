"""A ``Source`` parameter (a bundled option or "folder:<path>") gets a menu and a folder
field in every widget; values round-trip and a bad folder is shown, not raised."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import pytest

import augviz
from augviz.audio import Audio, BackgroundNoise, save_wav
from augviz.core import ParamError
from augviz.widgets import ParamControls, RecipeBuilder
from augviz.widgets.controls import SourceControl


def _clip(freq: float = 300.0) -> Audio:
    t = np.arange(4000, dtype=np.float32) / 8000
    return Audio((0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), 8000)


@pytest.fixture
def folders(tmp_path):
    one, two = tmp_path / "noises", tmp_path / "more noises"
    for d, f in ((one, 120.0), (two, 900.0)):
        d.mkdir()
        save_wav(_clip(f), d / "noise.wav")
    return one, two


def test_the_control_round_trips_options_and_folders(folders):
    one, two = folders
    c = ParamControls(BackgroundNoise(source=f"folder:{one}"))
    w = c.widgets["source"]
    assert isinstance(w, SourceControl)
    assert w.description == "source"
    assert (w.menu.value, w.folder.value) == ("folder:", str(one))
    assert c.values()["source"] == f"folder:{one}"
    w.menu.value = "rain"
    assert c.transform() == BackgroundNoise(source="rain")
    w.folder.value = str(two)  # typing a folder selects "folder…"
    assert w.menu.value == "folder:"
    assert c.values()["source"] == f"folder:{two}"
    c.set(source="hum")
    assert (w.value, w.menu.value) == ("hum", "hum")
    with pytest.raises(ParamError, match="folder does not exist"):
        c.set(source="folder:/no/such/folder")
    assert c.values()["source"] == "hum"


def test_explorer_with_a_folder_source(folders):
    one, two = folders
    ex = augviz.explore(BackgroundNoise(source=f"folder:{one}", snr_db=(0, 5)), [_clip()],
                        n_variants=2)
    assert ex.error is None
    assert ex.params["source"] == f"folder:{one}"
    count = ex.render_count
    ex.widgets["source"].folder.value = str(two)
    assert ex.params["source"] == f"folder:{two}"
    assert ex.transform.params["source"] == f"folder:{two}"
    assert ex.render_count == count + 1 and ex.error is None
    # a folder that does not exist: shown in the widget, which keeps working
    ex.widgets["source"].folder.value = "/no/such/folder"
    assert "folder does not exist" in ex.error
    assert "folder does not exist" in ex.preview.error.value
    ex.widgets["source"].menu.value = "pink"
    assert ex.error is None
    assert ex.params["source"] == "pink"


def test_builder_with_a_folder_source(folders):
    one, two = folders
    b = RecipeBuilder([_clip()], recipe=BackgroundNoise(source=f"folder:{one}"), n_samples=1,
                      n_variants=1)
    assert b.error is None
    assert b.recipe.steps[0].params["source"] == f"folder:{one}"
    control = b._steps[0].children[0].widgets["source"]
    control.folder.value = str(two)
    assert b.recipe.steps[0].params["source"] == f"folder:{two}"
    assert f"folder:{two}" in b.json
    control.folder.value = str(two / "missing")
    assert "folder does not exist" in b.error
    assert "folder does not exist" in b.preview.error.value
    control.menu.value = "wind"
    assert b.error is None
    assert b.recipe.steps[0] == BackgroundNoise(source="wind")
    b.add("audio.gain")  # still working
    assert b.steps == ["audio.background_noise", "audio.gain"]
    assert any(isinstance(w, W.Text) for w in control.children)
