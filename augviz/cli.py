"""The ``augviz`` command.

``augviz apply RECIPE.json IN_DIR OUT_DIR`` augments every supported file of a folder
tree into a mirrored tree; ``validate``, ``catalogue`` and ``lab`` do what they say.
Exit codes: 0 ok, 1 some files could not be read (they are listed, the rest is done),
2 bad usage or input (nothing written), 130 interrupted (Ctrl-C; ``--resume`` finishes
the run), 141 the reader of stdout went away (``augviz catalogue | head``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core import AugvizError, Recipe, catalogue
from .core._version import __version__
from .core.files import TMP_SUFFIX, atomic_write, is_temporary
from .io import extensions, read_item, write_item

__all__ = ["main"]

RUN_RECORD = "augviz-run.json"


class _Usage(AugvizError):
    pass


#: exit codes besides 0/1/2: interrupted (128 + SIGINT), stdout closed early (128 + SIGPIPE)
INTERRUPTED, BROKEN_PIPE = 130, 141


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="augviz", description="See and measure data augmentation.")
    p.add_argument("--version", action="version", version=f"augviz {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser(
        "apply",
        help="apply a recipe to every supported file of a folder tree",
        description="Augment every supported file of IN_DIR into the same tree under OUT_DIR. "
        "Each output is written to a temporary file and renamed into place: an interrupted "
        "run leaves no partial files, and --resume finishes it.",
    )
    a.add_argument("recipe", metavar="RECIPE", type=Path,
                   help="the recipe JSON file (check it with: augviz validate RECIPE)")
    a.add_argument("in_dir", metavar="IN_DIR", type=Path, help="folder of input files (never written to)")
    a.add_argument("out_dir", metavar="OUT_DIR", type=Path,
                   help="folder for the outputs (created; outside IN_DIR)")
    a.add_argument("--copies", type=int, default=1, help="augmented copies per file (default 1)")
    a.add_argument("--seed", type=int, default=None, help="seed (default: the recipe's, else 0)")
    a.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    a.add_argument("--overwrite", action="store_true", help="allow a non-empty OUT_DIR")
    a.add_argument("--resume", action="store_true",
                   help="finish an interrupted run into the same OUT_DIR: write only the missing outputs")
    a.add_argument("--quiet", action="store_true", help="no progress bar (shown only on a terminal)")

    v = sub.add_parser("validate", help="check a recipe file")
    v.add_argument("recipe", metavar="RECIPE", type=Path, help="the recipe JSON file to check")

    c = sub.add_parser("catalogue", help="list the registered transforms")
    c.add_argument("--modality", default=None, help="only this modality (image, audio, text, ...)")
    c.add_argument("--json", action="store_true", help="machine-readable output")

    lab = sub.add_parser(
        "lab", help="train a quick model with and without recipes on a data set or your own files",
        description="augviz lab DATA --recipe mild.json --report lab.html: DATA is a bundled data "
                    "set (digits, lfw_subset, photos), an image or audio folder (one sub-folder per "
                    "class) or a CSV/TSV file; recipe JSON files may also be given as positional "
                    "arguments.")
    lab.add_argument("inputs", metavar="DATA_OR_RECIPE", nargs="*",
                     help="the data (a bundled name or a path) and/or recipe JSON files")
    lab.add_argument("--recipe", action="append", type=Path, default=[],
                     help="a recipe JSON file to compare with no augmentation (repeatable)")
    lab.add_argument("--data", default=None, help="the data, if not given positionally (default digits)")
    lab.add_argument("--epochs", type=int, default=30, help="epochs per run (default 30)")
    lab.add_argument("--train-size", type=int, default=500, help="training examples (default 500)")
    lab.add_argument("--seeds", type=int, default=3, help="repeats with different seeds (default 3)")
    lab.add_argument("--model", default="auto", help="lab model name (default auto)")
    lab.add_argument("--image-size", type=int, default=None, help="side of the model's copy of a photo")
    lab.add_argument("--trivialaugment", action="store_true", help="add the TrivialAugment reference arm")
    lab.add_argument("--report", type=Path, default=None, help="write a self-contained HTML report")
    lab.add_argument("--json", type=Path, default=None, help="also write the result as JSON")
    lab.add_argument("--no-progress", action="store_true", help="no progress bar")
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
    except KeyboardInterrupt:
        print(f"\naugviz {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:  # e.g. `augviz catalogue | head`: the reader has all it wants
        _detach_stdout()
        return BROKEN_PIPE


def _detach_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass


def _load_recipe(path: Path) -> Recipe:
    """``Recipe.load`` with file-system failures (a link loop, no permission, a path
    through a file) as a usage error naming the file."""
    try:
        return Recipe.load(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _Usage(f"cannot read recipe file {path}: {reason}") from None


def _plain(text: str) -> str:
    """Docstring markup (``code``, :role:`name`) as plain terminal text."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"\1", text)
    return re.sub(r"``(.+?)``", r"\1", text)


# -- validate / catalogue -------------------------------------------------------------
def _validate(args: argparse.Namespace) -> int:
    r = _load_recipe(args.recipe)
    n = sum(len(s.children) for s in r.steps)
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
                "doc": _plain(t.doc_line()),
                "params": {s.name: s.describe() for s in t.PARAMS},
            }
            for t in items
        ]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    width = max((len(t.id) for t in items), default=0)
    for t in items:
        print(f"{t.id:<{width}}  {_plain(t.doc_line())}")
    sys.stdout.flush()  # a closed pipe shows here, inside main, not at exit
    return 0


# -- apply ------------------------------------------------------------------------------
def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


@dataclass
class _Plan:
    recipe: Recipe
    in_dir: Path
    out_dir: Path
    seed: int
    #: input file (relative to IN_DIR) -> its outputs (relative to OUT_DIR), one per copy
    outputs: dict[str, list[str]] = field(default_factory=dict)

    #: outputs that an earlier, interrupted run of the same plan wrote (``--resume``)
    done: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.outputs.values())


def _is_output(path: Path) -> bool:
    """Still the file a run wrote: a real file (a link, e.g. to an input, is not one)."""
    return not path.is_symlink() and path.is_file()


def _out_name(rel: Path, k: int, copies: int, modality: str) -> Path:
    out = rel if copies == 1 else rel.with_name(f"{rel.stem}__aug{k}{rel.suffix}")
    return out.with_suffix(".wav") if modality == "audio" else out  # FLAC/OGG in, WAV out


def _plan(args: argparse.Namespace) -> _Plan:
    recipe = _load_recipe(args.recipe)
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
            f"OUT_DIR {args.out_dir} is inside IN_DIR {args.in_dir}"
            + (f" (it resolves to {out_dir})" if out_dir != args.out_dir.absolute() else "")
            + "; augviz never writes into the input tree — choose a folder outside it"
        )
    if _inside(in_dir, out_dir):
        raise _Usage(f"IN_DIR {args.in_dir} is inside OUT_DIR {args.out_dir}; choose another OUT_DIR")
    if out_dir.exists() and not out_dir.is_dir():
        raise _Usage(f"OUT_DIR {args.out_dir} exists and is not a folder")
    done: set[str] = set()
    if args.resume:
        done = _check_resume(args, recipe, in_dir, out_dir)
    elif out_dir.exists() and any(out_dir.iterdir()) and not args.overwrite:
        raise _Usage(f"OUT_DIR {args.out_dir} is not empty; pass --overwrite to write into it")
    exts = extensions(recipe.modality)
    if not exts:
        raise _Usage(f"no file format for {recipe.modality!r} recipes")
    files = sorted(p for p in in_dir.rglob("*")
                   if p.is_file() and p.suffix.lower() in exts and not is_temporary(p))
    if not files:
        raise _Usage(f"IN_DIR {args.in_dir} holds no {recipe.modality} files ({', '.join(exts)})")
    seed = args.seed if args.seed is not None else (recipe.seed if recipe.seed is not None else 0)
    plan = _Plan(recipe, in_dir, out_dir, seed)
    plan.done = {o for o in done if _is_output(out_dir / o)}
    sources: dict[str, list[str]] = {}
    for f in files:
        rel = f.relative_to(in_dir)
        outs = [_out_name(rel, k, args.copies, recipe.modality).as_posix() for k in range(args.copies)]
        plan.outputs[rel.as_posix()] = outs
        for o in outs:
            sources.setdefault(o, []).append(rel.as_posix())
    clashes = {o: src for o, src in sources.items() if len(src) > 1}
    if clashes:
        shown = "; ".join(f"{o} <- {', '.join(src)}" for o, src in list(clashes.items())[:5])
        more = f" (and {len(clashes) - 5} more)" if len(clashes) > 5 else ""
        raise _Usage(
            f"{len(clashes)} output name(s) would be written by more than one input: {shown}{more}; "
            "rename the inputs so that each output name is unique (nothing was written)"
        )
    _check_links(plan, args.out_dir)
    return plan


def _check_links(plan: _Plan, shown: Path) -> None:
    """Every output folder must stay inside OUT_DIR: a symlink out of it (e.g. into
    IN_DIR) would make augviz write somewhere else."""
    for parent in sorted({Path(o).parent for outs in plan.outputs.values() for o in outs}):
        _safe_folder(plan.out_dir, parent, shown)


def _safe_folder(out_dir: Path, parent: Path, shown: Path) -> Path:
    folder = out_dir / parent
    real = folder.resolve()
    if not _inside(real, out_dir):
        raise _Usage(
            f"{shown / parent} leads out of OUT_DIR (a link to {real}); augviz never writes "
            "through links out of OUT_DIR — remove the link or choose another OUT_DIR"
        )
    if folder.exists() and not folder.is_dir():
        raise _Usage(f"{shown / parent} is a file, but outputs go into a folder of that name")
    return folder


def _run_record(out_dir: Path) -> dict[str, Any] | None:
    path = out_dir / RUN_RECORD
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise _Usage(f"{path} is not a readable run record; cannot resume from it") from None


def _check_resume(args: argparse.Namespace, recipe: Recipe, in_dir: Path, out_dir: Path) -> set[str]:
    """The outputs the earlier run recorded as written (it must be the same run)."""
    old = _run_record(out_dir) if out_dir.is_dir() else None
    if old is None:
        raise _Usage(f"--resume: OUT_DIR {args.out_dir} holds no {RUN_RECORD}, so there is no run to "
                     "finish; leave out --resume")
    seed = args.seed if args.seed is not None else (recipe.seed if recipe.seed is not None else 0)
    now = {"recipe": _comparable(recipe.to_dict()), "seed": seed, "copies": args.copies,
           "in_dir": str(in_dir)}
    then = {"recipe": _comparable(old.get("recipe")), "seed": old.get("seed"), "copies": old.get("copies"),
            "in_dir": old.get("in_dir")}
    differ = [k for k in now if now[k] != then[k]]
    if differ:
        raise _Usage(
            f"--resume: the run in {args.out_dir} used another {', '.join(differ)}; resume with the "
            "same recipe, IN_DIR, --seed and --copies, or start afresh in an empty OUT_DIR"
        )
    done = old.get("done", [])
    return {o for o in done if isinstance(o, str)} if isinstance(done, list) else set()


def _comparable(d: Any) -> Any:
    if not isinstance(d, dict):
        return d
    meta = {k: v for k, v in d.get("meta", {}).items() if k != "augviz"}
    return {**d, "meta": meta}


def _seed_for(seed: int, rel: Path, k: int) -> list[int]:
    # per file and copy, independent of worker count and scheduling order
    return [seed, zlib.crc32(rel.as_posix().encode("utf-8")), k]


_RUN: dict[str, Any] = {}  # what every job of this run shares; set once per process


def _setup(recipe: Recipe, in_dir: Path, out_dir: Path, seed: int, worker: bool) -> None:
    if worker:  # Ctrl-C reaches the whole process group: the main process handles it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _RUN.update(recipe=recipe, in_dir=in_dir, out_dir=out_dir, seed=seed)


def _work(job: tuple[str, list[tuple[int, str]]], done: list[str] | None = None,
          ) -> tuple[str, str | None, list[str]]:
    """Augment one file into the outputs asked for (copy number, output name); an
    error is returned, not raised. Returns (input, error, outputs written); each output
    written is also appended to ``done`` at once (so an interrupt loses none)."""
    import numpy as np

    recipe: Recipe = _RUN["recipe"]
    out_dir: Path = _RUN["out_dir"]
    rel_s, outs = job
    rel = Path(rel_s)
    written: list[str] = [] if done is None else done
    try:
        item = read_item(_RUN["in_dir"] / rel, recipe.modality)
        for k, name in outs:
            rng = np.random.default_rng(_seed_for(_RUN["seed"], rel, k))
            if recipe.modality == "text":
                out: Any = [recipe(line, rng=rng) for line in item]
                out = item.replaced(out) if hasattr(item, "replaced") else out
            else:
                out = recipe(item, rng=rng)
            target = out_dir / name
            folder = _safe_folder(out_dir, target.parent.relative_to(out_dir), out_dir)
            folder.mkdir(parents=True, exist_ok=True)
            _safe_folder(out_dir, target.parent.relative_to(out_dir), out_dir)  # made by someone else?
            write_item(out, target, recipe.modality)
            written.append(name)
    except AugvizError as exc:  # unreadable, or an item the recipe cannot take: go on
        return rel_s, str(exc), written
    return rel_s, None, written


def _work_many(jobs: list[tuple[str, list[tuple[int, str]]]]) -> list[tuple[str, str | None, list[str]]]:
    return [_work(j) for j in jobs]


def _progress(done: int, total: int, start: float, quiet: bool) -> None:
    if quiet or not sys.stderr.isatty():  # a log file gets the summary line only
        return
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.perf_counter() - start, 1e-9)
    end = "\n" if done == total else ""
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files  {rate:.0f}/s",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def _write_record(out_dir: Path, record: dict[str, Any]) -> None:
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    with atomic_write(out_dir / RUN_RECORD, overwrite=True) as fh:
        fh.write(text.encode("utf-8"))


def _sweep(out_dir: Path) -> None:
    """Remove temporary files of writes that a stopped worker never finished."""
    for p in out_dir.rglob(f"*{TMP_SUFFIX}"):
        if is_temporary(p):
            p.unlink(missing_ok=True)


def _apply(args: argparse.Namespace) -> int:
    plan = _plan(args)
    out_dir = plan.out_dir
    jobs: list[tuple[str, list[tuple[int, str]]]] = []
    for rel, outs in plan.outputs.items():
        todo = [(k, o) for k, o in enumerate(outs) if o not in plan.done]
        if todo:
            jobs.append((rel, todo))
    out_dir.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {
        "augviz": __version__,
        "status": "running",
        "complete": False,
        "recipe": plan.recipe.to_dict(),
        "recipe_file": str(args.recipe),
        "seed": plan.seed,
        "copies": args.copies,
        "workers": args.workers,
        "in_dir": str(plan.in_dir),
        "files": len(plan.outputs),
        "outputs": plan.total,
        "resumed": bool(args.resume),
        "done": sorted(plan.done),
    }
    _write_record(out_dir, record)  # a run killed outright can still be resumed
    failures: dict[str, str] = {}
    written: list[str] = []
    start = time.perf_counter()
    interrupted = False
    setup = (plan.recipe, plan.in_dir, out_dir, plan.seed)
    try:
        if args.workers == 1:
            _setup(*setup, False)
            for i, job in enumerate(jobs, 1):
                rel, err, _ = _work(job, written)
                if err:
                    failures[rel] = err
                _progress(i, len(jobs), start, args.quiet)
        else:
            _apply_parallel(jobs, setup, args, failures, written, start)
    except KeyboardInterrupt:
        interrupted = True
        _sweep(out_dir)
    elapsed = time.perf_counter() - start
    done = plan.done | set(written)
    complete = not interrupted
    record.update(
        status="complete" if complete else "interrupted",
        complete=complete,
        written=len(written),
        present=len(done),
        skipped=failures,
        seconds=round(elapsed, 3),
        done=sorted(done),
    )
    _write_record(out_dir, record)
    if interrupted:
        if not args.quiet and sys.stderr.isatty():
            print(file=sys.stderr)  # end the progress line
        print(
            f"augviz apply: interrupted — {len(done)} of {plan.total} outputs in {args.out_dir}, no partial "
            f"files; run the same command with --resume to write the other {plan.total - len(done)}",
            file=sys.stderr,
        )
        return INTERRUPTED
    again = f", {len(plan.done)} already there" if args.resume else ""
    print(
        f"augviz apply: wrote {len(written)} files to {args.out_dir} in {elapsed:.1f} s{again} "
        f"(seed {plan.seed}; details in {RUN_RECORD})",
        file=sys.stderr,
    )
    if failures:
        print(f"augviz apply: skipped {len(failures)} unreadable files:", file=sys.stderr)
        for rel, err in failures.items():
            print(f"  {rel}: {err}", file=sys.stderr)
        return 1
    return 0


def _apply_parallel(jobs: list[tuple[str, list[tuple[int, str]]]], setup: tuple[Any, ...],
                    args: argparse.Namespace, failures: dict[str, str], written: list[str],
                    start: float) -> None:
    """Run the jobs in ``args.workers`` processes; on Ctrl-C, let the files being written
    finish (each is renamed into place whole), drop the rest, and re-raise."""
    import multiprocessing

    size = max(1, min(4, len(jobs) // (args.workers * 8)))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    done = 0
    collected: set[Any] = set()

    def collect(fut: Any) -> None:
        nonlocal done
        collected.add(fut)
        for rel, err, names in fut.result():
            written.extend(names)
            done += 1
            if err:
                failures[rel] = err
            _progress(done, len(jobs), start, args.quiet)

    pool = ProcessPoolExecutor(max_workers=args.workers, initializer=_setup, initargs=(*setup, True))
    futures = []
    try:
        futures = [pool.submit(_work_many, c) for c in chunks]
        for fut in as_completed(futures):
            collect(fut)
    except KeyboardInterrupt:
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:  # asked twice: stop the workers now
            for child in multiprocessing.active_children():
                child.terminate()
        for fut in futures:  # what finished while the pool wound down
            if fut not in collected and fut.done() and not fut.cancelled() and fut.exception() is None:
                collect(fut)
        raise
    pool.shutdown(wait=True)


# -- lab --------------------------------------------------------------------------------
def _lab(args: argparse.Namespace) -> int:
    from . import lab
    from .core import InputError

    recipes = list(args.recipe)
    data = args.data
    for item in args.inputs:
        if item.lower().endswith(".json"):
            recipes.append(Path(item))
        elif data is None:
            data = item
        else:
            raise InputError(f"augviz lab takes one data set; got {data!r} and {item!r} "
                             "(recipes are .json files)")
    if not recipes and not args.trivialaugment:
        raise InputError("augviz lab needs at least one recipe: --recipe FILE.json (or --trivialaugment)")
    arms: dict[str, Any] = {"none": None}
    for path in recipes:
        r = _load_recipe(path)
        arms[r.name or path.stem] = r
    if args.trivialaugment:
        arms["trivialaugment"] = "trivialaugment"
    source = "digits" if data is None else data
    if args.image_size is not None or Path(source).exists():
        source = lab.load_data(source, **({} if args.image_size is None else {"image_size": args.image_size}))
    result = lab.compare(arms, data=source, epochs=args.epochs, train_size=args.train_size,
                         seeds=args.seeds, model=args.model, progress=not args.no_progress)
    print(result.summary())
    if args.json:
        with atomic_write(args.json, overwrite=True) as fh:
            fh.write((json.dumps(result.to_dict(), indent=2) + "\n").encode("utf-8"))
    if args.report:
        result.report(args.report)
        print(f"wrote {args.report}")
    return 0

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
