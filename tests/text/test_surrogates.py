"""Text with lone surrogates cannot be stored or translated: every text transform says so."""

from __future__ import annotations

import pytest

from augviz.core import InputError, registry
from augviz.text import BackTranslate

TEXT_IDS = [cls.id for cls in registry.catalogue("text")]


@pytest.mark.parametrize("tid", TEXT_IDS)
@pytest.mark.parametrize(("text", "where"), [("a\ud800b is good", "U+D800 at position 1"),
                                             ("good movie \ud83d", "U+D83D at position 11")])
def test_lone_surrogates_are_refused_with_their_position(tid, text, where):
    with pytest.raises(InputError) as info:
        registry.get(tid)()(text, rng=0)
    assert f"{tid}: the text contains a lone surrogate {where}" in str(info.value)


def test_back_translate_refuses_a_lone_surrogate_before_translating(fake_translator):
    with pytest.raises(InputError, match=r"text\.back_translate: the text contains a lone surrogate U\+DC00"):
        BackTranslate()("\udc00 nice", rng=0)
    assert fake_translator == []  # nothing reached the translator
    assert BackTranslate()("a café 🎛 is nice", rng=0) == "a café 🎛 is nice"
    assert len(fake_translator) == 2
