"""LabPanel driven from Python (no browser)."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from augviz.lab import CONTROL, presets
from augviz.widgets.lab_panel import LabPanel


def test_panel_runs_synchronously_and_shows_the_table():
    panel = LabPanel(train_size=60, epochs=2, seeds=1)
    assert set(panel.recipes) == {"none", "mild", "harmful"}
    panel.arms_select.value = ("none", "mild")
    res = panel.run()
    assert res is panel.result
    assert panel.error is None
    assert res.arms == ["none", "mild", CONTROL]
    assert panel.progress.value == panel.progress.max == 6
    assert "gap" in panel.table.value
    assert "Δ val" in panel.table.value
    assert panel.curves.value[:4] == b"\x89PNG"


def test_panel_recipe_files_and_errors(tmp_path):
    path = presets.digits_mild().save(tmp_path / "mild.json")
    panel = LabPanel({"none": None}, train_size=60, epochs=1, seeds=1)
    panel.add_file(str(path))
    assert "digits-mild" in panel.arms
    panel.train_size.value = 1500
    panel.dataset.value = "lfw_subset"
    panel.run()  # train size larger than the data: shown in the widget, not raised
    assert panel.result is None
    assert "larger than the data" in panel.error
    assert "larger than the data" in panel.status.value
    panel.path.value = str(tmp_path / "missing.json")
    panel.add_button.click()
    assert panel.error


def test_panel_stop_button():
    panel = LabPanel({"none": None}, train_size=60, epochs=50, seeds=2, control=False)
    panel._on_epoch_orig = panel._on_epoch

    def stop_after_two(ev):
        if ev["done"] >= 2:
            panel.stop()
        return panel._on_epoch_orig(ev)

    panel._on_epoch = stop_after_two
    panel.start()
    panel.wait(60)
    assert panel.result is not None
    assert panel.result.stopped
    assert panel.result.curves["none"]["val_acc"].shape[1] <= 3


def test_panel_takes_a_folder_path_typed_as_data(tmp_path):
    from .test_own_files import write_photos

    root = write_photos(tmp_path / "photos", n=8)
    panel = LabPanel({"none": None, "mild": presets.digits_mild()}, train_size=16, epochs=2,
                     seeds=1, redraw_every=0.0)
    drawn = []
    on_epoch = panel._on_epoch
    panel._on_epoch = lambda ev: (drawn.append(panel.curves.value), on_epoch(ev))[1]
    panel.dataset.value = str(root)  # typed into the data box
    res = panel.run()
    assert panel.error is None and res.config["data"]["name"] == "photos"
    assert res.config["model"] == "convnet"  # the default for a user's own photos
    assert panel.progress.value == panel.progress.max == 6
    assert len({bytes(v) for v in drawn[1:]}) >= 2  # the curves were redrawn while training
    panel.dataset.value = str(tmp_path / "nowhere")
    panel.run()
    assert panel.result is None and "nowhere" in panel.error


def test_panel_refuses_an_unknown_data_name():
    from augviz.core import InputError

    with pytest.raises(InputError, match="path of an image/audio folder"):
        LabPanel(data="no-such-set")
