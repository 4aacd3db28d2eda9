"""Controls built from parameter specs — one widget per spec, bounds from the spec only.

=================  ==========================================================
spec               control
=================  ==========================================================
``Float``          ``FloatSlider`` (``FloatLogSlider`` when ``log=True``)
``Int``            ``IntSlider``
``Range``          ``FloatRangeSlider`` / ``IntRangeSlider`` (``integer=True``);
                   in *fixed* mode a single-value slider (the exact magnitude)
``Choice``         ``Dropdown``
``Bool``           ``Checkbox``
``Text``           ``Text`` box (e.g. comma-separated words; updates on Enter/blur)
``Source``         :class:`SourceControl`: a menu of the bundled options and a folder
                   field (value: an option or ``"folder:<path>"``)
=================  ==========================================================

Each control's ``description`` is the parameter name and its ``tooltip`` the spec's doc
sentence plus unit and bounds. :class:`ParamControls` groups the controls of one
transform (``p`` included) and reads them back into validated values.

Example
-------
>>> from augviz.image import Rotate
>>> c = ParamControls(Rotate)
>>> c.widgets["angle"].min, c.widgets["angle"].max
(-180.0, 180.0)
>>> c.transform()
Rotate(angle=(-15.0, 15.0), interpolation='bilinear', border='constant', fill=0.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W
import traitlets

from augviz.core import (
    Bool,
    Choice,
    Float,
    InputError,
    Int,
    Param,
    ParamError,
    Range,
    Source,
    Text,
    Transform,
)
from augviz.core.transform import P_SPEC

__all__ = ["MODE", "MODES", "ParamControls", "SourceControl", "control_for", "fixed_value",
           "tooltip_for"]

#: Preview modes: ``random`` samples from the ranges (what training sees); ``fixed``
#: applies exactly the slider's magnitude (for looking at one strength, teaching).
MODES = ("random", "fixed")
MODE = Choice("mode", MODES, "random",
              doc="random: values drawn from the ranges, as training will; fixed: exactly "
                  "each slider's magnitude on every tile (p taken as 1).")

_DESC_STYLE = {"description_width": "90px"}
_SLIDER_LAYOUT = {"width": "330px"}
_LOG_STEPS = 200  # FloatLogSlider moves in exponent steps: 200 over the bounds


def tooltip_for(spec: Param) -> str:
    """The hover text of a control: doc sentence, unit and allowed values."""
    parts = [getattr(spec, "doc", "") or spec.name]
    unit = getattr(spec, "unit", "")
    if unit:
        parts.append(f"Unit: {unit}.")
    parts.append(f"Allowed: {spec.describe()}.")
    return " ".join(parts)


def _decimals(step: float) -> int:
    return max(0, min(6, -math.floor(math.log10(step)))) if step > 0 else 3


def _float_step(spec: Float | Range) -> float:
    if spec.step:
        return float(spec.step)
    # no step in the spec: 1/100 of the span, rounded down to 1, 2 or 5 × 10^k
    raw = (spec.high - spec.low) / 100.0
    exp = math.floor(math.log10(raw))
    for m in (5, 2, 1):
        if m * 10**exp <= raw:
            return float(m * 10**exp)
    return float(10**exp)  # pragma: no cover


def _common(spec: Param, continuous_update: bool) -> dict[str, Any]:
    return {
        "description": spec.name,
        "tooltip": tooltip_for(spec),
        "style": dict(_DESC_STYLE),
        "layout": W.Layout(**_SLIDER_LAYOUT),
    }


def _scalar_slider(
    spec: Float | Int | Range, value: Any, *, integer: bool, log: bool, continuous_update: bool
) -> W.ValueWidget:
    kw = _common(spec, continuous_update)
    kw["continuous_update"] = continuous_update
    if integer:
        return W.IntSlider(
            value=int(value), min=int(spec.low), max=int(spec.high),
            step=int(spec.step or 1), **kw,
        )
    if log:
        lo, hi = math.log10(spec.low), math.log10(spec.high)
        return W.FloatLogSlider(
            value=float(value), base=10.0, min=lo, max=hi, step=(hi - lo) / _LOG_STEPS,
            readout_format=".3g", **kw,
        )
    step = _float_step(spec)
    return W.FloatSlider(
        value=float(value), min=float(spec.low), max=float(spec.high), step=step,
        readout_format=f".{_decimals(step)}f", **kw,
    )


def fixed_value(spec: Range, value: tuple[Any, Any]) -> Any:
    """The single magnitude a *fixed* preview shows for a range value.

    The end of larger magnitude — ``(-15, 15)`` → 15 (rotate exactly 15°),
    ``(-0.3, 0.1)`` → -0.3, ``(0.5, 2.0)`` → 2.0 — the strongest setting a training run
    would ever draw, which is what a person checking "is this too much?" wants to see.
    """
    lo, hi = value
    return lo if abs(lo) > abs(hi) else hi


def control_for(
    spec: Param, value: Any = None, *, continuous_update: bool = True, fixed: bool = False
) -> W.ValueWidget:
    """The control for one parameter spec, set to ``value`` (default: the spec's default).

    ``fixed=True`` gives a ``Range`` a single-value slider over the same bounds (the
    exact magnitude of a *fixed* preview). Bounds, step and scale come from the spec.

    Example
    -------
    >>> from augviz.core import Float
    >>> control_for(Float("sigma", 0.1, 10.0, 1.0, log=True, doc="Blur.")).__class__.__name__
    'FloatLogSlider'
    """
    value = spec.default if value is None else spec.validate(value)  # type: ignore[attr-defined]
    if isinstance(spec, Range):
        if fixed:
            v = value if not isinstance(value, tuple) else fixed_value(spec, value)
            return _scalar_slider(spec, v, integer=spec.integer, log=spec.log,
                                  continuous_update=continuous_update)
        kw = _common(spec, continuous_update)
        kw["continuous_update"] = continuous_update
        if spec.integer:
            return W.IntRangeSlider(
                value=[int(value[0]), int(value[1])], min=int(spec.low), max=int(spec.high),
                step=int(spec.step or 1), **kw,
            )
        step = _float_step(spec)
        return W.FloatRangeSlider(
            value=[float(value[0]), float(value[1])], min=float(spec.low),
            max=float(spec.high), step=step, readout_format=f".{_decimals(step)}f", **kw,
        )
    if isinstance(spec, Float):
        return _scalar_slider(spec, value, integer=False, log=spec.log,
                              continuous_update=continuous_update)
    if isinstance(spec, Int):
        return _scalar_slider(spec, value, integer=True, log=False,
                              continuous_update=continuous_update)
    if isinstance(spec, Text):  # free text (e.g. a comma-separated word list): a text box
        kw = _common(spec, continuous_update)
        return W.Text(value=str(value), continuous_update=False,
                      placeholder=spec.doc or spec.name, **kw)
    if isinstance(spec, Source):
        return SourceControl(spec, value)
    if isinstance(spec, Choice):
        kw = _common(spec, continuous_update)
        return W.Dropdown(options=[(str(o), o) for o in spec.options], value=value, **kw)
    if isinstance(spec, Bool):
        kw = _common(spec, continuous_update)
        return W.Checkbox(value=bool(value), indent=False, **kw)
    raise InputError(f"no control for spec type {type(spec).__name__} ({spec.name!r})")


class SourceControl(W.HBox):
    """The control of a :class:`~augviz.core.Source` spec: a menu of the bundled options
    (and "folder…") beside a folder field. ``value`` is an option name or
    ``"folder:<path>"``; typing a folder picks "folder…" in the menu. The value is not
    checked here: :func:`read_value` validates it (a missing folder is an error the host
    widget shows).

    Example
    -------
    >>> from augviz.core import Source
    >>> c = SourceControl(Source("source", ("babble", "rain"), "babble", doc="Noise."), "rain")
    >>> c.folder.value = "/tmp"
    >>> c.value, c.menu.value
    ('folder:/tmp', 'folder:')
    """

    value = traitlets.Unicode("")
    description = traitlets.Unicode("")

    def __init__(self, spec: Source, value: str) -> None:
        self.prefix = spec.PREFIX
        tip = tooltip_for(spec)
        self.menu = W.Dropdown(
            options=[*((o, o) for o in spec.options), ("folder…", self.prefix)],
            description=spec.name, tooltip=tip, style=dict(_DESC_STYLE),
            layout=W.Layout(width="210px"),
        )
        self.folder = W.Text(placeholder="folder path", tooltip=tip, continuous_update=False,
                             layout=W.Layout(width="120px"))
        super().__init__([self.menu, self.folder], value=value, description=spec.name,
                         tooltip=tip, layout=W.Layout(**_SLIDER_LAYOUT))
        self._syncing = False
        self._show(value)
        self.menu.observe(self._from_parts, names="value")
        self.folder.observe(self._from_parts, names="value")
        self.observe(lambda change: self._show(change["new"]), names="value")

    def _show(self, value: str) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            if value.startswith(self.prefix):
                self.menu.value = self.prefix
                self.folder.value = value[len(self.prefix):]
            elif value in [v for _, v in self.menu.options]:
                self.menu.value = value
        finally:
            self._syncing = False

    def _from_parts(self, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            path = self.folder.value.strip()
            if change["owner"] is self.folder and path:
                self.menu.value = self.prefix  # typing a folder means "use the folder"
            if self.menu.value != self.prefix:
                self.value = self.menu.value
            elif path:
                self.value = self.prefix + path
        finally:
            self._syncing = False


def _clamp(spec: Float | Int | Range, v: Any) -> Any:
    # sliders (log ones especially) can drift by an ulp past a bound
    if isinstance(v, float):
        return min(max(v, float(spec.low)), float(spec.high))
    return v


def read_value(spec: Param, widget: W.ValueWidget) -> Any:
    """A control's value, validated by its spec (a fixed-mode range slider gives the
    single magnitude ``v``, which the spec stores as ``(v, v)``)."""
    v = widget.value
    if isinstance(spec, (Float, Int, Range)):
        v = [_clamp(spec, x) for x in v] if isinstance(v, (tuple, list)) else _clamp(spec, v)
    return spec.validate(v)  # type: ignore[attr-defined]


class ParamControls:
    """The controls of one transform class: ``p`` and one per parameter.

    Parameters
    ----------
    transform : Transform class or instance
        An instance sets the starting values (and ``p``).
    mode : {"random", "fixed"}
        In ``fixed`` mode each ``Range`` shows a single-value slider whose value is
        applied exactly (see :func:`fixed_value`).
    on_change : callable, optional
        Called with no arguments after any control changes.
    continuous_update : bool, optional
        Default: ``not cls.slow`` (slow transforms update on release only).

    Example
    -------
    >>> from augviz.image import Rotate
    >>> c = ParamControls(Rotate(angle=(-10, 20)), mode="fixed")
    >>> c.values()["angle"]
    (20.0, 20.0)
    """

    def __init__(
        self,
        transform: type[Transform] | Transform,
        *,
        mode: str = "random",
        on_change: Callable[[], None] | None = None,
        continuous_update: bool | None = None,
    ) -> None:
        if isinstance(transform, Transform):
            cls: type[Transform] = type(transform)
            start: dict[str, Any] = {"p": transform.p, **transform.params}
        elif isinstance(transform, type) and issubclass(transform, Transform):
            cls = transform
            start = {"p": P_SPEC.default, **{s.name: s.default for s in cls.PARAMS}}
        else:
            raise InputError(
                f"ParamControls takes a Transform class or instance; got {type(transform).__name__}"
            )
        MODE.check_argument(mode, where=f"ParamControls({cls.id or cls.__name__})")
        self.cls = cls
        self.specs: dict[str, Param] = cls.param_specs()
        self.continuous_update = (not cls.slow) if continuous_update is None else continuous_update
        self._mode = mode
        self._on_change = on_change
        self._hold = False
        self._random: dict[str, W.ValueWidget] = {}
        self._fixed: dict[str, W.ValueWidget] = {}
        for name, spec in self.specs.items():
            w = control_for(spec, start[name], continuous_update=self.continuous_update)
            w.observe(self._changed, names="value")
            self._random[name] = w
            if isinstance(spec, Range):
                f = control_for(spec, start[name], continuous_update=self.continuous_update,
                                fixed=True)
                f.observe(self._changed, names="value")
                self._fixed[name] = f
        self.box = W.VBox(layout=W.Layout(width="auto"))
        self._layout_box()

    # -- state ------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, mode: str) -> None:
        MODE.check_argument(mode, where=f"ParamControls({self.cls.id or self.cls.__name__})")
        if mode == self._mode:
            return
        with self.hold():
            for name, spec in self.specs.items():
                if not isinstance(spec, Range):
                    continue
                # the fixed slider starts at the range's strongest end; going back to
                # random restores the range as it was (the two settings are independent)
                if mode == "fixed":
                    self._fixed[name].value = fixed_value(spec, read_value(spec, self._random[name]))
            self._mode = mode
            self._layout_box()

    @property
    def widgets(self) -> dict[str, W.ValueWidget]:
        """The controls shown in the current mode, by parameter name (``p`` first)."""
        return {n: self._fixed[n] if self._mode == "fixed" and n in self._fixed else w
                for n, w in self._random.items()}

    def values(self) -> dict[str, Any]:
        """The validated values in the current mode, ``p`` included."""
        return {name: read_value(self.specs[name], w) for name, w in self.widgets.items()}

    def transform(self) -> Transform:
        """The transform the controls describe (in the current mode)."""
        values = self.values()
        p = values.pop("p")
        return self.cls(p=p, **values)

    def set(self, **values: Any) -> None:
        """Set controls from Python; values are validated by the specs first.

        In fixed mode a range parameter takes one number (a pair sets the end of larger
        magnitude). ``on_change`` is called once.
        """
        for name in values:
            if name not in self.specs:
                allowed = ", ".join(self.specs)
                raise ParamError(f"{self.cls.id}: unknown parameter {name!r}; allowed: {allowed}")
        checked = {n: self.specs[n].validate(v, where=self.cls.id) for n, v in values.items()}  # type: ignore[attr-defined]
        with self.hold():
            for name, v in checked.items():
                spec = self.specs[name]
                w = self.widgets[name]
                if isinstance(spec, Range):
                    v = fixed_value(spec, v) if self._mode == "fixed" else list(v)
                w.value = v
        if self._on_change is not None:
            self._on_change()

    # -- plumbing ---------------------------------------------------------------------
    def hold(self) -> _Hold:
        """Context manager: change controls without calling ``on_change`` for each."""
        return _Hold(self)

    def _changed(self, change: Mapping[str, Any]) -> None:
        if not self._hold and self._on_change is not None:
            self._on_change()

    def _layout_box(self) -> None:
        self.box.children = tuple(self.widgets.values())


class _Hold:
    def __init__(self, owner: ParamControls) -> None:
        self.owner = owner
        self.prev = False

    def __enter__(self) -> ParamControls:
        self.prev = self.owner._hold
        self.owner._hold = True
        return self.owner

    def __exit__(self, *exc: Any) -> None:
        self.owner._hold = self.prev
