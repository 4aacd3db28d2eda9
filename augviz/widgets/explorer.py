"""The Explorer: sliders for every parameter and a live grid of augmented samples."""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as W

from augviz.core import InputError, ParamError, Recipe, Transform
from augviz.core.recipe import OneOf, SomeOf
from augviz.core.transform import P_SPEC

from ._live import STYLE, LivePreview, PreviewState, as_samples, export_recipe
from .controls import ParamControls, _check_mode, control_for, read_value

__all__ = ["Explorer", "explore"]


def _as_recipe(target: Any) -> tuple[Recipe, bool]:
    if isinstance(target, Recipe):
        return target, False
    if isinstance(target, Transform):
        return Recipe([target]), True
    if isinstance(target, type) and issubclass(target, Transform):
        return Recipe([target()]), True
    if isinstance(target, str):
        from augviz.core import get

        return Recipe([get(target)()]), True
    if isinstance(target, (OneOf, SomeOf)):
        return Recipe([target]), False
    raise InputError(
        f"explore takes a Transform (e.g. Rotate(angle=30)), a transform id, a Recipe or a "
        f"OneOf/SomeOf; got {type(target).__name__}"
    )


class Explorer(PreviewState, W.VBox):
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
        _check_mode(mode)
        template, single = _as_recipe(target)
        self._template = template
        self._single = single
        self._controls: dict[str, ParamControls] = {}
        self._group_p: dict[str, W.FloatSlider] = {}
        first = _first_transform(template)
        sample_items, labels = as_samples(data, first, n_samples, samples)
        self._preview = LivePreview(
            self._source, sample_items, labels, template.modality, n_variants=n_variants,
            seed=seed, show_original=show_original, tile=tile, viewer=viewer, single=single,
            delay=delay,
        )
        self._mode = mode

        sections: list[W.Widget] = []
        for path, step in _walk(template):
            if isinstance(step, Transform):
                c = ParamControls(step, mode=mode, on_change=self._changed)
                self._controls[path] = c
                sections.append(self._section(path, step, c.box))
            else:
                slider = control_for(P_SPEC, step.p)
                slider.description = "group p"
                slider.observe(lambda _c: self._changed(), names="value")
                self._group_p[path] = slider
                kind = "one of" if isinstance(step, OneOf) else f"some of (n={step.n})"
                head = W.HTML(f"<b>{html.escape(path)}</b> {kind}")
                sections.append(W.VBox([head, slider]))

        self._mode_toggle = W.ToggleButtons(
            options=[("random", "random"), ("fixed", "fixed")], value=mode,
            tooltips=["Sample from the ranges, as training will",
                      "Apply exactly each slider's magnitude (p taken as 1)"],
            style={"button_width": "80px"},
        )
        self._mode_toggle.observe(self._mode_clicked, names="value")
        self._export_path = W.Text(value=str(export_path), description="file",
                                   style={"description_width": "40px"},
                                   layout=W.Layout(width="200px"))
        self._export_overwrite = W.Checkbox(value=False, description="overwrite", indent=False,
                                            layout=W.Layout(width="90px"))
        self._export_button = W.Button(description="export recipe", icon="download",
                                       tooltip="Save the recipe as JSON (and offer a download)")
        self._export_button.on_click(lambda _b: self._preview.guard("export", self._export_clicked))
        self._export_status = W.HTML("")
        title = template.name or (first.id if single and first is not None else "recipe")
        doc = first.doc_line().replace("``", "") if single and first is not None else ""
        risk = first.label_risk if single and first is not None else ""
        header = W.HTML(
            STYLE + "<div style='line-height:1.3'>"
            f"<b style='font-size:14px'>{html.escape(title)}</b>"
            + (f" — {html.escape(doc)}" if doc else "")
            + (f"<br><small style='color:#8a5a00'>label risk: {html.escape(risk)}</small>"
               if risk else "")
            + "</div>"
        )
        controls_col = W.VBox(
            [self._mode_toggle, W.HBox([self._preview.seed_box, self._preview.reroll_button]),
             *sections,
             W.HBox([self._export_path, self._export_overwrite]),
             self._export_button, self._export_status],
            layout=W.Layout(width="350px", flex="0 0 auto", margin="0 14px 0 0"),
        )
        preview_col = W.VBox([self._preview.view, self._preview.status],
                             layout=W.Layout(flex="1 1 auto", min_width="0"))
        body = W.Box([controls_col, preview_col],
                     layout=W.Layout(display="flex", flex_flow="row wrap",
                                     align_items="flex-start"))
        self.children = [header, self._preview.error, body]
        self.add_class("augviz-explorer")
        self._preview.guard("preview", self._preview.render)

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
        with self._held():
            for path, vals in plan.items():
                self._controls[path].set(**vals)
            for path, v in group.items():
                self._group_p[path].value = v
        self.render()
        return self

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        _check_mode(mode)
        with self._held():
            self._mode_toggle.value = mode
            self._apply_mode(mode)
        self.render()

    @property
    def seed(self) -> int:
        return self._preview.seed

    @seed.setter
    def seed(self, value: int) -> None:
        with self._held():
            self._preview.seed_box.value = int(value)
        self.render()

    def reroll(self) -> Explorer:
        """New random draws (seed + 1) and render."""
        with self._held():
            self._preview.reroll()
        self.render()
        return self

    def render(self) -> Explorer:
        """Render now (errors are shown in the widget and kept in ``error``)."""
        self._preview.guard("preview", self._preview.render)
        return self

    @property
    def recipe(self) -> Recipe:
        """The recipe the sliders describe, in the current mode (in ``fixed`` mode each
        range is its single magnitude)."""
        steps: list[Any] = []
        for path, step in _top(self._template):
            if isinstance(step, Transform):
                steps.append(self._controls[path].transform())
            else:
                children = [self._controls[f"{path}.{step.kind}[{j}]"].transform()
                            for j in range(len(step.steps))]
                p = read_value(P_SPEC, self._group_p[path])
                steps.append(OneOf(children, p=p) if isinstance(step, OneOf)
                             else SomeOf(children, n=step.n, p=p))
        t = self._template
        return Recipe(steps, modality=t.modality, seed=t.seed, name=t.name, meta=t.meta,
                      enabled=t.enabled)

    @property
    def transform(self) -> Transform:
        """The single transform (explorers of one transform only)."""
        if not self._single:
            raise InputError("this explorer shows a recipe; use .recipe")
        step = self.recipe.steps[0]
        if not isinstance(step, Transform):  # a single-transform explorer holds one Transform
            raise InputError("this explorer shows a group; use .recipe")
        return step

    def export(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Save :attr:`recipe` as JSON (atomic; refuses to overwrite unless asked) and
        show a download link in the widget."""
        return export_recipe(self.recipe, path, overwrite, self._export_status)

    # -- plumbing ---------------------------------------------------------------------
    def _source(self) -> tuple[Recipe, str]:
        return self.recipe, self._mode

    def _changed(self) -> None:
        self._preview.request()

    @contextlib.contextmanager
    def _held(self) -> Iterator[None]:
        prev = self._preview.held
        self._preview.held = True
        try:
            yield
        finally:
            self._preview.held = prev

    def _mode_clicked(self, change: dict[str, Any]) -> None:
        if self._preview.held:
            return

        def switch() -> None:
            with self._held():
                self._apply_mode(change["new"])
            self._preview.request()

        self._preview.guard("mode", switch)

    def _apply_mode(self, mode: str) -> None:
        for c in self._controls.values():
            c.mode = mode
        self._mode = mode

    def _export_clicked(self) -> None:
        self.export(self._export_path.value, overwrite=self._export_overwrite.value)

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

    def _section(self, path: str, step: Transform, box: W.Widget) -> W.Widget:
        if self._single:
            return box
        return W.VBox([W.HTML(f"<b>{html.escape(path)}</b> <code>{html.escape(step.id)}</code>"),
                       box])


def _walk(recipe: Recipe) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for path, step in _top(recipe):
        out.append((path, step))
        if not isinstance(step, Transform):
            out.extend((f"{path}.{step.kind}[{j}]", c) for j, c in enumerate(step.steps))
    return out


def _top(recipe: Recipe) -> list[tuple[str, Any]]:
    return [(f"steps[{i}]", s) for i, s in enumerate(recipe.steps)]


def _first_transform(recipe: Recipe) -> Transform | None:
    for step in recipe.steps:
        return step if isinstance(step, Transform) else step.steps[0]
    return None


def explore(target: Any, data: Any, **kwargs: Any) -> Explorer:
    """Tune a transform or recipe with sliders and watch a live grid of augmented samples.

    Parameters
    ----------
    target : Transform, transform id, Recipe, OneOf or SomeOf
        An instance sets the starting values.
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
        Default file of the "export recipe" button.

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



