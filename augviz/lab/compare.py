"""``compare``: train the same quick model per recipe and measure what augmentation does.

Every arm follows the lab's training protocol (:mod:`augviz.lab.protocol`): each epoch
an arm trains on the clean training set plus one freshly augmented copy; the "none" arm
trains on the clean set only, and the compute-matched control arm (``"clean ×2"``) on
the clean set twice, so "more steps" and "augmentation" can be told apart. Every arm of
a seed shares the split and the initial weights, so the change in validation accuracy is
a paired difference. The arms train epoch by epoch in turn, so their curves grow
together and a stop leaves every arm at the same epoch.
"""

from __future__ import annotations

import html
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe, as_recipe
from augviz.core.recipe import STEP_KINDS

from .args import EPOCHS, MIX, SEED, SEEDS, check_each
from .data import load_data
from .models import features_for, model_factory
from .protocol import METRICS, fit_arm, make_fold

__all__ = ["CONTROL", "METRICS", "NONE", "LabResult", "Summary", "compare"]

NONE = "none"
CONTROL = "clean ×2"
_FORMAT = "augviz.lab.compare"

# ---------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------


def _as_recipe(value: Any, name: str, modality: str) -> Recipe | None:
    """An arm's recipe (``None``: no augmentation)."""
    if value is None:
        return None
    try:
        return as_recipe(value, where=f"arm {name!r}", modality=modality)
    except InputError as exc:
        raise InputError(f"{exc}; or None for no augmentation") from None


def resolve_arms(arms: Any, modality: str, control: bool) -> dict[str, Recipe | None]:
    """Normalise ``arms`` to ``{name: Recipe | None}`` with a no-augmentation baseline
    first and (if ``control``) the compute-matched control last."""
    if isinstance(arms, Mapping):
        items = list(arms.items())
    elif isinstance(arms, Recipe) or getattr(arms, "kind", None) in STEP_KINDS:
        items = [(getattr(arms, "name", "") or "recipe", arms)]
    elif isinstance(arms, Sequence) and not isinstance(arms, (str, bytes)):
        items = []
        for i, r in enumerate(arms):
            label = getattr(r, "name", "") or (NONE if r is None else f"arm {i}")
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
        out[name] = _as_recipe(value, name, modality)
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
    mix: str = "clean+aug",
    on_epoch: Callable[[dict[str, Any]], Any] | None = None,
) -> LabResult:
    """Train a quick model per arm and compare train/validation curves.

    Parameters
    ----------
    arms : dict of str to Recipe, Transform, recipe path or None
        ``None`` means no augmentation (the baseline; one named ``"none"`` is added if
        missing). A list of recipes is named by ``recipe.name``.
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
        Add the compute-matched ``"clean ×2"`` arm.
    mix : {"clean+aug", "aug"}
        What an augmented arm trains on each epoch: the clean set plus one fresh
        augmented copy (default, the prototype's protocol), or two fresh augmented copies
        (as a training pipeline that augments every sample would; same compute).
    on_epoch : callable, optional
        Called after every arm-epoch with a dict (``seed``, ``arm``, ``epoch``, the four
        metrics, ``done``/``total``); returning ``False`` stops the run (the result then
        holds the finished seeds, or the finished epochs of the first one, and
        ``stopped=True``).

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
    arm_map = resolve_arms(arms, lab_data.modality, bool(control))
    mix = MIX.check_argument(mix, where=where)
    model_name, factory = model_factory(model, lab_data.modality)
    feat = features_for(lab_data.modality)
    names = list(arm_map)
    hist = {a: {m: np.full((len(seed_list), epochs), np.nan) for m in METRICS} for a in names}
    arm_time = dict.fromkeys(names, 0.0)
    total = len(seed_list) * epochs * len(names)
    done = 0
    done_seeds = 0
    last_epoch = 0
    stopped = False
    n_train = n_val = 0
    t0 = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        try:
            for si, sv in enumerate(seed_list):
                ss_split, ss_init = np.random.SeedSequence(sv).spawn(2)
                fold = make_fold(lab_data, feat, train_size, val_size, split_seed=ss_split,
                                 init_seed=ss_init, where=where)
                n_train, n_val = len(fold.split.train), len(fold.split.val)
                runs = {
                    a: fit_arm(fold.new_model(factory, model_name), fold, feat, epochs=epochs,
                               seed=np.random.SeedSequence([sv, _arm_key(a)]), recipe=arm_map[a],
                               mix=mix, repeat_clean=a == CONTROL)
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
                     else "each epoch: two fresh augmented copies")
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
    )


# ---------------------------------------------------------------------------------
# the result
# ---------------------------------------------------------------------------------


def _ms(v: np.ndarray) -> tuple[float, float]:
    v = np.asarray(v, float)
    return float(v.mean()), float(v.std(ddof=1)) if len(v) > 1 else 0.0


class Summary(list):
    """A list of dicts (one per arm) that prints as a text table."""

    COLUMNS = (("arm", "arm", "{}"), ("train_acc", "train acc", "{:.3f}"),
               ("val_acc", "val acc", "{:.3f}"), ("gap", "gap", "{:+.3f}"),
               ("val_change", "Δval vs none (pts)", "{:+.1f}"),
               ("val_change_vs_control", "Δval vs clean×2 (pts)", "{:+.1f}"),
               ("time_s", "time s", "{:.2f}"))

    def to_text(self) -> str:
        header, rows = [], []
        for key, label, _ in self.COLUMNS:
            if any(key in r for r in self):
                header.append(label)
        for r in self:
            cells = []
            for key, _, fmt in self.COLUMNS:
                if not any(key in q for q in self):
                    continue
                v = r.get(key)
                if v is None:
                    cells.append("—")
                    continue
                scale = 100.0 if key.startswith("val_change") else 1.0
                text = fmt.format(v * scale if isinstance(v, float) else v)
                std = r.get(f"{key}_std")
                if std is not None:
                    text += " ± " + fmt.replace("+", "").format(std * scale)
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

    def summary(self) -> Summary:
        """One row per arm: final train/val accuracy, gap and the change in validation
        accuracy vs no augmentation (and vs the control), mean and ``_std`` over seeds.
        A list of dicts that prints as a text table (changes shown in points)."""
        rows = Summary()
        for a in self.arms:
            row: dict[str, Any] = {"arm": a}
            for key, values in (("train_acc", self.final(a, "train_acc")),
                                ("val_acc", self.final(a)), ("gap", self.gap(a))):
                row[key], row[f"{key}_std"] = _ms(values)
            if a == self.baseline:
                row["val_change"] = row["val_change_std"] = None
            else:
                row["val_change"], row["val_change_std"] = _ms(self.val_change(a))
            if self.control is not None:
                if a in (self.control, self.baseline):
                    row["val_change_vs_control"] = row["val_change_vs_control_std"] = None
                else:
                    row["val_change_vs_control"], row["val_change_vs_control_std"] = _ms(
                        self.val_change(a, self.control))
            row["time_s"] = float(self.arm_time.get(a, 0.0))
            rows.append(row)
        return rows

    def evidence(self, arm: str) -> dict[str, Any]:
        """A compact JSON-safe record of ``arm``'s effect, for ``recipe.meta["lab"]``."""
        self._check_arm(arm)
        row = next(r for r in self.summary() if r["arm"] == arm)
        base = next(r for r in self.summary() if r["arm"] == self.baseline)
        keys = ("val_acc", "val_acc_std", "gap", "gap_std", "val_change", "val_change_std",
                "val_change_vs_control", "val_change_vs_control_std")
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
                label += f"  (Δval {100 * r['val_change']:+.1f}±{100 * r['val_change_std']:.1f} pts"
            else:
                label += "  (baseline"
            label += f", gap {r['gap']:.3f})"
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

        def fmt(v: Any, s: Any, points: bool = False, signed: bool = False) -> str:
            if v is None:
                return "—"
            k = 100.0 if points else 1.0
            spec = "+.1f" if points else ("+.3f" if signed else ".3f")
            return f"{format(v * k, spec)} ± {format(s * k, '.1f' if points else '.3f')}"

        body = []
        for r in rows:
            note = ""
            if r["arm"] != base["arm"] and r["gap"] < base["gap"] and (r["val_change"] or 0) < 0:
                note = ("gap shrank only because train accuracy fell: validation accuracy "
                        "dropped")
            elif r.get("val_change") is not None and r["val_change"] > r["val_change_std"]:
                note = "helps"
            elif r.get("val_change") is not None and r["val_change"] < -r["val_change_std"]:
                note = "hurts"
            cells = [
                f"<b>{html.escape(r['arm'])}</b>",
                fmt(r["train_acc"], r["train_acc_std"]),
                fmt(r["val_acc"], r["val_acc_std"]),
                fmt(r["gap"], r["gap_std"], signed=True),
                fmt(r["val_change"], r["val_change_std"], points=True),
            ]
            if self.control is not None:
                cells.append(fmt(r.get("val_change_vs_control"),
                                 r.get("val_change_vs_control_std"), points=True))
            cells += [f"{r['time_s']:.2f}", html.escape(note)]
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        head = ["arm", "train acc", "val acc", "gap (train − val)", "Δ val acc vs none (pts)"]
        if self.control is not None:
            head.append("Δ val vs clean ×2 (pts)")
        head += ["time (s)", ""]
        c = self.config
        stopped = " <b>(stopped early)</b>" if self.stopped else ""
        return (
            f"<div><b>augviz lab</b> — {html.escape(c['data']['name'])}, n={c['train_size']} "
            f"train / {c['val_size']} val, {c['epochs']} epochs, {len(c['seeds'])} seeds, "
            f"model {html.escape(str(c['model']))}, {self.wall_time:.1f} s{stopped}"
            "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"
            "<tbody>" + "".join(body) + "</tbody></table>"
            "<small>mean ± std over seeds. A smaller gap is good only if validation accuracy "
            "does not drop: a harmful recipe shrinks the gap by lowering train accuracy.</small>"
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

