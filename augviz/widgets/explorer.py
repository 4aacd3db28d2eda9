"""The Explorer: sliders for every parameter and a live grid of augmented samples."""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as W

from augviz.core import InputError, ParamError, Recipe, Transform
from augviz.core.coerce import read_recipe, single_transform
from augviz.core.transform import P_SPEC

from ._live import STYLE, LivePreview, PreviewHost, as_samples, make_step, preview_body, report_html
from .controls import MODE, ParamControls, control_for, read_value

__all__ = ["Explorer", "explore"]


class Explorer(PreviewHost, W.VBox):
    """Sliders for every parameter of a transform (or of every step of a recipe) and a
    live grid: a few samples × several variants, the sampled values under each tile.

    Made by :func:`explore`; everything is drivable from Python.

    Attributes
    ----------
    params : dict
        Current values (``p`` included). For a recipe: ``{path: values}`` with paths
        such as ``"steps[1].one_of[0]"``.
    mode : {"random", "fixed"}
        ``random`` samples from the ranges, as training will; ``fixed`` applies exactly
        the magnitude of each slider to every tile (and ``p`` is taken as 1), for
        looking at one strength.
    image_bytes : bytes
        The last rendered grid (JPEG); ``render_count`` counts renders.
    error : str or None
        The message shown in the widget if the last action failed.
    """

    def __init__(
        self,
        target: Any,
        data: Any,
        *,
        n_samples: int = 3,
        n_variants: int = 4,
        mode: str = "random",
        seed: int = 0,
        samples: list[int] | None = None,
        tile: int | None = None,
        show_original: bool = True,
        viewer: Any = None,
        delay: float = 0.005,
        export_path: str | os.PathLike[str] = "recipe.json",
    ) -> None:
        super().__init__()
        mode = MODE.check_argument(mode, where="explore")
        single = single_transform(target)
        self._single = single is not None
        #: the import report of a foreign pipeline (None for augviz recipes and transforms)
        self.import_report: Any = None
        if single is not None:
            self._template = Recipe([single])
        else:
            self._template, self.import_report = read_recipe(target, where="explore")
        self._controls: dict[str, ParamControls] = {}
        self._group_p: dict[str, W.ValueWidget] = {}
        for path, step in _walk(self._template):
            if step.kind == "transform":
                self._controls[path] = ParamControls(step, mode=mode, on_change=self._changed)
            else:
                slider = control_for(P_SPEC, step.p)
                slider.description = "group p"
                slider.observe(lambda _c: self._changed(), names="value")
                self._group_p[path] = slider
        first = _first_transform(self._template)
        items, labels = as_samples(data, first, n_samples, samples, where="explore")
        self._preview = LivePreview(
            lambda: self.recipe, items, labels, self._template.modality, where="explore",
            n_variants=n_variants, seed=seed, mode=mode, show_original=show_original, tile=tile,
            viewer=viewer, single=self._single, delay=delay, export_path=export_path,
            on_mode=self._apply_mode,
        )
        self.children = self._layout(first)
        self.add_class("augviz-explorer")
        self.add_class("augviz-live")
        self.render()

    def _layout(self, first: Transform | None) -> list[W.Widget]:
        pv = self._preview
        one = first if self._single else None
        title = self._template.name or (one.id if one is not None else "recipe")
        doc = one.doc_line().replace("``", "") if one is not None else ""
        risk = one.label_risk if one is not None else ""
        header = W.HTML(
            STYLE + "<div style='line-height:1.3'>"
            f"<b style='font-size:14px'>{html.escape(title)}</b>"
            + (f" — {html.escape(doc)}" if doc else "")
            + (f"<br><small style='color:#8a5a00'>label risk: {html.escape(risk)}</small>"
               if risk else "")
            + "</div>"
        )
        sections: list[W.Widget] = []
        for path, step in _walk(self._template):
            if self._single:
                sections.append(self._controls[path].box)
            elif step.kind == "transform":
                sections.append(W.VBox([
                    W.HTML(f"<b>{html.escape(path)}</b> <code>{html.escape(step.id)}</code>"),
                    self._controls[path].box]))
            else:
                kind = "one of" if step.kind == "one_of" else f"some of (n={step.n})"
                sections.append(W.VBox([W.HTML(f"<b>{html.escape(path)}</b> {kind}"),
                                        self._group_p[path]]))
        row = pv.export_row
        controls_col = W.VBox(
            [pv.mode_row(), pv.seed_row(), *sections,
             W.HBox([row.path, row.overwrite]), row.button, pv.area("export"), row.status],
            layout=W.Layout(width="350px", flex="0 0 auto", margin="0 14px 0 0"),
        )
        report = W.HTML(report_html(self.import_report))
        return [header, preview_body(controls_col, W.VBox([pv.error, pv.view, pv.status, report]))]

    # -- Python API -------------------------------------------------------------------
    @property
    def params(self) -> dict[str, Any]:
        if self._single:
            return next(iter(self._controls.values())).values()
        out: dict[str, Any] = {path: c.values() for path, c in self._controls.items()}
        for path, w in self._group_p.items():
            out[path] = {"p": read_value(P_SPEC, w)}
        return out

    @property
    def controls(self) -> dict[str, ParamControls]:
        """The controls by step path (``"steps[0]"`` for a single transform)."""
        return dict(self._controls)

    @property
    def widgets(self) -> dict[str, W.Widget]:
        """The parameter controls shown now, by name (single transform) or
        ``"path.name"`` (recipe)."""
        if self._single:
            return next(iter(self._controls.values())).widgets
        out: dict[str, W.Widget] = {}
        for path, c in self._controls.items():
            out.update({f"{path}.{n}": w for n, w in c.widgets.items()})
        out.update({f"{path}.p": w for path, w in self._group_p.items()})
        return out

    def set(self, **values: Any) -> Explorer:
        """Set parameters and render once. Keys are parameter names (``angle``, ``p``) or,
        for a recipe, ``"steps[0].angle"`` (a bare name works when one step has it).

        Example
        -------
        >>> ex.set(angle=(-30, 30), p=1.0)      # doctest: +SKIP
        """
        plan: dict[str, dict[str, Any]] = {}
        group: dict[str, Any] = {}
        for key, v in values.items():
            path, name = self._resolve(key)
            if path in self._group_p:
                group[path] = P_SPEC.validate(v, where=f"{path}.p")
            else:
                plan.setdefault(path, {})[name] = v
        with self._preview.hold():
            for path, vals in plan.items():
                self._controls[path].set(**vals)
            for path, v in group.items():
                self._group_p[path].value = v
        self.render()
        return self

    @property
    def recipe(self) -> Recipe:
        """The recipe the sliders describe, in the current mode (in ``fixed`` mode each
        range is its single magnitude)."""
        steps = []
        for path, step in _top(self._template):
            if step.kind == "transform":
                steps.append(self._controls[path].transform())
            else:
                children = [self._controls[f"{path}.{step.kind}[{j}]"].transform()
                            for j in range(len(step.children))]
                steps.append(make_step(step.kind, children, p=read_value(P_SPEC, self._group_p[path]),
                                       n=getattr(step, "n", 1)))
        return self._template.replace(steps=steps, enabled=self._template.enabled)

    @property
    def transform(self) -> Transform:
        """The single transform (explorers of one transform only)."""
        if not self._single:
            raise InputError("this explorer shows a recipe; use .recipe")
        step = self.recipe.steps[0]
        if step.kind != "transform":  # a single-transform explorer holds one Transform
            raise InputError("this explorer shows a group; use .recipe")
        return step

    # -- plumbing ---------------------------------------------------------------------
    def _changed(self) -> None:
        self._preview.request()

    def _apply_mode(self, mode: str) -> None:
        for c in self._controls.values():
            c.mode = mode

    def _resolve(self, key: str) -> tuple[str, str]:
        if self._single:
            return next(iter(self._controls)), key
        if key.startswith("steps["):
            path, _, name = key.rpartition(".")
            if path in self._controls or (path in self._group_p and name == "p"):
                return path, name
            raise ParamError(f"no step {path!r} with a parameter {name!r}; steps: "
                             + ", ".join([*self._controls, *self._group_p]))
        hits = [p for p, c in self._controls.items() if key in c.specs]
        if len(hits) != 1:
            why = "no step has" if not hits else f"steps {hits} all have"
            raise ParamError(f"{why} a parameter {key!r}; use 'steps[i].{key}'")
        return hits[0], key


def _walk(recipe: Recipe) -> list[tuple[str, Any]]:
    """Every step and every group's child, by path (a group before its children)."""
    out: list[tuple[str, Any]] = []
    for path, step in _top(recipe):
        out.append((path, step))
        if step.kind != "transform":
            out.extend((f"{path}.{step.kind}[{j}]", c) for j, c in enumerate(step.children))
    return out


def _top(recipe: Recipe) -> list[tuple[str, Any]]:
    return [(f"steps[{i}]", s) for i, s in enumerate(recipe.steps)]


def _first_transform(recipe: Recipe) -> Transform | None:
    return recipe.steps[0].children[0] if recipe.steps else None


def explore(target: Any, data: Any, **kwargs: Any) -> Explorer:
    """Tune a transform or recipe with sliders and watch a live grid of augmented samples.

    Parameters
    ----------
    target : Transform, transform id, Recipe, OneOf, SomeOf, recipe dict, JSON text or file
        A single transform gets its sliders; anything else is a recipe (see
        :func:`augviz.as_recipe`). An instance sets the starting values.
    data : item, list of items, N×… array, or (X, y)
        The first ``n_samples`` items are shown (or the indices in ``samples``); labels
        from an ``(X, y)`` pair are written under the originals.
    n_samples, n_variants : int
        Rows (samples) and augmented variants per row (default 3 × 4).
    mode : {"random", "fixed"}
        ``random``: values sampled from the ranges (what training sees), with a re-roll
        button and a seed box. ``fixed``: exactly each slider's magnitude on every tile.
    seed : int
        Seed of the preview's draws.
    tile : int, optional
        Cell size of the image grid in pixels (default: fit ~700 px, 64–192 px a cell).
    show_original : bool
        Show the input beside its variants.
    viewer : callable, optional
        Overrides the modality's viewer (see :mod:`augviz.widgets.viewers`).
    export_path : str
        Default file of the "export" button.

    Returns
    -------
    Explorer
        A widget (display it, or make it the cell's last expression).

    Example
    -------
    >>> import augviz
    >>> from augviz.image import Rotate
    >>> from augviz.datasets import sample_image
    >>> ex = augviz.explore(Rotate(angle=(-30, 30)), sample_image("astronaut"))
    >>> ex.set(angle=(-45, 45)).params["angle"]
    (-45.0, 45.0)
    """
    return Explorer(target, data, **kwargs)



