"""How long the lab takes: 3 arms (none, mild, harmful) on digits 16 px, one seed.

Goal: 3 arms × 30 epochs at n = 500 in ≤ 3 s on a 2-core machine (prototype: 4.9 s).
Writes ``benchmarks/results/lab_speed.md``. Timings on a shared machine are noisy: each
cell is the best of ``--repeat`` runs.

``--folder`` times a user's image folder instead: 500 photos of 256 px in 5 classes
(crops of scikit-image's bundled photos, written to a temporary folder), arms none + mild
+ harmful + the control, 20 epochs, one seed — cold (decoding included) and warm (the
decoded photos cached). Goal: ≤ 60 s cold, ≤ 30 s warm. The model is the lab's default
for a folder (the PyTorch convnet when torch is installed).

The model trains on the main thread while a second thread augments the next epoch: the
CPU time of each thread is printed, and on an idle 2-core machine the wall time is about
the larger. Measured on the shared machine (load ≈ 4.5), 500 × 256 px, 20 epochs: cold
47.4 s wall, 42.3 s CPU; warm 58.5 s wall, 36.3 s CPU = 15.6 s model thread + 20.7 s
augmentation thread (before: cold 66.1 s, warm 67.3 s CPU on one thread). ``--grow``
adds warm runs at n/2, 2n, size/2 and 2·size (``--grow-epochs`` epochs): time is linear
in n and epochs, and the augmentation thread grows with the pixels per photo while the
model's stays put. ``--folder`` writes its own section of the results file.

    python benchmarks/lab_speed.py [--repeat 2] [--quick] [--no-save]
    python benchmarks/lab_speed.py --folder [--n 500 --size 256 --epochs 20] [--grow] [--no-save]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from _photos import write_photo_folder

from augviz.lab import compare, presets

SIZES = (100, 200, 500, 1000)
EPOCHS = (10, 30)


def run(n: int, epochs: int, control: bool) -> float:
    """Seconds for one comparison: process CPU time (robust to other jobs on a shared
    machine; the lab is single-threaded) — wall time is printed alongside."""
    arms = {"none": None, "mild": presets.digits_mild(), "harmful": presets.digits_harmful()}
    t, c = time.perf_counter(), time.process_time()
    compare(arms, "digits", epochs=epochs, train_size=n, seeds=1, control=control)
    cpu, wall = time.process_time() - c, time.perf_counter() - t
    print(f"    n={n} epochs={epochs} control={control}: cpu {cpu:.2f} s, wall {wall:.2f} s")
    return cpu


def _folder_run(root: Path, n: int, epochs: int, label: str) -> dict[str, float]:
    """One 4-arm comparison on ``root``: wall, process CPU, the main thread's CPU (the
    model) and the rest (the augmentation thread), the load average around it."""
    from augviz.lab import load_data
    from augviz.lab.files import clear_cache

    arms = {"none": None, "mild": presets.digits_mild(), "harmful": presets.digits_harmful()}
    if label == "cold":
        clear_cache()
    load0 = os.getloadavg()[0]
    t, c, m = time.perf_counter(), time.process_time(), time.thread_time()
    load_data(root)
    decode = time.perf_counter() - t
    res = compare(arms, root, epochs=epochs, train_size=int(n * 0.8), seeds=1)
    cpu, main = time.process_time() - c, time.thread_time() - m
    row = {"wall": time.perf_counter() - t, "decode": decode, "cpu": cpu, "main": main,
           "other": cpu - main, "load": (load0 + os.getloadavg()[0]) / 2}
    print(f"folder n={n} epochs={epochs} {label} ({res.config['model']}): wall {row['wall']:.1f} s "
          f"(decode {decode:.1f} s), cpu {cpu:.1f} s = main thread {main:.1f} s + augmentation "
          f"thread {cpu - main:.1f} s; load {row['load']:.1f}; per arm (wall) "
          + ", ".join(f"{a} {v:.1f} s" for a, v in res.arm_time.items()), flush=True)
    return row


def run_folder(n: int, size: int, epochs: int, grow: bool, grow_epochs: int) -> list[str]:
    """Cold and warm runs of a 4-arm comparison on an image folder (and, with ``grow``,
    warm runs at other n, sizes and epochs); returns the lines of the results section."""
    import tempfile

    lines = [
        FOLDER_HEADING,
        "",
        f"{n} photos of {size} px in 5 classes (crops of scikit-image photos), arms none + mild "
        "+ harmful + clean ×2, one seed, the default model (the PyTorch convnet at 32 px). "
        "Goal: 500 × 256 px, 20 epochs: ≤ 60 s cold, ≤ 30 s warm. The machine is shared: "
        "wall seconds depend on the load; CPU seconds less so. The model trains on the main "
        "thread while a second thread augments the next epoch, so on an idle 2-core machine "
        "the wall time is about the larger of the two threads' CPU times.",
        "",
        "| run | n | px | epochs | wall s | CPU s (process) | main thread (model) s "
        "| augmentation thread s | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def add(label: str, nn: int, px: int, ep: int, r: dict[str, float]) -> None:
        lines.append(f"| {label} | {nn} | {px} | {ep} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                     f"{r['main']:.1f} | {r['other']:.1f} | {r['load']:.1f} |")

    with tempfile.TemporaryDirectory() as tmp:
        root = write_photo_folder(Path(tmp) / "photos", n, size)
        for label in ("cold", "warm"):
            add(label, n, size, epochs, _folder_run(root, n, epochs, label))
        if grow:
            add("warm", n, size, grow_epochs, _folder_run(root, n, grow_epochs, "warm"))
    if grow:
        for nn, px in ((n // 2, size), (2 * n, size), (n, size // 2), (n, 2 * size)):
            with tempfile.TemporaryDirectory() as tmp:
                root = write_photo_folder(Path(tmp) / "photos", nn, px)
                _folder_run(root, nn, 1, "cold")  # decode once; the timed run is warm
                add("warm", nn, px, grow_epochs, _folder_run(root, nn, grow_epochs, "warm"))
    return lines


FOLDER_HEADING = "## An image folder (`--folder`)"


def write_section(lines: list[str], first: bool) -> Path:
    """Replace the digits part (``first``) or the folder part of the results file,
    keeping the other."""
    out = Path(__file__).parent / "results" / "lab_speed.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    head, sep, tail = old.partition(FOLDER_HEADING)
    if first:
        text = "\n".join(lines) + "\n" + ("\n" + sep + tail if sep else "")
    else:
        text = head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    out.write_text(text, encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="n = 500, 30 epochs only")
    ap.add_argument("--folder", action="store_true", help="time an image folder instead")
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--grow", action="store_true",
                    help="with --folder: also warm runs at n/2, 2n, size/2, 2·size")
    ap.add_argument("--grow-epochs", type=int, default=5)
    ap.add_argument("--no-save", action="store_true", help="print only")
    args = ap.parse_args()
    if args.folder:
        lines = run_folder(args.n, args.size, args.epochs, args.grow, args.grow_epochs)
        if not args.no_save:
            print(f"wrote {write_section(lines, first=False)}")
        return
    # smoke run: one tiny size, nothing saved
    quick = os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")
    run(100, 1, False)  # warm imports (cv2, sklearn data) outside the timings
    sizes, epochs_list = ((500,), (30,)) if args.quick else (SIZES, EPOCHS)
    if quick:
        sizes, epochs_list, args.repeat = (100,), (2,), 1
    rows = []
    for n in sizes:
        for e in epochs_list:
            best = min(run(n, e, False) for _ in range(args.repeat))
            ctrl = min(run(n, e, True) for _ in range(args.repeat))
            rows.append((n, e, best, ctrl))
            print(f"n={n:5d} epochs={e:3d}: 3 arms {best:6.2f} s, + control {ctrl:6.2f} s",
                  flush=True)
    lines = [
        "# Lab speed: 3 arms (none, mild, harmful) on digits 16 px, one seed",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; "
        f"best of {args.repeat}; one BLAS thread. Shared machine: numbers are noisy.",
        "Goal: n = 500, 30 epochs, 3 arms ≤ 3 s (prototype 4.9 s).",
        "",
        "| train size n | epochs | 3 arms (CPU s) | 3 arms + clean×2 control (CPU s) "
        "| ms per arm-epoch |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, e, t, c in rows:
        lines.append(f"| {n} | {e} | {t:.2f} | {c:.2f} | {1000 * t / (3 * e):.1f} |")
    if quick or args.no_save:
        return
    print(f"wrote {write_section(lines, first=True)}")


if __name__ == "__main__":
    main()
