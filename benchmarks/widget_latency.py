"""Widget latency: how fast a slider move becomes new pixels.

1. Kernel side: Explorer refresh (slider value set -> recipe on 16 images of 256 px ->
   grid -> JPEG bytes), median over many moves. Goal <= 30 ms.
2. Browser: keypress on a slider handle -> new grid decoded and painted, in Voila (and
   JupyterLab with --lab), Debian's Chromium via Playwright. Goal <= 100 ms median.

Writes benchmarks/results/widget_latency.md. Run:
    .venv/bin/python benchmarks/widget_latency.py [--lab] [--presses 15]
Numbers on a shared 2-core machine are noisy: read the median, and the load average
printed beside it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from _results import save

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "browser"))

SETUP = textwrap.dedent("""\
    import augviz
    from augviz.datasets import sample_image
    from augviz.image import Rotate

    images = [sample_image(n, size=256) for n in ("astronaut", "chelsea", "coffee", "rocket")]
    explorer = augviz.explore(Rotate(angle=(-30, 30)), images, n_samples=4, n_variants=4,
                              show_original=False, tile=256)
    explorer
""")


def kernel_side(moves: int = 40) -> dict[str, float]:
    ns: dict[str, object] = {}
    exec(SETUP, ns)
    ex = ns["explorer"]
    for a in range(3):  # warm-up
        ex.set(angle=(-20.0 - a, 20.0 + a))
    times = []
    for k in range(moves):
        t0 = time.perf_counter()
        ex.set(angle=(-30.0, 30.0 + (k % 20)))
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"median": statistics.median(times), "p90": times[int(0.9 * len(times)) - 1],
            "min": times[0], "bytes": float(len(ex.image_bytes))}


def browser_side(presses: int, lab: bool) -> dict[str, list[float]]:
    import nbformat
    from jupyter_helpers import (
        CHROMIUM,
        chromium,
        jupyterlab,
        press_and_time,
        run_notebook_in_lab,
        slider,
    )

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} missing: browser part skipped")
        return {}
    base = Path(tempfile.mkdtemp(prefix="augviz-bench-"))
    root = base / "root"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, root / "latency.ipynb")
    img = ".augviz-explorer img.widget-image"
    out: dict[str, list[float]] = {}
    with jupyterlab(root, base) as url, chromium(viewport=(1500, 1300)) as page:
        targets = [("voila", f"{url}/voila/render/latency.ipynb")]
        if lab:
            targets.append(("jupyterlab", ""))
        for name, target in targets:
            if name == "voila":
                page.goto(target)
            else:
                run_notebook_in_lab(page, url, "latency.ipynb")
            page.wait_for_function("(s) => { const i = document.querySelector(s);"
                                   " return i && i.naturalWidth > 0; }", arg=img, timeout=120_000)
            handle = slider(page.locator(".augviz-explorer").first, "angle").locator(
                ".noUi-handle-upper")
            times = []
            for k in range(presses + 2):
                ms, _ = press_and_time(page, handle, "ArrowRight" if k % 2 == 0 else "ArrowLeft",
                                       img)
                if k >= 2:  # the first two warm the path
                    times.append(ms)
                page.wait_for_timeout(150)
            out[name] = times
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=15)
    ap.add_argument("--lab", action="store_true", help="also measure in JupyterLab (default)")
    ap.add_argument("--no-lab", action="store_true", help="Voila only")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    # smoke run: kernel side only, nothing saved
    quick = os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")
    args.lab = not args.no_lab
    load = os.getloadavg()[0]
    k = kernel_side()
    print(f"kernel refresh: median {k['median']:.1f} ms, p90 {k['p90']:.1f} ms "
          f"(load {load:.1f})")
    if quick:
        return
    b = {} if args.no_browser else browser_side(args.presses, args.lab)
    lines = [
        "# Widget latency",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; load average at start {load:.1f} (shared machine: "
        "numbers are noisy).",
        "Grid: Explorer of `Rotate(angle=(-30, 30))`, 4 samples × 4 variants of 256 px "
        "photos, tiles 256 px, captions, JPEG q75 (the image viewer default).",
        "",
        "| measure | median ms | other | goal |",
        "|---|---|---|---|",
        f"| kernel refresh (value set → JPEG bytes) | {k['median']:.1f} | p90 {k['p90']:.1f}, "
        f"min {k['min']:.1f}, {k['bytes'] / 1024:.0f} KB | ≤ 30 |",
    ]
    for name, times in b.items():
        med = statistics.median(times)
        print(f"{name}: keypress → new pixels median {med:.0f} ms over {len(times)} presses")
        lines.append(f"| {name}: keypress → new pixels painted | {med:.0f} | "
                     f"min {min(times):.0f}, max {max(times):.0f}, n={len(times)} | ≤ 100 |")
    lines += ["", "Run: `.venv/bin/python benchmarks/widget_latency.py --lab`", ""]
    save(REPO / "benchmarks" / "results" / "widget_latency.md", lines)


if __name__ == "__main__":
    main()
