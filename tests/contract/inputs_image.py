"""Image inputs for the contract tests: every supported type, dtype and mode."""

from __future__ import annotations

import numpy as np
from PIL import Image


def _rgb(h: int = 40, w: int = 48) -> np.ndarray:
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([xx * 255 // (w - 1), yy * 255 // (h - 1), (xx + yy) * 255 // (h + w - 2)], -1)
    noise = rng.integers(0, 40, size=(h, w, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


INPUTS = [
    ("uint8_hwc", lambda: _rgb()),
    ("uint8_hw", lambda: _rgb()[:, :, 0].copy()),
    ("uint8_hw1", lambda: _rgb()[:, :, :1].copy()),
    ("float32_hwc", lambda: _rgb().astype(np.float32) / 255.0),
    ("float32_hw", lambda: _rgb()[:, :, 2].astype(np.float32) / 255.0),
    ("float32_rgba",
     lambda: np.dstack([_rgb(), np.full((40, 48), 90, np.uint8)]).astype(np.float32) / 255.0),
    ("uint8_small", lambda: _rgb(9, 7)),
    ("uint8_rgba", lambda: np.dstack([_rgb(), np.full((40, 48), 200, np.uint8)])),
    ("pil_rgb", lambda: Image.fromarray(_rgb())),
    ("pil_l", lambda: Image.fromarray(_rgb()[:, :, 1].copy())),
    ("pil_rgba", lambda: Image.fromarray(np.dstack([_rgb(), np.full((40, 48), 200, np.uint8)]))),
]

#: a batch for the batch-path contract (N×H×W uint8 and float32, 16 px like the lab's digits)
BATCHES = [
    ("digits_uint8",
     lambda: np.random.default_rng(3).integers(0, 256, (12, 16, 16), dtype=np.uint8)),
    ("digits_float32", lambda: np.random.default_rng(4).random((12, 16, 16), dtype=np.float32)),
    ("rgb_uint8",
     lambda: np.random.default_rng(5).integers(0, 256, (6, 20, 24, 3), dtype=np.uint8)),
    ("rgba_float32", lambda: np.random.default_rng(6).random((5, 12, 10, 4), dtype=np.float32)),
]
