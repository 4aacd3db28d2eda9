"""Where things appear in the Explorer and the Builder: the preview beside the controls
(above them when narrow), the same size in both modes, errors next to what was clicked."""

from __future__ import annotations

import io

import ipywidgets as W
import pytest
from PIL import Image

import augviz
from augviz.datasets import load_digits, sample_image
from augviz.image import Rotate
from augviz.widgets import RecipeBuilder


@pytest.fixture(scope="module")
def photo():
    return sample_image("astronaut", size=64)


def _walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _walk(child)


def _body(widget):
    return next(w for w in _walk(widget) if isinstance(w, W.Box)
                and w.layout.flex_flow == "row wrap-reverse")


@pytest.mark.parametrize("make", ["explorer", "builder"])
def test_preview_sits_beside_the_controls_and_wraps_above_them(make, photo):
    widget = augviz.explore(Rotate(), photo) if make == "explorer" else RecipeBuilder(photo)
    body = _body(widget)
    controls, preview = body.children
    # the controls keep their width; the preview takes what is left and scales its grid
    assert controls.layout.flex == "0 0 auto" and controls.layout.width.endswith("px")
    assert preview.layout.flex == "1 1 0"
    assert int(preview.layout.min_width.removesuffix("px")) <= 360
    # wrap-reverse: when the two do not fit side by side, the second (the preview) goes on top
    assert body.layout.align_items == "flex-end"
    grid = widget.preview.image
    assert any(grid is w for w in _walk(preview))
    assert not any(grid is w for w in _walk(controls))
    assert grid.layout.max_width == "100%" and grid.layout.height == "auto"


def _size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_fixed_mode_keeps_the_grid_scale(photo):
    ex = augviz.explore(Rotate(angle=(-30, 30)), [photo, photo], n_variants=4)
    w_random, h_random = _size(ex.image_bytes)
    ex.mode = "fixed"
    w_fixed, h_fixed = _size(ex.image_bytes)
    assert h_fixed == h_random  # same tiles: the widget does not grow or shrink in height
    assert w_fixed < w_random  # one column of variants …
    # … drawn at the scale of the full grid (its share of the width the full grid takes)
    share = float(ex.preview.image.layout.max_width.removesuffix("%")) / 100
    assert share == pytest.approx(w_fixed / w_random, abs=0.01)
    ex.mode = "random"
    assert ex.preview.image.layout.max_width == "100%"
    assert _size(ex.image_bytes) == (w_random, h_random)


def test_builder_errors_show_in_the_card_that_was_clicked():
    b = RecipeBuilder(load_digits(), n_samples=1, n_variants=1)
    b.add("image.rotate")
    b.add("image.hflip")

    def boom():
        raise augviz.core.InputError("cannot do that")

    card = b._steps_box.children[1]
    b._button("times", "remove", boom, "steps[1]").click()
    area = b.preview.area("steps[1]")
    assert "cannot do that" in area.value and b.error == "InputError: cannot do that"
    assert any(area is w for w in _walk(card))  # laid out inside the card
    assert b.preview.error.value == "" and b.preview.area("catalogue").value == ""
    b._picker.value = "image.rotate"
    b._add_button.click()  # a successful action clears it
    assert b.error is None and area.value == ""


def test_add_error_shows_under_the_add_button():
    b = RecipeBuilder(load_digits(), n_samples=1, n_variants=1)
    b.search("no transform is called like this")
    b._add_button.click()
    assert "pick a transform first" in b.preview.area("catalogue").value
    assert b.preview.error.value == ""


@pytest.mark.parametrize("make", ["explorer", "builder"])
def test_export_refusal_points_at_the_checkbox_and_clears_saved(make, photo, tmp_path):
    widget = augviz.explore(Rotate(), photo) if make == "explorer" else RecipeBuilder(photo)
    row = widget.export_row
    row.path.value = str(tmp_path / "r.json")
    row.button.click()
    assert "saved" in row.status.value and widget.error is None
    row.button.click()  # the file exists now
    assert "tick 'overwrite'" in widget.error and "overwrite=True" not in widget.error
    assert "overwrite" in widget.preview.area("export").value  # shown beside the button
    assert row.status.value == ""  # no stale "saved" under the error
    assert widget.preview.error.value == ""
    row.overwrite.value = True
    row.button.click()
    assert "saved" in row.status.value and widget.error is None
    assert widget.preview.area("export").value == ""


def test_fixed_mode_does_not_rewrite_the_random_range_in_the_explorer(photo):
    ex = augviz.explore(Rotate(angle=(-45, 45)), photo)
    ex.mode = "fixed"
    ex.set(angle=78)
    ex.mode = "random"
    assert ex.params["angle"] == (-45.0, 45.0)
    assert ex.recipe.steps[0].params["angle"] == (-45.0, 45.0)


def test_long_captions_wrap_instead_of_being_cut(photo):
    from augviz.viz import image_grid
    from augviz.widgets.viewers import image_viewer

    long = "rotate angle=7.87°, affine angle=-10.1° scale=1.05 tx=0.02 ty=0.058, brightness delta=0.11"
    three_lines = image_grid([[photo, photo]], [["original · label 0", long]], tile=80, pad=4)
    shown = image_viewer([photo], [[(photo, [])]], captions=[[long]], tile=80)
    height = _size(shown)[1]
    assert height > three_lines.shape[0]  # more lines than the default three: nothing cut
    with pytest.raises(augviz.core.AugvizError, match="caption_lines=0 is outside"):
        image_grid([[photo]], [["x"]], caption_lines=0)


def test_a_successful_export_leaves_a_preview_error_shown(photo, tmp_path):
    def broken_viewer(*args, **kwargs):
        raise augviz.core.InputError("this viewer cannot draw")

    ex = augviz.explore(Rotate(), photo, viewer=broken_viewer)
    assert "cannot draw" in ex.preview.error.value
    ex.export_row.path.value = str(tmp_path / "r.json")
    ex.export_row.button.click()
    assert (tmp_path / "r.json").exists() and "saved" in ex.export_row.status.value
    assert "cannot draw" in ex.preview.error.value and "cannot draw" in ex.error
