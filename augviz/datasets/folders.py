"""A user's own images: one sub-folder per class (``root/<class>/<image files>``)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError
from augviz.image.io import EXTENSIONS as IMAGE_EXTENSIONS
from augviz.image.io import open_image

__all__ = ["IMAGE_EXTENSIONS", "ImageFolder", "load_image_folder", "open_image"]

_MODES = ("RGB", "L", "RGBA")
_SHOWN = 10  # problems listed in an error or warning message


class ImageFolder(tuple):  # type: ignore[type-arg]
    """What :func:`load_image_folder` returns: unpacks as ``(images, labels,
    class_names)`` and also carries ``paths`` (one per image) and ``problems``
    (``(path, reason)`` for every file that was skipped)."""

    images: Any
    labels: np.ndarray
    class_names: list[str]
    paths: list[Path]
    problems: list[tuple[Path, str]]

    def __new__(
        cls,
        images: Any,
        labels: np.ndarray,
        class_names: list[str],
        paths: list[Path],
        problems: list[tuple[Path, str]],
    ) -> ImageFolder:
        self = super().__new__(cls, (images, labels, class_names))
        self.images, self.labels, self.class_names = images, labels, class_names
        self.paths, self.problems = paths, problems
        return self

    def __getnewargs__(self) -> tuple[Any, ...]:  # pickling
        return (self.images, self.labels, self.class_names, self.paths, self.problems)

    def __repr__(self) -> str:
        counts = np.bincount(self.labels, minlength=len(self.class_names))
        per = ", ".join(f"{n}: {c}" for n, c in zip(self.class_names, counts.tolist(), strict=True))
        skipped = f", {len(self.problems)} skipped" if self.problems else ""
        return f"ImageFolder({len(self.labels)} images; {per}{skipped})"


def _check_size(size: Any) -> tuple[int, int] | None:
    if size is None:
        return None
    ok = isinstance(size, (int, np.integer)) and not isinstance(size, bool) and 1 <= size <= 4096
    if ok:
        return (int(size), int(size))
    if (
        isinstance(size, Sequence) and not isinstance(size, str) and len(size) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 1 <= v <= 4096
                for v in size)
    ):
        return (int(size[0]), int(size[1]))
    raise InputError(
        f"size={size!r} is not allowed; allowed: None (keep sizes), an int in [1, 4096] "
        "(square) or (height, width)"
    )


def _cover_crop(img: np.ndarray, hw: tuple[int, int]) -> np.ndarray:
    """Resize to cover ``hw`` keeping aspect, then centre-crop (no distortion)."""
    import cv2

    th, tw = hw
    h, w = img.shape[:2]
    s = max(th / h, tw / w)
    nh, nw = max(th, round(h * s)), max(tw, round(w * s))
    if (nh, nw) != (h, w):
        interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
        img = cv2.resize(img, (nw, nh), interpolation=interp)
    top, left = (nh - th) // 2, (nw - tw) // 2
    return np.ascontiguousarray(img[top : top + th, left : left + tw])


def _read(path: Path, mode: str) -> np.ndarray:
    return np.asarray(open_image(path).convert(mode))


def _files(root: Path, extensions: tuple[str, ...]) -> tuple[list[str], list[tuple[Path, int]]]:
    classes = sorted(
        d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith((".", "_"))
    )
    files: list[tuple[Path, int]] = []
    for label, name in enumerate(classes):
        for dirpath, dirnames, filenames in os.walk(root / name):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))  # .ipynb_checkpoints
            for f in sorted(filenames):
                if not f.startswith(".") and f.lower().endswith(extensions):
                    files.append((Path(dirpath) / f, label))
    return classes, files


def load_image_folder(
    path: str | os.PathLike[str],
    *,
    size: int | tuple[int, int] | None = None,
    mode: str = "RGB",
    dtype: str = "uint8",
    extensions: Sequence[str] = IMAGE_EXTENSIONS,
    skip_bad: bool = False,
    limit_per_class: int | None = None,
) -> ImageFolder:
    """Load a folder of images with one sub-folder per class.

    ``path/cats/001.jpg, path/dogs/xyz.png, …`` gives classes ``["cats", "dogs"]``
    (sorted by name; labels are their indices). Images in nested folders count for
    the class folder they are under; hidden files and folders (``.*``) are ignored,
    and so are files whose ending is not in ``extensions``.

    Parameters
    ----------
    path : str or Path
        The root folder.
    size : int, (height, width) or None
        Resize each image to cover the size keeping its aspect, then centre-crop, and
        return one ``N×H×W×C`` array (``N×H×W`` for ``mode="L"``). ``None`` keeps the
        original sizes and returns a list of arrays.
    mode : {"RGB", "L", "RGBA"}
        Pixel format every image is converted to.
    dtype : {"uint8", "float32"}
        uint8 in [0, 255] or float32 in [0, 1].
    extensions : sequence of str
        File endings to read (case-insensitive).
    skip_bad : bool
        A file that cannot be read as an image (corrupt, truncated, not an image at
        all) is an :class:`InputError` that lists every such file. With
        ``skip_bad=True`` they are skipped instead: one ``UserWarning`` says how many,
        and ``result.problems`` lists ``(path, reason)``.
    limit_per_class : int, optional
        Read at most this many files per class (the first ones by name) — a quick
        look at a large folder.

    Returns
    -------
    ImageFolder
        Unpacks as ``(images, labels, class_names)``; ``.paths`` and ``.problems`` too.

    Raises
    ------
    InputError
        The folder does not exist, has no class sub-folders or no images, an option is
        not allowed, or (without ``skip_bad``) some files are unreadable.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for cls in ("cat", "dog"):
    ...     (root / cls).mkdir()
    ...     Image.new("RGB", (40, 30), "white").save(root / cls / "a.png")
    >>> x, y, names = load_image_folder(root, size=16)
    >>> x.shape, y.tolist(), names
    ((2, 16, 16, 3), [0, 1], ['cat', 'dog'])
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"load_image_folder: path {path!r} is not allowed; allowed: a folder path")
    root = Path(path)
    if not root.exists():
        raise InputError(f"image folder {str(root)!r} does not exist")
    if not root.is_dir():
        raise InputError(
            f"{str(root)!r} is a file; allowed: a folder with one sub-folder per class"
        )
    hw = _check_size(size)
    if mode not in _MODES:
        raise InputError(f"mode={mode!r} is not allowed; allowed: {', '.join(map(repr, _MODES))}")
    if dtype not in ("uint8", "float32"):
        raise InputError(f"dtype={dtype!r} is not allowed; allowed: 'uint8', 'float32'")
    if isinstance(extensions, str) or not all(isinstance(e, str) and e for e in extensions):
        raise InputError(
            f"extensions={extensions!r} is not allowed; allowed: a list of endings such as "
            "['.png', '.jpg']"
        )
    exts = tuple(e.lower() if e.startswith(".") else "." + e.lower() for e in extensions)
    if limit_per_class is not None and (
        isinstance(limit_per_class, bool) or not isinstance(limit_per_class, (int, np.integer))
        or limit_per_class < 1
    ):
        raise InputError(
            f"limit_per_class={limit_per_class!r} is not allowed; allowed: None or an int >= 1"
        )

    classes, files = _files(root, exts)
    if not classes:
        raise InputError(
            f"{str(root)!r} has no class sub-folders; expected {root}/<class name>/<images> "
            "(one folder per class)"
        )
    if limit_per_class is not None:
        seen: dict[int, int] = {}
        kept = []
        for f, label in files:
            seen[label] = seen.get(label, 0) + 1
            if seen[label] <= limit_per_class:
                kept.append((f, label))
        files = kept
    if not files:
        raise InputError(
            f"no image files under {str(root)!r} (classes found: {', '.join(classes)}; "
            f"endings read: {', '.join(exts)})"
        )

    images: list[np.ndarray] = []
    labels: list[int] = []
    paths: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for f, label in files:
        try:
            arr = _read(f, mode)
        except Exception as exc:  # any decoder failure means a bad file
            reason = str(exc) or type(exc).__name__
            problems.append((f, f"{type(exc).__name__}: {reason}"))
            continue
        if hw is not None:
            arr = _cover_crop(arr, hw)
        images.append(arr)
        labels.append(label)
        paths.append(f)

    if problems:
        listing = "\n".join(f"  {p}: {why}" for p, why in problems[:_SHOWN])
        more = f"\n  … and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
        if not skip_bad:
            raise InputError(
                f"{len(problems)} of {len(files)} files under {str(root)!r} could not be read "
                f"as images:\n{listing}{more}\nFix or remove them, or pass skip_bad=True to "
                "skip them (result.problems lists them)."
            )
        warnings.warn(
            f"skipped {len(problems)} unreadable file(s) under {str(root)!r}:\n{listing}{more}",
            UserWarning,
            stacklevel=2,
        )
    if not images:
        raise InputError(f"none of the {len(files)} image files under {str(root)!r} could be read")

    if dtype == "float32":
        images = [(a.astype(np.float32) * np.float32(1 / 255)) for a in images]
    result: Any = np.stack(images) if hw is not None else images
    if isinstance(result, np.ndarray) and mode == "L":
        result = result.reshape(result.shape[:3])
    return ImageFolder(result, np.asarray(labels, np.int64), classes, paths, problems)
