"""albumentations ↔ augviz.

- :func:`from_albumentations` reads what ``A.to_dict`` / ``A.save`` write (JSON or YAML,
  albumentations 1.x or 2.x, or a live ``A.Compose``) into a :class:`~augviz.Recipe`, with
  an :class:`ImportResult` listing each transform as exact, approximate (what differs, in
  measured numbers where possible) or dropped (why);
- :func:`to_albumentations` writes a dict that ``A.from_dict`` loads, and
  :func:`to_albumentations_source` the equivalent Python code.

``MAPPINGS`` go both ways, ``ALIASES`` are read only; the replay test
(tests/test_interop_albumentations_replay.py) checks each against albumentations' own
sampled parameters. Checked against albumentations 2.0.8 (the last MIT release).

One module per family of conversions (``_geometric``, ``_colour``, ``_quality``,
``_occlusion``, ``_prepare``: each holds its parameter conversions next to its
``MAPPINGS``), gathered by ``_table``; ``_reader`` and ``_writer`` walk pipelines;
``_targets`` converts ``bbox_params`` / ``keypoint_params``.
"""

from .._base import ImportResult, InteropError, Targets
from ._common import ALB_VERSION
from ._prepare import PREPROCESS_MAPPINGS
from ._reader import from_albumentations
from ._table import ALIASES, MAPPINGS, UNMAPPABLE
from ._writer import PEER, to_albumentations, to_albumentations_source

__all__ = [
    "ALB_VERSION",
    "ALIASES",
    "MAPPINGS",
    "PEER",
    "PREPROCESS_MAPPINGS",
    "UNMAPPABLE",
    "ImportResult",
    "InteropError",
    "Targets",
    "from_albumentations",
    "to_albumentations",
    "to_albumentations_source",
]
