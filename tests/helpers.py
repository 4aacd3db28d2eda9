"""Shared test helpers (a module of its own: several folders have a conftest.py, so
``from conftest import ...`` would depend on collection order)."""

from __future__ import annotations

import importlib
import json
from typing import Any

import numpy as np


def contract_inputs(modality: str) -> list[tuple[str, Any]]:
    """Example inputs for a modality (``tests/contract/inputs_<modality>.py``)."""
    try:
        mod = importlib.import_module(f"contract.inputs_{modality}")
    except ModuleNotFoundError:
        return []
    return list(mod.INPUTS)


def contract_batches(modality: str) -> list[tuple[str, Any]]:
    try:
        mod = importlib.import_module(f"contract.inputs_{modality}")
    except ModuleNotFoundError:
        return []
    return list(getattr(mod, "BATCHES", []))


def as_bytes(x: Any) -> bytes:
    """A canonical byte form of any augviz output, for byte-identity checks."""
    if hasattr(x, "tobytes") and hasattr(x, "mode") and hasattr(x, "size"):  # PIL
        return x.mode.encode() + repr(x.size).encode() + x.tobytes()
    if isinstance(x, np.ndarray):
        return str(x.dtype).encode() + repr(x.shape).encode() + x.tobytes()
    if isinstance(x, str):
        return x.encode("utf-8")
    if hasattr(x, "samples"):
        return as_bytes(np.asarray(x.samples)) + repr(getattr(x, "sample_rate", None)).encode()
    return json.dumps(x, sort_keys=True, default=repr).encode()
