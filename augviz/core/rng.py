"""Randomness enters augviz only through an argument.

``rng`` may be ``None`` (fresh OS entropy), an ``int`` seed, a
:class:`numpy.random.SeedSequence` or a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

import operator
import os
import threading
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from .errors import InputError, RecipeError

RngLike = int | np.integer | np.random.Generator | np.random.SeedSequence | None

__all__ = [
    "RngLike",
    "as_generator",
    "check_seed",
    "item_entropy",
    "item_key",
    "item_rng",
    "root_word",
    "seed_sequence",
    "seeded_generators",
    "step_stream",
]


#: the largest recipe seed (64 bits: what a seed word holds)
SEED_MAX = 2**64 - 1


def check_seed(seed: object, where: str) -> int | None:
    """The one rule for a recipe's seed: ``None`` or an integer in ``[0, 2**64 - 1]``."""
    if seed is not None and (
        isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer))
        or not 0 <= seed <= SEED_MAX
    ):
        shown = (f"an integer of {len(str(seed)) if seed.bit_length() < 14000 else 'over 4,000'} digits"
                 if isinstance(seed, int) and not isinstance(seed, bool) and seed > SEED_MAX
                 else repr(seed))
        raise RecipeError(f"{where}{shown} is not allowed; allowed: an integer in [0, 2**64 - 1] or None")
    return None if seed is None else int(seed)


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
        f"rng must be an int seed, a numpy Generator, a SeedSequence or None; got {type(rng).__name__}"
    )


def as_generator(rng: RngLike) -> np.random.Generator:
    """Normalise ``rng`` to a Generator (a Generator is returned as is).

    Example
    -------
    >>> int(as_generator(0).integers(10)) == int(as_generator(0).integers(10))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.Generator(np.random.PCG64(seed_sequence(rng)))


# -- the per-item seed contract -----------------------------------------------------
# An item's randomness is a pure function of (seed, key, epoch, copy): never of the
# worker, the process, the batch or the order in which items are processed.
def item_key(key: object) -> bytes:
    """The bytes that stand for an item ``key``: text as UTF-8, a path as its POSIX
    form (``a/b.png`` on every OS), an integer row id as its decimal text (so ``7`` and
    ``"7"`` are one key), bytes as they are.

    Example
    -------
    >>> from pathlib import PurePosixPath
    >>> item_key(PurePosixPath("cats/1.png")), item_key(7)
    (b'cats/1.png', b'7')
    """
    if isinstance(key, str):
        return key.encode("utf-8", "surrogatepass")
    if isinstance(key, (bytes, bytearray)):
        return bytes(key)
    if isinstance(key, os.PathLike):
        from pathlib import PurePath

        path = key if isinstance(key, PurePath) else PurePath(os.fspath(key))
        return path.as_posix().encode("utf-8", "surrogatepass")
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        return str(int(key)).encode("ascii")
    raise InputError(
        f"item key {key!r} ({type(key).__name__}) is not allowed; allowed: a str (e.g. a relative "
        "path), a pathlib path, an integer row id or bytes"
    )


def _count(value: object, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise InputError(f"{name}={value!r} is not allowed; allowed: an integer >= 0")
    return int(value)


def item_entropy(seed: int, key: object, epoch: int = 0, copy: int = 0) -> list[int]:
    """The seed words of one item: ``[seed, crc32(key), copy]``, with ``epoch``
    appended when it is not 0 (so epoch 0 is exactly what ``augviz apply`` always used).

    Example
    -------
    >>> item_entropy(3, "a.png", epoch=0, copy=1)
    [3, 1589947247, 1]
    """
    seed = check_seed(seed, "seed=")
    if seed is None:
        raise RecipeError("item randomness needs a seed; got seed=None; allowed: an integer in "
                          "[0, 2**64 - 1] (e.g. recipe.replace(seed=0))")
    words = [seed, zlib.crc32(item_key(key)), _count(copy, "copy")]
    epoch = _count(epoch, "epoch")
    return [*words, epoch] if epoch else words


def item_rng(seed: int, key: object, epoch: int = 0, copy: int = 0) -> np.random.Generator:
    """The generator for one item: a pure function of ``(seed, key, epoch, copy)``.

    Pass it as ``rng=`` to a recipe call. The same four values give the same draws in
    any process, worker, engine or order; see ``docs/scaling-out.md``.

    Example
    -------
    >>> a, b = item_rng(0, "cats/1.png"), item_rng(0, "cats/1.png")
    >>> int(a.integers(1000)) == int(b.integers(1000))
    True
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(item_entropy(seed, key, epoch, copy))))


# -- per-step streams -----------------------------------------------------------------
# A recipe call needs one independent stream per step. SeedSequence.spawn + PCG64 costs
# ~40 µs per step; instead each call draws one 64-bit word from the caller's randomness
# and step i's PCG64 state is a splitmix64 hash of (word, i) — ~3 µs per step, and step
# i's stream still depends only on (word, i), never on the other steps.
_M64 = (1 << 64) - 1
#: Bit generators whose raw output is the next 64-bit word itself: for them
#: ``Generator.random()`` is ``(raw >> 11) * 2**-53`` and a full-range ``uint64`` draw is the
#: raw word (numpy's own definitions; checked in tests/core/test_draw_plan.py).
RAW64 = (np.random.PCG64, np.random.PCG64DXSM, np.random.SFC64, np.random.Philox)
_local = threading.local()


def _mix(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def root_word(rng: RngLike) -> int:
    """One 64-bit word that determines every step stream of one recipe call."""
    if rng is None:
        return int.from_bytes(os.urandom(8), "little")
    if isinstance(rng, np.random.Generator):
        bg = rng.bit_generator
        if type(bg) in RAW64:  # the same word, a seventh of the cost
            return int(bg.random_raw())
        return int(rng.integers(0, _M64, dtype=np.uint64, endpoint=True))
    if isinstance(rng, np.random.SeedSequence):
        return int(rng.generate_state(1, np.uint64)[0])
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer)):
        seed_sequence(rng)  # raises the usual InputError
    if rng < 0:
        raise InputError(f"rng seed must be a non-negative int; got {rng}")
    seed = int(rng)
    return _mix(seed) if seed <= _M64 else int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0])


#: ``_mix(index + 1)`` of the first step indices, worked out once
_STEP_KEYS = tuple(_mix(i + 1) for i in range(256))


def step_stream(word: int, index: int) -> np.random.Generator:
    """The generator of step ``index`` for the call whose root word is ``word``.

    The bit generator is reused per thread: a step's generator is valid until the next
    ``step_stream`` call in the same thread (steps run one after another).
    """
    bg = getattr(_local, "bg", None)
    if bg is None:
        bg = _local.bg = np.random.PCG64(0)
    a = _mix(word ^ (_STEP_KEYS[index] if index < len(_STEP_KEYS) else _mix(index + 1)))
    b, c = _mix(a ^ 0x5851F42D4C957F2D), _mix(a ^ 0x14057B7EF767814F)
    d = _mix(b ^ c)
    bg.state = {
        "bit_generator": "PCG64",
        "state": {"state": (a << 64) | b, "inc": (c << 64) | d | 1},
        "has_uint32": 0,
        "uinteger": 0,
    }
    return np.random.Generator(bg)


# -- many seeds at once ---------------------------------------------------------------
# A kernel that draws its noise from ``np.random.default_rng(seed)`` is pure; a batch of
# n items then pays for n SeedSequence + PCG64 constructions (~7 µs each). The seeding is
# deterministic integer hashing, so it is done here for all seeds in one vectorised pass
# (numpy's SeedSequence: a 4-word pool, then 4 uint64 words for PCG64's state and stream),
# and one reused bit generator is put in each seed's start state in turn.
_SS_INIT_A, _SS_MULT_A = 0x43B0D7E5, 0x931E8875
_SS_INIT_B, _SS_MULT_B = 0x8B51F9DD, 0x58F38DED
_SS_MIX_L, _SS_MIX_R = 0xCA01F9DD, 0x4973F715
_PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
_M128 = (1 << 128) - 1
_M32 = 0xFFFFFFFF


def _pcg64_states(seeds: np.ndarray) -> list[tuple[int, int]]:
    """``(state, inc)`` of ``PCG64(SeedSequence(s))`` for each seed ``s`` in ``[0, 2**64)``
    (``seeds``: uint64)."""
    u32, u64, shift = np.uint32, np.uint64, np.uint32(16)
    # the entropy words, padded with 0 words to the pool size (what SeedSequence does)
    pool = [(seeds & u64(_M32)).astype(u32), (seeds >> u64(32)).astype(u32),
            np.zeros(len(seeds), u32), np.zeros(len(seeds), u32)]
    h = _SS_INIT_A  # the hash constant runs through the same sequence for every seed

    def hashmix(v: np.ndarray) -> np.ndarray:
        nonlocal h
        v = v ^ u32(h)
        h = (h * _SS_MULT_A) & _M32
        v = v * u32(h)
        return v ^ (v >> shift)

    with np.errstate(over="ignore"):
        pool = [hashmix(v) for v in pool]
        for src in range(4):
            for dst in range(4):
                if src != dst:
                    r = u32(_SS_MIX_L) * pool[dst] - u32(_SS_MIX_R) * hashmix(pool[src])
                    pool[dst] = r ^ (r >> shift)
        words, g = [], _SS_INIT_B
        for i in range(8):  # generate_state(4, uint64): 8 uint32 words
            v = pool[i % 4] ^ u32(g)
            g = (g * _SS_MULT_B) & _M32
            v = v * u32(g)
            words.append((v ^ (v >> shift)).astype(u64))
    w = [words[2 * k] | (words[2 * k + 1] << u64(32)) for k in range(4)]  # little-endian pairs
    states = []
    for s_hi, s_lo, i_hi, i_lo in zip(*(x.tolist() for x in w), strict=True):
        # PCG64's seeding: inc = 2·stream + 1; state = ((0·M + inc) + seed)·M + inc
        inc = ((((i_hi << 64) | i_lo) << 1) | 1) & _M128
        state = ((inc + ((s_hi << 64) | s_lo)) * _PCG_MULT + inc) & _M128
        states.append((state, inc))
    return states


def seeded_generators(seeds: Any) -> Iterator[np.random.Generator]:
    """For each seed, a generator in the state ``np.random.default_rng(seed)`` starts in
    (same draws, bit for bit), built for a whole batch of seeds at once.

    One generator is reused: each one yielded is valid until the next is requested, so
    draw from it before moving on (``[g.random() for g in seeded_generators(seeds)]``).

    Example
    -------
    >>> [float(g.random()) for g in seeded_generators([7, 8])] == [
    ...     float(np.random.default_rng(s).random()) for s in (7, 8)]
    True
    """
    # Python ints all the way: np.asarray would turn a list with huge seeds into floats
    values = [operator.index(s)  # an integer, as default_rng wants (1.5 is refused, not cut)
              for s in (seeds.reshape(-1).tolist() if isinstance(seeds, np.ndarray) else seeds)]
    if not values:
        return
    if not _seeding_matches() or min(values) < 0 or max(values) > _M64:
        for s in values:  # outside the fast path's domain (or another numpy): the slow way
            yield np.random.default_rng(s)
        return
    bg = np.random.PCG64(0)
    gen = np.random.Generator(bg)
    for state, inc in _pcg64_states(np.array(values, np.uint64)):
        bg.state = {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
                    "has_uint32": 0, "uinteger": 0}
        yield gen


_SEEDING_OK: list[bool] = []


def _seeding_matches() -> bool:
    # checked once per process against numpy itself, so that a numpy that seeds
    # differently falls back to default_rng instead of giving other draws
    if not _SEEDING_OK:
        probe = [0, 1, 12345, 2**31 - 1, 2**32 - 1, 2**32, 2**64 - 1]
        got = _pcg64_states(np.array(probe, np.uint64))
        want = [np.random.default_rng(s).bit_generator.state["state"] for s in probe]
        _SEEDING_OK.append(all(g == (w["state"], w["inc"]) for g, w in zip(got, want, strict=True)))
    return _SEEDING_OK[0]
