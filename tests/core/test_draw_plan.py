"""The per-transform draw plan gives exactly what the specs draw one by one.

The reference below is the sampler as the specs define it (``spec.sample`` / ``spec.draw``
in PARAMS order, the seed, the SPLIT extras, the positions). The plan must give the same
values, in the same order, and leave the generator in the same state — for numpy's
default PCG64 (whose draws the plan takes from raw words) and for bit generators whose
doubles are made another way (MT19937).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import augviz
from augviz.core import Bool, Choice, Float, Int, Range, Source, Transform

SEED_HIGH = 2**31 - 1
BIT_GENERATORS = (np.random.PCG64, np.random.MT19937, np.random.SFC64, np.random.Philox, np.random.PCG64DXSM)


def _reference(t: Transform, gen: np.random.Generator) -> dict[str, Any]:
    params = t.params
    if t.compact_draws:
        values = {s.name: s.draw(params[s.name], gen) for s in t.PARAMS}
    else:
        values = {s.name: s.sample(params[s.name], gen) for s in t.PARAMS}
    if t.uses_seed:
        values["seed"] = (int(gen.bit_generator.random_raw()) >> 33 if t.compact_draws
                          else int(gen.integers(0, SEED_HIGH)))
    specs = t.param_specs()
    for name, names in t.SPLIT.items():
        values[names[0]] = values.pop(name)
        for extra in names[1:]:
            values[extra] = specs[name].sample(params[name], gen)
    for name in t.POSITIONS:
        values[name] = float(gen.random())
    return values


def _variants(cls: type[Transform]) -> list[dict[str, Any]]:
    mid: dict[str, Any] = {}
    fixed: dict[str, Any] = {}
    for s in cls.PARAMS:
        if isinstance(s, Range):
            a, b = s.low + (s.high - s.low) * 0.25, s.low + (s.high - s.low) * 0.75
            if s.integer:
                a, b = round(a), round(b)
            mid[s.name], fixed[s.name] = (a, b), (a, a)
        elif isinstance(s, (Float, Int)):
            v = s.low + (s.high - s.low) * 0.4
            mid[s.name] = fixed[s.name] = round(v) if isinstance(s, Int) else v
        elif isinstance(s, (Choice, Source)):
            mid[s.name] = fixed[s.name] = s.options[-1]
        elif isinstance(s, Bool):
            mid[s.name] = fixed[s.name] = not s.default
    return [{}, mid, fixed]


TRANSFORMS = [cls for modality in ("image", "audio", "spectrogram", "text")
              for cls in augviz.catalogue(modality) if cls.sample is Transform.sample]


@pytest.mark.parametrize("cls", TRANSFORMS, ids=lambda c: c.id)
def test_sample_draws_what_the_specs_draw(cls: type[Transform]) -> None:
    for params in _variants(cls):
        t = cls(**params)
        for bit_generator in BIT_GENERATORS:
            for seed in (0, 1, 12345):
                ours = np.random.Generator(bit_generator(seed))
                theirs = np.random.Generator(bit_generator(seed))
                got, want = t.sample(ours), _reference(t, theirs)
                assert list(got) == list(want)  # same names in the same order
                assert got == want
                assert [type(v) for v in got.values()] == [type(v) for v in want.values()]
                assert ours.random() == theirs.random()  # the stream is left where the specs leave it


@pytest.mark.parametrize("bit_generator", BIT_GENERATORS, ids=lambda b: b.__name__)
def test_a_call_takes_the_coin_then_the_values(bit_generator: Any) -> None:
    from augviz.audio import Audio, Gain, Reverse

    clip = Audio(np.linspace(-0.5, 0.5, 64, dtype=np.float32), 8000)
    for t in (Gain(gain_db=(-6, 6), p=0.5), Reverse(p=0.5), Gain(gain_db=3.0)):
        for seed in range(20):
            ours = np.random.Generator(bit_generator(seed))
            theirs = np.random.Generator(bit_generator(seed))
            out = t(clip, rng=ours)
            if theirs.random() < t.p:
                assert out == t.apply(clip, **_reference(t, theirs))
            else:
                assert out is clip
            assert ours.random() == theirs.random()


def test_the_plan_hands_back_kernel_forms_of_fixed_values_only() -> None:
    from augviz.core._plan import LEAVE_OUT, compile_plan

    specs = (Range("amount", 0.0, 1.0, (0.0, 1.0)), Bool("flag", False))
    params = {"amount": (0.2, 0.8), "flag": True}
    kwargs = {"compact": False, "uses_seed": False, "split": {}, "positions": ()}
    plain = compile_plan(specs, params, 1.0, **kwargs)
    swapped = compile_plan(specs, params, 1.0, fixed={"flag": LEAVE_OUT, "rule": "kernel form"}, **kwargs)
    got, want = swapped(np.random.default_rng(3)), plain(np.random.default_rng(3))
    assert want is not None and got == {"amount": want["amount"], "rule": "kernel form"}
    with pytest.raises(ValueError, match="'amount' is drawn"):
        compile_plan(specs, params, 1.0, fixed={"amount": 0.5}, **kwargs)


SIGNALS = [*augviz.catalogue("audio"), *augviz.catalogue("spectrogram")]


def _signal(modality: str) -> Any:
    from augviz.audio import Audio

    wave = (0.3 * np.sin(np.arange(4000) / 7.0)).astype(np.float32)
    return Audio(wave, 8000) if modality == "audio" else np.abs(wave[:3960]).reshape(40, 99)


@pytest.mark.parametrize("cls", SIGNALS, ids=lambda c: c.id)
def test_an_audio_call_is_the_coin_then_apply_with_what_the_specs_draw(cls: type[Transform]) -> None:
    """Every audio and spectrogram transform's call (the compiled one-kernel call where the
    class is one kernel call, the general path otherwise) gives what ``apply`` gives with
    the values drawn after the coin, and leaves the stream where they leave it."""
    x = _signal(cls.modality)
    for params in _variants(cls):
        t = cls(p=0.7, **params)
        for bit_generator in (np.random.PCG64, np.random.MT19937):
            for seed in range(4):
                ours = np.random.Generator(bit_generator(seed))
                theirs = np.random.Generator(bit_generator(seed))
                out = t(x, rng=ours)
                if theirs.random() < t.p:
                    values = t.sample(theirs, x) if not t._plain_sample else _reference(t, theirs)
                    want = t.apply(x, **values)
                    assert type(out) is type(want) and np.asarray(out).dtype == np.asarray(want).dtype
                    assert np.array_equal(np.asarray(out), np.asarray(want))
                else:
                    assert out is x
                assert ours.random() == theirs.random()


@pytest.mark.parametrize("name", ["class", "two words", "1st"])
def test_a_value_name_must_be_a_keyword_argument(name: str) -> None:
    from augviz.core import ParamError

    with pytest.raises(ParamError, match=f"value name {name!r} is not allowed"):
        type("Odd", (Transform,), {"PARAMS": (Range(name, 0.0, 1.0, (0.0, 1.0)),), "__slots__": ()})


@pytest.mark.parametrize("bit_generator", BIT_GENERATORS, ids=lambda b: b.__name__)
def test_the_raw_word_shortcuts_are_numpys_own_draws(bit_generator: Any) -> None:
    """For the bit generators in ``RAW64`` a raw word is numpy's full-range uint64 draw and
    ``(raw >> 11) * 2**-53`` is ``random()``; ``root_word`` of a Generator is that draw
    for every bit generator (a word read raw where numpy's definition allows)."""
    from augviz.core.rng import RAW64, _mix, root_word, step_stream

    for seed in range(3):
        ours, theirs = (np.random.Generator(bit_generator(seed)) for _ in range(2))
        for _ in range(200):
            assert root_word(ours) == int(theirs.integers(0, 2**64 - 1, dtype=np.uint64, endpoint=True))
        if bit_generator in RAW64:
            for _ in range(200):
                assert (int(ours.bit_generator.random_raw()) >> 11) * 2.0**-53 == theirs.random()
        assert ours.random() == theirs.random()
    # the step keys worked out once are the hash they stand for, past the table too
    for index in (0, 1, 255, 256, 1000):
        a = _mix(7 ^ _mix(index + 1))
        assert step_stream(7, index).bit_generator.state["state"]["state"] >> 64 == a
