"""What the code exporters share: walking the enabled steps, collecting what cannot be
exported, and laying out the ``Compose([...])`` body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from augviz.core import Recipe

from .albumentations import InteropError


def export_lines(
    recipe: Recipe, library: str, step_code: Callable[[Any, int], str], *, skip_unmapped: bool
) -> list[str]:
    """One line of code per enabled step; unmappable steps raise together (naming every
    one) or, with ``skip_unmapped``, become ``# not exported: …`` comments."""
    lines: list[str] = []
    problems: list[str] = []
    for i, (step, on) in enumerate(zip(recipe.steps, recipe.enabled, strict=True)):
        if not on:
            continue
        try:
            lines.append(step_code(step, i))
        except InteropError as exc:
            if skip_unmapped:
                lines.append(f"# not exported: {exc}")
            else:
                problems.append(str(exc))
    if problems:
        raise InteropError(f"cannot export to {library}:\n  " + "\n  ".join(problems))
    return lines


def compose_source(recipe: Recipe, library: str, imports: str, assign: str, lines: list[str]) -> str:
    title = f" {recipe.name!r}" if recipe.name else ""
    body = "".join(f"    {line}\n" if line.startswith("#") else f"    {line},\n" for line in lines)
    return f"# augviz recipe{title} exported for {library}\n{imports}\n\n{assign}([\n{body}])\n"
