"""The ``augviz`` command.

``augviz apply RECIPE.json IN_DIR OUT_DIR`` augments every supported file of a folder
tree into a mirrored tree; ``validate``, ``catalogue`` and ``lab`` do what they say.
Exit codes: 0 ok, 1 some files could not be read (they are listed, the rest is done),
2 bad usage or input (nothing written), 3 the Ray cluster failed mid-run (``--resume``
finishes the run), 130 interrupted (Ctrl-C; ``--resume`` finishes
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
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core import AugvizError, Recipe, RecipeError, catalogue
from .core._version import __version__
from .core.files import TMP_SUFFIX, atomic_write, is_temporary
from .core.rng import item_rng
from .io import extensions, read_item, write_item

__all__ = ["main"]

RUN_RECORD = "augviz-run.json"


class _Usage(AugvizError):
    pass


#: exit codes besides 0/1/2: the cluster failed (--engine ray), interrupted (128 + SIGINT),
#: stdout closed early (128 + SIGPIPE)
ENGINE_FAILED, INTERRUPTED, BROKEN_PIPE = 3, 130, 141


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
    a.add_argument("--workers", type=int, default=None,
                   help="processes (default 1); with --engine ray: Ray actors (default: one per CPU)")
    a.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local: processes on this machine (default); ray: actors on a Ray cluster "
                   "(needs augviz[ray]; IN_DIR and OUT_DIR at the same path on every node)")
    a.add_argument("--address", default=None,
                   help="with --engine ray: the cluster to join (e.g. auto or HOST:6379; default: "
                   "RAY_ADDRESS, else a new Ray on this machine)")
    a.add_argument("--overwrite", action="store_true", help="allow a non-empty OUT_DIR")
    a.add_argument("--resume", action="store_true",
                   help="finish an interrupted run into the same OUT_DIR: write only the missing outputs")
    a.add_argument("--quiet", action="store_true", help="no progress bar (shown only on a terminal)")
    a.add_argument("--annotations", choices=_ANNOTATIONS, default=None,
                   help="IN_DIR is a COCO, YOLO or VOC dataset (auto: find out which): move its boxes, "
                   "masks and keypoints with the images and write its annotations beside the outputs "
                   "in the same format (runs in one process)")

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


def _load_recipe(path: Path, reports: list[Any] | None = None) -> Recipe:
    """``Recipe.load`` with file-system failures (a link loop, no permission, a path
    through a file) as a usage error naming the file. A file that is no augviz recipe but
    another library's pipeline (albumentations JSON or YAML) is imported; its report goes
    into ``reports`` (or its first line to stderr)."""
    try:
        return Recipe.load(path)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _Usage(f"cannot read recipe file {path}: {reason}") from None
    except RecipeError:
        from .interop.readers import read_foreign

        result = read_foreign(path)
        if result is None:
            raise
    if reports is not None:
        reports.append(result)
    else:
        print(f"{path}: {str(result).splitlines()[0]}", file=sys.stderr)
    return result.recipe


def _plain(text: str) -> str:
    """Docstring markup (``code``, :role:`name`) as plain terminal text."""
    text = re.sub(r":[a-z]+:`~?([^`]+)`", r"\1", text)
    return re.sub(r"``(.+?)``", r"\1", text)


# -- validate / catalogue -------------------------------------------------------------
def _validate(args: argparse.Namespace) -> int:
    reports: list[Any] = []
    r = _load_recipe(args.recipe, reports)
    n = sum(len(s.children) for s in r.steps)
    prep = sum(len(v) for v in r.preprocess.values())
    print(
        f"{args.recipe}: ok — {r.modality} recipe {r.name or '(unnamed)'!r}, "
        f"{len(r)} steps ({n} transforms), seed {r.seed}"
        + (f", {prep} preprocessing steps" if prep else "")
    )
    for report in reports:
        print(report)
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
    after = recipe.preprocess["after"]
    cut = next((k for k, t in enumerate(after) if not getattr(t, "writes_image", True)), None)
    if cut is not None:  # Normalize, ToTensor: arrays for training, not files
        left_out = ", ".join(t.id for t in after[cut:])
        print(f"augviz apply: writes files, so it leaves out the final preparation {left_out} "
              "(run it where the files are loaded for training)", file=sys.stderr)
        recipe = recipe.replace(preprocess={"before": recipe.preprocess["before"], "after": after[:cut]})
    if args.copies < 1:
        raise _Usage(f"--copies {args.copies} is not allowed; allowed: 1 or more")
    if args.address is not None and args.engine != "ray":
        raise _Usage("--address is for --engine ray; leave it out or add --engine ray")
    if args.engine == "local" and args.workers is None:
        args.workers = 1
    if args.workers is not None and args.workers < 1:
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


_RUN: dict[str, Any] = {}  # what every job of this run shares; set once per process


def _setup(recipe: Recipe, in_dir: Path, out_dir: Path, seed: int, worker: bool) -> None:
    if worker:  # Ctrl-C reaches the whole process group: the main process handles it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _RUN.update(recipe=recipe, in_dir=in_dir, out_dir=out_dir, seed=seed, annotated=None)


def _work(job: tuple[str, list[tuple[int, str]]], done: list[str] | None = None,
          ) -> tuple[str, str | None, list[str]]:
    """Augment one file into the outputs asked for (copy number, output name); an
    error is returned, not raised. Returns (input, error, outputs written); each output
    written is also appended to ``done`` at once (so an interrupt loses none)."""
    recipe: Recipe = _RUN["recipe"]
    out_dir: Path = _RUN["out_dir"]
    rel_s, outs = job
    written: list[str] = [] if done is None else done
    try:
        item = _read_input(rel_s, recipe.modality)
        for k, name in outs:
            # the seed contract: (seed, key = the path relative to IN_DIR, epoch 0, copy)
            rng = item_rng(_RUN["seed"], rel_s, copy=k)
            if recipe.modality == "text":
                out: Any = [recipe(line, rng=rng) for line in item]
                out = item.replaced(out) if hasattr(item, "replaced") else out
            else:
                out = recipe(item, rng=rng)
            target = out_dir / name
            folder = _safe_folder(out_dir, target.parent.relative_to(out_dir), out_dir)
            folder.mkdir(parents=True, exist_ok=True)
            _safe_folder(out_dir, target.parent.relative_to(out_dir), out_dir)  # made by someone else?
            _write_output(out, target, name, recipe.modality)
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
    if args.annotations and args.engine == "ray":
        raise _Usage("--annotations runs on the local engine; leave out --engine ray")
    annotated = _annotated_plan(args, plan) if args.annotations else None  # may leave files out
    jobs: list[tuple[str, list[tuple[int, str]]]] = []
    for rel, outs in plan.outputs.items():
        todo = [(k, o) for k, o in enumerate(outs) if o not in plan.done]
        if todo:
            jobs.append((rel, todo))
    engine = _RayEngine(args) if args.engine == "ray" else None  # joins or starts the cluster
    try:
        return _run(args, plan, jobs, engine, annotated)
    finally:
        if engine is not None:
            engine.close()


def _run(args: argparse.Namespace, plan: _Plan, jobs: list[tuple[str, list[tuple[int, str]]]],
         engine: _RayEngine | None, annotated: Any) -> int:
    out_dir = plan.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {
        "augviz": __version__,
        "status": "running",
        "complete": False,
        "recipe": plan.recipe.to_dict(),
        "recipe_file": str(args.recipe),
        "seed": plan.seed,
        "copies": args.copies,
        "engine": args.engine,
        "workers": args.workers,
        "in_dir": str(plan.in_dir),
        "files": len(plan.outputs),
        "outputs": plan.total,
        "resumed": bool(args.resume),
        "done": sorted(plan.done),
    }
    if annotated is not None:
        record["annotations"] = annotated.format
    _write_record(out_dir, record)  # a run killed outright can still be resumed
    failures: dict[str, str] = {}
    written: list[str] = []
    start = time.perf_counter()
    interrupted = False
    failed: str | None = None
    setup = (plan.recipe, plan.in_dir, out_dir, plan.seed)
    try:
        if engine is not None:
            failed = engine.run(jobs, setup, args, failures, written, start)
        elif args.workers == 1 or annotated is not None:
            _setup(*setup, False)
            _RUN["annotated"] = annotated
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
    if annotated is not None and not interrupted:
        _write_annotations(annotated, plan, plan.done | set(written))
    elapsed = time.perf_counter() - start
    if failed:
        _sweep(out_dir)
    done = plan.done | set(written)
    complete = not interrupted and not failed
    record.update(
        status="complete" if complete else "failed" if failed else "interrupted",
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
    if failed:
        print(
            f"augviz apply: the Ray run failed ({failed}) — {len(done)} of {plan.total} outputs in "
            f"{args.out_dir}, no partial files; run the same command with --resume to write the other "
            f"{plan.total - len(done)}",
            file=sys.stderr,
        )
        return ENGINE_FAILED
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


class _RayWorker:
    """One Ray actor of ``augviz apply --engine ray``: loads the recipe once, then runs
    chunks of jobs with the local engine's own code (same bytes, atomic writes)."""

    def __init__(self, recipe: dict[str, Any], in_dir: str, out_dir: str, seed: int) -> None:
        _setup(Recipe.from_dict(recipe), Path(in_dir), Path(out_dir), seed, False)

    def run(self, jobs: list[tuple[str, list[tuple[int, str]]]]) -> list[tuple[str, str | None, list[str]]]:
        return _work_many(jobs)

    def pid(self) -> int:
        return os.getpid()


def _check_reachable(address: str) -> None:
    """A ``HOST:PORT`` that nothing answers on is a clear error at once (Ray itself keeps
    trying for minutes)."""
    import socket

    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "://" in address:
        return  # "auto", "local", ray:// client addresses: Ray decides
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as exc:
        raise _Usage(f"--address {address}: no Ray cluster answers there ({exc.strerror or exc}); start "
                     "one with `ray start --head` on that machine, or check the address") from None


class _RayEngine:
    """Joins the cluster at ``--address`` (or ``RAY_ADDRESS``), else starts a Ray on this
    machine for the run; runs the jobs on ``--workers`` actors (default one per CPU)."""

    #: a killed actor is restarted and its chunk run again (outputs are renamed into
    #: place whole, so a rerun only replaces whole files with the same bytes)
    RETRIES = 3
    #: chunks sent to an actor before it answers: one running, one waiting
    IN_FLIGHT = 2

    def __init__(self, args: argparse.Namespace) -> None:
        from .interop.ray import require_ray

        self.ray = ray = require_ray()
        self.started = False
        self.actors: list[Any] = []
        if not ray.is_initialized():
            if args.address is not None:
                _check_reachable(args.address)
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            try:
                if args.address is not None:
                    ray.init(address=args.address, **options)
                elif os.environ.get("RAY_ADDRESS"):
                    ray.init(**options)
                else:  # a private Ray for this run, reachable from this machine only ("local":
                    # a new one, even when `ray start` left a Ray running here)
                    ray.init(address="local", num_cpus=args.workers, _node_ip_address="127.0.0.1", **options)
            except Exception as exc:  # Ray raises a bare Exception when its start times out
                where = args.address or os.environ.get("RAY_ADDRESS") or "this machine"
                hint = "" if args.address or os.environ.get("RAY_ADDRESS") else (
                    " (if it timed out on a busy machine: start Ray once with `ray start --head` and add "
                    "--address auto)")
                raise _Usage(f"cannot start or join Ray at {where}: {exc}{hint}") from None
            self.started = True
        if args.workers is None:
            args.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))

    def run(self, jobs: list[tuple[str, list[tuple[int, str]]]], setup: tuple[Any, ...],
            args: argparse.Namespace, failures: dict[str, str], written: list[str],
            start: float) -> str | None:
        """Run every job; returns why the cluster failed, or None."""
        ray = self.ray
        recipe, in_dir, out_dir, seed = setup
        if not jobs:
            return None
        n = min(args.workers, len(jobs))
        size = max(1, min(16, len(jobs) // (n * 8)))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        worker = ray.remote(num_cpus=1, max_restarts=self.RETRIES, max_task_retries=self.RETRIES)(_RayWorker)
        self.actors = [worker.remote(recipe.to_dict(), str(in_dir), str(out_dir), seed) for _ in range(n)]
        # chunks go to whichever actor has finished one (a slow or late node takes fewer);
        # IN_FLIGHT per actor keep it busy while the driver sends the next
        todo = iter(chunks)
        owner: dict[Any, Any] = {}

        def feed(actor: Any) -> None:
            chunk = next(todo, None)
            if chunk is not None:
                owner[actor.run.remote(chunk)] = actor

        done = 0
        try:
            for actor in self.actors:
                for _ in range(self.IN_FLIGHT):
                    feed(actor)
            while owner:
                ready, _ = ray.wait(list(owner), num_returns=1)
                results = ray.get(ready[0])
                feed(owner.pop(ready[0]))
                for rel, err, names in results:
                    written.extend(names)
                    done += 1
                    if err:
                        failures[rel] = err
                    _progress(done, len(jobs), start, args.quiet)
        except ray.exceptions.RayError as exc:  # an actor died more often than it may restart
            self._stop()
            return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'a worker died'}"
        except KeyboardInterrupt:
            self._stop()
            raise
        return None

    def _stop(self) -> None:
        for actor in self.actors:
            self.ray.kill(actor, no_restart=True)
        self.actors = []

    def close(self) -> None:
        self._stop()
        if self.started:
            self.ray.shutdown()


# -- apply to an annotated dataset ------------------------------------------------------
_ANNOTATIONS = ("coco", "yolo", "voc", "auto")


def _read_input(rel: str, modality: str) -> Any:
    """One input: its Sample when the dataset is annotated, else the file as read."""
    annotated = _RUN.get("annotated")
    if annotated is not None:
        return annotated.indexed(rel)
    return read_item(_RUN["in_dir"] / rel, modality)


def _write_output(out: Any, target: Path, name: str, modality: str) -> None:
    annotated = _RUN.get("annotated")
    if annotated is None:
        write_item(out, target, modality)
        return
    from PIL import Image

    write_item(Image.fromarray(out.image), target, modality)
    annotated.moved[name] = out


@dataclass
class _Annotated:
    """An annotated dataset being applied: its Samples by input file and the layout its
    annotations are written back in."""

    format: str
    #: input (relative to IN_DIR) -> its Sample as the loader read it
    samples: dict[str, Any]
    class_names: list[str]
    #: for COCO: the annotation file, its categories, keypoints per box; for YOLO/VOC: the
    #: labels / annotations folder; always the images folder (all relative to IN_DIR)
    annotations: str
    images: str
    categories: list[dict[str, Any]] = field(default_factory=list)
    keypoints_per_box: int = 0
    #: output name -> the moved Sample (box labels are box indices)
    moved: dict[str, Any] = field(default_factory=dict)

    def indexed(self, rel: str) -> Any:
        """The Sample with its box labels replaced by their indices (to know what survives)."""
        from augviz.image import Boxes

        s = self.samples[rel]
        if s.boxes is None:
            return s
        b = s.boxes
        return s.replace(boxes=Boxes(b.coords, labels=range(len(b)), format=b.format))

    def for_writing(self, rel: str, moved: Any) -> Any:
        """A moved Sample as the writers take it: class names as labels, the instance mask
        renumbered and keypoints of dropped boxes left out (for COCO person sets)."""
        import numpy as np

        from augviz.image import Boxes, Keypoints

        source = self.samples[rel]
        if moved.boxes is None:
            return moved
        kept = [int(i) for i in moved.boxes.labels]
        names = [source.boxes.labels[i] for i in kept]
        boxes = Boxes(moved.boxes.coords, labels=names, format=moved.boxes.format)
        changes: dict[str, Any] = {"boxes": boxes}
        masks = moved.mask_list()
        if masks and len(kept) < len(source.boxes):
            lut = np.zeros(len(source.boxes) + 1, masks[0].dtype)
            lut[[i + 1 for i in kept]] = np.arange(1, len(kept) + 1)
            inst, n = masks[0], len(source.boxes)
            renumbered = np.where(inst <= n, lut[np.minimum(inst, n)], 0).astype(inst.dtype)
            changes["masks"] = [renumbered, *masks[1:]]
        k = self.keypoints_per_box
        kp = moved.keypoints
        if k and kp is not None and len(kp) == k * len(source.boxes):
            rows = [j for i in kept for j in range(i * k, (i + 1) * k)]
            changes["keypoints"] = Keypoints(kp.xy[rows], labels=None if kp.labels is None else
                                             [kp.labels[j] for j in rows], visible=kp.visible[rows])
        return moved.replace(**changes)


def _detect_annotations(in_dir: Path) -> str:
    found = []
    if (in_dir / "Annotations").is_dir() or any(in_dir.glob("*.xml")):
        found.append("voc")
    if [p for p in in_dir.rglob("*.json") if p.name != RUN_RECORD]:
        found.append("coco")
    if (in_dir / "labels").is_dir() or any(in_dir.glob("*.txt")) or (in_dir / "data.yaml").is_file():
        found.append("yolo")
    if len(found) != 1:
        raise _Usage(f"--annotations auto: IN_DIR looks like {' and '.join(found) if found else 'none'} of "
                     "coco, yolo, voc; name the format with --annotations coco|yolo|voc")
    return found[0]


def _coco_file(in_dir: Path) -> Path:
    files = sorted(p for p in in_dir.rglob("*.json") if p.name != RUN_RECORD and not is_temporary(p))
    if len(files) != 1:
        shown = ", ".join(str(p.relative_to(in_dir)) for p in files[:5]) or "none"
        raise _Usage(f"--annotations coco: IN_DIR must hold exactly one COCO .json file; found {shown}")
    return files[0]


def _annotated_plan(args: argparse.Namespace, plan: _Plan) -> _Annotated:
    """Load the dataset, keep only the annotated images in the plan and check that the
    annotation files to write do not clash with outputs."""
    from .datasets import annotated as ds

    if plan.recipe.modality != "image":
        raise _Usage(f"--annotations takes image recipes; this one is {plan.recipe.modality}")
    in_dir = plan.in_dir
    fmt = _detect_annotations(in_dir) if args.annotations == "auto" else args.annotations
    extra: dict[str, Any] = {}
    if fmt == "coco":
        file = _coco_file(in_dir)
        doc = json.loads(file.read_text(encoding="utf-8"))
        first = next((im.get("file_name") for im in doc.get("images", []) if isinstance(im, dict)), None)
        images = next((d for d in (in_dir / "images", in_dir, file.parent)
                       if first is None or (d / str(first)).is_file()), in_dir)
        has_masks = any(isinstance(a, dict) and a.get("segmentation") for a in doc.get("annotations", []))
        data = ds.load_coco(file, images, masks="instance" if has_masks else None)
        cats = [c for c in doc.get("categories", []) if isinstance(c, dict)]
        # keypoints are split per box when every category with keypoints has as many
        sizes = {len(c["keypoints"]) for c in cats if isinstance(c.get("keypoints"), list)}
        extra = {"categories": cats, "keypoints_per_box": sizes.pop() if len(sizes) == 1 else 0}
        annotations = file.relative_to(in_dir).as_posix()
    elif fmt == "yolo":
        data = ds.load_yolo(in_dir, masks=False)
        images = in_dir / "images" if (in_dir / "images").is_dir() else in_dir
        labels = in_dir / "labels" if (in_dir / "labels").is_dir() else images
        annotations = labels.relative_to(in_dir).as_posix()
    else:
        data = ds.load_voc(in_dir)
        ann = in_dir / "Annotations" if (in_dir / "Annotations").is_dir() else in_dir
        images = in_dir / "JPEGImages" if (in_dir / "JPEGImages").is_dir() else ann
        annotations = ann.relative_to(in_dir).as_posix()
    samples = {Path(p).resolve().relative_to(in_dir).as_posix(): s
               for p, s in zip(data.paths, data, strict=True)}
    left = [rel for rel in plan.outputs if rel not in samples]
    if left:
        print(f"augviz apply: {len(left)} image(s) not in the {fmt} annotations are left out: "
              f"{', '.join(left[:5])}{' …' if len(left) > 5 else ''}", file=sys.stderr)
    plan.outputs = {rel: outs for rel, outs in plan.outputs.items() if rel in samples}
    result = _Annotated(fmt, samples, list(data.class_names), annotations,
                        images.relative_to(in_dir).as_posix(), **extra)
    outputs = {o for outs in plan.outputs.values() for o in outs}
    clash = sorted(set(_annotation_files(result, plan)) & outputs)
    if clash:
        raise _Usage(f"annotation file(s) {', '.join(clash[:5])} would overwrite output images; nothing "
                     "was written")
    return result


def _annotation_files(annotated: _Annotated, plan: _Plan) -> list[str]:
    """The annotation files the run writes (relative to OUT_DIR)."""
    if annotated.format == "coco":
        return [annotated.annotations]
    folder = Path(annotated.annotations)
    images = Path(annotated.images)
    outs = [Path(o) for outs in plan.outputs.values() for o in outs]
    if annotated.format == "yolo":
        txts = [(folder / o.relative_to(images)).with_suffix(".txt").as_posix() for o in outs]
        return [*txts, "classes.txt"]
    return [(folder / o.with_suffix(".xml").name).as_posix() for o in outs]


def _write_annotations(annotated: _Annotated, plan: _Plan, done: set[str]) -> None:
    """Write the annotations of every output present (those of an earlier, resumed run are
    moved again: the same seed gives the same targets)."""

    from .datasets import annotated as ds

    samples, names = [], []
    images = Path(annotated.images)
    for rel, outs in plan.outputs.items():
        for k, name in enumerate(outs):
            if name not in done:
                continue
            moved = annotated.moved.get(name)
            if moved is None:
                rng = item_rng(plan.seed, rel, copy=k)  # the seed contract, as _work draws
                moved = plan.recipe(annotated.indexed(rel), rng=rng)
            samples.append(annotated.for_writing(rel, moved))
            names.append(Path(name).relative_to(images).as_posix())
    out_dir = plan.out_dir
    if annotated.format == "coco":
        ds.write_coco(out_dir / annotated.annotations, samples, names, annotated.class_names,
                      categories=annotated.categories or None, keypoints_per_box=annotated.keypoints_per_box)
    elif annotated.format == "yolo":
        ds.write_yolo(out_dir / annotated.annotations, samples, names, annotated.class_names)
        with atomic_write(out_dir / "classes.txt", overwrite=True) as fh:
            fh.write("".join(f"{n}\n" for n in annotated.class_names).encode("utf-8"))
    else:
        ds.write_voc(out_dir / annotated.annotations, samples, names)


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
