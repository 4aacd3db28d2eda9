"""Bad values for the bad-input matrix (``tests/test_bad_inputs.py``): per spec kind and
per modality, each with what the error message must hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from augviz.core.params import Bool, Choice, Float, Int, Range, Source, Text


def bad_values(spec: Any) -> list[tuple[Any, str]]:
    """``(value, what the message must hold)`` for one parameter spec."""
    if isinstance(spec, (Float, Int)):
        return [("x", "'x'"), (None, "None"), (float("nan"), "nan"), (float("inf"), "inf"),
                (10**400, "401 digits"), (spec.low - 1e6, "outside"), ([1, 2], "[1, 2]")]
    if isinstance(spec, Range):
        return [("x", "'x'"), (None, "None"), ([], "[]"), ([1, 2, 3], "3 items"),
                ([float("nan"), 1], "nan"), (10**400, "401 digits"), (spec.high + 1e6, "outside"),
                ([spec.high, spec.low], "low > high")]
    if isinstance(spec, Choice):
        return [("no-such-option", "'no-such-option'"), (None, "None"), ([], "[]")]
    if isinstance(spec, Bool):
        return [("yes", "'yes'"), (None, "None"), (2, "2")]
    if isinstance(spec, Text):
        return [(5, "5"), (None, "None"), ("a\ud800", "lone surrogate"),
                ("x" * (spec.max_length + 1), "too long")]
    if isinstance(spec, Source):
        return [(5, "5"), ("no-such-source", "'no-such-source'"),
                ("folder:/no/such/folder", "does not exist")]
    raise AssertionError(f"no bad values for a {type(spec).__name__} spec")  # a new spec kind: add some




def bad_inputs(modality: str) -> list[tuple[str, Callable[[], Any], str]]:
    """``(name, make the input, what the message must hold)`` for one modality."""
    from augviz.audio import Audio

    common = [("none", lambda: None, "NoneType"), ("int", lambda: 5, "int")]
    return common + {
        "image": [
            ("text", lambda: "photo.png", "str"),
            ("empty", lambda: np.zeros((0, 5), np.uint8), "empty"),
            ("batch-like", lambda: np.zeros((4, 4, 7), np.uint8), "(4, 4, 7)"),
            ("4-d", lambda: np.zeros((2, 4, 4, 3), np.uint8), "(2, 4, 4, 3)"),
            ("float64", lambda: np.zeros((4, 4)), "float64"),
            ("nan", lambda: np.full((4, 4), np.nan, np.float32), "nan"),
            ("over-one", lambda: np.full((4, 4), 2.0, np.float32), "[2, 2]"),
            ("int16", lambda: np.zeros((4, 4), np.int16), "int16"),
            ("audio", lambda: Audio(np.zeros(8, np.float32), 8000), "Audio"),
        ],
        "audio": [
            ("bare-array", lambda: np.zeros(8, np.float32), "sample rate"),
            ("text", lambda: "clip.wav", "str"),
            ("list", lambda: [0.1, 0.2], "list"),
        ],
        "spectrogram": [
            ("1-d", lambda: np.zeros(8, np.float32), "(8,)"),
            ("3-d", lambda: np.zeros((2, 3, 4), np.float32), "(2, 3, 4)"),
            ("empty", lambda: np.zeros((0, 4), np.float32), "(0, 4)"),
            ("nan", lambda: np.full((4, 4), np.nan, np.float32), "NaN"),
            ("text", lambda: "spec", "str"),
            ("audio", lambda: Audio(np.zeros(8, np.float32), 8000), "Audio"),
        ],
        "text": [
            ("bytes", lambda: b"good movie", "bytes"),
            ("list", lambda: ["good", "movie"], "list"),
            ("surrogate", lambda: "good \ud800 movie", "lone surrogate"),
            ("image", lambda: np.zeros((4, 4), np.uint8), "ndarray"),
        ],
    }[modality]
