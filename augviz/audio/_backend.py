"""Lazy librosa that reuses a warm numba cache, a background warm-up, and stretch engines.

librosa's phase vocoder is numba-compiled on first call (measured here: 19–150 s cold on
a loaded 2-core machine, ~2 s with a warm cache). The compiled kernels are cached where
numba puts them by default, so a cache that librosa or audiomentations warmed is reused
(see :func:`numba_cache_dir`). Nothing in augviz imports librosa until a kernel needs
it; :func:`warm_up` pays the compile in a thread before a slider ever does.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
import tempfile
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


# The numba kernels of librosa that a stretch and a pitch shift compile, by the source
# folder they live in (relative to the librosa package) and ``<module>.<function>``. Their
# index files (``<module>.<function>-<line>.py<XY>.nbi``) say whether a cache is warm.
_KERNELS = (("core", "spectrum.__overlap_add"), ("", "filters.__window_ss_fill"),
            ("util", "utils._phasor_angles"))


def _numba_user_dir() -> Path:
    """numba's own user-wide cache folder (its appdirs rule for the app "numba")."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "numba" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "numba"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "numba"


def _augviz_dir() -> Path:
    """augviz's own cache folder: used only where numba's default folders cannot be."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "augviz" / "numba"


def _librosa_dir() -> Path | None:
    try:
        spec = importlib.util.find_spec("librosa")
    except (ImportError, ValueError):  # pragma: no cover - a broken install
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    # numba names a cache folder after the absolute, unresolved path of the source
    return Path(os.path.abspath(next(iter(spec.submodule_search_locations))))  # noqa: PTH100


def _subpath(source_dir: Path) -> str:
    # numba's name for a source folder inside a cache base (``get_suitable_cache_subpath``)
    return f"{source_dir.name}_{hashlib.sha1(str(source_dir).encode()).hexdigest()}"


def _kernel_dirs(base: Path | None, lib: Path) -> list[tuple[Path, str]]:
    """Where numba keeps each probed kernel module's cache: under ``base`` (a
    ``NUMBA_CACHE_DIR``-style folder) or, with ``None``, in the package's ``__pycache__``."""
    out = []
    for folder, kernel in _KERNELS:
        source_dir = lib / folder if folder else lib
        out.append((source_dir / "__pycache__" if base is None else base / _subpath(source_dir), kernel))
    return out


def _is_warm(base: Path | None, lib: Path) -> bool:
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return all(any(d.glob(f"{kernel}-*.{tag}.nbi")) for d, kernel in _kernel_dirs(base, lib))


def _writable(path: Path, create: bool = True) -> bool:
    # numba's own test of a cache folder: create it and a temporary file in it (or, not
    # to create anything, whether its nearest existing folder is writable)
    if not create:
        while not path.exists() and path.parent != path:
            path = path.parent
        return os.access(path, os.W_OK)
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return False
    return True


def _choose_cache(lib: Path, create: bool = True) -> Path | None:
    """The ``NUMBA_CACHE_DIR`` to set before numba is imported, or ``None`` to leave
    numba's default (librosa's ``__pycache__`` when writable, else numba's user-wide
    folder). A warm cache wins over a cold one, numba's default over augviz's own."""
    in_tree = all(_writable(d, create) for d, _ in _kernel_dirs(None, lib))
    if in_tree and _is_warm(None, lib):
        return None
    for base in (_numba_user_dir(), _augviz_dir()):
        if _is_warm(base, lib):
            return base
    if in_tree or _writable(_numba_user_dir(), create):
        return None
    return _augviz_dir() if _writable(_augviz_dir(), create) else None


def numba_cache_dir() -> Path | None:
    """The folder that holds (or will hold) librosa's compiled phase-vocoder kernel.

    ``$NUMBA_CACHE_DIR`` is honoured when set. Otherwise numba's own default is kept —
    librosa's ``__pycache__`` when it is writable, else numba's user-wide folder
    (``~/.cache/numba``) — so that a cache warmed by librosa or audiomentations is
    reused; augviz picks another folder only when that one is warm and the default
    is cold, or when the default is not writable (then ``~/.cache/augviz/numba``).
    ``None`` when librosa is not installed.
    """
    lib = _librosa_dir()
    if lib is None:
        return None
    numba = sys.modules.get("numba")
    if numba is not None:  # numba has read its settings already
        base = numba.config.CACHE_DIR or None
    elif "NUMBA_CACHE_DIR" in os.environ:
        base = os.environ["NUMBA_CACHE_DIR"] or None
    else:  # what importing librosa through augviz will choose
        base = _choose_cache(lib, create=False)
    if base:
        return _kernel_dirs(Path(base), lib)[0][0]
    in_tree = _kernel_dirs(None, lib)[0][0]
    return in_tree if _writable(in_tree, create=False) else _kernel_dirs(_numba_user_dir(), lib)[0][0]


def _set_numba_cache() -> None:
    # numba reads the variable when it is first imported, so this must run before librosa
    if "NUMBA_CACHE_DIR" in os.environ or sys.modules.get("numba") is not None:
        return
    lib = _librosa_dir()
    base = None if lib is None else _choose_cache(lib)
    if base is not None:
        os.environ["NUMBA_CACHE_DIR"] = str(base)


def librosa() -> ModuleType:
    """Import librosa (once), with numba's cache where a warm one is (see :func:`numba_cache_dir`)."""
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
