"""The modalities augviz knows, declared once.

Each modality is one :class:`Modality` record: its name and title, the package that
registers its transforms, how to check and recognise an item, the files it reads and
writes, and which viewer and lab support the upper layers plug in for it. Everything
that used to keep its own list of modality names (the registry, the CLI's readers and
writers, the widgets' viewers, the lab's plug-ins, the catalogue page, the builder's
guess) reads this table.

References to code are ``"module:attribute"`` strings, loaded on first use: a record
names the viewer and the lab plug-in without importing the widgets or the lab, so
``import augviz`` stays light and the arrows point down (a modality package imports only
``augviz.core``; the upper layers discover what they need here).

Adding a modality = one package (its transforms, io and checks) + one line in
:data:`MODALITIES` (+ a viewer and a lab plug-in module if it has them).

Example
-------
>>> from augviz.modalities import get
>>> get("image").title, get("image").extensions[:2]
('Image', ('.png', '.jpg'))
>>> get("text").detect("a sentence")
True
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .core import InputError
from .core import registry as _registry

__all__ = ["MODALITIES", "Modality", "all_modalities", "detect_modality", "get"]

@dataclass(frozen=True)
class Modality:
    """What augviz needs to know about one kind of data.

    Attributes
    ----------
    name, title : str
        ``"image"`` (the transform id prefix) and ``"Image"`` (for pages and menus).
    package : str
        The module whose import registers the modality's transforms.
    check : str
        ``"module:function"``: ``check(x)`` raises :class:`~augviz.InputError` for an
        item that is not of this modality.
    detect : str or None
        ``"module:function"``: ``detect(x) -> bool`` recognises an item (used to guess
        the modality of data); ``None`` for modalities never guessed (a spectrogram is
        an array like a grey image: say ``modality="spectrogram"``).
    io : str or None
        The module that reads and writes files of this modality: ``EXTENSIONS`` (lower
        case, what ``augviz apply`` reads), ``read(path) -> item`` (``InputError`` for an
        unreadable file) and ``write(item, path)`` (the folder exists; replaces the file).
    viewer : str or None
        The widgets' viewer for a grid of outputs (see :mod:`augviz.widgets.viewers`).
    lab : str or None
        A function that registers the modality's lab support (features, models,
        datasets) with :mod:`augviz.lab`.
    """

    name: str
    title: str
    package: str
    check: str
    detect_with: str | None = None
    io: str | None = None
    viewer: str | None = None
    lab: str | None = None

    def load(self, field: str) -> Any:
        """The object a ``"module:attribute"`` field names (imported on first use)."""
        ref = getattr(self, field)
        if not isinstance(ref, str):
            raise InputError(f"the {self.name} modality has no {field}")
        module, _, attr = ref.partition(":")
        loaded = importlib.import_module(module)
        return getattr(loaded, attr) if attr else loaded

    @property
    def extensions(self) -> tuple[str, ...]:
        """File extensions read for this modality (none without an ``io`` module)."""
        return tuple(self.load("io").EXTENSIONS) if self.io else ()

    def read(self, path: Any) -> Any:
        """One file as an item (:class:`~augviz.InputError` if unreadable)."""
        return self.load("io").read(path)

    def write(self, item: Any, path: Any) -> None:
        """Write one item to ``path`` (replacing it)."""
        self.load("io").write(item, path)

    def check_item(self, x: Any) -> None:
        """Raise :class:`~augviz.InputError` if ``x`` is not an item of this modality."""
        self.load("check")(x)

    def detect(self, x: Any) -> bool:
        """Whether ``x`` looks like an item of this modality."""
        return self.detect_with is not None and bool(self.load("detect_with")(x))


#: The modalities, in the order data are recognised (first match wins).
MODALITIES: tuple[Modality, ...] = (
    Modality("text", "Text", "augviz.text", check="augviz.text.base:check_text",
             detect_with="augviz.text.base:is_text", io="augviz.text.io",
             viewer="augviz.widgets.text_viewer:text_viewer", lab="augviz.lab.text:register_lab"),
    Modality("audio", "Audio", "augviz.audio", check="augviz.audio._audio:check_audio",
             detect_with="augviz.audio._audio:is_audio", io="augviz.audio.io",
             viewer="augviz.widgets.audio_viewer:audio_viewer", lab="augviz.lab.audio:register_lab"),
    Modality("image", "Image", "augviz.image", check="augviz.image._convert:check_image",
             detect_with="augviz.image._convert:is_image", io="augviz.image.io",
             viewer="augviz.widgets.viewers:image_viewer", lab="augviz.lab.image:register_lab"),
    Modality("spectrogram", "Spectrogram", "augviz.audio", check="augviz.audio.base:check_spectrogram",
             viewer="augviz.widgets.audio_viewer:audio_viewer"),
)
_BY_NAME = {m.name: m for m in MODALITIES}

# the core registry learns which package registers each modality's transforms
for _m in MODALITIES:
    _registry.declare_modality(_m.name, _m.package)


def get(name: str) -> Modality:
    """The record of modality ``name``; an unknown name is an :class:`~augviz.InputError`."""
    try:
        return _BY_NAME[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown modality {name!r}; allowed: {', '.join(_BY_NAME)}") from None


def all_modalities() -> Iterator[Modality]:
    """Every modality record, in recognition order."""
    return iter(MODALITIES)


def detect_modality(data: Any, default: str = "image") -> str:
    """The modality of an item, of a list/tuple/array of items, or of an ``(X, y)``
    pair; ``default`` when nothing recognises it (arrays are images unless told).

    Example
    -------
    >>> detect_modality(["one", "two"])
    'text'
    """
    item = data
    if isinstance(item, tuple) and len(item) == 2:
        item = item[0]  # an (X, y) pair
    for _ in range(3):  # unwrap a dataset with items, a list, an N×… array
        for m in MODALITIES:
            if m.detect(item):
                return m.name
        for attr in ("audios", "texts", "images"):
            if hasattr(item, attr):
                item = getattr(item, attr)
                break
        else:
            if isinstance(item, (list, tuple)) and item:
                item = item[0]
    return default
