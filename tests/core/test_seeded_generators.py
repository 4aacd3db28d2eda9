"""seeded_generators: the start state of ``np.random.default_rng(seed)`` for many seeds."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.core import rng as rng_mod
from augviz.core.rng import seeded_generators

EDGES = [0, 1, 2**31 - 1, 2**32 - 1, 2**32, 2**53 + 1, 2**63, 2**64 - 1]


def _draws(gen: np.random.Generator) -> tuple:
    # a normal block, a bounded integer and a raw word: three ways of reading the stream
    return (gen.standard_normal(7, np.float32).tobytes(), int(gen.integers(0, 1000)),
            int(gen.bit_generator.random_raw()))


def test_every_seed_starts_where_default_rng_starts():
    seeds = [*EDGES, *np.random.default_rng(0).integers(0, 2**31 - 1, 300).tolist(),
             *np.random.default_rng(1).integers(0, 2**63, 100, dtype=np.int64).tolist()]
    got = [_draws(g) for g in seeded_generators(seeds)]
    assert got == [_draws(np.random.default_rng(s)) for s in seeds]


def test_an_array_of_seeds_and_an_empty_one():
    seeds = np.array([5, 6, 5], np.int64)
    assert [_draws(g) for g in seeded_generators(seeds)] == [
        _draws(np.random.default_rng(s)) for s in (5, 6, 5)]
    assert list(seeded_generators(np.array([], np.int64))) == []


def test_seeds_outside_64_bits_take_the_plain_path():
    seeds = [2**64, 2**70 + 3, 7]
    assert [_draws(g) for g in seeded_generators(seeds)] == [
        _draws(np.random.default_rng(s)) for s in seeds]


def test_a_numpy_that_seeds_differently_falls_back_to_default_rng(monkeypatch):
    monkeypatch.setattr(rng_mod, "_SEEDING_OK", [False])
    gens = list(seeded_generators([3, 4]))
    assert gens[0] is not gens[1]  # fresh default_rng objects, not the reused one
    assert [_draws(g) for g in gens] == [_draws(np.random.default_rng(s)) for s in (3, 4)]


def test_the_fast_path_matches_this_numpy():
    assert rng_mod._seeding_matches()


@pytest.mark.parametrize("bad", [[-1], [1.5]])
def test_negative_or_fractional_seeds_fail_like_default_rng(bad):
    with pytest.raises((ValueError, TypeError)):
        [g.random() for g in seeded_generators(bad)]
