"""Recipes: ordered augmentation steps, their JSON form (format version 1) and runs.

Each top-level step draws from its own random stream (derived from one word per call
and the step's index), so disabling, or changing, one step never changes what the
other steps draw.
"""

from __future__ import annotations

import copy
import difflib
import html
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ._version import __version__
from .errors import InputError, ParamError, RecipeError
from .registry import MODALITIES
from .registry import get as get_transform
from .rng import RngLike, as_generator, root_word, step_stream
from .transform import P_SPEC, Transform

__all__ = ["FORMAT", "MIGRATIONS", "VERSION", "OneOf", "Recipe", "SomeOf"]

FORMAT = "augviz.recipe"
VERSION = 1
#: ``MIGRATIONS[n]`` turns a version-``n`` dict into a version-``n+1`` dict.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


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

    def __init__(self, steps: Iterable[Transform], p: float = 1.0) -> None:
        object.__setattr__(self, "_steps", _check_children(steps, "OneOf"))
        object.__setattr__(self, "_p", _check_p(p, "OneOf"))

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

    def __init__(self, steps: Iterable[Transform], n: int = 1, p: float = 1.0) -> None:
        children = _check_children(steps, "SomeOf")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(children):
            raise InputError(f"SomeOf n={n!r} is not allowed; allowed: an int in [1, {len(children)}]")
        object.__setattr__(self, "_steps", children)
        object.__setattr__(self, "_n", int(n))
        object.__setattr__(self, "_p", _check_p(p, "SomeOf"))

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


class Recipe:
    """An ordered list of augmentation steps with a JSON form that loads back identically.

    Parameters
    ----------
    steps : list of Transform, OneOf or SomeOf
    modality : str, optional
        Inferred from the steps; required for an empty recipe.
    seed : int, optional
        Seed of the recipe's own stream, used when a call gives no ``rng``. ``None``
        means fresh entropy for every call.
    name : str
    meta : dict
        Free-form JSON-safe notes (e.g. lab evidence under ``meta["lab"]``).
    enabled : list of bool, optional
        A disabled step is skipped but keeps its random stream.

    Example
    -------
    >>> import numpy as np
    >>> from augviz import Recipe
    >>> from augviz.image import HorizontalFlip, Rotate
    >>> recipe = Recipe([Rotate(angle=(-15, 15)), HorizontalFlip(p=0.5)], seed=0)
    >>> img = np.zeros((32, 32, 3), np.uint8)
    >>> out = recipe(img, rng=1)
    >>> Recipe.from_dict(recipe.to_dict()) == recipe
    True
    """

    def __init__(
        self,
        steps: Iterable[Step] = (),
        *,
        modality: str | None = None,
        seed: int | None = None,
        name: str = "",
        meta: Mapping[str, Any] | None = None,
        enabled: Sequence[bool] | None = None,
    ) -> None:
        if isinstance(steps, (Transform, OneOf, SomeOf)):
            steps = [steps]
        steps = tuple(steps)
        for i, s in enumerate(steps):
            if not isinstance(s, (Transform, OneOf, SomeOf)):
                raise InputError(
                    f"recipe step {i} is a {type(s).__name__}; allowed: a Transform, OneOf or SomeOf"
                )
        found = sorted({s.modality for s in steps})
        if len(found) > 1:
            raise RecipeError(f"a recipe has one modality; its steps mix {found}")
        if modality is None:
            if not found:
                raise RecipeError("an empty recipe needs modality= (e.g. 'image')")
            modality = found[0]
        if modality not in MODALITIES:
            raise RecipeError(
                f"modality {modality!r} is not allowed; allowed: {', '.join(sorted(MODALITIES))}"
            )
        if found and found[0] != modality:
            raise RecipeError(f"modality={modality!r} but the steps are {found[0]!r} transforms")
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
        ):
            raise RecipeError(f"seed={seed!r} is not allowed; allowed: a non-negative int or None")
        if enabled is None:
            enabled = [True] * len(steps)
        if len(enabled) != len(steps):
            raise RecipeError(f"enabled has {len(enabled)} flags for {len(steps)} steps")
        self._steps: tuple[Step, ...] = steps
        self._enabled = tuple(bool(e) for e in enabled)
        self.modality: str = modality
        self.seed: int | None = None if seed is None else int(seed)
        self.name = str(name)
        self.meta: dict[str, Any] = copy.deepcopy(dict(meta or {}))
        #: the augviz version that wrote the JSON this recipe was loaded from
        self.written_by: str | None = None
        self._stream: np.random.Generator | None = None

    # -- container -----------------------------------------------------------------
    @property
    def steps(self) -> tuple[Step, ...]:
        return self._steps

    @property
    def enabled(self) -> tuple[bool, ...]:
        return self._enabled

    def __len__(self) -> int:
        return len(self._steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self._steps)

    def __getitem__(self, i: int) -> Step:
        return self._steps[i]

    def replace(self, **changes: Any) -> Recipe:
        """A copy with some of ``steps``, ``modality``, ``seed``, ``name``, ``meta`` or
        ``enabled`` changed (the copy starts its own stream afresh).

        Example
        -------
        >>> from augviz.image import Rotate
        >>> Recipe([Rotate()], seed=1).replace(name="mild").name
        'mild'
        """
        args: dict[str, Any] = {
            "steps": self._steps,
            "modality": self.modality,
            "seed": self.seed,
            "name": self.name,
            "meta": self.meta,
            "enabled": self._enabled,
        }
        unknown = sorted(set(changes) - set(args))
        if unknown:
            raise InputError(f"Recipe.replace: unknown field {unknown[0]!r}; allowed: {', '.join(args)}")
        args.update(changes)
        if "steps" in changes and "enabled" not in changes:
            args["enabled"] = None
        return Recipe(args.pop("steps"), **args)

    def set_enabled(self, index: int, enabled: bool) -> Recipe:
        """A copy with step ``index`` enabled or disabled (streams of others unchanged)."""
        self._check_index(index)
        flags = list(self._enabled)
        flags[index] = enabled
        return self.replace(enabled=flags)

    def append(self, step: Step) -> Recipe:
        """A copy with ``step`` added at the end."""
        return self.replace(steps=(*self._steps, step), enabled=(*self._enabled, True))

    def _check_index(self, index: int) -> None:
        if not -len(self._steps) <= index < len(self._steps):
            raise InputError(f"step index {index} is out of range for {len(self._steps)} steps")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Recipe):
            return NotImplemented
        return (
            self._steps == other._steps
            and self._enabled == other._enabled
            and self.modality == other.modality
            and self.seed == other.seed
            and self.name == other.name
            and self.meta == other.meta
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        extra = f", seed={self.seed}" if self.seed is not None else ""
        extra += f", name={self.name!r}" if self.name else ""
        return f"Recipe({list(self._steps)!r}, modality={self.modality!r}{extra})"

    def _repr_html_(self) -> str:
        rows = []
        for i, (step, on) in enumerate(zip(self._steps, self._enabled, strict=False)):
            children = [step] if isinstance(step, Transform) else list(step.steps)
            group = "" if isinstance(step, Transform) else f"{step.kind} (p={step.p:g})"
            if isinstance(step, SomeOf):
                group = f"some_of n={step.n} (p={step.p:g})"
            for j, t in enumerate(children):
                params = ", ".join(f"{k}={v!r}" for k, v in t.params.items())
                style = "" if on else " style='opacity:0.45;text-decoration:line-through'"
                rows.append(
                    f"<tr{style}><td>{i if j == 0 else ''}</td><td>{html.escape(group if j == 0 else '')}"
                    f"</td><td><code>{html.escape(t.id)}</code></td><td>{t.p:g}</td>"
                    f"<td>{html.escape(params)}</td><td>{html.escape(t.label_risk)}</td></tr>"
                )
        title = html.escape(self.name or "recipe")
        seed = "none" if self.seed is None else self.seed
        return (
            f"<div><b>{title}</b> — {self.modality}, {len(self._steps)} steps, seed {seed}"
            "<table><thead><tr><th>#</th><th>group</th><th>transform</th><th>p</th>"
            f"<th>params</th><th>label risk</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )

    # -- randomness ----------------------------------------------------------------
    def reseed(self, seed: int | None = None) -> None:
        """Restart the recipe's own stream (used when a call gives no ``rng``)."""
        if seed is not None:
            self.seed = self.replace(seed=seed).seed
        self._stream = None

    def _word(self, rng: RngLike) -> int:
        if rng is None and self.seed is not None:
            if self._stream is None:
                self._stream = as_generator(self.seed)
            rng = self._stream
        return root_word(rng)

    # -- running -------------------------------------------------------------------
    def _check_input(self, x: Any) -> None:
        # all steps share one modality, so the first transform's check speaks for all
        if self._steps:
            first = self._steps[0]
            (first if isinstance(first, Transform) else first.steps[0]).check_input(x)

    def __call__(self, x: Any, rng: RngLike = None) -> Any:
        """Augment one item.

        ``rng`` (int, Generator or None) makes the call reproducible; without it the
        recipe's ``seed`` stream (or fresh entropy) is used.
        """
        return self._run(x, rng, None)

    def trace(self, x: Any, rng: RngLike = None) -> tuple[Any, list[dict[str, Any]]]:
        """Augment one item and return ``(output, records)``.

        Each record has ``path`` (e.g. ``"steps[1].one_of[0]"``), ``transform``,
        ``applied`` and the sampled ``values`` — replayable with :meth:`replay`.
        """
        records: list[dict[str, Any]] = []
        return self._run(x, rng, records), records

    def replay(self, x: Any, records: Sequence[Mapping[str, Any]]) -> Any:
        """Re-apply the values recorded by :meth:`trace`."""
        self._check_input(x)
        for rec in records:
            if rec.get("applied") and rec.get("values") is not None:
                x = self.at(rec["path"]).apply(x, **rec["values"])
        return x

    def at(self, path: str) -> Transform:
        """The transform at a trace/JSON path such as ``"steps[1].one_of[0]"``."""
        try:
            head, _, tail = path.partition(".")
            step = self._steps[int(head[len("steps[") : -1])]
            if tail:
                step = step.steps[int(tail.split("[")[1].rstrip("]"))]  # type: ignore[union-attr]
        except (ValueError, IndexError, AttributeError):
            raise InputError(f"no transform at path {path!r} in this recipe") from None
        if not isinstance(step, Transform):
            raise InputError(f"path {path!r} names a group, not a transform")
        return step

    def _run(self, x: Any, rng: RngLike, records: list[dict[str, Any]] | None) -> Any:
        self._check_input(x)
        word = self._word(rng)
        for i, step in enumerate(self._steps):
            stream = step_stream(word, i)
            path = f"steps[{i}]"
            if not self._enabled[i]:
                if records is not None:
                    records.append(
                        {
                            "path": path,
                            "transform": _name(step),
                            "applied": False,
                            "enabled": False,
                            "values": None,
                        }
                    )
                continue
            if isinstance(step, Transform):
                x = _apply_one(step, x, stream, path, records, force=False)
                continue
            if stream.random() >= step.p:
                if records is not None:
                    records.append({"path": path, "transform": _name(step), "applied": False, "values": None})
                continue
            if isinstance(step, OneOf):
                j = int(stream.choice(len(step.steps), p=step.weights()))
                x = _apply_one(step.steps[j], x, stream, f"{path}.one_of[{j}]", records, force=True)
            else:
                chosen = np.sort(stream.permutation(len(step.steps))[: step.n])
                for j in chosen:
                    x = _apply_one(step.steps[j], x, stream, f"{path}.some_of[{j}]", records, force=True)
        return x

    def batch(self, xs: Any, rng: RngLike = None) -> Any:
        """Augment a batch: an ``N×…`` array (fast path) or a list of items.

        Every step samples all items at once and applies one batched call per transform
        (vectorised where the transform supports it). Results are reproducible for a
        seed but differ from calling the recipe item by item.
        """
        if isinstance(xs, np.ndarray):
            if xs.ndim < 2:
                raise InputError(f"a batch array needs a leading item axis; got shape {xs.shape}")
            cur: Any = xs.copy()  # steps write into the batch; the caller's array stays intact
        elif isinstance(xs, Iterable) and not isinstance(xs, (str, bytes)):
            cur = list(xs)
        else:
            raise InputError(f"batch takes an N×… array or a list of items; got {type(xs).__name__}")
        n = len(cur)
        if n == 0:
            return cur
        if isinstance(cur, list):
            for item in cur:
                self._check_input(item)
        else:
            self._check_input(cur[0])
        word = self._word(rng)
        for i, step in enumerate(self._steps):
            if not self._enabled[i]:
                continue
            stream = step_stream(word, i)
            mask = stream.random(n) < step.p
            idx = np.flatnonzero(mask)
            if isinstance(step, Transform):
                cur = _apply_batch(step, cur, idx, stream)
            elif isinstance(step, OneOf):
                which = stream.choice(len(step.steps), size=len(idx), p=step.weights())
                for j, child in enumerate(step.steps):
                    cur = _apply_batch(child, cur, idx[which == j], stream)
            else:
                order = np.argsort(stream.random((len(idx), len(step.steps))), axis=1)
                chosen = np.zeros((len(idx), len(step.steps)), bool)
                np.put_along_axis(chosen, order[:, : step.n], True, axis=1)
                for j, child in enumerate(step.steps):
                    cur = _apply_batch(child, cur, idx[chosen[:, j]], stream)
        return cur

    # -- JSON ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The recipe as a JSON-safe dict (format ``augviz.recipe`` version 1)."""
        steps = []
        for step, on in zip(self._steps, self._enabled, strict=False):
            d = step.to_dict()
            if not on:
                d["enabled"] = False
            steps.append(d)
        meta = copy.deepcopy(self.meta)
        meta.setdefault("augviz", __version__)
        return {
            "format": FORMAT,
            "version": VERSION,
            "modality": self.modality,
            "seed": self.seed,
            "name": self.name,
            "steps": steps,
            "meta": meta,
        }

    def to_json(self) -> str:
        """Readable JSON: one key per line, short arrays (ranges) kept on one line."""
        return _dumps(self.to_dict(), "")

    @classmethod
    def from_dict(cls, data: Any) -> Recipe:
        """Build a recipe from its JSON dict; any problem is a :class:`RecipeError`
        naming the JSON path and what is allowed. Never executes code."""
        return _parse_recipe(data)

    @classmethod
    def from_json(cls, text: str, *, source: str = "recipe") -> Recipe:
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise RecipeError(
                f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                "is the file truncated?"
            ) from None
        return cls.from_dict(data)

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the JSON atomically (temp file + rename). Refuses to replace an existing
        file unless ``overwrite=True``. Returns the path written."""
        target = Path(path)
        if target.is_dir():
            raise InputError(f"{target} is a directory; give a file path such as recipe.json")
        if target.exists() and not overwrite:
            raise InputError(f"{target} exists; pass overwrite=True to replace it")
        if not target.parent.exists():
            raise InputError(f"folder {target.parent} does not exist")
        text = self.to_json() + "\n"
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            if overwrite:
                Path(tmp).replace(target)
            else:
                os.link(tmp, target)  # fails if another writer created it meanwhile
                Path(tmp).unlink()
        except FileExistsError:
            Path(tmp).unlink(missing_ok=True)
            raise InputError(f"{target} exists; pass overwrite=True to replace it") from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Recipe:
        """Load a recipe JSON file (any released format version)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RecipeError(f"{p}: no such file") from None
        except IsADirectoryError:
            raise RecipeError(f"{p}: is a directory, not a recipe file") from None
        except UnicodeDecodeError:
            raise RecipeError(f"{p}: not a UTF-8 text file, so not a recipe") from None
        return cls.from_json(text, source=str(p))


# ---------------------------------------------------------------------------------
def _name(step: Step) -> str:
    return step.id if step.kind == "transform" else step.kind


def _apply_one(
    t: Transform,
    x: Any,
    stream: np.random.Generator,
    path: str,
    records: list[dict[str, Any]] | None,
    *,
    force: bool,
) -> Any:
    applied = force or stream.random() < t.p
    values = t.sample(stream, x) if applied else None
    if records is not None:
        records.append({"path": path, "transform": t.id, "applied": applied, "values": values})
    return t.apply(x, **values) if values is not None else x


def _apply_batch(t: Transform, cur: Any, idx: np.ndarray, stream: np.random.Generator) -> Any:
    if len(idx) == 0:
        return cur
    sub = cur[idx] if isinstance(cur, np.ndarray) else [cur[i] for i in idx]
    out = t.apply_batch(sub, t.sample_batch(stream, len(idx), sub))
    if (isinstance(cur, np.ndarray) and isinstance(out, np.ndarray)
            and out.shape[1:] == cur.shape[1:] and out.dtype == cur.dtype):
        cur[idx] = out
        return cur
    cur = list(cur)  # items changed shape or type: the batch continues as a list
    for k, i in enumerate(idx):
        cur[i] = out[k]
    return cur


def _dumps(obj: Any, indent: str) -> str:
    if isinstance(obj, dict) and obj:
        inner = indent + "  "
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _dumps(v, inner) for v in obj) + f"\n{indent}]"
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise RecipeError(f"recipe holds a value JSON cannot store: {obj!r}") from None


def _reject_constant(name: str) -> Any:
    raise RecipeError(f"recipe JSON contains {name}, which is not a valid number")


def _err(path: str, msg: str) -> RecipeError:
    return RecipeError(f"{path}: {msg}" if path else msg)


def _type_name(v: Any) -> str:
    return {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        type(None): "null",
        int: "number",
        float: "number",
    }.get(type(v), type(v).__name__)


def _check_keys(d: dict[str, Any], path: str, allowed: Sequence[str], required: Sequence[str]) -> None:
    for key in d:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            where = f"{path}.{key}" if path else str(key)
            raise _err(where, f"unknown key{hint}; allowed keys here: {', '.join(allowed)}")
    for key in required:
        if key not in d:
            raise _err(path or "recipe", f"missing key {key!r}; required: {', '.join(required)}")


def _parse_recipe(data: Any) -> Recipe:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        got = (
            f"a JSON {_type_name(data)}"
            if not isinstance(data, dict)
            else (f"format={data.get('format')!r}" if "format" in data else "an object without 'format'")
        )
        raise RecipeError(
            f'not an augviz recipe: expected a JSON object with "format": "{FORMAT}"; got {got}'
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise _err("version", f"{version!r} is not allowed; allowed: an integer >= 1")
    if version > VERSION:
        raise _err(
            "version",
            f"format version {version} is newer than this augviz reads "
            f"(up to {VERSION}); upgrade augviz to load it",
        )
    while version < VERSION:
        data = MIGRATIONS[version](copy.deepcopy(data))
        version = data["version"]
    _check_keys(
        data,
        "",
        ["format", "version", "modality", "seed", "name", "steps", "meta"],
        ["format", "version", "modality", "steps"],
    )
    modality = data["modality"]
    if modality not in MODALITIES:
        raise _err("modality", f"{modality!r} is not allowed; allowed: {', '.join(sorted(MODALITIES))}")
    seed = data.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise _err("seed", f"{seed!r} is not allowed; allowed: a non-negative integer or null")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise _err("name", f"expected a string, got {_type_name(name)}")
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        raise _err("meta", f"expected an object, got {_type_name(meta)}")
    meta = dict(meta)
    written_by = meta.pop("augviz", None)
    raw_steps = data["steps"]
    if not isinstance(raw_steps, list):
        raise _err("steps", f"expected an array of steps, got {_type_name(raw_steps)}")
    steps: list[Step] = []
    enabled: list[bool] = []
    for i, raw in enumerate(raw_steps):
        step, on = _parse_step(raw, f"steps[{i}]", modality, top=True)
        steps.append(step)
        enabled.append(on)
    recipe = Recipe(steps, modality=modality, seed=seed, name=name, meta=meta, enabled=enabled)
    recipe.written_by = written_by if isinstance(written_by, str) else None
    return recipe


def _parse_p(d: dict[str, Any], path: str) -> float:
    p = d.get("p", 1.0)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
        raise _err(f"{path}.p", f"{p!r} is not allowed; allowed: a number in [0, 1]")
    return float(p)


def _parse_enabled(d: dict[str, Any], path: str) -> bool:
    on = d.get("enabled", True)
    if not isinstance(on, bool):
        raise _err(f"{path}.enabled", f"expected true or false, got {_type_name(on)}")
    return on


def _parse_step(raw: Any, path: str, modality: str, *, top: bool) -> tuple[Step, bool]:
    kinds = ("transform", "one_of", "some_of") if top else ("transform",)
    if not isinstance(raw, dict) or not any(k in raw for k in kinds):
        raise _err(
            path,
            f"expected an object with {' or '.join(map(repr, kinds))}; "
            f"got {_type_name(raw) if not isinstance(raw, dict) else sorted(raw)}",
        )
    if "transform" in raw:
        _check_keys(
            raw,
            path,
            ["transform", "p", "params", "enabled"] if top else ["transform", "p", "params"],
            ["transform"],
        )
        tid = raw["transform"]
        if not isinstance(tid, str):
            raise _err(f"{path}.transform", f"expected a transform id string, got {_type_name(tid)}")
        try:
            cls = get_transform(tid)
        except RecipeError as exc:
            raise _err(f"{path}.transform", str(exc)) from None
        if cls.modality != modality:
            raise _err(f"{path}.transform", f"{tid!r} is a {cls.modality} transform in a {modality} recipe")
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise _err(f"{path}.params", f"expected an object, got {_type_name(params)}")
        specs = {s.name: s for s in cls.PARAMS}
        values = {}
        for key, value in params.items():
            if key not in specs:
                allowed = ", ".join(specs) or "(none)"
                raise _err(f"{path}.params.{key}", f"unknown parameter of {tid}; allowed: {allowed}")
            try:
                values[key] = specs[key].validate(value, where=f"{path}.params.{key}")
            except ParamError as exc:
                raise RecipeError(str(exc)) from None
        return cls(p=_parse_p(raw, path), **values), _parse_enabled(raw, path)
    key = "one_of" if "one_of" in raw else "some_of"
    allowed = ["one_of", "p", "enabled"] if key == "one_of" else ["some_of", "n", "p", "enabled"]
    _check_keys(raw, path, allowed, [key])
    children_raw = raw[key]
    if not isinstance(children_raw, list) or not children_raw:
        raise _err(f"{path}.{key}", "expected a non-empty array of transform steps")
    children = [
        _parse_step(c, f"{path}.{key}[{j}]", modality, top=False)[0] for j, c in enumerate(children_raw)
    ]
    p = _parse_p(raw, path)
    if key == "one_of":
        return OneOf(children, p=p), _parse_enabled(raw, path)  # type: ignore[arg-type]
    n = raw.get("n", 1)
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= len(children):
        raise _err(f"{path}.n", f"{n!r} is not allowed; allowed: an integer in [1, {len(children)}]")
    return SomeOf(children, n=n, p=p), _parse_enabled(raw, path)  # type: ignore[arg-type]
