"""Spectrogram pictures: the numpy renderer and the matplotlib plots."""

from __future__ import annotations

import numpy as np
import pytest

import augviz
from augviz.audio import Audio, GaussianSNR
from augviz.viz.audio import (
    compare_spectrograms,
    render_spectrogram_png,
    shared_db_range,
    spectrogram,
    spectrogram_image,
)

from .conftest import tone


@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_numpy_renderer_shapes_scale_and_bytes():
    a = tone(1000.0, 16000, 0.5)
    img = spectrogram_image(a, width=200, height=64)
    assert img.shape == (80, 200, 3)
    assert img.dtype == np.uint8
    assert spectrogram_image(a, width=200, height=64, waveform=False).shape == (64, 200, 3)
    # a 1 kHz tone: the brightest row of the spectrogram part sits at its mel band
    body = spectrogram_image(a, width=50, height=64, waveform=False).sum(axis=(1, 2))
    assert 20 < int(np.argmax(body)) < 50
    png = render_spectrogram_png(a)
    assert png[1:4] == b"PNG"
    assert render_spectrogram_png(a, format="jpeg")[:2] == b"\xff\xd8"
    spec = np.random.default_rng(0).random((40, 60), dtype=np.float32)
    assert spectrogram_image(spec, width=60, height=40).shape == (40, 60, 3)
    with pytest.raises(augviz.InputError, match="2-D float"):
        spectrogram_image("nope")


def test_shared_scale_covers_both():
    a = tone()
    loud = Audio(a.samples * 4, a.sample_rate)
    lo, hi = shared_db_range([a, loud])
    assert hi == pytest.approx(shared_db_range([loud])[1])
    assert hi - lo == pytest.approx(80.0)


def test_matplotlib_plots_return_what_they_drew(plt):
    a = tone()
    art = spectrogram(a, title="tone")
    assert art.image is not None
    assert art.waveform is not None
    noisy = GaussianSNR(snr_db=5)(a, rng=0)
    cmp = compare_spectrograms(a, noisy, play=False)
    assert len(cmp.axes) == 2
    assert cmp.players == []
    assert cmp.images[0].get_clim() == cmp.images[1].get_clim()
    _fig, axes = plt.subplots(2, 1)
    cmp = compare_spectrograms(a, noisy, ax=axes, play=True)
    assert len(cmp.players) == 2
    with pytest.raises(augviz.InputError, match="two Axes"):
        compare_spectrograms(a, noisy, ax=[axes[0]])
