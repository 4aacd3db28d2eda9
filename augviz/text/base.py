"""The base of text transforms: input checks, a faithful tokenizer, protected tokens.

Tokens cover the string exactly (words, numbers, whitespace runs, punctuation/symbol
runs), so ``"".join(tokenize(s)) == s`` for every ``s`` and an operation that leaves a
token alone leaves its bytes alone.

Protected tokens are never deleted, swapped, replaced or misspelled by default:
numbers (any word containing a digit), negations (``not``, ``no``, ``never``, any
``…n't`` …) and a user list (the ``protect`` parameter, a comma-separated string so that
it lives in recipe JSON like any other value).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from augviz.core import Bool, InputError, ParamError, Text, Transform, as_generator
from augviz.core._plan import LEAVE_OUT
from augviz.core.params import text_problem

__all__ = [
    "NEGATIONS",
    "STOP_WORDS",
    "Protect",
    "TextTransform",
    "Words",
    "detokenize",
    "is_word",
    "tokenize",
]

# numbers with inner separators first (3.5, 1,000, 10:30), then words with inner
# apostrophes (don't, rock'n'roll), whitespace runs, and runs of anything else.
_TOKEN = re.compile(r"\d+(?:[.,:/]\d+)+|\w+(?:['’]\w+)*|\s+|[^\w\s]+")

#: Negations: deleting or swapping one of these flips a sentiment label.
NEGATIONS: frozenset[str] = frozenset(
    [
        "not",
        "no",
        "never",
        "n't",
        "nor",
        "cannot",
        "without",
        "none",
        "nobody",
        "nothing",
        "nowhere",
        "neither",
        "hardly",
        "barely",
        "scarcely",
        "seldom",
        "rarely",
        "ain't",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "cant",
        "couldnt",
        "wont",
        "wouldnt",
        "shouldnt",
        "havent",
        "hasnt",
        "hadnt",
        "mustnt",
        "neednt",
        "aint",
        "nope",
    ]
)

#: Stop words are never replaced by a synonym nor used as a source for insertion (the
#: English list EDA uses, minus the negations, which are protected instead).
STOP_WORDS: frozenset[str] = (
    frozenset(
        [
            "i",
            "me",
            "my",
            "myself",
            "we",
            "our",
            "ours",
            "ourselves",
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves",
            "he",
            "him",
            "his",
            "himself",
            "she",
            "her",
            "hers",
            "herself",
            "it",
            "its",
            "itself",
            "they",
            "them",
            "their",
            "theirs",
            "themselves",
            "what",
            "which",
            "who",
            "whom",
            "this",
            "that",
            "these",
            "those",
            "am",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "being",
            "have",
            "has",
            "had",
            "having",
            "do",
            "does",
            "did",
            "doing",
            "a",
            "an",
            "the",
            "and",
            "but",
            "if",
            "or",
            "because",
            "as",
            "until",
            "while",
            "of",
            "at",
            "by",
            "for",
            "with",
            "about",
            "against",
            "between",
            "into",
            "through",
            "during",
            "before",
            "after",
            "above",
            "below",
            "to",
            "from",
            "up",
            "down",
            "in",
            "out",
            "on",
            "off",
            "over",
            "under",
            "again",
            "further",
            "then",
            "once",
            "here",
            "there",
            "when",
            "where",
            "why",
            "how",
            "all",
            "any",
            "both",
            "each",
            "few",
            "more",
            "most",
            "other",
            "some",
            "such",
            "only",
            "own",
            "same",
            "so",
            "than",
            "too",
            "very",
            "s",
            "t",
            "can",
            "will",
            "just",
            "don",
            "should",
            "now",
            "d",
            "ll",
            "m",
            "o",
            "re",
            "ve",
            "y",
            "ma",
            "also",
            "would",
            "could",
            "shall",
            "may",
            "might",
            "must",
            "ought",
            "yet",
        ]
    )
    - NEGATIONS
)


def tokenize(text: str) -> list[str]:
    """Split ``text`` into tokens that join back to exactly ``text``.

    Example
    -------
    >>> tokenize("It's not 3.5 stars!")
    ["It's", ' ', 'not', ' ', '3.5', ' ', 'stars', '!']
    """
    return _TOKEN.findall(text)


def detokenize(tokens: Sequence[str]) -> str:
    """The inverse of :func:`tokenize` (a plain join: tokens keep their whitespace)."""
    return "".join(tokens)


def is_word(token: str) -> bool:
    """Whether a token is a word or number (not whitespace or punctuation)."""
    c = token[:1]
    return c.isalnum() or c == "_"


def _split_words(value: Any, where: str | None, name: str) -> tuple[str, ...]:
    part = f"{where}: " if where else ""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        raise ParamError(
            f"{part}{name}={value!r} is not allowed; allowed: a comma-separated string of "
            "words, e.g. 'refund,broken', or a list of words"
        )
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ParamError(f"{part}{name}: {item!r} is not a word; allowed: strings")
        w = item.strip().lower()
        if not w:
            continue
        if any(ch.isspace() for ch in w) or "," in w:
            raise ParamError(
                f"{part}{name}: {item.strip()!r} holds whitespace or a comma; allowed: single "
                "words (protect each word of a phrase separately)"
            )
        if w not in out:
            out.append(w)
    return tuple(out)


@dataclass(frozen=True)
class Words(Text):
    """A free list of words, stored as one canonical comma-separated string.

    A :class:`~augviz.core.Text` spec, so a UI shows a text box. Any comma-separated
    string of single words is valid; the canonical form is lower case, stripped,
    de-duplicated.
    """

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "default", self.validate(self.default, where=f"spec {self.name!r} default")
        )

    def validate(self, value: Any, *, where: str | None = None) -> str:
        # the canonical string meets the Text rules (length, text that UTF-8 can store)
        return super().validate(",".join(_split_words(value, where, self.name)), where=where)

    def describe(self) -> str:
        return f"comma-separated words, default {self.default!r}"


KEEP_NEGATIONS = Bool("keep_negations", True, doc="Never touch negations (not, no, never, …n't).")
KEEP_NUMBERS = Bool("keep_numbers", True, doc="Never touch numbers (any word with a digit).")
PROTECT = Words("protect", default="", doc="Extra words never touched, comma-separated.")
PROTECT_PARAMS = (KEEP_NEGATIONS, KEEP_NUMBERS, PROTECT)


_DIGIT = re.compile(r"\d")

#: The word pattern of :func:`tokenize`, captured: ``WORD_SPLIT.split(text)`` alternates
#: separators (even indices: whitespace/punctuation, possibly empty) and words (odd).
WORD_SPLIT = re.compile(r"(\d+(?:[.,:/]\d+)+|\w+(?:['’]\w+)*)")
# texts of up to _SHORT characters have their split remembered, up to _BUDGET characters
# of text in all per rule (about 5 MB): a text is usually augmented many times over
# (several copies of each sentence, then again every epoch)
_SHORT, _BUDGET = 512, 200_000
_GENERATOR = np.random.Generator


@dataclass(frozen=True)
class Protect:
    """Which word tokens an operation must leave alone."""

    negations: bool = True
    numbers: bool = True
    words: frozenset[str] = frozenset()
    _memo: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    # word -> not protected (what ``eligible`` asks, looked up for a whole sentence at once)
    _free: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)
    # text -> (its WORD_SPLIT parts, the eligible odd indices), and the characters held
    _texts: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _held: list[int] = field(default_factory=lambda: [0], compare=False, repr=False)

    def split(self, text: str) -> tuple[list[str], tuple[int, ...]]:
        """``text`` split by :data:`WORD_SPLIT` (separators and words alternating, words at
        the odd indices; a new list the caller may change) and the odd indices holding an
        unprotected word (:meth:`eligible`), remembered for short texts."""
        got = self._texts.get(text)
        if got is not None:
            return list(got[0]), got[1]
        parts = WORD_SPLIT.split(text)
        slots = tuple(self.eligible(parts))
        if len(text) <= _SHORT:
            held = self._held
            if held[0] > _BUDGET:
                self._texts.clear()
                held[0] = 0
            self._texts[text] = (tuple(parts), slots)
            held[0] += len(text) + 1
        return parts, slots

    def forget(self) -> None:
        """Drop the remembered texts (their memory, at most about 5 MB per rule)."""
        self._texts.clear()
        self._held[0] = 0

    def __call__(self, token: str) -> bool:
        hit = self._memo.get(token)
        if hit is None:
            if len(self._memo) > 50_000:
                self._memo.clear()
            hit = self._memo[token] = self._check(token)
        return hit

    def eligible(self, parts: list[str], min_len: int = 1) -> list[int]:
        """Odd indices of ``parts`` (separators and words alternating) holding an
        unprotected word of at least ``min_len`` characters."""
        free = self._free
        try:
            out = [i for i in range(1, len(parts), 2) if free[parts[i]]]
        except KeyError:  # a word not seen before: decide it once
            if len(free) > 50_000:
                free.clear()
            for t in parts[1::2]:
                if t not in free:
                    free[t] = not self(t)
            out = [i for i in range(1, len(parts), 2) if free[parts[i]]]
        if min_len > 1:
            out = [i for i in out if len(parts[i]) >= min_len]
        return out

    def _check(self, token: str) -> bool:
        low = token.lower()
        if self.negations and (low in NEGATIONS or low.endswith("n't") or low.endswith("n’t")):
            return True
        if self.numbers and _DIGIT.search(token):
            return True
        return low in self.words


@lru_cache(maxsize=256)
def protect_from(
    keep_negations: bool = True, keep_numbers: bool = True, protect: str = ""
) -> Protect:
    """The :class:`Protect` rule for a transform's ``keep_*``/``protect`` values."""
    words = frozenset(w for w in protect.split(",") if w)
    return Protect(bool(keep_negations), bool(keep_numbers), words)


def is_text(x: Any) -> bool:
    """Whether ``x`` is one text item."""
    return isinstance(x, str)


def check_text(x: Any, where: str = "text transforms") -> None:
    """Raise :class:`InputError` unless ``x`` is a ``str``."""
    if not isinstance(x, str):
        hint = ""
        if isinstance(x, bytes):
            hint = " (decode bytes first, e.g. data.decode('utf-8'))"
        elif isinstance(x, (list, tuple)):
            hint = " (use recipe.batch(texts) or a loop for many texts)"
        raise InputError(f"{where}: input is a {type(x).__name__}; allowed: str{hint}")
    problem = None if x.isascii() else text_problem(x)
    if problem:
        # such a string cannot be written to a file or handed to a translator
        raise InputError(f"{where}: the text contains {problem}; allowed: text that UTF-8 can store "
                         "(a surrogate pair split apart, or bytes decoded with errors='surrogateescape')")


class TextTransform(Transform):
    """A text transform: ``str`` in, ``str`` out.

    Subclasses declare a kernel from :mod:`augviz.text.functional`, called as
    ``kernel(text, **values)``. A transform with the ``PROTECT_PARAMS`` hands its kernel
    their three values as one rule, ``protect=Protect(...)`` (values left out of an
    ``apply`` call take the specs' defaults).
    """

    __slots__ = ()
    compact_draws = True

    def check_input(self, x: Any) -> None:
        check_text(x, self._label())

    def _apply(self, text: str, **values: Any) -> str:
        if PROTECT.name in self._params:
            values[PROTECT.name] = protect_from(
                values.pop(KEEP_NEGATIONS.name, KEEP_NEGATIONS.default),
                values.pop(KEEP_NUMBERS.name, KEEP_NUMBERS.default),
                values.pop(PROTECT.name, PROTECT.default),
            )
        return super()._apply(text, **values)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # this base's _apply is one kernel call with the protection values as one rule
        cls._kernel_only = (cls._apply is TextTransform._apply and cls.apply is Transform.apply
                            and cls.check_input is TextTransform.check_input)

    def __call__(self, x: Any, rng: Any = None) -> Any:
        """Sample and apply (with probability ``p``): exactly ``Transform.__call__``
        (the same draws from ``rng``, the same kernel values), with the values that
        cannot vary worked out once per transform instead of once per sentence, where a
        sentence takes a few microseconds."""
        try:
            run = self._run
        except AttributeError:
            run = self._compile_run()
        if run is None:
            return super().__call__(x, rng)
        if type(x) is not str or not x.isascii():
            self.check_input(x)
        out = run(x, rng if type(rng) is _GENERATOR else as_generator(rng))
        return x if out is None else out

    def _kernel_values(self) -> dict[str, Any]:
        # the three protection values reach the kernel as one Protect rule (see _apply)
        if PROTECT.name not in self._params:
            return {}
        names = (KEEP_NEGATIONS.name, KEEP_NUMBERS.name, PROTECT.name)
        return {KEEP_NEGATIONS.name: LEAVE_OUT, KEEP_NUMBERS.name: LEAVE_OUT,
                PROTECT.name: protect_from(*(self._params[n] for n in names))}
