from __future__ import annotations

import numpy as np
import pytest

from augviz.core import Bool, Choice, Float, Int, ParamError, Range


def test_float_validates_bounds_and_names_parameter():
    spec = Float("sigma", 0.0, 5.0, 1.0, unit="px", doc="Blur.")
    assert spec.validate(2) == 2.0
    with pytest.raises(ParamError, match=r"sigma=6 is outside \[0, 5\] px"):
        spec.validate(6)
    with pytest.raises(ParamError, match="sigma='a' is not a number"):
        spec.validate("a")
    with pytest.raises(ParamError, match="not a number"):
        spec.validate(True)
    with pytest.raises(ParamError, match="outside"):
        spec.validate(float("nan"))


def test_int_rejects_fractions():
    spec = Int("holes", 1, 10, 2, doc="Holes.")
    assert spec.validate(3.0) == 3
    assert isinstance(spec.validate(np.int64(4)), int)
    with pytest.raises(ParamError, match=r"holes=2\.5 is not an integer"):
        spec.validate(2.5)


def test_range_scalar_is_fixed_magnitude_and_pairs_are_checked():
    spec = Range("angle", -180.0, 180.0, (-15.0, 15.0), unit="degrees", doc="Angle.")
    assert spec.validate(30) == (30.0, 30.0)
    assert spec.validate([-10, 20]) == (-10.0, 20.0)
    assert spec.validate(np.array([1.0, 2.0])) == (1.0, 2.0)
    with pytest.raises(ParamError, match="low > high"):
        spec.validate([20, -10])
    with pytest.raises(ParamError, match="outside"):
        spec.validate([-200, 0])
    with pytest.raises(ParamError, match="has 3 items"):
        spec.validate([1, 2, 3])
    with pytest.raises(ParamError, match="not a \\[low, high\\] pair"):
        spec.validate("15")


def test_range_sampling_stays_inside_and_fixed_is_exact():
    spec = Range("angle", -180.0, 180.0, (-15.0, 15.0), doc="Angle.")
    rng = np.random.default_rng(0)
    draws = [spec.sample((-5.0, 5.0), rng) for _ in range(500)]
    assert min(draws) >= -5 and max(draws) <= 5
    assert max(draws) - min(draws) > 8  # really spreads over the range
    assert spec.sample((7.0, 7.0), rng) == 7.0
    batch = spec.sample_batch((-5.0, 5.0), rng, 1000)
    assert batch.shape == (1000,) and batch.min() >= -5 and batch.max() <= 5


def test_integer_and_log_ranges():
    ints = Range("k", 1, 9, (1, 9), integer=True, doc="Kernel.")
    rng = np.random.default_rng(1)
    draws = {ints.sample((1, 3), rng) for _ in range(200)}
    assert draws == {1, 2, 3}
    assert set(ints.sample_batch((1, 3), rng, 300).tolist()) == {1, 2, 3}
    logr = Range("f", 10.0, 10000.0, (100.0, 1000.0), log=True, doc="Freq.")
    draws = np.array([logr.sample((100.0, 10000.0), rng) for _ in range(2000)])
    # log-uniform: about half the draws fall below the geometric midpoint (1000)
    assert 0.4 < (draws < 1000).mean() < 0.6


def test_choice_and_bool():
    spec = Choice("border", ("constant", "reflect"), "constant", doc="Border.")
    assert spec.validate("reflect") == "reflect"
    with pytest.raises(ParamError, match="'wrap' is not allowed; allowed: 'constant', 'reflect'"):
        spec.validate("wrap")
    flag = Bool("per_channel", False, doc="Per channel.")
    assert flag.validate(True) is True
    with pytest.raises(ParamError, match="allowed: true or false"):
        flag.validate(1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Float("x", 1.0, 0.0, 0.5),
        lambda: Float("x", 0.0, 1.0, 2.0),
        lambda: Range("x", 0.0, 1.0, (0.5, 2.0)),
        lambda: Float("x", 0.0, 1.0, 0.5, log=True),
        lambda: Choice("x", (), None),
    ],
)
def test_bad_specs_are_rejected_at_definition(make):
    with pytest.raises(ParamError):
        make()


def test_specs_are_frozen():
    spec = Float("x", 0.0, 1.0, 0.5)
    with pytest.raises(AttributeError):
        spec.low = 3  # type: ignore[misc]


def test_text_spec():
    from augviz.core import Text

    spec = Text("protect", "", doc="Words.", max_length=10)
    assert spec.validate("a,b") == "a,b"
    with pytest.raises(ParamError, match="protect=3 is not allowed; allowed: a string"):
        spec.validate(3)
    with pytest.raises(ParamError, match="too long; allowed: at most 10"):
        spec.validate("x" * 11)
