"""The Explorer/Builder viewer for audio and spectrograms: a grid of log-mel pictures on
one shared colour scale, and a player for every clip."""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np

from .viewers import grid_rows

__all__ = ["audio_viewer", "wav_bytes"]


def wav_bytes(audio: Any) -> bytes:
    """16-bit PCM WAV bytes of an :class:`augviz.audio.Audio` (for ``widgets.Audio``)."""
    samples = np.asarray(audio.samples, np.float32)
    peak = float(np.abs(samples).max()) if samples.size else 0.0
    if peak > 1.0:  # play clipped signals at full scale rather than wrapping around
        samples = samples / peak
    frames = samples.T if samples.ndim == 2 else samples
    pcm = np.clip(np.rint(frames * 32767), -32768, 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1 if samples.ndim == 1 else samples.shape[0])
        w.setsampwidth(2)
        w.setframerate(int(audio.sample_rate))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def audio_viewer(
    samples: Sequence[Any],
    outputs_with_traces: Sequence[Sequence[tuple[Any, Any]]],
    *,
    captions: Sequence[Sequence[str]] | None = None,
    labels: Sequence[Any] | None = None,
    show_original: bool = True,
    tile: int | None = None,
    players: bool = True,
    **options: Any,
) -> Any:
    """Spectrogram grid (one row per sample, original first) plus players for row 0."""
    from augviz.audio import Audio
    from augviz.viz import encode_image, image_grid
    from augviz.viz.audio import spectrogram_images

    rows, caps = grid_rows(samples, outputs_with_traces, captions, labels, show_original)
    width = int(tile or 160)
    # one shared colour scale over every clip, each log-mel computed once
    # height + its waveform strip (a quarter more) fill the square tile
    flat = iter(spectrogram_images([a for row in rows for a in row], width=width, height=width * 4 // 5))
    pictures = [[next(flat) for _ in row] for row in rows]
    grid = encode_image(image_grid(pictures, caps, tile=width, pad=4), "jpeg", quality=85)
    picture = W.Image(value=grid, format="jpeg")
    clips = [samples[0], *(o for o, _ in outputs_with_traces[0])] if samples else []
    if not players or not all(isinstance(c, Audio) for c in clips):
        return picture
    names = ["original", *(f"variant {j + 1}" for j in range(len(clips) - 1))]
    boxes = [
        W.VBox(
            [
                W.Label(n),
                W.Audio(value=wav_bytes(c), format="wav", autoplay=False, layout=W.Layout(width="200px")),
            ]
        )
        for n, c in zip(names, clips, strict=False)
    ]
    return W.VBox([picture, W.HBox(boxes)])
