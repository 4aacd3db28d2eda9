"""``target_risk``: what a transform does to the boxes, keypoints and masks that travel
with the image, per parameter value — no model needed.

For each value of the swept parameter, every sample is augmented ``repeats`` times
(the same draws at every value, so the curves differ only by the value) and the
targets after are compared with the targets before:

- ``boxes_dropped``: boxes with nothing left in the frame;
- ``boxes_cut``: boxes still there but with less than ``min_visibility`` of their
  area in the frame (a detector would learn from a sliver);
- ``keypoints_out``: keypoints carried out of the frame;
- ``lr_swapped``: left/right pairs (``Keypoints.flip_pairs``) swapped because the
  move mirrored the image — without the pairs, their labels would now be wrong;
- ``mask_lost``: the share of the masks' foreground area (values other than 0 and
  ``mask_fill``) that left the frame, corrected for the transform's change of scale.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from augviz.core import Float, InputError, Int, Recipe
from augviz.core.recipe import STEP_KINDS
from augviz.core.registry import get as get_transform

from .args import SEED
from .risk import _default_magnitudes, _sweep_param

__all__ = ["TargetRiskResult", "target_risk"]

_FORMAT = "augviz.lab.target_risk"
#: what is measured, in the order of the table and the plot, with its plot label
METRICS = {
    "boxes_dropped": "boxes dropped",
    "boxes_cut": "boxes cut below min_visibility",
    "keypoints_out": "keypoints out of the frame",
    "lr_swapped": "left/right pairs swapped",
    "mask_lost": "mask area lost",
}
REPEATS = Int("repeats", 1, 100, 4, doc="Draws per sample and parameter value.")
MIN_VISIBILITY = Float("min_visibility", 0.0, 1.0, 0.5, step=0.05,
                       doc="A box with less than this share of its area in the frame counts as cut.")


def _as_samples(samples: Any) -> list[Any]:
    from augviz.image import Sample

    if samples is None:
        from augviz.datasets import sample_detection

        return sample_detection()
    if isinstance(samples, Sample):
        samples = [samples]
    if isinstance(samples, (str, bytes)) or not isinstance(samples, Sequence) or not len(samples):
        raise InputError(f"target_risk: samples is {type(samples).__name__}; allowed: a Sample or a "
                         "non-empty list of augviz.image.Sample (with boxes, keypoints or masks)")
    for i, s in enumerate(samples):
        if not isinstance(s, Sample):
            raise InputError(f"target_risk: samples[{i}] is {type(s).__name__}; allowed: "
                             "augviz.image.Sample")
    if all(s.boxes is None and s.keypoints is None and s.masks is None for s in samples):
        raise InputError("target_risk: none of the samples has boxes, keypoints or masks to measure")
    return list(samples)


def _points(transform_or_recipe: Any, magnitudes: Sequence[float] | None,
            param: str | None) -> tuple[str, str | None, list[tuple[Any, Recipe]]]:
    kind = getattr(transform_or_recipe, "kind", None)
    if kind in STEP_KINDS and kind != "transform":
        transform_or_recipe = Recipe([transform_or_recipe])
    if kind == "transform":
        t = transform_or_recipe
        if t.modality != "image":
            raise InputError(f"target_risk measures image targets; {t.id} is a {t.modality} transform")
        spec = _sweep_param(t, param)
        if spec is None:
            return t.id, None, [(t.id, Recipe([t.with_params(p=1.0)]))]
        mags = list(magnitudes) if magnitudes is not None else _default_magnitudes(spec)
        if not mags:
            raise InputError("magnitudes is empty; allowed: a list of values for "
                             f"{spec.name} inside [{spec.low:g}, {spec.high:g}]")
        return t.id, spec.name, [(m, Recipe([t.with_params(p=1.0, **{spec.name: m})])) for m in mags]
    if isinstance(transform_or_recipe, Recipe):
        r = transform_or_recipe
        if r.modality != "image":
            raise InputError(f"target_risk measures image targets; the recipe is a {r.modality} recipe")
        return r.name or "recipe", None, [(r.name or "recipe", r)]
    raise InputError("target_risk takes an image Transform or Recipe; got "
                     f"{type(transform_or_recipe).__name__}")


def _area_scale(records: list[dict[str, Any]], hw: tuple[int, int]) -> float:
    """How much the applied steps scale areas (1 for moves without a matrix)."""
    scale = 1.0
    shape: tuple[int, ...] = hw
    for rec in records:
        if not rec.get("applied"):
            continue
        cls = get_transform(rec["transform"])
        if not getattr(cls, "moves_pixels", False):
            continue
        t = cls()
        m = t.geometry(rec["values"], shape)
        if m is not None:
            m = np.asarray(m, np.float64)
            c = np.array([(shape[1] - 1) / 2, (shape[0] - 1) / 2, 1.0])
            w = float(m[2] @ c)  # a perspective scales by det / w³ around the centre
            scale *= abs(float(np.linalg.det(m))) / abs(w) ** 3
        shape = t.apply(np.zeros(shape[:2], np.uint8), **rec["values"]).shape
    return scale


def _foreground(sample: Any) -> int:
    return sum(int(np.count_nonzero((m != 0) & (m != sample.mask_fill))) for m in sample.mask_list())


def _measure(recipe: Recipe, sample: Any, seed: int, min_visibility: float) -> dict[str, tuple[float, float]]:
    """(events, opportunities) per metric for one draw."""
    from augviz.image import Boxes, Keypoints

    boxes, kps = sample.boxes, sample.keypoints
    # boxes labelled by their index tell which ones survive; a second run with the
    # threshold (and without flip pairs) shares every drawn value with the first
    tagged = None if boxes is None else Boxes(boxes.to_xyxy(sample.shape), labels=range(len(boxes)))
    a_in = sample.replace(boxes=tagged)
    out_a, records = recipe.trace(a_in, rng=seed)
    b_boxes = None if boxes is None else Boxes(tagged.coords, labels=tagged.labels,
                                               min_visibility=min_visibility)
    b_kps = None if kps is None else Keypoints(kps.xy, labels=kps.labels, visible=kps.visible)
    out_b = recipe(sample.replace(boxes=b_boxes, keypoints=b_kps, masks=None), rng=seed)
    res: dict[str, tuple[float, float]] = {}
    if boxes is not None:
        n = len(boxes)
        kept_a = set(out_a.boxes.labels or ())
        kept_b = set(out_b.boxes.labels or ())
        res["boxes_dropped"] = (n - len(kept_a), n)
        res["boxes_cut"] = (len(kept_a - kept_b), n)
    if kps is not None:
        before = kps.visible
        res["keypoints_out"] = (float(np.count_nonzero(before & ~out_b.keypoints.visible)),
                                float(np.count_nonzero(before)))
        if kps.flip_pairs:
            xa, xb = out_a.keypoints.xy, out_b.keypoints.xy
            swapped = sum(1 for i, j in kps.flip_pairs
                          if np.allclose(xa[i], xb[j]) and not np.allclose(xa[i], xb[i]))
            res["lr_swapped"] = (float(swapped), float(len(kps.flip_pairs)))
    if sample.masks is not None:
        fg = _foreground(sample)
        if fg:
            kept = _foreground(out_a) / _area_scale(records, sample.shape)
            res["mask_lost"] = (fg * float(np.clip(1 - kept / fg, 0, 1)), float(fg))
    return res


def target_risk(
    transform_or_recipe: Any,
    samples: Any = None,
    *,
    magnitudes: Sequence[float] | None = None,
    param: str | None = None,
    repeats: int = 4,
    min_visibility: float = 0.5,
    seed: int = 0,
) -> TargetRiskResult:
    """How often ``transform_or_recipe`` drops or cuts boxes, carries keypoints out of
    the frame, swaps left/right keypoints and loses mask area, per parameter value.

    Parameters
    ----------
    transform_or_recipe : Transform, Recipe or group
        A transform is swept over ``magnitudes`` of ``param`` (default: its first range
        parameter), each a fixed value, with ``p=1``; its other parameters are drawn as
        usual (a crop's position, …). A recipe, or a transform without a range
        parameter (``hflip``), is one point.
    samples : Sample, list of Sample, or None
        The annotated images (``None``: :func:`augviz.datasets.sample_detection`).
    magnitudes : list of float, optional
        Default: 0 … the parameter's upper bound, as in :func:`label_risk`.
    repeats : int
        Draws per sample and value (the same draws at every value).
    min_visibility : float
        A box with less than this share of its area left in the frame counts as cut.
    seed : int

    Returns
    -------
    TargetRiskResult
        ``rates[metric]`` per magnitude (NaN where the samples have nothing to measure),
        ``table()``, ``plot()``.

    Example
    -------
    >>> from augviz.image import RandomResizedCrop
    >>> from augviz.datasets import sample_detection
    >>> risk = target_risk(RandomResizedCrop(), sample_detection(2),
    ...                    magnitudes=[1.0, 0.5, 0.1], repeats=1)
    >>> risk.param, len(risk.rates["boxes_dropped"])
    ('scale', 3)
    """
    where = "lab.target_risk"
    seed = SEED.check_argument(seed, where=where)
    repeats = REPEATS.check_argument(repeats, where=where)
    min_visibility = MIN_VISIBILITY.check_argument(min_visibility, where=where)
    items = _as_samples(samples)
    label, param_name, points = _points(transform_or_recipe, magnitudes, param)
    seeds = np.random.SeedSequence([seed, 3]).generate_state(len(items) * repeats).tolist()
    rates = {m: [] for m in METRICS}
    totals = dict.fromkeys(METRICS, 0.0)
    for _, recipe in points:
        sums = {m: [0.0, 0.0] for m in METRICS}
        for k, s in enumerate(items):
            for r in range(repeats):
                for name, (events, chances) in _measure(recipe, s, int(seeds[k * repeats + r]),
                                                        min_visibility).items():
                    sums[name][0] += events
                    sums[name][1] += chances
        for name, (events, chances) in sums.items():
            rates[name].append(events / chances if chances else float("nan"))
            totals[name] = chances / repeats
    return TargetRiskResult(
        label=label, param=param_name, magnitudes=[m for m, _ in points],
        rates={k: np.array(v) for k, v in rates.items()}, counts=totals, n_samples=len(items),
        repeats=repeats, min_visibility=min_visibility, seed=seed)


@dataclass(eq=False, repr=False)
class TargetRiskResult:
    """What :func:`target_risk` measured: ``rates[metric][i]`` is the share (0–1) at
    ``magnitudes[i]``; ``counts[metric]`` how many boxes / keypoints / pairs / mask
    pixels one pass over the samples holds (the denominators)."""

    label: str
    param: str | None
    magnitudes: list[Any]
    rates: dict[str, np.ndarray]
    counts: dict[str, float] = field(default_factory=dict)
    n_samples: int = 0
    repeats: int = 1
    min_visibility: float = 0.5
    seed: int = 0

    def __repr__(self) -> str:
        over = f" over {self.param}" if self.param else ""
        return (f"TargetRiskResult({self.label}{over}: {len(self.magnitudes)} value(s), "
                f"{self.n_samples} samples × {self.repeats} draws; measured {', '.join(self.measured())})")

    def measured(self) -> list[str]:
        """The metrics the samples allow (boxes, keypoints, flip pairs, masks)."""
        return [m for m in METRICS if not np.isnan(self.rates[m]).all()]

    def table(self) -> list[dict[str, Any]]:
        """One row per magnitude: each measured share."""
        return [{"magnitude": mag, **{m: float(self.rates[m][i]) for m in self.measured()}}
                for i, mag in enumerate(self.magnitudes)]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (also fits in ``recipe.meta["lab"]``)."""
        return {"format": _FORMAT, "version": 1, "label": self.label, "param": self.param,
                "magnitudes": list(self.magnitudes),
                "rates": {m: [None if np.isnan(v) else round(float(v), 6) for v in self.rates[m]]
                          for m in METRICS},
                "counts": {m: float(c) for m, c in self.counts.items()}, "n_samples": self.n_samples,
                "repeats": self.repeats, "min_visibility": self.min_visibility, "seed": self.seed}

    def plot(self, ax: Any = None) -> Any:
        """One line per measured share against the parameter value. Returns the axes
        (without ``ax``: a new figure, written to a PNG file whose path is printed when
        there is no notebook to show it)."""
        import matplotlib.pyplot as plt

        from augviz.viz._display import present_figure

        own_figure = ax is None
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.2))
        numeric = all(isinstance(m, (int, float)) for m in self.magnitudes)
        x = np.array(self.magnitudes, float) if numeric else np.arange(len(self.magnitudes))
        styles = {"boxes_dropped": "s-", "boxes_cut": "o--", "keypoints_out": "^-", "lr_swapped": "D-",
                  "mask_lost": "v:"}
        for i, m in enumerate(METRICS):
            if m not in self.measured():
                continue
            label = METRICS[m].replace("min_visibility", f"{self.min_visibility:g} visible")
            ax.plot(x, 100 * self.rates[m], styles[m], color=f"C{i}", lw=2, label=label)
        if not numeric:
            ax.set_xticks(x, [str(m) for m in self.magnitudes])
        ax.set_xlabel(self.param or "transform")
        ax.set_ylabel("share of targets (%)")
        ax.set_ylim(-3, 103)
        ax.set_title(f"target risk of {self.label} ({self.n_samples} samples × {self.repeats} draws)",
                     fontsize=10)
        ax.legend(fontsize=8, loc="best")
        ax.grid(alpha=0.3)
        if own_figure:
            present_figure(ax.figure, "target risk")
        return ax

    def _repr_html_(self) -> str:
        cols = self.measured()
        head = "".join(f"<th>{html.escape(c)}</th>" for c in ["magnitude", *[METRICS[c] for c in cols]])
        body = "".join("<tr>" + f"<td>{html.escape(str(r['magnitude']))}</td>"
                       + "".join(f"<td>{100 * r[c]:.0f}%</td>" for c in cols) + "</tr>"
                       for r in self.table())
        return (f"<div><b>target risk</b> of {html.escape(self.label)} "
                f"({html.escape(self.param or '')})<table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")
