"""Parameter specs: the single source of truth for a transform's knobs.

A spec validates a value, samples a concrete value from it, builds the slider and
writes the catalogue docs. Bounds, defaults, units and doc sentences live here and
nowhere else.

Example
-------
>>> angle = Range("angle", -180.0, 180.0, (-15.0, 15.0), unit="degrees", doc="Rotation.")
>>> angle.validate(30)          # a number means "exactly this magnitude"
(30.0, 30.0)
>>> angle.validate([-10, 10])
(-10.0, 10.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from .errors import InputError, ParamError

__all__ = ["Bool", "Choice", "Float", "Int", "Param", "Range", "Source", "Text", "text_problem"]


def _prefix(where: str | None) -> str:
    return f"{where}: " if where else ""


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, int) and abs(v) >= 10**30:
        # repr of an int past 4,300 digits raises, and a long one helps nobody
        sign = "a negative" if v < 0 else "an"
        return f"{sign} integer of about {int(v.bit_length() * 0.30103) + 1} digits"
    return repr(v)


def text_problem(value: str) -> str | None:
    """What keeps ``value`` from being written as UTF-8 (a lone surrogate), or None.

    Example
    -------
    >>> text_problem("ok"), text_problem("a\\ud800")
    (None, 'a lone surrogate U+D800 at position 1')
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a lone surrogate U+{ord(value[exc.start]):04X} at position {exc.start}"
    return None


#: how a value's unit is written after the number in a caption ("12°", "3 px"); units
#: not listed here are descriptive ("× size", "fraction") and not written
_SYMBOLS = {"degrees": "°", "px": " px", "pixels": " px", "%": "%", "Hz": " Hz", "dB": " dB"}


@dataclass(frozen=True)
class Param:
    """Base of all parameter specs."""

    name: str
    kind: ClassVar[str] = "param"

    def validate(self, value: Any, *, where: str | None = None) -> Any:  # pragma: no cover
        raise NotImplementedError

    def sample(self, value: Any, rng: np.random.Generator) -> Any:
        """A concrete value for one application (fixed specs return ``value``)."""
        return value

    def check_argument(self, value: Any, *, where: str) -> Any:
        """Validate a function argument (not a transform parameter): the same rule and
        message as :meth:`validate`, raised as :class:`InputError`.

        Example
        -------
        >>> Int("epochs", 1, 1000, 30, doc="Epochs.").check_argument(5, where="compare")
        5
        """
        try:
            return self.validate(value, where=where)
        except ParamError as exc:
            raise InputError(str(exc)) from None

    def draw(self, value: Any, rng: np.random.Generator) -> Any:
        """As :meth:`sample`, but a value that cannot vary takes nothing from ``rng``
        (the compact draw layout, see ``Transform.compact_draws``)."""
        return value

    def sample_batch(self, value: Any, rng: np.random.Generator, n: int) -> Any:
        """``n`` concrete values (a numpy array where the values are numbers)."""
        return [value] * n

    def to_json(self, value: Any) -> Any:
        return value

    @property
    def symbol(self) -> str:
        """What follows the number when a value is written in a caption ("°", " px")."""
        return _SYMBOLS.get(getattr(self, "unit", ""), "")

    def describe(self) -> str:
        """One line for the catalogue: bounds, default, unit."""
        return f"default {self.to_json(self.default)!r}"  # type: ignore[attr-defined]

    @property
    def random(self) -> bool:
        """Whether ``sample`` draws (only ranges do)."""
        return False

    def _name_part(self, where: str | None) -> str:
        # "image.rotate: angle=..." or "steps[0].params.angle: ..."
        if where and where.endswith(f".{self.name}"):
            return _prefix(where)
        return f"{_prefix(where)}{self.name}="


def _check_number(spec: Any, value: Any, where: str | None, integer: bool) -> float | int:
    part = spec._name_part(where)
    if not _is_number(value):
        kind = "an integer" if integer else "a number"
        raise ParamError(
            f"{part}{value!r} is not {kind}; allowed: {kind} in "
            f"[{_fmt(spec.low)}, {_fmt(spec.high)}]{spec._unit_suffix()}"
        )
    if integer and not isinstance(value, (int, np.integer)) and not float(value).is_integer():
        raise ParamError(
            f"{part}{_fmt(value)} is not an integer; allowed: an integer in "
            f"[{spec.low}, {spec.high}]{spec._unit_suffix()}"
        )
    try:
        v: float | int = int(value) if integer else float(value)
        finite = math.isfinite(float(v))
    except OverflowError:  # an integer too large for a float
        v, finite = int(value), False
    if not finite or not (spec.low <= v <= spec.high):
        raise ParamError(
            f"{part}{_fmt(v)} is outside [{_fmt(spec.low)}, {_fmt(spec.high)}]{spec._unit_suffix()}"
        )
    return v


class _Bounded:
    low: Any
    high: Any
    unit: str

    def _unit_suffix(self) -> str:
        return f" {self.unit}" if self.unit else ""

    def __post_init__(self) -> None:
        self._check_bounds()
        self.validate(self.default, where=f"spec {self.name!r} default")  # type: ignore[attr-defined]

    def _check_bounds(self) -> None:
        if not (_is_number(self.low) and _is_number(self.high)) or not self.low < self.high:
            raise ParamError(f"spec {self.name!r}: needs numbers low < high")  # type: ignore[attr-defined]
        if getattr(self, "log", False) and self.low <= 0:
            raise ParamError(f"spec {self.name!r}: log scale needs low > 0")  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Float(Param, _Bounded):
    """A fixed real number in ``[low, high]``."""

    low: float = 0.0
    high: float = 1.0
    default: float = 0.0
    step: float | None = None
    unit: str = ""
    doc: str = ""
    log: bool = False
    kind: ClassVar[str] = "float"

    def validate(self, value: Any, *, where: str | None = None) -> float:
        return float(_check_number(self, value, where, integer=False))

    def describe(self) -> str:
        bounds = f"[{_fmt(self.low)}, {_fmt(self.high)}]{self._unit_suffix()}"
        return f"number in {bounds}, default {_fmt(self.default)}"


@dataclass(frozen=True)
class Int(Param, _Bounded):
    """A fixed integer in ``[low, high]``."""

    low: int = 0
    high: int = 1
    default: int = 0
    step: int = 1
    unit: str = ""
    doc: str = ""
    log: bool = False
    kind: ClassVar[str] = "int"

    def validate(self, value: Any, *, where: str | None = None) -> int:
        return int(_check_number(self, value, where, integer=True))

    def describe(self) -> str:
        return f"integer in [{self.low}, {self.high}]{self._unit_suffix()}, default {self.default}"


@dataclass(frozen=True)
class Range(Param, _Bounded):
    """A ``[lo, hi]`` interval inside ``[low, high]``, sampled uniformly per application.

    A single number ``v`` means the fixed magnitude ``[v, v]``. With ``log=True`` the
    draw is uniform in log space; with ``integer=True`` both ends and draws are ints.
    """

    low: float = 0.0
    high: float = 1.0
    default: tuple[float, float] = (0.0, 1.0)
    step: float | None = None
    unit: str = ""
    doc: str = ""
    log: bool = False
    integer: bool = False
    kind: ClassVar[str] = "range"

    def __post_init__(self) -> None:
        self._check_bounds()
        object.__setattr__(self, "default", self.validate(self.default, where=f"spec {self.name!r} default"))

    def validate(self, value: Any, *, where: str | None = None) -> tuple[Any, Any]:
        part = self._name_part(where)
        if _is_number(value):
            v = _check_number(self, value, where, self.integer)
            return (v, v)
        if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
            raise ParamError(
                f"{part}{value!r} is not a [low, high] pair or a number; allowed: "
                f"a number or a pair inside [{_fmt(self.low)}, {_fmt(self.high)}]{self._unit_suffix()}"
            )
        if len(value) != 2:
            raise ParamError(
                f"{part}{list(value)!r} has {len(value)} items; allowed: a [low, high] pair "
                f"inside [{_fmt(self.low)}, {_fmt(self.high)}]{self._unit_suffix()}"
            )
        lo = _check_number(self, value[0], where, self.integer)
        hi = _check_number(self, value[1], where, self.integer)
        if lo > hi:
            raise ParamError(f"{part}[{_fmt(lo)}, {_fmt(hi)}] has low > high; allowed: low <= high")
        return (lo, hi)

    def to_json(self, value: Any) -> list[Any]:
        return [value[0], value[1]]

    @property
    def random(self) -> bool:
        return True

    def sample(self, value: tuple[Any, Any], rng: np.random.Generator) -> Any:
        lo, hi = value
        u = rng.random()  # always one draw, so fixed and ranged values consume alike
        if lo == hi:
            return lo
        if self.integer:
            return int(min(hi, lo + math.floor(u * (hi - lo + 1))))
        if self.log and lo > 0:
            return float(math.exp(math.log(lo) + u * (math.log(hi) - math.log(lo))))
        return float(lo + u * (hi - lo))

    def draw(self, value: tuple[Any, Any], rng: np.random.Generator) -> Any:
        return value[0] if value[0] == value[1] else self.sample(value, rng)

    def sample_batch(self, value: tuple[Any, Any], rng: np.random.Generator, n: int) -> np.ndarray:
        lo, hi = value
        u = rng.random(n)
        if self.integer:
            return np.minimum(hi, lo + np.floor(u * (hi - lo + 1))).astype(np.int64)
        if lo == hi:
            return np.full(n, float(lo))
        if self.log and lo > 0:
            return np.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
        return lo + u * (hi - lo)

    def describe(self) -> str:
        d = self.default
        return (
            f"range inside [{_fmt(self.low)}, {_fmt(self.high)}]{self._unit_suffix()}, "
            f"default [{_fmt(d[0])}, {_fmt(d[1])}]"
        )


@dataclass(frozen=True)
class Choice(Param):
    """One of a fixed set of options (strings or numbers)."""

    options: tuple[Any, ...] = field(default_factory=tuple)
    default: Any = None
    doc: str = ""
    unit: str = ""
    kind: ClassVar[str] = "choice"

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        if not self.options:
            raise ParamError(f"spec {self.name!r}: needs at least one option")
        self.validate(self.default, where=f"spec {self.name!r} default")

    def validate(self, value: Any, *, where: str | None = None) -> Any:
        for option in self.options:
            if type(option) is type(value) and option == value:
                return option
            if _is_number(option) and _is_number(value) and option == value:
                return option
        raise ParamError(
            f"{self._name_part(where)}{value!r} is not allowed; allowed: "
            + ", ".join(repr(o) for o in self.options)
        )

    def describe(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options) + f"; default {self.default!r}"


@dataclass(frozen=True)
class Bool(Param):
    """A switch."""

    default: bool = False
    doc: str = ""
    unit: str = ""
    kind: ClassVar[str] = "bool"

    def __post_init__(self) -> None:
        self.validate(self.default, where=f"spec {self.name!r} default")

    def validate(self, value: Any, *, where: str | None = None) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise ParamError(f"{self._name_part(where)}{value!r} is not allowed; allowed: true or false")
        return bool(value)

    def describe(self) -> str:
        return f"true/false, default {str(self.default).lower()}"


@dataclass(frozen=True)
class Text(Param):
    """A short free-text value (a word list, a folder path); a UI shows a text box."""

    default: str = ""
    doc: str = ""
    unit: str = ""
    max_length: int = 2000
    kind: ClassVar[str] = "text"

    def __post_init__(self) -> None:
        object.__setattr__(self, "default", self.validate(self.default, where=f"spec {self.name!r} default"))

    def validate(self, value: Any, *, where: str | None = None) -> str:
        if not isinstance(value, str):
            raise ParamError(f"{self._name_part(where)}{value!r} is not allowed; allowed: a string")
        problem = text_problem(value)
        if problem:
            raise ParamError(f"{self._name_part(where)}{value!r} contains {problem}; "
                             "allowed: text that UTF-8 can store")
        if len(value) > self.max_length:
            raise ParamError(
                f"{self._name_part(where)}a string of {len(value)} characters is too long; "
                f"allowed: at most {self.max_length}"
            )
        return value

    def describe(self) -> str:
        return f"text, default {self.default!r}"


@dataclass(frozen=True)
class Source(Param):
    """Where data for a transform come from: a bundled option by name, or
    ``"folder:<path>"`` — a folder of the user's own files (a UI shows a menu of the
    options and a folder field).

    Subclasses say what a usable folder holds by overriding :meth:`check_folder`.

    Example
    -------
    >>> s = Source("source", ("babble", "rain"), "babble", doc="Background.")
    >>> s.validate("rain"), s.folder("rain")
    ('rain', None)
    """

    options: tuple[str, ...] = field(default_factory=tuple)
    default: str = ""
    doc: str = ""
    unit: str = ""
    kind: ClassVar[str] = "source"
    PREFIX: ClassVar[str] = "folder:"

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        if not self.options or not all(isinstance(o, str) for o in self.options):
            raise ParamError(f"spec {self.name!r}: needs at least one option name")
        if self.default not in self.options:
            raise ParamError(f"spec {self.name!r}: the default must be one of the options")

    def folder(self, value: str) -> str | None:
        """The folder a ``"folder:<path>"`` value names (``None`` for an option)."""
        return value[len(self.PREFIX):] if value.startswith(self.PREFIX) else None

    def check_folder(self, path: str, where: str | None) -> None:
        """Raise :class:`ParamError` unless ``path`` is a usable folder."""
        from pathlib import Path

        if not Path(path).expanduser().is_dir():
            raise ParamError(f"{self._name_part(where)}{self.PREFIX}{path!r}: folder does not exist")

    def validate(self, value: Any, *, where: str | None = None) -> str:
        if isinstance(value, str):
            if value in self.options:
                return value
            path = self.folder(value)
            if path is not None and path.strip():
                self.check_folder(path, where)
                return value
        raise ParamError(
            f"{self._name_part(where)}{value!r} is not allowed; allowed: "
            + ", ".join(repr(o) for o in self.options)
            + f" or '{self.PREFIX}<path to a folder>'"
        )

    def describe(self) -> str:
        return ("one of " + ", ".join(repr(o) for o in self.options)
                + f", or '{self.PREFIX}<folder>'; default {self.default!r}")
