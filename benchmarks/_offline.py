"""Imported first by the benchmarks that run albumentations: no network version check,
one BLAS thread, and no torch (albumentations imports it when it can, for ToTensorV2:
~8 s here, and the benchmarks never use it)."""

from __future__ import annotations

import os
import sys
from typing import Any

os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")  # no version check over the network
os.environ.setdefault("ALBUMENTATIONS_OFFLINE", "1")
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


class _NoTorch:
    """Makes the optional torch import fail fast."""

    @staticmethod
    def find_spec(name: str, path: Any = None, target: Any = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"torch is not used by this benchmark: {name}", name=name)


if "torch" not in sys.modules:
    sys.meta_path.insert(0, _NoTorch())  # type: ignore[arg-type]
