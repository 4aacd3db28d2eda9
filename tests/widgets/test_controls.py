"""Every parameter of every registered transform gets a control of the right type with
the spec's own bounds (parametrised over the registry)."""

from __future__ import annotations

import math

import ipywidgets as W
import pytest

import augviz
from augviz.core import Bool, Choice, Float, Int, ParamError, Range, Source, Text
from augviz.widgets import ParamControls, control_for, fixed_value
from augviz.widgets.controls import SourceControl

TRANSFORMS = augviz.catalogue()
IDS = [t.id for t in TRANSFORMS]


def _expected_type(spec, fixed=False):
    if isinstance(spec, Text):
        return W.Text
    if isinstance(spec, Source):
        return SourceControl
    if isinstance(spec, Range):
        if fixed:
            if spec.integer:
                return W.IntSlider
            return W.FloatLogSlider if spec.log else W.FloatSlider
        return W.IntRangeSlider if spec.integer else W.FloatRangeSlider
    if isinstance(spec, Float):
        return W.FloatLogSlider if spec.log else W.FloatSlider
    if isinstance(spec, Int):
        return W.IntSlider
    if isinstance(spec, Choice):
        return W.Dropdown
    if isinstance(spec, Bool):
        return W.Checkbox
    raise AssertionError(spec)


def _check_bounds(spec, w):
    if isinstance(w, W.FloatLogSlider):
        assert math.isclose(w.base ** w.min, spec.low)
        assert math.isclose(w.base ** w.max, spec.high)
    elif isinstance(spec, (Float, Int, Range)):
        assert (w.min, w.max) == (spec.low, spec.high)
        if spec.step:
            assert w.step == spec.step


@pytest.mark.parametrize("cls", TRANSFORMS, ids=IDS)
def test_every_parameter_gets_the_right_control(cls):
    controls = ParamControls(cls)
    specs = cls.param_specs()
    assert list(controls.widgets) == list(specs)  # p first, then every parameter
    for name, spec in specs.items():
        w = controls.widgets[name]
        assert type(w) is _expected_type(spec), (cls.id, name)
        assert w.description == name
        assert spec.doc in w.tooltip
        if getattr(spec, "unit", ""):
            assert spec.unit in w.tooltip
        _check_bounds(spec, w)
        if isinstance(w, (W.FloatSlider, W.FloatLogSlider, W.IntSlider, W.FloatRangeSlider,
                          W.IntRangeSlider)):
            assert w.continuous_update is (not cls.slow)
    # the controls read back into the class's defaults
    assert controls.transform() == cls()


@pytest.mark.parametrize("cls", TRANSFORMS, ids=IDS)
def test_fixed_mode_turns_ranges_into_one_magnitude(cls):
    controls = ParamControls(cls, mode="fixed")
    for name, spec in cls.param_specs().items():
        w = controls.widgets[name]
        assert type(w) is _expected_type(spec, fixed=True), (cls.id, name)
        _check_bounds(spec, w)
        if isinstance(spec, Range):
            v = fixed_value(spec, spec.default)
            assert controls.values()[name] == (v, v)
    controls.transform()  # valid


def test_values_are_validated_and_read_back():
    from augviz.image import Rotate

    c = ParamControls(Rotate(angle=(-10, 20), p=0.5))
    assert c.values() == {"p": 0.5, "angle": (-10.0, 20.0), "interpolation": "bilinear",
                          "border": "constant", "fill": 0.0}
    c.set(angle=(-45, 45), interpolation="nearest")
    assert c.widgets["angle"].value == (-45.0, 45.0)
    assert c.transform() == Rotate(angle=(-45, 45), interpolation="nearest", p=0.5)
    with pytest.raises(ParamError, match="outside"):
        c.set(angle=500)
    with pytest.raises(ParamError, match="unknown parameter 'angel'"):
        c.set(angel=3)
    assert c.values()["angle"] == (-45.0, 45.0)  # unchanged by the failed calls


def test_mode_switch_keeps_the_magnitude():
    from augviz.image import Rotate

    c = ParamControls(Rotate(angle=(-15, 15)))
    c.mode = "fixed"
    assert c.values()["angle"] == (15.0, 15.0)
    c.set(angle=30)
    c.mode = "random"
    assert c.values()["angle"] == (-15.0, 15.0)  # the random range is not rewritten
    c.set(angle=(0, 10))
    c.mode = "fixed"
    assert c.values()["angle"] == (10.0, 10.0)


def test_fixed_magnitude_outside_the_range_leaves_the_random_range_alone():
    from augviz.image import Rotate

    c = ParamControls(Rotate(angle=(-45, 45)))
    c.mode = "fixed"
    c.set(angle=78)
    assert c.values()["angle"] == (78.0, 78.0)
    c.mode = "random"
    assert c.values()["angle"] == (-45.0, 45.0)


def test_log_and_integer_specs():
    log = Float("sigma", 0.01, 100.0, 1.0, doc="Blur width.", unit="px", log=True)
    w = control_for(log)
    assert isinstance(w, W.FloatLogSlider)
    assert math.isclose(w.value, 1.0)
    assert "px" in w.tooltip
    r = Range("k", 1, 9, (3, 5), integer=True, doc="Kernel.")
    assert isinstance(control_for(r), W.IntRangeSlider)
    assert isinstance(control_for(r, fixed=True), W.IntSlider)
    assert control_for(r, fixed=True).value == 5
    lr = Range("ratio", 0.5, 2.0, (0.75, 1.33), log=True, doc="Aspect.")
    assert isinstance(control_for(lr, fixed=True), W.FloatLogSlider)


def test_fixed_value_picks_the_larger_magnitude():
    spec = Range("delta", -1.0, 1.0, (-0.2, 0.2), doc="d")
    assert fixed_value(spec, (-0.3, 0.1)) == -0.3
    assert fixed_value(spec, (-0.1, 0.25)) == 0.25
