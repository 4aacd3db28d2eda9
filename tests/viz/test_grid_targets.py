"""Samples in a grid are drawn with their targets over the tile."""

from __future__ import annotations

import numpy as np

from augviz.image import Boxes, HorizontalFlip, Keypoints, Sample
from augviz.viz import grid_for, image_grid
from augviz.viz.image import _colour


def _sample() -> Sample:
    img = np.full((32, 64, 3), 255, np.uint8)  # white, half as tall as wide
    mask = np.zeros((32, 64), np.uint8)
    mask[20:30, 40:60] = 1
    return Sample(img, masks=mask, boxes=Boxes([[4, 4, 20, 16]], labels=[2]),
                  keypoints=Keypoints([[50, 8], [10, 28]]))


def test_targets_are_drawn_where_they_are_and_can_be_switched_off():
    s = _sample()
    plain = image_grid([[s]], tile=128, pad=0, targets=False)
    assert np.array_equal(plain, image_grid([[s.image]], tile=128, pad=0))
    drawn = image_grid([[s]], tile=128, pad=0)
    # the 64×32 image is scaled ×2 and centred vertically (32 px above)
    top = 32
    box_colour = _colour(2)
    assert tuple(drawn[top + 26, 8]) == box_colour  # left edge of the box, below its label
    assert tuple(drawn[top + 26, 12]) == (255, 255, 255)  # inside the outline: the image
    tinted = drawn[top + 50, 100]
    assert tuple(tinted) != (255, 255, 255) and tinted[0] > tinted[2]  # mask value 1: orange
    # keypoint 0 at (50, 8): a dot in index colour 0 with a dark ring
    assert tuple(drawn[top + 17, 101]) == _colour(0)
    assert tuple(drawn[top + 57, 21]) == _colour(1)


def test_grid_for_takes_a_sample_and_draws_moved_targets():
    s = _sample()
    grid = grid_for(HorizontalFlip(), s, n=1, rng=0, tile=64, pad=0, captions=False)
    right = grid[:, 64:]
    top = 16  # ×1 scale, centred vertically
    # keypoint 0 went from x=50 to x=13: the dot's colour is there now
    assert tuple(right[top + 8, 13]) == _colour(0)
    assert tuple(right[top + 8, 50]) != _colour(0)


def test_small_tiles_name_labels_by_colour_only():
    s = _sample()
    small = image_grid([[s]], tile=64, pad=0)  # ×1: the box is 16×12 px at (4, 4)
    top = 16
    band = small[top + 5:top + 15, 6:18].reshape(-1, 3)  # inside the box, where a label would go
    assert (band == 255).all()
    assert tuple(small[top + 10, 4]) == _colour(2)  # the outline is still there
