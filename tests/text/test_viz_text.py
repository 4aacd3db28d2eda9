from __future__ import annotations

import pytest

import augviz
from augviz.text import RandomSwap
from augviz.viz import text_diff, text_diff_plain


def test_kinds():
    assert text_diff_plain("a good film", "a good film") == "a good film"
    assert (
        text_diff_plain("this is not a good film", "this is a good film")
        == "this is [-not-] a good film"
    )
    assert text_diff_plain("a good film", "a really good film") == "a {+really+} good film"
    assert text_diff_plain("not a good film", "not a great film") == "not a [-good-]{+great+} film"


def test_moved_words_are_detected():
    d = text_diff("one two three four", "four two three one")
    assert d.counts["moved"] >= 1
    assert "{~" in d.plain()
    assert "[~" in d.plain()
    orig = "the acting was wonderful and the plot was clever"
    out = RandomSwap(alpha=0.2)(orig, rng=1)
    assert out != orig
    c = text_diff(orig, out).counts
    assert c["moved"] >= 1
    assert c["inserted"] == 0
    assert c["deleted"] == 0


def test_html_has_colours_legend_and_escapes():
    d = text_diff("<b>good</b> film", "<b>great</b> film & more")
    html = d._repr_html_()
    assert "<b>good" not in html
    assert "&lt;b&gt;" in html
    assert "replaced (new)" in html
    assert "inserted" in html
    assert "background:" in html
    assert "no change" in text_diff("same", "same")._repr_html_()


def test_unicode_empty_and_long():
    assert text_diff_plain("", "") == ""
    assert text_diff_plain("", "hi") == "{+hi+}"
    assert text_diff_plain("café 😋", "café 👍") == "café [-😋-]{+👍+}"
    long = "word " * 3000
    assert text_diff_plain(long, long) == long.strip()


def test_non_str_is_an_input_error():
    with pytest.raises(augviz.InputError, match="augmented is a int"):
        text_diff("a", 3)
