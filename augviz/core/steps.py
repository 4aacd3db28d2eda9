"""Recipe steps: a transform, or a group of transforms — :class:`OneOf`, :class:`SomeOf`.

Every step answers the same protocol: ``kind`` (one of :data:`STEP_KINDS`), ``children``
(the transforms it may apply; a transform is its own only child), ``p``, ``modality``,
``choose(stream)`` (which children one call applies), ``choose_batch(stream, n)`` (one
mask per child for ``n`` items past the step's ``p``), ``to_dict()`` and
``with_children(children)``. A recipe runs every kind with one loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .errors import InputError, ParamError, RecipeError
from .transform import P_SPEC, Transform

__all__ = ["STEP_KINDS", "OneOf", "SomeOf", "Step"]


def _check_p(p: Any, where: str) -> float:
    try:
        return P_SPEC.validate(p, where=where)
    except ParamError as exc:
        raise RecipeError(str(exc)) from None


def _check_children(steps: Any, kind: str) -> tuple[Transform, ...]:
    if isinstance(steps, Transform) or not isinstance(steps, Iterable):
        raise InputError(f"{kind} takes a list of transforms; got {type(steps).__name__}")
    children = tuple(steps)
    if not children:
        raise InputError(f"{kind} needs at least one transform")
    for c in children:
        if not isinstance(c, Transform):
            raise InputError(
                f"{kind} holds transforms only; got {type(c).__name__} (nesting groups is not supported)"
            )
    if len({c.modality for c in children}) > 1:
        raise InputError(f"{kind} mixes modalities: {sorted({c.modality for c in children})}")
    return children


class _Group:
    """Shared behaviour of OneOf / SomeOf.

    Every recipe step — a transform or a group — answers the same step protocol:
    ``kind`` (``"transform"``, ``"one_of"``, ``"some_of"``), ``children`` (the
    transforms it may apply; a transform is its own only child), ``p``, ``modality``,
    ``to_dict()`` and ``with_children(children)``.
    """

    __slots__ = ("_p", "_steps")
    kind = ""

    @property
    def steps(self) -> tuple[Transform, ...]:
        return self._steps

    @property
    def children(self) -> tuple[Transform, ...]:
        return self._steps

    @property
    def p(self) -> float:
        return self._p

    @property
    def modality(self) -> str:
        return self._steps[0].modality

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __iter__(self) -> Iterator[Transform]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)


class OneOf(_Group):
    """With probability ``p``, apply exactly one of ``steps``.

    The child is chosen with weights proportional to the children's own ``p`` (a child
    with ``p=0`` is never chosen); the chosen child is then always applied.

    Example
    -------
    >>> from augviz.image import HorizontalFlip, Rotate
    >>> group = OneOf([HorizontalFlip(), Rotate(angle=90)], p=0.5)
    """

    __slots__ = ()
    kind = "one_of"

    def __init__(self, steps: Iterable[Transform], p: float = 1.0, *, _path: str | None = None) -> None:
        object.__setattr__(self, "_steps", _check_children(steps, "OneOf"))
        object.__setattr__(self, "_p", _check_p(p, "OneOf" if _path is None else f"{_path}.p"))

    def choose(self, stream: np.random.Generator) -> tuple[int, ...]:
        """With probability ``p``, one child (weighted by the children's ``p``)."""
        if stream.random() >= self._p:
            return ()
        return (int(stream.choice(len(self._steps), p=self.weights())),)

    def choose_batch(self, stream: np.random.Generator, n: int) -> list[np.ndarray]:
        which = stream.choice(len(self._steps), size=n, p=self.weights())
        return [which == j for j in range(len(self._steps))]

    def weights(self) -> np.ndarray:
        w = np.array([c.p for c in self._steps], dtype=float)
        return w / w.sum() if w.sum() > 0 else np.full(len(w), 1.0 / len(w))

    def __eq__(self, other: object) -> bool:
        if type(other) is not OneOf:
            return NotImplemented
        return self._steps == other._steps and self._p == other._p  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (OneOf, (list(self._steps), self._p))

    def __repr__(self) -> str:
        return f"OneOf({list(self._steps)!r}, p={self._p!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"one_of": [c.to_dict() for c in self._steps], "p": self._p}

    def with_children(self, children: Iterable[Transform]) -> OneOf:
        """The same group holding other transforms."""
        return OneOf(children, p=self._p)


class SomeOf(_Group):
    """With probability ``p``, apply ``n`` distinct steps chosen at random, in list order.

    Example
    -------
    >>> from augviz.image import Brightness, HorizontalFlip, Rotate
    >>> group = SomeOf([HorizontalFlip(), Rotate(), Brightness()], n=2)
    """

    __slots__ = ("_n",)
    kind = "some_of"

    def __init__(self, steps: Iterable[Transform], n: int = 1, p: float = 1.0, *,
                 _path: str | None = None) -> None:
        children = _check_children(steps, "SomeOf")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(children):
            where = f"SomeOf n={n!r}" if _path is None else f"{_path}.n: {n!r}"
            raise (InputError if _path is None else RecipeError)(
                f"{where} is not allowed; allowed: an integer in [1, {len(children)}]")
        object.__setattr__(self, "_steps", children)
        object.__setattr__(self, "_n", int(n))
        object.__setattr__(self, "_p", _check_p(p, "SomeOf" if _path is None else f"{_path}.p"))

    def choose(self, stream: np.random.Generator) -> tuple[int, ...]:
        """With probability ``p``, ``n`` distinct children, in list order."""
        if stream.random() >= self._p:
            return ()
        return tuple(int(j) for j in np.sort(stream.permutation(len(self._steps))[: self._n]))

    def choose_batch(self, stream: np.random.Generator, n: int) -> list[np.ndarray]:
        k = len(self._steps)
        order = np.argsort(stream.random((n, k)), axis=1)
        chosen = np.zeros((n, k), bool)
        np.put_along_axis(chosen, order[:, : self._n], True, axis=1)
        return [chosen[:, j] for j in range(k)]

    @property
    def n(self) -> int:
        return self._n

    def __eq__(self, other: object) -> bool:
        if type(other) is not SomeOf:
            return NotImplemented
        o: SomeOf = other  # type: ignore[assignment]
        return self._steps == o._steps and self._p == o._p and self._n == o._n

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (SomeOf, (list(self._steps), self._n, self._p))

    def __repr__(self) -> str:
        return f"SomeOf({list(self._steps)!r}, n={self._n}, p={self._p!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"some_of": [c.to_dict() for c in self._steps], "n": self._n, "p": self._p}

    def with_children(self, children: Iterable[Transform]) -> SomeOf:
        """The same group holding other transforms (``n`` is capped at their number)."""
        children = tuple(children)
        return SomeOf(children, n=min(self._n, len(children)), p=self._p)


Step = Transform | OneOf | SomeOf
#: the ``kind`` of every step type (the step protocol)
STEP_KINDS = ("transform", "one_of", "some_of")
