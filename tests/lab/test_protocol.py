"""The training protocol shared by compare and the label-risk oracle."""

from __future__ import annotations

import numpy as np
import pytest

from augviz import InputError
from augviz.lab import load_data, presets, train_oracle
from augviz.lab.models import SoftmaxRegression, features_for
from augviz.lab.protocol import METRICS, fit_arm, make_fold


class Counting(SoftmaxRegression):
    """Softmax regression that records the size of every epoch it trains on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.epochs: list[int] = []

    def fit_epoch(self, x, y, rng):
        self.epochs.append(len(y))
        super().fit_epoch(x, y, rng)


@pytest.fixture(scope="module")
def fold():
    ss = np.random.SeedSequence(0).spawn(2)
    return make_fold(load_data("digits"), features_for("image"), 120, 60, split_seed=ss[0],
                     init_seed=ss[1], where="test")


def run(fold, epochs=3, **kwargs):
    model = fold.new_model(Counting, "counting")
    rows = list(fit_arm(model, fold, features_for("image"), epochs=epochs,
                        seed=np.random.SeedSequence(1), **kwargs))
    return model, rows


def test_fold_is_a_stratified_split_with_features(fold):
    assert len(fold.split.train) == len(fold.y_train) == len(fold.f_train) == 120
    assert len(fold.y_val) == len(fold.f_val) == 60
    assert not set(fold.split.train) & set(fold.split.val)
    assert fold.f_train.shape[1:] == (16, 16, 1)
    assert fold.f_train.dtype == np.float32


def test_one_row_of_metrics_per_epoch(fold):
    model, rows = run(fold, epochs=3)
    assert len(rows) == 3
    assert model.epochs == [120, 120, 120]
    for row in rows:
        assert tuple(row) == METRICS
        assert 0 <= row["val_acc"] <= 1
        assert row["train_loss"] > 0
    assert rows[-1]["train_loss"] < rows[0]["train_loss"]


@pytest.mark.parametrize(("kwargs", "size"), [
    ({"recipe": presets.digits_mild()}, 240),
    ({"recipe": presets.digits_mild(), "mix": "aug"}, 240),
    ({"repeat_clean": True}, 240),
    ({}, 120),
])
def test_each_arm_trains_on_what_the_protocol_says(fold, kwargs, size):
    model, _ = run(fold, epochs=2, **kwargs)
    assert model.epochs == [size, size]


def test_same_seed_same_numbers_and_the_caller_can_stop(fold):
    _, a = run(fold, epochs=2, recipe=presets.digits_mild())
    _, b = run(fold, epochs=2, recipe=presets.digits_mild())
    assert a == b
    model = fold.new_model(Counting, "counting")
    steps = fit_arm(model, fold, features_for("image"), epochs=5, seed=np.random.SeedSequence(1))
    next(steps)
    assert model.epochs == [120]  # training waits for the caller


def test_measure_false_only_trains(fold):
    model, rows = run(fold, epochs=2, measure=False)
    assert rows == [{}, {}]
    assert len(model.epochs) == 2


def test_models_without_the_protocol_are_refused_by_compare_and_the_oracle(fold):
    with pytest.raises(InputError, match="lacks fit_epoch"):
        fold.new_model(lambda shape, k, seed: object(), "broken")
    with pytest.raises(InputError, match="lacks fit_epoch"):
        train_oracle("digits", None, train_size=100, epochs=1, model=lambda s, k, seed: object())


def test_oracle_reports_the_protocol_accuracy_on_the_held_out_items():
    orc = train_oracle("digits", None, train_size=200, epochs=2, seed=3)
    assert len(orc.eval_idx) == len(orc.data) - 200
    x, y = orc.data.subset(orc.eval_idx)
    pred = orc.model.predict_proba(features_for("image")(x)).argmax(1)
    assert orc.info["clean_val_acc"] == pytest.approx(float(np.mean(pred == y)))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"epochs": 0}, "lab.train_oracle: epochs=0"),
    ({"seed": -1}, "lab.train_oracle: seed=-1"),
    ({"train_size": "many"}, "lab.train_oracle: train_size='many'"),
])
def test_oracle_arguments_are_checked(kwargs, match):
    with pytest.raises(InputError, match=match):
        train_oracle("digits", None, **kwargs)


class Recording(SoftmaxRegression):
    """Softmax regression that keeps the inputs of every epoch."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inputs: list[np.ndarray] = []

    def fit_epoch(self, x, y, rng):
        self.inputs.append(np.array(x))
        super().fit_epoch(x, y, rng)


@pytest.mark.parametrize("p", [1.0, 0.5])
def test_by_default_every_item_goes_through_the_recipe_and_its_p_decides(fold, p):
    from augviz import Recipe, get_transform

    recipe = Recipe([get_transform("image.invert")(p=p)])
    model = fold.new_model(Recording, "recording")
    list(fit_arm(model, fold, features_for("image"), epochs=1, seed=np.random.SeedSequence(1),
                 recipe=recipe))
    (x,) = model.inputs
    n = len(fold.f_train)
    clean = np.concatenate([fold.f_train, fold.f_train])
    inverted = np.all(np.isclose(x, 1 - clean, atol=1e-2), axis=(1, 2, 3))
    untouched = np.all(x == clean, axis=(1, 2, 3))
    assert (inverted | untouched).all()
    if p == 1.0:
        assert inverted.all()  # no clean copy
    else:
        assert 0.35 * 2 * n < inverted.sum() < 0.65 * 2 * n
    old = fold.new_model(Recording, "recording")
    list(fit_arm(old, fold, features_for("image"), epochs=1, seed=np.random.SeedSequence(1),
                 recipe=recipe, mix="clean+aug"))
    np.testing.assert_array_equal(old.inputs[0][:n], fold.f_train)  # the older protocol


def test_augmenting_ahead_on_a_thread_gives_the_same_bytes(fold):
    from concurrent.futures import ThreadPoolExecutor

    mild = presets.digits_mild()
    _, alone = run(fold, epochs=4, recipe=mild)
    with ThreadPoolExecutor(1) as pool:
        _, ahead = run(fold, epochs=4, recipe=mild, prefetch=pool)
        model = fold.new_model(Counting, "counting")  # stopped after one epoch: no hang
        arm = fit_arm(model, fold, features_for("image"), epochs=4,
                      seed=np.random.SeedSequence(1), recipe=mild, prefetch=pool)
        next(arm)
        arm.close()
    assert ahead == alone
    assert model.epochs == [240]


def test_large_items_go_through_the_recipe_in_blocks(monkeypatch):
    from augviz.lab import protocol

    xs = np.random.default_rng(0).integers(0, 256, (10, 32, 32, 3), dtype=np.uint8)
    recipe = presets.digits_harmful()
    sizes = []
    batch = type(recipe).batch
    monkeypatch.setattr(type(recipe), "batch", lambda self, x, rng=None: sizes.append(len(x))
                        or batch(self, x, rng=rng))
    whole = protocol.augmented_features(recipe, xs, features_for("image"), np.random.default_rng(1))
    assert sizes == [10]  # small: one call, the draws of one recipe.batch
    monkeypatch.setattr(protocol, "CHUNK_BYTES", 3 * xs[0].nbytes)
    sizes.clear()
    blocks = protocol.augmented_features(recipe, xs, features_for("image"), np.random.default_rng(1))
    again = protocol.augmented_features(recipe, xs, features_for("image"), np.random.default_rng(1))
    assert sizes == [3, 3, 3, 1] * 2
    assert blocks.shape == whole.shape == (10, 32, 32, 3) and blocks.dtype == np.float32
    np.testing.assert_array_equal(blocks, again)
