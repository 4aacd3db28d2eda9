"""The Transform base class.

A transform is an immutable value: an ``id``, its parameter values (validated against
``PARAMS``) and a probability ``p``. Sampling and applying are kept apart:

- ``sample(rng, x)`` draws concrete, JSON-safe values (``{"angle": 12.3}``); noise-like
  transforms also draw a ``seed`` so that ``apply`` stays pure;
- ``apply(x, **values)`` computes; same values in, same bytes out.
"""

from __future__ import annotations

import html
import inspect
import keyword
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np

from ._plan import SEED_HIGH as _SEED_HIGH
from ._plan import Roll, compile_plan
from .errors import InputError, ParamError
from .params import Float, Int, Param
from .rng import RngLike, as_generator

__all__ = ["P_SPEC", "Transform"]

P_SPEC = Float("p", 0.0, 1.0, 1.0, step=0.05, doc="Probability that the transform is applied.")
# sampling draws 31-bit seeds; a replayed value may be any 32-bit seed (what other libraries
# such as albumentations record), which every kernel's generator accepts
_SEED_SPEC = Int("seed", 0, 2**32 - 1, 0, doc="Seed of the noise one application draws.")
_POSITION_SPEC = Float("position", 0.0, 1.0, 0.0, doc="Where a crop or patch sits (0..1).")


def _rebuild(cls: type[Transform], p: float, params: dict[str, Any]) -> Transform:
    return cls(p=p, **params)


class Transform:
    """Base class of every registered transform.

    Subclasses set ``PARAMS`` (a tuple of specs), ``label_risk`` (what labels it can
    break), ``family`` (for grouping in the catalogue) and implement ``apply``.
    ``uses_seed = True`` makes ``sample`` add a ``seed`` for the noise ``apply`` draws.
    """

    id: ClassVar[str] = ""
    modality: ClassVar[str] = ""
    family: ClassVar[str] = "other"
    PARAMS: ClassVar[tuple[Param, ...]] = ()
    label_risk: ClassVar[str] = ""
    uses_seed: ClassVar[bool] = False
    #: False for transforms whose output size differs from the input (crops, stretch).
    keeps_shape: ClassVar[bool] = True
    #: a preparation step (registered with ``register_preprocess``), run in a recipe's ``preprocess``
    is_preprocess: ClassVar[bool] = False
    #: Widgets switch to ``continuous_update=False`` for slow transforms.
    slow: ClassVar[bool] = False
    #: Whether the transform moves content to other positions (flips, warps, crops).
    #: Those that do describe the move with :meth:`geometry` where one matrix can.
    moves_pixels: ClassVar[bool] = False

    __slots__ = ("_p", "_params", "_plan", "_run")
    #: the step protocol shared with OneOf/SomeOf (see :mod:`augviz.core.recipe`)
    kind: ClassVar[str] = "transform"

    @property
    def children(self) -> tuple[Transform, ...]:
        """A transform is a step whose only child is itself."""
        return (self,)

    def with_children(self, children: Any) -> Transform:
        """The step protocol's rebuild: a transform step holds exactly one transform."""
        children = tuple(children)
        if len(children) != 1 or not isinstance(children[0], Transform):
            raise InputError(f"a transform step holds one transform; got {len(children)} items")
        return children[0]

    def __init__(self, p: float = 1.0, **params: Any) -> None:
        self._set(p, params, None)

    @classmethod
    def build(cls, p: Any, params: Mapping[str, Any], path: str) -> Transform:
        """The constructor for data read from a file: the same checks, with errors
        located at the JSON path (``steps[0].params.angle: ...``)."""
        obj = cls.__new__(cls)
        obj._set(p, params, path)
        return obj

    def _set(self, p: Any, params: Mapping[str, Any], path: str | None) -> None:
        specs = {s.name: s for s in self.PARAMS}
        unknown = [k for k in params if k not in specs]
        if unknown:
            if path is not None:
                raise ParamError(f"{path}.params.{unknown[0]}: unknown parameter of {self._label()}; "
                                 f"allowed: {', '.join(specs) or '(none)'}")
            allowed = ", ".join(["p", *specs]) or "p"
            raise ParamError(f"{self._label()}: unknown parameter {sorted(unknown)[0]!r}; allowed: {allowed}")
        values = {
            name: spec.validate(params.get(name, spec.default),
                                where=self._label() if path is None else f"{path}.params.{name}")
            for name, spec in specs.items()
        }
        p = P_SPEC.validate(p, where=self._label() if path is None else f"{path}.p")
        object.__setattr__(self, "_p", p)
        object.__setattr__(self, "_params", values)
        object.__setattr__(self, "_plan", self._make_plan(values))

    def _make_plan(self, params: Mapping[str, Any]) -> Roll:
        # what one call of ``sample`` draws, compiled once per instance (see ``_plan``)
        return compile_plan(self.PARAMS, params, self._p, compact=self.compact_draws,
                         uses_seed=self.uses_seed, split=self.SPLIT, positions=self.POSITIONS)

    #: what a modality's kernels take besides the data and the values (audio: the sample rate)
    KERNEL_EXTRA: ClassVar[tuple[str, ...]] = ()

    def _call_kernel(self, data: Any, gen: np.random.Generator, x: Any, *extra: Any) -> Any:
        """A modality call's work: the kernel's output for ``data``, or ``None`` when the
        coin says skip. ``x`` is the input as given (for a ``sample`` that looks at it);
        ``extra`` the values of :attr:`KERNEL_EXTRA`. A transform that is one kernel call
        runs its compiled call; any other draws and calls ``_apply``."""
        try:
            run = self._run
        except AttributeError:
            run = self._compile_run()
        if run is not None:
            return run(data, gen, *extra)
        values = self._plan(gen) if self._plain_sample else self._roll(gen, x)
        if values is None:
            return None
        return self._apply(data, **dict(zip(self.KERNEL_EXTRA, extra, strict=True)), **values)

    def _compile_run(self) -> Any:
        """The call of a transform that is one kernel call, compiled on its first call and
        kept: ``run(data, gen, *extra)`` draws the coin and the values and returns
        ``kernel(data, <extra>=..., <values>)``, or ``None`` when the coin says skip (see
        ``_plan.compile_plan``). ``None`` where the class draws or applies another way."""
        cls = type(self)
        run = None
        if cls._kernel_only and cls._plain_sample and cls.kernel is not None:
            run = compile_plan(self.PARAMS, self._params, self._p, compact=cls.compact_draws,
                               uses_seed=cls.uses_seed, split=cls.SPLIT, positions=cls.POSITIONS,
                               fixed=self._kernel_values(), kernel=cls.kernel, extra=cls.KERNEL_EXTRA)
        object.__setattr__(self, "_run", run)
        return run

    def _kernel_values(self) -> Mapping[str, Any]:
        """Fixed values the kernel takes in another form than ``sample`` gives them (a name
        mapped to ``_plan.LEAVE_OUT`` is not passed); a modality base whose ``_apply``
        converts values before the kernel says here how, for the compiled call."""
        return {}

    def choose(self, stream: np.random.Generator) -> tuple[int, ...]:
        """The step protocol's draw: which children one call applies (here: itself,
        with probability ``p``)."""
        return (0,) if stream.random() < self._p else ()

    def choose_batch(self, stream: np.random.Generator, n: int) -> list[np.ndarray]:
        """For ``n`` items already past the step's ``p``: one mask per child."""
        return [np.ones(n, bool)]

    # -- value semantics -----------------------------------------------------------
    def _label(self) -> str:
        return self.id or type(self).__name__

    @property
    def p(self) -> float:
        """Probability that the transform is applied."""
        return self._p

    @property
    def params(self) -> Mapping[str, Any]:
        """The validated parameter values (read-only)."""
        return MappingProxyType(self._params)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use with_params()")

    def with_params(self, **changes: Any) -> Transform:
        """A copy with some parameters (or ``p``) changed.

        Example
        -------
        >>> from augviz.image import Rotate
        >>> Rotate(angle=10).with_params(angle=20).params["angle"]
        (20.0, 20.0)
        """
        p = changes.pop("p", self._p)
        return type(self)(p=p, **{**self._params, **changes})

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._p == other._p and self._params == other._params  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).id, self._p, tuple(sorted(self._params.items()))))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._p, dict(self._params)))

    def __repr__(self) -> str:
        args = [f"{k}={v!r}" for k, v in self._params.items()]
        if self._p != 1.0:
            args.append(f"p={self._p!r}")
        return f"{type(self).__name__}({', '.join(args)})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(s.name)}</td><td>{html.escape(repr(self._params[s.name]))}</td>"
            f"<td>{html.escape(s.doc)}</td></tr>"
            for s in self.PARAMS
        )
        return (
            f"<b>{html.escape(self.id)}</b> (p={self._p:g})<br><i>label risk:</i> "
            f"{html.escape(self.label_risk)}<table>{rows}</table>"
        )

    # -- JSON ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The recipe-JSON form of this step."""
        return {
            "transform": self.id,
            "p": self._p,
            "params": {s.name: s.to_json(self._params[s.name]) for s in self.PARAMS},
        }

    # -- sampling / applying -------------------------------------------------------
    #: ``{"translate": ("translate_x", "translate_y")}``: draw one Range spec once per
    #: listed value name (the spec's own name is not a value), so that each drawn
    #: number stays explicit (JSON-safe, replayable) rather than hidden in a seed.
    SPLIT: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: value names of uniform [0, 1) draws (e.g. where a crop sits), resolved against
    #: the input's size by the kernel.
    POSITIONS: ClassVar[tuple[str, ...]] = ()
    #: How values are drawn from the stream. ``False`` (images, audio): every range takes
    #: one draw even when fixed, and the seed is ``integers(0, 2**31 - 1)``. ``True``
    #: (text, whose kernels take microseconds): a fixed range takes no draw and the seed
    #: is 31 bits of one raw word. Both layouts are kept so saved recipes replay the
    #: same bytes; a new modality should take ``True``.
    compact_draws: ClassVar[bool] = False

    def sample(self, rng: RngLike = None, x: Any = None) -> dict[str, Any]:
        """Draw the concrete values for one application (JSON-safe)."""
        return self._roll(as_generator(rng), x, coin=False)  # type: ignore[return-value]

    def sample_batch(self, rng: RngLike, n: int, xs: Any = None) -> dict[str, Any]:
        """Draw values for ``n`` applications at once: a dict of length-``n`` columns."""
        return self._draw(as_generator(rng), n)

    def _roll(self, gen: np.random.Generator, x: Any = None, coin: bool = True) -> dict[str, Any] | None:
        """One call's draws: the ``p`` coin (with ``coin``), then what ``sample`` draws;
        ``None`` when the coin says skip. The stream is consumed exactly as
        ``gen.random()`` then ``sample`` would consume it."""
        if coin and not self._plain_sample:
            return None if gen.random() >= self._p else self.sample(gen, x)
        return self._plan(gen, coin)

    def _draw(self, gen: np.random.Generator, n: int | None) -> dict[str, Any]:
        # the batch sampler: the specs in order, the seed, the SPLIT extras, the positions
        if n is None:
            return self._roll(gen, coin=False)  # type: ignore[return-value]
        params = self._params
        values = {s.name: s.sample_batch(params[s.name], gen, n) for s in self.PARAMS}
        if self.uses_seed:
            values["seed"] = gen.integers(0, _SEED_HIGH, size=n)
        if self.SPLIT or self.POSITIONS:
            specs = self.param_specs()
            for name, names in self.SPLIT.items():
                values[names[0]] = values.pop(name)
                for extra in names[1:]:
                    values[extra] = specs[name].sample_batch(params[name], gen, n)
            for name in self.POSITIONS:
                values[name] = gen.random(n)
        return values

    def geometry(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray | None:
        """Where one application with ``values`` sends each point of an input of
        ``shape``: a 3×3 forward matrix on homogeneous pixel coordinates
        ``(x right, y down, 1)``, pixel centres at integers.

        ``None`` for a transform that moves nothing (``moves_pixels`` is False) or whose
        move is not one matrix (a warp field) — what targets such as boxes and
        keypoints need in order to follow the data.
        """
        return None

    def point_map(self, values: Mapping[str, Any], shape: tuple[int, ...]) -> Any:
        """For a move that is no matrix (a warp field): ``(map_x, map_y)``, for each
        output pixel the source point (x, y) it is read from, in pixel coordinates.

        ``None`` where :meth:`geometry` describes the move or nothing moves.
        """
        return None

    @classmethod
    def value_names(cls) -> tuple[str, ...]:
        """The names of the values ``sample`` draws (the kernel's keyword arguments)."""
        names = [s.name for s in cls.PARAMS if s.name not in cls.SPLIT]
        if cls.uses_seed:
            names.append("seed")
        for split in cls.SPLIT.values():
            names.extend(split)
        return (*names, *cls.POSITIONS)

    #: The pure function that computes: called as ``kernel(data, **values)`` with the
    #: spec names as keywords (a modality base decides what ``data`` is). Transforms
    #: whose work is not one kernel call override :meth:`_apply` instead.
    kernel: ClassVar[Callable[..., Any] | None] = None
    #: whether ``sample`` is the base's (then a call draws through the precomputed plan)
    _plain_sample: ClassVar[bool] = True
    #: whether ``_apply`` is the one kernel call of the class's base (then a call goes through
    #: the compiled ``_compile_run``)
    _kernel_only: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kernel = cls.__dict__.get("kernel")
        if inspect.isfunction(kernel) or inspect.isbuiltin(kernel):
            cls.kernel = staticmethod(kernel)  # a plain function, not a method
        cls._plain_sample = cls.sample is Transform.sample
        cls._kernel_only = cls._apply is Transform._apply
        # values reach the kernel as keyword arguments: their names must be able to be ones
        names = [s.name for s in cls.PARAMS] + [n for split in cls.SPLIT.values() for n in split]
        bad = [n for n in (*names, *cls.POSITIONS) if not n.isidentifier() or keyword.iskeyword(n)]
        if bad:
            raise ParamError(f"{cls.__name__}: value name {bad[0]!r} is not allowed; allowed: a Python "
                             "identifier that is not a keyword (kernels are called by keyword)")

    def _apply(self, data: Any, **values: Any) -> Any:
        kernel = type(self).kernel
        if kernel is None:  # pragma: no cover - caught by the contract tests
            raise NotImplementedError(f"{self._label()} declares neither kernel nor _apply")
        return kernel(data, **values)

    def apply(self, x: Any, **values: Any) -> Any:
        """Apply with concrete ``values`` (pure: same values in, same bytes out).

        Modality bases convert ``x`` to the kernel's data and back around :meth:`_apply`.
        """
        return self._apply(x, **values)

    def apply_batch(self, xs: Any, values: Mapping[str, Any]) -> Any:
        """Apply to a batch (``xs[i]`` with ``values[k][i]``).

        The default loops; transforms override it with one array operation. An
        ``ndarray`` batch whose items keep their shape comes back as an ``ndarray``.
        """
        if not isinstance(xs, np.ndarray):
            return [self.apply(x, **{k: _item(col[i]) for k, col in values.items()})
                    for i, x in enumerate(xs)]
        block = np.empty_like(xs)  # filled item by item while every item keeps its shape
        out: list[Any] | None = None
        for i, x in enumerate(xs):
            o = self.apply(x, **{k: _item(col[i]) for k, col in values.items()})
            if out is None and isinstance(o, np.ndarray) and o.shape == xs.shape[1:] \
                    and o.dtype == xs.dtype:
                block[i] = o
                continue
            if out is None:
                out = [block[j].copy() for j in range(i)]
            out.append(o)
        return block if out is None else out

    def check_input(self, x: Any) -> None:
        """Raise :class:`InputError` if ``x`` is not data of this modality."""

    def __call__(self, x: Any, rng: RngLike = None) -> Any:
        """Sample and apply (with probability ``p``)."""
        self.check_input(x)
        values = self._roll(rng if type(rng) is np.random.Generator else as_generator(rng), x)
        if values is None:
            return x
        return self.apply(x, **values)

    def replay(self, x: Any, values: Mapping[str, Any]) -> Any:
        """Re-apply recorded ``values`` (from ``sample`` or a recipe trace)."""
        self.check_input(x)
        return self.apply(x, **self.check_values(values, where=f"{self._label()}.replay"))

    def check_values(self, values: Any, *, where: str) -> dict[str, Any]:
        """``values`` as ``sample`` would have drawn them, or :class:`InputError` naming
        the value at fault: exactly :meth:`value_names`, each inside its spec (a drawn
        range value is one number of the range's bounds; ``seed`` a 32-bit integer;
        positions numbers in [0, 1])."""
        if not isinstance(values, Mapping):
            raise InputError(f"{where}: values must be a dict of drawn values; got {type(values).__name__}")
        names = self.value_names()
        missing = [n for n in names if n not in values]
        unknown = [str(k) for k in values if k not in names]
        if missing or unknown:
            problem = f"missing {missing[0]!r}" if missing else f"unknown value {unknown[0]!r}"
            raise InputError(f"{where}: {problem}; {self._label()} draws: {', '.join(names) or '(nothing)'}")
        specs = self.param_specs()
        source = {extra: name for name, extras in self.SPLIT.items() for extra in extras}
        out: dict[str, Any] = {}
        for name in names:
            value, at = _item(values[name]), f"{where}.{name}"
            spec = specs.get(source.get(name, name))
            try:
                if name == "seed" and self.uses_seed:
                    _SEED_SPEC.validate(value, where=at)
                elif name in self.POSITIONS:
                    _POSITION_SPEC.validate(value, where=at)
                elif spec is not None and spec.random:
                    # a drawn value: one number inside the range's bounds
                    if isinstance(value, (bool, str, bytes)) or not isinstance(value, (int, float)):
                        raise ParamError(f"{at}: {value!r} is not a number; {name} is one number "
                                         f"drawn from {spec.describe()}")
                    spec.validate(value, where=at)
                elif spec is not None:
                    value = spec.validate(value, where=at)
            except ParamError as exc:
                raise InputError(str(exc)) from None
            out[name] = value
        return out

    @classmethod
    def param_specs(cls) -> dict[str, Param]:
        """The specs by name, ``p`` included (what a UI builds controls from)."""
        return {"p": P_SPEC, **{s.name: s for s in cls.PARAMS}}

    @classmethod
    def doc_line(cls) -> str:
        """First sentence of the docstring, joined onto one line."""
        paragraph = inspect.cleandoc(cls.__doc__ or "").split("\n\n", 1)[0]
        text = " ".join(paragraph.split())
        end = _SENTENCE_END.search(text)
        return text[: end.end()] if end else text


# A full stop (or ! ?) followed by a capital letter or the end: "et al. 2003" does not end a sentence.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z`]|$)")


def _item(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
