"""Recipes: ordered augmentation steps and how they run (the JSON form is
:mod:`augviz.core.recipe_json`; the step kinds are :mod:`augviz.core.steps`).

Each top-level step draws from its own random stream (derived from one word per call
and the step's index), so disabling, or changing, one step never changes what the
other steps draw.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import recipe_json
from .errors import InputError, ParamError, RecipeError
from .params import Bool, text_problem
from .registry import check_modality
from .rng import RngLike, as_generator, check_seed, item_rng, root_word, step_stream
from .steps import STEP_KINDS, OneOf, SomeOf, Step
from .transform import Transform

__all__ = ["STEP_KINDS", "OneOf", "Recipe", "SomeOf", "Step"]

_ENABLED = Bool("enabled", True, doc="Whether a step runs (a disabled one keeps its place).")
#: how deep ``meta`` may nest (JSON readers give up a little past 900)
META_DEPTH = 100


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
    preprocess : dict, optional
        Preparation steps kept apart from the augmentations (``{"before": [...],
        "after": [...]}``, each a list of preprocessing transforms such as
        ``augviz.image.preprocess.Resize``): ``before`` runs ahead of the first step,
        ``after`` behind the last one, both always (they ignore ``enabled``), so an
        imported pipeline runs end to end. An albumentations pipeline's resize/crop steps
        usually come before, Normalize and ToTensorV2 after.

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
        preprocess: Mapping[str, Sequence[Transform]] | None = None,
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
        check_modality(modality, "modality ")
        if found and found[0] != modality:
            raise RecipeError(f"modality={modality!r} but the steps are {found[0]!r} transforms")
        check_seed(seed, "seed=")
        if enabled is None:
            enabled = [True] * len(steps)
        if isinstance(enabled, (str, bytes)) or not isinstance(enabled, (Sequence, np.ndarray)):
            raise RecipeError(f"enabled={enabled!r} is not allowed; allowed: a list of true/false, "
                              "one per step")
        if len(enabled) != len(steps):
            raise RecipeError(f"enabled has {len(enabled)} flags for {len(steps)} steps")
        try:
            flags = tuple(_ENABLED.validate(e, where=f"enabled[{i}]") for i, e in enumerate(enabled))
        except ParamError as exc:
            raise RecipeError(str(exc)) from None
        name = str(name)
        problem = text_problem(name)
        if problem:
            raise RecipeError(f"name={name!r} contains {problem}; allowed: text that UTF-8 can store")
        if meta is not None and not isinstance(meta, Mapping):
            raise RecipeError(f"meta is a {type(meta).__name__}; allowed: a dict of JSON values")
        self._pre = _check_preprocess(preprocess, modality)
        self._steps: tuple[Step, ...] = steps
        self._enabled = flags
        self.modality: str = modality
        self.seed: int | None = None if seed is None else int(seed)
        self.name = name
        self.meta: dict[str, Any] = _json_value(dict(meta or {}), "meta", 0)
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

    @property
    def preprocess(self) -> dict[str, tuple[Transform, ...]]:
        """The preparation steps: ``{"before": (...), "after": (...)}``."""
        return {"before": self._pre[0], "after": self._pre[1]}

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
            "preprocess": self.preprocess,
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
        flags[index] = _ENABLED.check_argument(enabled, where="set_enabled")
        return self.replace(enabled=flags)

    def append(self, step: Step) -> Recipe:
        """A copy with ``step`` added at the end."""
        return self.replace(steps=(*self._steps, step), enabled=(*self._enabled, True))

    def _check_index(self, index: int) -> None:
        if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
            raise InputError(f"step index {index!r} is not an integer")
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
            and self._pre == other._pre
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        extra = f", seed={self.seed}" if self.seed is not None else ""
        extra += f", name={self.name!r}" if self.name else ""
        if any(self._pre):
            extra += f", preprocess={ {k: list(v) for k, v in self.preprocess.items() if v}!r}"
        return f"Recipe({list(self._steps)!r}, modality={self.modality!r}{extra})"

    def _repr_html_(self) -> str:
        rows = []
        for i, (step, on) in enumerate(zip(self._steps, self._enabled, strict=False)):
            children = step.children
            group = "" if step.kind == "transform" else f"{step.kind} (p={step.p:g})"
            if step.kind == "some_of":
                group = f"some_of n={step.n} (p={step.p:g})"
            for j, t in enumerate(children):
                params = ", ".join(f"{k}={v!r}" for k, v in t.params.items())
                style = "" if on else " style='opacity:0.45;text-decoration:line-through'"
                rows.append(
                    f"<tr{style}><td>{i if j == 0 else ''}</td><td>{html.escape(group if j == 0 else '')}"
                    f"</td><td><code>{html.escape(t.id)}</code></td><td>{t.p:g}</td>"
                    f"<td>{html.escape(params)}</td><td>{html.escape(t.label_risk)}</td></tr>"
                )
        grey = " style='color:#888'"
        for where, label in (("before", "preprocess (before)"), ("after", "preprocess (after)")):
            for k, t in enumerate(self.preprocess[where]):
                params = ", ".join(f"{key}={v!r}" for key, v in t.params.items())
                row = (f"<tr{grey}><td></td><td>{label if k == 0 else ''}</td><td><code>{html.escape(t.id)}"
                       f"</code></td><td>1</td><td>{html.escape(params)}</td><td></td></tr>")
                if where == "before":
                    rows.insert(k, row)
                else:
                    rows.append(row)
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

    def item_rng(self, key: Any, epoch: int = 0, copy: int = 0) -> np.random.Generator:
        """The generator for one item of a data set: a pure function of (this recipe's
        seed, ``epoch``, ``key``, ``copy``), never of the worker, engine or order.

        ``key`` names the item stably: a path relative to the data root (what
        ``augviz apply`` uses), a row id, or bytes. ``copy`` numbers the augmented
        copies of one item, ``epoch`` the passes over the data. A recipe with
        ``seed=None`` has no such contract: it raises :class:`RecipeError`
        (give it one with ``recipe.replace(seed=0)``).

        Example
        -------
        >>> from augviz.image import Rotate
        >>> recipe = Recipe([Rotate()], seed=0)
        >>> img = np.zeros((8, 8), np.uint8)
        >>> a = recipe(img, rng=recipe.item_rng("cats/1.png", epoch=2))
        >>> b = recipe(img, rng=recipe.item_rng("cats/1.png", epoch=2))
        >>> bool((a == b).all())
        True
        """
        if self.seed is None:
            raise RecipeError(
                "Recipe.item_rng needs a recipe seed; this recipe has seed=None (fresh entropy on "
                "every call); give it one with recipe.replace(seed=0)"
            )
        return item_rng(self.seed, key, epoch, copy)

    def _word(self, rng: RngLike) -> int:
        if rng is None and self.seed is not None:
            if self._stream is None:
                self._stream = as_generator(self.seed)
            rng = self._stream
        return root_word(rng)

    # -- running -------------------------------------------------------------------
    def _check_input(self, x: Any) -> None:
        # all steps share one modality, so the first transform's check speaks for all
        if self._pre[0]:
            self._pre[0][0].check_input(x)
        elif self._steps:
            self._steps[0].children[0].check_input(x)

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
        for t, values in self._check_records(records):
            x = t.apply(x, **values)
        return x

    def _check_records(self, records: Any) -> list[tuple[Transform, dict[str, Any]]]:
        # every record is checked before anything runs: a bad one names itself
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Sequence):
            raise InputError(
                f"replay: records is {_a(type(records).__name__)}; allowed: the list that trace() returns"
            )
        todo = []
        for i, rec in enumerate(records):
            where = f"replay: records[{i}]"
            if not isinstance(rec, Mapping):
                raise InputError(f"{where} is {_a(type(rec).__name__)}; allowed: a dict with path, "
                                 "applied and values (as trace() writes)")
            applied = rec.get("applied", False)
            if not isinstance(applied, (bool, np.bool_)):
                raise InputError(f"{where}.applied={applied!r} is not allowed; allowed: true or false")
            if not applied or rec.get("values") is None:
                continue
            path = rec.get("path")
            if not isinstance(path, str):
                raise InputError(f"{where}.path={path!r} is not allowed; allowed: a step path such as "
                                 "'steps[0]' or 'steps[1].one_of[0]'")
            t = self.at(path)
            todo.append((t, t.check_values(rec["values"], where=f"{where}.values")))
        return todo

    def at(self, path: str) -> Transform:
        """The transform at a trace/JSON path such as ``"steps[1].one_of[0]"``."""
        if path.startswith("preprocess."):
            try:
                where, _, index = path[len("preprocess."):].partition("[")
                return self.preprocess[where][int(index.rstrip("]"))]
            except (KeyError, ValueError, IndexError):
                raise InputError(f"no transform at path {path!r} in this recipe") from None
        try:
            head, _, tail = path.partition(".")
            step = self._steps[int(head[len("steps[") : -1])]
            if tail:
                if step.kind == "transform":
                    raise ValueError(tail)
                step = step.children[int(tail.split("[")[1].rstrip("]"))]
        except (ValueError, IndexError, AttributeError):
            raise InputError(f"no transform at path {path!r} in this recipe") from None
        if step.kind != "transform":
            raise InputError(f"path {path!r} names a group, not a transform")
        return step

    def _run(self, x: Any, rng: RngLike, records: list[dict[str, Any]] | None) -> Any:
        self._check_input(x)
        word = self._word(rng)
        x = self._prepare(x, word, "before", records)
        x = self._augment(x, word, records)
        return self._prepare(x, word, "after", records)

    def _prepare(self, x: Any, word: int, where: str, records: list[dict[str, Any]] | None) -> Any:
        for k, t in enumerate(self.preprocess[where]):
            # streams far from the steps' own: adding a step never moves what these draw
            stream = step_stream(word, _PRE_STREAM[where] + k)
            x = _apply_one(t, x, stream, f"preprocess.{where}[{k}]", records)
        return x

    def _augment(self, x: Any, word: int, records: list[dict[str, Any]] | None) -> Any:
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
            if records is None and step.kind == "transform":
                # the transform's own call: the same coin and draws from the stream as
                # choose + sample + apply below, through its compiled call
                x = step(x, rng=stream)
                continue
            picks = step.choose(stream)
            if not picks:
                if records is not None:
                    records.append({"path": path, "transform": _name(step), "applied": False, "values": None})
                continue
            for j in picks:
                where = path if step.kind == "transform" else f"{path}.{step.kind}[{j}]"
                x = _apply_one(step.children[j], x, stream, where, records)
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
            cur: Any = xs  # copied before a step first writes into it: the caller's array stays intact
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
        if any(self._pre):  # preparation changes sizes: item by item, then the batch as a list
            cur = [self._prepare(item, word, "before", None) for item in cur]
        for i, step in enumerate(self._steps):
            if not self._enabled[i]:
                continue
            stream = step_stream(word, i)
            mask = stream.random(n) < step.p
            idx = np.flatnonzero(mask)
            for child, chosen in zip(step.children, step.choose_batch(stream, len(idx)), strict=True):
                cur = _apply_batch(child, cur, idx[chosen], stream, xs)
        if self._pre[1]:
            cur = [self._prepare(item, word, "after", None) for item in cur]
        if isinstance(cur, np.ndarray) and isinstance(xs, np.ndarray) and np.may_share_memory(cur, xs):
            cur = cur.copy()  # no step touched the batch: a new array all the same
        return cur

    # -- JSON (the codec lives in augviz.core.recipe_json) -------------------------
    def to_dict(self) -> dict[str, Any]:
        """The recipe as a JSON-safe dict (format ``augviz.recipe`` version 1)."""
        return recipe_json.to_dict(self)

    def to_json(self) -> str:
        """Readable JSON: one key per line, short arrays (ranges) kept on one line."""
        return recipe_json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Any) -> Recipe:
        """Build a recipe from its JSON dict; any problem is a :class:`RecipeError`
        naming the JSON path and what is allowed. Never executes code."""
        return cls._from_parts(recipe_json.from_dict(data))

    @classmethod
    def from_json(cls, text: str, *, source: str = "recipe") -> Recipe:
        """Build a recipe from JSON text (``source`` names it in error messages)."""
        return cls._from_parts(recipe_json.from_json(text, source=source))

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write the JSON atomically (temp file + rename). Refuses to replace an existing
        file unless ``overwrite=True``. Returns the path written."""
        return recipe_json.save(self, path, overwrite=overwrite)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Recipe:
        """Load a recipe JSON file (any released format version)."""
        return cls._from_parts(recipe_json.load(path))

    @classmethod
    def _from_parts(cls, parts: recipe_json.Parts) -> Recipe:
        recipe = cls(parts.steps, modality=parts.modality, seed=parts.seed, name=parts.name,
                     meta=parts.meta, enabled=parts.enabled, preprocess=parts.preprocess)
        recipe.written_by = parts.written_by
        return recipe


# ---------------------------------------------------------------------------------
#: first stream index of each preparation part
_PRE_STREAM = {"before": 1 << 30, "after": (1 << 30) + (1 << 20)}


def _check_preprocess(pre: Any, modality: str) -> tuple[tuple[Transform, ...], tuple[Transform, ...]]:
    if pre is None:
        return (), ()
    if not isinstance(pre, Mapping):
        raise RecipeError(f"preprocess is {_a(type(pre).__name__)}; allowed: a dict with 'before' and/or "
                          "'after', each a list of preprocessing steps")
    unknown = sorted(set(pre) - {"before", "after"})
    if unknown:
        raise RecipeError(f"preprocess has key {unknown[0]!r}; allowed: 'before', 'after'")
    out = []
    for where in ("before", "after"):
        items = pre.get(where, ())
        if isinstance(items, Transform):
            items = (items,)
        items = tuple(items)
        for k, t in enumerate(items):
            if not isinstance(t, Transform) or not getattr(t, "is_preprocess", False):
                raise RecipeError(
                    f"preprocess[{where!r}][{k}] is {_a(type(t).__name__)}; allowed: a preprocessing step "
                    "(e.g. augviz.image.preprocess.Resize)")
            if t.modality != modality:
                raise RecipeError(f"preprocess[{where!r}][{k}] is a {t.modality} step in a {modality} recipe")
        out.append(items)
    return out[0], out[1]


def _json_value(value: Any, path: str, depth: int) -> Any:
    """A copy of ``value`` in plain JSON types (numpy scalars and arrays become numbers
    and lists, tuples lists), or :class:`RecipeError` naming what JSON cannot store."""
    if depth > META_DEPTH:
        top = path.split("[")[0]
        raise RecipeError(f"{top}: nested more than {META_DEPTH} levels deep; allowed: at most {META_DEPTH}")
    if isinstance(value, np.generic) and not isinstance(value, np.str_):
        value = value.item()
    elif isinstance(value, np.ndarray):
        value = value.tolist()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise RecipeError(f"{path}: {value!r} contains {problem}; allowed: text that UTF-8 can store")
        return str(value)
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise RecipeError(f"{path}: key {k!r} is {_a(type(k).__name__)}; allowed: string keys "
                                  "(JSON object keys are text)")
            out[_json_value(k, f"{path} key", depth + 1)] = _json_value(v, f"{path}[{k!r}]", depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [_json_value(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    hint = " (sorted(...) makes a list)" if isinstance(value, (set, frozenset)) else ""
    raise RecipeError(
        f"{path} holds {_a(type(value).__name__)}{hint}; allowed: JSON values (None, true/false, "
        "numbers, strings, lists, dicts with string keys)"
    )


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _name(step: Step) -> str:
    return step.id if step.kind == "transform" else step.kind


def _apply_one(
    t: Transform, x: Any, stream: np.random.Generator, path: str, records: list[dict[str, Any]] | None
) -> Any:
    values = t.sample(stream, x)
    if records is not None:
        records.append({"path": path, "transform": t.id, "applied": True, "values": values})
    return t.apply(x, **values)


def _apply_batch(t: Transform, cur: Any, idx: np.ndarray, stream: np.random.Generator,
                 source: Any) -> Any:
    """``t`` applied to the items ``idx`` (sorted, unique) of the batch ``cur``. An array
    batch is written in place, after a copy if it still shares memory with ``source``
    (the caller's array); a step that touches every item replaces it without copies."""
    if len(idx) == 0:
        return cur
    whole = len(idx) == len(cur)
    sub = cur if whole else cur[idx] if isinstance(cur, np.ndarray) else [cur[i] for i in idx]
    out = t.apply_batch(sub, t.sample_batch(stream, len(idx), sub))
    if (isinstance(cur, np.ndarray) and isinstance(out, np.ndarray)
            and out.shape[1:] == cur.shape[1:] and out.dtype == cur.dtype):
        if whole:
            return out
        if isinstance(source, np.ndarray) and np.may_share_memory(cur, source):
            cur = cur.copy()
        cur[idx] = out
        return cur
    cur = list(cur)  # items changed shape or type: the batch continues as a list
    for k, i in enumerate(idx):
        cur[i] = out[k]
    return cur
