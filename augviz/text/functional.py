"""Pure text kernels: ``str`` (plus concrete values and a ``seed``) in, ``str`` out.

A transform's kernel takes the text, then its values by keyword with the spec names;
word-level kernels take ``protect``, the :class:`~augviz.text.base.Protect` rule that
:class:`~augviz.text.base.TextTransform` builds from ``keep_negations``,
``keep_numbers`` and ``protect``.

Every kernel draws from its own small generator seeded by the ``seed`` argument
(:class:`LCG31`, written out here so that results are identical on every Python and
numpy version), never from global state. Word-level kernels work on :func:`tokenize`
tokens, so whitespace, punctuation and untouched words keep their exact bytes.

Strength follows EDA (Wei & Zou, 2019): an operation changes
``n = max(1, round(alpha * n_words))`` words (``alpha = 0`` changes nothing), capped by
how many words are eligible (not protected, not stop words where that matters).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .base import STOP_WORDS, Protect, is_word, tokenize
from .lexicon import synonyms

# the word pattern of ``base.tokenize``, captured: ``_WORDS.split(text)`` alternates
# separators (even indices: whitespace/punctuation, possibly empty) and words (odd)
_WORDS = re.compile(r"(\d+(?:[.,:/]\d+)+|\w+(?:['’]\w+)*)")

__all__ = [
    "KEYBOARD_NEIGHBOURS",
    "LCG31",
    "OCR_CONFUSIONS",
    "PUNCTUATION_MARKS",
    "case_noise",
    "count_for",
    "keyboard_typos",
    "ocr_noise",
    "punctuation_noise",
    "random_char",
    "random_deletion",
    "random_insertion",
    "random_swap",
    "synonym_replacement",
]

_MASK = (1 << 64) - 1


class LCG31:
    """A 31-bit linear congruential generator seeded by an int: the seed is scrambled
    once with SplitMix64, then the LCG stream supplies the draws (its high bits, via
    multiply-shift).

    Seeding is nearly free and a draw costs a fraction of a microsecond, which matters
    when a sentence takes a few microseconds to augment; the few draws a sentence needs
    do not stress an LCG's known weaknesses.
    """

    __slots__ = ("_s",)

    def __init__(self, seed: int) -> None:
        z = (int(seed) * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        self._s = (z ^ (z >> 31)) & 0x7FFFFFFF

    def below(self, n: int) -> int:
        """An int in ``[0, n)`` (``n`` > 0)."""
        self._s = s = (self._s * 1103515245 + 12345) & 0x7FFFFFFF
        return (s * n) >> 31

    def pick(self, seq: Sequence[str]) -> str:
        return seq[self.below(len(seq))]

    def sample(self, n: int, k: int) -> list[int]:
        """``k`` distinct ints from ``range(n)`` (partial Fisher–Yates), in draw order."""
        k = min(k, n)
        if k <= 0:
            return []
        if k * 4 < n:  # sparse: rejection is cheaper than building range(n)
            seen: dict[int, None] = {}
            while len(seen) < k:
                seen.setdefault(self.below(n), None)
            return list(seen)
        pool = list(range(n))
        for i in range(k):
            j = i + self.below(n - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


_TWO31 = 1 << 31  # LCG31.below(_TWO31) is a uniform 31-bit draw


def count_for(alpha: float, n_words: int) -> int:
    """EDA's number of changes: ``max(1, round(alpha * n_words))``; 0 if ``alpha`` or
    ``n_words`` is 0. (The reference code truncates with ``int``; rounding makes
    ``alpha = 0.1`` change 2 of 15 words where it changes 1.) Random deletion does not use
    a count: it deletes each word with probability ``alpha``.

    Example
    -------
    >>> count_for(0.1, 12), count_for(0.1, 3), count_for(0.0, 12)
    (1, 1, 0)
    """
    if alpha <= 0 or n_words <= 0:
        return 0
    return max(1, round(alpha * n_words))


def _word_slots(tokens: list[str]) -> list[int]:
    return [i for i, t in enumerate(tokens) if is_word(t)]


def _split(text: str) -> list[str]:
    """Separators and words alternating; words are at the odd indices."""
    return _WORDS.split(text)


def _match_case(src: str, word: str) -> str:
    if src.isupper() and len(src) > 1:
        return word.upper()
    if src[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# -- EDA word operations -------------------------------------------------------------
def random_swap(text: str, *, alpha: float, protect: Protect, seed: int) -> str:
    """Swap two eligible words, ``n`` times (EDA's RS); punctuation and spacing stay put.

    Example
    -------
    >>> from augviz.text.base import Protect
    >>> random_swap("the plot was not dull", alpha=0.2, protect=Protect(), seed=3)
    'the plot dull not was'
    """
    tokens = _split(text)
    n = count_for(alpha, len(tokens) // 2)
    if n == 0:
        return text
    slots = protect.eligible(tokens)
    if len(slots) < 2:
        return text
    rnd = LCG31(seed)
    m = len(slots)
    for _ in range(n):
        a = rnd.below(m)
        b = (a + 1 + rnd.below(m - 1)) % m  # always a different slot
        i, j = slots[a], slots[b]
        tokens[i], tokens[j] = tokens[j], tokens[i]
    return "".join(tokens)


def random_deletion(text: str, *, alpha: float, protect: Protect, seed: int) -> str:
    """Delete each eligible word independently with probability ``alpha`` (EDA's RD, as in
    Wei & Zou 2019 and their reference code), with the space before it.

    The number deleted is Binomial(eligible words, ``alpha``): often none on a short
    sentence. Protected words are never drawn. If every word would go, one of them (drawn
    at random) stays, as in the reference code.

    Example
    -------
    >>> from augviz.text.base import Protect
    >>> random_deletion("this is not a good film", alpha=0.34, protect=Protect(), seed=3)
    'this not good film'
    """
    if alpha <= 0:
        return text
    parts = _split(text)
    n_words = len(parts) // 2
    if n_words <= 1:
        return text
    slots = protect.eligible(parts)
    if not slots:
        return text
    rnd = LCG31(seed)
    below = rnd.below
    threshold = alpha * _TWO31
    doomed = [i for i in slots if below(_TWO31) < threshold]
    if len(doomed) == n_words:
        del doomed[below(len(doomed))]
    for i in reversed(doomed):
        left, right = parts[i - 1], parts[i + 1]
        stripped = left.rstrip()
        if stripped != left and (stripped or i > 1):
            left = stripped  # drop the space before the word
        else:
            right = right.lstrip()  # a first word, or one after "(": drop the space after
        parts[i - 1 : i + 2] = [left + right]
    return "".join(parts)


# -- synonyms ------------------------------------------------------------------------
def _synonym_candidates(tokens: list[str], protect: Protect) -> list[int]:
    return [
        i
        for i in _word_slots(tokens)
        if not protect(tokens[i])
        and tokens[i].lower() not in STOP_WORDS
        and tokens[i].isalpha()
        and synonyms(tokens, i)
    ]


def synonym_replacement(text: str, *, alpha: float, protect: Protect, seed: int) -> str:
    """Replace ``n`` eligible words by a synonym (EDA's SR), keeping their case.

    Synonyms come from the bundled lexicon's part-of-speech-aware lookup
    (:func:`augviz.text.lexicon.synonyms`); stop words and protected words are skipped.
    """
    tokens = tokenize(text)
    n = count_for(alpha, len(_word_slots(tokens)))
    if n == 0:
        return text
    cands = _synonym_candidates(tokens, protect)
    if not cands:
        return text
    rnd = LCG31(seed)
    for k in rnd.sample(len(cands), n):
        i = cands[k]
        tokens[i] = _match_case(tokens[i], rnd.pick(synonyms(tokens, i)))
    return "".join(tokens)


def random_insertion(text: str, *, alpha: float, protect: Protect, seed: int) -> str:
    """Insert a synonym of a random eligible word at a random word boundary, ``n``
    times (EDA's RI)."""
    tokens = tokenize(text)
    n = count_for(alpha, len(_word_slots(tokens)))
    if n == 0:
        return text
    cands = _synonym_candidates(tokens, protect)
    if not cands:
        return text
    rnd = LCG31(seed)
    slots = _word_slots(tokens)
    new: list[tuple[int, str]] = []
    for _ in range(n):
        i = cands[rnd.below(len(cands))]
        new.append((rnd.below(len(slots) + 1), rnd.pick(synonyms(tokens, i)).lower()))
    prefix: dict[int, str] = {}
    suffix: dict[int, str] = {}
    for pos, word in new:
        if pos < len(slots):
            prefix[slots[pos]] = prefix.get(slots[pos], "") + word + " "
        else:  # after the last word, before trailing punctuation
            suffix[slots[-1]] = suffix.get(slots[-1], "") + " " + word
    return "".join(prefix.get(i, "") + t + suffix.get(i, "") for i, t in enumerate(tokens))


# -- character operations ------------------------------------------------------------
_ROWS = ("1234567890-", "qwertyuiop[", "asdfghjkl;'", "zxcvbnm,./")


def _neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for r, row in enumerate(_ROWS):
        for c, ch in enumerate(row):
            near = []
            for dr in (-1, 0, 1):
                rr = r + dr
                if not 0 <= rr < len(_ROWS):
                    continue
                for dc in (-1, 0, 1):
                    cc = c + dc
                    other = _ROWS[rr][cc] if 0 <= cc < len(_ROWS[rr]) else ""
                    # letters slip to letters, digits to digits: a typo never makes a number
                    if (dr or dc) and other.isalnum() and other.isdigit() == ch.isdigit():
                        near.append(other)
            if ch.isalnum():
                out[ch] = "".join(near)
    return out


#: QWERTY neighbours of each letter and digit (same row and the rows above/below).
KEYBOARD_NEIGHBOURS: dict[str, str] = _neighbours()

#: Visually confusable strings an OCR engine mixes up (source → replacement).
OCR_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("0", "O"),
    ("O", "0"),
    ("o", "0"),
    ("1", "l"),
    ("l", "1"),
    ("1", "I"),
    ("I", "1"),
    ("I", "l"),
    ("l", "I"),
    ("rn", "m"),
    ("m", "rn"),
    ("cl", "d"),
    ("d", "cl"),
    ("vv", "w"),
    ("w", "vv"),
    ("5", "S"),
    ("S", "5"),
    ("8", "B"),
    ("B", "8"),
    ("2", "Z"),
    ("Z", "2"),
    ("6", "b"),
    ("e", "c"),
    ("c", "e"),
    ("h", "b"),
    ("u", "v"),
    ("g", "q"),
    ("g", "9"),
    ("ri", "n"),
    ("li", "h"),
    ("nn", "m"),
    ("t", "f"),
    ("f", "t"),
)
_OCR_FIRST: dict[str, list[tuple[str, str]]] = {}
for _src, _dst in OCR_CONFUSIONS:
    _OCR_FIRST.setdefault(_src[0], []).append((_src, _dst))

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edit_words(
    text: str,
    rate: float,
    chars: int,
    seed: int,
    protect: Protect,
    edit: Callable[[str, LCG31], str],
    min_len: int = 1,
) -> str:
    tokens = _split(text)
    n = count_for(rate, len(tokens) // 2)
    if n == 0:
        return text
    targets = protect.eligible(tokens, min_len)
    if not targets:
        return text
    rnd = LCG31(seed)
    for k in rnd.sample(len(targets), n):
        i = targets[k]
        w = tokens[i]
        for _ in range(chars):
            w = edit(w, rnd)
        tokens[i] = w
    return "".join(tokens)


def _typo(word: str, rnd: LCG31) -> str:
    n = len(word)
    start = rnd.below(n)
    for k in range(n):  # the first typable character from a random start
        j = (start + k) % n
        if word[j].lower() in KEYBOARD_NEIGHBOURS:
            break
    else:
        return word
    ch = word[j]
    sub = rnd.pick(KEYBOARD_NEIGHBOURS[ch.lower()])
    if ch.isupper():
        sub = sub.upper()
    return word[:j] + sub + word[j + 1 :]


def keyboard_typos(text: str, *, rate: float, chars: int, protect: Protect, seed: int) -> str:
    """Replace characters by a QWERTY neighbour in ``n`` eligible words (case kept).

    Example
    -------
    >>> from augviz.text.base import Protect
    >>> keyboard_typos("great acting", rate=0.5, chars=1, protect=Protect(), seed=0)
    'great actijg'
    """
    return _edit_words(text, rate, chars, seed, protect, _typo)


def _ocr_spots(word: str) -> tuple[tuple[int, str, str], ...]:
    """Where ``word`` holds a confusable sequence: ``(index, source, replacement)`` in
    text order (remembered: words repeat, and the scan is most of the cost)."""
    spots = _OCR_SPOTS.get(word)
    if spots is None:
        if len(_OCR_SPOTS) >= 65536:
            _OCR_SPOTS.clear()
        first = _OCR_FIRST
        spots = _OCR_SPOTS[word] = tuple(
            (j, src, dst)
            for j, ch in enumerate(word)
            if ch in first
            for src, dst in first[ch]
            if word.startswith(src, j)
        )
    return spots


_OCR_SPOTS: dict[str, tuple[tuple[int, str, str], ...]] = {}


def _ocr(word: str, rnd: LCG31) -> str:
    spots = _ocr_spots(word)
    if not spots:
        return word
    j, src, dst = spots[rnd.below(len(spots))]
    return word[:j] + dst + word[j + len(src) :]


def ocr_noise(text: str, *, rate: float, chars: int, protect: Protect, seed: int) -> str:
    """Apply OCR confusions (0↔O, 1↔l, rn↔m, cl↔d …) in ``n`` eligible words."""
    return _edit_words(text, rate, chars, seed, protect, _ocr)


def _letter_like(ch: str, rnd: LCG31) -> str:
    sub = rnd.pick(_LETTERS)
    return sub.upper() if ch.isupper() else sub


def _char_insert(word: str, rnd: LCG31) -> str:
    j = rnd.below(len(word) + 1)
    return word[:j] + _letter_like(word[min(j, len(word) - 1)], rnd) + word[j:]


def _char_delete(word: str, rnd: LCG31) -> str:
    if len(word) < 2:
        return word
    j = rnd.below(len(word))
    return word[:j] + word[j + 1 :]


def _char_swap(word: str, rnd: LCG31) -> str:
    spots = [j for j in range(len(word) - 1) if word[j] != word[j + 1]]
    if not spots:
        return word
    j = spots[rnd.below(len(spots))]
    return word[:j] + word[j + 1] + word[j] + word[j + 2 :]


def _char_substitute(word: str, rnd: LCG31) -> str:
    j = rnd.below(len(word))
    return word[:j] + _letter_like(word[j], rnd) + word[j + 1 :]


CHAR_ACTIONS: dict[str, Callable[[str, LCG31], str]] = {
    "insert": _char_insert,
    "delete": _char_delete,
    "swap": _char_swap,
    "substitute": _char_substitute,
}


def random_char(
    text: str, *, action: str, rate: float, chars: int, protect: Protect, seed: int
) -> str:
    """Insert, delete, swap (adjacent) or substitute random characters in ``n`` eligible
    words. Words shorter than 2 characters are left alone by delete and swap."""
    return _edit_words(text, rate, chars, seed, protect, CHAR_ACTIONS[action])


CASE_STYLES = ("upper", "lower", "title", "swapcase")


def case_noise(text: str, *, style: str, rate: float, protect: Protect, seed: int) -> str:
    """Change the case of ``n`` eligible words (``style="mixed"`` picks a style per word)."""

    def edit(word: str, rnd: LCG31) -> str:
        s = rnd.pick(CASE_STYLES) if style == "mixed" else style
        if s == "title":
            return word[:1].upper() + word[1:].lower()
        return getattr(word, s)()

    return _edit_words(text, rate, 1, seed, protect, edit)


#: Marks punctuation noise inserts (AEDA, Karimi et al. 2021) and may delete.
PUNCTUATION_MARKS = (".", ",", "!", "?", ";", ":")


def punctuation_noise(text: str, *, mode: str, rate: float, seed: int) -> str:
    """Insert (AEDA-style, before a word) and/or delete punctuation marks.

    ``n = count_for(rate, n_words)`` marks are inserted; in ``"delete"`` mode ``n``
    marks are removed from existing punctuation. Numbers such as ``3.5`` are single
    tokens, so their separators are never removed.
    """
    tokens = tokenize(text)
    slots = _word_slots(tokens)
    n = count_for(rate, len(slots))
    if n == 0:
        return text
    rnd = LCG31(seed)
    if mode in ("delete", "both"):
        marks = [
            (i, j)
            for i, t in enumerate(tokens)
            if not is_word(t) and not t.isspace()
            for j, ch in enumerate(t)
            if ch in PUNCTUATION_MARKS
        ]
        gone: dict[int, set[int]] = {}
        for k in rnd.sample(len(marks), n):
            i, j = marks[k]
            gone.setdefault(i, set()).add(j)
        for i, js in gone.items():
            tokens[i] = "".join(ch for j, ch in enumerate(tokens[i]) if j not in js)
    if mode in ("insert", "both") and slots:
        extra: dict[int, list[str]] = {}
        for _ in range(n):
            extra.setdefault(slots[rnd.below(len(slots))], []).append(rnd.pick(PUNCTUATION_MARKS))
        tokens = ["".join(m + " " for m in extra.get(i, ())) + t for i, t in enumerate(tokens)]
    return "".join(tokens)
