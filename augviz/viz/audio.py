"""Spectrogram pictures: matplotlib plots for notebooks and a fast numpy renderer for widgets.

``spectrogram`` / ``compare_spectrograms`` draw log-mel spectrograms (shared colour
scale, waveform overlay) with matplotlib, imported lazily; they return what they drew and
never call ``plt.show()``. ``spectrogram_image`` / ``render_spectrogram_png`` make a
colour-mapped uint8 picture with numpy and a built-in colormap (no matplotlib) for the
widgets' fast path.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from augviz.audio import Audio
from augviz.audio.features import log_mel
from augviz.core import InputError

__all__ = [
    "CompareArtists",
    "SpectrogramArtists",
    "audio_players",
    "compare_spectrograms",
    "render_spectrogram_png",
    "shared_db_range",
    "spectrogram",
    "spectrogram_image",
    "spectrogram_images",
]

# magma, sampled at 9 points (0, 1/8, …, 1); interpolated to a 256-entry LUT
_MAGMA = np.array([
    (0, 0, 4), (28, 16, 68), (79, 18, 123), (129, 37, 129), (181, 54, 122),
    (229, 80, 100), (251, 135, 97), (254, 194, 135), (252, 253, 191),
], np.float64)


@lru_cache(maxsize=1)
def _lut() -> np.ndarray:
    pos = np.linspace(0.0, 1.0, len(_MAGMA))
    x = np.linspace(0.0, 1.0, 256)
    lut = np.stack([np.interp(x, pos, _MAGMA[:, c]) for c in range(3)], axis=1)
    out = np.rint(lut).astype(np.uint8)
    out.setflags(write=False)
    return out


def _db(x: Any, n_mels: int) -> np.ndarray:
    """Log-mel dB (absolute: 0 dB = full-scale power) of Audio, or a given 2-D array."""
    if isinstance(x, Audio):
        return log_mel(x, n_mels=n_mels, ref=1.0, top_db=None)
    if isinstance(x, np.ndarray) and x.ndim == 2 and x.size and np.issubdtype(x.dtype, np.floating):
        return np.asarray(x, np.float32)
    raise InputError(
        f"spectrogram pictures take Audio or a 2-D float array (freq × time); got "
        f"{type(x).__name__}{getattr(x, 'shape', '')}"
    )


def shared_db_range(items: Sequence[Any], *, n_mels: int = 64, top_db: float = 80.0
                    ) -> tuple[float, float]:
    """``(vmin, vmax)`` covering all ``items`` (Audio or 2-D arrays): one colour scale.

    ``vmax`` is the loudest bin over all items and ``vmin = vmax - top_db`` (for Audio).
    """
    return _range(items, [_db(x, n_mels) for x in items], top_db)


def _range(items: Sequence[Any], dbs: Sequence[np.ndarray], top_db: float) -> tuple[float, float]:
    vmax = max(float(d.max()) for d in dbs)
    if all(isinstance(x, Audio) for x in items):
        return vmax - top_db, vmax
    return min(float(d.min()) for d in dbs), vmax


def _resize_nearest(a: np.ndarray, h: int, w: int) -> np.ndarray:
    rows = np.minimum((np.arange(h) * a.shape[0]) // h, a.shape[0] - 1)
    cols = np.minimum((np.arange(w) * a.shape[1]) // w, a.shape[1] - 1)
    return a[rows[:, None], cols[None, :]]


def _wave_strip(samples: np.ndarray, h: int, w: int) -> np.ndarray:
    """A boolean ``(h, w)`` min/max envelope picture of a mono signal."""
    n = samples.shape[-1]
    edges = np.linspace(0, n, w + 1).astype(np.int64)
    edges[1:] = np.maximum(edges[1:], edges[:-1] + 1)
    edges = np.minimum(edges, n)
    starts = np.minimum(edges[:-1], n - 1)
    lo = np.minimum.reduceat(samples, starts)
    hi = np.maximum.reduceat(samples, starts)
    peak = max(float(np.abs(samples).max()), 1e-6)
    rows = (np.arange(h)[::-1] + 0.5) / h * 2.0 - 1.0  # +1 at the top
    top = np.maximum(hi / peak, lo / peak + 2.0 / h)
    return (rows[:, None] <= top[None, :]) & (rows[:, None] >= (lo / peak)[None, :] - 1.0 / h)


def spectrogram_image(x: Any, *, width: int = 320, height: int = 128, n_mels: int = 64,
                      vmin: float | None = None, vmax: float | None = None,
                      top_db: float = 80.0, waveform: bool = True) -> np.ndarray:
    """A colour-mapped log-mel spectrogram as an ``(H, W, 3)`` uint8 array (numpy only).

    Low frequencies at the bottom. With ``waveform`` (Audio only) a min/max envelope
    strip of ``height // 4`` pixels is added on top, so ``H = height + height // 4``.
    Pass the same ``vmin``/``vmax`` (see :func:`shared_db_range`) to compare pictures.

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 3), 16000)
    >>> spectrogram_image(a, width=200, height=80).shape
    (100, 200, 3)
    """
    _check_size(width, height)
    db = _db(x, n_mels)
    hi = float(db.max()) if vmax is None else float(vmax)
    lo = (hi - top_db if isinstance(x, Audio) else float(db.min())) if vmin is None else float(vmin)
    return _picture(x, db, lo, hi, width, height, waveform)


def spectrogram_images(items: Sequence[Any], *, width: int = 320, height: int = 128,
                       n_mels: int = 64, top_db: float = 80.0, waveform: bool = True
                       ) -> list[np.ndarray]:
    """:func:`spectrogram_image` of every item on one shared colour scale (each log-mel
    is computed once — what a widget refresh wants).

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.sin(np.arange(8000, dtype=np.float32) / 3), 16000)
    >>> [p.shape for p in spectrogram_images([a, a], width=64, height=32)]
    [(40, 64, 3), (40, 64, 3)]
    """
    _check_size(width, height)
    dbs = [_db(x, n_mels) for x in items]
    lo, hi = _range(items, dbs, top_db)
    return [_picture(x, db, lo, hi, width, height, waveform) for x, db in zip(items, dbs, strict=True)]


def _check_size(width: Any, height: Any) -> None:
    if not (isinstance(width, int) and isinstance(height, int) and 8 <= width <= 4096
            and 8 <= height <= 4096):
        raise InputError(f"width={width!r}, height={height!r}: allowed ints in [8, 4096]")


def _picture(x: Any, db: np.ndarray, lo: float, hi: float, width: int, height: int,
             waveform: bool) -> np.ndarray:
    scale = 255.0 / max(hi - lo, 1e-6)
    idx = np.clip((db[::-1] - lo) * scale, 0, 255).astype(np.uint8)
    img = _lut()[_resize_nearest(idx, height, width)]
    if waveform and isinstance(x, Audio):
        strip_h = max(4, height // 4)
        strip = np.full((strip_h, width, 3), 18, np.uint8)
        mask = _wave_strip(x.to_mono().samples, strip_h, width)
        strip[mask] = (120, 200, 255)
        img = np.concatenate([strip, img], axis=0)
    return img


def render_spectrogram_png(x: Any, *, format: str = "png", **options: Any) -> bytes:
    """:func:`spectrogram_image` encoded as PNG (fast, compress level 1) or JPEG bytes.

    For ``ipywidgets.Image(value=...)``; ``options`` go to :func:`spectrogram_image`.

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 3), 16000)
    >>> render_spectrogram_png(a)[1:4]
    b'PNG'
    """
    import io

    from PIL import Image

    fmt = format.lower()
    if fmt not in ("png", "jpeg", "jpg"):
        raise InputError(f"format={format!r} is not allowed; allowed: 'png', 'jpeg'")
    buf = io.BytesIO()
    pic = Image.fromarray(spectrogram_image(x, **options))
    if fmt == "png":
        pic.save(buf, format="PNG", compress_level=1)
    else:
        pic.save(buf, format="JPEG", quality=88)
    return buf.getvalue()


class SpectrogramArtists(NamedTuple):
    """What :func:`spectrogram` drew."""

    ax: Any
    image: Any
    waveform: Any


class CompareArtists(NamedTuple):
    """What :func:`compare_spectrograms` drew (and the players, if any were shown)."""

    figure: Any
    axes: Any
    images: list[Any]
    waveforms: list[Any]
    colorbar: Any
    players: list[Any]


def _draw(ax: Any, x: Any, n_mels: int, vmin: float, vmax: float, waveform: bool,
          title: str | None) -> SpectrogramArtists:
    db = _db(x, n_mels)
    duration = x.duration if isinstance(x, Audio) else db.shape[1]
    image = ax.imshow(db, origin="lower", aspect="auto", cmap="magma", vmin=vmin, vmax=vmax,
                      extent=(0.0, duration, 0, db.shape[0]), interpolation="nearest")
    ax.set_ylabel("mel band")
    ax.set_xlabel("time (s)" if isinstance(x, Audio) else "frame")
    line = None
    if waveform and isinstance(x, Audio):
        y = x.to_mono().samples
        step = max(1, len(y) // 4000)  # enough points for a line; fast to draw
        t = np.arange(0, len(y), step) / x.sample_rate
        peak = max(float(np.abs(y).max()), 1e-6)
        # overlay in the top fifth of the axes, in data units of the mel axis
        mid, span = db.shape[0] * 0.88, db.shape[0] * 0.1
        (line,) = ax.plot(t, mid + span * y[::step] / peak, color="#7cc8ff", lw=0.6, alpha=0.9)
    if title:
        ax.set_title(title)
    return SpectrogramArtists(ax, image, line)


def spectrogram(audio: Any, ax: Any = None, *, n_mels: int = 64, vmin: float | None = None,
                vmax: float | None = None, top_db: float = 80.0, waveform: bool = True,
                title: str | None = None) -> SpectrogramArtists:
    """Plot a log-mel spectrogram (dB re full scale) with the waveform overlaid.

    Parameters
    ----------
    audio : Audio or 2-D array
        A clip, or a spectrogram (freq × time) already computed.
    ax : matplotlib Axes, optional
        Where to draw (a new figure if omitted).
    n_mels, vmin, vmax, top_db, waveform, title
        Mel bands; colour range (default: the clip's max and ``max - top_db``); overlay.

    Returns
    -------
    SpectrogramArtists
        ``(ax, image, waveform)``.

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.sin(np.arange(16000, dtype=np.float32) / 3), 16000)
    >>> art = spectrogram(a)                      # doctest: +SKIP
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 2.6))
    if vmin is None or vmax is None:
        lo, hi = shared_db_range([audio], n_mels=n_mels, top_db=top_db)
        vmin = lo if vmin is None else vmin
        vmax = hi if vmax is None else vmax
    return _draw(ax, audio, n_mels, vmin, vmax, waveform, title)


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def audio_players(items: Sequence[Audio], labels: Sequence[str] | None = None) -> list[Any]:
    """IPython audio players (one per clip), labelled; display them in a notebook.

    Example
    -------
    >>> import numpy as np
    >>> players = audio_players([Audio(np.zeros(800, np.float32), 8000)])
    >>> len(players)
    1
    """
    from IPython.display import Audio as IPyAudio

    players = []
    for i, a in enumerate(items):
        if not isinstance(a, Audio):
            raise InputError(f"audio_players takes Audio items; item {i} is {type(a).__name__}")
        peak = float(np.abs(a.samples).max())
        p = IPyAudio(a.samples, rate=a.sample_rate, normalize=peak > 1.0)
        p.label = labels[i] if labels else f"clip {i}"
        players.append(p)
    return players


def compare_spectrograms(before: Any, after: Any, ax: Any = None, *, n_mels: int = 64,
                         top_db: float = 80.0, waveform: bool = True,
                         titles: tuple[str, str] = ("before", "after"),
                         play: bool | None = None) -> CompareArtists:
    """Before/after log-mel spectrograms on one colour scale, waveforms overlaid.

    Parameters
    ----------
    before, after : Audio or 2-D array
        The clips (or spectrograms) to compare.
    ax : sequence of two Axes, optional
        Where to draw (a new 2-row figure if omitted).
    play : bool, optional
        Show an audio player for each clip (default: when running in a notebook kernel).

    Returns
    -------
    CompareArtists
        figure, axes, images, waveforms, colorbar, players.

    Example
    -------
    >>> from augviz.audio import GaussianSNR
    >>> out = compare_spectrograms(clip, GaussianSNR(snr_db=5)(clip, rng=0))  # doctest: +SKIP
    """
    if ax is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(2, 1, figsize=(7, 5), sharex=isinstance(before, Audio)
                                 and isinstance(after, Audio) and before.duration == after.duration,
                                 constrained_layout=True)
    else:
        axes = list(ax)
        if len(axes) != 2:
            raise InputError(f"ax must hold two Axes (before, after); got {len(axes)}")
        fig = axes[0].figure
    vmin, vmax = shared_db_range([before, after], n_mels=n_mels, top_db=top_db)
    drawn = [_draw(a, x, n_mels, vmin, vmax, waveform, t)
             for a, x, t in zip(axes, (before, after), titles, strict=False)]
    unit = "dB" if isinstance(before, Audio) else "value"
    cbar = fig.colorbar(drawn[0].image, ax=list(axes), label=unit, shrink=0.9)
    players: list[Any] = []
    if play is None:
        play = _in_notebook()
    clips = [x for x in (before, after) if isinstance(x, Audio)]
    if play and clips:
        from IPython.display import HTML, display

        players = audio_players(clips, list(titles)[: len(clips)])
        for p in players:
            display(HTML(f"<b>{p.label}</b>"), p)
    return CompareArtists(fig, axes, [d.image for d in drawn], [d.waveform for d in drawn],
                          cbar, players)
