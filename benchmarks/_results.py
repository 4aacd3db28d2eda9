"""Where a benchmark writes its table: one markdown file under ``benchmarks/results``."""

from __future__ import annotations

from pathlib import Path


def save(path: Path, lines: list[str]) -> Path:
    """Write ``lines`` to ``path`` (its folder made if needed) and say so."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")
    return path
