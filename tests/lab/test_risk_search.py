"""label_risk (risk rises with rotation; sixes turn into nines) and search."""

from __future__ import annotations

import json

import numpy as np
import pytest

import augviz
from augviz import InputError, Recipe
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.lab import label_risk, presets, scale_op, search, train_oracle


@pytest.fixture(scope="module")
def oracle():
    return train_oracle("digits", "mild", train_size=800, epochs=8, seed=0)


@pytest.fixture(scope="module")
def rotation(oracle):
    return label_risk(Rotate(), oracle=oracle, magnitudes=[0, 15, 90, 180])


def test_risk_rises_with_rotation(rotation):
    overall = dict(zip(rotation.magnitudes, rotation.overall, strict=True))
    assert overall[0.0] == 0.0
    assert overall[15.0] < 0.15
    assert overall[90.0] > 0.6
    assert overall[15.0] < overall[90.0]


def test_rotation_by_180_turns_sixes_into_nines(rotation):
    six, nine = rotation.class_names.index("6"), rotation.class_names.index("9")
    assert rotation.confusion[-1, six, nine] > 0.5
    assert rotation.confusion[-1, nine, six] > 0.5
    assert set(rotation.flip_classes(2)) == {"6", "9"}
    assert rotation.flips(n=1)[0]["from"] in {"6", "9"}


def test_zero_and_eight_survive_a_mirror(oracle):
    res = label_risk(HorizontalFlip(), oracle=oracle)
    row = res.table()[0]
    assert row["0"] < 0.1
    assert row["3"] > 0.8


def test_risk_result_is_json_safe_and_plots(rotation, tmp_path):
    json.dumps(rotation.to_dict())
    assert "6" in rotation._repr_html_()
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = rotation.plot()
    assert any("class 6" in t.get_text() or "class 9" in t.get_text()
               for t in ax.get_legend().get_texts())
    rotation.plot_confusion(180.0)
    plt.close("all")


def test_risk_bad_input(oracle):
    with pytest.raises(InputError, match="cannot be swept"):
        label_risk(Rotate(), oracle=oracle, param="sigma")
    with pytest.raises(InputError, match="Transform or a Recipe"):
        label_risk("rotate", oracle=oracle)
    with pytest.raises(InputError, match="is a text recipe"):
        label_risk(Recipe([], modality="text"), oracle=oracle)


def test_scale_op():
    assert scale_op(Rotate(angle=(-30, 30)), 0.5).params["angle"] == (-15.0, 15.0)
    if "image.affine" in [t.id for t in augviz.catalogue("image")]:
        aff = augviz.get_transform("image.affine")(scale=(0.8, 1.2))
        assert scale_op(aff, 0.5).params["scale"] == pytest.approx((0.9, 1.1))
    with pytest.raises(InputError, match="magnitude"):
        scale_op(Rotate(), 0)


def test_search_grid_ranks_and_exports_evidence():
    res = search([Rotate(angle=(-30, 30)), Brightness()], n_ops=(1,), magnitudes=(0.5,),
                 epochs=3, train_size=100, seeds=2)
    assert [r["arm"] for r in res.ranking()] == ["N=1 M=0.5"]
    best = res.best_recipe()
    assert best.meta["lab"]["kind"] == "search"
    assert Recipe.from_json(best.to_json()).meta["lab"]["ranking"][0]["arm"] == "N=1 M=0.5"


def test_search_candidates_rank_mild_above_harmful():
    res = search({"mild": presets.digits_mild(), "harmful": presets.digits_harmful()},
                 epochs=10, train_size=300, seeds=2)
    assert res.best() == "mild"
    gains = [r["val_change"] for r in res.ranking()]
    assert gains == sorted(gains, reverse=True)
    assert np.isfinite(res.ranking()[0]["val_change_std"])


def test_search_bad_input():
    with pytest.raises(InputError, match="search takes"):
        search(42)


def test_randaugment_grid_draws_n_ops_with_replacement_at_fixed_magnitude():
    from collections import Counter

    from augviz.image import Grayscale
    from augviz.lab.search import randaugment_grid

    ops = [Rotate(angle=(-30, 30)), Brightness(delta=(-0.2, 0.2)), Grayscale()]
    recipe = randaugment_grid(ops, n_ops=(2,), magnitudes=(0.5,))["N=2 M=0.5"]
    img = np.zeros((8, 8, 3), np.uint8)
    pairs, values = Counter(), Counter()
    trials = 1500
    for seed in range(trials):
        _, records = recipe.trace(img, rng=seed)
        assert len(records) == 2 and all(r["applied"] for r in records)  # always N ops
        pairs[tuple(r["transform"] for r in records)] += 1
        for r in records:
            v = r["values"]
            values[(r["transform"], v.get("angle", v.get("delta")))] += 1
    # with replacement: all 9 ordered pairs, the same op twice included, each ~1/9
    assert len(pairs) == 9
    for count in pairs.values():
        assert count / trials == pytest.approx(1 / 9, abs=0.03)
    # fixed magnitude: only the two ends of the range at M, never a value in between
    assert set(values) == {("image.rotate", -15.0), ("image.rotate", 15.0),
                           ("image.brightness", -0.1), ("image.brightness", 0.1),
                           ("image.grayscale", None)}
    assert values[("image.rotate", 15.0)] / values[("image.rotate", -15.0)] == pytest.approx(1, abs=0.2)
    # N may exceed the number of ops (with replacement); the SomeOf grid is kept by name
    assert len(randaugment_grid(ops[:2], n_ops=(3,), magnitudes=(1.0,))["N=3 M=1"].steps) == 3


def test_some_of_grid_keeps_distinct_ops_and_scaled_ranges():
    from augviz.lab.search import some_of_grid

    recipe = some_of_grid([Rotate(angle=(-30, 30)), Brightness()], n_ops=(2,), magnitudes=(0.5,))["N=2 M=0.5"]
    for seed in range(20):
        _, records = recipe.trace(np.zeros((8, 8, 3), np.uint8), rng=seed)
        assert sorted(r["transform"] for r in records) == ["image.brightness", "image.rotate"]
        angle = next(r["values"]["angle"] for r in records if r["transform"] == "image.rotate")
        assert -15 <= angle <= 15


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_ops": (3,), "grid": "some_of"}, r"n_ops\[0\]=3 is more than the 2 ops"),
    ({"grid": "best"}, r"grid=.best. is not allowed"),
    ({"n_ops": (0,)}, r"n_ops\[0\]=0 is outside"),
    ({"magnitudes": (0.5, 0)}, r"magnitudes\[1\]=0 is not allowed"),
    ({"magnitudes": (1.5,)}, r"magnitudes\[0\]=1.5 is outside"),
])
def test_search_grid_arguments_are_checked(kwargs, match):
    with pytest.raises(augviz.AugvizError, match=match):
        search([Rotate(), Brightness()], **kwargs)


def test_groups_are_measured_as_one_recipe(oracle):
    group = augviz.OneOf([Rotate(angle=(170, 180)), HorizontalFlip()])
    res = label_risk(group, oracle=oracle)
    assert res.param is None
    assert len(res.magnitudes) == 1
    assert res.overall[0] > 0.3


def test_label_risk_seed_is_checked(oracle):
    with pytest.raises(InputError, match=r"lab\.label_risk: seed=-1"):
        label_risk(Rotate(), oracle=oracle, seed=-1)
