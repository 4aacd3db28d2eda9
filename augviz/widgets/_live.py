"""The one preview engine of the live widgets.

:class:`LivePreview` owns what the Explorer and the Recipe Builder share: the grid of
samples × variants and its coalesced renders, the random/fixed mode, the seed and
re-roll, holding renders while several controls change, the export row and the error
display. :class:`PreviewHost` gives a widget that holds one the same public face
(``render``, ``reroll``, ``seed``, ``mode``, ``export``, ``error``, ``image_bytes``…);
a widget only adds its own controls and lays the parts out.

Also here: reading the data a user passes (:func:`as_samples`), captions, the error
display (:class:`ErrorArea`, used by the LabPanel too) and the widget arguments' specs.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import html
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np

from augviz.core import Choice, InputError, Int, OneOf, Recipe, SomeOf, Transform
from augviz.core.recipe import Step
from augviz.viz.image import value_labels

from .controls import MODE, MODES
from .viewers import get_viewer

__all__ = [
    "N_SAMPLES",
    "N_VARIANTS",
    "SEED",
    "TILE",
    "Coalescer",
    "ErrorArea",
    "ExportRow",
    "LivePreview",
    "PreviewHost",
    "as_samples",
    "captions_for",
    "download_link",
    "make_step",
    "preview_body",
    "report_html",
]

#: page CSS shared by the widgets (an HTML <style> works in JupyterLab, Notebook, Voila)
STYLE = (
    "<style>"
    ".augviz-step-disabled{opacity:.45}"
    ".augviz-json textarea{font-family:var(--jp-code-font-family,monospace);font-size:11px}"
    # a slider's readout as wide as its text ("−0.060 – 0.060"): the track gives way
    ".augviz-live .widget-readout{max-width:none;min-width:fit-content;flex-shrink:0}"
    # the static copy of the preview (an image output right after the widget) is for a
    # saved notebook opened without a kernel; while the live widget shows, it is hidden
    ".jp-OutputArea-child:has(.augviz-live)+.jp-OutputArea-child:has(.jp-RenderedImage)"
    "{display:none}"
    "</style>"
)

# -- the widgets' arguments -----------------------------------------------------------
N_SAMPLES = Int("n_samples", 1, 1000, 3, doc="Items shown, one row each.")
N_VARIANTS = Int("n_variants", 1, 16, 4, doc="Augmented variants shown per item.")
TILE = Int("tile", 8, 2048, 128, unit="px", doc="Cell size of an image grid.")
SEED = Int("seed", 0, 2**31 - 1, 0, doc="Seed of the preview's random draws (same seed, same tiles).")
VIEW = Choice("view", ("grid", "steps"), "grid",
              doc="grid: samples × variants; steps: each sample after every step of one draw.")


# -- data -----------------------------------------------------------------------------
def as_samples(
    data: Any, probe: Transform | None, n: int, indices: Sequence[int] | None = None,
    *, where: str = "preview",
) -> tuple[list[Any], list[Any] | None]:
    """``(samples, labels)`` from what a user passes: one item, a list, an ``N×…``
    batch array, or an ``(X, y)`` pair such as ``load_digits()``'s."""
    n = N_SAMPLES.check_argument(n, where=where)
    labels = None
    if (
        isinstance(data, tuple) and len(data) == 2
        and isinstance(data[1], (np.ndarray, list)) and np.ndim(data[1]) == 1
        and _length(data[0]) == len(data[1])
    ):
        data, labels = data[0], list(np.asarray(data[1]).tolist())
    single = False
    as_one: InputError | None = None
    if probe is not None:
        try:
            probe.check_input(data)
            single = True
        except InputError as exc:
            as_one = exc
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
        index = Int("samples", -total, max(total - 1, 0), 0,
                    doc="Indices of the items shown (negative counts from the end).")
        idx = [index.check_argument(i, where=where) for i in indices]
    samples = [items[i] for i in idx]
    if as_one is not None and isinstance(data, np.ndarray):
        # an array is one item or a batch: when neither reading works, say both (a grey
        # float64 image would otherwise be blamed for its rows' shape)
        try:
            probe.check_input(samples[0])  # type: ignore[union-attr]
        except InputError as as_batch:
            raise InputError(
                f"{where}: data (array {data.shape}, {data.dtype}) is neither one item ({as_one}) "
                f"nor a batch of items (item {idx[0]}: {as_batch})"
            ) from None
    return samples, ([labels[i] for i in idx] if labels is not None else None)


def _length(x: Any) -> int:
    try:
        return len(x)
    except TypeError:
        return -1


# -- steps ----------------------------------------------------------------------------
def make_step(kind: str, children: Sequence[Transform], *, p: float = 1.0, n: int = 1) -> Step:
    """A recipe step from the step protocol's parts: ``kind`` and ``children``, and a
    group's own ``p`` (and ``n`` for ``some_of``). A transform step is its one child."""
    if kind == "transform":
        return children[0]
    if kind == "one_of":
        return OneOf(children, p=p)
    if kind == "some_of":
        return SomeOf(children, n=min(n, len(children)), p=p)
    raise InputError(f"step kind {kind!r} is not allowed; allowed: transform, one_of, some_of")


def fixed_display(recipe: Recipe) -> Recipe:
    """The recipe a *fixed* preview runs: every step fires (``p`` → 1); a OneOf still
    picks one child per tile (children's ``p`` are its weights)."""
    steps = [
        step.with_params(p=1.0) if step.kind == "transform"
        else make_step(step.kind, step.children, p=1.0, n=getattr(step, "n", 1))
        for step in recipe.steps
    ]
    return recipe.replace(steps=steps, enabled=recipe.enabled)


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


# -- layout ---------------------------------------------------------------------------
def preview_body(controls: W.Widget, preview: W.Widget, *, min_preview: str = "320px") -> W.Box:
    """Controls on the left, the preview beside them taking the width they leave (its
    grid scales down); when less than ``min_preview`` is left the preview wraps ABOVE
    the controls (``wrap-reverse``), so it is on screen without scrolling either way."""
    preview.layout.flex = "1 1 0"
    preview.layout.min_width = min_preview
    preview.add_class("augviz-preview")
    controls.add_class("augviz-controls")
    # in wrap-reverse the cross axis runs bottom to top: flex-end aligns the tops
    return W.Box([controls, preview], layout=W.Layout(
        display="flex", flex_flow="row wrap-reverse", align_items="flex-end", width="100%"))


# -- errors ---------------------------------------------------------------------------
def report_html(report: Any) -> str:
    """An import report (exact / approximate / dropped rows of a foreign pipeline) as a
    collapsible table; ``""`` when there is none."""
    if report is None:
        return ""
    head = html.escape(str(report).splitlines()[0])
    return (f"<details class='augviz-import-report' {'open' if report.dropped else ''}>"
            f"<summary style='font-size:12px'>imported: {head}</summary>"
            f"{report.table_html(style='font-size:11px')}</details>")


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


class ErrorArea:
    """Where a widget shows what went wrong: an exception in a callback is shown (message
    and traceback) instead of raised, so the widget keeps working.

    ``widget`` is the HTML it writes to (default: a new one); ``message`` is the last
    error's text, ``None`` once cleared.

    Example
    -------
    >>> area = ErrorArea()
    >>> area.guard("load", lambda: 1 / 0)
    >>> area.message
    'ZeroDivisionError: division by zero'
    """

    def __init__(self, widget: W.HTML | None = None) -> None:
        self.widget = widget if widget is not None else W.HTML("")
        self.widget.add_class("augviz-error-area")
        self.message: str | None = None

    def show(self, exc: BaseException, where: str) -> None:
        self.message = f"{type(exc).__name__}: {exc}"
        self.widget.value = error_html(exc, where)

    def clear(self) -> None:
        self.message = None
        self.widget.value = ""

    def guard(self, where: str, fn: Callable[[], Any]) -> Any:
        """Run a UI callback; an exception is shown, never raised (returns ``None``)."""
        try:
            return fn()
        except Exception as exc:
            self.show(exc, where)
            return None


# -- export ---------------------------------------------------------------------------
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


class ExportRow:
    """The file field, the overwrite box, the export button and the "saved · download"
    line of a widget that exports a recipe."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = W.Text(value=str(path), description="file", style={"description_width": "30px"},
                           layout=W.Layout(width="220px"))
        self.overwrite = W.Checkbox(value=False, description="overwrite", indent=False,
                                    layout=W.Layout(width="90px"))
        self.button = W.Button(description="export", icon="download",
                               tooltip="Save the recipe as JSON (and offer a download)",
                               layout=W.Layout(width="90px"))
        self.status = W.HTML("")

    def save(self, recipe: Recipe, path: str | os.PathLike[str], overwrite: bool) -> Path:
        """Save ``recipe`` (atomic; refuses to replace a file unless ``overwrite``) and
        show "saved NAME · download NAME". Returns the path written."""
        target = Path(recipe.save(path, overwrite=overwrite))
        self.status.value = (
            f"<small title='{html.escape(str(target.resolve()), quote=True)}'>saved "
            f"<code>{html.escape(target.name)}</code></small> · "
            + download_link(recipe.to_json() + "\n", target.name)
        )
        return target


# -- the preview ----------------------------------------------------------------------
def _same_draws(row: list[tuple[Any, Any]]) -> bool:
    first = row[0][1]
    return all(records == first for _, records in row[1:])


class LivePreview:
    """Runs a recipe on samples × variants, shows the result through the modality's
    viewer, and reports errors in place. Renders are coalesced (see :class:`Coalescer`).

    ``source()`` returns the recipe to show; it is called at render time. ``on_mode``
    is called (renders held) when the mode changes, for the host to switch its controls.
    The widgets are made and wired here; the host widget lays them out.
    """

    def __init__(
        self,
        source: Callable[[], Recipe],
        samples: list[Any],
        labels: list[Any] | None,
        modality: str,
        *,
        where: str,
        n_variants: int,
        seed: int,
        mode: str = "random",
        show_original: bool = True,
        tile: int | None = None,
        viewer: Callable[..., Any] | None = None,
        single: bool = False,
        delay: float = 0.005,
        export_path: str | os.PathLike[str] = "recipe.json",
        on_mode: Callable[[str], None] | None = None,
    ) -> None:
        self.where = where
        self.source = source
        self.samples = samples
        self.labels = labels
        self.modality = modality
        self.n_variants = N_VARIANTS.check_argument(n_variants, where=where)
        self.tile = None if tile is None else TILE.check_argument(tile, where=where)
        self.show_original = bool(show_original)
        self.viewer = viewer if viewer is not None else get_viewer(modality)
        self.single = single
        self.on_mode = on_mode
        self._mode = MODE.check_argument(mode, where=where)
        self.held = False
        self.image_bytes: bytes = b""
        self.static: Any = None  # display handle of the static copy (see PreviewHost)
        self.render_count = 0
        self.last_ms = float("nan")
        self.outputs: list[list[tuple[Any, Any]]] = []
        self.captions: list[list[str]] = []
        self._coalescer = Coalescer(self._render_safely, delay)

        self.image = W.Image(format="jpeg", layout=W.Layout(max_width="100%", height="auto"))
        self.image.add_class("augviz-grid")
        self.view = W.Box([self.image], layout=W.Layout(min_height="64px"))
        self.status = W.HTML("")
        self.errors = ErrorArea()
        # errors show where the action was: one area per place the host lays out
        self.areas: dict[str, ErrorArea] = {"preview": self.errors}
        self.seed_box = W.BoundedIntText(
            value=SEED.check_argument(seed, where=where), min=SEED.low, max=SEED.high,
            description="seed", tooltip=SEED.doc, style={"description_width": "40px"},
            layout=W.Layout(width="150px"),
        )
        self.reroll_button = W.Button(
            description="re-roll", icon="dice", tooltip="Draw new random values (seed + 1).",
            layout=W.Layout(width="100px"),
        )
        self.mode_toggle = W.ToggleButtons(
            options=[(m, m) for m in MODES], value=self._mode,
            tooltips=["Sample from the ranges, as training will",
                      "Apply exactly each slider's magnitude (p taken as 1)"],
            style={"button_width": "80px"},
        )
        self._view = "grid"
        #: top-level steps the preview leaves out (the recipe itself is not changed)
        self.steps_off: set[int] = set()
        self.view_toggle = W.ToggleButtons(
            options=[(v, v) for v in VIEW.options], value="grid",
            tooltips=["Samples × variants", "Each sample after every step (one draw)"],
            style={"button_width": "60px"},
        )
        self.step_switches = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.export_row = ExportRow(export_path)
        from augviz.image.targets import Sample

        #: a toggle for the targets drawn over the tiles, shown when the samples carry any
        self.has_targets = any(isinstance(x, Sample) for x in samples)
        self.targets_box = W.Checkbox(
            value=True, description="targets", indent=False, layout=W.Layout(width="90px"),
            tooltip="Draw the boxes, keypoints and masks that follow the image",
        )
        self._wire()

    def _wire(self) -> None:
        self.reroll_button.on_click(lambda _b: self.guard("re-roll", self.reroll))
        self.seed_box.observe(lambda _c: self.request(), names="value")
        self.mode_toggle.observe(self._mode_clicked, names="value")
        self.view_toggle.observe(lambda c: self.guard("view", lambda: self._view_clicked(c["new"])),
                                 names="value")
        self.targets_box.observe(lambda _c: self.request(), names="value")
        self.export_row.button.on_click(lambda _b: self.guard("export", self._export_clicked, "export"))

    def mode_row(self) -> W.HBox:
        """The random/fixed toggle and the grid/steps toggle."""
        return W.HBox([self.mode_toggle, self.view_toggle])

    def _view_clicked(self, view: str) -> None:
        if not self.held:
            self.set_view(view)
            self.request()

    def set_view(self, view: str) -> None:
        view = VIEW.check_argument(view, where=self.where)
        if view == "steps" and self.modality != "image":
            raise InputError(f"the steps view draws images; this preview shows {self.modality}")
        with self.hold():
            self.view_toggle.value = view
            self._view = view

    @property
    def view_mode(self) -> str:
        return self._view

    def set_step_on(self, index: int, on: bool) -> None:
        """Show top-level step ``index`` in the preview, or leave it out (the recipe
        is not changed)."""
        n = len(self.source())
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < n:
            raise InputError(f"step index {index!r} is not allowed; allowed: 0 to {n - 1}")
        if not isinstance(on, (bool, np.bool_)):
            raise InputError(f"on={on!r} is not allowed; allowed: True or False")
        (self.steps_off.discard if on else self.steps_off.add)(index)

    def _shown_recipe(self) -> Recipe:
        recipe = self.source()
        self.steps_off = {i for i in self.steps_off if i < len(recipe)}
        if not self.steps_off:
            return recipe
        return recipe.replace(enabled=[on and i not in self.steps_off for i, on in enumerate(recipe.enabled)])

    def _sync_switches(self, recipe: Recipe) -> None:
        names = [s.id.split(".", 1)[-1] if s.kind == "transform" else s.kind for s in recipe.steps]
        current = [(b.description, b.value) for b in self.step_switches.children]
        wanted = [(f"{i}: {name}", i not in self.steps_off) for i, name in enumerate(names)]
        if current == wanted:
            return
        boxes = []
        for i, (label, on) in enumerate(wanted):
            box = W.Checkbox(value=on, description=label, indent=False, layout=W.Layout(width="auto"),
                             tooltip="Show this step in the preview (the recipe is not changed)")
            box.observe(lambda c, i=i: self.guard("steps", lambda: (self.set_step_on(i, c["new"]),
                                                                    self.request())), names="value")
            boxes.append(box)
        self.step_switches.children = tuple(boxes)

    def seed_row(self) -> W.HBox:
        """The seed box and re-roll button, with the targets toggle when there are targets."""
        extra = [self.targets_box] if self.has_targets else []
        return W.HBox([self.seed_box, self.reroll_button, *extra])

    def area(self, place: str) -> W.HTML:
        """The HTML showing errors of actions at ``place`` (made on first use); the host
        lays it out next to the controls of that place."""
        if place not in self.areas:
            self.areas[place] = ErrorArea()
        return self.areas[place].widget

    def _export_clicked(self) -> None:
        row = self.export_row
        row.status.value = ""  # never leave an old "saved" under a new error
        path, overwrite = row.path.value, bool(row.overwrite.value)
        if not overwrite and Path(path).exists():
            raise InputError(f"{path!r} exists; tick 'overwrite' to replace it, or type another file name")
        self.export(path, overwrite=overwrite)
        self.area("export")
        self.areas["export"].clear()  # an error of the preview itself stays shown

    # -- state ------------------------------------------------------------------------
    @property
    def error(self) -> W.HTML:
        """The HTML where errors are shown."""
        return self.errors.widget

    @property
    def last_error(self) -> str | None:
        return next((a.message for a in self.areas.values() if a.message is not None), None)

    @property
    def seed(self) -> int:
        return int(self.seed_box.value)

    @property
    def mode(self) -> str:
        return self._mode

    # -- actions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Change several things with one render afterwards (requests are ignored)."""
        prev = self.held
        self.held = True
        try:
            yield
        finally:
            self.held = prev

    def request(self) -> None:
        """Ask for a render (coalesced); ignored while held."""
        if not self.held:
            self._coalescer.request()

    def set_seed(self, value: int) -> None:
        with self.hold():
            self.seed_box.value = SEED.check_argument(value, where=self.where)

    def reroll(self) -> None:
        self.seed_box.value = (self.seed + 1) % SEED.high  # the observer requests a render

    def set_mode(self, mode: str) -> None:
        mode = MODE.check_argument(mode, where=self.where)
        with self.hold():
            if self.on_mode is not None:
                self.on_mode(mode)
            self.mode_toggle.value = mode
            self._mode = mode

    def export(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        return self.export_row.save(self.source(), path, overwrite)

    def guard(self, where: str, fn: Callable[[], Any], place: str = "preview") -> Any:
        """Run a UI callback; an exception is shown in the widget (in the error area of
        ``place``), never raised."""
        try:
            return fn()
        except Exception as exc:
            self.show_error(exc, where, place)
            return None

    def show_error(self, exc: BaseException, where: str, place: str = "preview") -> None:
        """Show ``exc`` at ``place`` only (an older message elsewhere is cleared)."""
        self.area(place)
        for name, a in self.areas.items():
            if name != place and a.message is not None:
                a.clear()
        self.areas[place].show(exc, where)

    def clear_error(self) -> None:
        for a in self.areas.values():
            if a.message is not None:
                a.clear()

    def _mode_clicked(self, change: dict[str, Any]) -> None:
        if self.held:
            return

        def switch() -> None:
            self.set_mode(change["new"])
            self.request()

        self.guard("mode", switch)

    # -- rendering ----------------------------------------------------------------------
    def _auto_tile(self, n_variants: int) -> int:
        """Cells sized so the grid fits beside the controls (~700 px), 64–192 px."""
        cols = n_variants + (1 if self.show_original else 0)
        return max(64, min(192, 700 // cols - 4))

    def _render_safely(self) -> None:
        self.guard("preview", self.render)

    def render(self) -> None:
        """Compute and show the grid now (raises on error; the UI path catches)."""
        t0 = time.perf_counter()
        mode = self._mode
        recipe = self._shown_recipe()
        run = fixed_display(recipe) if mode == "fixed" else recipe
        seed = self.seed
        self._sync_switches(self.source())
        if self._view == "steps":
            self._render_steps(run, seed, t0)
            return
        outputs: list[list[tuple[Any, Any]]] = []
        for i, x in enumerate(self.samples):
            row = []
            for j in range(self.n_variants):
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, i, j])))
                row.append(run.trace(x, rng=rng))
            outputs.append(row)
        if self.modality == "image" and run.preprocess["after"]:
            from augviz.viz.steps import viewable  # Normalize / ToTensor: back to a picture

            outputs = [[(viewable(out), rec) for out, rec in row] for row in outputs]
        if mode == "fixed" and all(_same_draws(row) for row in outputs):
            # same values drawn for every variant (apply is pure): one column says it all
            outputs = [row[:1] for row in outputs]
        n_variants = len(outputs[0])
        caps = captions_for(run, [[rec for _, rec in row] for row in outputs], single=self.single,
                            fixed=mode == "fixed")
        shown = self.viewer(
            self.samples, outputs, captions=caps, labels=self.labels,
            # sized for the requested variants even when fixed mode shows one column, so
            # that switching modes keeps the grid's height and the layout does not jump
            show_original=self.show_original, tile=self.tile or self._auto_tile(self.n_variants),
            recipe=run, targets=self.targets_box.value,
        )
        self._show(shown)
        if isinstance(shown, (bytes, bytearray)):
            self._keep_scale(n_variants)
        self.outputs, self.captions = outputs, caps
        self.render_count += 1
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        tiles = len(self.samples) * n_variants
        self.status.value = (
            f"<span class='augviz-status' style='color:#666;font-size:11px'>{mode} · "
            f"{tiles} variant{'s' if tiles != 1 else ''} · seed {seed} · "
            f"{self.last_ms:.0f} ms</span>"
        )
        self.clear_error()

    def _render_steps(self, run: Recipe, seed: int, t0: float) -> None:
        """Each sample after every step, drawn as the grid's first variant draws."""
        from augviz.viz.image import encode_image, image_grid
        from augviz.viz.steps import step_rows, tile_images

        rows, caps = [], []
        for i, x in enumerate(self.samples):
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, i, 0])))
            (row,) = step_rows(run, x, 1, rng=rng)
            rows.append(tile_images(row))
            caps.append([c for _, c, _ in row])
        cols = max(len(r) for r in rows)
        tile = self.tile or max(48, min(160, 700 // cols - 4))
        grid = image_grid(rows, caps, tile=tile, targets=self.targets_box.value)
        self.image.layout.max_width = "100%"
        self._show(encode_image(grid, "png" if max(grid.shape[:2]) < 400 else "jpeg"))
        self.outputs, self.captions = [], caps
        self.render_count += 1
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        self.status.value = (
            f"<span class='augviz-status' style='color:#666;font-size:11px'>steps · "
            f"{len(self.samples)} sample{'s' if len(self.samples) != 1 else ''} · seed {seed} · "
            f"{self.last_ms:.0f} ms</span>"
        )
        self.clear_error()

    def _keep_scale(self, shown_variants: int) -> None:
        """A fixed grid showing one column is drawn at the scale of the full grid (its
        share of the full width), so switching modes keeps its size on the page. The
        share assumes the grid viewers' layout: square tiles with 4 px gaps."""
        extra = 1 if self.show_original else 0
        tile = self.tile or self._auto_tile(self.n_variants)
        full = (self.n_variants + extra) * (tile + 4) + 4
        shown = (shown_variants + extra) * (tile + 4) + 4
        width = "100%" if shown >= full else f"{100 * shown / full:.2f}%"
        if self.image.layout.max_width != width:
            self.image.layout.max_width = width

    def _show(self, shown: Any) -> None:
        if isinstance(shown, (bytes, bytearray)):
            data = bytes(shown)
            fmt = "png" if data[:4] == b"\x89PNG" else "jpeg"
            if self.image.format != fmt:
                self.image.format = fmt
            self.image.value = data  # in place: the browser swaps the picture
            self.image_bytes = data
            if self.static is not None:
                self.static.update(_static_image(data, fmt))
            wanted = (self.step_switches, self.image) if self._view == "steps" else (self.image,)
            if self.view.children != wanted:
                self.view.children = wanted
        elif isinstance(shown, W.Widget):
            self.image_bytes = b""
            self.view.children = (shown,)
        else:
            raise InputError(
                f"the {self.modality} viewer returned {type(shown).__name__}; "
                "allowed: encoded image bytes or a widget"
            )


def _static_image(data: bytes, fmt: str) -> Any:
    from IPython.display import Image

    return Image(data=data, format=fmt)


class PreviewHost:
    """The public face of a widget holding a :class:`LivePreview` in ``_preview`` (the
    Explorer and the Recipe Builder), so that tests, scripts and people drive both the
    same way. The widget provides ``recipe`` (what the preview shows)."""

    _preview: LivePreview

    def _ipython_display_(self) -> None:
        """Show the live widget and, as the next output, a static copy of its preview
        kept up to date: a notebook saved after running still shows every preview when
        opened without a kernel (the copy is hidden while the live widget shows)."""
        from IPython.display import display

        bundle = dict(self._repr_mimebundle_())  # type: ignore[attr-defined]
        # what a notebook without the live widget says in its place (not a repr of children)
        bundle["text/plain"] = (f"augviz {type(self).__name__} (run the cell for the live widget; "
                                "below, a copy of its last preview)")
        display(bundle, raw=True)
        pv = self._preview
        if pv.image_bytes:
            pv.static = display(_static_image(pv.image_bytes, pv.image.format), display_id=True)

    # -- reading ----------------------------------------------------------------------
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
        """The message shown in the widget if the last action failed, else ``None``."""
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

    @property
    def export_row(self) -> ExportRow:
        return self._preview.export_row

    # -- driving ----------------------------------------------------------------------
    def render(self) -> Any:
        """Render now (errors are shown in the widget and kept in ``error``)."""
        self._preview.guard("preview", self._preview.render)
        return self

    def reroll(self) -> Any:
        """New random draws (seed + 1) and render."""
        with self._preview.hold():
            self._preview.reroll()
        return self.render()

    @property
    def seed(self) -> int:
        return self._preview.seed

    @seed.setter
    def seed(self, value: int) -> None:
        self._preview.set_seed(value)
        self.render()

    @property
    def mode(self) -> str:
        """``random`` samples from the ranges, as training will; ``fixed`` applies exactly
        each slider's magnitude to every tile (``p`` taken as 1)."""
        return self._preview.mode

    @mode.setter
    def mode(self, mode: str) -> None:
        self._preview.set_mode(mode)
        self.render()

    @property
    def view(self) -> str:
        """``grid`` shows samples × variants; ``steps`` each sample after every step of
        one draw (skipped, disabled and preparation steps faded)."""
        return self._preview.view_mode

    @view.setter
    def view(self, view: str) -> None:
        self._preview.set_view(view)
        self.render()

    def show_step(self, index: int, on: bool = True) -> Any:
        """Show top-level step ``index`` in the preview or leave it out (``on=False``);
        the recipe itself is not changed."""
        self._preview.set_step_on(index, on)
        return self.render()

    @property
    def steps_shown(self) -> list[bool]:
        """Per top-level step: whether the preview shows it (see :meth:`show_step`)."""
        return [i not in self._preview.steps_off for i in range(len(self._preview.source()))]

    @property
    def targets(self) -> bool:
        """Whether the boxes, keypoints and masks of Samples are drawn over the tiles."""
        return bool(self._preview.targets_box.value)

    @targets.setter
    def targets(self, on: bool) -> None:
        if not isinstance(on, (bool, np.bool_)):
            raise InputError(f"targets={on!r} is not allowed; allowed: True or False")
        with self._preview.hold():
            self._preview.targets_box.value = bool(on)
        self.render()

    def export(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Save :attr:`recipe` as JSON (atomic; refuses to replace a file unless
        ``overwrite=True``) and show a download link in the widget."""
        return self._preview.export(path, overwrite=overwrite)
