"""``search``: rank candidate recipes — or a small RandAugment grid — by the validation
gain they give the lab's quick model.

A grid takes ops (transforms) and tries every ``n`` in ``n_ops`` with every ``m`` in
``magnitudes``. Two grids:

- ``"randaugment"`` (the default; Cubuk et al. 2020): per image, ``n`` ops drawn uniformly
  *with replacement*, each applied at the fixed magnitude ``m``: ``n`` successive
  ``OneOf`` steps over the ops. At magnitude ``m`` an op's range parameters take one end
  of the range scaled by ``m`` (below), the end chosen with equal odds, the same end for
  all of an op's ranges — so ``angle (-30, 30)`` at 0.5 is −15 or +15, never in between.
- ``"some_of"``: ``n`` distinct ops (``SomeOf(ops, n)``) whose ranges are scaled by ``m``
  and sampled within.

Magnitude ``m`` in (0, 1] scales each op's configured ranges: a range around zero
(``angle (-30, 30)``) becomes ``m ×`` it (``(-15, 15)`` at 0.5); any other range shrinks
towards its midpoint (``scale (0.8, 1.2)`` → ``(0.9, 1.1)``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from augviz.core import Choice, InputError, OneOf, Range, Recipe, SomeOf, Transform

from .args import MAGNITUDE, N_OPS, check_each
from .compare import LabResult, _points, compare

__all__ = ["GRID", "SearchResult", "fixed_magnitude_ops", "randaugment_grid", "scale_op", "search",
           "some_of_grid"]

GRID = Choice("grid", ("randaugment", "some_of"), "randaugment",
              doc="How a list of ops becomes recipes: RandAugment (n ops with replacement at a "
                  "fixed magnitude) or SomeOf (n distinct ops, ranges scaled).")


def scale_op(op: Transform, m: float) -> Transform:
    """``op`` with every range parameter scaled to magnitude ``m`` in (0, 1] (see the
    module doc)."""
    where = "lab.scale_op"
    m = _check_magnitude(MAGNITUDE.check_argument(m, where=where), "magnitude", where)
    changes: dict[str, Any] = {}
    for spec in op.PARAMS:
        if not isinstance(spec, Range):
            continue
        lo, hi = op.params[spec.name]
        if lo <= 0 <= hi:
            new = (lo * m, hi * m)
        else:
            mid = (lo + hi) / 2
            new = (mid + (lo - mid) * m, mid + (hi - mid) * m)
        if spec.integer:
            new = (round(new[0]), round(new[1]))
        changes[spec.name] = new
    return op.with_params(**changes)


def _check_magnitude(m: float, name: str, where: str) -> float:
    if m == 0:  # the spec's bounds are closed; zero would be no augmentation
        raise InputError(f"{where}: {name}=0 is not allowed; allowed: a number in (0, 1]")
    return m


def fixed_magnitude_ops(op: Transform, m: float) -> list[Transform]:
    """``op`` at the fixed magnitude ``m``: one variant per end of its scaled ranges (each
    with ``p`` 0.5, so that a ``OneOf`` picks the end with equal odds), or ``op`` alone
    (``p`` 1) when it has no range to scale."""
    scaled = scale_op(op, m)
    ranges = [spec.name for spec in op.PARAMS if isinstance(spec, Range)]
    lows = {name: (scaled.params[name][0],) * 2 for name in ranges}
    highs = {name: (scaled.params[name][1],) * 2 for name in ranges}
    if lows == highs:
        return [scaled.with_params(**lows, p=1.0) if ranges else op.with_params(p=1.0)]
    return [scaled.with_params(**lows, p=0.5), scaled.with_params(**highs, p=0.5)]


def _counts_and_magnitudes(
    n_ops: Sequence[int], magnitudes: Sequence[float], where: str
) -> tuple[list[int], list[float]]:
    counts = check_each(N_OPS, n_ops, where=where)
    mags = [_check_magnitude(m, f"magnitudes[{i}]", where)
            for i, m in enumerate(check_each(MAGNITUDE, magnitudes, where=where, name="magnitudes"))]
    return counts, mags


def randaugment_grid(
    ops: Sequence[Transform], n_ops: Sequence[int], magnitudes: Sequence[float]
) -> dict[str, Recipe]:
    """RandAugment recipes ``"N=n M=m"``: ``n`` ops per image, uniformly with replacement,
    each at the fixed magnitude ``m`` (see the module doc)."""
    counts, mags = _counts_and_magnitudes(n_ops, magnitudes, "lab.search")
    out = {}
    for n in counts:
        for m in mags:
            choices = [variant for op in ops for variant in fixed_magnitude_ops(op, m)]
            out[f"N={n} M={m:g}"] = Recipe([OneOf(choices) for _ in range(n)],
                                           name=f"randaug-N{n}-M{m:g}")
    return out


def some_of_grid(
    ops: Sequence[Transform], n_ops: Sequence[int], magnitudes: Sequence[float]
) -> dict[str, Recipe]:
    """``SomeOf`` recipes ``"N=n M=m"``: ``n`` distinct ops, each op's ranges scaled by
    ``m`` and sampled within (augviz's grid before RandAugment's was followed)."""
    where = "lab.search"
    counts, mags = _counts_and_magnitudes(n_ops, magnitudes, where)
    for i, n in enumerate(counts):
        if n > len(ops):
            raise InputError(f"{where}: n_ops[{i}]={n} is more than the {len(ops)} ops given; "
                             f"allowed: 1 .. {len(ops)}")
    out = {}
    for n in counts:
        for m in mags:
            steps = [scale_op(op, m) for op in ops]
            out[f"N={n} M={m:g}"] = Recipe([SomeOf(steps, n=n)], name=f"someof-N{n}-M{m:g}")
    return out


def search(
    candidates: Any,
    data: Any = "digits",
    *,
    n_ops: Sequence[int] = (1, 2),
    magnitudes: Sequence[float] = (0.25, 0.5, 1.0),
    grid: str = "randaugment",
    epochs: int = 30,
    train_size: int = 500,
    val_size: int | None = None,
    seeds: int | Sequence[int] = 3,
    seed: int = 0,
    model: Any = "auto",
    control: bool = False,
    on_epoch: Callable[[dict[str, Any]], Any] | None = None,
) -> SearchResult:
    """Rank recipes by validation gain over no augmentation (mean ± std over seeds).

    Parameters
    ----------
    candidates : dict or list of Recipe, or list of Transform (ops)
        Recipes are compared as they are; transforms make a grid over ``n_ops`` ×
        ``magnitudes``.
    grid : {"randaugment", "some_of"}
        The grid made from transforms (see the module doc): RandAugment's (``n`` ops
        with replacement at a fixed magnitude) or ``SomeOf`` (``n`` distinct ops).
    Other parameters go to :func:`~augviz.lab.compare`.

    Example
    -------
    >>> from augviz.image import Rotate, Brightness
    >>> res = search([Rotate(angle=(-30, 30)), Brightness()], n_ops=(1,),
    ...              magnitudes=(0.5, 1.0), epochs=10, seeds=2)       # doctest: +SKIP
    >>> res.best_recipe().meta["lab"]["val_change"]                    # doctest: +SKIP
    """
    if isinstance(candidates, Mapping):
        arms = dict(candidates)
        kind = "candidates"
    elif isinstance(candidates, Sequence) and candidates and all(
        isinstance(c, Transform) for c in candidates
    ):
        make = randaugment_grid if GRID.validate(grid, where="lab.search") == "randaugment" else some_of_grid
        arms = make(list(candidates), n_ops, magnitudes)
        kind = "grid"
    elif isinstance(candidates, Sequence) and candidates and all(
        isinstance(c, Recipe) for c in candidates
    ):
        arms = {}
        for i, r in enumerate(candidates):
            arms[r.name or f"recipe {i}"] = r
        kind = "candidates"
    elif isinstance(candidates, Sequence) and not isinstance(candidates, (str, bytes)) and not candidates:
        raise InputError("search needs at least one candidate; got an empty list")
    else:
        odd = ""
        if isinstance(candidates, Sequence) and not isinstance(candidates, (str, bytes)):
            others = [(i, c) for i, c in enumerate(candidates) if not isinstance(c, (Recipe, Transform))]
            odd = (f" (item {others[0][0]} is {type(others[0][1]).__name__})" if others
                   else " (Recipes and Transforms mixed)")
        raise InputError(
            "search takes a dict or list of Recipes, or a list of Transforms (ops for a "
            f"RandAugment grid); got {type(candidates).__name__}{odd}"
        )
    if not arms:
        raise InputError("search needs at least one candidate")
    res = compare(arms, data, epochs=epochs, train_size=train_size, val_size=val_size,
                  seeds=seeds, seed=seed, model=model, control=control, on_epoch=on_epoch)
    return SearchResult(res, kind)


@dataclass(eq=False)
class SearchResult:
    """Candidates ranked by mean validation gain; ``lab`` is the underlying comparison."""

    lab: LabResult
    kind: str = "candidates"

    def ranking(self) -> list[dict[str, Any]]:
        """Candidate rows (from :meth:`LabResult.summary`), best validation gain first."""
        rows = [r for r in self.lab.summary()
                if r["arm"] not in (self.lab.baseline, self.lab.control)]
        return sorted(rows, key=lambda r: -r["val_change"])

    def best(self) -> str:
        return self.ranking()[0]["arm"]

    def best_recipe(self) -> Recipe:
        """The winner, with its evidence (and the ranking it won) in ``meta["lab"]``."""
        r = self.lab.recipe(self.best())
        lab = dict(r.meta["lab"])
        lab["kind"] = "search"
        lab["ranking"] = [
            {"arm": q["arm"], "val_change": round(q["val_change"], 6),
             "val_change_std": round(q["val_change_std"], 6), "gap": round(q["gap"], 6),
             "verdict": q["verdict"]}
            for q in self.ranking()
        ]
        return r.replace(meta={**r.meta, "lab": lab})

    def to_dict(self) -> dict[str, Any]:
        return {"format": "augviz.lab.search", "version": 1, "kind": self.kind,
                "ranking": self.best_recipe().meta["lab"]["ranking"], "lab": self.lab.to_dict()}

    def plot(self, ax: Any = None) -> Any:
        """Validation gain per candidate (points, mean with its 95 % interval over seeds),
        best on top, coloured by verdict (green helps, red hurts, grey no clear effect)."""
        import matplotlib.pyplot as plt

        rows = self.ranking()[::-1]
        if ax is None:
            _, ax = plt.subplots(figsize=(6.5, 0.45 * len(rows) + 1.4))
        y = np.arange(len(rows))
        gain = np.array([100 * r["val_change"] for r in rows])
        err = np.array([[0.0, 0.0] if r["val_change_low"] is None else
                        [100 * (r["val_change"] - r["val_change_low"]),
                         100 * (r["val_change_high"] - r["val_change"])] for r in rows]).T
        colors = [{"helps": "C2", "hurts": "C3"}.get(r["verdict"], "0.6") for r in rows]
        ax.barh(y, gain, xerr=err, color=colors, capsize=3)
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(y, [f"{r['arm']}  (gap {r['gap']:.3f})" for r in rows])
        ax.set_xlabel("Δ validation accuracy vs no augmentation (points, 95 % interval; "
                      f"colour: verdict vs {self.lab.reference})")
        c = self.lab.config
        ax.set_title(f"search on {c['data']['name']}, n={c['train_size']}", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        return ax

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{i + 1}</td><td>{html.escape(r['arm'])}</td>"
            f"<td>{_points(r['val_change'], r['val_change_low'], r['val_change_high'])}</td>"
            f"<td>{html.escape(r['verdict'] or '—')}</td>"
            f"<td>{r['gap']:.3f} ± {r['gap_std']:.3f}</td><td>{r['val_acc']:.3f}</td></tr>"
            for i, r in enumerate(self.ranking())
        )
        return ("<div><b>augviz search</b> (" + html.escape(self.kind) + ")<table><thead><tr>"
                "<th>#</th><th>candidate</th><th>Δ val vs none (pts) [95 %]</th><th>verdict</th>"
                "<th>gap</th>"
                "<th>val acc</th></tr></thead><tbody>" + rows + "</tbody></table></div>")
