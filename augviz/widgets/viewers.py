"""Modality viewers: how the Explorer and the Recipe Builder show a grid of outputs.

Each modality's record in :mod:`augviz.modalities` names its viewer (``viewer =
"module:function"``, imported on first use); :func:`register_viewer` puts another one
in its place from Python. A viewer is a function::

    viewer(samples, outputs_with_traces, **options) -> ipywidgets.Widget | bytes

- ``samples``: the ``n`` input items (images, audio clips, strings).
- ``outputs_with_traces``: ``n`` lists (one per sample) of ``(output, records)`` pairs,
  one per variant; ``records`` is the :meth:`Recipe.trace` of that output.
- ``options`` (keyword-only; a viewer must accept and may ignore any of them):

  ``captions``
      ``n`` lists of strings, one per variant: the sampled values, already formatted.
  ``labels``
      the samples' labels, or ``None``.
  ``show_original``
      whether the input should be shown beside its variants.
  ``tile``
      requested cell size in pixels (image-like viewers).
  ``recipe``
      the :class:`~augviz.Recipe` that produced the outputs.
  ``targets``
      whether to draw the boxes, keypoints and masks of :class:`augviz.image.Sample`
      items (the host's toggle).

- The return value is either encoded image bytes (JPEG or PNG — shown in the host's
  ``widgets.Image``, the fast path) or any widget (shown as is; e.g. a box of audio
  players or an HTML text diff).

Viewers must be fast (the slider budget is ~30 ms) and raise :class:`InputError` for
items they cannot show; the host widget shows the message and keeps working.

Example
-------
>>> from augviz.widgets.viewers import register_viewer, get_viewer
>>> @register_viewer("text", replace=True)          # doctest: +SKIP
... def text_viewer(samples, outputs_with_traces, **options):
...     return ipywidgets.HTML(...)
>>> get_viewer("image").__name__
'image_viewer'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from augviz.core import AugvizError, InputError
from augviz.modalities import MODALITIES, all_modalities

__all__ = ["Viewer", "get_viewer", "image_viewer", "register_viewer", "viewers"]

Viewer = Callable[..., Any]

#: viewers registered from Python; they take precedence over the modality records'
_REGISTERED: dict[str, Viewer] = {}


def register_viewer(
    modality: str, viewer: Viewer | None = None, *, replace: bool = False
) -> Any:
    """Register ``viewer`` for ``modality`` (also usable as a decorator).

    Every modality of :mod:`augviz.modalities` names its viewer already; registering
    another one for a modality that has a viewer raises unless ``replace=True``.
    """

    def deco(fn: Viewer) -> Viewer:
        if not callable(fn):
            raise InputError(f"a viewer must be callable; got {type(fn).__name__}")
        current = _REGISTERED.get(modality) or _declared(modality)
        if current is not None and current is not fn and not replace:
            raise AugvizError(
                f"a viewer for {modality!r} is already registered "
                f"({current.__module__}.{current.__qualname__}); pass replace=True to swap it"
            )
        _REGISTERED[modality] = fn
        return fn

    return deco if viewer is None else deco(viewer)


def get_viewer(modality: str) -> Viewer:
    """The viewer of ``modality``: one registered from Python, else the one its
    :mod:`augviz.modalities` record names (imported on first use)."""
    viewer = _REGISTERED.get(modality) or _declared(modality)
    if viewer is None:
        known = ", ".join(sorted(viewers())) or "(none)"
        raise InputError(
            f"no viewer for modality {modality!r} yet; known: {known} "
            "(augviz.widgets.register_viewer adds one)"
        )
    return viewer


def viewers() -> dict[str, Viewer]:
    """Every modality's viewer: modality -> viewer."""
    found = {m.name: m.load("viewer") for m in all_modalities() if m.viewer}
    return {**found, **_REGISTERED}


CAPTION_LINES = 10


def _declared(modality: str) -> Viewer | None:
    record = next((m for m in MODALITIES if m.name == modality), None)
    return record.load("viewer") if record is not None and record.viewer else None


def image_viewer(
    samples: Sequence[Any],
    outputs_with_traces: Sequence[Sequence[tuple[Any, Any]]],
    *,
    captions: Sequence[Sequence[str]] | None = None,
    labels: Sequence[Any] | None = None,
    show_original: bool = True,
    tile: int | None = None,
    quality: int = 75,
    targets: bool = True,
    **options: Any,
) -> bytes:
    """The image grid: one row per sample (the original first), a JPEG.

    Captions under the tiles carry the sampled values; the targets of
    :class:`augviz.image.Sample` items are drawn over their tiles unless ``targets`` is
    false.
    """
    from augviz.viz import encode_image, image_grid

    rows, caps = grid_rows(samples, outputs_with_traces, captions, labels, show_original)
    # recipe captions name every step that fired: let them wrap rather than cut them
    grid = image_grid(rows, caps, tile=int(tile or 128), pad=4, caption_lines=CAPTION_LINES,
                      targets=bool(targets))
    return encode_image(grid, "jpeg", quality=quality)


def grid_rows(
    samples: Sequence[Any],
    outputs_with_traces: Sequence[Sequence[tuple[Any, Any]]],
    captions: Sequence[Sequence[str]] | None,
    labels: Sequence[Any] | None,
    show_original: bool,
) -> tuple[list[list[Any]], list[list[str]]]:
    """One row per sample (its original first when ``show_original``) and the matching
    captions, for grid-like viewers."""
    rows: list[list[Any]] = []
    caps: list[list[str]] = []
    for i, (x, variants) in enumerate(zip(samples, outputs_with_traces, strict=True)):
        row = [out for out, _ in variants]
        cap = list(captions[i]) if captions is not None else ["" for _ in variants]
        if show_original:
            label = "" if labels is None else f" · label {labels[i]}"
            row = [x, *row]
            cap = [f"original{label}", *cap]
        rows.append(row)
        caps.append(cap)
    return rows, caps

