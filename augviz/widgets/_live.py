"""Shared machinery of the live widgets: input data, captions, coalesced rendering,
errors shown in the widget, download links."""

from __future__ import annotations

import asyncio
import base64
import html
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as W
import numpy as np

from augviz.core import InputError, Recipe, Transform
from augviz.core.recipe import OneOf, SomeOf
from augviz.viz.image import value_labels

from .viewers import get_viewer

__all__ = ["Coalescer", "LivePreview", "as_samples", "captions_for", "download_link"]

#: page CSS shared by the widgets (an HTML <style> works in JupyterLab, Notebook, Voila)
STYLE = (
    "<style>"
    ".augviz-step-disabled{opacity:.45}"
    ".augviz-json textarea{font-family:var(--jp-code-font-family,monospace);font-size:11px}"
    "</style>"
)

# -- data -----------------------------------------------------------------------------
def as_samples(
    data: Any, probe: Transform | None, n: int, indices: Sequence[int] | None = None
) -> tuple[list[Any], list[Any] | None]:
    """``(samples, labels)`` from what a user passes: one item, a list, an ``N×…``
    batch array, or an ``(X, y)`` pair such as ``load_digits()``'s."""
    labels = None
    if (
        isinstance(data, tuple) and len(data) == 2
        and isinstance(data[1], (np.ndarray, list)) and np.ndim(data[1]) == 1
        and _length(data[0]) == len(data[1])
    ):
        data, labels = data[0], list(np.asarray(data[1]).tolist())
    single = False
    if probe is not None:
        try:
            probe.check_input(data)
            single = True
        except InputError:
            single = False
    if single or isinstance(data, str):
        items, labels = [data], None
    elif isinstance(data, np.ndarray) or (
        isinstance(data, Sequence) and not isinstance(data, (str, bytes))
    ):
        items = data
    else:
        raise InputError(
            f"data is a {type(data).__name__}; allowed: one item, a list of items, an N×… "
            "batch array or an (X, y) pair"
        )
    total = len(items)
    if total == 0:
        raise InputError("data is empty; give at least one item")
    if indices is None:
        idx = list(range(min(n, total)))
    else:
        idx = [int(i) for i in indices]
        bad = [i for i in idx if not -total <= i < total]
        if bad:
            raise InputError(f"samples={bad} are out of range for {total} items")
    samples = [items[i] for i in idx]
    return samples, ([labels[i] for i in idx] if labels is not None else None)


def _length(x: Any) -> int:
    try:
        return len(x)
    except TypeError:
        return -1


# -- captions -------------------------------------------------------------------------
def caption(recipe: Recipe, records: Sequence[dict[str, Any]], *, single: bool, fixed: bool) -> str:
    """What a tile shows under it: the drawn values with units (in fixed mode also the
    magnitudes the sliders fixed), or that the step did not fire."""
    parts: list[str] = []
    for rec in records:
        if rec.get("enabled") is False:
            continue
        if not rec.get("applied"):
            if single:
                parts.append("not applied (p)")
            continue
        labels = value_labels(recipe.at(rec["path"]), rec["values"], include_fixed=fixed, units=True)
        text = " ".join(labels)
        if single:
            parts.append(text or "applied")
        else:
            parts.append(f"{rec['transform'].split('.', 1)[-1]} {text}".strip())
    return ", ".join(parts) if parts else "unchanged"


def captions_for(
    recipe: Recipe, traces: Sequence[Sequence[Sequence[dict[str, Any]]]], *, single: bool,
    fixed: bool = False,
) -> list[list[str]]:
    return [[caption(recipe, rec, single=single, fixed=fixed) for rec in row] for row in traces]


# -- scheduling -----------------------------------------------------------------------
class Coalescer:
    """Run ``fn`` once for a burst of requests: the first request schedules it on the
    running event loop (the kernel's) after ``delay`` seconds; later requests before it
    runs are absorbed, and ``fn`` reads the controls when it runs, so the last value
    wins. Without a running loop (plain Python, tests) ``fn`` runs at once."""

    def __init__(self, fn: Callable[[], None], delay: float = 0.0) -> None:
        self.fn = fn
        self.delay = float(delay)
        self.pending = False
        self.requests = 0

    def request(self) -> None:
        self.requests += 1
        if self.pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.fn()
            return
        self.pending = True
        loop.call_later(self.delay, self._run)

    def _run(self) -> None:
        self.pending = False
        self.fn()


# -- errors ---------------------------------------------------------------------------
def error_html(exc: BaseException, where: str) -> str:
    tb = html.escape("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    msg = html.escape(f"{type(exc).__name__}: {exc}")
    return (
        "<div class='augviz-error' style='color:#a40000;background:#fff0f0;"
        "border:1px solid #e0b4b4;padding:4px 8px;border-radius:3px;max-width:900px'>"
        f"<b>{html.escape(where)} failed</b> — {msg}"
        "<br><small>The widget still works: change a value to try again.</small>"
        f"<details><summary>traceback</summary><pre style='font-size:11px'>{tb}</pre>"
        "</details></div>"
    )


def download_link(text: str, filename: str) -> str:
    """An HTML anchor that downloads ``text`` as ``filename`` (a data: URI)."""
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    name = html.escape(filename, quote=True)
    return (
        f"<a class='augviz-download' download='{name}' "
        f"href='data:application/json;base64,{b64}' "
        "style='color:#0b61a4;text-decoration:underline;white-space:nowrap'>⬇ download "
        f"{html.escape(filename)}</a>"
    )


def export_recipe(recipe: Recipe, path: Any, overwrite: bool, status: W.HTML) -> Any:
    """Save ``recipe`` (atomic; refuses to replace a file unless ``overwrite``) and show
    "saved NAME · download NAME" in ``status``. Returns the path written."""
    from pathlib import Path

    target = Path(recipe.save(path, overwrite=overwrite))
    status.value = (
        f"<small title='{html.escape(str(target.resolve()), quote=True)}'>saved "
        f"<code>{html.escape(target.name)}</code></small> · "
        + download_link(recipe.to_json() + "\n", target.name)
    )
    return target


# -- the preview ----------------------------------------------------------------------
def fixed_display(recipe: Recipe) -> Recipe:
    """The recipe a *fixed* preview runs: every step fires (``p`` → 1); a OneOf still
    picks one child per tile (children's ``p`` are its weights)."""
    steps: list[Any] = []
    for step in recipe.steps:
        if isinstance(step, Transform):
            steps.append(step.with_params(p=1.0))
        elif isinstance(step, OneOf):
            steps.append(OneOf(step.steps, p=1.0))
        elif isinstance(step, SomeOf):
            steps.append(SomeOf(step.steps, n=step.n, p=1.0))
    return Recipe(steps, modality=recipe.modality, seed=recipe.seed, name=recipe.name,
                  meta=recipe.meta, enabled=recipe.enabled)


def _same_draws(row: list[tuple[Any, Any]]) -> bool:
    first = row[0][1]
    return all(records == first for _, records in row[1:])


class LivePreview:
    """Runs a recipe on samples × variants, shows the result through the modality's
    viewer, and reports errors in place. Renders are coalesced (see :class:`Coalescer`).

    ``source()`` returns ``(recipe, mode)``; it is called at render time.
    """

    def __init__(
        self,
        source: Callable[[], tuple[Recipe, str]],
        samples: list[Any],
        labels: list[Any] | None,
        modality: str,
        *,
        n_variants: int,
        seed: int,
        show_original: bool,
        tile: int | None,
        viewer: Callable[..., Any] | None,
        single: bool,
        delay: float,
    ) -> None:
        if isinstance(n_variants, bool) or not isinstance(n_variants, (int, np.integer)) \
                or not 1 <= n_variants <= 16:
            raise InputError(
                f"n_variants={n_variants!r} is not allowed; allowed: an int in [1, 16]")
        self.source = source
        self.samples = samples
        self.labels = labels
        self.modality = modality
        self.n_variants = int(n_variants)
        self.show_original = bool(show_original)
        self.tile = tile
        self.viewer = viewer if viewer is not None else get_viewer(modality)
        self.single = single
        self.image = W.Image(format="jpeg", layout=W.Layout(max_width="100%", height="auto"))
        self.image.add_class("augviz-grid")
        self.view = W.Box([self.image], layout=W.Layout(min_height="64px"))
        self.error = W.HTML("")
        self.error.add_class("augviz-error-area")
        self.status = W.HTML("")
        self.seed_box = W.BoundedIntText(
            value=int(seed), min=0, max=2**31 - 1, description="seed",
            tooltip="Seed of the preview's random draws (same seed, same tiles).",
            style={"description_width": "40px"}, layout=W.Layout(width="150px"),
        )
        self.reroll_button = W.Button(
            description="re-roll", icon="dice", tooltip="Draw new random values (seed + 1).",
            layout=W.Layout(width="100px"),
        )
        self.reroll_button.on_click(lambda _b: self.guard("re-roll", self.reroll))
        self.seed_box.observe(lambda _c: self.request(), names="value")
        self.image_bytes: bytes = b""
        self.render_count = 0
        self.last_ms = float("nan")
        self.last_error: str | None = None
        self.outputs: list[list[tuple[Any, Any]]] = []
        self.captions: list[list[str]] = []
        self.held = False
        self._coalescer = Coalescer(self._render_safely, delay)

    # -- actions ----------------------------------------------------------------------
    @property
    def seed(self) -> int:
        return int(self.seed_box.value)

    def reroll(self) -> None:
        self.seed_box.value = (self.seed + 1) % (2**31 - 1)  # observer requests a render

    def request(self) -> None:
        """Ask for a render (coalesced); ignored while ``held`` (batched changes)."""
        if not self.held:
            self._coalescer.request()

    def guard(self, where: str, fn: Callable[[], Any]) -> None:
        """Run a UI callback; an exception is shown in the widget, never raised."""
        try:
            fn()
        except Exception as exc:
            self.show_error(exc, where)

    def show_error(self, exc: BaseException, where: str) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}"
        self.error.value = error_html(exc, where)

    def clear_error(self) -> None:
        self.last_error = None
        self.error.value = ""

    # -- rendering ----------------------------------------------------------------------
    def _auto_tile(self, n_variants: int) -> int:
        """Cells sized so the grid fits beside the controls (~700 px), 64–192 px."""
        cols = n_variants + (1 if self.show_original else 0)
        return max(64, min(192, 700 // cols - 4))

    def _render_safely(self) -> None:
        try:
            self.render()
        except Exception as exc:
            self.show_error(exc, "preview")

    def render(self) -> None:
        """Compute and show the grid now (raises on error; the UI path catches)."""
        t0 = time.perf_counter()
        recipe, mode = self.source()
        run = fixed_display(recipe) if mode == "fixed" else recipe
        seed = self.seed
        outputs: list[list[tuple[Any, Any]]] = []
        for i, x in enumerate(self.samples):
            row = []
            for j in range(self.n_variants):
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, i, j])))
                row.append(run.trace(x, rng=rng))
            outputs.append(row)
        if mode == "fixed" and all(_same_draws(row) for row in outputs):
            # same values drawn for every variant (apply is pure): one column says it all
            outputs = [row[:1] for row in outputs]
        n_variants = len(outputs[0])
        caps = captions_for(run, [[rec for _, rec in row] for row in outputs], single=self.single,
                            fixed=mode == "fixed")
        shown = self.viewer(
            self.samples, outputs, captions=caps, labels=self.labels,
            show_original=self.show_original, tile=self.tile or self._auto_tile(n_variants),
            recipe=run,
        )
        if isinstance(shown, (bytes, bytearray)):
            data = bytes(shown)
            fmt = "png" if data[:4] == b"\x89PNG" else "jpeg"
            if self.image.format != fmt:
                self.image.format = fmt
            self.image.value = data
            self.image_bytes = data
            if self.view.children != (self.image,):
                self.view.children = (self.image,)
        elif isinstance(shown, W.Widget):
            self.image_bytes = b""
            self.view.children = (shown,)
        else:
            raise InputError(
                f"the {self.modality} viewer returned {type(shown).__name__}; "
                "allowed: encoded image bytes or a widget"
            )
        self.outputs, self.captions = outputs, caps
        self.render_count += 1
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        tiles = len(self.samples) * n_variants
        self.status.value = (
            f"<span class='augviz-status' style='color:#666;font-size:11px'>{mode} · "
            f"{tiles} variant{'s' if tiles != 1 else ''} · seed {seed} · "
            f"{self.last_ms:.0f} ms</span>"
        )
        if self.last_error is not None:
            self.clear_error()


class PreviewState:
    """Read-only state of a widget's live preview (shared by the Explorer and the
    Builder, so that tests and scripts read both the same way)."""

    _preview: LivePreview

    @property
    def image_bytes(self) -> bytes:
        """The last rendered picture (JPEG/PNG bytes)."""
        return self._preview.image_bytes

    @property
    def render_count(self) -> int:
        return self._preview.render_count

    @property
    def last_render_ms(self) -> float:
        return self._preview.last_ms

    @property
    def error(self) -> str | None:
        """The message of the last failed render, else ``None``."""
        return self._preview.last_error

    @property
    def captions(self) -> list[list[str]]:
        """The captions of the last render (one list per sample, one string per variant)."""
        return self._preview.captions

    @property
    def outputs(self) -> list[list[tuple[Any, Any]]]:
        """The last render's ``(output, trace)`` pairs, per sample and variant."""
        return self._preview.outputs

    @property
    def preview(self) -> LivePreview:
        return self._preview
