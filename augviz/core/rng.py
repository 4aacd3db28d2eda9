"""Randomness enters augviz only through an argument.

``rng`` may be ``None`` (fresh OS entropy), an ``int`` seed, a
:class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

from typing import Union

import numpy as np

from .errors import InputError

RngLike = Union[int, np.integer, np.random.Generator, np.random.SeedSequence, None]

__all__ = ["RngLike", "as_generator", "seed_sequence", "spawn"]


def seed_sequence(rng: RngLike) -> np.random.SeedSequence:
    """Return a SeedSequence for ``rng``.

    A Generator is *advanced* (two words are drawn from it), so calling twice with the
    same Generator gives two different sequences, and the same seeded Generator gives
    the same sequences in a fresh process.
    """
    if rng is None:
        return np.random.SeedSequence()
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        words = rng.integers(0, 2**63, size=2, dtype=np.uint64)
        return np.random.SeedSequence([int(w) for w in words])
    if isinstance(rng, (bool, np.bool_)):
        raise InputError(f"rng must be an int seed, a numpy Generator or None; got {rng!r}")
    if isinstance(rng, (int, np.integer)):
        if rng < 0:
            raise InputError(f"rng seed must be a non-negative int; got {rng}")
        return np.random.SeedSequence(int(rng))
    raise InputError(
        f"rng must be an int seed, a numpy Generator, a SeedSequence or None; "
        f"got {type(rng).__name__}"
    )


def as_generator(rng: RngLike) -> np.random.Generator:
    """Normalise ``rng`` to a Generator (a Generator is returned as is).

    Example
    -------
    >>> as_generator(0).integers(10) == as_generator(0).integers(10)
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.Generator(np.random.PCG64(seed_sequence(rng)))


def spawn(rng: RngLike, n: int) -> list[np.random.Generator]:
    """``n`` independent child generators: step ``i`` of a recipe always gets child ``i``."""
    children = seed_sequence(rng).spawn(n)
    return [np.random.Generator(np.random.PCG64(c)) for c in children]
