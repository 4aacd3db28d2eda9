"""The bundled English synonym lexicon (derived from WordNet 3.0; see
``data/WORDNET_LICENSE``) and a tiny part-of-speech heuristic.

The table is read from ``data/lexicon.json.gz`` on first use (about 50 ms) and cached;
nothing is downloaded, ever. ``tools/build_lexicon.py`` rebuilds it.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from augviz.core import AugvizError

from .base import NEGATIONS, STOP_WORDS, is_word

__all__ = ["POS_NAMES", "guess_pos", "lemmatize", "lexicon_info", "synonyms", "word_synonyms"]

#: WordNet's part-of-speech letters
POS_NAMES = {"n": "noun", "v": "verb", "a": "adjective", "r": "adverb"}

_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "his",
        "her",
        "its",
        "our",
        "their",
        "some",
        "any",
        "every",
        "each",
        "no",
        "another",
        "such",
        "what",
        "which",
        "whose",
    ]
)
_VERB_CUES = frozenset(
    [
        "to",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "might",
        "may",
        "shall",
        "did",
        "do",
        "does",
        "don't",
        "didn't",
        "doesn't",
        "won't",
        "wouldn't",
        "can't",
        "couldn't",
        "shouldn't",
        "i",
        "we",
        "you",
        "they",
    ]
)
_ADJ_CUES = frozenset(
    [
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "am",
        "very",
        "so",
        "too",
        "really",
        "quite",
        "pretty",
        "extremely",
        "more",
        "most",
        "less",
        "least",
        "rather",
        "fairly",
        "seems",
        "seemed",
        "looks",
        "looked",
        "felt",
        "feels",
    ]
)


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    path = resources.files("augviz.text").joinpath("data", "lexicon.json.gz")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AugvizError(
            f"the synonym lexicon {path} is missing; reinstall augviz or rebuild it with "
            "tools/build_lexicon.py"
        ) from None
    data = json.loads(gzip.decompress(raw))
    if data.get("format") != "augviz.lexicon" or data.get("version") != 1:
        raise AugvizError(f"{path} is not an augviz lexicon of version 1")
    data["irregular_verbs"] = frozenset(data["irregular_verbs"])
    return data


@lru_cache(maxsize=65536)
def _entry(lemma: str) -> dict[str, tuple[str, ...]]:
    """``{pos: synonyms}`` for a lemma, most frequent part of speech first."""
    raw = _table()["entries"].get(lemma)
    if not raw:
        return {}
    return {part[0]: tuple(part[2:].split(" ")) for part in raw.split("|")}


def lexicon_info() -> dict[str, Any]:
    """Size and source of the bundled lexicon.

    Example
    -------
    >>> lexicon_info()["lemmas"] > 40000
    True
    """
    t = _table()
    return {"lemmas": len(t["entries"]), "source": t["source"]}


def _regular_lemma(word: str) -> list[tuple[str, str]]:
    """Candidate ``(lemma, suffix)`` pairs for a regular English inflection."""
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append((word[:-3] + "y", "s"))
    if word.endswith("es") and len(word) > 3:
        out.append((word[:-2], "s"))
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        out.append((word[:-1], "s"))
    if word.endswith("ied") and len(word) > 4:
        out.append((word[:-3] + "y", "ed"))
    if word.endswith("ed") and len(word) > 4:
        out += [(word[:-2], "ed"), (word[:-1], "ed")]
        if word[-3] == word[-4]:
            out.append((word[:-3], "ed"))
    if word.endswith("ing") and len(word) > 5:
        out += [(word[:-3], "ing"), (word[:-3] + "e", "ing")]
        if word[-4] == word[-5]:
            out.append((word[:-4], "ing"))
    return out


def lemmatize(word: str) -> tuple[str, str]:
    """``(lemma, suffix)``: the lexicon lemma of ``word`` and the regular suffix
    (``""``, ``"s"``, ``"ed"``, ``"ing"``) it carried; irregular forms map through
    WordNet's exception lists with suffix ``"*"`` (never re-inflected).

    Example
    -------
    >>> lemmatize("movies"), lemmatize("mice")
    (('movie', 's'), ('mouse', '*'))
    """
    w = word.lower()
    table = _table()
    if w in table["entries"]:
        return w, ""
    if w in table["lemmas"]:
        return table["lemmas"][w], "*"
    for lemma, suffix in _regular_lemma(w):
        if lemma in table["entries"]:
            return lemma, suffix
    return w, ""


def _inflect(lemma: str, suffix: str) -> str:
    if suffix == "s":
        if lemma.endswith(("s", "x", "z", "ch", "sh")):
            return lemma + "es"
        if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou":
            return lemma[:-1] + "ies"
        return lemma + "s"
    if suffix == "ed":
        if lemma.endswith("e"):
            return lemma + "d"
        if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou":
            return lemma[:-1] + "ied"
        return lemma + "ed"
    if suffix == "ing":
        if lemma.endswith("e") and not lemma.endswith("ee"):
            return lemma[:-1] + "ing"
        return lemma + "ing"
    return lemma


def guess_pos(tokens: list[str], i: int) -> str | None:
    """A tiny heuristic tagger: ``"n"``, ``"v"``, ``"a"``, ``"r"`` or ``None`` (unknown),
    from the word's suffix and its neighbours (determiners, modals, copulas).

    Example
    -------
    >>> from augviz.text.base import tokenize
    >>> toks = tokenize("the film was boring")
    >>> guess_pos(toks, 2), guess_pos(toks, 6)
    ('n', 'a')
    """
    word = tokens[i].lower()
    prev = next_ = ""
    for j in range(i - 1, -1, -1):
        if is_word(tokens[j]):
            prev = tokens[j].lower()
            break
        if not tokens[j].isspace():
            break
    for j in range(i + 1, len(tokens)):
        if is_word(tokens[j]):
            next_ = tokens[j].lower()
            break
        if not tokens[j].isspace():
            break
    if word.endswith("ly") and len(word) > 4:
        return "r"
    if prev in _VERB_CUES or prev in NEGATIONS:
        return "v"
    if prev in _ADJ_CUES:
        return "a"
    if prev in _DETERMINERS:
        # "the movie" vs "the slow movie": an adjective when a noun-like word follows
        nxt = _entry(lemmatize(next_)[0]) if next_ and next_ not in STOP_WORDS else {}
        if nxt and next(iter(nxt)) == "n" and "a" in _entry(lemmatize(word)[0]):
            return "a"
        return "n"
    if word.endswith(("ed", "ing")):
        return "v"
    return None


def word_synonyms(word: str, pos: str | None = None) -> tuple[str, ...]:
    """Synonyms of ``word`` for part of speech ``pos`` (its most frequent one when
    ``None`` or when the lexicon has no entry for ``pos``), re-inflected like ``word``.

    Example
    -------
    >>> "film" in word_synonyms("movie")
    True
    """
    lemma, suffix = lemmatize(word)
    entry = _entry(lemma)
    if not entry:
        return ()
    if suffix in ("ed", "ing"):
        pos = "v"
    elif suffix == "s" and pos not in ("n", "v"):
        pos = "n" if "n" in entry else "v"
    syns = entry.get(pos) if pos else None
    if not syns:
        syns = next(iter(entry.values()))
    if not suffix or suffix == "*":
        return syns if not suffix else tuple(s for s in syns if s != lemma)
    irregular = _table()["irregular_verbs"]
    return tuple(
        _inflect(s, suffix) for s in syns if not (suffix in ("ed", "ing") and s in irregular)
    )


def synonyms(tokens: list[str], i: int) -> tuple[str, ...]:
    """Synonyms of ``tokens[i]`` in context: the part of speech is guessed from its
    neighbours (:func:`guess_pos`). Irregular forms (``went``) get none, so a
    replacement never breaks tense or number."""
    word = tokens[i]
    if _table()["lemmas"].get(word.lower()) and word.lower() not in _table()["entries"]:
        return ()
    return word_synonyms(word, guess_pos(tokens, i))
