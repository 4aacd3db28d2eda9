"""The ``augviz`` command.

``augviz apply RECIPE.json IN_DIR OUT_DIR`` augments every supported file of a folder
tree into a mirrored tree; ``validate``, ``catalogue`` and ``lab`` do what they say.
Exit codes: 0 ok, 1 some files could not be read (they are listed, the rest is done),
2 bad usage or input (nothing written).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .core import AugvizError, Recipe, catalogue
from .core._version import __version__
from .io import extensions, read_item, write_item

__all__ = ["main"]

RUN_RECORD = "augviz-run.json"


class _Usage(AugvizError):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="augviz", description="See and measure data augmentation.")
    p.add_argument("--version", action="version", version=f"augviz {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("apply", help="apply a recipe to every supported file of a folder tree")
    a.add_argument("recipe", type=Path)
    a.add_argument("in_dir", type=Path)
    a.add_argument("out_dir", type=Path)
    a.add_argument("--copies", type=int, default=1, help="augmented copies per file (default 1)")
    a.add_argument("--seed", type=int, default=None, help="seed (default: the recipe's, else 0)")
    a.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    a.add_argument("--overwrite", action="store_true", help="allow a non-empty OUT_DIR")
    a.add_argument("--quiet", action="store_true", help="no progress bar")

    v = sub.add_parser("validate", help="check a recipe file")
    v.add_argument("recipe", type=Path)

    c = sub.add_parser("catalogue", help="list the registered transforms")
    c.add_argument("--modality", default=None)
    c.add_argument("--json", action="store_true", help="machine-readable output")

    lab = sub.add_parser("lab", help="train a tiny model with and without recipes (headless)")
    lab.add_argument("recipes", nargs="+", type=Path)
    lab.add_argument("--data", default="digits")
    lab.add_argument("--epochs", type=int, default=30)
    lab.add_argument("--train-size", type=int, default=500)
    lab.add_argument("--seeds", type=int, default=3)
    lab.add_argument("--json", type=Path, default=None, help="also write the result as JSON")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "apply":
            return _apply(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "catalogue":
            return _catalogue(args)
        return _lab(args)
    except AugvizError as exc:
        print(f"augviz {args.command}: error: {exc}", file=sys.stderr)
        return 2


# -- validate / catalogue -------------------------------------------------------------
def _validate(args: argparse.Namespace) -> int:
    r = Recipe.load(args.recipe)
    n = sum(1 if not hasattr(s, "steps") else len(s.steps) for s in r.steps)
    print(
        f"{args.recipe}: ok — {r.modality} recipe {r.name or '(unnamed)'!r}, "
        f"{len(r)} steps ({n} transforms), seed {r.seed}"
    )
    return 0


def _catalogue(args: argparse.Namespace) -> int:
    items = catalogue(args.modality)
    if args.json:
        out = [
            {
                "id": t.id,
                "family": t.family,
                "label_risk": t.label_risk,
                "doc": t.doc_line(),
                "params": {s.name: s.describe() for s in t.PARAMS},
            }
            for t in items
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    width = max((len(t.id) for t in items), default=0)
    for t in items:
        print(f"{t.id:<{width}}  {t.doc_line()}")
    return 0


# -- apply ------------------------------------------------------------------------------
def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


def _plan(args: argparse.Namespace) -> tuple[Recipe, Path, Path, list[Path]]:
    recipe = Recipe.load(args.recipe)
    if args.copies < 1:
        raise _Usage(f"--copies {args.copies} is not allowed; allowed: 1 or more")
    if args.workers < 1:
        raise _Usage(f"--workers {args.workers} is not allowed; allowed: 1 or more")
    if args.seed is not None and args.seed < 0:
        raise _Usage(f"--seed {args.seed} is not allowed; allowed: a non-negative integer")
    in_dir, out_dir = args.in_dir.resolve(), args.out_dir.resolve()
    if not in_dir.is_dir():
        raise _Usage(f"IN_DIR {args.in_dir} is not a folder")
    if _inside(out_dir, in_dir):
        raise _Usage(
            f"OUT_DIR {args.out_dir} is inside IN_DIR {args.in_dir}; augviz never "
            "writes into the input tree — choose a folder outside it"
        )
    if _inside(in_dir, out_dir):
        raise _Usage(f"IN_DIR {args.in_dir} is inside OUT_DIR {args.out_dir}; choose another OUT_DIR")
    if out_dir.exists() and not out_dir.is_dir():
        raise _Usage(f"OUT_DIR {args.out_dir} exists and is not a folder")
    if out_dir.exists() and any(out_dir.iterdir()) and not args.overwrite:
        raise _Usage(f"OUT_DIR {args.out_dir} is not empty; pass --overwrite to write into it")
    exts = extensions(recipe.modality)
    if not exts:
        raise _Usage(f"no file format for {recipe.modality!r} recipes")
    files = sorted(p for p in in_dir.rglob("*") if p.is_file() and p.suffix.lower() in exts)
    if not files:
        raise _Usage(f"IN_DIR {args.in_dir} holds no {recipe.modality} files ({', '.join(exts)})")
    return recipe, in_dir, out_dir, files


def _out_name(rel: Path, k: int, copies: int) -> Path:
    return rel if copies == 1 else rel.with_name(f"{rel.stem}__aug{k}{rel.suffix}")


def _seed_for(seed: int, rel: Path, k: int) -> list[int]:
    # per file and copy, independent of worker count and scheduling order
    return [seed, zlib.crc32(rel.as_posix().encode("utf-8")), k]


_RUN: dict[str, Any] = {}  # what every job of this run shares; set once per process


def _setup(recipe: Recipe, in_dir: Path, out_dir: Path, copies: int, seed: int) -> None:
    _RUN.update(recipe=recipe, in_dir=in_dir, out_dir=out_dir, copies=copies, seed=seed)


def _work(rel_s: str) -> tuple[str, str | None]:
    """Augment one file into ``copies`` outputs; an error is returned, not raised."""
    import numpy as np

    recipe: Recipe = _RUN["recipe"]
    rel = Path(rel_s)
    try:
        item = read_item(_RUN["in_dir"] / rel, recipe.modality)
        for k in range(_RUN["copies"]):
            rng = np.random.default_rng(_seed_for(_RUN["seed"], rel, k))
            if recipe.modality == "text":
                out: Any = [recipe(line, rng=rng) for line in item]
            else:
                out = recipe(item, rng=rng)
            target = _RUN["out_dir"] / _out_name(rel, k, _RUN["copies"])
            if recipe.modality == "audio":
                target = target.with_suffix(".wav")  # FLAC/OGG in, WAV out
            target.parent.mkdir(parents=True, exist_ok=True)
            write_item(out, target, recipe.modality)
    except AugvizError as exc:  # unreadable, or an item the recipe cannot take: go on
        return rel_s, str(exc)
    return rel_s, None


def _progress(done: int, total: int, start: float, quiet: bool) -> None:
    if quiet:
        return
    width = 30
    filled = int(width * done / total)
    rate = done / max(time.perf_counter() - start, 1e-9)
    end = "\n" if done == total else ""
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files  {rate:.0f}/s",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def _apply(args: argparse.Namespace) -> int:
    recipe, in_dir, out_dir, files = _plan(args)
    seed = args.seed if args.seed is not None else (recipe.seed if recipe.seed is not None else 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    d = recipe.to_dict()
    setup = (recipe, in_dir, out_dir, args.copies, seed)
    jobs = [str(f.relative_to(in_dir)) for f in files]
    failures: dict[str, str] = {}
    start = time.perf_counter()
    if args.workers == 1:
        _setup(*setup)
        results = map(_work, jobs)
        for i, (rel, err) in enumerate(results, 1):
            if err:
                failures[rel] = err
            _progress(i, len(jobs), start, args.quiet)
    else:
        chunk = max(1, len(jobs) // (args.workers * 8))
        with ProcessPoolExecutor(max_workers=args.workers, initializer=_setup, initargs=setup) as pool:
            for i, (rel, err) in enumerate(pool.map(_work, jobs, chunksize=chunk), 1):
                if err:
                    failures[rel] = err
                _progress(i, len(jobs), start, args.quiet)
    elapsed = time.perf_counter() - start
    record = {
        "augviz": __version__,
        "recipe": d,
        "recipe_file": str(args.recipe),
        "seed": seed,
        "copies": args.copies,
        "workers": args.workers,
        "in_dir": str(in_dir),
        "files": len(files),
        "written": (len(files) - len(failures)) * args.copies,
        "skipped": failures,
        "seconds": round(elapsed, 3),
    }
    tmp = out_dir / f".{RUN_RECORD}.tmp"
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(out_dir / RUN_RECORD)
    written = record["written"]
    print(
        f"augviz apply: wrote {written} files to {args.out_dir} in {elapsed:.1f} s "
        f"(seed {seed}; details in {RUN_RECORD})",
        file=sys.stderr,
    )
    if failures:
        print(f"augviz apply: skipped {len(failures)} unreadable files:", file=sys.stderr)
        for rel, err in failures.items():
            print(f"  {rel}: {err}", file=sys.stderr)
        return 1
    return 0


# -- lab --------------------------------------------------------------------------------
def _lab(args: argparse.Namespace) -> int:
    from . import lab

    arms: dict[str, Recipe | None] = {"none": None}
    for path in args.recipes:
        r = Recipe.load(path)
        arms[r.name or path.stem] = r
    result = lab.compare(
        arms, data=args.data, epochs=args.epochs, train_size=args.train_size, seeds=args.seeds
    )
    print(result.summary())
    if args.json:
        args.json.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
