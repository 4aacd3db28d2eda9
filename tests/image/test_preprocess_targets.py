"""Preprocessing steps that move content (resize, pad, crop) move a Sample's targets with
the pixels; the value conversions leave them where they are."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.image import Boxes, Keypoints, Sample
from augviz.image.preprocess import (
    CenterCrop,
    LongestMaxSize,
    Normalize,
    PadIfNeeded,
    RandomCrop,
    Resize,
    SmallestMaxSize,
)

STEPS = [
    Resize(height=20, width=30), Resize(height=80, width=45), LongestMaxSize(max_size=30),
    SmallestMaxSize(max_size=80), PadIfNeeded(min_height=60, min_width=80, border="constant"),
    CenterCrop(height=30, width=40), RandomCrop(height=30, width=40),
]


def _sample() -> Sample:
    img = np.zeros((40, 60, 3), np.uint8)
    img[10:20, 12:22] = 255
    mask = np.zeros((40, 60), np.uint8)
    mask[10:20, 12:22] = 3
    return Sample(img, masks=mask, boxes=Boxes([[12, 10, 22, 20]], labels=["square"]),
                  keypoints=Keypoints([[16.5, 14.5]]))


@pytest.mark.parametrize("step", STEPS, ids=lambda s: f"{s.id}-{dict(s.params)}")
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_box_mask_and_keypoint_follow_the_square(step, seed):
    sample = _sample()
    values = step.sample(seed, sample.image)
    out = step.apply(sample, **values)
    ys, xs = np.nonzero(out.image[..., 0] > 127)
    pixels = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
    np.testing.assert_allclose(out.boxes.coords[0], pixels, atol=1.0)
    assert list(out.boxes.labels) == ["square"]
    assert out.masks.shape == out.image.shape[:2] and set(np.unique(out.masks)) <= {0, 3}
    mys, mxs = np.nonzero(out.masks)
    np.testing.assert_allclose([mxs.min(), mys.min(), mxs.max() + 1, mys.max() + 1], pixels, atol=1.0)
    x, y, _ = step.geometry(values, sample.image.shape) @ [16.5, 14.5, 1.0]
    np.testing.assert_allclose(out.keypoints.xy[0], (x, y), atol=1e-9)
    if pixels[2] - pixels[0] == pixels[3] - pixels[1]:  # the square is whole: the dot is its centre
        centre = ((pixels[0] + pixels[2]) / 2 - 0.5, (pixels[1] + pixels[3]) / 2 - 0.5)
        np.testing.assert_allclose(out.keypoints.xy[0], centre, atol=1.0)


def test_value_conversions_do_not_move_targets():
    sample = _sample()
    out = Normalize()(sample)
    assert out.image.dtype == np.float32
    np.testing.assert_array_equal(out.boxes.coords, sample.boxes.coords)
