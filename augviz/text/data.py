"""Labelled text: the bundled review set and a loader for a user's CSV.

``reviews.csv`` (344 short product and film reviews, 172 positive / 172 negative,
written for augviz; many with negations and numbers) ships inside the package, so
nothing is downloaded.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from augviz.core import InputError

__all__ = ["TextDataset", "load_reviews", "load_text_csv", "negation_probe"]


@dataclass(frozen=True)
class TextDataset:
    """Texts with integer labels.

    Attributes
    ----------
    texts : list of str
    y : numpy.ndarray of int64, indices into ``classes``
    classes : tuple of str, sorted
    source : str, where the data came from
    """

    texts: list[str]
    y: np.ndarray
    classes: tuple[str, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def labels(self) -> list[str]:
        """The label of each text as a string."""
        return [self.classes[i] for i in self.y]

    def split(self, n_train: int, rng: int | None = 0) -> tuple[TextDataset, TextDataset]:
        """A stratified random split: ``n_train`` items to train, the rest to validate.

        Example
        -------
        >>> train, val = load_reviews().split(200, rng=0)
        >>> len(train), len(val)
        (200, 144)
        """
        if not 0 < n_train < len(self):
            raise InputError(f"n_train={n_train} is not allowed; allowed: 1 … {len(self) - 1}")
        gen = np.random.default_rng(rng)
        order = gen.permutation(len(self))
        # interleave classes so every prefix is (nearly) stratified
        by_class = [order[self.y[order] == c] for c in range(len(self.classes))]
        ranks = np.concatenate([np.arange(len(b)) / max(len(b), 1) for b in by_class])
        merged = np.concatenate(by_class)[np.argsort(ranks, kind="stable")]
        tr, va = merged[:n_train], merged[n_train:]
        pick = lambda idx: TextDataset(  # noqa: E731
            [self.texts[i] for i in idx], self.y[idx], self.classes, self.source
        )
        return pick(tr), pick(va)


def _parse(text: str, source: str, text_column: str, label_column: str | None) -> TextDataset:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if not header:
        raise InputError(
            f"{source}: the file is empty; expected a CSV header with "
            f"{text_column!r}" + (f" and {label_column!r}" if label_column else "")
        )
    for col in (text_column, label_column):
        if col is not None and col not in header:
            raise InputError(f"{source}: no column {col!r}; the columns are {header}")
    texts: list[str] = []
    raw: list[str] = []
    for line, row in enumerate(reader, start=2):
        t = row.get(text_column)
        if t is None:
            raise InputError(f"{source}, line {line}: the row is shorter than the header")
        texts.append(t)
        if label_column is not None:
            lab = (row.get(label_column) or "").strip()
            if not lab:
                raise InputError(f"{source}, line {line}: empty {label_column!r}")
            raw.append(lab)
    if not texts:
        raise InputError(f"{source}: the CSV has a header but no rows")
    if label_column is None:
        return TextDataset(texts, np.zeros(len(texts), np.int64), ("",), source)
    classes = tuple(sorted(set(raw)))
    index = {c: i for i, c in enumerate(classes)}
    return TextDataset(texts, np.array([index[c] for c in raw], np.int64), classes, source)


def load_reviews() -> TextDataset:
    """The bundled review set: 344 short reviews, ``classes == ("negative", "positive")``.

    Example
    -------
    >>> data = load_reviews()
    >>> len(data), data.classes
    (344, ('negative', 'positive'))
    """
    path = resources.files("augviz.text").joinpath("data", "reviews.csv")
    return _parse(path.read_text(encoding="utf-8"), "augviz reviews.csv", "text", "label")


def load_text_csv(
    path: str | os.PathLike[str],
    text_column: str = "text",
    label_column: str | None = "label",
    *,
    encoding: str = "utf-8",
) -> TextDataset:
    """Load a user's CSV of texts (and labels; ``label_column=None`` for none).

    Errors name the file, the missing column and the columns that exist.

    Example
    -------
    >>> data = load_text_csv("mine.csv", "review", label_column="stars")  # doctest: +SKIP
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"load_text_csv: path {path!r} is not allowed; allowed: a file path "
                         "(str or pathlib.Path)")
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a folder; give the path of a .csv file")
    try:
        text = p.read_text(encoding=encoding)
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{p}: not {encoding} text ({exc.reason} at byte {exc.start}); pass encoding=..."
        ) from None
    return _parse(text.lstrip("\ufeff"), str(p), text_column, label_column)


_PROBE_POS = "good great excellent wonderful enjoyable reliable comfortable funny sturdy impressive"
_PROBE_NEG = "bad awful boring terrible disappointing flimsy noisy dull broken useless"
_PROBE_NOUNS = (
    "movie film phone battery kettle story plot camera chair jacket ending cast screen speaker "
    "blender"
)
_PROBE_TEMPLATES = (
    "The {n} was {neg}{a}.",
    "This {n} is {neg}{a}.",
    "Honestly the {n} felt {neg}{a}.",
    "I found the {n} {neg}{a}.",
)


def negation_probe(rng: int | None = 0) -> TextDataset:
    """A synthetic set where negation decides the label: "The film was good." is
    positive, "The film was not good." negative (2,400 sentences, balanced, shuffled).

    Made for showing what unprotected deletion does: a model trained with
    ``RandomDeletion(keep_negations=False)`` sees "The film was good." labelled negative.

    Example
    -------
    >>> probe = negation_probe()
    >>> len(probe), probe.classes
    (2400, ('negative', 'positive'))
    """
    texts: list[str] = []
    y: list[int] = []
    pos, neg = _PROBE_POS.split(), _PROBE_NEG.split()
    for noun in _PROBE_NOUNS.split():
        for adj in pos + neg:
            for tpl in _PROBE_TEMPLATES:
                for negated in (False, True):
                    texts.append(tpl.format(n=noun, a=adj, neg="not " if negated else ""))
                    y.append(int((adj in pos) != negated))
    order = np.random.default_rng(rng).permutation(len(texts))
    return TextDataset(
        [texts[i] for i in order],
        np.array(y, np.int64)[order],
        ("negative", "positive"),
        "augviz negation probe (synthetic)",
    )
