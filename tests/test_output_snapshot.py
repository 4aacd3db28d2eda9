"""Output snapshot: the bytes every registered transform and every golden recipe produce
on fixed inputs and seeds, recorded in ``tests/data/output_snapshot.json``.

A redesign must not change what a recipe does: a saved recipe with a seed has to give
the same augmented data after an upgrade. A deliberate change of outputs re-records
the file (``AUGVIZ_RECORD_SNAPSHOT=1 pytest tests/test_output_snapshot.py``) and says
so in CHANGELOG.md. A transform added to the registry is recorded the first time; one
whose entries are missing fails until it is recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import as_bytes, contract_batches, contract_inputs

import augviz
from augviz.core import Bool, Choice, Float, Int, Range, Source, Text

SNAPSHOT = Path(__file__).parent / "data" / "output_snapshot.json"
RECIPES = sorted((Path(__file__).parent / "data" / "recipes").glob("*.json"))
SEEDS = (0, 1, 7)
RECORD = os.environ.get("AUGVIZ_RECORD_SNAPSHOT") == "1"
# a few inputs per modality keep the snapshot small but cover every type, dtype and mode
INPUT_NAMES = {
    "image": ("uint8_hwc", "float32_hw", "uint8_small", "pil_rgba"),
    "audio": ("mono_16k", "stereo_22k"),
    "spectrogram": ("logmel_float32_unit", "db_float64"),
    "text": ("plain", "unicode_emoji", "very_long"),
}


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()[:20]


def _json_bytes(values: Any) -> bytes:
    def default(o: Any) -> Any:
        if isinstance(o, np.ndarray):
            return [str(o.dtype), o.tolist()]
        if isinstance(o, np.generic):
            return o.item()
        return repr(o)

    return json.dumps(values, sort_keys=True, default=default).encode()


def _variant(cls: type, kind: str) -> dict[str, Any]:
    """Parameter values away from the defaults: ``mid`` (inner half of each range, the
    last option of each choice, switches flipped) and ``fixed`` (ranges of one value)."""
    out: dict[str, Any] = {}
    for s in cls.PARAMS:
        if isinstance(s, Range):
            a, b = s.low + (s.high - s.low) * 0.25, s.low + (s.high - s.low) * 0.75
            if s.integer:
                a, b = round(a), round(b)
            out[s.name] = (a, a) if kind == "fixed" else (a, b)
        elif isinstance(s, (Float, Int)):
            v = s.low + (s.high - s.low) * 0.4
            out[s.name] = round(v) if isinstance(s, Int) else v
        elif isinstance(s, (Choice, Source)):
            out[s.name] = s.options[-1] if kind == "mid" else s.options[len(s.options) // 2]
        elif isinstance(s, Bool):
            out[s.name] = not s.default
        elif isinstance(s, Text):
            out[s.name] = s.default
    return out


def _outcome(fn: Any) -> bytes:
    try:
        return as_bytes(fn())
    except augviz.AugvizError as exc:  # a refusal is an outcome too (its kind, not its wording)
        return f"refused:{type(exc).__name__}".encode()


def _transform_entries(cls: type) -> dict[str, str]:
    entries: dict[str, str] = {}
    variants = {"default": {}}
    for kind in ("mid", "fixed"):
        try:
            variants[kind] = dict(_variant(cls, kind))
            cls(**variants[kind])
        except augviz.AugvizError:
            variants.pop(kind)
    inputs = dict(contract_inputs(cls.modality))
    for vname, params in variants.items():
        t = cls(**params)
        for iname in INPUT_NAMES[cls.modality]:
            parts = []
            for seed in SEEDS:
                x = inputs[iname]()
                parts.append(_json_bytes(t.sample(seed, x)))
                parts.append(_outcome(lambda t=t, x=x, seed=seed: t(x, rng=seed)))
            entries[f"{cls.id}/{vname}/{iname}"] = _digest(parts)
        for bname, factory in contract_batches(cls.modality):
            parts = []
            for seed in SEEDS:
                xs = factory()
                values = t.sample_batch(seed, len(xs), xs)
                parts.append(_json_bytes(values))
                parts.append(_outcome(lambda t=t, xs=xs, values=values: t.apply_batch(xs, values)))
                recipe = augviz.Recipe([t])
                parts.append(_outcome(lambda r=recipe, xs=xs, seed=seed: r.batch(xs, rng=seed)))
            entries[f"{cls.id}/{vname}/batch:{bname}"] = _digest(parts)
    return entries


def _recipe_entries(path: Path) -> dict[str, str]:
    recipe = augviz.Recipe.load(path)
    entries: dict[str, str] = {}
    inputs = dict(contract_inputs(recipe.modality))
    for iname in INPUT_NAMES[recipe.modality]:
        parts = []
        for seed in SEEDS:
            out, records = recipe.trace(inputs[iname](), rng=seed)
            parts += [as_bytes(out), _json_bytes(records)]
        own = augviz.Recipe.load(path)  # the recipe's own seeded stream, three calls in a row
        parts += [as_bytes(own(inputs[iname]())) for _ in range(3)]
        entries[f"recipe:{path.name}/{iname}"] = _digest(parts)
    for bname, factory in contract_batches(recipe.modality):
        parts = [_outcome(lambda s=seed, f=factory: recipe.batch(f(), rng=s)) for seed in SEEDS]
        entries[f"recipe:{path.name}/batch:{bname}"] = _digest(parts)
    return entries


CASES = [pytest.param(cls, id=cls.id) for cls in augviz.catalogue()]


def _load() -> dict[str, str]:
    return json.loads(SNAPSHOT.read_text("utf-8")) if SNAPSHOT.exists() else {}


def _store(entries: dict[str, str]) -> None:
    data = {**_load(), **entries}
    SNAPSHOT.write_text(json.dumps(dict(sorted(data.items())), indent=0) + "\n", "utf-8")


def _check(entries: dict[str, str]) -> None:
    if RECORD:
        _store(entries)
        return
    known = _load()
    missing = sorted(k for k in entries if k not in known)
    assert not missing, f"not in the output snapshot (record it): {missing[:5]}"
    changed = sorted(k for k, v in entries.items() if known[k] != v)
    assert not changed, f"outputs changed for {len(changed)} cases, e.g. {changed[:8]}"


@pytest.mark.parametrize("cls", CASES)
def test_transform_outputs_unchanged(cls):
    _check(_transform_entries(cls))


@pytest.mark.parametrize("path", RECIPES, ids=[p.name for p in RECIPES])
def test_golden_recipe_outputs_unchanged(path):
    _check(_recipe_entries(path))


def test_snapshot_covers_the_whole_registry():
    recorded = {k.split("/", 1)[0] for k in _load()}
    assert {cls.id for cls in augviz.catalogue()} <= recorded
    assert {f"recipe:{p.name}" for p in RECIPES} <= recorded
