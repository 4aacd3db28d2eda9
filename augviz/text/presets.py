"""EDA presets (Wei & Zou, EMNLP 2019, Table 3): strength ``alpha`` and augmented
sentences per original ``n_aug`` by training-set size. Each augmented sentence gets
one of the four EDA operations, as in the paper."""

from __future__ import annotations

from typing import Any

from augviz.core import Int, OneOf, Recipe

from .transforms import RandomDeletion, RandomInsertion, RandomSwap, SynonymReplacement

__all__ = ["EDA_TABLE", "eda_params", "eda_recipe"]

_N_TRAIN = Int("n_train", 1, 10**12, 500, doc="Training sentences.")

#: (largest training-set size, alpha, n_aug), the paper's recommended values
EDA_TABLE: tuple[tuple[float, float, int], ...] = (
    (500, 0.05, 16),
    (2000, 0.05, 8),
    (5000, 0.1, 4),
    (float("inf"), 0.1, 4),
)


def eda_params(n_train: int) -> dict[str, Any]:
    """The paper's ``alpha`` and ``n_aug`` for ``n_train`` training sentences.

    Example
    -------
    >>> eda_params(500), eda_params(10_000)
    ({'alpha': 0.05, 'n_aug': 16}, {'alpha': 0.1, 'n_aug': 4})
    """
    n_train = _N_TRAIN.check_argument(n_train, where="eda_params")
    for limit, alpha, n_aug in EDA_TABLE:
        if n_train <= limit:
            return {"alpha": alpha, "n_aug": n_aug}
    raise AssertionError("unreachable")  # pragma: no cover


def eda_recipe(
    n_train: int = 500, *, seed: int | None = None, keep_negations: bool = True
) -> Recipe:
    """An EDA recipe for a training set of ``n_train`` sentences: one of synonym
    replacement, random insertion, swap or deletion per call, at the paper's ``alpha``.

    The paper's ``n_aug`` (augmented copies per original) is stored in
    ``recipe.meta["eda"]`` for the training loop to use.

    Example
    -------
    >>> recipe = eda_recipe(n_train=500, seed=0)
    >>> recipe.meta["eda"]
    {'alpha': 0.05, 'n_aug': 16, 'n_train': 500}
    >>> isinstance(recipe("This phone is not worth 300 dollars."), str)
    True
    """
    params = eda_params(n_train)
    kw = {"alpha": params["alpha"], "keep_negations": keep_negations}
    steps = [
        SynonymReplacement(**kw),
        RandomInsertion(**kw),
        RandomSwap(**kw),
        RandomDeletion(**kw),
    ]
    return Recipe(
        [OneOf(steps)],
        modality="text",
        seed=seed,
        name=f"eda-n{n_train}",
        meta={"eda": {**params, "n_train": n_train}},
    )
