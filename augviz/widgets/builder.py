"""The Recipe Builder: compose a recipe from the catalogue and watch it live."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W

from augviz.core import Bool, InputError, Int, Recipe, Transform, catalogue
from augviz.core import get as get_transform
from augviz.core.coerce import read_recipe
from augviz.core.recipe import Step
from augviz.core.transform import P_SPEC
from augviz.modalities import detect_modality

from ._live import STYLE, LivePreview, PreviewHost, as_samples, make_step, preview_body, report_html
from .controls import ParamControls, control_for, read_value

__all__ = ["RecipeBuilder"]

_BTN = {"width": "34px", "padding": "0"}
_ENABLED = Bool("enabled", True, doc="Whether the step runs (a disabled one keeps its place).")


def _full_width() -> W.Layout:
    """The full width of the column: no side margins, or 100 % + margins overflows it."""
    return W.Layout(width="100%", margin="2px 0")


@dataclass
class _Step:
    """One step of the builder: a transform or a group of transforms."""

    kind: str  # "transform" | "one_of" | "some_of"
    children: list[ParamControls]
    enabled: bool = True
    p: float = 1.0  # the group's p (a transform's p lives in its controls)
    n: int = 1  # some_of
    widgets: dict[str, Any] = field(default_factory=dict)

    def build(self) -> Step:
        return make_step(self.kind, [c.transform() for c in self.children], p=self.p, n=self.n)


class RecipeBuilder(PreviewHost, W.VBox):
    """Compose a recipe: pick transforms from the catalogue (grouped by family,
    searchable), add / remove / reorder / enable-disable steps, set each step's ``p``
    and parameters, group steps into a OneOf, watch a live preview of the whole recipe,
    and export or import its JSON.

    Everything the buttons do is a method, so tests and scripts can drive it.

    Parameters
    ----------
    data : item, list, N×… array or (X, y)
        What the preview shows (the first ``n_samples`` items).
    recipe : Recipe, dict, path, JSON text, Transform or transform id, optional
        Start from this recipe (see :func:`augviz.as_recipe`).
    modality : str, optional
        Default: the recipe's, else ``"image"``.
    n_samples, n_variants, seed, tile, mode
        As in :func:`augviz.explore`.
    export_path : str
        Default file name of the export button.

    Example
    -------
    >>> from augviz.widgets import RecipeBuilder
    >>> from augviz.datasets import load_digits
    >>> b = RecipeBuilder(load_digits())                       # doctest: +SKIP
    >>> b.add("image.rotate", angle=(-10, 10))                 # doctest: +SKIP
    0
    >>> b.export("mild.json")                                  # doctest: +SKIP
    PosixPath('mild.json')
    """

    def __init__(
        self,
        data: Any,
        *,
        recipe: Any = None,
        modality: str | None = None,
        n_samples: int = 3,
        n_variants: int = 4,
        seed: int = 0,
        tile: int | None = None,
        mode: str = "random",
        delay: float = 0.005,
        export_path: str | os.PathLike[str] = "recipe.json",
        name: str = "",
    ) -> None:
        super().__init__()
        start = None if recipe is None else read_recipe(recipe, where="RecipeBuilder", modality=modality)[0]
        self.modality = modality or (start.modality if start is not None else detect_modality(data))
        self._catalogue = {cls.id: cls for cls in catalogue(self.modality)}
        if not self._catalogue:
            raise InputError(f"no {self.modality} transforms are registered")
        self._steps: list[_Step] = []
        self._seed: int | None = None
        self._name = name
        self._meta: dict[str, Any] = {}
        self._preprocess: dict[str, Any] = {}
        #: the import report of the last foreign pipeline loaded (None for augviz recipes)
        self.import_report: Any = None
        self._report = W.HTML("")
        probe = next(iter(self._catalogue.values()))()
        samples, labels = as_samples(data, probe, n_samples, where="RecipeBuilder")
        self._preview = LivePreview(
            lambda: self.recipe, samples, labels, self.modality, where="RecipeBuilder",
            n_variants=n_variants, seed=seed, mode=mode, tile=tile, delay=delay,
            export_path=export_path, on_mode=self._apply_mode,
        )
        self._make_widgets()
        self._wire()
        self.children = self._layout()
        self.add_class("augviz-builder")
        self.add_class("augviz-live")
        self._filter()
        if start is not None:
            self._preview.guard("load", lambda: self.load(recipe))
        else:
            self._structure_changed()

    def _make_widgets(self) -> None:
        # catalogue picker
        self._search = W.Text(placeholder="search transforms (name, family, doc)…",
                              continuous_update=True, layout=_full_width())
        self._picker = W.Select(options=[], rows=9, layout=_full_width())
        self._picker.add_class("augviz-catalogue")
        self._pick_info = W.HTML("", layout=W.Layout(min_height="36px"))
        self._into = W.Dropdown(options=[("as a new step", -1)], value=-1, description="add",
                                style={"description_width": "30px"},
                                layout=W.Layout(width="260px"))
        self._add_button = W.Button(description="add", icon="plus", button_style="primary",
                                    tooltip="Add the selected transform",
                                    layout=W.Layout(width="90px"))
        self._steps_box = W.VBox(layout=W.Layout(width="100%"))
        self._steps_box.add_class("augviz-steps")
        # JSON + files (the export row is the preview's)
        self._json = W.Textarea(rows=14, layout=_full_width())
        self._json.add_class("augviz-json")
        self._apply_json = W.Button(description="apply JSON", icon="upload",
                                    tooltip="Load the recipe from the JSON text above")
        self._load_button = W.Button(description="load", icon="folder-open",
                                     tooltip="Load a recipe JSON file",
                                     layout=W.Layout(width="80px"))

    def _wire(self) -> None:
        guard = self._preview.guard
        self._search.observe(lambda _c: self._filter(), names="value")
        self._picker.observe(lambda _c: self._describe_pick(), names="value")
        self._add_button.on_click(lambda _b: guard("add", self._add_clicked, "catalogue"))
        self._apply_json.on_click(
            lambda _b: guard("import", lambda: self.load(self._json.value), "export"))
        self._load_button.on_click(
            lambda _b: guard("load", lambda: self.load(self.export_row.path.value), "export"))

    def _layout(self) -> list[W.Widget]:
        pv, row = self._preview, self._preview.export_row
        left = W.VBox(
            [W.HTML("<b>catalogue</b>"), self._search, self._picker, self._pick_info,
             W.HBox([self._into, self._add_button]), pv.area("catalogue"),
             W.HTML("<b>steps</b> <small style='color:#666'>(run top to bottom)</small>"),
             self._steps_box],
            layout=W.Layout(width="420px", flex="0 0 auto", margin="0 14px 0 0"),
        )
        right = W.VBox(
            [pv.mode_row(), pv.seed_row(), pv.error, pv.view, pv.status, self._report,
             W.HTML("<b>recipe JSON</b>"), self._json,
             W.HBox([row.path, row.overwrite, row.button, self._load_button, self._apply_json],
                    layout=W.Layout(flex_flow="row wrap")),
             pv.area("export"), row.status],
        )
        # the preview takes the width the controls leave (the grid scales down) and
        # goes above them only when less than 360 px are left
        body = preview_body(left, right, min_preview="360px")
        return [W.HTML(STYLE + f"<b style='font-size:14px'>recipe builder</b> — {self.modality}"),
                body]

    # -- state ------------------------------------------------------------------------
    @property
    def recipe(self) -> Recipe:
        """The recipe the builder shows now."""
        return Recipe([s.build() for s in self._steps], modality=self.modality,
                      seed=self._seed, name=self._name, meta=self._meta,
                      enabled=[s.enabled for s in self._steps], preprocess=self._preprocess)

    @property
    def steps(self) -> list[str]:
        """One line per step, e.g. ``"image.rotate"`` or ``"one_of(image.blur, image.noise)"``."""
        out = []
        for s in self._steps:
            ids = [c.cls.id for c in s.children]
            out.append(ids[0] if s.kind == "transform" else f"{s.kind}({', '.join(ids)})")
        return out

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def json(self) -> str:
        """The recipe's JSON text (as shown in the widget)."""
        return self._json.value

    @property
    def choices(self) -> list[str]:
        """Transform ids the catalogue list shows (after the search filter)."""
        return [v for _, v in self._picker.options]

    def search(self, text: str) -> list[str]:
        """Filter the catalogue list; returns the ids that match."""
        self._search.value = text
        return self.choices

    # -- editing ----------------------------------------------------------------------
    def add(self, transform_id: str, *, into: int | None = None, index: int | None = None,
            p: float | None = None, **params: Any) -> int:
        """Add a transform (``p`` and parameters optional) and return its step index.

        ``into=i`` adds it to step ``i`` as a OneOf option (a single transform step
        becomes a OneOf of both); ``index`` inserts at a position instead of the end.
        """
        cls = self._lookup(transform_id)
        t = cls(p=P_SPEC.default if p is None else p, **params)
        controls = self._make_controls(t)
        if into is not None:
            i = self._index(into)
            step = self._steps[i]
            if step.kind == "transform":
                # the step's p becomes the group's; inside a OneOf p is a weight
                step.p = read_value(P_SPEC, step.children[0].widgets["p"])
                step.children[0].set(p=1.0)
                step.kind = "one_of"
            step.children.append(controls)
            self._structure_changed()
            return i
        new = _Step("transform", [controls])
        if index is None:
            self._steps.append(new)
            i = len(self._steps) - 1
        else:
            i = max(0, min(int(index), len(self._steps)))
            self._steps.insert(i, new)
        self._structure_changed()
        return i

    def remove(self, index: int, child: int | None = None) -> None:
        """Remove step ``index`` (or one option of a group)."""
        i = self._index(index)
        step = self._steps[i]
        if child is None or step.kind == "transform":
            del self._steps[i]
        else:
            if not -len(step.children) <= child < len(step.children):
                raise InputError(f"step {i} has {len(step.children)} options; no option {child}")
            del step.children[child]
            if len(step.children) == 1:
                self._ungroup_step(i)
        self._structure_changed()

    def move(self, index: int, to: int) -> None:
        """Move step ``index`` to position ``to`` (other steps shift)."""
        i = self._index(index)
        j = self._index(to)
        step = self._steps.pop(i)
        self._steps.insert(j, step)
        self._structure_changed()

    def set_enabled(self, index: int, enabled: bool = True) -> None:
        """Enable or disable a step (a disabled step keeps its place and settings)."""
        i = self._index(index)
        self._steps[i].enabled = _ENABLED.check_argument(enabled, where="set_enabled")
        self._structure_changed()

    def set(self, index: int, child: int | None = None, **values: Any) -> None:
        """Set parameters of step ``index`` (of option ``child`` of a group); for a
        group, ``p=`` without ``child`` sets the group's probability."""
        i = self._index(index)
        step = self._steps[i]
        if step.kind != "transform" and child is None:
            extra = sorted(set(values) - {"p", "n"})
            if extra:
                raise InputError(f"step {i} is a group; its own settings are p and n "
                                 f"(pass child= for {extra[0]!r})")
            if "p" in values:
                step.p = P_SPEC.validate(values["p"], where=f"steps[{i}].p")
            if "n" in values:
                step.n = Int("n", 1, max(len(step.children), 2), 1,
                             doc="Options a some-of group applies.").check_argument(
                                 values["n"], where=f"steps[{i}]")
            self._structure_changed()
            return
        controls = step.children[0 if child is None else child]
        with self._preview.hold():
            controls.set(**values)
        self._changed()

    def group(self, start: int, stop: int | None = None, *, p: float = 1.0) -> int:
        """Make steps ``start``…``stop`` (inclusive) one OneOf step with probability ``p``."""
        i = self._index(start)
        j = i if stop is None else self._index(stop)
        if j < i:
            i, j = j, i
        chosen = self._steps[i : j + 1]
        if any(s.kind != "transform" for s in chosen):
            raise InputError("only single-transform steps can be grouped (groups do not nest)")
        children = [s.children[0] for s in chosen]
        self._steps[i : j + 1] = [_Step("one_of", children, p=P_SPEC.validate(p, where="p"))]
        self._structure_changed()
        return i

    def ungroup(self, index: int) -> None:
        """Split a group into single steps."""
        self._ungroup_step(self._index(index))
        self._structure_changed()

    def clear(self) -> None:
        self._steps.clear()
        self._structure_changed()

    # -- files ------------------------------------------------------------------------
    def load(self, source: Any) -> RecipeBuilder:
        """Replace the builder's recipe: a Recipe, a JSON dict, JSON text, a file path, or
        anything else :func:`augviz.as_recipe` takes (of this builder's modality)."""
        recipe, report = read_recipe(source, where="RecipeBuilder.load", modality=self.modality)
        self._steps = [
            _Step(step.kind, [self._make_controls(c) for c in step.children], enabled=on,
                  p=step.p, n=getattr(step, "n", 1))
            for step, on in zip(recipe.steps, recipe.enabled, strict=True)
        ]
        self._seed, self._name, self._meta = recipe.seed, recipe.name, dict(recipe.meta)
        self._preprocess = recipe.preprocess
        self.import_report = report
        self._report.value = report_html(report)
        self.export_row.status.value = ""
        self._structure_changed()
        return self

    # -- plumbing ---------------------------------------------------------------------
    def _lookup(self, transform_id: str) -> type[Transform]:
        if transform_id not in self._catalogue:
            get_transform(transform_id)  # raises a helpful error for unknown ids
            raise InputError(f"{transform_id!r} is not a {self.modality} transform")
        return self._catalogue[transform_id]

    def _index(self, i: int) -> int:
        n = len(self._steps)
        if isinstance(i, bool) or not isinstance(i, int) or not -n <= i < n:
            raise InputError(f"step index {i!r} is out of range for {n} steps")
        return i % n

    def _make_controls(self, t: Transform) -> ParamControls:
        return ParamControls(t, mode=self.mode, on_change=self._changed)

    def _ungroup_step(self, i: int) -> None:
        step = self._steps[i]
        if step.kind == "transform":
            return
        singles = [_Step("transform", [c], enabled=step.enabled) for c in step.children]
        if len(singles) == 1:
            singles[0].children[0].set(p=step.p)
        self._steps[i : i + 1] = singles

    def _apply_mode(self, mode: str) -> None:
        for step in self._steps:
            for c in step.children:
                c.mode = mode
        self._json.value = self.recipe.to_json()

    def _changed(self) -> None:
        """A parameter moved: refresh the JSON text and ask for a preview."""
        if self._preview.held:
            return
        try:
            self._json.value = self.recipe.to_json()
        except Exception as exc:
            self._preview.show_error(exc, "recipe")
            return
        self._preview.request()

    def _prep_line(self, where: str) -> list[W.Widget]:
        steps = self._preprocess.get(where, ())
        if not steps:
            return []
        ids = ", ".join(html.escape(t.id) for t in steps)
        return [W.HTML(f"<div style='color:#888;font-size:12px'>preprocess ({where}, always runs): "
                       f"<code style='color:#888'>{ids}</code></div>")]

    def _structure_changed(self) -> None:
        self._steps_box.children = [*self._prep_line("before"),
                                    *(self._card(i, s) for i, s in enumerate(self._steps)),
                                    *self._prep_line("after")]
        self._into.options = [("as a new step", -1)] + [
            (f"as an option of step {i} ({label})", i) for i, label in enumerate(self.steps)
        ]
        self._into.value = -1
        self._json.value = self.recipe.to_json()
        self.render()

    def _filter(self) -> None:
        words = self._search.value.lower().split()
        rows = []
        for cls in sorted(self._catalogue.values(), key=lambda c: (c.family, c.id)):
            text = f"{cls.id} {cls.family} {cls.doc_line()} {cls.__name__}".lower()
            if all(w in text for w in words):
                rows.append((f"{cls.family} › {cls.id.split('.', 1)[1]}", cls.id))
        keep = self._picker.value
        self._picker.options = rows
        if keep in [v for _, v in rows]:
            self._picker.value = keep
        elif rows:
            self._picker.value = rows[0][1]
        self._describe_pick()

    def _describe_pick(self) -> None:
        tid = self._picker.value
        if tid is None:
            self._pick_info.value = "<small>no transform matches</small>"
            return
        cls = self._catalogue[tid]
        self._pick_info.value = (
            f"<small><code>{html.escape(tid)}</code> — "
            f"{html.escape(cls.doc_line().replace('``', ''))}"
            f"<br><span style='color:#8a5a00'>label risk: {html.escape(cls.label_risk)}"
            "</span></small>"
        )

    def _add_clicked(self) -> None:
        tid = self._picker.value
        if tid is None:
            raise InputError("pick a transform first (the search matches none)")
        into = self._into.value
        self.add(tid, into=None if into == -1 else into)

    def _button(self, icon: str, tip: str, action: Any, place: str) -> W.Button:
        b = W.Button(icon=icon, tooltip=tip, layout=W.Layout(**_BTN))
        b.on_click(lambda _b: self._preview.guard(tip, action, place))
        return b

    def _card(self, i: int, step: _Step) -> W.Widget:
        on = W.Checkbox(value=step.enabled, description="on", indent=False,
                        tooltip="Enable or disable this step", layout=W.Layout(width="48px"))
        place = f"steps[{i}]"  # an action on this card shows its error in the card
        on.observe(lambda c: self._preview.guard("enable", lambda: self.set_enabled(i, c["new"]), place),
                   names="value")
        tools = [on,
                 self._button("arrow-up", "move up", lambda: self.move(i, max(0, i - 1)), place),
                 self._button("arrow-down", "move down",
                              lambda: self.move(i, min(len(self._steps) - 1, i + 1)), place),
                 self._button("times", "remove", lambda: self.remove(i), place)]
        if step.kind == "transform":
            cls = step.children[0].cls
            title = f"<b>{i}</b> <code>{html.escape(cls.id)}</code>"
            body: list[W.Widget] = [step.children[0].box]
        else:
            kind = "one of" if step.kind == "one_of" else f"some of (n={step.n})"
            title = f"<b>{i}</b> {kind}"
            tools.append(self._button("object-ungroup", "ungroup", lambda: self.ungroup(i), place))
            gp = control_for(P_SPEC, step.p)
            gp.description = "group p"

            def group_p(change: Mapping[str, Any], step: _Step = step) -> None:
                step.p = read_value(P_SPEC, change["owner"])
                self._changed()

            gp.observe(group_p, names="value")
            body = [gp]
            for j, c in enumerate(step.children):
                rm = self._button("times", "remove option",
                                  lambda j=j: self.remove(i, child=j), place)
                body.append(W.HBox([W.HTML(f"<code>{html.escape(c.cls.id)}</code> "
                                           "<small style='color:#666'>(p = weight)</small>"),
                                    rm], layout=W.Layout(justify_content="space-between")))
                body.append(W.Box([c.box], layout=W.Layout(margin="0 0 0 12px")))
        head = W.HBox([W.HTML(title, layout=W.Layout(flex="1 1 auto")), *tools],
                      layout=W.Layout(align_items="center"))
        card = W.VBox([head, *body, self._preview.area(place)], layout=W.Layout(
            border="1px solid #ddd", padding="4px 6px", margin="0 0 6px 0",
            width="100%"))
        card.add_class("augviz-step")
        if not step.enabled:
            card.add_class("augviz-step-disabled")
        return card

