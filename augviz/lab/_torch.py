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

__all__ = ["TorchCNN", "TorchConvNet"]



def _channels_first(x: Any, input_shape: tuple[int, ...]) -> Any:
    """A batch N×H×W(×C) as the float32 N×C×H×W tensor a model built for ``input_shape`` takes."""
    x = np.asarray(x, np.float32)
    if x.ndim == 3:
        x = x[..., None]
    if x.shape[1:] != input_shape:
        raise InputError(f"model built for items of shape {input_shape}; got {x.shape[1:]}")
    return torch.from_numpy(np.ascontiguousarray(np.moveaxis(x, -1, 1)))


def _channels_last(x: Any, input_shape: tuple[int, ...]) -> Any:
    """A batch N×H×W(×C) as a float32 N×C×H×W tensor in channels-last memory: a view of
    the numpy array's own N×H×W×C layout (no copy for float32 input)."""
    x = np.asarray(x, np.float32)
    if x.ndim == 3:
        x = x[..., None]
    if x.shape[1:] != input_shape:
        raise InputError(f"model built for items of shape {input_shape}; got {x.shape[1:]}")
    return torch.from_numpy(np.ascontiguousarray(x)).permute(0, 3, 1, 2)


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
        return _channels_first(x, self.input_shape)

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


class _threads:
    """Run torch on ``n`` intra-op threads, then restore the caller's setting."""

    def __init__(self, n: int) -> None:
        self.n = max(1, int(n))

    def __enter__(self) -> None:
        self.old = torch.get_num_threads()
        torch.set_num_threads(self.n)

    def __exit__(self, *exc: object) -> None:
        torch.set_num_threads(self.old)


def _block(c_in: int, c_out: int) -> Any:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out),
                         nn.ReLU(inplace=True), nn.MaxPool2d(2))


class TorchConvNet:
    """A small CNN for real images and spectrograms: ``blocks`` × (3×3 conv with batch
    norm, ReLU, 2×2 max-pool), widths ``width, 2·width, …``, global average pool, dense;
    AdamW, batch 32, float32.

    On a CUDA GPU when one is present, else on the CPU with ``threads`` intra-op threads
    (default 1: on a 2-core machine shared with other work, 2 threads trained 4× slower
    than 1; width 8 trains as fast as the one-layer CNN of 16 maps). Weights and batches
    are channels-last (N×H×W×C in memory, as the lab's features already are): on the CPU
    a training epoch took 0.64× the time of the channels-first layout and an evaluation
    0.43× (the 2×2 max-pool dominates channels-first). Deterministic for a seed on the
    CPU: the initial weights come from a private generator and the batches from the
    lab's ``rng``.
    """

    def __init__(self, input_shape: tuple[int, ...], n_classes: int, seed: int = 0, *,
                 width: int = 8, blocks: int = 3, lr: float = 3e-3, batch_size: int = 32,
                 threads: int | None = None, device: str | None = None) -> None:
        if len(input_shape) == 2:
            input_shape = (*input_shape, 1)
        h, w, c = (int(v) for v in input_shape)
        self.input_shape = (h, w, c)
        self.batch_size = int(batch_size)
        blocks = max(1, min(int(blocks), int(np.log2(max(2, min(h, w))))))
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.threads = int(threads) if threads else 1
        layers, c_in = [], c
        for b in range(blocks):
            layers.append(_block(c_in, width * 2**b))
            c_in = width * 2**b
        self.net = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                 nn.Linear(c_in, n_classes))
        gen = torch.Generator().manual_seed(int(seed) % 2**63)
        with torch.no_grad():
            for m in self.net.modules():  # seeded init, independent of torch's global RNG
                if isinstance(m, (nn.Conv2d, nn.Linear)):
                    fan_in = m.weight[0].numel()
                    m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
                    if m.bias is not None:
                        m.bias.zero_()
        self.net.to(self.device, memory_format=torch.channels_last)
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=lr, weight_decay=1e-4)

    @classmethod
    def factory(cls, input_shape: tuple[int, ...], n_classes: int, seed: int) -> TorchConvNet:
        """The lab factory with default settings."""
        return cls(input_shape, n_classes, seed)

    def _tensor(self, x: Any) -> Any:
        return _channels_last(x, self.input_shape)

    def fit_epoch(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None:
        """One shuffled pass over ``(x, y)`` in mini-batches (a last batch of one item is
        dropped: batch norm cannot train on it)."""
        xt, yt = self._tensor(x), torch.from_numpy(np.asarray(y, np.int64))
        order = torch.from_numpy(rng.permutation(len(yt)))
        self.net.train()
        with _threads(self.threads), torch.enable_grad():
            for start in range(0, len(yt), self.batch_size):
                idx = order[start : start + self.batch_size]
                if len(idx) < 2:
                    continue
                xb = xt[idx].to(self.device).contiguous(memory_format=torch.channels_last)
                yb = yt[idx].to(self.device)
                self.opt.zero_grad()
                loss = nn.functional.cross_entropy(self.net(xb), yb)
                loss.backward()
                self.opt.step()

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, ``(N, n_classes)`` float32."""
        self.net.eval()
        xt = self._tensor(x)
        out = []
        with _threads(self.threads), torch.inference_mode():
            for start in range(0, len(xt), 256):
                logits = self.net(xt[start : start + 256].to(self.device))
                out.append(torch.softmax(logits, dim=1).cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, self.net[-1].out_features), np.float32)

