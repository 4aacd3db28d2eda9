"""The geometry hook: a transform that moves pixels by one matrix says where each point
goes, and the matrix agrees with the pixels it moves (what boxes and keypoints will
follow). Transforms that move nothing say so."""

from __future__ import annotations

import numpy as np
import pytest

import augviz
from augviz.image import Affine, HorizontalFlip, Rotate, VerticalFlip

H, W = 21, 34  # not square: a swapped width/height shows


def _landing(out: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(out)
    weights = out[ys, xs].astype(float)
    return float((xs * weights).sum() / weights.sum()), float((ys * weights).sum() / weights.sum())


CASES = [
    (HorizontalFlip(), {}),
    (VerticalFlip(), {}),
    (Rotate(angle=(-40, 40)), {}),
    (Rotate(angle=90), {}),
    (Affine(angle=(-20, 20), translate=(-0.1, 0.1), scale=(0.8, 1.2), shear=(-10, 10)), {}),
]


@pytest.mark.parametrize(("transform", "_"), CASES, ids=lambda c: getattr(c, "id", ""))
@pytest.mark.parametrize("point", [(12, 8), (20, 12), (14, 11)])
def test_matrix_predicts_where_a_spot_lands(transform, _, point):
    """A 3×3 spot (float, bilinear): its centroid lands where the matrix sends its centre."""
    img = np.zeros((H, W), np.float32)
    img[point[1] - 1:point[1] + 2, point[0] - 1:point[0] + 2] = 1.0
    checked = 0
    for seed in range(6):
        values = transform.sample(seed, img)
        m = transform.geometry(values, img.shape)
        x, y, one = m @ [point[0], point[1], 1.0]
        assert one == pytest.approx(1.0)
        if not (2 <= x <= W - 3 and 2 <= y <= H - 3):
            continue  # the spot is (partly) carried out of the frame
        got = _landing(transform.apply(img, **values))
        assert got == pytest.approx((x, y), abs=0.3), (values, got, (x, y))
        checked += 1
    assert checked >= 2


def test_pixel_moving_transforms_declare_it_and_others_move_nothing():
    img = np.arange(H * W, dtype=np.uint8).reshape(H, W)
    for cls in augviz.catalogue("image"):
        t = cls()
        if cls.family == "geometric":
            assert cls.moves_pixels, cls.id
        else:
            assert not cls.moves_pixels and t.geometry(t.sample(0, img), img.shape) is None, cls.id
