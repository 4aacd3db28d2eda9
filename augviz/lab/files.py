"""A user's own files as lab data: an image folder, an audio folder (one sub-folder per
class) or a CSV/TSV table with a text column and a label column.

:func:`load_files` is what ``data=<path>`` anywhere in the lab resolves to (through
:func:`~augviz.lab.load_data`, which also takes the options). Images keep their own
resolution — the recipe runs on them as they are — and the model sees a copy resized to
``image_size`` (aspect kept by a centre crop, or by padding with ``fit="pad"``). Decoded
data are cached in memory per process, keyed by the path and the name, modification time
and size of every file read, so a second run on unchanged files starts at once.

Example
-------
>>> from augviz import lab
>>> res = lab.compare({"mild": recipe}, data="photos/")                   # doctest: +SKIP
>>> res = lab.compare({"eda": eda}, data=lab.load_data("reviews.csv",
...                   text_column="review", label_column="stars"))          # doctest: +SKIP
"""

from __future__ import annotations

import csv
import os
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import Choice, InputError, Int

from .data import LabData

__all__ = ["FIT", "IMAGE_SIZE", "TABLE_EXTENSIONS", "clear_cache", "fit_image", "load_files"]

# 32 px: on two 300-photo sets (orientation and colour classes) the numpy CNN gained 1–4
# points from a 48 px copy at twice the time, and lost 3–6 points at 16 px
IMAGE_SIZE = Int("image_size", 8, 512, 32,
                 doc="Side in pixels of the resized copy of each image the model sees.")
FIT = Choice("fit", ("crop", "pad"), "crop",
             doc="How an image keeps its aspect when resized for the model: a centre crop "
                 "or padding.")
TABLE_EXTENSIONS = (".csv", ".tsv", ".tab", ".txt")
_TEXT_NAMES = ("text", "sentence", "sentences", "review", "content", "body", "message",
               "comment", "tweet", "document", "utterance", "question")
_LABEL_NAMES = ("label", "labels", "class", "category", "target", "sentiment", "y", "tag",
                "intent", "rating", "stars", "score")
_SHOWN = 10  # files listed in a message
_CACHE: dict[tuple[Any, ...], LabData] = {}
_DECODED: dict[tuple[Any, ...], tuple[Any, np.ndarray, list[str], dict[str, Any]]] = {}


def clear_cache() -> None:
    """Forget every decoded folder and table (the next run reads the files again)."""
    _CACHE.clear()
    _DECODED.clear()


# ---------------------------------------------------------------------------------
# resizing for the model
# ---------------------------------------------------------------------------------


def fit_image(img: np.ndarray, size: int, fit: str = "crop") -> np.ndarray:
    """``img`` resized to ``size × size`` keeping its aspect: cover then centre-crop
    (``"crop"``) or fit inside then pad with zeros around it (``"pad"``).

    Example
    -------
    >>> fit_image(np.zeros((30, 60, 3), np.uint8), 16).shape
    (16, 16, 3)
    """
    import cv2

    h, w = img.shape[:2]
    s = max(size / h, size / w) if fit == "crop" else min(size / h, size / w)
    nh, nw = max(1, round(h * s)), max(1, round(w * s))
    if fit == "crop":
        nh, nw = max(nh, size), max(nw, size)
    if (nh, nw) != (h, w):
        interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
        out = cv2.resize(img, (nw, nh), interpolation=interp)
        img = out.reshape(nh, nw, *img.shape[2:])
    if fit == "crop":
        top, left = (nh - size) // 2, (nw - size) // 2
        return np.ascontiguousarray(img[top : top + size, left : left + size])
    canvas = np.zeros((size, size, *img.shape[2:]), img.dtype)
    top, left = (size - nh) // 2, (size - nw) // 2
    canvas[top : top + nh, left : left + nw] = img
    return canvas


def image_features_at(size: int, fit: str) -> Callable[[Any], np.ndarray]:
    """The feature function of an image folder: each (augmented) image resized to
    ``size × size`` (see :func:`fit_image`), as float32 ``N×size×size×C`` in [0, 1]."""

    def features(x: Any) -> np.ndarray:
        items = list(x) if not isinstance(x, np.ndarray) else x
        out = np.stack([fit_image(np.asarray(i), size, fit) for i in items])
        if out.ndim == 3:
            out = out[..., None]
        if out.dtype == np.uint8:
            return out.astype(np.float32) * np.float32(1 / 255)
        return out.astype(np.float32, copy=False)

    features.__qualname__ = f"image_features_at({size}, {fit!r})"
    return features


# ---------------------------------------------------------------------------------
# folders
# ---------------------------------------------------------------------------------


def _class_files(root: Path) -> tuple[list[str], dict[str, list[Path]]]:
    classes = sorted(d.name for d in root.iterdir()
                     if d.is_dir() and not d.name.startswith((".", "_")))
    files: dict[str, list[Path]] = {}
    for name in classes:
        found = []
        for dirpath, dirnames, filenames in os.walk(root / name):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
        files[name] = found
    return classes, files


def _signature(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for p in paths:
        st = p.stat()
        out.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the first frame outside augviz (the
    user's ``compare(...)`` or ``load_data(...)`` line)."""
    import sys

    package = str(Path(__file__).resolve().parents[1])
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _listing(problems: list[tuple[Path, str]]) -> str:
    text = "\n".join(f"  {p}: {why}" for p, why in problems[:_SHOWN])
    if len(problems) > _SHOWN:
        text += f"\n  … and {len(problems) - _SHOWN} more"
    return text


def _check_classes(root: Path, counts: dict[str, int], kind: str) -> None:
    """At least two classes, each with at least two readable items."""
    present = {k: n for k, n in counts.items() if n > 0}
    if len(present) < 2:
        found = ", ".join(f"{k!r} ({n})" for k, n in counts.items()) or "none"
        raise InputError(
            f"{str(root)!r}: the lab needs at least 2 classes with {kind}; found {found}. "
            f"Put each class in its own sub-folder: {root}/<class>/<files>"
        )
    small = {k: n for k, n in counts.items() if n < 2}
    if small:
        listed = ", ".join(f"{k!r} ({n})" for k, n in small.items())
        raise InputError(
            f"{str(root)!r}: every class needs at least 2 {kind} (one to train on, one to "
            f"validate); too few in {listed}"
        )


def _load_folder(root: Path, image_size: int, fit: str) -> LabData:
    from augviz.audio.io import EXTENSIONS as AUDIO_EXT
    from augviz.image.io import EXTENSIONS as IMAGE_EXT

    classes, files = _class_files(root)
    if not classes:
        raise InputError(
            f"{str(root)!r} has no class sub-folders; expected {root}/<class name>/<files> "
            "(one folder per class, images or audio)"
        )
    image_ext = tuple(e.lower() for e in IMAGE_EXT)
    audio_ext = tuple(e.lower() for e in AUDIO_EXT)
    images = {k: [f for f in v if f.suffix.lower() in image_ext] for k, v in files.items()}
    audios = {k: [f for f in v if f.suffix.lower() in audio_ext] for k, v in files.items()}
    n_img, n_aud = sum(map(len, images.values())), sum(map(len, audios.values()))
    if n_img and n_aud:
        raise InputError(
            f"{str(root)!r} mixes modalities: {n_img} image files and {n_aud} audio files; "
            "allowed: one modality per folder"
        )
    if not n_img and not n_aud:
        raise InputError(
            f"{str(root)!r} holds no image or audio files in its class folders "
            f"({', '.join(classes)}); endings read: {', '.join(image_ext + audio_ext)}"
        )
    modality, chosen = ("image", images) if n_img else ("audio", audios)
    every = [f for k in classes for f in chosen[k]]
    decoded_key = ("folder", str(root.resolve()), _signature(every))
    key = (*decoded_key, image_size, fit)
    if key in _CACHE:
        return _CACHE[key]
    if decoded_key not in _DECODED:
        _DECODED[decoded_key] = _decode(root, modality, classes, chosen, every)
    x, y, kept, meta = _DECODED[decoded_key]
    if modality == "image":
        data = LabData(x, y, "image", kept, name=root.name or str(root),
                       meta={**meta, "image_size": image_size, "fit": fit},
                       features=image_features_at(image_size, fit))
    else:
        data = LabData(x, y, "audio", kept, name=root.name or str(root), meta=dict(meta))
    _CACHE[key] = data
    return data


def _decode(root: Path, modality: str, classes: list[str], chosen: dict[str, list[Path]],
            every: list[Path]) -> tuple[Any, np.ndarray, list[str], dict[str, Any]]:
    """Read every file once: the items, labels, class names and what was skipped."""
    items: list[Any] = []
    labels: list[int] = []
    problems: list[tuple[Path, str]] = []
    counts = dict.fromkeys(classes, 0)
    read = _image_reader() if modality == "image" else _audio_reader()
    for k, name in enumerate(classes):
        for f in chosen[name]:
            try:
                items.append(read(f))
            except Exception as exc:  # any decoder failure means an unreadable file
                problems.append((f, f"{type(exc).__name__}: {exc}"))
                continue
            labels.append(k)
            counts[name] += 1
    if problems:
        warnings.warn(
            f"skipped {len(problems)} unreadable file(s) of {len(every)} under {str(root)!r}:\n"
            f"{_listing(problems)}", UserWarning, stacklevel=_caller_level())
    if not items:
        raise InputError(f"none of the {len(every)} {modality} files under {str(root)!r} "
                         f"could be read:\n{_listing(problems)}")
    _check_classes(root, counts, f"readable {modality} files")
    kept = [k for k in classes if counts[k]]
    remap = {classes.index(k): i for i, k in enumerate(kept)}
    y = np.asarray([remap[v] for v in labels], np.int64)
    meta = {"path": str(root), "skipped": [[str(p), why] for p, why in problems]}
    x: Any = items
    if modality == "image" and len({a.shape for a in items}) == 1:
        x = np.stack(items)  # one size: the recipe's fast batch path
    return x, y, kept, meta


def _image_reader() -> Callable[[Path], np.ndarray]:
    from augviz.datasets import open_image

    def read(path: Path) -> np.ndarray:
        return np.asarray(open_image(path).convert("RGB"))

    return read


def _audio_reader() -> Callable[[Path], Any]:
    from augviz.audio.io import load_wav

    def read(path: Path) -> Any:
        return load_wav(path, sample_rate=16000, mono=True)

    return read


# ---------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------


def _pick(columns: list[str], wanted: str | None, names: tuple[str, ...], what: str,
          path: Path, fallback: Callable[[list[str]], str | None]) -> str:
    if wanted is not None:
        if wanted not in columns:
            raise InputError(f"{str(path)!r}: {what}_column={wanted!r} is not a column; "
                             f"allowed: {', '.join(map(repr, columns))}")
        return wanted
    lower = {c.strip().lower(): c for c in columns}
    for n in names:
        if n in lower:
            return lower[n]
    guess = fallback(columns)
    if guess is None:
        raise InputError(f"{str(path)!r}: cannot tell which column holds the {what}; pass "
                         f"{what}_column= (columns: {', '.join(map(repr, columns))})")
    return guess


def _load_table(path: Path, text_column: str | None, label_column: str | None) -> LabData:
    key = ("table", str(path.resolve()), text_column, label_column, _signature([path]))
    if key in _CACHE:
        return _CACHE[key]
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {str(path)!r} as UTF-8 text: {exc}") from None
    if not raw.strip():
        raise InputError(f"{str(path)!r} is empty; expected a header row and one row per item")
    if path.suffix.lower() in (".tsv", ".tab"):
        delimiter = "\t"
    elif path.suffix.lower() == ".csv":
        delimiter = ","
    else:
        try:
            delimiter = csv.Sniffer().sniff(raw[:4096], delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = ","
    rows = list(csv.DictReader(raw.splitlines(), delimiter=delimiter))
    columns = [c for c in (rows[0].keys() if rows else []) if c is not None]
    if len(columns) < 2:
        raise InputError(f"{str(path)!r} needs a header row with at least a text and a label "
                         f"column; found {columns or 'no rows'}")

    def longest(cols: list[str]) -> str | None:
        mean = {c: np.mean([len(r.get(c) or "") for r in rows]) for c in cols}
        return max(mean, key=mean.__getitem__)

    text_col = _pick(columns, text_column, _TEXT_NAMES, "text", path, longest)

    def fewest(cols: list[str]) -> str | None:
        distinct = {c: len({r.get(c) for r in rows}) for c in cols if c != text_col}
        usable = {c: n for c, n in distinct.items() if n >= 2}
        return min(usable, key=usable.__getitem__) if usable else None

    label_col = _pick(columns, label_column, _LABEL_NAMES, "label", path, fewest)
    if label_col == text_col:
        raise InputError(f"{str(path)!r}: the text and the label column are both {text_col!r}")
    texts, labels, skipped = [], [], 0
    for r in rows:
        t, lab = (r.get(text_col) or "").strip(), (r.get(label_col) or "").strip()
        if not t or not lab:
            skipped += 1
            continue
        texts.append(t)
        labels.append(lab)
    if skipped:
        warnings.warn(f"skipped {skipped} row(s) of {len(rows)} in {str(path)!r} with an empty "
                      f"{text_col!r} or {label_col!r}", UserWarning, stacklevel=_caller_level())
    if not texts:
        raise InputError(f"{str(path)!r} has no row with both a {text_col!r} and a "
                         f"{label_col!r} value")
    names, counts = np.unique(np.asarray(labels), return_counts=True)
    _check_classes(path, dict(zip(names.tolist(), counts.tolist(), strict=True)), "rows")
    meta = {"path": str(path), "text_column": text_col, "label_column": label_col,
            "skipped_rows": skipped}
    data = LabData(texts, labels, "text", name=path.name, meta=meta)
    _CACHE[key] = data
    return data


# ---------------------------------------------------------------------------------
# the entry point
# ---------------------------------------------------------------------------------


def load_files(
    path: str | os.PathLike[str],
    *,
    image_size: int | None = None,
    fit: str = "crop",
    text_column: str | None = None,
    label_column: str | None = None,
    where: str = "lab.load_data",
) -> LabData:
    """A folder (images or audio, one sub-folder per class) or a CSV/TSV table (a text
    and a label column) as :class:`~augviz.lab.LabData`; see the module doc.

    Parameters
    ----------
    image_size : int, optional
        Side of the copy of each image the model sees (default 32).
    fit : {"crop", "pad"}
        How that copy keeps the image's aspect.
    text_column, label_column : str, optional
        Column names in a table; guessed when not given (``text``, ``sentence``,
        ``review``, … / ``label``, ``class``, ``category``, …; else the longest text
        and the column with the fewest distinct values).

    Raises
    ------
    InputError
        The path does not exist, the folder has no classes, only one class, a class
        with fewer than 2 items, image and audio files together, or no readable file.
        Unreadable files are skipped with a warning that counts and lists them
        (``data.meta["skipped"]``).
    """
    image_size = IMAGE_SIZE.check_argument(IMAGE_SIZE.default if image_size is None else image_size,
                                           where=where)
    fit = FIT.check_argument(fit, where=where)
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"{where}: {str(p)!r} does not exist; allowed: a folder with one "
                         "sub-folder per class, a CSV/TSV file, a dataset name or (x, y)")
    if p.is_dir():
        return _load_folder(p, image_size, fit)
    if p.suffix.lower() in TABLE_EXTENSIONS:
        return _load_table(p, text_column, label_column)
    raise InputError(f"{where}: {str(p)!r} is a {p.suffix or 'file without ending'}; allowed: "
                     f"a folder with one sub-folder per class or a table "
                     f"({', '.join(TABLE_EXTENSIONS)})")
