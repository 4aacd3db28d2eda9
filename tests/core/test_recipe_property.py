"""Property test: random valid recipes round-trip through JSON to an equal recipe with
identical outputs, for every modality that has contract inputs."""

from __future__ import annotations

from typing import Any

import numpy as np
from helpers import as_bytes, contract_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import augviz
from augviz import OneOf, Recipe, SomeOf
from augviz.core import Bool, Choice, Float, Int, Range, Text

MODALITIES = sorted({t.modality for t in augviz.catalogue() if contract_inputs(t.modality)})


def _grid(low: float, high: float, integer: bool) -> st.SearchStrategy[Any]:
    if integer:
        return st.integers(int(low), int(high))
    # width=32 draws need float32-exact bounds (0.1 is not): round them inward
    lo, hi = np.float32(low), np.float32(high)
    if float(lo) < low:  # compare as doubles (NEP 50 would compare in float32)
        lo = np.nextafter(lo, np.float32(np.inf))
    if float(hi) > high:
        hi = np.nextafter(hi, np.float32(-np.inf))
    return st.floats(float(lo), float(hi), allow_nan=False, allow_infinity=False, width=32).map(float)


@st.composite
def param_value(draw: Any, spec: Any) -> Any:
    if isinstance(spec, Bool):
        return draw(st.booleans())
    if isinstance(spec, Text):
        return draw(st.sampled_from([spec.default, "alpha", "beta,gamma"]))
    if isinstance(spec, Choice):
        return draw(st.sampled_from(spec.options))
    if isinstance(spec, Int):
        return draw(st.integers(spec.low, spec.high))
    if isinstance(spec, Float):
        return draw(_grid(spec.low, spec.high, False))
    assert isinstance(spec, Range)
    a = draw(_grid(spec.low, spec.high, spec.integer))
    b = draw(_grid(spec.low, spec.high, spec.integer))
    return draw(st.sampled_from([a, [min(a, b), max(a, b)]]))


@st.composite
def transforms(draw: Any, modality: str) -> Any:
    cls = draw(st.sampled_from([t for t in augviz.catalogue(modality) if not t.slow]))
    params = {s.name: draw(param_value(s)) for s in cls.PARAMS if draw(st.booleans())}
    p = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    return cls(p=p, **params)


@st.composite
def recipes(draw: Any) -> tuple[Recipe, str]:
    modality = draw(st.sampled_from(MODALITIES))
    steps: list[Any] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["t", "t", "one", "some"]))
        if kind == "t":
            steps.append(draw(transforms(modality)))
        else:
            kids = draw(st.lists(transforms(modality), min_size=1, max_size=3))
            p = draw(st.sampled_from([0.3, 1.0]))
            if kind == "one":
                steps.append(OneOf(kids, p=p))
            else:
                steps.append(SomeOf(kids, n=draw(st.integers(1, len(kids))), p=p))
    enabled = [draw(st.booleans()) or draw(st.booleans()) for _ in steps]
    seed = draw(st.one_of(st.none(), st.integers(0, 2**32)))
    name = draw(st.text(max_size=12))
    r = Recipe(
        steps,
        modality=modality,
        seed=seed,
        name=name,
        enabled=enabled,
        meta={"notes": draw(st.text(max_size=8))},
    )
    return r, modality


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recipes(), st.integers(0, 2**31))
def test_random_recipes_round_trip_with_identical_outputs(case, seed):
    recipe, modality = case
    again = Recipe.from_json(recipe.to_json())
    assert again == recipe
    assert again.to_json() == recipe.to_json()
    _, factory = contract_inputs(modality)[0]
    assert as_bytes(again(factory(), rng=seed)) == as_bytes(recipe(factory(), rng=seed))
