"""The registry contract: every registered transform, of every modality, is checked
here the moment it is registered (parametrised over ``augviz.catalogue()``)."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from helpers import as_bytes, contract_batches, contract_inputs

import augviz
from augviz.core import Bool, Choice, Float, Int, Range, Source, Text
from augviz.core.transform import Transform

TRANSFORMS = augviz.catalogue()
IDS = [t.id for t in TRANSFORMS]
CASES = [
    pytest.param(cls, name, factory, id=f"{cls.id}-{name}")
    for cls in TRANSFORMS
    for name, factory in contract_inputs(cls.modality)
]
BATCH_CASES = [
    pytest.param(cls, name, factory, id=f"{cls.id}-{name}")
    for cls in TRANSFORMS
    for name, factory in contract_batches(cls.modality)
]


def test_catalogue_is_not_empty():
    assert len(TRANSFORMS) >= 4
    assert all(issubclass(t, Transform) for t in TRANSFORMS)


@pytest.mark.parametrize("cls", TRANSFORMS, ids=IDS)
def test_specs_and_metadata(cls):
    assert cls.id.startswith(cls.modality + ".")
    assert cls.label_risk.strip(), f"{cls.id} has no label_risk note"
    assert cls.doc_line(), f"{cls.id} has no docstring"
    assert "Example" in (cls.__doc__ or ""), f"{cls.id} docstring has no Example"
    for spec in cls.PARAMS:
        assert isinstance(spec, (Float, Int, Range, Choice, Bool, Text, Source))
        assert spec.doc.strip(), f"{cls.id}.{spec.name} has no doc"
        assert spec.validate(spec.default) == spec.default
    assert augviz.get_transform(cls.id) is cls


@pytest.mark.parametrize("cls", TRANSFORMS, ids=IDS)
def test_has_contract_inputs(cls):
    assert contract_inputs(cls.modality), f"no tests/contract/inputs_{cls.modality}.py"


@pytest.mark.parametrize("cls", TRANSFORMS, ids=IDS)
def test_defaults_construct_and_value_semantics(cls):
    t = cls()
    assert t == cls()
    assert hash(t) == hash(cls())
    assert pickle.loads(pickle.dumps(t)) == t
    assert t.with_params(p=0.5) != t
    assert t.with_params(p=0.5).p == 0.5
    with pytest.raises(AttributeError):
        t.p = 0.2
    with pytest.raises(augviz.ParamError, match="unknown parameter"):
        cls(not_a_param=1)


@pytest.mark.parametrize("cls", TRANSFORMS, ids=IDS)
def test_out_of_bounds_param_names_param(cls):
    numeric = [s for s in cls.PARAMS if isinstance(s, (Float, Int, Range))]
    if not numeric:
        pytest.skip("no numeric parameter")
    spec = numeric[0]
    with pytest.raises(augviz.ParamError, match=spec.name):
        cls(**{spec.name: spec.high + 1})


@pytest.mark.parametrize(("cls", "name", "factory"), CASES)
def test_sample_json_safe_apply_deterministic_and_kept(cls, name, factory):
    t = cls()
    x = factory()
    before = as_bytes(x)
    values = t.sample(np.random.default_rng(0), x)
    assert json.loads(json.dumps(values)) == values, "sample() must be JSON-safe"
    assert t.sample(np.random.default_rng(0), x) == values, "sample() must be reproducible"
    out1 = t.apply(x, **values)
    out2 = t.apply(factory(), **values)
    assert as_bytes(out1) == as_bytes(out2), "apply() must be pure"
    assert as_bytes(x) == before, "apply() must not modify its input"
    assert type(out1) is type(x)
    if isinstance(x, np.ndarray):
        assert out1.dtype == x.dtype
        assert out1.ndim == x.ndim
        if cls.keeps_shape:
            assert out1.shape == x.shape
        if x.dtype == np.float32:
            assert np.isfinite(out1).all() and out1.min() >= 0 and out1.max() <= 1
    elif hasattr(x, "mode"):
        assert out1.mode == x.mode
        if cls.keeps_shape:
            assert out1.size == x.size
    assert as_bytes(t(x, rng=5)) == as_bytes(t(factory(), rng=5))


@pytest.mark.parametrize(("cls", "name", "factory"), CASES)
def test_json_round_trip_gives_same_output(cls, name, factory):
    recipe = augviz.Recipe([cls(p=0.9)], seed=1)
    again = augviz.Recipe.from_json(recipe.to_json())
    assert again == recipe
    assert as_bytes(again(factory(), rng=11)) == as_bytes(recipe(factory(), rng=11))


@pytest.mark.parametrize(("cls", "name", "factory"), CASES)
def test_recipe_call_is_its_trace(cls, name, factory):
    """A recipe's call takes each transform step's own (compiled) call; its trace draws
    the coin, samples and applies: the same bytes for every seed, applied or not."""
    recipe = augviz.Recipe([cls(p=0.6)])
    for seed in range(6):
        out, records = recipe.trace(factory(), rng=seed)
        assert as_bytes(recipe(factory(), rng=seed)) == as_bytes(out), (seed, records)


@pytest.mark.parametrize(("cls", "name", "factory"), BATCH_CASES)
def test_batch_path_matches_per_item_apply(cls, name, factory):
    """Whatever ``apply_batch`` vectorises must equal applying the same values one by one."""
    t = cls()
    xs = factory()
    values = t.sample_batch(np.random.default_rng(2), len(xs), xs)
    out = t.apply_batch(xs, values)
    for i in range(len(xs)):
        vi = {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in values.items()}
        expected = t.apply(xs[i], **vi)
        np.testing.assert_allclose(
            np.asarray(out[i], np.float64),
            np.asarray(expected, np.float64),
            atol=1 if xs.dtype == np.uint8 else 1e-5,
        )
