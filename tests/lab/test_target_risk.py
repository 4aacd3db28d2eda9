"""target_risk counts what a transform does to boxes, keypoints and masks."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augviz import Recipe
from augviz.core import InputError
from augviz.image import Affine, Boxes, GaussianBlur, HorizontalFlip, Keypoints, Rotate, Sample
from augviz.lab import target_risk


def _corner_and_centre() -> Sample:
    """A 200×200 image with a box in the corner (leaves the frame at 45°) and one in the
    centre (never does), their masks, and a keypoint in the corner and two in the centre."""
    mask = np.zeros((200, 200), np.uint8)
    mask[0:20, 0:20] = 1
    mask[80:120, 80:120] = 2
    return Sample(np.zeros((200, 200, 3), np.uint8), masks=mask,
                  boxes=Boxes([[0, 0, 20, 20], [80, 80, 120, 120]], labels=["corner", "centre"]),
                  keypoints=Keypoints([[4, 4], [100, 100], [96, 100]], flip_pairs=[(1, 2)]))


def test_rotation_sweep_counts_the_corner_leaving():
    risk = target_risk(Rotate(), _corner_and_centre(), magnitudes=[0, 45, 180], repeats=2)
    assert risk.param == "angle" and risk.magnitudes == [0, 45, 180]
    assert risk.rates["boxes_dropped"].tolist() == [0.0, 0.5, 0.0]
    assert risk.rates["keypoints_out"].tolist() == [0.0, 1 / 3, 0.0]
    assert risk.rates["lr_swapped"].tolist() == [0.0, 0.0, 0.0]  # a rotation never mirrors
    assert risk.rates["mask_lost"][0] == 0.0 and risk.rates["mask_lost"][2] == 0.0
    # the corner's 400 of 2000 px (a rotated square gains a few pixels on its edges)
    assert risk.rates["mask_lost"][1] == pytest.approx(0.2, abs=0.02)


def test_a_box_half_out_is_cut_not_dropped():
    s = Sample(np.zeros((40, 40), np.uint8), boxes=Boxes([[0, 10, 20, 30]]))
    # shifting left by a quarter of the width leaves half of the box (10 of 20 px)
    shift = Affine().with_params(angle=0, scale=1.0, translate=(-0.25, -0.25))
    risk = target_risk(Recipe([shift]), s, min_visibility=0.6, repeats=1)
    assert risk.rates["boxes_dropped"].tolist() == [0.0]
    assert risk.rates["boxes_cut"].tolist() == [1.0]
    assert risk.measured() == ["boxes_dropped", "boxes_cut"]
    assert target_risk(Recipe([shift]), s, min_visibility=0.4, repeats=1).rates["boxes_cut"].tolist() == [0.0]


def test_hflip_swaps_every_pair_and_loses_nothing():
    risk = target_risk(HorizontalFlip(), _corner_and_centre(), repeats=1)
    assert risk.param is None and risk.magnitudes == ["image.hflip"]
    assert risk.rates["lr_swapped"].tolist() == [1.0]
    for m in ("boxes_dropped", "boxes_cut", "keypoints_out", "mask_lost"):
        assert risk.rates[m].tolist() == [0.0]


def test_mask_loss_is_corrected_for_scale():
    # halving the size keeps every object in the frame: no loss, though 3/4 of the pixels go
    half = Affine().with_params(angle=0, scale=0.5, translate=(0.0, 0.0))
    risk = target_risk(Recipe([half]), _corner_and_centre(), repeats=1)
    assert risk.rates["mask_lost"][0] == pytest.approx(0.0, abs=0.03)
    assert risk.rates["boxes_dropped"].tolist() == [0.0]


def test_photometric_transforms_change_nothing_and_same_seed_same_result():
    a = target_risk(GaussianBlur(), _corner_and_centre(), magnitudes=[0.5, 2.0], repeats=1)
    assert all(np.all(a.rates[m] == 0) for m in a.measured())
    r1 = target_risk(Rotate(), _corner_and_centre(), magnitudes=[10, 60], seed=3)
    r2 = target_risk(Rotate(), _corner_and_centre(), magnitudes=[10, 60], seed=3)
    assert r1.to_dict() == r2.to_dict()
    json.dumps(r1.to_dict())


def test_without_flip_pairs_the_swap_is_not_measured():
    s = Sample(np.zeros((20, 20), np.uint8), keypoints=[[1, 1], [5, 5]])
    risk = target_risk(HorizontalFlip(), s, repeats=1)
    assert risk.measured() == ["keypoints_out"]
    assert np.isnan(risk.rates["lr_swapped"]).all()
    assert "lr_swapped" not in risk.table()[0]


def test_plot_draws_one_line_per_measured_share():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    risk = target_risk(Rotate(), _corner_and_centre(), magnitudes=[0, 45], repeats=1)
    fig, ax = plt.subplots()
    assert risk.plot(ax=ax) is ax
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["boxes dropped", "boxes cut below 0.5 visible", "keypoints out of the frame",
                      "left/right pairs swapped", "mask area lost"]
    assert ax.get_lines()[0].get_ydata().tolist() == [0.0, 50.0]
    assert "target risk" in risk._repr_html_()
    plt.close(fig)


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), [
    ((Rotate(), []), {}, InputError, "non-empty list"),
    ((Rotate(), [np.zeros((4, 4))]), {}, InputError, r"samples\[0\] is ndarray"),
    ((Rotate(), Sample(np.zeros((4, 4), np.uint8))), {}, InputError, "none of the samples has boxes"),
    (("rotate", None), {}, InputError, "takes an image Transform or Recipe; got str"),
    ((Rotate(), None), {"param": "fill"}, InputError, "param='fill' cannot be swept"),
    ((Rotate(), None), {"repeats": 0}, InputError, "repeats"),
    ((Rotate(), None), {"min_visibility": 2}, InputError, "min_visibility"),
])
def test_bad_arguments_are_named(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        target_risk(*args, **kwargs)
