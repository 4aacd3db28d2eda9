"""The Explorer/Builder viewer for text: word-level diffs of every variant."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from augviz.core import InputError

__all__ = ["text_viewer"]


def text_viewer(
    samples: Sequence[Any],
    outputs_with_traces: Sequence[Sequence[tuple[Any, Any]]],
    *,
    captions: Sequence[Sequence[str]] | None = None,
    labels: Sequence[Any] | None = None,
    show_original: bool = True,
    **options: Any,
) -> W.HTML:
    """One block per sample: the original, then each variant as a coloured diff."""
    from augviz.viz import text_diff

    blocks = []
    for i, (x, variants) in enumerate(zip(samples, outputs_with_traces, strict=False)):
        if not isinstance(x, str):
            raise InputError(f"the text viewer shows strings; sample {i} is {type(x).__name__}")
        label = (
            ""
            if labels is None
            else f" <span style='color:#666'>· label {html.escape(str(labels[i]))}</span>"
        )
        rows = []
        if show_original:
            rows.append(
                f"<tr><td style='color:#666;padding-right:8px'>original{label}</td>"
                f"<td>{html.escape(x)}</td></tr>"
            )
        for j, (out, _records) in enumerate(variants):
            cap = captions[i][j] if captions is not None else ""
            rows.append(
                f"<tr><td style='color:#666;padding-right:8px;font-size:0.85em'>"
                f"{html.escape(cap)}</td><td>{text_diff(x, out)._repr_html_()}</td></tr>"
            )
        blocks.append(f"<table style='margin-bottom:10px;text-align:left'>{''.join(rows)}</table>")
    return W.HTML("<div style='font-family:system-ui,sans-serif'>" + "".join(blocks) + "</div>")
