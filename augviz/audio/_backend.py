"""Lazy librosa with a persistent numba cache, a background warm-up, and stretch engines.

librosa's phase vocoder and resampler are numba-compiled on first call (measured here:
19–58 s cold on a loaded 2-core machine, ~2 s with a warm cache). Nothing in augviz
imports librosa until a kernel needs it; :func:`warm_up` pays the compile in a thread
before a slider ever does.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = [
    "ENGINES",
    "has_signalsmith",
    "is_warm",
    "librosa",
    "numba_cache_dir",
    "resolve_engine",
    "warm_up",
    "warm_up_state",
]

#: Stretch / pitch engines. "auto" = signalsmith when python-stretch is installed.
ENGINES = ("auto", "signalsmith", "librosa")

_lock = threading.Lock()
_state: dict[str, Any] = {"state": "cold", "seconds": None, "error": None, "thread": None}


def numba_cache_dir() -> Path:
    """Where numba keeps compiled librosa kernels (``$NUMBA_CACHE_DIR`` if the user set it).

    Otherwise ``$XDG_CACHE_HOME/augviz/numba`` (``~/.cache/augviz/numba``).
    """
    env = os.environ.get("NUMBA_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "augviz" / "numba"


def _set_numba_cache() -> None:
    # numba reads the variable when it is first imported, so this must run before librosa
    if "NUMBA_CACHE_DIR" in os.environ:
        return
    path = numba_cache_dir()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home: numba falls back to its own default
        return
    os.environ["NUMBA_CACHE_DIR"] = str(path)


def librosa() -> ModuleType:
    """Import librosa (once), with numba's cache in the user cache dir."""
    import sys

    mod = sys.modules.get("librosa")
    if mod is not None:
        return mod
    _set_numba_cache()
    try:
        return importlib.import_module("librosa")
    except ImportError as exc:  # pragma: no cover - librosa is in the audio extra
        from augviz.core import AugvizError

        raise AugvizError(
            "this needs librosa: pip install 'augviz[audio]' (or pick engine='signalsmith' "
            "with python-stretch installed)"
        ) from exc


def has_signalsmith() -> bool:
    """Whether the python-stretch (signalsmith) engine is installed."""
    return importlib.util.find_spec("python_stretch") is not None


def resolve_engine(engine: str) -> str:
    """``"auto"`` → ``"signalsmith"`` if installed, else ``"librosa"``."""
    if engine == "auto":
        return "signalsmith" if has_signalsmith() else "librosa"
    if engine == "signalsmith" and not has_signalsmith():
        from augviz.core import AugvizError

        raise AugvizError(
            "engine='signalsmith' needs python-stretch: pip install python-stretch "
            "(or use engine='librosa')"
        )
    return engine


def _compile() -> None:
    import numpy as np

    lr = librosa()
    sr = 16000
    y = (0.1 * np.sin(2 * np.pi * 440 * np.arange(sr // 2) / sr)).astype(np.float32)
    lr.effects.time_stretch(y, rate=1.25, n_fft=512)
    lr.effects.pitch_shift(y, sr=sr, n_steps=2.0, n_fft=512)


def _run() -> None:
    t0 = time.perf_counter()
    try:
        _compile()
    except Exception as exc:  # reported through warm_up_state(), never raised in a thread
        with _lock:
            _state.update(state="failed", error=f"{type(exc).__name__}: {exc}")
        return
    with _lock:
        _state.update(state="warm", seconds=time.perf_counter() - t0)


def warm_up(background: bool = True) -> threading.Thread | None:
    """Import librosa and compile its numba kernels (stretch, pitch) ahead of use.

    Parameters
    ----------
    background : bool
        Compile in a daemon thread and return it at once (``None`` when already warm);
        with ``False`` block until done.

    Returns
    -------
    threading.Thread or None
        The warm-up thread (join it to wait), or ``None``.

    Example
    -------
    >>> from augviz.audio import warm_up, is_warm
    >>> t = warm_up()                     # doctest: +SKIP
    >>> is_warm()                         # doctest: +SKIP
    False
    """
    with _lock:
        if _state["state"] == "warm":
            return None
        thread = _state["thread"]
        if _state["state"] == "warming" and thread is not None:
            if not background:
                thread.join()
            return thread if background else None
        _state.update(state="warming", error=None)
        if background:
            thread = threading.Thread(target=_run, name="augviz-librosa-warm-up", daemon=True)
            _state["thread"] = thread
    if background:
        thread.start()
        return thread
    _run()
    return None


def is_warm() -> bool:
    """Whether librosa's kernels are compiled in this process."""
    return _state["state"] == "warm"


def warm_up_state() -> dict[str, Any]:
    """``{"state": "cold"|"warming"|"warm"|"failed", "seconds": …, "error": …}``."""
    with _lock:
        return {k: _state[k] for k in ("state", "seconds", "error")}
