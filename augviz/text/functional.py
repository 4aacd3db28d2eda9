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

from collections.abc import Callable, Sequence

from .base import STOP_WORDS, Protect, is_word, tokenize
from .lexicon import synonyms

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
# the LCG step, written out where a kernel draws in a loop: s = (s * _A + _C) & _M, and a
# draw in [0, n) is (s * n) >> 31 (what LCG31.below does, without a method call)
_A, _C, _M = 1103515245, 12345, 0x7FFFFFFF


def _state(seed: int) -> int:
    """The LCG's first state for ``seed`` (SplitMix64-scrambled, 31 bits)."""
    z = (int(seed) * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    return (z ^ (z >> 31)) & _M


class LCG31:
    """A 31-bit linear congruential generator seeded by an int: the seed is scrambled
    once with SplitMix64, then the LCG stream supplies the draws (its high bits, via
    multiply-shift).

    Seeding is nearly free and a draw costs a fraction of a microsecond, which matters
    when a sentence takes a few microseconds to augment; the few draws a sentence needs
    do not stress an LCG's known weaknesses. The word and character kernels step the
    same stream inline (``_A``, ``_C``, ``_M``) and give the same draws.
    """

    __slots__ = ("_s",)

    def __init__(self, seed: int) -> None:
        self._s = _state(seed)

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


_TWO31 = 1 << 31  # LCG31.below(_TWO31) is a uniform 31-bit draw (the state itself)


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
    tokens, slots = protect.split(text)
    m = len(slots)
    if m < 2 or alpha <= 0:
        return text
    n = round(alpha * (len(tokens) // 2)) or 1  # count_for, written out
    s = _state(seed)
    for _ in range(n):
        s = (s * _A + _C) & _M
        a = (s * m) >> 31
        s = (s * _A + _C) & _M
        b = (a + 1 + ((s * (m - 1)) >> 31)) % m  # always a different slot
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
    parts, slots = protect.split(text)
    n_words = len(parts) // 2
    if n_words <= 1 or not slots:
        return text
    z = (int(seed) * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) & _MASK  # _state, written out
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    s = (z ^ (z >> 31)) & _M
    threshold = alpha * _TWO31
    doomed = []
    for i in slots:  # a uniform 31-bit draw per word: the next state
        s = (s * _A + _C) & _M
        if s < threshold:
            doomed.append(i)
    if not doomed:
        return text
    if len(doomed) == n_words:
        s = (s * _A + _C) & _M
        del doomed[(s * len(doomed)) >> 31]
    return _without(parts, doomed)


def _without(parts: list[str], doomed: list[int]) -> str:
    """``parts`` joined without the words at ``doomed`` (ascending odd indices), each
    with the space before it (a first word, or one after "(": the space after)."""
    if len(doomed) <= 32:  # a few: splice them out in place
        for i in reversed(doomed):
            left, right = parts[i - 1], parts[i + 1]
            stripped = left.rstrip()
            if stripped != left and (stripped or i > 1):
                left = stripped
            else:
                right = right.lstrip()
            parts[i - 1 : i + 2] = [left + right]
        return "".join(parts)
    # many (a long text): the same merges in one pass from the end, without the splices
    # that would make the work grow with the square of the length
    out = []
    right = parts[-1]  # the separator after the last kept word, merged so far
    k = len(doomed) - 1
    nxt = doomed[k]
    for i in range(len(parts) - 2, 0, -2):
        left = parts[i - 1]
        if i == nxt:
            stripped = left.rstrip()
            if stripped != left and (stripped or i > 1):
                left = stripped
            else:
                right = right.lstrip()
            right = left + right
            k -= 1
            nxt = doomed[k] if k >= 0 else -1
        else:
            out.append(right)
            out.append(parts[i])
            right = left
    out.append(right)
    out.reverse()
    return "".join(out)


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


def _chosen_words(
    text: str, rate: float, protect: Protect, seed: int
) -> tuple[list[str], list[int], int] | None:
    """The tokens of ``text``, the ``n`` eligible words to edit (indices into the
    tokens, in draw order) and the LCG state after drawing them; ``None`` if nothing is
    to be edited. (``count_for``, ``_state`` and ``_sample`` written out: this runs for
    every sentence.)"""
    tokens, targets = protect.split(text)
    m = len(targets)
    if not m or rate <= 0:
        return None
    n = round(rate * (len(tokens) // 2)) or 1
    z = (int(seed) * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    s = (z ^ (z >> 31)) & _M
    if n > m:
        n = m
    if n * 4 < m:  # sparse: rejection
        seen: dict[int, None] = {}
        while len(seen) < n:
            s = (s * _A + _C) & _M
            seen[(s * m) >> 31] = None
        return tokens, [targets[k] for k in seen], s
    pool = list(targets)  # partial Fisher–Yates on the words themselves
    for i in range(n):
        s = (s * _A + _C) & _M
        j = i + ((s * (m - i)) >> 31)
        pool[i], pool[j] = pool[j], pool[i]
    return tokens, pool[:n], s


def _typo_table() -> dict[str, str]:
    # every character whose lower case has QWERTY neighbours (ASCII letters and digits,
    # and the Kelvin sign, whose lower case is "k"), with the neighbours in its case
    out: dict[str, str] = {}
    for ch in (*_ROWS[0], *"".join(_ROWS).upper(), *"".join(_ROWS), "\u212a"):
        near = KEYBOARD_NEIGHBOURS.get(ch.lower())
        if near is not None:
            out[ch] = near.upper() if ch.isupper() else near
    return out


_TYPO = _typo_table()


def keyboard_typos(text: str, *, rate: float, chars: int, protect: Protect, seed: int) -> str:
    """Replace characters by a QWERTY neighbour in ``n`` eligible words (case kept).

    In each chosen word, ``chars`` times: from a random position, the first character
    with neighbours (a letter or digit) becomes one of them.

    Example
    -------
    >>> from augviz.text.base import Protect
    >>> keyboard_typos("great acting", rate=0.5, chars=1, protect=Protect(), seed=0)
    'great actijg'
    """
    chosen = _chosen_words(text, rate, protect, seed)
    if chosen is None:
        return text
    tokens, words, s = chosen
    table = _TYPO
    for i in words:
        w = tokens[i]
        n = len(w)
        for _ in range(chars):
            s = (s * _A + _C) & _M
            j = (s * n) >> 31
            near = table.get(w[j])
            if near is None:  # the first typable character from there on, wrapping round
                for _ in range(n - 1):
                    j = (j + 1) % n
                    near = table.get(w[j])
                    if near is not None:
                        break
                else:
                    continue  # nothing typable: this edit changes nothing
            s = (s * _A + _C) & _M
            w = w[:j] + near[(s * len(near)) >> 31] + w[j + 1 :]
        tokens[i] = w
    return "".join(tokens)


def _ocr_spots(word: str) -> tuple[tuple[int, int, str], ...]:
    """Where ``word`` holds a confusable sequence: ``(start, end, replacement)`` in text
    order (remembered: words repeat, and the scan is most of the cost)."""
    spots = _OCR_SPOTS.get(word)
    if spots is None:
        first = _OCR_FIRST
        spots = _remember(_OCR_SPOTS, word, tuple(
            (j, j + len(src), dst)
            for j, ch in enumerate(word)
            if ch in first
            for src, dst in first[ch]
            if word.startswith(src, j)
        ))
    return spots


def _remember(memo: dict[str, tuple], word: str, spots: tuple) -> tuple:
    """Keep ``spots`` of ``word`` in ``memo`` (emptied when it holds 65,536 words)."""
    if len(memo) >= 65536:
        memo.clear()
    memo[word] = spots
    return spots


_OCR_SPOTS: dict[str, tuple[tuple[int, int, str], ...]] = {}


def ocr_noise(text: str, *, rate: float, chars: int, protect: Protect, seed: int) -> str:
    """Apply OCR confusions (0↔O, 1↔l, rn↔m, cl↔d …) in ``n`` eligible words: ``chars``
    times in each, one of the word's confusable spots drawn at random."""
    chosen = _chosen_words(text, rate, protect, seed)
    if chosen is None:
        return text
    tokens, words, s = chosen
    memo = _OCR_SPOTS
    for i in words:
        w = tokens[i]
        for _ in range(chars):
            spots = memo.get(w)
            if spots is None:
                spots = _ocr_spots(w)
            if not spots:
                break  # nothing confusable: the word stays (and no more draws)
            s = (s * _A + _C) & _M
            j, end, dst = spots[(s * len(spots)) >> 31]
            w = w[:j] + dst + w[end:]
        tokens[i] = w
    return "".join(tokens)


def _char_insert(tokens: list[str], words: list[int], s: int, chars: int) -> None:
    # a random letter (in the case of the character it lands on) at a random gap
    for i in words:
        w = tokens[i]
        for _ in range(chars):
            n = len(w)
            s = (s * _A + _C) & _M
            j = (s * (n + 1)) >> 31
            s = (s * _A + _C) & _M
            sub = _LETTERS[(s * 26) >> 31]
            if w[j if j < n else n - 1].isupper():
                sub = sub.upper()
            w = w[:j] + sub + w[j:]
        tokens[i] = w


def _char_delete(tokens: list[str], words: list[int], s: int, chars: int) -> None:
    # a random character, while at least two are left
    for i in words:
        w = tokens[i]
        for _ in range(chars):
            n = len(w)
            if n < 2:
                break
            s = (s * _A + _C) & _M
            j = (s * n) >> 31
            w = w[:j] + w[j + 1 :]
        tokens[i] = w


def _swap_spots(word: str) -> tuple[int, ...]:
    """Where two different characters stand side by side (remembered, as OCR spots)."""
    spots = _SWAP_SPOTS.get(word)
    if spots is None:
        spots = _remember(_SWAP_SPOTS, word, tuple(j for j in range(len(word) - 1) if word[j] != word[j + 1]))
    return spots


_SWAP_SPOTS: dict[str, tuple[int, ...]] = {}


def _char_swap(tokens: list[str], words: list[int], s: int, chars: int) -> None:
    # two different neighbouring characters change places
    memo = _SWAP_SPOTS
    for i in words:
        w = tokens[i]
        for _ in range(chars):
            spots = memo.get(w)
            if spots is None:
                spots = _swap_spots(w)
            if not spots:
                break
            s = (s * _A + _C) & _M
            j = spots[(s * len(spots)) >> 31]
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        tokens[i] = w


def _char_substitute(tokens: list[str], words: list[int], s: int, chars: int) -> None:
    # a random character becomes a random letter (in its case)
    for i in words:
        w = tokens[i]
        n = len(w)
        for _ in range(chars):
            s = (s * _A + _C) & _M
            j = (s * n) >> 31
            s = (s * _A + _C) & _M
            sub = _LETTERS[(s * 26) >> 31]
            if w[j].isupper():
                sub = sub.upper()
            w = w[:j] + sub + w[j + 1 :]
        tokens[i] = w


#: The character edits of :func:`random_char`: each edits the chosen words of a
#: sentence in place, ``chars`` times per word, from the stream at the given state.
CHAR_ACTIONS: dict[str, Callable[[list[str], list[int], int, int], None]] = {
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
    edit = CHAR_ACTIONS[action]
    chosen = _chosen_words(text, rate, protect, seed)
    if chosen is None:
        return text
    tokens, words, s = chosen
    edit(tokens, words, s, chars)
    return "".join(tokens)


CASE_STYLES = ("upper", "lower", "title", "swapcase")


def case_noise(text: str, *, style: str, rate: float, protect: Protect, seed: int) -> str:
    """Change the case of ``n`` eligible words (``style="mixed"`` picks a style per word)."""
    chosen = _chosen_words(text, rate, protect, seed)
    if chosen is None:
        return text
    tokens, words, s = chosen
    for i in words:
        st = style
        if st == "mixed":
            s = (s * _A + _C) & _M
            st = CASE_STYLES[(s * 4) >> 31]
        w = tokens[i]
        tokens[i] = w[:1].upper() + w[1:].lower() if st == "title" else getattr(w, st)()
    return "".join(tokens)


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
