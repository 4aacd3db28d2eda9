"""Run every benchmark script in this folder and collect its markdown.

A benchmark is any ``benchmarks/*.py`` other than this file and ``_*.py``. Each runs in
its own process (so imports and thread settings do not leak between them); what it
prints is its markdown report. A script that writes ``results/<its name>.md`` itself
keeps that file; otherwise its printed output is saved there. ``results/README.md``
indexes the reports of the run.

Usage::

    python benchmarks/run_all.py [--quick] [names ...]

``--quick`` sets ``AUGVIZ_BENCH_QUICK=1`` for every script (smoke run, not a
measurement; reports are then not saved).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def scripts(names: list[str] | None = None) -> list[Path]:
    found = sorted(
        p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
    )
    if names:
        wanted = {n.removesuffix(".py") for n in names}
        unknown = wanted - {p.stem for p in found}
        if unknown:
            raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; "
                             f"found: {', '.join(p.stem for p in found)}")
        found = [p for p in found if p.stem in wanted]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run every benchmark and collect markdown.")
    parser.add_argument("--quick", action="store_true", help="smoke run (AUGVIZ_BENCH_QUICK=1)")
    parser.add_argument("names", nargs="*", help="only these benchmarks (file stems)")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.quick:
        env["AUGVIZ_BENCH_QUICK"] = "1"
    quick = env.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")
    root = HERE.parent
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH", "")]))
    RESULTS.mkdir(exist_ok=True)
    index = ["# Benchmark results", "", "| benchmark | status | seconds | report |",
             "|---|---|---:|---|"]
    failed = 0
    for path in scripts(args.names):
        report = RESULTS / f"{path.stem}.md"
        before = report.stat().st_mtime_ns if report.exists() else None
        print(f"== {path.name}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(path)], cwd=root, env=env,
                              capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - t0
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            failed += 1
            sys.stderr.write(proc.stderr)
            index.append(f"| {path.stem} | failed (exit {proc.returncode}) | {seconds:.0f} | — |")
            continue
        after = report.stat().st_mtime_ns if report.exists() else None
        if not quick and after == before and proc.stdout.strip():
            report.write_text(proc.stdout, encoding="utf-8")
        link = f"[{report.name}]({report.name})" if report.exists() and not quick else "—"
        index.append(f"| {path.stem} | ok | {seconds:.0f} | {link} |")
    if not quick:
        (RESULTS / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    print("\n".join(index))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
