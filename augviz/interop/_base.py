"""The one interop protocol every bridge uses.

- :class:`Mapping`: one augviz transform ↔ one class of the other library, as two
  conversions of parameter dicts and a sample parameter set for the round-trip test;
- :class:`Peer`: a library's table of mappings, the transforms it cannot take (each with
  a reason) and the glue that turns a converted transform or group into its form;
- :func:`export_steps`: the one walk over a recipe's enabled steps, collecting every
  problem into one :class:`InteropError`;
- :func:`write_source`: the one code writer (imports, an assignment, indented calls);
- :class:`ImportResult`: what an import made of a pipeline (exact, approximate, dropped);
- :class:`Targets`: which targets travel with the image and how boxes are kept, as a
  pipeline of the other library declares them (albumentations' ``bbox_params`` /
  ``keypoint_params``; the torchvision export's ``tv_tensors``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from typing import Any

from augviz.core import AugvizError, Recipe, Transform

__all__ = [
    "Call",
    "Code",
    "Comment",
    "ImportResult",
    "InteropError",
    "Mapping",
    "Peer",
    "Targets",
    "export_steps",
    "no_params",
    "read_only",
    "source_code",
    "write_source",
]


class InteropError(AugvizError):
    """A pipeline cannot be converted (the message lists the steps and why)."""


Params = dict[str, Any]


def no_params(values: Params) -> Params:
    """The conversion of a transform without parameters (either way)."""
    return {}


def read_only(values: Params) -> Params:
    """The export side of an alias: never written back (raises :class:`InteropError`)."""
    raise InteropError("read-only alias: it is written back as its augviz transform's own mapping")


@dataclass(frozen=True)
class Mapping:
    """One augviz transform and its counterpart in another library.

    Parameters
    ----------
    augviz_id : str
        The registered augviz id, e.g. ``"image.rotate"``.
    name : str
        The other library's class name, e.g. ``"Rotate"``.
    to_peer : callable
        augviz parameters → the other library's keyword arguments (without ``p``).
        Raises :class:`InteropError` for values the other library cannot express.
    from_peer : callable, optional
        The other library's arguments → augviz parameters, for libraries augviz reads.
        Raises :class:`InteropError` for settings augviz cannot reproduce.
    example : dict, optional
        augviz parameters, away from the defaults, that the round-trip test converts
        with the real library. ``None`` means no round-trip case yet (the guard test
        fails until there is one); ``{}`` is the case of a transform without parameters.
    notes : callable, optional
        augviz parameters → what differs from the other library for those values
        (mapped, but not bit for bit the same).
    takes_p : bool
        Whether the other class takes the probability ``p`` itself.
    """

    augviz_id: str
    name: str
    to_peer: Callable[[Params], Params]
    from_peer: Callable[[Params], Params] | None = None
    example: Params | None = None
    notes: Callable[[Params], list[str]] | None = None
    takes_p: bool = True


@dataclass(frozen=True)
class Peer:
    """Another library as augviz sees it: what maps, what does not, and the glue.

    ``leaf(mapping, transform, kwargs, grouped)`` builds the library's form of one
    converted transform (``grouped``: it is a child of a group, where the group holds
    the probability); ``group(step, items)`` builds a group from its converted children;
    ``whole(step)`` may turn a whole step into one item (``None``: convert as usual).
    ``aliases`` are read-only mappings: other classes of the library that come in as an
    augviz transform (e.g. a class the library keeps for older pipelines) but are never
    written back.
    """

    name: str
    modality: str
    mappings: tuple[Mapping, ...]
    #: augviz id → why it has no counterpart in this library
    unmappable: MappingType[str, str]
    leaf: Callable[[Mapping, Transform, Params, bool], Any]
    group: Callable[[Any, list[Any]], Any]
    #: step kinds (``"one_of"``, ``"some_of"``) the library has a container for
    groups: frozenset[str] = frozenset({"one_of", "some_of"})
    whole: Callable[[Any], Any] | None = None
    aliases: tuple[Mapping, ...] = ()
    _by_id: dict[str, Mapping] = field(init=False, repr=False, compare=False)
    _by_name: dict[str, Mapping] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Mapping] = {}
        for m in self.mappings:
            if m.augviz_id in by_id:
                raise InteropError(f"{self.name}: {m.augviz_id} is mapped twice")
            by_id[m.augviz_id] = m
        object.__setattr__(self, "_by_id", by_id)
        by_name = {m.name: m for m in self.mappings if m.from_peer}
        for m in self.aliases:
            if m.name in by_name or m.from_peer is None:
                raise InteropError(f"{self.name}: alias {m.name} is read twice or cannot be read")
            by_name[m.name] = m
        object.__setattr__(self, "_by_name", by_name)

    def mapping(self, augviz_id: str) -> Mapping | None:
        """The mapping of an augviz transform, or ``None``."""
        return self._by_id.get(augviz_id)

    def reader(self, name: str) -> Mapping | None:
        """The mapping that reads the library's class ``name``, or ``None``."""
        return self._by_name.get(name)


@dataclass(frozen=True)
class Targets:
    """The targets a pipeline carries with its images, and how its boxes are kept.

    Recipes hold no targets (targets are data): an imported pipeline's target options
    land here, and :meth:`boxes` / :meth:`keypoints` build augviz targets that follow
    them; an export writes them back.

    Parameters
    ----------
    box_format : str or None
        The augviz box format (``xyxy``, ``xywh``, ``cxcywh``, ``yolo``) or ``None``
        when the pipeline carries no boxes.
    box_labels : tuple of str
        The names of the label fields that travel with the boxes.
    min_visibility, min_area : float
        Boxes whose visible share / visible area fall below these are dropped.
    keypoints_on : bool
        Whether the pipeline carries keypoints (``x, y`` in pixels).
    keypoint_labels : tuple of str
        The names of the label fields that travel with the keypoints.
    masks : bool
        Whether the pipeline carries masks (albumentations always moves a ``mask=``
        it is given; the torchvision export wraps it as ``tv_tensors.Mask``).

    Example
    -------
    >>> t = Targets(box_format="xywh", box_labels=("labels",), min_visibility=0.3)
    >>> t.boxes([[10, 10, 20, 20]], labels=["cat"])
    Boxes(1 boxes, format='xywh', labels=('cat',))
    """

    box_format: str | None = None
    box_labels: tuple[str, ...] = ()
    min_visibility: float = 0.0
    min_area: float = 0.0
    keypoints_on: bool = False
    keypoint_labels: tuple[str, ...] = ()
    masks: bool = False

    def __post_init__(self) -> None:
        from augviz.image.targets import BOX_FORMATS, MIN_AREA, MIN_VISIBILITY

        if self.box_format is not None and self.box_format not in BOX_FORMATS:
            raise InteropError(f"box format {self.box_format!r} is not allowed; allowed: "
                               f"{', '.join(BOX_FORMATS)}")
        MIN_VISIBILITY.validate(self.min_visibility, where="Targets")
        MIN_AREA.validate(self.min_area, where="Targets")
        object.__setattr__(self, "box_labels", tuple(self.box_labels))
        object.__setattr__(self, "keypoint_labels", tuple(self.keypoint_labels))

    @property
    def any(self) -> bool:
        """Whether any target travels with the image."""
        return self.box_format is not None or self.keypoints_on or self.masks

    def boxes(self, coords: Any, labels: Sequence[Any] | None = None) -> Any:
        """:class:`augviz.image.Boxes` in this format, dropped by these thresholds."""
        from augviz.image.targets import Boxes

        if self.box_format is None:
            raise InteropError("this pipeline carries no boxes (no box format was declared)")
        return Boxes(coords, labels, format=self.box_format, min_visibility=self.min_visibility,
                     min_area=self.min_area)

    def keypoints(self, xy: Any, labels: Sequence[Any] | None = None,
                  flip_pairs: Sequence[tuple[int, int]] = ()) -> Any:
        """:class:`augviz.image.Keypoints` (``x, y`` in pixels)."""
        from augviz.image.targets import Keypoints

        if not self.keypoints_on:
            raise InteropError("this pipeline carries no keypoints (no keypoint options were declared)")
        return Keypoints(xy, labels, flip_pairs=flip_pairs)


@dataclass
class ImportResult:
    """What an import (``from_albumentations``, ``from_audiomentations``) made of a
    pipeline: the recipe and, for every transform of the other library, whether it came
    in exactly, approximately (what differs) or was dropped (why). ``path`` is where the
    transform sits in the pipeline."""

    recipe: Recipe
    #: (path, class): same parameters and the same behaviour
    exact: list[tuple[str, str]] = field(default_factory=list)
    #: (path, class, what differs — in numbers where measured)
    approximate: list[tuple[str, str, str]] = field(default_factory=list)
    #: (path, class, why it was left out)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    #: the pipeline's ``bbox_params`` / ``keypoint_params``: build Boxes and Keypoints that
    #: follow them with ``result.targets.boxes(...)`` / ``.keypoints(...)``
    targets: Targets = field(default_factory=Targets)
    #: the library the pipeline came from
    source: str = "albumentations"

    @property
    def complete(self) -> bool:
        """Nothing was dropped."""
        return not self.dropped

    @property
    def mapped(self) -> list[str]:
        """The classes that came in, exactly or approximately, in pipeline order."""
        rows = [r for r in self.exact + self.approximate if r[0].startswith("transforms[")]
        return [row[1] for row in sorted(rows, key=lambda r: _order(r[0]))]

    @property
    def skipped(self) -> list[tuple[str, str, str]]:
        """The dropped rows (path, class, reason)."""
        return self.dropped

    @property
    def notes(self) -> list[str]:
        """One line per approximate transform: where, which and what differs."""
        return [f"{path} {cls}: {what}" for path, cls, what in self.approximate]

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Every transform as (path, class, "exact" | "approximate" | "dropped", detail), in order."""
        rows = [(p, c, "exact", "") for p, c in self.exact]
        rows += [(p, c, "approximate", w) for p, c, w in self.approximate]
        rows += [(p, c, "dropped", w) for p, c, w in self.dropped]
        return sorted(rows, key=lambda r: _order(r[0]))

    def __str__(self) -> str:
        lines = [
            f"{self.source} → augviz: {len(self.exact)} exact, {len(self.approximate)} approximate, "
            f"{len(self.dropped)} dropped"
        ]
        if self.dropped:
            lines.append("dropped:")
            lines += [f"  {path} {cls}: {why}" for path, cls, why in self.dropped]
        if self.approximate:
            lines.append("approximate:")
            lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def drop_failed(self, path: str, cls_name: str, exc: AugvizError) -> None:
        """Record a transform left out because reading it raised ``exc``: a conversion's
        own reason, or a value the augviz transform refused."""
        why = str(exc) if isinstance(exc, InteropError) else f"values outside augviz's bounds: {exc}"
        self.dropped.append((path, cls_name, why))

    def table_html(self, style: str = "") -> str:
        """The rows as an HTML table (where, class, how it came in, what differs or why),
        ``""`` for an empty pipeline."""
        import html

        colour = {"exact": "#2e7d32", "approximate": "#b26a00", "dropped": "#c62828"}
        rows = "".join(
            f"<tr><td><code>{html.escape(p)}</code></td><td>{html.escape(c)}</td>"
            f"<td style='color:{colour[s]}'>{s}</td><td>{html.escape(w)}</td></tr>"
            for p, c, s, w in self.rows()
        )
        if not rows:
            return ""
        header = (f"<tr><th>where</th><th>{html.escape(self.source)}</th><th>came in</th>"
                  "<th>what differs / why</th></tr>")
        attrs = f" style='{style}'" if style else ""
        return f"<table{attrs}>{header}{rows}</table>"

    def _repr_html_(self) -> str:
        import html

        head = html.escape(str(self).splitlines()[0])
        table = self.table_html() or "<p>The pipeline is empty.</p>"
        return f"<p>{head}</p>{table}{self.recipe._repr_html_()}"


def _order(path: str) -> tuple[int, ...]:
    """``transforms[2].transforms[10]`` sorts as (2, 10)."""
    return tuple(int(n) for n in re.findall(r"\[(\d+)\]", path))


@dataclass(frozen=True)
class Comment:
    """A ``# text`` line in written source."""

    text: str


@dataclass(frozen=True)
class Call:
    """A call in written source: ``name(*args, **kwargs)``."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: MappingType[str, Any] = field(default_factory=dict)


class Code(str):
    """A Python expression written as is (``InterpolationMode.BILINEAR``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _convert(peer: Peer, step: Any, path: str) -> tuple[Any, list[str]]:
    """One step in the library's form, or the problems that prevent it."""
    if peer.whole is not None:
        item = peer.whole(step)
        if item is not None:
            return item, []
    grouped = step.kind != "transform"
    if grouped and step.kind not in peer.groups:
        return None, [f"{path}: {step.kind} has no {peer.name} equivalent"]
    items, problems = [], []
    for j, t in enumerate(step.children):
        where = f"{path}.{step.kind}[{j}]" if grouped else path
        m = peer.mapping(t.id)
        if m is None:
            problems.append(f"{where}: {t.id} has no {peer.name} equivalent")
            continue
        try:
            kwargs = m.to_peer(dict(t.params))
        except InteropError as exc:
            problems.append(f"{where}: {t.id}: {exc}")
            continue
        items.append(peer.leaf(m, t, kwargs, grouped))
    if problems:
        return None, problems
    return (peer.group(step, items) if grouped else items[0]), []


def export_steps(recipe: Recipe, peer: Peer, *, skip_unmapped: bool = False,
                 writes_preprocess: bool = False) -> list[Any]:
    """The recipe's enabled steps in the library's form, in order.

    Every step that cannot be converted is named in one :class:`InteropError`, or, with
    ``skip_unmapped``, becomes a ``# not exported: …`` :class:`Comment`. The recipe's
    preprocessing steps count as such steps unless the caller writes them itself
    (``writes_preprocess``).

    Example
    -------
    >>> from augviz.image import HorizontalFlip
    >>> flip = Mapping("image.hflip", "HFlip", no_params)
    >>> peer = Peer("lib", "image", (flip,), {}, leaf=lambda m, t, kw, g: m.name,
    ...             group=lambda step, items: items)
    >>> export_steps(Recipe([HorizontalFlip()]), peer)
    ['HFlip']
    """
    if recipe.modality != peer.modality:
        raise InteropError(f"{peer.name} export takes {peer.modality} recipes; this one is {recipe.modality}")
    items: list[Any] = []
    problems: list[str] = []
    if not writes_preprocess:
        for where, steps in recipe.preprocess.items():
            why = [f"preprocess.{where}[{k}]: {t.id} is a preparation step this {peer.name} export does not "
                   "write" for k, t in enumerate(steps)]
            if skip_unmapped:
                items += [Comment(f"not exported: {w}") for w in why]
            else:
                problems += why
    for i, (step, on) in enumerate(zip(recipe.steps, recipe.enabled, strict=True)):
        if not on:
            continue
        item, why = _convert(peer, step, f"steps[{i}]")
        if not why:
            items.append(item)
        elif skip_unmapped:
            items += [Comment(f"not exported: {w}") for w in why]
        else:
            problems += why
    if problems:
        raise InteropError(f"cannot export to {peer.name}:\n  " + "\n  ".join(problems))
    return items


def source_code(value: Any, indent: str = "", *, calls_on_lines: bool = False) -> str:
    """``value`` as Python source: calls as calls, everything else as its ``repr``.

    A list of calls is written inline, or one call a line with ``calls_on_lines``.

    Example
    -------
    >>> source_code(Call("A.OneOf", ([Call("A.HorizontalFlip", kwargs={"p": 0.5})],), {"p": 1.0}))
    'A.OneOf([A.HorizontalFlip(p=0.5)], p=1.0)'
    """
    if isinstance(value, Call):
        args = [source_code(a, indent, calls_on_lines=calls_on_lines) for a in value.args]
        args += [
            f"{k}={source_code(v, indent, calls_on_lines=calls_on_lines)}" for k, v in value.kwargs.items()
        ]
        return f"{value.name}({', '.join(args)})"
    if isinstance(value, list) and value and all(isinstance(v, Call) for v in value):
        if not calls_on_lines:
            return "[" + ", ".join(source_code(v, indent) for v in value) + "]"
        inner = indent + "    "
        lines = "".join(f"{inner}{source_code(v, inner, calls_on_lines=True)},\n" for v in value)
        return f"[\n{lines}{indent}]"
    return repr(value)


def write_source(
    recipe: Recipe,
    items: Sequence[Call | Comment],
    *,
    library: str,
    imports: str,
    assign: str,
    calls_on_lines: bool = False,
    extra: MappingType[str, Any] | None = None,
    after: Sequence[Call | Comment] = (),
    epilogue: str = "",
) -> str:
    """A Python script that builds the pipeline: a header naming the recipe, the
    imports, then ``assign([...])`` with one item a line, the ``after`` calls last,
    ``extra`` keyword arguments after the list, and ``epilogue`` (code) at the end.

    Example
    -------
    >>> print(write_source(Recipe([], modality="image"), [Call("F", kwargs={"p": 0.5})],
    ...                    library="lib", imports="from lib import Compose, F",
    ...                    assign="aug = Compose"))
    # augviz recipe exported for lib
    from lib import Compose, F
    <BLANKLINE>
    aug = Compose([
        F(p=0.5),
    ])
    <BLANKLINE>
    """
    title = f" {recipe.name!r}" if recipe.name else ""
    body = "".join(
        f"    # {item.text}\n"
        if isinstance(item, Comment)
        else f"    {source_code(item, '    ', calls_on_lines=calls_on_lines)},\n"
        for item in [*items, *after]
    )
    kwargs = "".join(f", {k}={source_code(v)}" for k, v in (extra or {}).items())
    tail = f"\n{epilogue}" if epilogue else ""
    return f"# augviz recipe{title} exported for {library}\n{imports}\n\n{assign}([\n{body}]{kwargs})\n{tail}"
