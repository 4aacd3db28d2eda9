"""The Explorer and the Recipe Builder draw the targets of Samples over their tiles, with
a toggle that appears only when there are targets."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from augviz.core import InputError
from augviz.datasets import sample_detection
from augviz.image import Boxes, HorizontalFlip, Sample
from augviz.widgets import Explorer, RecipeBuilder


def _white_with_box() -> Sample:
    return Sample(np.full((64, 64, 3), 255, np.uint8), boxes=Boxes([[8, 8, 56, 56]], labels=["thing"]))


def _pixels(widget) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(widget.image_bytes)).convert("RGB")).astype(int)


def _coloured(arr: np.ndarray) -> int:
    """Pixels far from grey (the white image and black captions are grey)."""
    return int(np.count_nonzero(arr.max(axis=2) - arr.min(axis=2) > 60))


@pytest.mark.parametrize("make", [
    lambda data: Explorer(HorizontalFlip(), data, n_variants=2, tile=96),
    lambda data: RecipeBuilder(data, recipe=HorizontalFlip(), n_variants=2, tile=96),
], ids=["explorer", "builder"])
def test_targets_are_drawn_and_toggle_off(make):
    w = make([_white_with_box()])
    pv = w.preview
    assert pv.has_targets and pv.targets_box in pv.seed_row().children
    assert w.targets is True
    drawn = _coloured(_pixels(w))
    assert drawn > 300  # a box outline and its label on every tile
    w.targets = False
    assert w.targets is False and pv.targets_box.value is False
    assert _coloured(_pixels(w)) < drawn / 20
    w.targets = True
    assert _coloured(_pixels(w)) == drawn
    with pytest.raises(InputError, match="targets='yes' is not allowed"):
        w.targets = "yes"


def test_the_toggle_click_renders_and_plain_images_have_no_toggle():
    w = Explorer(HorizontalFlip(), [_white_with_box()], n_variants=1, tile=64)
    before, drawn = w.render_count, _coloured(_pixels(w))
    w.preview.targets_box.value = False  # what a click does (no event loop: renders at once)
    assert w.render_count == before + 1 and _coloured(_pixels(w)) < drawn / 20
    plain = Explorer(HorizontalFlip(), np.zeros((32, 32, 3), np.uint8), n_variants=1)
    assert not plain.preview.has_targets
    assert plain.preview.targets_box not in plain.preview.seed_row().children


def test_builder_takes_a_loaded_detection_set():
    b = RecipeBuilder(sample_detection(), n_samples=2, n_variants=2)
    assert b.preview.has_targets and b.error is None
    out = b.outputs[0][0][0]
    assert isinstance(out, Sample) and out.boxes is not None
