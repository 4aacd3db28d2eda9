"""Text augmentation throughput: augviz vs nlpaug 1.1.11 on the offline operations both
offer (random word swap and delete, keyboard typos, random character edits).

Sentences per second on the bundled reviews (344 short sentences, repeated), one core,
best of ``--repeat`` timed passes, each library called one sentence at a time through
its public call (augviz: ``transform(text, rng=generator)``; nlpaug: ``aug.augment``).
Settings are matched: 30 % of words, 2 character edits per chosen word.

    python benchmarks/text_throughput.py            # writes benchmarks/results/text_throughput.md
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

import augviz
from augviz.text import KeyboardTypos, RandomChar, RandomDeletion, RandomSwap, load_reviews

OUT = Path(__file__).resolve().parent / "results" / "text_throughput.md"


def cases():
    import nlpaug.augmenter.char as nac
    import nlpaug.augmenter.word as naw

    return [
        ("random word swap", RandomSwap(alpha=0.3), naw.RandomWordAug(action="swap", aug_p=0.3)),
        (
            "random word delete",
            RandomDeletion(alpha=0.3),
            naw.RandomWordAug(action="delete", aug_p=0.3),
        ),
        (
            "keyboard typos",
            KeyboardTypos(rate=0.3, chars=2),
            nac.KeyboardAug(
                aug_word_p=0.3, aug_char_max=2, include_special_char=False, include_numeric=False
            ),
        ),
        (
            "random char swap",
            RandomChar(action="swap", rate=0.3, chars=2),
            nac.RandomCharAug(action="swap", aug_word_p=0.3, aug_char_max=2),
        ),
        (
            "random char insert",
            RandomChar(action="insert", rate=0.3, chars=2),
            nac.RandomCharAug(action="insert", aug_word_p=0.3, aug_char_max=2),
        ),
        (
            "random char delete",
            RandomChar(action="delete", rate=0.3, chars=2),
            nac.RandomCharAug(action="delete", aug_word_p=0.3, aug_char_max=2),
        ),
    ]


def rate(fn, texts, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passes", type=int, default=3, help="copies of the review set per pass")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    quick = os.environ.get("AUGVIZ_BENCH_QUICK", "") not in ("", "0")  # smoke run: one pass, nothing saved
    if quick:
        args.passes, args.repeat = 1, 1
    import nlpaug

    texts = load_reviews().texts * args.passes
    rows = []
    for name, ours, theirs in cases():
        gen = np.random.default_rng(0)
        ours(texts[0], rng=gen)
        theirs.augment(texts[0])
        a = rate(lambda t, ours=ours, gen=gen: ours(t, rng=gen), texts, args.repeat)
        b = rate(theirs.augment, texts, args.repeat)
        rows.append((name, a, b))
        print(f"{name:20s} augviz {a:10,.0f}/s   nlpaug {b:9,.0f}/s   {a / b:5.1f}×")
    geo = float(np.exp(np.mean([np.log(a / b) for _, a, b in rows])))
    lines = [
        "# Text throughput: augviz vs nlpaug",
        "",
        f"Sentences per second (higher is better), {len(texts)} short reviews per pass, "
        f"best of {args.repeat} passes, one call per sentence. augviz {augviz.__version__}, "
        f"nlpaug {nlpaug.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}. Written by `benchmarks/text_throughput.py`.",
        "",
        "| operation | augviz (sent/s) | nlpaug (sent/s) | speed-up |",
        "|---|---:|---:|---:|",
        *[f"| {n} | {a:,.0f} | {b:,.0f} | {a / b:.1f}× |" for n, a, b in rows],
        f"| **geometric mean** | | | **{geo:.1f}×** |",
        "",
        "Settings matched: 30 % of words changed; character ops edit up to 2 characters per "
        "chosen word. augviz keeps protected tokens (numbers, negations) by default; nlpaug "
        "has no such notion. The goal in issue 7 is ≥ 5× on these operations.",
        "",
    ]
    if quick:
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"geometric mean {geo:.1f}× -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
