"""The arrows point down: every import inside ``augviz/`` (module level or inside a
function) goes to its own layer or a lower one.

    widgets, cli, catalogue_page      (top)
    lab, interop, viz
    io, modalities                    (the modality table and what reads it)
    datasets
    image, audio, text                (modality packages: core and themselves only)
    core                              (imports nothing of augviz)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "augviz"
MODALITY_PACKAGES = ("image", "audio", "text")
#: unit -> the units it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    **{m: {"core"} for m in MODALITY_PACKAGES},
    "datasets": {"core", *MODALITY_PACKAGES},
    "modalities": {"core"},
    "io": {"core", "modalities"},
    "catalogue_page": {"core", "modalities", "datasets", "viz", *MODALITY_PACKAGES},
    "viz": {"core", "modalities", "datasets", *MODALITY_PACKAGES},
    "interop": {"core", "modalities", "datasets", *MODALITY_PACKAGES},
    "lab": {"core", "modalities", "datasets", "viz", *MODALITY_PACKAGES},
    "widgets": {"core", "modalities", "datasets", "viz", "lab", "interop", *MODALITY_PACKAGES},
    "cli": {"core", "modalities", "io", "datasets", "lab", "interop", "viz", "root", *MODALITY_PACKAGES},
    "root": {"core", "modalities"},
}


def _unit(module: str) -> str:
    """``augviz.image.transforms.geometric`` -> ``image``; ``augviz`` -> ``root``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                if not node.module:  # "from . import x": x is a module or a name of the package
                    folder = ROOT.parent.joinpath(*target.split("."))
                    out += [(node.lineno, f"{target}.{a.name}" if (folder / f"{a.name}.py").exists()
                             or (folder / a.name).is_dir() else target) for a in node.names]
                    continue
            else:
                target = node.module or ""
            out.append((node.lineno, target))
    return [(line, t) for line, t in out if t == "augviz" or t.startswith("augviz.")]


FILES = sorted(ROOT.rglob("*.py"))


def test_every_unit_is_placed_in_a_layer():
    units = {_unit(_module_name(f)) for f in FILES}
    assert units <= set(ALLOWED), f"modules outside the layer table: {units - set(ALLOWED)}"


@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(ROOT)) for f in FILES])
def test_imports_point_down(path):
    me = _unit(_module_name(path))
    bad = []
    for line, target in _imports(path):
        unit = _unit(target)
        if unit != me and unit not in ALLOWED[me]:
            bad.append(f"line {line}: {target}")
    assert not bad, f"{path.relative_to(ROOT)} ({me}) imports upward: {bad}"


def test_the_checker_sees_upward_imports(tmp_path):
    """The walk resolves relative imports and imports inside functions."""
    fake = ROOT / "image" / "_probe_for_test.py"
    src = "def f():\n    from ..lab import compare\n    import augviz.widgets\n"
    tree_targets = []
    try:
        fake.write_text(src, "utf-8")
        tree_targets = [t for _, t in _imports(fake)]
    finally:
        fake.unlink()
    assert tree_targets == ["augviz.lab", "augviz.widgets"]


def test_core_names_no_modality():
    """core does not even name a modality package in a string (they are declared from above)."""
    for path in (ROOT / "core").rglob("*.py"):
        text = path.read_text("utf-8")
        for pkg in (*MODALITY_PACKAGES, "lab", "widgets", "viz", "interop"):
            assert f'"augviz.{pkg}' not in text and f"'augviz.{pkg}" not in text, (path, pkg)


def _module_graph() -> dict[str, set[str]]:
    """Module -> the modules it imports (anywhere in it), both plain modules: an import of
    a package's ``__init__`` (its re-exports) is left out."""
    modules = {_module_name(f): f for f in FILES if f.name != "__init__.py"}
    return {name: {t for _, t in _imports(path) if t in modules and t != name}
            for name, path in modules.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_two_modules_import_each_other():
    """Inside a layer too, arrows go one way: no circle of modules, even through an import
    inside a function or one made only for type checking."""
    assert _circles(_module_graph()) == []


def test_the_circle_finder_finds_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _circles(graph) == [["a", "b", "c"]]
