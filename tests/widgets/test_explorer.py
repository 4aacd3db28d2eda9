"""The Explorer, driven from Python (no browser)."""

from __future__ import annotations

import asyncio

import ipywidgets as W
import numpy as np
import pytest

import augviz
from augviz import OneOf, Recipe
from augviz.core import Float, InputError, ParamError
from augviz.datasets import load_digits, sample_image
from augviz.image import Brightness, HorizontalFlip, ImageTransform, Rotate
from augviz.widgets import Explorer, explore, get_viewer, register_viewer, viewers


class Boom(ImageTransform):
    """A test transform (not registered) that fails above a level.

    Example
    -------
    >>> Boom(level=0.1)  # doctest: +SKIP
    """

    __slots__ = ()
    id = "image.boom_test"
    modality = "image"
    label_risk = "none"
    PARAMS = (Float("level", 0.0, 1.0, 0.1, doc="Fails above 0.5."),)

    def _apply(self, img, level):
        if level > 0.5:
            raise RuntimeError(f"boom at level {level}")
        return img


@pytest.fixture(scope="module")
def photo():
    return sample_image("astronaut", size=64)


def test_explore_builds_a_widget_with_a_grid(photo):
    ex = augviz.explore(Rotate(angle=(-30, 30)), photo)
    assert isinstance(ex, Explorer)
    assert isinstance(ex, W.Widget)
    assert ex.image_bytes[:2] == b"\xff\xd8"  # a JPEG
    assert ex.render_count == 1
    assert ex.params["angle"] == (-30.0, 30.0)
    assert len(ex.captions) == 1
    assert len(ex.captions[0]) == 4
    assert all(c.startswith("angle=") and c.endswith("°") for c in ex.captions[0])


def test_setting_a_slider_changes_the_image(photo):
    ex = explore(Rotate(angle=(-30, 30)), photo)
    before, count = ex.image_bytes, ex.render_count
    ex.set(angle=(-90, 90))
    assert ex.image_bytes != before
    assert ex.render_count == count + 1
    # moving the widget itself renders too (synchronously outside an event loop)
    before = ex.image_bytes
    ex.widgets["angle"].value = (-5.0, 5.0)
    assert ex.image_bytes != before
    assert ex.params["angle"] == (-5.0, 5.0)


def test_fixed_mode_applies_exactly_the_magnitude(photo):
    ex = explore(Rotate(angle=(-15, 15), p=0.2), photo)
    ex.mode = "fixed"
    assert ex.params["angle"] == (15.0, 15.0)
    assert isinstance(ex.widgets["angle"], W.FloatSlider)
    # deterministic at a fixed magnitude: one column, p taken as 1
    assert ex.captions == [["angle=15°"]]
    ex.set(angle=40)
    assert ex.captions == [["angle=40°"]]
    expected = Rotate(angle=40)(photo, rng=0)
    out, records = ex.outputs[0][0]
    assert np.array_equal(out, expected)
    assert records[0]["values"]["angle"] == 40.0
    assert ex.recipe.steps[0] == Rotate(angle=40, p=0.2)  # p kept in the recipe
    ex.mode = "random"
    assert ex.params["angle"] == (-15.0, 15.0)  # the random range is kept as it was
    assert len(ex.captions[0]) == 4


def test_random_mode_rerolls_and_seed_reproduces(photo):
    ex = explore(Rotate(angle=(-45, 45)), photo, seed=3)
    first, caps = ex.image_bytes, ex.captions
    ex.reroll()
    assert ex.seed == 4
    assert ex.image_bytes != first
    assert ex.captions != caps
    ex.seed = 3
    assert ex.image_bytes == first
    assert ex.captions == caps


def test_labels_from_an_x_y_pair_and_sample_indices():
    x, y = load_digits()
    ex = explore(Rotate(), (x, y), samples=[5, 9], n_variants=2)
    assert len(ex.captions) == 2
    assert ex.preview.labels == [int(y[5]), int(y[9])]


def test_an_exception_in_a_callback_is_shown_and_the_widget_survives(photo):
    ex = explore(Boom(), photo)
    good, count = ex.image_bytes, ex.render_count
    assert ex.error is None
    ex.widgets["level"].value = 0.9  # a slider move, as in the browser
    assert "boom at level 0.9" in ex.error
    assert "boom at level 0.9" in ex.preview.error.value  # shown in the widget
    assert ex.image_bytes == good
    assert ex.render_count == count
    ex.set(level=0.2)
    assert ex.error is None
    assert ex.preview.error.value == ""
    assert ex.render_count == count + 1


def test_invalid_values_from_python_raise(photo):
    ex = explore(Rotate(), photo)
    with pytest.raises(ParamError):
        ex.set(angle=1000)
    with pytest.raises(InputError, match="mode"):
        ex.mode = "sometimes"


def test_export_writes_a_recipe_that_loads_back_equal(photo, tmp_path):
    ex = explore(Rotate(angle=(-20, 20), p=0.7), photo)
    ex.set(angle=(-25, 10), interpolation="nearest")
    path = ex.export(tmp_path / "r.json")
    assert Recipe.load(path) == ex.recipe
    assert "download" in ex.export_row.status.value
    assert "data:application/json;base64," in \
        ex.export_row.status.value
    with pytest.raises(InputError, match="exists"):
        ex.export(path)
    # the button path shows the error instead of raising
    ex.export_row.path.value = str(path)
    ex.export_row.button.click()
    assert "exists" in ex.error


def test_a_recipe_with_a_one_of_group(photo, tmp_path):
    recipe = Recipe([Rotate(angle=(-10, 10)),
                     OneOf([Brightness(delta=(-0.3, 0.3)), HorizontalFlip()], p=0.5)],
                    seed=0, name="mild")
    ex = explore(recipe, photo)
    assert set(ex.params) == {"steps[0]", "steps[1]", "steps[1].one_of[0]", "steps[1].one_of[1]"}
    assert ex.recipe == recipe
    before = ex.image_bytes
    ex.set(**{"steps[1].one_of[0].delta": (-0.5, 0.5), "angle": 20, "steps[1].p": 1.0})
    assert ex.image_bytes != before
    assert ex.recipe.steps[0].params["angle"] == (20.0, 20.0)
    assert ex.recipe.steps[1].p == 1.0
    with pytest.raises(ParamError, match="no step has"):
        ex.set(sigma=1)
    assert Recipe.load(ex.export(tmp_path / "g.json")) == ex.recipe


def test_a_burst_of_slider_events_renders_once_last_value_wins(photo):
    async def burst():
        ex = explore(Rotate(angle=(-30, 30)), photo, delay=0.01)
        count = ex.render_count
        for a in range(1, 21):
            ex.widgets["angle"].value = (-float(a), float(a))
        assert ex.render_count == count  # nothing yet: coalesced on the event loop
        await asyncio.sleep(0.2)
        return ex, count

    ex, count = asyncio.run(burst())
    assert ex.render_count == count + 1
    assert ex.params["angle"] == (-20.0, 20.0)
    assert ex.preview._coalescer.requests >= 20


def test_viewer_registry_is_pluggable(photo):
    assert get_viewer("image").__name__ == "image_viewer"
    assert "image" in viewers()
    calls = []

    def table_viewer(samples, outputs_with_traces, **options):
        calls.append((len(samples), len(outputs_with_traces[0]), options["captions"]))
        return W.HTML("<table></table>")

    ex = explore(Rotate(), photo, viewer=table_viewer, n_variants=2)
    assert calls
    assert calls[0][:2] == (1, 2)
    assert ex.preview.view.children[0].value == "<table></table>"
    with pytest.raises(augviz.AugvizError, match="already registered"):
        register_viewer("image", table_viewer)
    with pytest.raises(InputError, match="no viewer for modality 'nope'"):
        get_viewer("nope")


def test_slow_transforms_update_on_release():
    slow = [c for c in augviz.catalogue("image") if c.slow]
    if not slow:
        pytest.skip("no slow image transform registered")
    ex = explore(slow[0](), sample_image("chelsea", size=32), n_variants=1)
    sliders = [w for w in ex.widgets.values() if hasattr(w, "continuous_update")]
    assert sliders
    assert not any(w.continuous_update for w in sliders)


def test_every_slider_move_renders_once_and_is_timed():
    """Each move of a slider renders the grid once, with the new range, and records how
    long it took (benchmarks/widget_latency.py holds the speed goal)."""
    imgs = [sample_image(n, size=128) for n in ("astronaut", "chelsea", "coffee", "rocket")]
    ex = explore(Rotate(angle=(-30, 30)), imgs, n_samples=4, n_variants=4, tile=128)
    seen = {ex.image_bytes}
    for a in range(5):
        before = ex.render_count
        ex.set(angle=(-10.0 - a, 10.0 + a))
        assert ex.render_count == before + 1
        assert ex.last_render_ms > 0
        angles = _angles(ex)
        assert len(angles) == 16 and all(abs(angle) <= 10.0 + a for angle in angles)
        seen.add(ex.image_bytes)
    assert len(seen) == 6  # every range drew a new picture


def _angles(ex):
    return [step["values"]["angle"] for row in ex.outputs for _, trace in row for step in trace
            if step["applied"]]
