"""Safe file writes: every file augviz writes goes through :func:`atomic_write`.

The bytes go to a hidden temporary file in the target's folder, which is then renamed
over the final name. So a reader never sees a half-written file, an interrupted write
leaves nothing behind, and a link at the final name is replaced, never written through
(a hard link or symlink to an input file stays untouched). The temporary file is created
with mode 0666 minus the umask, like any file a program opens, so saved recipes and
outputs are readable by a training job or a shared class folder (0644 typically).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import InputError

__all__ = ["TMP_SUFFIX", "atomic_write", "is_temporary"]

#: the ending of augviz's temporary files (never a data file ending)
TMP_SUFFIX = ".augviz-tmp"


def is_temporary(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is one of augviz's temporary files (a write that did not finish)."""
    name = Path(path).name
    return name.startswith(".") and name.endswith(TMP_SUFFIX)


@contextmanager
def atomic_write(path: str | os.PathLike[str], *, overwrite: bool = False,
                 durable: bool = True) -> Iterator[BinaryIO]:
    """Open a binary file whose bytes appear at ``path`` only when the block ends.

    Parameters
    ----------
    path : str or Path
        The final name; its folder must exist.
    overwrite : bool
        Replace an existing file (or link) at ``path``. Without it an existing name is
        an :class:`InputError`, checked atomically at the end (no check-then-write race).
    durable : bool
        ``fsync`` the bytes before the rename (survives a power cut).

    Example
    -------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_write(folder / "a.txt") as fh:
    ...     _ = fh.write(b"hello")
    >>> (folder / "a.txt").read_bytes()
    b'hello'
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file path")
    if not target.parent.is_dir():
        raise InputError(f"folder {target.parent} does not exist")
    if not overwrite and target.exists():
        raise InputError(f"{target} exists; pass overwrite=True to replace it")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}{TMP_SUFFIX}")
    # O_EXCL: a fresh file (never an existing one, never through a link); 0o666 & ~umask
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        if overwrite:
            tmp.replace(target)
        else:
            try:
                os.link(tmp, target)  # fails if the name appeared meanwhile
            except FileExistsError:
                raise InputError(f"{target} exists; pass overwrite=True to replace it") from None
            except OSError:  # no hard links here (FAT, some network shares): claim the name
                try:
                    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                except FileExistsError:
                    raise InputError(f"{target} exists; pass overwrite=True to replace it") from None
                tmp.replace(target)
            else:
                tmp.unlink()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
