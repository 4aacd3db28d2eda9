"""The lab's CNN in PyTorch (imported only when ``model="torch"`` is asked for)."""

from __future__ import annotations

from typing import Any

import numpy as np

from augviz.core import InputError

try:
    import torch
    from torch import nn
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise InputError(
        "model='torch' needs PyTorch, which is not installed; use model='cnn' (numpy) or "
        "pip install torch"
    ) from exc

__all__ = ["TorchCNN"]


class _one_thread:
    """Run torch on one intra-op thread (like the numpy model's one BLAS thread), then
    restore the caller's setting."""

    def __enter__(self) -> None:
        self.old = torch.get_num_threads()
        torch.set_num_threads(1)

    def __exit__(self, *exc: object) -> None:
        torch.set_num_threads(self.old)


class TorchCNN:
    """3×3 conv ×16 → 2×2 max-pool → ReLU → dense, Adam 3e-3, batch 32, CPU, float32."""

    def __init__(self, input_shape: tuple[int, ...], n_classes: int, seed: int = 0, *,
                 filters: int = 16, lr: float = 3e-3, batch_size: int = 32) -> None:
        if len(input_shape) == 2:
            input_shape = (*input_shape, 1)
        h, w, c = (int(v) for v in input_shape)
        self.input_shape = (h, w, c)
        self.batch_size = batch_size
        gen = torch.Generator().manual_seed(int(seed) % 2**63)
        hp, wp = (h - 2) // 2, (w - 2) // 2
        self.net = nn.Sequential(
            nn.Conv2d(c, filters, 3), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(),
            nn.Linear(filters * hp * wp, n_classes),
        )
        with torch.no_grad():
            for p in self.net.parameters():  # seeded init, independent of torch's global RNG
                p.copy_(torch.randn(p.shape, generator=gen) * (2.0 / max(1, p[0].numel())) ** 0.5
                        if p.ndim > 1 else torch.zeros(p.shape))
        self.opt = torch.optim.Adam(self.net.parameters(), lr=lr)

    def _tensor(self, x: Any) -> Any:
        x = np.asarray(x, np.float32)
        if x.ndim == 3:
            x = x[..., None]
        if x.shape[1:] != self.input_shape:
            raise InputError(
                f"model built for items of shape {self.input_shape}; got {x.shape[1:]}"
            )
        return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))

    def fit_epoch(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None:
        xt, yt = self._tensor(x), torch.from_numpy(np.asarray(y, np.int64))
        order = torch.from_numpy(rng.permutation(len(yt)))
        self.net.train()
        with _one_thread(), torch.enable_grad():
            for start in range(0, len(yt), self.batch_size):
                idx = order[start : start + self.batch_size]
                self.opt.zero_grad()
                loss = nn.functional.cross_entropy(self.net(xt[idx]), yt[idx])
                loss.backward()
                self.opt.step()

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        self.net.eval()
        with _one_thread(), torch.no_grad():
            return torch.softmax(self.net(self._tensor(x)), dim=1).numpy()
