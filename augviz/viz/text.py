"""Word-level diffs between a text and its augmentation: HTML for notebooks, plain text
for logs and tests.

Tokens come from :func:`augviz.text.tokenize` (words, numbers, punctuation), compared
with :mod:`difflib`; each token keeps the whitespace that followed it, so the rendering
spaces like the texts. A deleted token that reappears as an inserted token elsewhere is
reported as *moved* (what a word swap does).
"""

from __future__ import annotations

import difflib
import html
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from augviz.core import InputError
from augviz.text.base import tokenize

__all__ = ["KINDS", "TextDiff", "text_diff", "text_diff_plain"]

#: segment kind -> (CSS style, legend label, plain-text brackets)
KINDS: dict[str, tuple[str, str, tuple[str, str]]] = {
    "equal": ("", "unchanged", ("", "")),
    "deleted": (
        "background:#fde2e1;color:#a11;text-decoration:line-through",
        "deleted",
        ("[-", "-]"),
    ),
    "inserted": ("background:#dcf5dc;color:#125d12", "inserted", ("{+", "+}")),
    "replaced_old": (
        "background:#fde2e1;color:#a11;text-decoration:line-through",
        "replaced (old)",
        ("[-", "-]"),
    ),
    "replaced_new": ("background:#fff0c2;color:#7a4b00", "replaced (new)", ("{+", "+}")),
    "moved_from": (
        "background:#e3ecfd;color:#1a3f8f;text-decoration:line-through",
        "moved (old place)",
        ("[~", "~]"),
    ),
    "moved_to": (
        "background:#e3ecfd;color:#1a3f8f;font-weight:600",
        "moved (new place)",
        ("{~", "~}"),
    ),
}


def _units(text: str) -> tuple[list[str], list[str]]:
    """Non-space tokens and the whitespace that follows each (leading space is dropped)."""
    toks: list[str] = []
    spaces: list[str] = []
    for t in tokenize(text):
        if t.isspace():
            if spaces:
                spaces[-1] += t
        else:
            toks.append(t)
            spaces.append("")
    return toks, spaces


@dataclass(frozen=True)
class TextDiff:
    """A word-level diff: ``segments`` is a list of ``(kind, text)`` in reading order.

    ``kind`` is one of :data:`KINDS`. ``str(diff)`` is the plain form; in a notebook the
    diff shows as coloured HTML with a legend.
    """

    original: str
    augmented: str
    segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Tokens per kind (``moved`` counted once per moved token)."""
        c: Counter[str] = Counter()
        for kind, text in self.segments:
            n = len(_units(text)[0])
            if kind in ("replaced_old", "moved_from"):
                continue
            c[{"replaced_new": "replaced", "moved_to": "moved"}.get(kind, kind)] += n
        return {k: c.get(k, 0) for k in ("equal", "inserted", "deleted", "replaced", "moved")}

    def plain(self) -> str:
        """``[-deleted-]``, ``{+inserted+}``, ``[-old-]{+new+}``, ``[~moved~]…{~moved~}``."""
        out = []
        for kind, text in self.segments:
            left, right = KINDS[kind][2]
            core = text.rstrip()
            out.append(f"{left}{core}{right}{text[len(core) :]}" if left else text)
        return "".join(out).rstrip()

    def __str__(self) -> str:
        return self.plain()

    def _repr_html_(self) -> str:
        spans = []
        for kind, text in self.segments:
            core = text.rstrip()
            tail = text[len(core) :]
            style = KINDS[kind][0]
            body = html.escape(core)
            spans.append(
                f"<span class='augviz-{kind}' style='{style};border-radius:3px;padding:0 1px'>"
                f"{body}</span>{html.escape(tail)}"
                if style
                else html.escape(text)
            )
        used = [k for k in KINDS if k != "equal" and any(s[0] == k for s in self.segments)]
        legend = (
            " ".join(
                f"<span style='{KINDS[k][0]};border-radius:3px;padding:0 3px'>{KINDS[k][1]}</span>"
                for k in used
            )
            or "<span style='color:#666'>no change</span>"
        )
        return (
            "<div class='augviz-text-diff' style='font-family:system-ui,sans-serif;"
            "line-height:1.6'>"
            f"<div style='white-space:pre-wrap'>{''.join(spans)}</div>"
            f"<div style='font-size:0.8em;color:#555;margin-top:2px'>{legend}</div></div>"
        )

    def __repr__(self) -> str:
        return f"TextDiff({self.plain()!r})"


def _check(original: Any, augmented: Any) -> None:
    for name, v in (("original", original), ("augmented", augmented)):
        if not isinstance(v, str):
            raise InputError(f"text_diff: {name} is a {type(v).__name__}; allowed: str")


def text_diff(original: str, augmented: str) -> TextDiff:
    """Word-level diff of ``original`` → ``augmented`` (inserted, deleted, replaced,
    moved), shown as coloured HTML with a legend in a notebook.

    Example
    -------
    >>> d = text_diff("the plot was not dull", "the was plot not boring")
    >>> print(d.plain())
    the {~was~} plot [~was~] not [-dull-]{+boring+}
    >>> d.counts["moved"], d.counts["replaced"]
    (1, 1)
    """
    _check(original, augmented)
    a, a_sp = _units(original)
    b, b_sp = _units(augmented)
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    # pair deleted tokens with identical inserted tokens elsewhere: those moved
    deleted = [
        i for tag, i1, i2, _, _ in ops if tag in ("delete", "replace") for i in range(i1, i2)
    ]
    inserted = [
        j for tag, _, _, j1, j2 in ops if tag in ("insert", "replace") for j in range(j1, j2)
    ]
    free: dict[str, list[int]] = {}
    for j in inserted:
        free.setdefault(b[j], []).append(j)
    moved_a: set[int] = set()
    moved_b: set[int] = set()
    for i in deleted:
        js = free.get(a[i])
        if js:
            moved_a.add(i)
            moved_b.add(js.pop(0))
    segs: list[tuple[str, str]] = []

    def add(kind: str, text: str) -> None:
        if segs and segs[-1][0] == kind:
            segs[-1] = (kind, segs[-1][1] + text)
        else:
            segs.append((kind, text))

    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            for j in range(j1, j2):
                add("equal", b[j] + b_sp[j])
            continue
        olds = [i for i in range(i1, i2)]
        news = [j for j in range(j1, j2)]
        plain_old = [i for i in olds if i not in moved_a]
        plain_new = [j for j in news if j not in moved_b]
        both = bool(plain_old) and bool(plain_new)
        for i in olds:
            if i in moved_a:
                add("moved_from", a[i] + (a_sp[i] or " "))
            elif both:  # the new words that follow bring the spacing
                add("replaced_old", a[i] + (a_sp[i] if i != plain_old[-1] else ""))
            else:
                add("deleted", a[i] + (a_sp[i] or " "))
        for j in news:
            if j in moved_b:
                add("moved_to", b[j] + b_sp[j])
            else:
                add("replaced_new" if both else "inserted", b[j] + b_sp[j])
    return TextDiff(original, augmented, segs)


def text_diff_plain(original: str, augmented: str) -> str:
    """The diff as one line of text: ``[-deleted-]``, ``{+inserted+}``,
    ``[-old-]{+new+}`` for a replacement, ``[~word~]`` … ``{~word~}`` for a moved word.

    Example
    -------
    >>> text_diff_plain("not a good film", "not a great film")
    'not a [-good-]{+great+} film'
    """
    return text_diff(original, augmented).plain()
