"""The first librosa-engine call in a fresh process: how long, and whether numba compiled.

Each scenario runs in a new Python process (nothing imported, nothing compiled in
memory) and times its first ``TimeStretch(engine="librosa")`` call — librosa's import
and numba's kernel loading included — as wall and CPU seconds. numba's own counters on
the phase-vocoder kernel say whether the call loaded a cache (hit) or compiled (miss).

- ``librosa cache warm``: numba's default cache for librosa (its ``__pycache__``, as
  librosa or audiomentations leave it) is warm and augviz's own cache folder is empty
  (``XDG_CACHE_HOME`` points at an empty folder) — the machine of a new augviz user.
- ``librosa imported first``: the same, with ``import librosa`` before augviz.
- ``audiomentations``: its first librosa time stretch in the same setting (reference).
- ``cold`` / ``second process`` (``--cold``): an empty ``NUMBA_CACHE_DIR``, then a second
  process on what the first left: the full compile, paid once.

Writes ``benchmarks/results/audio_cold_start.md``.

    python benchmarks/audio_cold_start.py [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from _results import save

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).parent / "results" / "audio_cold_start.md"

CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
first = sys.argv[1]
w0, c0 = time.perf_counter(), time.process_time()
import numpy as np
sr = 16000
x = (0.1 * np.sin(2 * np.pi * 440 * np.arange(3 * sr) / sr)).astype(np.float32)
if first == "librosa":
    import librosa  # noqa: F401
if first == "audiomentations":
    import audiomentations as AM
    AM.TimeStretch(min_rate=1.2, max_rate=1.2, method="librosa_phase_vocoder", p=1.0)(x, sample_rate=sr)
else:
    from augviz.audio import Audio, TimeStretch
    TimeStretch(rate=1.2, engine="librosa")(Audio(x, sr), rng=0)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
from librosa.core import spectrum
stats = vars(spectrum)["__overlap_add"].stats
print(json.dumps({"wall": wall, "cpu": cpu, "hits": sum(stats.cache_hits.values()),
                  "misses": sum(stats.cache_misses.values()), "cache": stats.cache_path}))
"""


def run(first: str, env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, first], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=1800, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"child ({first}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true",
                        help="also time a full compile into an empty cache (minutes on a busy machine)")
    args = parser.parse_args()
    quick = os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")  # smoke run: nothing saved
    base = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    base["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [base.get("PYTHONPATH")])])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh_home = {**base, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        # make sure numba's default cache for librosa is warm, as on a machine that ran librosa
        run("audiomentations", fresh_home)
        scenarios = [("librosa cache warm", "augviz", fresh_home)]
        if not quick:
            scenarios += [("librosa imported first", "librosa", fresh_home),
                          ("audiomentations (reference)", "audiomentations", fresh_home)]
        if args.cold and not quick:
            cold = {**base, "NUMBA_CACHE_DIR": str(Path(tmp) / "numba")}
            scenarios += [("cold (empty cache)", "augviz", cold), ("second process", "augviz", cold)]
        for name, first, env in scenarios:
            r = run(first, env)
            cache = Path(r["cache"])
            where = ("librosa's __pycache__" if cache.name == "__pycache__"
                     else "augviz's folder" if "augviz" in cache.parts else str(cache.parent))
            rows.append((name, r, where))
            print(f"{name:30s} wall {r['wall']:6.2f} s  cpu {r['cpu']:6.2f} s  hits {r['hits']}  "
                  f"misses {r['misses']}  ({where})")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Audio cold start: the first librosa-engine call in a fresh process",
        "",
        "Each row is a new Python process timing its first `TimeStretch(engine=\"librosa\")` call on a "
        "3 s clip (librosa's import and numba's kernel loading included). numba's counters on "
        "librosa's phase-vocoder kernel (`__overlap_add`): a hit loaded the compiled kernel from a cache, "
        "a miss compiled it. Goal: ≤ 3 s with a warm librosa cache, never a second compile.",
        f"Python {platform.python_version()}; load average {load:.1f} on {os.cpu_count()} cores "
        "(wall seconds stretch with the load; CPU seconds much less).",
        "",
        "| scenario | wall s | CPU s | numba hits | numba misses | cache used |",
        "|---|---:|---:|---:|---:|---|",
        *[f"| {n} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['hits']} | {r['misses']} | {w} |"
          for n, r, w in rows],
        "",
    ]
    if quick:
        return 0
    save(OUT, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
