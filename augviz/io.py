"""Reading and writing items of each modality from files (used by the CLI).

Images: PNG, JPEG, BMP, TIFF, WebP through Pillow. Text: UTF-8 ``.txt`` files, one item
per line. Audio: WAV/FLAC/OGG through ``augviz.audio`` (needs the ``audio`` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .core import InputError
from .datasets.folders import IMAGE_EXTENSIONS

__all__ = ["EXTENSIONS", "read_item", "write_item"]

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": IMAGE_EXTENSIONS,
    "audio": (".wav", ".flac", ".ogg"),
    "text": (".txt",),
}


def read_item(path: Path, modality: str) -> Any:
    """Load one file as a recipe input; unreadable files raise :class:`InputError`."""
    if modality == "image":
        from augviz.datasets.folders import open_image

        try:
            return open_image(path)
        except Exception as exc:  # any decoder failure (PIL raises many kinds) = unreadable
            raise InputError(f"{path}: not a readable image ({type(exc).__name__}: {exc})") from None
    if modality == "text":
        try:
            return path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
    if modality == "audio":
        from augviz.audio import load_wav

        return load_wav(path)
    raise InputError(f"no file reader for modality {modality!r}")


def write_item(item: Any, path: Path, modality: str) -> None:
    """Write one output; the parent folder must exist. Never overwrites silently: the
    caller decides (the CLI refuses non-empty output folders unless --overwrite)."""
    if modality == "image":
        ext = path.suffix.lower()
        if ext in (".jpg", ".jpeg") and item.mode == "RGBA":
            item = item.convert("RGB")
        kwargs = {"quality": 95} if ext in (".jpg", ".jpeg", ".webp") else {}
        item.save(path, **kwargs)
    elif modality == "text":
        path.write_text("\n".join(item) + "\n", encoding="utf-8")
    elif modality == "audio":
        from augviz.audio import save_wav

        save_wav(item, path, overwrite=True)  # the CLI has already refused a non-empty OUT_DIR
    else:
        raise InputError(f"no file writer for modality {modality!r}")
