"""The lab's compare: the science (mild helps, harmful hurts), reproducibility, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augviz import InputError, Recipe
from augviz.datasets import load_lfw_subset
from augviz.lab import CONTROL, LabData, LabResult, compare, load_data, presets
from augviz.lab.compare import seed_values
from augviz.lab.models import CNN, SoftmaxRegression


@pytest.fixture(scope="module")
def science():
    """none / mild / harmful on digits 16 px, fixed seeds (the default protocol)."""
    arms = {"none": None, "mild": presets.digits_mild(), "harmful": presets.digits_harmful()}
    return compare(arms, "digits", epochs=15, train_size=300, seeds=2, seed=0)


def test_mild_recipe_raises_validation_accuracy(science):
    gain = science.val_change("mild")
    assert gain.mean() > 0.005, science.summary()
    assert (gain > 0).all()
    # and beats the compute-matched control: it is the augmentation, not more steps
    assert science.val_change("mild", CONTROL).mean() > 0


def test_harmful_recipe_lowers_validation_accuracy(science):
    assert science.val_change("harmful").mean() < 0
    assert science.final("harmful").mean() < science.final("mild").mean() - 0.01


def test_harmful_recipe_collapses_when_every_sample_is_augmented():
    arms = {"none": None, "harmful": presets.digits_harmful()}
    res = compare(arms, epochs=10, train_size=300, seeds=1, control=False, mix="aug")
    assert res.val_change("harmful")[0] < -0.15, res.summary()


def test_result_shapes_and_summary(science):
    assert science.arms == ["none", "mild", "harmful", CONTROL]
    assert science.curves["mild"]["val_acc"].shape == (2, 15)
    rows = science.summary()
    assert [r["arm"] for r in rows] == science.arms
    for r in rows:  # gap and validation change always travel together
        assert "gap" in r
        assert "val_change" in r
    assert rows[0]["val_change"] is None
    assert "gap" in str(rows)
    assert "Δval" in str(rows)
    html = science._repr_html_()
    assert "gap" in html
    assert "Δ val acc vs none" in html
    assert science.wall_time > 0


def test_to_dict_is_json_safe_and_round_trips(science):
    d = science.to_dict()
    text = json.dumps(d)
    back = LabResult.from_dict(json.loads(text))
    assert back.arms == science.arms
    np.testing.assert_allclose(back.final("mild"), science.final("mild"), atol=1e-6)
    r = science.recipe("mild")
    assert r.meta["lab"]["val_change"] == pytest.approx(science.val_change("mild").mean())
    assert Recipe.from_dict(r.to_dict()).meta["lab"] == r.meta["lab"]
    presets.digits_mild().replace(meta={"lab": d})  # the whole result fits in meta too


def test_reproducible_for_a_seed():
    arms = {"none": None, "mild": presets.digits_mild()}
    a = compare(arms, epochs=2, train_size=100, seeds=1, seed=7, control=False)
    b = compare(arms, epochs=2, train_size=100, seeds=1, seed=7, control=False)
    for arm in a.arms:
        for m, v in a.curves[arm].items():
            np.testing.assert_array_equal(v, b.curves[arm][m])
    c = compare(arms, epochs=2, train_size=100, seeds=1, seed=8, control=False)
    assert not np.array_equal(a.curves["mild"]["val_loss"], c.curves["mild"]["val_loss"])


def test_an_arm_does_not_depend_on_the_other_arms():
    a = compare({"none": None}, epochs=2, train_size=100, seeds=1, control=False)
    b = compare({"none": None, "mild": presets.digits_mild()}, epochs=2, train_size=100,
                seeds=1, control=False)
    np.testing.assert_array_equal(a.curves["none"]["val_acc"], b.curves["none"]["val_acc"])


def test_baseline_added_and_on_epoch_stop():
    events = []

    def cb(ev):
        events.append(ev)
        return ev["done"] < 3

    res = compare([presets.digits_mild()], epochs=5, train_size=60, seeds=2,
                  control=False, on_epoch=cb)
    assert res.arms == ["none", "digits-mild"]
    assert res.stopped
    assert res.curves["none"]["val_acc"].shape == (1, 1)
    assert events[0]["total"] == 2 * 5 * 2


def test_user_arrays_and_custom_model():
    rng = np.random.default_rng(0)
    x = rng.random((80, 8, 8)).astype(np.float32)
    y = (x[:, :4].mean(axis=(1, 2)) > x[:, 4:].mean(axis=(1, 2))).astype(int)
    res = compare({"none": None}, (x, y), epochs=3, train_size=40, seeds=1,
                  model=SoftmaxRegression.factory)
    assert res.config["data"]["name"] == "user data"
    assert res.config["val_size"] == 40


def test_lfw_subset_runs():
    res = compare({"none": None, "mild": presets.digits_mild()}, "lfw_subset", epochs=2,
                  train_size=100, seeds=1, control=False)
    assert res.config["data"]["classes"] == load_lfw_subset()[2]


def test_lfw_subset_items_are_named_as_the_loader_labels_them():
    _, labels, names = load_lfw_subset()
    lab = load_data("lfw_subset")
    assert [lab.class_names[c] for c in lab.y] == [names[c] for c in labels]
    assert lab.class_names[lab.y[0]] == names[labels[0]] == "face"  # item 0 is a face


def test_cnn_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    net = CNN((8, 8, 1), 3, seed=0)
    x = rng.random((4, 8, 8, 1)).astype(np.float32)
    y = np.array([0, 1, 2, 1])

    def loss():
        p = net.predict_proba(x)
        return -np.mean(np.log(p[np.arange(4), y]))

    net._adam.step = lambda g: None  # keep the weights; just fill the gradient buffer
    net._step(net._prep(x), y)
    grads = net._grads.copy()
    for i in rng.choice(len(net._params), 12, replace=False):
        old = net._params[i]
        net._params[i] = old + 1e-2
        up = loss()
        net._params[i] = old - 1e-2
        down = loss()
        net._params[i] = old
        assert (up - down) / 2e-2 == pytest.approx(grads[i], abs=2e-3)


# -- bad input: clear InputErrors -------------------------------------------------------


def test_mismatched_data_and_labels():
    with pytest.raises(InputError, match="10 items but 9 labels"):
        compare({"none": None}, (np.zeros((10, 8, 8), np.float32), np.arange(9) % 2))


def test_one_class_only():
    with pytest.raises(InputError, match="at least 2 classes"):
        compare({"none": None}, (np.zeros((10, 8, 8), np.float32), np.zeros(10, int)))


def test_train_size_larger_than_the_data():
    with pytest.raises(InputError, match="train_size=5000 is larger than the data"):
        compare({"none": None}, "digits", train_size=5000)


def test_recipe_of_the_wrong_modality():
    wrong = Recipe([], modality="text")
    with pytest.raises(InputError, match="arm 'bad': the recipe is text; allowed: image recipes; or None"):
        compare({"bad": wrong}, "digits", epochs=1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"data": "mnist"}, "unknown lab dataset 'mnist'"),
     ({"model": "resnet"}, "model='resnet' is not available"),
     ({"epochs": 0}, "epochs=0"),
     ({"epochs": 1.5}, "epochs=1.5 is not an integer"),
     ({"seeds": 0}, "seeds=0"),
     ({"seeds": []}, r"seeds=\[\]"),
     ({"seeds": [1, -1]}, r"seeds\[1\]=-1 is outside"),
     ({"seed": -1}, "seed=-1 is outside"),
     ({"train_size": 0}, "train_size=0 is outside"),
     ({"val_size": 0}, "val_size=0 is outside"),
     ({"arms": {"x": 3}}, "arm 'x': got a int; allowed: a Recipe.*; or None for no augmentation"),
     ({"mix": "both"}, "mix='both'")],
)
def test_bad_arguments(kwargs, match):
    args = {"arms": {"none": None}, **kwargs}
    with pytest.raises(InputError, match=match):
        compare(args.pop("arms"), **args)


def test_seeds_as_a_count_or_a_list():
    assert seed_values(2, np.int64(5)) == [5, 6]
    assert seed_values(np.int64(1), 0) == [0]
    assert seed_values([7, np.int64(2)], 0) == [7, 2]
    assert seed_values((3,), 9) == [3]


def test_labdata_float_range_checked():
    with pytest.raises(InputError, match="allowed: finite values in"):
        LabData(np.full((4, 8, 8), 2.0), [0, 1, 0, 1])


@pytest.mark.slow
def test_torch_backend_when_installed():
    pytest.importorskip("torch")
    res = compare({"none": None}, epochs=1, train_size=50, seeds=1, model="torch")
    assert res.config["model"] == "torch"


def test_plot_returns_axes(science, tmp_path):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = science.plot()
    assert len(ax.lines) >= 8
    ax.figure.savefig(tmp_path / "curves.png")
    _fig, ax2 = plt.subplots()
    assert science.plot(ax=ax2, metric="loss") is ax2
    plt.close("all")
