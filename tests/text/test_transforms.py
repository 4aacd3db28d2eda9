from __future__ import annotations

import json
import socket
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import augviz
from augviz.text import (
    NEGATIONS,
    CaseNoise,
    KeyboardTypos,
    OcrNoise,
    PunctuationNoise,
    RandomChar,
    RandomDeletion,
    RandomInsertion,
    RandomSwap,
    SynonymReplacement,
    detokenize,
    eda_params,
    eda_recipe,
    tokenize,
)
from augviz.text.base import Words, is_word

WORD_OPS = [
    SynonymReplacement,
    RandomInsertion,
    RandomSwap,
    RandomDeletion,
    KeyboardTypos,
    OcrNoise,
    RandomChar,
    CaseNoise,
]
ALL_OPS = [*WORD_OPS, PunctuationNoise]
IDS = [c.id for c in ALL_OPS]
SENTENCE = "The 2 leads were not good, but I never felt bored during the 120 minutes!"


def strong(cls):
    name = "alpha" if "alpha" in cls.param_specs() else "rate"
    high = cls.param_specs()[name].high
    return cls(**{name: high})


def test_network_is_blocked_in_text_tests():
    with pytest.raises(RuntimeError, match="network access attempted"):
        socket.create_connection(("example.org", 80))


@pytest.mark.parametrize("cls", ALL_OPS, ids=IDS)
def test_deterministic_for_a_seed_and_changes_text(cls):
    t = strong(cls)
    outs = {t(SENTENCE, rng=s) for s in range(8)}
    assert t(SENTENCE, rng=3) == t(SENTENCE, rng=3)
    assert len(outs) > 1, "different seeds should give different outputs"
    values = t.sample(0, SENTENCE)
    assert t.replay(SENTENCE, values) == t.apply(SENTENCE, **values)


@pytest.mark.parametrize("cls", ALL_OPS, ids=IDS)
@pytest.mark.parametrize("text", ["", " ", "\n\t", "!!!", "😀", "ok", "Ünïcödé 東京 café 👍🏽"])
def test_edge_inputs(cls, text):
    out = strong(cls)(text, rng=1)
    assert isinstance(out, str)
    if not any(is_word(t) for t in tokenize(text)):
        assert out == text or cls is PunctuationNoise


@pytest.mark.parametrize("cls", ALL_OPS, ids=IDS)
def test_emoji_and_unicode_survive(cls):
    text = "Le café était délicieux 😋👍🏽 and the crème brûlée too"
    out = strong(cls)(text, rng=4)
    for emoji in ("😋", "👍🏽"):
        assert emoji in out


def traced_lines(fn) -> int:
    """How many Python lines ``fn()`` runs: a measure of work that machine load does not
    change (the time a call takes is measured in benchmarks/text_throughput.py)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("cls", ALL_OPS, ids=IDS)
def test_very_long_string_is_augmented_throughout_with_linear_work(cls):
    t = strong(cls)
    short, text = " ".join([SENTENCE] * 100), " ".join([SENTENCE] * 400)  # ~1,600 and ~6,400 words
    out = t(text, rng=0)
    t(short, rng=0)
    quarter = len(text) // 4
    assert out[:quarter] != text[:quarter] and out[-quarter:] != text[-quarter:], "edits reach both ends"
    assert abs(len(out) - len(text)) < len(text)
    if "keep_numbers" in cls.param_specs():
        kept = tokenize(out)
        for word in ("2", "120", "not", "never"):
            assert kept.count(word) >= 400, word
    # four times the words, about four times the work (not sixteen)
    assert traced_lines(lambda: t(text, rng=0)) <= 4.4 * traced_lines(lambda: t(short, rng=0))


@pytest.mark.parametrize("cls", ALL_OPS, ids=IDS)
@pytest.mark.parametrize("bad", [b"bytes", 3, None, ["a list"], np.array(["x"])])
def test_non_str_input_is_an_input_error(cls, bad):
    with pytest.raises(augviz.InputError, match=type(bad).__name__):
        cls()(bad)


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_tokenize_round_trips(text):
    assert detokenize(tokenize(text)) == text


_WORDS = [
    "the",
    "movie",
    "film",
    "was",
    "good",
    "great",
    "boring",
    "acting",
    "plot",
    "really",
    "terrible",
    "battery",
    "phone",
    "loved",
    "story",
    "cheap",
    "camera",
]
_PROTECTED = ["not", "never", "no", "don't", "isn't", "cannot", "without", "3", "2024", "4.5"]


@st.composite
def sentences(draw):
    words = draw(st.lists(st.sampled_from(_WORDS + _PROTECTED), min_size=1, max_size=25))
    seps = draw(
        st.lists(
            st.sampled_from([" ", " ", ", ", "! ", "  "]), min_size=len(words), max_size=len(words)
        )
    )
    return "".join(w + s for w, s in zip(words, seps, strict=False)).strip()


def _protected(text):
    return [t.lower() for t in tokenize(text) if t.lower() in _PROTECTED]


@pytest.mark.parametrize("cls", WORD_OPS, ids=[c.id for c in WORD_OPS])
@given(text=sentences(), seed=st.integers(0, 2**31 - 2))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_protected_tokens_are_never_touched(cls, text, seed):
    t = strong(cls)
    out = t.apply(text, **{**t.sample(seed, text), "seed": seed})
    before, after = _protected(text), _protected(out)
    if cls in (
        RandomSwap,
        RandomDeletion,
        KeyboardTypos,
        OcrNoise,
        RandomChar,
        CaseNoise,
        SynonymReplacement,
    ):
        assert before == after, f"{cls.id}: {text!r} -> {out!r}"
    else:  # insertion adds words but never removes or reorders protected ones
        assert before == after


def test_protection_can_be_switched_off_and_extended():
    text = "I would not buy this again"
    off = RandomDeletion(alpha=0.5, keep_negations=False)
    assert any("not" not in off(text, rng=s).split() for s in range(20))
    keep = RandomDeletion(alpha=0.5, protect="buy, AGAIN")
    for s in range(20):
        out = keep(text, rng=s).split()
        assert {"not", "buy", "again"} <= set(out)
    assert keep.params["protect"] == "buy,again"


def test_numbers_switch_and_apply_without_protect_values():
    text = "room 101 was 20 dollars"
    on = OcrNoise(rate=1.0)
    off = OcrNoise(rate=1.0, keep_numbers=False)
    for s in range(10):
        assert {"101", "20"} <= set(on(text, rng=s).split())
    assert any({"101", "20"} - set(off(text, rng=s).split()) for s in range(10))
    # values left out of an apply call take the specs' defaults: negations stay protected
    for seed in range(20):
        assert "not" in RandomDeletion().apply("I would not buy it again", alpha=0.5, seed=seed).split()


def test_protect_param_validation_and_json():
    with pytest.raises(augviz.ParamError, match="protect"):
        RandomSwap(protect="two words")
    with pytest.raises(augviz.ParamError, match="protect"):
        RandomSwap(protect=3)
    assert RandomSwap(protect=["Refund", "refund", " broken "]).params["protect"] == "refund,broken"
    recipe = augviz.Recipe([RandomSwap(protect="refund")], seed=0)
    again = augviz.Recipe.from_json(recipe.to_json())
    assert again == recipe
    assert json.loads(recipe.to_json())["steps"][0]["params"]["protect"] == "refund"
    spec = RandomSwap.param_specs()["protect"]
    assert isinstance(spec, Words)
    assert spec.kind == "text"  # a UI shows a text box


def test_negation_list_covers_contractions():
    from augviz.text.base import Protect

    p = Protect()
    for w in ["not", "No", "never", "n't", "don't", "Isn’t", "cannot", "without", "nor"]:
        assert p(w), w
    assert p("42")
    assert p("3rd")
    assert not p("good")
    assert "not" in NEGATIONS


def test_alpha_count_follows_eda():
    from augviz.text.functional import count_for

    assert count_for(0.1, 20) == 2
    assert count_for(0.05, 10) == 1
    assert count_for(0.0, 10) == 0


def test_random_deletion_count_is_binomial_as_in_eda():
    from scipy.stats import binom, chisquare

    from augviz.text.base import Protect
    from augviz.text.functional import random_deletion

    words = [f"w{chr(97 + i)}" for i in range(21)]
    text = " ".join([*words, "not"])  # 21 eligible words and a protected negation
    p, trials = 0.1, 4000
    counts = np.bincount(
        [22 - len(random_deletion(text, alpha=p, protect=Protect(), seed=s).split()) for s in range(trials)],
        minlength=22,
    )
    # no deletion at all ~11 % of the time (0.9 ** 21), as the paper's rule implies
    assert counts[0] / trials == pytest.approx(binom.pmf(0, 21, p), abs=0.02)
    expected = binom.pmf(np.arange(7), 21, p) * trials
    observed = counts[:7].astype(float)
    expected[-1] += trials - expected.sum()  # lump the tail
    observed[-1] += trials - observed.sum()
    assert chisquare(observed, expected).pvalue > 0.001
    for s in range(200):  # the protected word stays; never every word goes
        out = random_deletion("alpha beta not", alpha=0.5, protect=Protect(), seed=s).split()
        assert "not" in out
        assert random_deletion("alpha beta", alpha=0.5, protect=Protect(), seed=s).split()


def test_synonyms_come_from_the_lexicon():
    from augviz.text.lexicon import _entry, lemmatize

    text = "The movie had a terrible plot and boring actors"
    t = SynonymReplacement(alpha=0.5)
    for seed in range(10):
        out = t(text, rng=seed)
        for a, b in zip(text.split(), out.split(), strict=False):
            if a != b:
                lemma, _ = lemmatize(a)
                pool = {s for syns in _entry(lemma).values() for s in syns}
                assert lemmatize(b)[0] in pool or b.rstrip("s") in pool, (a, b)


def test_stop_words_are_never_replaced():
    text = "the and of to in it is was"
    assert SynonymReplacement(alpha=0.5)(text, rng=0) == text


def test_lexicon_is_read_once_from_the_bundled_file():
    # its load time (~0.05 s idle) is measured in benchmarks/text_throughput.py
    from augviz.text import lexicon as L

    assert L._table() is L._table()
    assert L.lexicon_info()["lemmas"] > 40_000


def test_eda_presets_follow_the_paper():
    assert eda_params(500) == {"alpha": 0.05, "n_aug": 16}
    assert eda_params(2000) == {"alpha": 0.05, "n_aug": 8}
    assert eda_params(5000) == {"alpha": 0.1, "n_aug": 4}
    assert eda_params(100_000) == {"alpha": 0.1, "n_aug": 4}
    with pytest.raises(augviz.InputError):
        eda_params(0)
    r = eda_recipe(n_train=10_000, seed=0)
    assert r.modality == "text"
    assert r.meta["eda"]["alpha"] == 0.1
    assert augviz.Recipe.from_json(r.to_json()) == r
    outs = r.batch(["not good at all, 3 stars"] * 20, rng=0)
    assert all("not" in o and "3" in o for o in outs)
