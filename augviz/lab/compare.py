"""``compare``: train the same quick model per recipe and measure what augmentation does.

Every arm follows the lab's training protocol (:mod:`augviz.lab.protocol`). By default
it is training-faithful: each epoch every training item goes through the arm's recipe
(twice, with fresh draws; the recipe's own ``p`` values decide what is touched), as a
training loop with that recipe would; ``mix="clean+aug"`` keeps the older protocol (the
clean set plus one augmented copy). The "none" arm trains on the clean set once per
epoch, and the compute-matched control arm (``"clean ×2"``) on the clean set twice — as
many items as an augmented arm — so "more steps" and "augmentation" can be told apart.
Every arm of a seed shares the split and the initial weights, so the change in
validation accuracy is a paired difference; its 95 % interval over seeds (a t-interval)
against the control gives each recipe's verdict: "helps", "hurts" or "no clear effect".
The arms train epoch by epoch in turn, so their curves grow together and a stop leaves
every arm at the same epoch.

An arm given as ``"trivialaugment"`` is the TrivialAugment reference
(:mod:`augviz.lab.trivial`).
"""

from __future__ import annotations

import html
import os
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe, as_recipe
from augviz.core.recipe import STEP_KINDS

from .args import EPOCHS, MIX, SEED, SEEDS, check_each
from .load import load_data
from .models import features_of, model_factory
from .progress import in_notebook, make_progress
from .protocol import METRICS, fit_arm, make_fold
from .trivial import TRIVIAL_AUGMENT, is_trivial_augment, trivial_augment

__all__ = ["CONTROL", "METRICS", "NONE", "LabResult", "Summary", "compare"]

NONE = "none"
CONTROL = "clean ×2"
_FORMAT = "augviz.lab.compare"

# ---------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------


def _as_recipe(value: Any, name: str, modality: str, probe: Any = None) -> Recipe | None:
    """An arm's recipe (``None``: no augmentation; ``"trivialaugment"``: the reference)."""
    if value is None:
        return None
    if is_trivial_augment(value):
        if probe is None:
            raise InputError(f"arm {name!r}: 'trivialaugment' needs the data to choose its "
                             "transforms")
        return trivial_augment(modality, probe)
    try:
        return as_recipe(value, where=f"arm {name!r}", modality=modality)
    except InputError as exc:
        raise InputError(f"{exc}; or None for no augmentation") from None


def resolve_arms(arms: Any, modality: str, control: bool, probe: Any = None
                 ) -> dict[str, Recipe | None]:
    """Normalise ``arms`` to ``{name: Recipe | None}`` with a no-augmentation baseline
    first and (if ``control``) the compute-matched control last. ``probe`` (a few items of
    the data) lets an arm be ``"trivialaugment"``."""
    if isinstance(arms, Mapping):
        items = list(arms.items())
    elif isinstance(arms, Recipe) or getattr(arms, "kind", None) in STEP_KINDS:
        items = [(getattr(arms, "name", "") or "recipe", arms)]
    elif is_trivial_augment(arms):
        items = [(TRIVIAL_AUGMENT, arms)]
    elif isinstance(arms, Sequence) and not isinstance(arms, (str, bytes)):
        items = []
        for i, r in enumerate(arms):
            label = getattr(r, "name", "") or (
                NONE if r is None else TRIVIAL_AUGMENT if is_trivial_augment(r) else f"arm {i}")
            items.append((label, r))
    else:
        raise InputError(
            f"arms={type(arms).__name__} is not allowed; allowed: a dict name -> recipe "
            "(None = no augmentation) or a list of recipes"
        )
    if not items:
        raise InputError("arms is empty; allowed: at least one arm, e.g. {'mild': recipe}")
    out: dict[str, Recipe | None] = {}
    for name, value in items:
        name = str(name)
        if name in out or name == CONTROL:
            raise InputError(
                f"arm name {name!r} is used twice (or is reserved); names must be unique"
            )
        out[name] = _as_recipe(value, name, modality, probe)
    if not any(r is None for r in out.values()):
        if NONE in out:
            raise InputError(f"arm {NONE!r} must be None (the no-augmentation baseline)")
        out = {NONE: None, **out}
    else:  # the baseline goes first
        base = next(k for k, r in out.items() if r is None)
        out = {base: None, **{k: r for k, r in out.items() if k != base}}
    if control:
        out[CONTROL] = None
    return out


def seed_values(seeds: Any, seed: Any, *, where: str = "lab.compare") -> list[int]:
    """The seed values: ``seed, seed + 1, …`` for a count ``seeds``, else ``seeds`` (a
    list of seeds) as given."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence):
        count = SEEDS.check_argument(seeds, where=where)
        first = SEED.check_argument(seed, where=where)
        return [first + i for i in range(count)]
    if not seeds:
        raise InputError(f"{where}: seeds=[] is not allowed; allowed: a count in "
                         f"[{SEEDS.low}, {SEEDS.high}] or a list of seeds")
    return check_each(SEED, seeds, where=where, name="seeds")


def _arm_key(name: str) -> int:
    # an arm's streams depend on its name and the seed only, not on the other arms
    return zlib.crc32(name.encode("utf-8"))


# ---------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------


class _Stop(Exception):
    pass


# Items at least this large (bytes; a 74 px RGB photo) are augmented on a second thread
# while the model trains (OpenCV and torch release the GIL). Digits (1 KB) and the 32 px
# photo set (3 KB) stay on one thread: their whole epoch augments in milliseconds, in
# numpy code that holds the GIL.
PREFETCH_ITEM_BYTES = 16 << 10


def _prefetcher(data: Any, arm_map: Mapping[str, Recipe | None]) -> Any:
    """A one-thread executor that augments the next epoch, or None when it would not pay:
    one core, no recipe, or small items."""
    from concurrent.futures import ThreadPoolExecutor

    x = data.x
    first = x[0] if len(x) else None
    if (os.cpu_count() or 1) < 2 or all(r is None for r in arm_map.values()) \
            or int(getattr(first, "nbytes", 0)) < PREFETCH_ITEM_BYTES:
        return None
    return ThreadPoolExecutor(1, thread_name_prefix="augviz-lab")


class _cv2_threads:
    """OpenCV on ``n`` threads for the run, then the caller's setting again: the lab
    already keeps both cores busy (one trains, one augments), and OpenCV's own threads
    only add hand-over costs on a busy machine."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __enter__(self) -> None:
        import cv2

        self.old = cv2.getNumThreads()
        cv2.setNumThreads(self.n)

    def __exit__(self, *exc: object) -> None:
        import cv2

        cv2.setNumThreads(self.old)


def compare(
    arms: Any,
    data: Any = "digits",
    *,
    epochs: int = 30,
    train_size: int = 500,
    val_size: int | None = None,
    seeds: int | Sequence[int] = 3,
    seed: int = 0,
    model: Any = "auto",
    control: bool = True,
    mix: str = "aug",
    on_epoch: Callable[[dict[str, Any]], Any] | None = None,
    progress: bool | None = None,
) -> LabResult:
    """Train a quick model per arm and compare train/validation curves.

    Parameters
    ----------
    arms : dict of str to Recipe, Transform, recipe path, "trivialaugment" or None
        ``None`` means no augmentation (the baseline; one named ``"none"`` is added if
        missing); ``"trivialaugment"`` the TrivialAugment reference. A list of recipes
        is named by ``recipe.name``.
    data : str, (x, y) or LabData
        ``"digits"`` (default), ``"lfw_subset"``, a user's arrays or a
        :class:`~augviz.lab.LabData`.
    epochs, train_size, val_size : int
        ``val_size`` defaults to ``min(500, the rest of the data)``.
    seeds : int or list of int
        How many seeds (``seed, seed + 1, …``) or the seed values themselves. Each seed
        draws its own split, initial weights, shuffles and augmentations.
    model : "auto", a registered name or a factory
        ``factory(input_shape, n_classes, seed)`` returning an object with
        ``fit_epoch(x, y, rng)`` and ``predict_proba(x)`` (see :mod:`augviz.lab.models`).
    control : bool
        Add the compute-matched ``"clean ×2"`` arm (the verdicts are measured against
        it; without it, against ``"none"``).
    mix : {"aug", "clean+aug"}
        What an augmented arm trains on each epoch: two fresh augmented copies, every
        item through the recipe as a training loop would (default), or the clean set
        plus one fresh augmented copy (the older protocol; the clean copy anchors the
        labels and hides harm). Same compute either way.
    on_epoch : callable, optional
        Called after every arm-epoch with a dict (``seed``, ``arm``, ``epoch``, the four
        metrics, ``done``/``total``); returning ``False`` stops the run (the result then
        holds the finished seeds, or the finished epochs of the first one, and
        ``stopped=True``).
    progress : bool, optional
        Show a progress bar (``tqdm.auto`` when installed, else a plain line on stderr);
        default: in a Jupyter notebook only.

    Returns
    -------
    LabResult

    Example
    -------
    >>> from augviz.lab import compare, presets
    >>> res = compare({"none": None, "mild": presets.digits_mild()}, epochs=2,
    ...               train_size=100, seeds=1)                    # doctest: +SKIP
    >>> res.summary()                                               # doctest: +SKIP
    """
    from threadpoolctl import threadpool_limits

    where = "lab.compare"
    lab_data = load_data(data)
    epochs = EPOCHS.check_argument(epochs, where=where)
    seed_list = seed_values(seeds, seed, where=where)
    arm_map = resolve_arms(arms, lab_data.modality, bool(control),
                           probe=lab_data.subset(np.arange(min(2, len(lab_data))))[0])
    mix = MIX.check_argument(mix, where=where)
    model_name, factory = model_factory(model, lab_data.modality, lab_data)
    feat = features_of(lab_data)
    names = list(arm_map)
    hist = {a: {m: np.full((len(seed_list), epochs), np.nan) for m in METRICS} for a in names}
    arm_time = dict.fromkeys(names, 0.0)
    total = len(seed_list) * epochs * len(names)
    bar = make_progress(total) if (in_notebook() if progress is None else progress) else None
    done = 0
    done_seeds = 0
    last_epoch = 0
    stopped = False
    n_train = n_val = 0
    samples: Any = None
    t0 = time.perf_counter()
    prefetch = _prefetcher(lab_data, arm_map)
    runs: dict[str, Any] = {}
    with threadpool_limits(limits=1, user_api="blas"), _cv2_threads(1):
        try:
            for si, sv in enumerate(seed_list):
                ss_split, ss_init = np.random.SeedSequence(sv).spawn(2)
                fold = make_fold(lab_data, feat, train_size, val_size, split_seed=ss_split,
                                 init_seed=ss_init, where=where)
                n_train, n_val = len(fold.split.train), len(fold.split.val)
                if samples is None:  # a few training items for the report, classes taken in turn
                    samples = _spread(fold.x_train, fold.y_train, 8)
                runs = {
                    a: fit_arm(fold.new_model(factory, model_name), fold, feat, epochs=epochs,
                               seed=np.random.SeedSequence([sv, _arm_key(a)]), recipe=arm_map[a],
                               mix=mix, repeat_clean=a == CONTROL, prefetch=prefetch)
                    for a in names
                }
                for ep in range(epochs):
                    for a in names:
                        ta = time.perf_counter()
                        row = next(runs[a])
                        for m, v in row.items():
                            hist[a][m][si, ep] = v
                        arm_time[a] += time.perf_counter() - ta
                        done += 1
                        if bar is not None:
                            bar({"arm": a, "epoch": ep + 1, **row})
                        if on_epoch is not None:
                            event = {"seed": sv, "seed_index": si, "arm": a, "epoch": ep + 1,
                                     "epochs": epochs, "done": done, "total": total, **row}
                            if on_epoch(event) is False:
                                last_epoch = ep + (1 if a == names[-1] else 0)
                                raise _Stop
                    last_epoch = ep + 1
                done_seeds += 1
        except _Stop:
            stopped = True
        finally:
            for run in runs.values():
                run.close()  # a stopped arm waits for its augmentation under way
            if prefetch is not None:
                prefetch.shutdown(wait=True)
            if bar is not None:
                bar.close()
    wall = time.perf_counter() - t0
    if stopped:
        if done_seeds == 0:
            if last_epoch == 0:
                raise InputError("the run was stopped before the first epoch finished; no result")
            keep_seeds, keep_epochs = 1, last_epoch
        else:
            keep_seeds, keep_epochs = done_seeds, epochs
        seed_list = seed_list[:keep_seeds]
        hist = {a: {m: v[:keep_seeds, :keep_epochs] for m, v in h.items()} for a, h in hist.items()}
    config = {
        "data": lab_data.describe(),
        "train_size": n_train,
        "val_size": n_val,
        "epochs": int(hist[names[0]]["val_acc"].shape[1]),
        "epochs_requested": epochs,
        "seeds": seed_list,
        "model": model_name,
        "mix": mix,
        "protocol": ("each epoch: clean set + one fresh augmented copy" if mix == "clean+aug"
                     else "each epoch: every item through the recipe, twice")
                    + "; 'none': clean set once; 'clean ×2': clean set twice (compute-matched)",
    }
    return LabResult(
        arms=names,
        curves=hist,
        recipes={a: (r.to_dict() if r is not None else None) for a, r in arm_map.items()},
        config=config,
        wall_time=wall,
        arm_time=arm_time,
        stopped=stopped,
        _recipe_objects=arm_map,
        _samples=samples,
    )


def _spread(x: Any, y: np.ndarray, n: int) -> Any:
    """Up to ``n`` items of ``x`` taking the classes in turn (first of each class, then
    the second, …)."""
    rank = np.zeros(len(y), np.int64)
    for k in np.unique(y):
        at = np.flatnonzero(y == k)
        rank[at] = np.arange(len(at))
    pick = np.lexsort((y, rank))[:n]
    return x[pick] if isinstance(x, np.ndarray) else [x[i] for i in pick]


# ---------------------------------------------------------------------------------
# the result
# ---------------------------------------------------------------------------------


def _ms(v: np.ndarray) -> tuple[float, float]:
    v = np.asarray(v, float)
    return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0


CONFIDENCE = 0.95
HELPS, HURTS, UNCLEAR = "helps", "hurts", "no clear effect"


def interval(values: Any, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The ``confidence`` t-interval of the mean of ``values`` (paired differences over
    seeds); ``None`` for fewer than two values (one seed gives no interval).

    Example
    -------
    >>> lo, hi = interval([0.02, 0.03, 0.025])
    >>> round(lo, 4), round(hi, 4)
    (0.0126, 0.0374)
    """
    from scipy.stats import t

    v = np.asarray(values, float)
    if len(v) < 2:
        return None
    half = float(t.ppf(0.5 + confidence / 2, len(v) - 1)) * float(v.std(ddof=1)) / np.sqrt(len(v))
    return float(v.mean() - half), float(v.mean() + half)


def verdict(ci: tuple[float, float] | None) -> str:
    """"helps" when the whole interval is above zero, "hurts" when it is below, else
    "no clear effect" (also for one seed, which gives no interval)."""
    if ci is None:
        return UNCLEAR
    return HELPS if ci[0] > 0 else HURTS if ci[1] < 0 else UNCLEAR


def _change(row: dict[str, Any], key: str, values: np.ndarray | None) -> tuple[float, float] | None:
    """Fill ``key``, ``key_std``, ``key_low`` and ``key_high`` (None without values)."""
    if values is None:
        row[key] = row[f"{key}_std"] = row[f"{key}_low"] = row[f"{key}_high"] = None
        return None
    row[key], row[f"{key}_std"] = _ms(values)
    ci = interval(values)
    row[f"{key}_low"], row[f"{key}_high"] = ci if ci is not None else (None, None)
    return ci


def _points(v: float | None, lo: float | None, hi: float | None) -> str:
    """A change in points with its interval: ``+2.2 [+1.5, +2.9]``."""
    if v is None:
        return "—"
    text = f"{100 * v:+.1f}"
    if lo is not None and hi is not None:
        text += f" [{100 * lo:+.1f}, {100 * hi:+.1f}]"
    return text


class Summary(list):
    """A list of dicts (one per arm) that prints as a text table: accuracies with their
    std over seeds, changes in points with their 95 % interval, and the verdict."""

    COLUMNS = (("arm", "arm", "{}"), ("train_acc", "train acc", "{:.3f}"),
               ("val_acc", "val acc", "{:.3f}"), ("gap", "gap", "{:+.3f}"),
               ("val_change", "Δval vs none, pts [95 %]", "ci"),
               ("val_change_vs_control", "Δval vs clean×2, pts [95 %]", "ci"),
               ("verdict", "verdict", "{}"),
               ("time_s", "time s", "{:.2f}"))

    def to_text(self) -> str:
        header, rows = [], []
        keys = [c for c in self.COLUMNS if any(c[0] in r for r in self)]
        header = [label for _, label, _ in keys]
        for r in self:
            cells = []
            for key, _, fmt in keys:
                v = r.get(key)
                if fmt == "ci":
                    cells.append(_points(v, r.get(f"{key}_low"), r.get(f"{key}_high")))
                    continue
                if v is None:
                    cells.append("—")
                    continue
                text = fmt.format(v)
                std = r.get(f"{key}_std")
                if std is not None:
                    text += " ± " + fmt.replace("+", "").format(std)
                cells.append(text)
            rows.append(cells)
        widths = [max(len(h), *(len(c[i]) for c in rows)) for i, h in enumerate(header)]
        line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=False))  # noqa: E731
        return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return self.to_text()


@dataclass(eq=False)
class LabResult:
    """What :func:`compare` measured.

    Attributes
    ----------
    arms : list of str
        Arm names, the no-augmentation baseline first and the control last.
    curves : dict
        ``curves[arm][metric]`` is a ``(n_seeds, epochs)`` array; metrics are
        ``train_acc``, ``train_loss``, ``val_acc``, ``val_loss``.
    recipes : dict
        Each arm's recipe as JSON (None for no augmentation).
    config : dict
        Data, sizes, epochs, seeds, model, protocol.
    wall_time : float
        Seconds for the whole run; ``arm_time`` per arm.
    """

    arms: list[str]
    curves: dict[str, dict[str, np.ndarray]]
    recipes: dict[str, Any]
    config: dict[str, Any]
    wall_time: float
    arm_time: dict[str, float] = field(default_factory=dict)
    stopped: bool = False
    _recipe_objects: dict[str, Recipe | None] = field(default_factory=dict, repr=False)
    _samples: Any = field(default=None, repr=False)

    # -- numbers ----------------------------------------------------------------------
    @property
    def baseline(self) -> str:
        """The no-augmentation arm every change is measured against."""
        return self.arms[0]

    @property
    def control(self) -> str | None:
        return CONTROL if CONTROL in self.arms else None

    def final(self, arm: str, metric: str = "val_acc") -> np.ndarray:
        """The last epoch's ``metric`` for each seed."""
        self._check_arm(arm)
        return np.asarray(self.curves[arm][metric][:, -1], float)

    def gap(self, arm: str) -> np.ndarray:
        """Final train − validation accuracy per seed (the generalisation gap)."""
        return self.final(arm, "train_acc") - self.final(arm, "val_acc")

    def val_change(self, arm: str, versus: str | None = None) -> np.ndarray:
        """Final validation accuracy minus the baseline's (or ``versus``'s), per seed."""
        return self.final(arm) - self.final(versus or self.baseline)

    def _check_arm(self, arm: str) -> None:
        if arm not in self.curves:
            raise InputError(f"unknown arm {arm!r}; allowed: {', '.join(map(repr, self.arms))}")

    @property
    def reference(self) -> str:
        """The arm the verdicts are measured against: the control, else the baseline."""
        return self.control or self.baseline

    def summary(self) -> Summary:
        """One row per arm: final train/val accuracy and gap (mean and ``_std`` over
        seeds); the change in validation accuracy vs no augmentation (``val_change``) and
        vs the control (``val_change_vs_control``), each with ``_std`` and its 95 %
        t-interval over seeds (``_low``, ``_high``; None for one seed); and ``verdict``:
        "helps", "hurts" or "no clear effect" from the interval against the control (or
        against "none" without a control) — None for the arms without a recipe. A list of
        dicts that prints as a text table (changes shown in points)."""
        rows = Summary()
        for a in self.arms:
            row: dict[str, Any] = {"arm": a}
            for key, values in (("train_acc", self.final(a, "train_acc")),
                                ("val_acc", self.final(a)), ("gap", self.gap(a))):
                row[key], row[f"{key}_std"] = _ms(values)
            ci = _change(row, "val_change", None if a == self.baseline else self.val_change(a))
            if self.control is not None:
                ci = _change(row, "val_change_vs_control",
                             None if a in (self.control, self.baseline)
                             else self.val_change(a, self.control))
            has_recipe = self.recipes.get(a) is not None
            row["verdict"] = verdict(ci) if has_recipe else None
            row["verdict_versus"] = self.reference if has_recipe else None
            row["time_s"] = float(self.arm_time.get(a, 0.0))
            rows.append(row)
        return rows

    def to_frame(self) -> Any:
        """:meth:`summary` as a pandas DataFrame indexed by arm (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            raise InputError("LabResult.to_frame needs pandas (pip install pandas); "
                             "summary() gives the same rows as dicts") from None
        return pd.DataFrame(list(self.summary())).set_index("arm")

    def evidence(self, arm: str) -> dict[str, Any]:
        """A compact JSON-safe record of ``arm``'s effect, for ``recipe.meta["lab"]``."""
        self._check_arm(arm)
        row = next(r for r in self.summary() if r["arm"] == arm)
        base = next(r for r in self.summary() if r["arm"] == self.baseline)
        keys = ("val_acc", "val_acc_std", "gap", "gap_std", "val_change", "val_change_std",
                "val_change_low", "val_change_high", "val_change_vs_control",
                "val_change_vs_control_std", "val_change_vs_control_low",
                "val_change_vs_control_high", "verdict", "verdict_versus")
        return {
            "kind": "compare",
            "arm": arm,
            **{k: row.get(k) for k in keys if k in row},
            "baseline_val_acc": base["val_acc"],
            "baseline_gap": base["gap"],
            "data": self.config["data"]["name"],
            "train_size": self.config["train_size"],
            "val_size": self.config["val_size"],
            "epochs": self.config["epochs"],
            "seeds": list(self.config["seeds"]),
            "model": self.config["model"],
            "mix": self.config.get("mix"),
        }

    def recipe(self, arm: str) -> Recipe:
        """``arm``'s recipe with :meth:`evidence` stored in ``meta["lab"]``."""
        self._check_arm(arm)
        r = self._recipe_objects.get(arm)
        if r is None and self.recipes.get(arm) is not None:
            r = Recipe.from_dict(self.recipes[arm])
        if r is None:
            raise InputError(f"arm {arm!r} has no recipe (it is a no-augmentation arm)")
        return r.replace(meta={**r.meta, "lab": self.evidence(arm)})

    # -- JSON ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: config, per-arm recipe, curves (per seed) and the summary."""
        return {
            "format": _FORMAT,
            "version": 1,
            "config": _jsonable(self.config),
            "arms": {
                a: {
                    "recipe": self.recipes.get(a),
                    "curves": {m: np.round(v, 6).tolist() for m, v in self.curves[a].items()},
                    "time_s": round(float(self.arm_time.get(a, 0.0)), 4),
                }
                for a in self.arms
            },
            "summary": _jsonable(list(self.summary())),
            "wall_time_s": round(self.wall_time, 4),
            "stopped": self.stopped,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LabResult:
        """Rebuild a result saved with :meth:`to_dict`."""
        if not isinstance(d, Mapping) or d.get("format") != _FORMAT:
            raise InputError(f"not a lab result: expected format {_FORMAT!r}")
        arms = list(d["arms"])
        return cls(
            arms=arms,
            curves={a: {m: np.asarray(v, float) for m, v in d["arms"][a]["curves"].items()}
                    for a in arms},
            recipes={a: d["arms"][a]["recipe"] for a in arms},
            config=dict(d["config"]),
            wall_time=float(d["wall_time_s"]),
            arm_time={a: float(d["arms"][a].get("time_s", 0.0)) for a in arms},
            stopped=bool(d.get("stopped", False)),
        )

    # -- display --------------------------------------------------------------------------
    def report(self, path: str | Any, *, samples: int = 8) -> Any:
        """Write one self-contained HTML page (setup, machine and time, the verdict table
        with intervals, the curves, ``samples`` augmented training items per arm and the
        recipes as JSON) to ``path``; returns the path. See :mod:`augviz.lab.report`.

        Example
        -------
        >>> res.report("lab.html")                                    # doctest: +SKIP
        """
        from .report import write_report

        return write_report(self, path, samples=samples)

    def plot(self, ax: Any = None, *, metric: str = "accuracy", train: bool = True) -> Any:
        """Curves per arm: validation (solid) and train (dashed) ``metric`` ("accuracy"
        or "loss") per epoch, mean with a ±1 std band over seeds. Returns the axes.

        Without ``ax`` the plot gets its own figure, which a notebook shows; in a script
        it is written to a PNG file whose path is printed."""
        if metric not in ("accuracy", "loss"):
            raise InputError(f"metric={metric!r} is not allowed; allowed: 'accuracy', 'loss'")
        import matplotlib.pyplot as plt

        from augviz.viz._display import present_figure

        own_figure = ax is None
        if ax is None:
            _, ax = plt.subplots(figsize=(7.5, 4.2))
        suffix = "acc" if metric == "accuracy" else "loss"
        colors = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["C0"])
        summary = {r["arm"]: r for r in self.summary()}
        for i, a in enumerate(self.arms):
            color = colors[i % len(colors)]
            r = summary[a]
            label = a
            if r.get("val_change") is not None:
                label += f"  (Δval {_points(r['val_change'], r['val_change_low'], r['val_change_high'])} pts"
            else:
                label += "  (baseline"
            label += f", gap {r['gap']:.3f}" + (f", {r['verdict']})" if r.get("verdict") else ")")
            for kind, style, alpha in (("val", "-", 0.18), ("train", "--", 0.08)):
                if kind == "train" and not train:
                    continue
                v = self.curves[a][f"{kind}_{suffix}"]
                x = np.arange(1, v.shape[1] + 1)
                mean = v.mean(axis=0)
                std = v.std(axis=0, ddof=1) if v.shape[0] > 1 else np.zeros_like(mean)
                ax.plot(x, mean, style, color=color, lw=1.8 if kind == "val" else 1.1,
                        label=label if kind == "val" else None)
                ax.fill_between(x, mean - std, mean + std, color=color, alpha=alpha, lw=0)
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"{metric} (solid: validation, dashed: train)")
        n = len(self.config["seeds"])
        ax.set_title(f"{self.config['data']['name']}: n={self.config['train_size']}, "
                     f"{n} seed{'s' if n != 1 else ''} (band ±1 std)")
        ax.legend(fontsize=8, loc="lower right" if metric == "accuracy" else "upper right")
        ax.grid(alpha=0.3)
        if own_figure:
            present_figure(ax.figure, "lab curves")
        return ax

    def _repr_html_(self) -> str:
        rows = self.summary()
        base = rows[0]

        def fmt(v: Any, s: Any, signed: bool = False) -> str:
            return "—" if v is None else f"{format(v, '+.3f' if signed else '.3f')} ± {s:.3f}"

        body = []
        for r in rows:
            note = ""
            if r["arm"] != base["arm"] and r["gap"] < base["gap"] and (r["val_change"] or 0) < 0:
                note = "the gap shrank only because train accuracy fell"
            cells = [
                f"<b>{html.escape(r['arm'])}</b>",
                fmt(r["train_acc"], r["train_acc_std"]),
                fmt(r["val_acc"], r["val_acc_std"]),
                fmt(r["gap"], r["gap_std"], signed=True),
                _points(r["val_change"], r["val_change_low"], r["val_change_high"]),
            ]
            if self.control is not None:
                cells.append(_points(r.get("val_change_vs_control"),
                                     r.get("val_change_vs_control_low"),
                                     r.get("val_change_vs_control_high")))
            cells += [f"<b>{html.escape(r['verdict'] or '—')}</b>", f"{r['time_s']:.2f}",
                      html.escape(note)]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = ["arm", "train acc", "val acc", "gap (train − val)", "Δ val acc vs none (pts)"]
        if self.control is not None:
            head.append(f"Δ val vs {html.escape(self.control)} (pts)")
        head += ["verdict", "time (s)", ""]
        c = self.config
        stopped = " <b>(stopped early)</b>" if self.stopped else ""
        n = len(c["seeds"])
        one = " One seed gives no interval: run more seeds for a verdict." if n < 2 else ""
        return (
            f"<div><b>augviz lab</b> — {html.escape(c['data']['name'])}, n={c['train_size']} "
            f"train / {c['val_size']} val, {c['epochs']} epochs, {n} seeds, "
            f"model {html.escape(str(c['model']))}, {self.wall_time:.1f} s{stopped}"
            "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"
            "<tbody>" + "".join(body) + "</tbody></table>"
            "<small>accuracies: mean ± std over seeds; changes: mean [95 % t-interval] over "
            f"seeds. The verdict comes from the interval against {html.escape(self.reference)}"
            f": helps/hurts when it excludes zero.{one} A smaller gap is good only if "
            "validation accuracy does not drop.</small>"
            "</div>"
        )

    def __repr__(self) -> str:
        return (f"LabResult({self.config['data']['name']}, arms={self.arms}, "
                f"epochs={self.config['epochs']}, seeds={self.config['seeds']}, "
                f"wall_time={self.wall_time:.2f}s)\n{self.summary().to_text()}")


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, float):
        return round(v, 6)
    return v

