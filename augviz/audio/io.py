"""WAV files in and out (soundfile), resampling, and user WAV folders."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError, Int
from augviz.core.files import atomic_write

from . import functional as F
from ._audio import Audio, check_audio, check_rate

__all__ = ["AUDIO_SUFFIXES", "EXTENSIONS", "load_wav", "load_wav_folder", "read", "resample", "save_wav",
           "write"]

#: file endings read as audio (case-insensitive)
EXTENSIONS = (".wav", ".flac", ".ogg")
AUDIO_SUFFIXES = EXTENSIONS
_MAX_PER_CLASS = Int("max_per_class", 1, 10**9, 1000, doc="Files kept per class (sorted by name).")


def _soundfile() -> Any:
    try:
        import soundfile
    except ImportError as exc:  # pragma: no cover - soundfile is in the audio extra
        raise InputError("reading and writing audio files needs soundfile: "
                         "pip install 'augviz[audio]'") from exc
    return soundfile


def _check_path(path: Any, what: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"{what}: path {path!r} is not allowed; allowed: a file path (str or pathlib.Path)")
    return Path(path)


def resample(audio: Audio, sample_rate: int) -> Audio:
    """The same sound at another sample rate (polyphase, anti-aliased).

    Example
    -------
    >>> import numpy as np
    >>> a = Audio(np.zeros(22050, np.float32), 22050)
    >>> resample(a, 16000).num_samples
    16000
    """
    a = check_audio(audio, what="resample")
    sr = check_rate(sample_rate)
    if sr == a.sample_rate:
        return a
    return Audio._wrap(F.resample(a.samples, a.sample_rate, sr), sr)


def load_wav(path: str | os.PathLike[str], *, sample_rate: int | None = None,
             mono: bool = False) -> Audio:
    """Read a WAV (or FLAC/OGG) file as float32 :class:`Audio`.

    Parameters
    ----------
    path : str or Path
        The file.
    sample_rate : int, optional
        Resample to this rate (default: keep the file's).
    mono : bool
        Average the channels.

    Example
    -------
    >>> a = load_wav("clip.wav", sample_rate=16000, mono=True)   # doctest: +SKIP
    """
    p = _check_path(path, "load_wav")
    if sample_rate is not None:
        sample_rate = check_rate(sample_rate, where="load_wav: sample_rate")
    if not p.is_file():
        raise InputError(f"audio file {str(p)!r} does not exist")
    sf = _soundfile()
    try:
        data, sr = sf.read(str(p), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises LibsndfileError / RuntimeError
        raise InputError(f"cannot read {str(p)!r} as audio: {exc}") from None
    if data.shape[0] == 0:
        raise InputError(f"audio file {str(p)!r} has no samples")
    samples = data.T  # soundfile gives (frames, channels)
    samples = samples.mean(axis=0) if mono or samples.shape[0] == 1 else samples
    audio = Audio(np.ascontiguousarray(samples, np.float32), sr)
    return resample(audio, sample_rate) if sample_rate is not None else audio


def save_wav(audio: Audio, path: str | os.PathLike[str], *, overwrite: bool = False,
             subtype: str = "PCM_16") -> Path:
    """Write ``audio`` as a WAV file (atomically, mode 0666 minus the umask; refuses to
    overwrite unless asked).

    Samples outside [-1, 1] are clipped by 16-bit PCM; use ``subtype="FLOAT"`` to keep
    them.

    Example
    -------
    >>> save_wav(Audio(np.zeros(800, np.float32), 8000), "/tmp/x.wav")  # doctest: +SKIP
    """
    a = check_audio(audio, what="save_wav")
    p = _check_path(path, "save_wav")
    if p.suffix.lower() != ".wav":
        raise InputError(f"save_wav writes .wav files; got {p.name!r}")
    if p.exists() and not overwrite:
        raise InputError(f"{str(p)!r} exists; pass overwrite=True to replace it")
    sf = _soundfile()
    p.parent.mkdir(parents=True, exist_ok=True)
    data = a.samples if a.samples.ndim == 1 else a.samples.T
    # temp file + rename (a link at ``p`` is replaced, not written through); without
    # ``overwrite`` the final name is claimed atomically, so a file that appears
    # meanwhile is never replaced
    with atomic_write(p, overwrite=overwrite) as fh:
        sf.write(fh, data, a.sample_rate, subtype=subtype, format="WAV")
    return p


def load_wav_folder(root: str | os.PathLike[str], *, sample_rate: int | None = 16000,
                    mono: bool = True, max_per_class: int | None = None,
                    ) -> tuple[list[Audio], np.ndarray, list[str]]:
    """Load a folder of audio files with one sub-folder per class.

    Parameters
    ----------
    root : str or Path
        ``root/<class name>/*.wav`` (also .flac, .ogg).
    sample_rate : int or None
        Resample every file to this rate (``None`` keeps each file's rate).
    mono : bool
        Average channels.
    max_per_class : int, optional
        Keep at most this many files per class (sorted by name).

    Returns
    -------
    (audios, labels, class_names)
        ``labels[i]`` indexes ``class_names``.

    Example
    -------
    >>> audios, y, names = load_wav_folder("my_sounds/")   # doctest: +SKIP
    """
    base = _check_path(root, "load_wav_folder")
    if sample_rate is not None:
        check_rate(sample_rate, where="load_wav_folder: sample_rate")
    if max_per_class is not None:
        _MAX_PER_CLASS.check_argument(max_per_class, where="load_wav_folder")
    if not base.is_dir():
        raise InputError(f"audio folder {str(base)!r} does not exist or is not a folder")
    classes = sorted(d.name for d in base.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not classes:
        raise InputError(
            f"audio folder {str(base)!r} has no sub-folders; expected one sub-folder per class "
            "(e.g. root/dog/*.wav, root/cat/*.wav)"
        )
    audios: list[Audio] = []
    labels: list[int] = []
    empty: list[str] = []
    for k, name in enumerate(classes):
        files = sorted(f for f in (base / name).iterdir()
                       if f.is_file() and f.suffix.lower() in AUDIO_SUFFIXES)
        if max_per_class is not None:
            files = files[:max_per_class]
        if not files:
            empty.append(name)
        for f in files:
            audios.append(load_wav(f, sample_rate=sample_rate, mono=mono))
            labels.append(k)
    if not audios:
        raise InputError(
            f"no audio files ({', '.join(AUDIO_SUFFIXES)}) in the class folders of {str(base)!r}"
        )
    if empty:
        raise InputError(
            f"class folder(s) {', '.join(map(repr, empty))} in {str(base)!r} hold no audio files "
            f"({', '.join(AUDIO_SUFFIXES)}); remove them or add files"
        )
    return audios, np.asarray(labels, np.int64), classes


def read(path: str | os.PathLike[str]) -> Audio:
    """One audio file (what ``augviz apply`` reads): :func:`load_wav`."""
    return load_wav(path)


def write(item: Audio, path: str | os.PathLike[str]) -> None:
    """Write a WAV, replacing ``path`` (the caller decides about existing files)."""
    save_wav(item, path, overwrite=True)
