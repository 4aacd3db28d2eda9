"""The Explorer/Builder viewer for audio and spectrograms: a grid of log-mel pictures on
one shared colour scale, and a player for every clip, row by row."""

from __future__ import annotations

import html
import io
import wave
from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np

from .viewers import CAPTION_LINES, grid_rows

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
    """Spectrogram grid (one row per sample, original first) plus a labelled row of
    players for every sample (each player captioned like its tile)."""
    from augviz.audio import Audio
    from augviz.viz import encode_image, image_grid
    from augviz.viz.audio import spectrogram_images

    rows, caps = grid_rows(samples, outputs_with_traces, captions, labels, show_original)
    width = int(tile or 160)
    # one shared colour scale over every clip, each log-mel computed once
    # height + its waveform strip (a quarter more) fill the square tile
    flat = iter(spectrogram_images([a for row in rows for a in row], width=width, height=width * 4 // 5))
    pictures = [[next(flat) for _ in row] for row in rows]
    grid = encode_image(image_grid(pictures, caps, tile=width, pad=4, caption_lines=CAPTION_LINES),
                        "jpeg", quality=85)
    picture = W.Image(value=grid, format="jpeg", layout=W.Layout(max_width="100%", height="auto"))
    if not players or not all(isinstance(c, Audio) for row in rows for c in row):
        return picture
    # a labelled row of players per sample, in the order of the grid's rows
    lines = []
    for i, (row, cap) in enumerate(zip(rows, caps, strict=True)):
        name = f"sample {i + 1}" + ("" if labels is None else f" · label {labels[i]}")
        players_row = [
            W.VBox([W.HTML(f"<small>{html.escape(c or 'variant')}</small>",
                           layout=W.Layout(width="170px")),
                    W.Audio(value=wav_bytes(clip), format="wav", autoplay=False,
                            layout=W.Layout(width="170px"))])
            for clip, c in zip(row, cap, strict=True)
        ]
        lines.append(W.VBox([W.HTML(f"<b>{html.escape(name)}</b>"),
                             W.HBox(players_row, layout=W.Layout(flex_flow="row wrap"))]))
    return W.VBox([picture, *lines])
