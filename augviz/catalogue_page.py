"""The catalogue page (``docs/catalogue.md``), generated from the registry.

The specs are the single source of truth, so the page is rendered from them and a test
fails when the committed page is stale. Regenerate with::

    python -m augviz.catalogue_page docs/catalogue.md
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .core import catalogue
from .core.transform import P_SPEC, Transform
from .modalities import get as get_modality

__all__ = ["render_markdown", "write_page"]

def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _params_table(cls: type[Transform]) -> list[str]:
    rows = ["| parameter | kind | allowed and default | doc |", "|---|---|---|---|"]
    for spec in (*cls.PARAMS, P_SPEC):
        unit = getattr(spec, "unit", "")
        kind = spec.kind + (" (log)" if getattr(spec, "log", False) else "")
        rows.append(
            f"| `{spec.name}` | {kind} | {_cell(spec.describe())} | "
            f"{_cell(spec.doc)}{' (' + unit + ')' if unit and unit not in spec.describe() else ''} |"
        )
    return rows


def render_markdown(thumbnails: dict[str, str] | None = None) -> str:
    """The whole page as Markdown; ``thumbnails`` maps transform ids to image paths."""
    thumbnails = thumbnails or {}
    items = catalogue()
    lines = [
        "# augviz transform catalogue",
        "",
        "Generated from the registry by `python -m augviz.catalogue_page docs/catalogue.md`;",
        "do not edit by hand (a test fails when this page is stale).",
        "",
        f"{len(items)} transforms. A `range` parameter is a `[low, high]` interval sampled "
        "uniformly on every call; a single number means exactly that magnitude.",
        "",
    ]
    by_modality: dict[str, list[type[Transform]]] = {}
    for cls in items:
        by_modality.setdefault(cls.modality, []).append(cls)
    for modality, classes in by_modality.items():
        lines += [f"## {get_modality(modality).title} ({len(classes)})", ""]
        lines += ["| id | family | what it does | label risk |", "|---|---|---|---|"]
        for cls in classes:
            anchor = cls.id.replace(".", "")
            lines.append(
                f"| [`{cls.id}`](#{anchor}) | {cls.family} | {_cell(cls.doc_line())} | "
                f"{_cell(cls.label_risk)} |"
            )
        lines.append("")
        for cls in classes:
            lines += [
                f"### {cls.id}",
                "",
                f"`{cls.__module__.split('.')[1]}.{cls.__name__}` — {cls.doc_line()}",
                "",
                f"*Label risk:* {cls.label_risk}",
                "",
            ]
            if cls.id in thumbnails:
                lines += [f"![{cls.id}: before and after]({thumbnails[cls.id]})", ""]
            lines += [*_params_table(cls), ""]
    return "\n".join(lines).rstrip() + "\n"


def _image_thumbnail(cls: type[Transform], path: Path) -> None:
    import numpy as np
    from PIL import Image

    from .datasets import sample_image
    from .viz.image import image_grid

    photo = sample_image("astronaut", size=96)
    out = cls().apply(photo, **cls().sample(np.random.default_rng(0), photo))
    grid = image_grid([[photo, out]], tile=96, pad=2)
    Image.fromarray(grid).save(path, quality=80)


def write_page(target: str | Path, *, thumbnails: bool = True) -> Path:
    """Write the page and (optionally) one before/after thumbnail per image transform."""
    target = Path(target)
    thumbs: dict[str, str] = {}
    if thumbnails:
        folder = target.parent / "images" / "catalogue"
        folder.mkdir(parents=True, exist_ok=True)
        for cls in catalogue("image"):
            name = f"{cls.id}.jpg"
            _image_thumbnail(cls, folder / name)
            thumbs[cls.id] = f"images/catalogue/{name}"
    target.write_text(render_markdown(thumbs), encoding="utf-8")
    return target


def _thumbs_in(page: Path) -> dict[str, str]:
    folder = page.parent / "images" / "catalogue"
    return {p.stem: f"images/catalogue/{p.name}" for p in sorted(folder.glob("*.jpg"))}


if __name__ == "__main__":  # pragma: no cover
    out = write_page(sys.argv[1] if len(sys.argv) > 1 else "docs/catalogue.md")
    print(f"wrote {out}")
