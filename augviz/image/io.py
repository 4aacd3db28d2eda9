"""Image files in and out (Pillow): what ``augviz apply`` and the folder loaders read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError
from augviz.core.files import atomic_write

__all__ = ["EXTENSIONS", "open_image", "read", "write"]

#: file endings read as images (case-insensitive)
EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def open_image(path: str | os.PathLike[str]) -> Any:
    """Read an image file as a PIL image in an augviz mode (L, RGB or RGBA), keeping
    what it is: grey stays grey, transparency stays. EXIF orientation is applied and
    16-bit images are scaled to 8 bits. A missing or undecodable file is an
    :class:`InputError`.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"open_image: path {path!r} is not allowed; allowed: a file path "
                         "(str or pathlib.Path)")
    if not Path(path).is_file():
        raise InputError(f"{path}: no such image file")
    try:
        return _open(path)
    except Exception as exc:  # any decoder failure (PIL raises many kinds) = unreadable
        raise InputError(f"{path}: not a readable image ({type(exc).__name__}: {exc})") from None


def _open(path: str | os.PathLike[str]) -> Any:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)  # phone photos: honour the orientation tag
        if im.mode in ("I;16", "I;16B", "I;16L", "I"):
            arr = np.asarray(im, dtype=np.float64)
            top = 65535.0 if arr.max() > 255 else 255.0
            return Image.fromarray(np.rint(np.clip(arr / top, 0, 1) * 255).astype(np.uint8))
        if im.mode in ("L", "RGB", "RGBA"):
            return im.copy()
        if im.mode in ("P", "LA", "PA") and ("transparency" in im.info or "A" in im.mode):
            return im.convert("RGBA")  # (Pillow warns when a transparent palette goes to RGB)
        return im.convert("L" if im.mode in ("1", "F") else "RGB")


def read(path: str | os.PathLike[str]) -> Any:
    """One image file as a PIL image; an unreadable file is an :class:`InputError`."""
    return open_image(path)


def write(item: Any, path: str | os.PathLike[str]) -> None:
    """Write a PIL image, replacing ``path`` atomically (temp file + rename: an
    interrupted write leaves nothing, a link at ``path`` is replaced, not written
    through). The format follows the extension (JPEG/WebP at quality 95)."""
    from PIL import Image

    target = Path(path)
    ext = target.suffix.lower()
    fmt = Image.registered_extensions().get(ext)
    if fmt is None:
        raise InputError(f"{target.name}: no image format for {ext!r}; allowed: {', '.join(EXTENSIONS)}")
    if ext in (".jpg", ".jpeg") and item.mode == "RGBA":
        item = item.convert("RGB")
    kwargs = {"quality": 95} if ext in (".jpg", ".jpeg", ".webp") else {}
    with atomic_write(target, overwrite=True) as fh:
        item.save(fh, format=fmt, **kwargs)
