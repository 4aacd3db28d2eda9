"""One self-contained HTML page for a lab comparison: :meth:`LabResult.report`.

The page holds the setup, the machine and the time, the verdict table with intervals, the
curves (a PNG inside the page), a few augmented training items per arm (images as PNG,
text as strings) and every arm's recipe as JSON. Nothing is fetched when it is opened.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import os
import platform
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError

__all__ = ["report_html", "write_report"]

_THUMB = 160  # px: the largest side of an item shown in the page

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;max-width:1100px;
color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9em}td,th{padding:.3em .6em;border-bottom:1px solid #eee;
text-align:left}th{background:#f5f5f5}.helps{color:#1a7f37;font-weight:600}
.hurts{color:#c62828;font-weight:600}.unclear{color:#666}
pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:.8em}
.grid img{image-rendering:pixelated;border:1px solid #ddd;margin:2px}
.meta{color:#555;font-size:.9em}
"""


def _png(arr: np.ndarray) -> str:
    from PIL import Image

    a = np.asarray(arr)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0, 1) * 255).round().astype(np.uint8)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[..., 0]
    img = Image.fromarray(a)
    img.thumbnail((_THUMB, _THUMB))  # a photo is shown small: the page stays light
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _curves_png(result: Any) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.4))
    try:
        result.plot(ax=axes[0])
        result.plot(ax=axes[1], metric="loss")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
    finally:
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _samples_html(result: Any, n: int) -> str:
    items = result._samples
    if items is None or len(items) == 0:
        return "<p class='meta'>No training items kept with this result (it was loaded from JSON).</p>"
    items = items[:n]
    rows = []
    for arm in result.arms:
        recipe = result._recipe_objects.get(arm)
        shown = items if recipe is None else recipe.batch(items, rng=0)
        if result.config["data"]["modality"] == "image":
            size = max(64, min(128, 512 // max(1, len(shown))))
            cells = "".join(f"<img src='{_png(x)}' width='{size}' alt=''>" for x in shown)
        elif result.config["data"]["modality"] == "text":
            cells = "<br>".join(html.escape(str(x)) for x in shown)
        else:
            cells = f"{len(shown)} {html.escape(result.config['data']['modality'])} items"
        title = "clean" if recipe is None else "augmented (seed 0)"
        rows.append(f"<tr><th>{html.escape(arm)}<br><small>{title}</small></th>"
                    f"<td class='grid'>{cells}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def report_html(result: Any, *, samples: int = 8, title: str | None = None) -> str:
    """The report page of ``result`` as one HTML string (see the module doc)."""
    c = result.config
    title = title or f"augviz lab — {c['data']['name']}"
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}, "
               f"Python {platform.python_version()}")
    rows = []
    for r in result.summary():
        verdict = r.get("verdict")
        klass = {"helps": "helps", "hurts": "hurts"}.get(verdict or "", "unclear")
        cells = [html.escape(r["arm"]), f"{r['train_acc']:.3f} ± {r['train_acc_std']:.3f}",
                 f"{r['val_acc']:.3f} ± {r['val_acc_std']:.3f}", f"{r['gap']:+.3f}",
                 _points(r, "val_change")]
        if result.control is not None:
            cells.append(_points(r, "val_change_vs_control"))
        cells += [f"<span class='{klass}'>{html.escape(verdict or '—')}</span>",
                  f"{r['time_s']:.1f}"]
        rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    head = ["arm", "train acc", "val acc", "gap", "Δ val vs none (pts) [95 %]"]
    if result.control is not None:
        head.append(f"Δ val vs {html.escape(result.control)} (pts) [95 %]")
    head += ["verdict", "time (s)"]
    recipes = "".join(
        f"<h3>{html.escape(a)}</h3><pre>{_json(result.recipes[a])}</pre>"
        for a in result.arms if result.recipes.get(a) is not None)
    n = len(c["seeds"])
    setup = (f"{html.escape(str(c['data']['name']))} ({html.escape(str(c['data']['modality']))}, "
             f"{c['data']['n']} items, classes: {html.escape(', '.join(map(str, c['data']['classes'])))}); "
             f"n = {c['train_size']} train / {c['val_size']} validation; {c['epochs']} epochs; "
             f"{n} seed{'s' if n != 1 else ''} {c['seeds']}; model {html.escape(str(c['model']))}; "
             f"protocol: {html.escape(str(c.get('protocol', '')))}")
    stopped = " <b>Stopped early.</b>" if result.stopped else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_STYLE}</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="meta">{setup}.{stopped}<br>Run: {result.wall_time:.1f} s on {html.escape(machine)};
report written {now}.</p>
<h2>Verdicts</h2>
<table><thead><tr>{''.join(f'<th>{h}</th>' for h in head)}</tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<p class="meta">Accuracies: mean ± std over seeds. Changes: mean [95 % t-interval] over seeds,
paired by seed. A verdict is "helps" or "hurts" only when the interval against
{html.escape(result.reference)} excludes zero; otherwise "no clear effect".</p>
<h2>Curves</h2>
<img src="{_curves_png(result)}" alt="train and validation curves per arm" style="max-width:100%">
<h2>Training items per arm</h2>
{_samples_html(result, samples)}
<h2>Recipes</h2>
{recipes or "<p class='meta'>No recipes.</p>"}
</body></html>
"""


def _json(value: Any) -> str:
    return html.escape(json.dumps(value, indent=1, ensure_ascii=False), quote=False)


def _points(r: dict[str, Any], key: str) -> str:
    v = r.get(key)
    if v is None:
        return "—"
    lo, hi = r.get(f"{key}_low"), r.get(f"{key}_high")
    text = f"{100 * v:+.1f}"
    return text + (f" [{100 * lo:+.1f}, {100 * hi:+.1f}]" if lo is not None else "")


def write_report(result: Any, path: str | os.PathLike[str], *, samples: int = 8) -> Path:
    """Write :func:`report_html` to ``path`` (an ``.html`` file); returns the path."""
    p = Path(path)
    if p.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"report path {str(p)!r} is not allowed; allowed: a file ending in .html")
    p.write_text(report_html(result, samples=samples), encoding="utf-8")
    return p
