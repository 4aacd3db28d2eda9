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
    return compare(arms, "digits", epochs=15, train_size=300, seeds=3, seed=0)


def test_mild_recipe_raises_validation_accuracy(science):
    gain = science.val_change("mild")
    assert gain.mean() > 0.005, science.summary()
    assert (gain > 0).all()
    # and beats the compute-matched control: it is the augmentation, not more steps
    assert science.val_change("mild", CONTROL).mean() > 0


def test_harmful_recipe_lowers_validation_accuracy(science):
    assert science.val_change("harmful").mean() < 0
    assert science.final("harmful").mean() < science.final("mild").mean() - 0.01


def test_harmful_recipe_collapses_under_the_default_protocol(science):
    # every item goes through the recipe: no clean copy anchors the labels
    assert science.config["mix"] == "aug"
    assert science.val_change("harmful").mean() < -0.15, science.summary()
    assert science.val_change("harmful", CONTROL).mean() < -0.15


def test_the_older_protocol_hides_most_of_the_harm():
    arms = {"none": None, "harmful": presets.digits_harmful()}
    kw = {"epochs": 10, "train_size": 300, "seeds": 1, "control": False}
    old = compare(arms, mix="clean+aug", **kw).val_change("harmful")[0]
    new = compare(arms, **kw).val_change("harmful")[0]
    assert new < old - 0.1, (old, new)


def test_verdicts_come_from_the_interval_against_the_control(science):
    rows = {r["arm"]: r for r in science.summary()}
    # a label-safe recipe is never "hurts"; three seeds of 15 epochs leave its gain over
    # the control inside the noise, so it may read "no clear effect"
    assert rows["mild"]["verdict"] in ("helps", "no clear effect"), science.summary()
    assert rows["harmful"]["verdict"] == "hurts"
    assert rows["none"]["verdict"] is None and rows[CONTROL]["verdict"] is None
    for arm in ("mild", "harmful"):
        r = rows[arm]
        assert r["verdict_versus"] == CONTROL
        assert r["val_change_vs_control_low"] < r["val_change_vs_control"] < \
            r["val_change_vs_control_high"]
        assert r["val_change_low"] < r["val_change"] < r["val_change_high"]
    assert "verdict" in str(science.summary())
    assert "hurts" in science._repr_html_()


def test_interval_is_a_t_interval_and_the_verdict_needs_it_to_exclude_zero():
    from augviz.lab.compare import interval, verdict

    lo, hi = interval([0.01, 0.02, 0.03])
    # mean 0.02, sd 0.01, t(0.975, 2) = 4.303
    assert (lo, hi) == pytest.approx((0.02 - 4.3027 * 0.01 / 3**0.5, 0.02 + 4.3027 * 0.01 / 3**0.5),
                                     abs=1e-5)
    assert interval([0.05]) is None
    assert verdict(interval([0.01, 0.02, 0.03])) == "no clear effect"  # lo < 0
    assert verdict(interval([0.02, 0.021, 0.022])) == "helps"
    assert verdict(interval([-0.02, -0.021, -0.022])) == "hurts"
    assert verdict(None) == "no clear effect"


def test_a_point_gain_inside_the_noise_is_no_clear_effect():
    # a recipe whose mean change is positive but whose interval spans zero
    res = LabResult(
        arms=["none", "r", CONTROL],
        curves={a: {"train_acc": np.ones((3, 1)), "val_acc": np.array(v)[:, None] * 1.0}
                for a, v in (("none", [0.80, 0.80, 0.80]), ("r", [0.815, 0.795, 0.81]),
                             (CONTROL, [0.80, 0.80, 0.80]))},
        recipes={"none": None, "r": presets.digits_mild().to_dict(), CONTROL: None},
        config={}, wall_time=0.0)
    row = res.summary()[1]
    assert row["val_change_vs_control"] > 0
    assert row["verdict"] == "no clear effect"


def test_without_a_control_the_verdict_is_against_none():
    arms = {"none": None, "harmful": presets.digits_harmful()}
    res = compare(arms, epochs=4, train_size=150, seeds=2, control=False)
    row = res.summary()[1]
    assert "val_change_vs_control" not in row
    assert row["verdict_versus"] == "none"
    assert row["verdict"] == "hurts", res.summary()


def test_trivialaugment_arm_by_name():
    res = compare({"ta": "trivialaugment"}, epochs=2, train_size=100, seeds=1, control=False)
    assert res.arms == ["none", "ta"]
    recipe = res.recipe("ta")
    assert recipe.name == "trivialaugment"
    (step,) = recipe.steps
    ids = {c.id for c in step.children}
    assert step.kind == "one_of" and step.p == 1.0
    assert {"image.rotate", "image.brightness"} <= ids
    assert "image.random_resized_crop" not in ids  # changes the item's shape
    assert res.summary()[1]["verdict"] == "no clear effect"  # one seed: no interval
    assert compare(["trivialaugment"], epochs=1, train_size=60, seeds=1,
                   control=False).arms == ["none", "trivialaugment"]


def test_result_shapes_and_summary(science):
    assert science.arms == ["none", "mild", "harmful", CONTROL]
    assert science.curves["mild"]["val_acc"].shape == (3, 15)
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


def test_report_is_one_self_contained_html_page(science, tmp_path):
    import re

    path = science.report(tmp_path / "lab.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page)  # nothing fetched
    assert page.count("data:image/png;base64,") == 1 + len(science.arms) * 8  # curves + grids
    for r in science.summary():
        assert f"<td>{r['arm']}</td>" in page
    assert "hurts" in page and "[95 %]" in page
    assert '"transform": "image.affine"' in page  # the mild recipe as JSON
    back = LabResult.from_dict(science.to_dict())  # no items kept: the page still renders
    assert "loaded from JSON" in back.report(tmp_path / "back.html").read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"allowed: a file ending in \.html"):
        science.report(tmp_path / "lab.txt")


def test_to_frame_is_the_summary_by_arm(science):
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(InputError, match="needs pandas"):
            science.to_frame()
        return
    frame = science.to_frame()
    assert list(frame.index) == science.arms
    assert {"verdict", "val_change_low", "val_change_vs_control_high"} <= set(frame.columns)
