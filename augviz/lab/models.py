"""Quick models for the lab, the model protocol and the per-modality registry.

A lab model is anything with two methods (duck typing; no base class needed)::

    model.fit_epoch(x, y, rng)   # one pass over (x, y) in shuffled mini-batches
    model.predict_proba(x)       # -> (N, n_classes) class probabilities

built by a *factory* ``factory(input_shape, n_classes, seed) -> model`` where
``input_shape`` is the shape of one item *after* the modality's feature function
(``(H, W, C)`` for images). ``x`` is what the feature function returns for a batch
(a float32 array), ``y`` int64 labels in ``0 .. n_classes - 1``, ``rng`` a numpy
Generator. Register a factory with :func:`register_model`; the lab looks models up by
``(modality, name)`` and ``model="auto"`` takes the modality's default.

Each modality plugs its feature function (:func:`register_features`), models and
datasets in through the ``lab`` function its :mod:`augviz.modalities` record names
(:mod:`augviz.lab.image`, :mod:`augviz.lab.audio`, :mod:`augviz.lab.text`); those run
before the first lookup or registration, so a user's registration replaces theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from augviz.core import AugvizError, InputError

from .data import ensure_plugins

__all__ = [
    "CNN",
    "LabModel",
    "ModelFactory",
    "SoftmaxRegression",
    "available_models",
    "features_for",
    "features_of",
    "model_factory",
    "register_features",
    "register_model",
]


@runtime_checkable
class LabModel(Protocol):
    """What the lab needs from a model (see the module docstring)."""

    def fit_epoch(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None: ...

    def predict_proba(self, x: np.ndarray) -> np.ndarray: ...


ModelFactory = Callable[[tuple[int, ...], int, int], Any]
FeatureFn = Callable[[Any], np.ndarray]


@dataclass(frozen=True)
class _Entry:
    factory: ModelFactory
    doc: str


_MODELS: dict[str, dict[str, _Entry]] = {}
_DEFAULT: dict[str, str] = {}
_FEATURES: dict[str, FeatureFn] = {}


def register_model(
    modality: str, name: str, factory: ModelFactory, *, default: bool = False, doc: str = ""
) -> None:
    """Make ``factory`` available to the lab as ``model=name`` for ``modality`` data.

    Parameters
    ----------
    modality : str
        ``"image"``, ``"audio"``, ``"text"``, …
    name : str
        What users pass as ``model=``.
    factory : callable
        ``factory(input_shape, n_classes, seed) -> model`` (see the module docstring).
    default : bool
        Use it for ``model="auto"`` (the first model registered for a modality is the
        default until another one claims it).

    Example
    -------
    >>> from augviz.lab.models import SoftmaxRegression, register_model
    >>> register_model("image", "logreg", SoftmaxRegression.factory)
    """
    if not callable(factory):
        raise AugvizError(f"register_model: factory for {modality}/{name} is not callable")
    ensure_plugins()
    _MODELS.setdefault(modality, {})[name] = _Entry(factory, doc or (factory.__doc__ or ""))
    if default or modality not in _DEFAULT:
        _DEFAULT[modality] = name


def register_features(modality: str, fn: FeatureFn) -> None:
    """Set the function that turns a batch of (augmented) ``modality`` items into the
    float32 array models train on (images: ``N×H×W×C`` in [0, 1]; audio: log-mel; text:
    hashed counts). Replaces any earlier one."""
    if not callable(fn):
        raise AugvizError(f"register_features: the feature function for {modality} is not callable")
    ensure_plugins()
    _FEATURES[modality] = fn


def available_models(modality: str | None = None) -> dict[str, list[str]]:
    """Registered model names by modality (the default first)."""
    ensure_plugins()
    out = {}
    for mod, names in sorted(_MODELS.items()):
        if modality is None or mod == modality:
            default = _DEFAULT.get(mod)
            out[mod] = sorted(names, key=lambda n: (n != default, n))
    return out


def model_factory(model: Any, modality: str, data: Any = None) -> tuple[str, ModelFactory]:
    """``(name, factory)`` for ``model`` = ``"auto"``, a registered name or a factory.

    ``"auto"`` on a user's own image files (``data`` read from a folder) with PyTorch
    installed is ``"convnet"`` (:class:`~augviz.lab._torch.TorchConvNet`): on 300 photo
    crops at 32 px it reached 0.785 vs 0.720 (orientation classes) and 0.995 vs 0.960
    (colour classes) at about 4× the time. Otherwise the modality's default: the numpy
    CNN on 16 px digits (0.958 in 2.6 s CPU against the convnet's 0.984 in 124 s) and on
    audio folders (the convnet needs more steps than a 10-clip folder gives)."""
    if callable(model) and not isinstance(model, str):
        return getattr(model, "__name__", type(model).__name__), model
    ensure_plugins()
    names = _MODELS.get(modality, {})
    if (model == "auto" and modality in CONVNET_FIRST and "convnet" in names and _own_files(data)
            and torch_available()):
        model = "convnet"
    if model == "auto":
        if modality not in _DEFAULT:
            raise InputError(
                f"no lab model is registered for {modality!r} data; pass model=<factory> "
                f"or register one with augviz.lab.register_model({modality!r}, name, factory)"
            )
        model = _DEFAULT[modality]
    if not isinstance(model, str) or model not in names:
        allowed = ", ".join(["'auto'", *map(repr, sorted(names))])
        raise InputError(
            f"model={model!r} is not available for {modality} data; allowed: {allowed}, "
            "or a factory(input_shape, n_classes, seed)"
        )
    return model, names[model].factory


CONVNET_FIRST = ("image",)  # modalities whose own files default to the PyTorch convnet


def _own_files(data: Any) -> bool:
    meta = getattr(data, "meta", None)
    return isinstance(meta, dict) and "path" in meta


def torch_available() -> bool:
    """Whether PyTorch can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def features_for(modality: str) -> FeatureFn:
    """The registered feature function for ``modality`` (if none: the items as one
    float32 array)."""
    ensure_plugins()
    return _FEATURES.get(modality, _as_float_array)


def features_of(data: Any) -> FeatureFn:
    """The feature function of a :class:`~augviz.lab.LabData`: its own (an image
    folder's resizes to the model's size), else its modality's."""
    own = getattr(data, "features", None)
    return own if own is not None else features_for(data.modality)


def _as_float_array(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


# ---------------------------------------------------------------------------------
# numpy models
# ---------------------------------------------------------------------------------


class _Adam:
    """Adam over one flat float32 parameter buffer (a handful of numpy calls per step)."""

    def __init__(self, params: np.ndarray, lr: float, b1: float = 0.9, b2: float = 0.999,
                 eps: float = 1e-8) -> None:
        self.p = params
        self.m = np.zeros_like(params)
        self.v = np.zeros_like(params)
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.t = 0
        self._tmp = np.empty_like(params)

    def step(self, g: np.ndarray) -> None:
        self.t += 1
        b1, b2 = self.b1, self.b2
        self.m *= b1
        self.m += (1 - b1) * g
        self.v *= b2
        np.multiply(g, g, out=self._tmp)
        self._tmp *= 1 - b2
        self.v += self._tmp
        lr_t = self.lr * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        np.sqrt(self.v, out=self._tmp)
        self._tmp += self.eps
        np.divide(self.m, self._tmp, out=self._tmp)
        self._tmp *= np.float32(lr_t)
        self.p -= self._tmp


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    return logits


class CNN:
    """The lab's default image model: a small numpy CNN.

    3×3 valid convolution (``filters`` maps) → 2×2 max-pool → ReLU → dense softmax;
    Adam (``lr``), mini-batches of ``batch_size``, float32, fully vectorised. Inputs
    ``N×H×W×C`` float32; odd sizes are cropped by one pixel so the pool tiles exactly.

    Internally the batch axis is last and im2col columns are grouped by pool offset, so
    the im2col copy, the pool and its backward pass are all contiguous numpy operations.

    Example
    -------
    >>> import numpy as np
    >>> net = CNN((16, 16, 1), n_classes=3, seed=0)
    >>> net.predict_proba(np.zeros((2, 16, 16, 1), np.float32)).shape
    (2, 3)
    """

    def __init__(self, input_shape: tuple[int, ...], n_classes: int, seed: int = 0, *,
                 filters: int = 16, lr: float = 3e-3, batch_size: int = 32) -> None:
        if len(input_shape) == 2:
            input_shape = (*input_shape, 1)
        if len(input_shape) != 3 or min(input_shape[:2]) < 4:
            raise InputError(
                f"CNN input shape {input_shape} is not allowed; allowed: (H, W) or (H, W, C) "
                "with H, W >= 4"
            )
        h, w, c = (int(v) for v in input_shape)
        self.input_shape = (h, w, c)
        # crop so the conv output (size - 2) is even and the 2×2 pool tiles it exactly
        self._h, self._w = h - (h % 2), w - (w % 2)
        self._hp, self._wp = (self._h - 2) // 2, (self._w - 2) // 2
        self.n_classes, self.filters = int(n_classes), int(filters)
        self.batch_size = int(batch_size)
        k, f = 9 * c, self.filters
        d = f * self._hp * self._wp
        sizes = {"W1": (f, k), "b1": (f, 1), "W2": (self.n_classes, d), "b2": (self.n_classes, 1)}
        total = sum(int(np.prod(s)) for s in sizes.values())
        self._params = np.zeros(total, np.float32)
        self._grads = np.zeros(total, np.float32)
        self.p: dict[str, np.ndarray] = {}
        self.g: dict[str, np.ndarray] = {}
        at = 0
        for name, shape in sizes.items():
            n = int(np.prod(shape))
            self.p[name] = self._params[at : at + n].reshape(shape)
            self.g[name] = self._grads[at : at + n].reshape(shape)
            at += n
        gen = np.random.default_rng(seed)
        self.p["W1"][...] = gen.standard_normal((f, k)) * np.sqrt(2.0 / k)
        self.p["W2"][...] = gen.standard_normal((self.n_classes, d)) * np.sqrt(1.0 / d)
        self._adam = _Adam(self._params, lr)

    @classmethod
    def factory(cls, input_shape: tuple[int, ...], n_classes: int, seed: int) -> CNN:
        """The lab factory: ``CNN(input_shape, n_classes, seed)`` with default settings."""
        return cls(input_shape, n_classes, seed)

    def _prep(self, x: np.ndarray) -> np.ndarray:
        """``N×H×W×C`` → cropped, batch-last ``H×W×C×N`` float32 (one copy)."""
        x = np.asarray(x, np.float32)
        if x.ndim == 3:
            x = x[..., None]
        if x.shape[1:] != self.input_shape:
            raise InputError(f"CNN built for items of shape {self.input_shape}; got {x.shape[1:]}")
        return np.ascontiguousarray(np.moveaxis(x[:, : self._h, : self._w], 0, -1))

    def _cols(self, xt: np.ndarray) -> np.ndarray:
        """im2col of a batch-last block: ``(9·C, 4·hp·wp·n)``, columns grouped by the
        pool offset (dy, dx) so that pooling is a max over 4 contiguous blocks."""
        sh, sw, sc, sn = xt.strides
        n, c = xt.shape[3], xt.shape[2]
        view = np.lib.stride_tricks.as_strided(
            xt,
            shape=(3, 3, c, 2, 2, self._hp, self._wp, n),
            strides=(sh, sw, sc, sh, sw, 2 * sh, 2 * sw, sn),
            writeable=False,
        )
        return view.reshape(9 * c, -1)

    def _forward(self, xt: np.ndarray) -> tuple[np.ndarray, ...]:
        n = xt.shape[-1]
        f = self.filters
        cols = self._cols(xt)
        z = self.p["W1"] @ cols  # (F, 4·P·n)
        z += self.p["b1"]
        z4 = z.reshape(f, 4, -1)
        pooled = np.maximum(z4[:, 0], z4[:, 1])
        np.maximum(pooled, z4[:, 2], out=pooled)
        np.maximum(pooled, z4[:, 3], out=pooled)
        a = np.maximum(pooled, 0)  # relu(maxpool(z)) == maxpool(relu(z)), on 4× fewer values
        flat = a.reshape(-1, n)  # (F·P, n)
        logits = self.p["W2"] @ flat
        logits += self.p["b2"]
        return cols, z4, pooled, flat, logits

    def _step(self, xt: np.ndarray, y: np.ndarray) -> None:
        n = xt.shape[-1]
        cols, z4, pooled, flat, logits = self._forward(xt)
        d = _softmax0(logits)
        d[y, np.arange(n)] -= 1.0
        d *= np.float32(1.0 / n)
        np.matmul(d, flat.T, out=self.g["W2"])
        d.sum(axis=1, keepdims=True, out=self.g["b2"])
        dpool = (self.p["W2"].T @ d).reshape(pooled.shape)
        dpool *= pooled > 0
        # max-pool backward: split the gradient among tied maxima (a valid subgradient;
        # ties are common where a window is all background)
        mask = np.empty(z4.shape, np.float32)
        np.equal(z4, pooled[:, None], out=mask, casting="unsafe")
        dpool /= mask.sum(axis=1)
        mask *= dpool[:, None]
        dz = mask.reshape(self.filters, -1)
        np.matmul(dz, cols.T, out=self.g["W1"])
        dz.sum(axis=1, keepdims=True, out=self.g["b1"])
        self._adam.step(self._grads)

    def fit_epoch(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None:
        """One shuffled pass over ``(x, y)`` in mini-batches."""
        xt = self._prep(x)
        y = np.asarray(y, np.int64)
        order = rng.permutation(len(y))
        bs = self.batch_size
        for start in range(0, len(y), bs):
            idx = order[start : start + bs]
            self._step(np.take(xt, idx, axis=-1), y[idx])

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, ``(N, n_classes)`` float32."""
        xt = self._prep(x)
        n = xt.shape[-1]
        out = np.empty((n, self.n_classes), np.float32)
        step = 64  # small blocks keep the im2col and conv outputs in cache
        for start in range(0, n, step):
            block = np.ascontiguousarray(xt[..., start : start + step])
            out[start : start + step] = _softmax0(self._forward(block)[-1]).T
        return out


def _softmax0(logits: np.ndarray) -> np.ndarray:
    """Softmax over axis 0 (classes × batch), in place."""
    logits -= logits.max(axis=0, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=0, keepdims=True)
    return logits


class SoftmaxRegression:
    """Multinomial logistic regression in numpy (Adam, mini-batches, optional L2).

    Flattens each item; a good default for feature vectors (hashed text) and a baseline for small images.

    Example
    -------
    >>> import numpy as np
    >>> m = SoftmaxRegression((4,), n_classes=2, seed=0)
    >>> m.predict_proba(np.zeros((3, 4), np.float32)).shape
    (3, 2)
    """

    def __init__(self, input_shape: tuple[int, ...], n_classes: int, seed: int = 0, *,
                 lr: float = 1e-2, batch_size: int = 32, l2: float = 1e-4) -> None:
        d = int(np.prod(input_shape))
        self.input_shape = tuple(int(v) for v in input_shape)
        self.n_classes, self.batch_size, self.l2 = int(n_classes), int(batch_size), float(l2)
        self._params = np.zeros(d * n_classes + n_classes, np.float32)
        self._grads = np.zeros_like(self._params)
        self.W = self._params[: d * n_classes].reshape(d, n_classes)
        self.b = self._params[d * n_classes :]
        self.gW = self._grads[: d * n_classes].reshape(d, n_classes)
        self.gb = self._grads[d * n_classes :]
        self.W[...] = np.random.default_rng(seed).standard_normal((d, n_classes)) * 0.01
        self._adam = _Adam(self._params, lr)

    @classmethod
    def factory(cls, input_shape: tuple[int, ...], n_classes: int, seed: int) -> SoftmaxRegression:
        """The lab factory with default settings."""
        return cls(input_shape, n_classes, seed)

    def _flat(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, np.float32).reshape(len(x), -1)

    def fit_epoch(self, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None:
        """One shuffled pass over ``(x, y)``."""
        x = self._flat(x)
        y = np.asarray(y, np.int64)
        order = rng.permutation(len(x))
        for start in range(0, len(x), self.batch_size):
            idx = order[start : start + self.batch_size]
            xb = x[idx]
            d = _softmax(xb @ self.W + self.b)
            d[np.arange(len(idx)), y[idx]] -= 1.0
            d *= np.float32(1.0 / len(idx))
            np.matmul(xb.T, d, out=self.gW)
            self.gW += np.float32(self.l2) * self.W
            d.sum(axis=0, out=self.gb)
            self._adam.step(self._grads)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, ``(N, n_classes)``."""
        return _softmax(self._flat(x) @ self.W + self.b)


def torch_cnn_factory(input_shape: tuple[int, ...], n_classes: int, seed: int) -> Any:
    """The same CNN in PyTorch (CPU, one thread); needs ``torch`` installed."""
    from ._torch import TorchCNN  # imports torch; a clear error if it is missing

    return TorchCNN(input_shape, n_classes, seed)



def torch_convnet_factory(input_shape: tuple[int, ...], n_classes: int, seed: int) -> Any:
    """A small PyTorch CNN for real images and spectrograms (3 conv blocks with batch norm,
    global average pool; GPU if present, else one CPU thread); needs ``torch`` installed."""
    from ._torch import TorchConvNet  # imports torch; a clear error if it is missing

    return TorchConvNet(input_shape, n_classes, seed)
