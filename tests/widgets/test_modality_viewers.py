"""The Explorer and the Builder show audio as spectrograms with players, text as diffs."""

from __future__ import annotations

import ipywidgets as W
import numpy as np

import augviz
from augviz.audio import Audio, GaussianSNR, PitchShift
from augviz.modalities import detect_modality as guess_modality
from augviz.text import load_reviews
from augviz.widgets.audio_viewer import wav_bytes


def tone(f: float = 440.0, sr: int = 16000) -> Audio:
    t = np.arange(sr // 2, dtype=np.float32) / sr
    return Audio((0.3 * np.sin(2 * np.pi * f * t)).astype(np.float32), sr)


def test_audio_explorer_shows_spectrograms_and_players():
    ex = augviz.explore(augviz.Recipe([GaussianSNR(snr_db=(0, 5))]), [tone(), tone(660)], n_variants=2)
    assert ex.error is None
    players = [w for w in _walk(ex) if isinstance(w, W.Audio)]
    assert len(players) == 6  # every sample: its original + two variants
    assert players[0].value[:4] == b"RIFF"
    assert players[3].value == wav_bytes(tone(660))  # the second row starts with its original
    texts = [w.value for w in _walk(ex) if isinstance(w, W.HTML)]
    assert any("sample 1" in t for t in texts) and any("sample 2" in t for t in texts)
    assert sum("original" in t for t in texts) == 2 and sum("snr_db" in t for t in texts) == 4
    pictures = [w for w in _walk(ex) if isinstance(w, W.Image) and w.value[:2] == b"\xff\xd8"]
    assert pictures
    before = pictures[0].value
    ex.set(snr_db=(-10, -5))  # much more noise: the spectrograms change
    after = next(w for w in _walk(ex) if isinstance(w, W.Image) and w.value[:2] == b"\xff\xd8").value
    assert after != before


def test_wav_bytes_round_trip():
    import io
    import wave

    data = wav_bytes(tone())
    with wave.open(io.BytesIO(data)) as w:
        assert w.getframerate() == 16000 and w.getnframes() == 8000 and w.getsampwidth() == 2


def test_text_explorer_shows_word_diffs():
    texts = list(load_reviews().texts[:2])
    ex = augviz.explore("text.random_swap", texts, n_variants=2)
    assert ex.error is None
    html = "".join(w.value for w in _walk(ex) if isinstance(w, W.HTML))
    assert "augviz-text-diff" in html and texts[0].split()[0] in html


def test_builder_guesses_the_modality_from_the_data():
    assert guess_modality([tone()]) == "audio"
    assert guess_modality(["a b c"]) == "text"
    assert guess_modality(np.zeros((2, 8, 8), np.uint8)) == "image"
    b = augviz.RecipeBuilder([tone()])
    b.add("audio.gain")
    assert b.recipe.modality == "audio" and b.error is None
    b.add("audio.pitch_shift")
    assert isinstance(b.recipe[1], PitchShift)


def _walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _walk(child)
