"""The bundled detection set: boxes, mask and keypoints agree with each other."""

from __future__ import annotations

import numpy as np
import pytest

from augviz.core import InputError
from augviz.datasets import sample_detection
from augviz.image import HorizontalFlip, Sample


def test_boxes_are_the_envelopes_of_their_mask_instances():
    samples = sample_detection()
    assert len(samples) == 8
    assert {s.shape for s in samples} >= {(128, 128), (112, 160), (160, 112)}
    for s in samples:
        assert isinstance(s, Sample) and s.image.dtype == np.uint8 and s.image.shape[2] == 3
        assert s.boxes.labels[0] == "face" and set(s.boxes.labels) <= {"face", "circle", "square", "triangle"}
        assert sorted(np.unique(s.masks).tolist()) == list(range(len(s.boxes) + 1))
        for k, box in enumerate(s.boxes.coords, start=1):
            ys, xs = np.nonzero(s.masks == k)
            assert box.tolist() == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
        x0, y0, x1, y1 = s.boxes.coords[0]
        xy = s.keypoints.xy
        assert ((xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)).all()
        assert xy[0, 0] < xy[1, 0] and xy[3, 0] < xy[4, 0]  # left is the image's left


def test_a_flip_keeps_left_on_the_left():
    s = sample_detection(1)[0]
    out = HorizontalFlip()(s)
    assert out.keypoints.labels == s.keypoints.labels
    assert out.keypoints.xy[0, 0] < out.keypoints.xy[1, 0]


def test_n_is_checked():
    assert len(sample_detection(2)) == 2
    with pytest.raises(InputError, match="n=9 is outside"):
        sample_detection(9)


def test_segmentation_and_keypoint_sets_come_from_the_same_images():
    from augviz.datasets import SEGMENTATION_CLASSES, sample_keypoints, sample_segmentation

    det, seg, kps = sample_detection(3), sample_segmentation(3), sample_keypoints(3)
    for d, s, k in zip(det, seg, kps, strict=True):
        assert np.array_equal(s.image, d.image) and np.array_equal(k.image, d.image)
        assert s.boxes is None and s.keypoints is None and k.masks is None and k.boxes is None
        assert k.keypoints == d.keypoints
        for idx, label in enumerate(d.boxes.labels, start=1):
            assert (s.masks[d.masks == idx] == SEGMENTATION_CLASSES.index(label)).all()
        assert (s.masks[d.masks == 0] == 0).all()
