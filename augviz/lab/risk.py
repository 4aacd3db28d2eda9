"""``label_risk``: how often a transform changes a trained model's prediction, per class.

An *oracle* model is trained once with the lab's training protocol
(:mod:`augviz.lab.protocol`; by default with the mild recipe, so that mild
transforms are not overstated: a clean-trained model flips on small rotations it has
never seen), then every held-out item is classified clean and transformed at each
magnitude. The risk is the fraction of items whose prediction changes; the confusion
says which class they turn into (sixes → nines).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from augviz.core import InputError, Range, Recipe, Transform
from augviz.core.recipe import STEP_KINDS

from .args import EPOCHS, SEED, TRAIN_SIZE
from .data import LabData
from .load import load_data
from .models import features_of, model_factory
from .protocol import evaluate, fit_arm, make_fold

__all__ = ["RiskResult", "label_risk", "train_oracle"]

_FORMAT = "augviz.lab.label_risk"
#: default sweep as fractions of the parameter's upper bound (angle: 0, 15, 30, … 180°)
_FRACTIONS = (0.0, 1 / 12, 1 / 6, 1 / 4, 1 / 3, 1 / 2, 3 / 4, 1.0)


@dataclass(eq=False)
class Oracle:
    """A trained model with what it was trained on and the held-out items to probe."""

    model: Any
    data: LabData
    eval_idx: np.ndarray
    info: dict[str, Any]


def train_oracle(
    data: Any = "digits",
    recipe: Any = "mild",
    *,
    train_size: int = 1000,
    epochs: int = 20,
    seed: int = 0,
    model: Any = "auto",
) -> Oracle:
    """Train the model ``label_risk`` asks: trained on ``train_size`` items, each epoch the
    clean set plus one copy augmented with ``recipe`` (``"mild"``: the digits preset;
    ``None``: clean only). The rest of the data is held out for probing.

    Example
    -------
    >>> oracle = train_oracle("digits", epochs=2, train_size=300)        # doctest: +SKIP
    """
    from threadpoolctl import threadpool_limits

    from . import presets

    where = "lab.train_oracle"
    lab = load_data(data)
    train_size = TRAIN_SIZE.check_argument(train_size, where=where)
    epochs = EPOCHS.check_argument(epochs, where=where)
    seed = SEED.check_argument(seed, where=where)
    if isinstance(recipe, str) and recipe == "mild":
        recipe = presets.digits_mild() if lab.modality == "image" else None
    if recipe is not None and (not isinstance(recipe, Recipe) or recipe.modality != lab.modality):
        raise InputError(
            f"oracle recipe must be a {lab.modality} Recipe, 'mild' or None; got {recipe!r}"
        )
    # keep a fifth of the data (at least 10 items) to probe
    train_size = min(train_size, len(lab) - max(10, len(lab) // 5))
    ss_split, ss_init, ss_train = np.random.SeedSequence([seed, 1]).spawn(3)
    name, factory = model_factory(model, lab.modality, lab)
    feat = features_of(lab)
    fold = make_fold(lab, feat, train_size, len(lab) - train_size, split_seed=ss_split,
                     init_seed=ss_init, where=where)
    net = fold.new_model(factory, name)
    with threadpool_limits(limits=1, user_api="blas"):
        # the clean copy keeps the oracle sharp on the clean items it is probed with
        for _ in fit_arm(net, fold, feat, epochs=epochs, seed=ss_train, recipe=recipe,
                         mix="clean+aug", measure=False):
            pass
        acc, _ = evaluate(net, fold.f_val, fold.y_val)
    info = {"model": name, "recipe": None if recipe is None else recipe.to_dict(),
            "train_size": len(fold.split.train), "epochs": epochs, "seed": seed,
            "clean_val_acc": acc}
    return Oracle(net, lab, fold.split.val, info)


def _sweep_param(t: Transform, param: str | None) -> Range | None:
    ranges = [s for s in t.PARAMS if isinstance(s, Range)]
    if param is None:
        return ranges[0] if ranges else None
    for s in ranges:
        if s.name == param:
            return s
    allowed = ", ".join(s.name for s in ranges) or "(none: this transform has no range parameter)"
    raise InputError(f"param={param!r} cannot be swept on {t.id}; allowed: {allowed}")


def _default_magnitudes(spec: Range) -> list[float]:
    if spec.low < 0 < spec.high or spec.low == 0:
        vals = [spec.high * f for f in _FRACTIONS]
    else:
        vals = [spec.low + (spec.high - spec.low) * f for f in _FRACTIONS]
    return [int(v) if spec.integer else round(float(v), 6) for v in vals]


def label_risk(
    transform_or_recipe: Any,
    data: Any = "digits",
    *,
    magnitudes: Sequence[float] | None = None,
    param: str | None = None,
    oracle: Any = "mild",
    seed: int = 0,
    train_size: int = 1000,
    epochs: int = 20,
    model: Any = "auto",
) -> RiskResult:
    """Per-class rate at which ``transform_or_recipe`` changes a trained model's prediction.

    Parameters
    ----------
    transform_or_recipe : Transform, Recipe or group
        A transform is swept over ``magnitudes`` of ``param`` (default: its first range
        parameter, e.g. ``angle``), each a *fixed* value (``with_params(angle=m)``). A
        recipe, or a transform without a range parameter (``hflip``), is one point.
    data : str, (x, y) or LabData
    magnitudes : list of float, optional
        Default: 0 … the parameter's upper bound (angle: 0, 15, 30, 45, 60, 90, 135, 180).
    oracle : "mild", None, Recipe, or a trained oracle
        What the probing model was trained with (see :func:`train_oracle`); pass the
        result of :func:`train_oracle` to reuse one.
    seed, train_size, epochs, model
        Passed to :func:`train_oracle`.

    Returns
    -------
    RiskResult

    Example
    -------
    >>> from augviz.image import Rotate
    >>> risk = label_risk(Rotate(), "digits", magnitudes=[0, 15, 90, 180])   # doctest: +SKIP
    >>> risk.plot()                                                           # doctest: +SKIP
    """
    from threadpoolctl import threadpool_limits

    seed = SEED.check_argument(seed, where="lab.label_risk")
    if isinstance(oracle, Oracle):
        orc = oracle
        if data is not None and data != "digits" and load_data(data) is not orc.data:
            orc = oracle  # the oracle's own data is always the one probed
    else:
        orc = train_oracle(data, oracle, train_size=train_size, epochs=epochs, seed=seed,
                           model=model)
    lab = orc.data
    kind = getattr(transform_or_recipe, "kind", None)
    if kind in STEP_KINDS and kind != "transform":  # a group is measured as one recipe
        transform_or_recipe = Recipe([transform_or_recipe])
    if kind == "transform":
        t = transform_or_recipe
        if t.modality != lab.modality:
            raise InputError(f"{t.id} is a {t.modality} transform but the data is {lab.modality}")
        spec = _sweep_param(t, param)
        if spec is None:
            points = [(t.id, Recipe([t.with_params(p=1.0)]))]
            param_name = None
        else:
            mags = list(magnitudes) if magnitudes is not None else _default_magnitudes(spec)
            if not mags:
                raise InputError("magnitudes is empty; allowed: a list of values for "
                                 f"{spec.name} inside [{spec.low:g}, {spec.high:g}]")
            points = [(float(m), Recipe([t.with_params(p=1.0, **{spec.name: m})])) for m in mags]
            param_name = spec.name
        label = t.id
    elif isinstance(transform_or_recipe, Recipe):
        r = transform_or_recipe
        if r.modality != lab.modality:
            raise InputError(f"the recipe is a {r.modality} recipe but the data is {lab.modality}")
        points = [(r.name or "recipe", r)]
        param_name, label = None, r.name or "recipe"
    else:
        raise InputError(
            f"label_risk takes a Transform or a Recipe; got {type(transform_or_recipe).__name__}"
        )
    feat = features_of(lab)
    x_ev, y_ev = lab.subset(orc.eval_idx)
    k = lab.n_classes
    gen = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    with threadpool_limits(limits=1, user_api="blas"):
        clean = np.asarray(orc.model.predict_proba(feat(x_ev))).argmax(1)
        overall, per_class, confusion = [], [], []
        right = clean == y_ev
        for _, recipe in points:
            pred = np.asarray(orc.model.predict_proba(feat(recipe.batch(x_ev, rng=gen)))).argmax(1)
            changed = pred != clean
            overall.append(float(changed.mean()))
            per_class.append([float(changed[y_ev == c].mean()) if np.any(y_ev == c) else np.nan
                              for c in range(k)])
            conf = np.zeros((k, k))
            np.add.at(conf, (y_ev[right], pred[right]), 1.0)
            conf /= np.maximum(conf.sum(axis=1, keepdims=True), 1.0)
            confusion.append(conf)
    return RiskResult(
        label=label,
        param=param_name,
        magnitudes=[m for m, _ in points],
        overall=np.array(overall),
        per_class=np.array(per_class),
        confusion=np.array(confusion),
        class_names=list(lab.class_names or []),
        counts=np.bincount(y_ev, minlength=k),
        oracle=dict(orc.info),
        data=lab.describe(),
    )


@dataclass(eq=False)
class RiskResult:
    """What :func:`label_risk` measured.

    ``overall[i]`` and ``per_class[i, c]`` are the fraction of (class-``c``) held-out items
    whose prediction changes at ``magnitudes[i]``. ``confusion[i, c, k]`` is the fraction of
    class-``c`` items (that the oracle got right when clean) predicted ``k`` after the
    transform: ``confusion[i, 6, 9]`` is "sixes → nines".
    """

    label: str
    param: str | None
    magnitudes: list[Any]
    overall: np.ndarray
    per_class: np.ndarray
    confusion: np.ndarray
    class_names: list[str]
    counts: np.ndarray
    oracle: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def _index(self, magnitude: Any) -> int:
        if magnitude is None:
            return len(self.magnitudes) - 1
        for i, m in enumerate(self.magnitudes):
            if m == magnitude:
                return i
        raise InputError(f"magnitude {magnitude!r} was not measured; allowed: {self.magnitudes}")

    def worst_classes(self, n: int = 2, magnitude: Any = None) -> list[str]:
        """The ``n`` classes with the highest risk (at ``magnitude``; default: the mean
        over the sweep)."""
        risk = self.per_class.mean(axis=0) if magnitude is None else self.per_class[self._index(magnitude)]
        order = np.argsort(-np.nan_to_num(risk, nan=-1.0), kind="stable")
        return [self.class_names[i] for i in order[:n]]

    def flip_classes(self, n: int = 2, magnitude: Any = None) -> list[str]:
        """The ``n`` classes most consistently turned into one *other* class at
        ``magnitude`` (default: the largest) — a label flip such as 6 → 9 at 180°, not
        just a diffuse change."""
        conf = self.confusion[self._index(magnitude)].copy()
        np.fill_diagonal(conf, 0.0)
        score = conf.max(axis=1)
        order = np.argsort(-score, kind="stable")
        return [self.class_names[i] for i in order[:n]]

    def flips(self, magnitude: Any = None, n: int = 5) -> list[dict[str, Any]]:
        """The ``n`` most frequent "class c turns into class k" moves (default: at the
        largest magnitude), each ``{"from", "to", "rate"}``."""
        conf = self.confusion[self._index(magnitude)].copy()
        np.fill_diagonal(conf, 0.0)
        flat = np.argsort(-conf, axis=None, kind="stable")[:n]
        out = []
        for f in flat:
            c, k = np.unravel_index(f, conf.shape)
            if conf[c, k] > 0:
                out.append({"from": self.class_names[c], "to": self.class_names[k],
                            "rate": float(conf[c, k])})
        return out

    def table(self) -> list[dict[str, Any]]:
        """One row per magnitude: overall risk and per-class risk."""
        rows = []
        for i, m in enumerate(self.magnitudes):
            row: dict[str, Any] = {"magnitude": m, "overall": float(self.overall[i])}
            row.update({c: float(v)
                        for c, v in zip(self.class_names, self.per_class[i], strict=True)})
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (also fits in ``recipe.meta["lab"]``)."""
        return {
            "format": _FORMAT,
            "version": 1,
            "label": self.label,
            "param": self.param,
            "magnitudes": list(self.magnitudes),
            "overall": np.round(self.overall, 6).tolist(),
            "per_class": np.round(np.nan_to_num(self.per_class, nan=-1.0), 6).tolist(),
            "confusion": np.round(self.confusion, 6).tolist(),
            "class_names": list(self.class_names),
            "counts": self.counts.tolist(),
            "oracle": self.oracle,
            "data": self.data,
        }

    def plot(self, ax: Any = None, *, highlight: int = 2) -> Any:
        """Risk vs magnitude: one thin grey line per class, the ``highlight`` classes most
        turned into another class (:meth:`flip_classes`, e.g. 6 and 9 under rotation) in
        colour, the overall rate in black. Returns the axes (without ``ax``: a new figure,
        written to a PNG file whose path is printed when there is no notebook to show it)."""
        import matplotlib.pyplot as plt

        from augviz.viz._display import present_figure

        own_figure = ax is None
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.2))
        numeric = all(isinstance(m, (int, float)) for m in self.magnitudes)
        x = np.array(self.magnitudes, float) if numeric else np.arange(len(self.magnitudes))
        marked = self.flip_classes(highlight)
        for c, name in enumerate(self.class_names):
            if name in marked:
                continue
            ax.plot(x, 100 * self.per_class[:, c], "-", color="0.75", lw=1, zorder=1)
        for i, name in enumerate(marked):
            c = self.class_names.index(name)
            to = next((f for f in self.flips(n=len(self.class_names) ** 2)
                       if f["from"] == name), None)
            extra = ""
            if to:
                extra = f" (→ {to['to']} {100 * to['rate']:.0f}%{_at(self.magnitudes[-1])})"
            ax.plot(x, 100 * self.per_class[:, c], "o-", color=f"C{i + 1}", lw=2,
                    label=f"class {name}{extra}", zorder=3)
        ax.plot(x, 100 * self.overall, "s-", color="black", lw=2.5, label="all classes", zorder=4)
        ax.plot([], [], "-", color="0.75", label="other classes")
        if not numeric:
            ax.set_xticks(x, [str(m) for m in self.magnitudes])
        ax.set_xlabel(self.param or "transform")
        ax.set_ylabel("prediction changed (%)")
        ax.set_ylim(-3, 103)
        ax.set_title(f"label risk of {self.label} on {self.data.get('name', 'data')} "
                     f"(oracle: {'mild-aug' if self.oracle.get('recipe') else 'clean'}, "
                     f"clean acc {self.oracle.get('clean_val_acc', float('nan')):.2f})",
                     fontsize=10)
        ax.legend(fontsize=8, loc="upper left")
        ax.grid(alpha=0.3)
        if own_figure:
            present_figure(ax.figure, "label risk")
        return ax

    def plot_confusion(self, magnitude: Any = None, ax: Any = None) -> Any:
        """"What class does it turn into" at ``magnitude`` (default: the largest), as an
        image: rows = true class, columns = prediction after the transform."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(4.6, 4.2))
        i = self._index(magnitude)
        im = ax.imshow(100 * self.confusion[i], cmap="magma_r", vmin=0, vmax=100)
        k = len(self.class_names)
        ax.set_xticks(range(k), self.class_names)
        ax.set_yticks(range(k), self.class_names)
        ax.set_xlabel("predicted after transform")
        ax.set_ylabel("true class")
        ax.set_title(f"{self.label}{_at(self.magnitudes[i], self.param)}: turns into (%)",
                     fontsize=10)
        ax.figure.colorbar(im, ax=ax, fraction=0.046)
        return ax

    def _repr_html_(self) -> str:
        cols = ["magnitude", "all", *self.class_names]
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(
                f"<td>{html.escape(str(v)) if j == 0 else f'{100 * v:.0f}%'}</td>"
                for j, v in enumerate([r["magnitude"], r["overall"],
                                       *[r[c] for c in self.class_names]])
            ) + "</tr>"
            for r in self.table()
        )
        flips = ", ".join(f"{f['from']}→{f['to']} {100 * f['rate']:.0f}%" for f in self.flips())
        return (f"<div><b>label risk</b> of {html.escape(self.label)} "
                f"({html.escape(self.param or '')}); worst classes: "
                f"{html.escape(', '.join(self.worst_classes()))}; top moves at the largest "
                f"magnitude: {html.escape(flips)}<table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")


def _at(m: Any, param: str | None = None) -> str:
    if not isinstance(m, (int, float)):
        return ""
    return f" {param}={m:g}" if param else f" at {m:g}"
