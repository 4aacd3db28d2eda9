"""LabPanel: run the lab's recipe comparison from a notebook, with live curves.

Everything a click does is a Python method, so tests (and scripts) drive it without a
browser: ``panel.run()`` runs synchronously and leaves the :class:`~augviz.lab.LabResult`
in ``panel.result``; the Run button runs the same method in a background thread so the
Stop button stays responsive.
"""

from __future__ import annotations

import html
import io
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np

from augviz.core import AugvizError, InputError, Recipe
from augviz.core.coerce import as_recipe

from ._live import ErrorArea
from .controls import control_for

__all__ = ["LabPanel"]

#: how far the train-size slider reaches (a larger size can be typed in the call;
#: TRAIN_SIZE and the data's size bound what is allowed)
_TRAIN_SIZE_REACH = 1500


def _default_recipes() -> dict[str, Recipe | None]:
    from augviz.lab import presets

    return {"none": None, "mild": presets.digits_mild(), "harmful": presets.digits_harmful()}


class LabPanel(W.VBox):
    """Choose a dataset, sizes and arms; Run trains and compares; curves update live.

    Parameters
    ----------
    recipes : dict of name -> Recipe, recipe file path or None; or a list of those
        The arms to choose from (default: the digits presets none / mild / harmful);
        anything :func:`augviz.as_recipe` takes is a recipe.
    data : str
        Initial dataset (``augviz.lab.available_datasets()``).
    train_size, epochs, seeds : int
        Bounds and defaults: ``augviz.lab.args.TRAIN_SIZE``, ``EPOCHS``, ``SEEDS``.
    redraw_every : float
        Seconds between live redraws of the curves.

    Example
    -------
    >>> from augviz.widgets.lab_panel import LabPanel
    >>> panel = LabPanel(epochs=5, seeds=1, train_size=200)     # doctest: +SKIP
    >>> panel                                                    # doctest: +SKIP
    >>> panel.run(); panel.result.summary()                      # doctest: +SKIP
    """

    def __init__(self, recipes: Any = None, data: str = "digits", *, train_size: int = 500,
                 epochs: int = 30, seeds: int = 3, control: bool = True,
                 redraw_every: float = 0.5) -> None:
        from augviz.lab import available_datasets
        from augviz.lab.args import EPOCHS, SEEDS, TRAIN_SIZE

        train_size = TRAIN_SIZE.check_argument(train_size, where="LabPanel")
        epochs = EPOCHS.check_argument(epochs, where="LabPanel")
        seeds = SEEDS.check_argument(seeds, where="LabPanel")
        self._recipes: dict[str, Recipe | None] = {}
        self.result: Any = None
        self.redraw_every = float(redraw_every)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._live: dict[str, dict[int, list[float]]] = {}
        self._last_draw = 0.0

        names = list(available_datasets())
        if data not in names and not Path(str(data)).exists():
            raise InputError(f"LabPanel: data={data!r} is not allowed; allowed: "
                             + ", ".join(map(repr, names))
                             + ", or the path of an image/audio folder or a CSV/TSV file")
        # a bundled name from the list, or a folder / table path typed in
        self.dataset = W.Combobox(options=names, value=str(data), ensure_option=False,
                                  placeholder="digits or path/to/folder", description="data")
        self.train_size = control_for(TRAIN_SIZE, train_size, continuous_update=False)
        self.train_size.max = max(_TRAIN_SIZE_REACH, train_size)
        self.epochs = control_for(EPOCHS, epochs, continuous_update=False)
        self.seeds = control_for(SEEDS, seeds, continuous_update=False)
        self.control = W.Checkbox(value=control, description="control arm (clean ×2)")
        self.arms_select = W.SelectMultiple(options=[], description="arms", rows=5)
        self.path = W.Text(placeholder="path/to/recipe.json", description="recipe file")
        self.add_button = W.Button(description="Add", tooltip="Load the recipe file as an arm")
        self.run_button = W.Button(description="Run", button_style="primary", icon="play")
        self.stop_button = W.Button(description="Stop", button_style="warning", icon="stop",
                                    disabled=True)
        self.progress = W.IntProgress(value=0, min=0, max=1, description="progress")
        self.status = W.HTML()
        self._errors = ErrorArea(self.status)  # a failure takes the status line's place
        self.curves = W.Image(format="png")
        self.table = W.HTML()
        self.add_button.on_click(lambda _: self._safe(self.add_file, self.path.value))
        self.run_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())

        for name, r in _items(_default_recipes() if recipes is None else recipes):
            self.add_recipe(name, r)
        self.arms_select.value = tuple(self.arms_select.options)
        super().__init__([
            W.HBox([W.VBox([self.dataset, self.train_size, self.epochs, self.seeds,
                            self.control]),
                    W.VBox([self.arms_select, W.HBox([self.path, self.add_button])])]),
            W.HBox([self.run_button, self.stop_button, self.progress]),
            self.status, self.curves, self.table,
        ])

    # -- state ---------------------------------------------------------------------
    @property
    def error(self) -> str | None:
        """The message shown if the last action failed, else ``None``."""
        return self._errors.message

    @property
    def recipes(self) -> dict[str, Recipe | None]:
        """All arms that can be chosen, by name."""
        return dict(self._recipes)

    @property
    def arms(self) -> dict[str, Recipe | None]:
        """The chosen arms (what Run compares)."""
        return {k: self._recipes[k] for k in self.arms_select.value}

    def add_recipe(self, name: str, recipe: Any, *, select: bool = True) -> None:
        """Offer ``recipe`` (a Recipe, a recipe file path, anything
        :func:`augviz.as_recipe` takes, or None) as arm ``name``."""
        if recipe is not None:
            recipe = as_recipe(recipe, where=f"LabPanel arm {name!r}")
        self._recipes[str(name)] = recipe
        self.arms_select.options = list(self._recipes)
        if select:
            self.arms_select.value = (*self.arms_select.value, str(name))

    def add_file(self, path: str) -> None:
        """Load a recipe JSON file and add it as an arm (named by the recipe or file)."""
        recipe = Recipe.load(path)
        self.add_recipe(recipe.name or Path(path).stem, recipe)

    # -- actions -------------------------------------------------------------------
    def run(self) -> Any:
        """Run the comparison now (blocking); returns and stores ``self.result``."""
        from augviz.lab import compare

        self._stop.clear()
        self._errors.clear()
        self._live = {}
        self.result = None
        self.run_button.disabled, self.stop_button.disabled = True, False
        arms = self.arms
        n_arms = len(arms) + (0 if any(r is None for r in arms.values()) else 1)
        n_arms += 1 if self.control.value else 0
        self.progress.max = max(1, self.seeds.value * self.epochs.value * n_arms)
        self.progress.value = 0
        self.status.value = "training…"
        try:
            self.result = compare(
                arms, self.dataset.value, epochs=self.epochs.value,
                train_size=self.train_size.value, seeds=self.seeds.value,
                control=self.control.value, on_epoch=self._on_epoch, progress=False,
            )
        except AugvizError as exc:
            self._errors.show(exc, "run")
        else:
            r = self.result
            self.status.value = (f"done in {r.wall_time:.1f} s"
                                 + (" (stopped early)" if r.stopped else ""))
            self._draw(final=True)
            self.table.value = r._repr_html_()
        finally:
            self.run_button.disabled, self.stop_button.disabled = False, True
        return self.result

    def start(self) -> threading.Thread:
        """Run in a background thread (what the Run button does)."""
        self._thread = threading.Thread(target=self._safe, args=(self.run,), daemon=True)
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        """Ask a running comparison to stop after the current epoch."""
        self._stop.set()
        self.status.value = "stopping…"

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a run started with :meth:`start`."""
        if self._thread is not None:
            self._thread.join(timeout)

    # -- internals -----------------------------------------------------------------
    def _safe(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except Exception as exc:  # the widget must keep working: show the error in it
            self._errors.show(exc, getattr(fn, "__name__", "action"))
            self.run_button.disabled, self.stop_button.disabled = False, True

    def _on_epoch(self, ev: dict[str, Any]) -> bool:
        self.progress.value = ev["done"]
        self._live.setdefault(ev["arm"], {}).setdefault(ev["seed_index"], []).append(ev["val_acc"])
        now = time.perf_counter()
        if now - self._last_draw >= self.redraw_every:
            self._last_draw = now
            self.status.value = (f"seed {ev['seed_index'] + 1}/{self.seeds.value}, epoch "
                                 f"{ev['epoch']}/{ev['epochs']}, {html.escape(ev['arm'])}: "
                                 f"val acc {ev['val_acc']:.3f}")
            self._draw()
        return not self._stop.is_set()

    def _draw(self, final: bool = False) -> None:
        from matplotlib.figure import Figure  # no pyplot: safe from a worker thread

        fig = Figure(figsize=(7.5, 4.0), dpi=80)
        ax = fig.add_subplot()
        if final and self.result is not None:
            self.result.plot(ax=ax)
        else:
            for i, (arm, by_seed) in enumerate(self._live.items()):
                for s, vals in by_seed.items():
                    ax.plot(np.arange(1, len(vals) + 1), vals, color=f"C{i}",
                            alpha=1.0 if s == max(by_seed) else 0.35,
                            label=arm if s == max(by_seed) else None)
            ax.set_xlabel("epoch")
            ax.set_ylabel("validation accuracy")
            ax.grid(alpha=0.3)
            if self._live:
                ax.legend(fontsize=8, loc="lower right")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        self.curves.value = buf.getvalue()


def _items(recipes: Any) -> list[tuple[str, Any]]:
    if isinstance(recipes, Mapping):
        return [(str(k), v) for k, v in recipes.items()]
    out = []
    for i, r in enumerate(recipes):
        if r is not None:
            r = as_recipe(r, where=f"LabPanel recipes[{i}]")
        out.append(((getattr(r, "name", "") or ("none" if r is None else f"recipe {i}")), r))
    return out
