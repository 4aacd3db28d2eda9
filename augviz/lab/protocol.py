"""The lab's training protocol, once: :func:`~augviz.lab.compare` trains every arm with
it and :func:`~augviz.lab.train_oracle` the label-risk oracle.

A :class:`Fold` is one seed's stratified split of the data with the features of its
clean items and the seed of the initial weights, shared by every arm of that seed (so a
change in validation accuracy between arms is a paired difference). :func:`fit_arm`
trains one arm on a fold, one epoch per step. By default (``mix="aug"``) an arm with a
recipe trains the way a training loop with that recipe would: every training item goes
through the recipe (``recipe.batch(x_train, rng)``; the recipe's own ``p`` values decide
what is touched), twice per epoch with fresh draws; ``mix="clean+aug"`` trains on the
clean set plus one augmented copy instead (the clean copy anchors the labels and hides
harm). An arm without a recipe trains on the clean set, twice with ``repeat_clean`` (the
compute-matched control: as many items per epoch as an augmented arm). After every
epoch it yields the four metrics, so a caller can interleave arms, report progress and
stop between epochs.

Example
-------
>>> import numpy as np
>>> from augviz.lab import load_data
>>> from augviz.lab.models import SoftmaxRegression, features_for
>>> digits, feat = load_data("digits"), features_for("image")
>>> fold = make_fold(digits, feat, 200, 100, split_seed=np.random.SeedSequence(0),
...                  init_seed=np.random.SeedSequence(1), where="example")
>>> model = fold.new_model(SoftmaxRegression.factory, "logreg")
>>> rows = list(fit_arm(model, fold, feat, epochs=2, seed=np.random.SeedSequence(2)))
>>> len(rows), sorted(rows[-1])
(2, ['train_acc', 'train_loss', 'val_acc', 'val_loss'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

import numpy as np

from augviz.core import InputError, Recipe

from .args import MIX
from .data import LabData, Split, split

__all__ = ["METRICS", "Fold", "augmented_features", "evaluate", "fit_arm", "make_fold"]

METRICS = ("train_acc", "train_loss", "val_acc", "val_loss")
# Large training sets go through the recipe in blocks of about this many bytes of items
# (64 photos of 256 px): each block's copies stay small (no fresh pages from the system
# for every epoch) and its features are made while it is warm in the cache.
CHUNK_BYTES = 12 << 20


@dataclass(frozen=True, eq=False)
class Fold:
    """One seed's split: the training items (augmented every epoch), their labels and
    features, the validation labels and features, and the initial-weights seed."""

    split: Split
    x_train: Any
    y_train: np.ndarray
    f_train: np.ndarray
    y_val: np.ndarray
    f_val: np.ndarray
    n_classes: int
    init_seed: int

    def new_model(self, factory: Callable[..., Any], name: str) -> Any:
        """A model from ``factory(input_shape, n_classes, seed)`` with the fold's initial
        weights; :class:`~augviz.InputError` if it lacks ``fit_epoch``/``predict_proba``."""
        model = factory(tuple(self.f_train.shape[1:]), self.n_classes, self.init_seed)
        fit, predict = getattr(model, "fit_epoch", None), getattr(model, "predict_proba", None)
        if not (callable(fit) and callable(predict)):
            raise InputError(
                f"model {name!r} built a {type(model).__name__}, which lacks "
                "fit_epoch(x, y, rng) and/or predict_proba(x)"
            )
        return model


def make_fold(
    data: LabData,
    features: Callable[[Any], np.ndarray],
    train_size: int,
    val_size: int | None,
    *,
    split_seed: np.random.SeedSequence,
    init_seed: np.random.SeedSequence,
    where: str,
) -> Fold:
    """Split ``data`` (see :func:`~augviz.lab.data.split`; ``split_seed`` draws it) and
    compute the clean features; ``init_seed`` gives the seed of the initial weights."""
    sp = split(data, train_size, val_size, np.random.default_rng(split_seed), where=where)
    x_train, y_train = data.subset(sp.train)
    x_val, y_val = data.subset(sp.val)
    f_train = features(x_train)
    return Fold(sp, x_train, y_train, f_train, y_val, features(x_val), data.n_classes,
                int(init_seed.generate_state(1)[0]))


def _nbytes(x: Any) -> int:
    if isinstance(x, np.ndarray):
        return int(x.nbytes)
    return sum(int(getattr(i, "nbytes", 0)) for i in x) if isinstance(x, list) else 0


def augmented_features(recipe: Recipe, x: Any, features: Callable[[Any], np.ndarray],
                       rng: np.random.Generator) -> np.ndarray:
    """``features(recipe.batch(x, rng))``: every item of ``x`` through the recipe at its
    own size, then the model's copy. Items larger in all than :data:`CHUNK_BYTES` go in
    blocks of consecutive items (each block one ``recipe.batch`` call drawing from
    ``rng`` in turn: the same distribution, other draws than one call)."""
    total = _nbytes(x)
    if total <= CHUNK_BYTES or len(x) < 2:
        return features(recipe.batch(x, rng=rng))
    step = max(1, int(len(x) * CHUNK_BYTES // total))
    return np.concatenate([features(recipe.batch(x[s : s + step], rng=rng))
                           for s in range(0, len(x), step)])


def evaluate(model: Any, f: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Accuracy and mean cross-entropy of ``model`` on features ``f`` with labels ``y``."""
    proba = np.asarray(model.predict_proba(f))
    p = proba[np.arange(len(y)), y]
    return float(np.mean(proba.argmax(1) == y)), float(-np.mean(np.log(np.clip(p, 1e-7, 1.0))))


def fit_arm(
    model: Any,
    fold: Fold,
    features: Callable[[Any], np.ndarray],
    *,
    epochs: int,
    seed: np.random.SeedSequence,
    recipe: Recipe | None = None,
    mix: str = "aug",
    repeat_clean: bool = False,
    measure: bool = True,
    prefetch: Executor | None = None,
) -> Iterator[dict[str, float]]:
    """Train ``model`` on ``fold`` for ``epochs`` epochs, yielding after each one.

    Parameters
    ----------
    seed : numpy.random.SeedSequence
        Spawns the arm's two streams: mini-batch shuffles and augmentation draws.
    recipe : Recipe or None
        The arm's augmentation (None: the clean set only).
    mix : {"aug", "clean+aug"}
        With a recipe, each epoch trains on two fresh augmented copies of the training
        set (every item through the recipe, as a training loop would), or on the clean set
        plus one augmented copy (the same compute).
    repeat_clean : bool
        Without a recipe, train on the clean set twice per epoch (the control arm).
    measure : bool
        Yield ``train_acc``, ``train_loss``, ``val_acc`` and ``val_loss`` of the clean
        items after each epoch (else an empty dict: the caller only trains).
    prefetch : concurrent.futures.Executor, optional
        Augment the next epoch's items on this executor (a thread) while the model
        trains on the current ones. The recipe's draws are taken in the same order
        either way, so the results are the same bytes.
    """
    mix = MIX.check_argument(mix, where="lab.fit_arm")
    g_train, g_aug = (np.random.default_rng(s) for s in seed.spawn(2))
    y2 = np.concatenate([fold.y_train, fold.y_train])
    f2 = np.concatenate([fold.f_train, fold.f_train]) if recipe is None and repeat_clean else None

    def augmented_epoch(r: Recipe) -> np.ndarray:
        aug = augmented_features(r, fold.x_train, features, g_aug)
        first = augmented_features(r, fold.x_train, features, g_aug) if mix == "aug" else fold.f_train
        return np.concatenate([first, aug])

    pending: Future[np.ndarray] | None = None
    try:
        for epoch in range(epochs):
            if recipe is not None:
                if prefetch is None:
                    x_epoch = augmented_epoch(recipe)
                else:
                    x_epoch = (pending or prefetch.submit(augmented_epoch, recipe)).result()
                    pending = prefetch.submit(augmented_epoch, recipe) if epoch + 1 < epochs else None
                model.fit_epoch(x_epoch, y2, g_train)
            elif f2 is not None:
                model.fit_epoch(f2, y2, g_train)
            else:
                model.fit_epoch(fold.f_train, fold.y_train, g_train)
            if not measure:
                yield {}
                continue
            train_acc, train_loss = evaluate(model, fold.f_train, fold.y_train)
            val_acc, val_loss = evaluate(model, fold.f_val, fold.y_val)
            yield {"train_acc": train_acc, "train_loss": train_loss,
                   "val_acc": val_acc, "val_loss": val_loss}
    finally:  # stopped early: the augmentation under way is not needed
        if pending is not None and not pending.cancel():
            pending.exception()  # wait for it: nothing of this arm runs after it closes
