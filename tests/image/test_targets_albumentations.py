"""Boxes and keypoints agree with albumentations 2.0.8 for the same fixed moves.

Conventions shared: boxes on pixel edges (``pascal_voc`` = ``xyxy``), keypoints on pixel
centres (a horizontal flip sends x to ``w - 1 - x``), positive angles counter-clockwise
about the centre ``((w - 1) / 2, (h - 1) / 2)``. Differences: albumentations rounds
``translate_percent`` to whole pixels where augviz keeps the fraction (up to 0.5 px
apart), and augviz's ``shear=s`` is albumentations' ``shear={"x": -s}`` (the same
picture, opposite sign).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from augviz.image import Affine, Boxes, HorizontalFlip, RandomResizedCrop, Rotate, Sample, VerticalFlip

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    A = pytest.importorskip("albumentations")

H, W = 60, 90
BOXES = np.array([[10, 5, 40, 30], [50, 20, 85, 55], [0, 0, 90, 60], [30, 25, 60, 45]], float)
KEYPOINTS = np.array([[12.0, 7.0], [60.0, 40.0], [3.0, 50.0], [44.5, 29.5], [89.0, 0.0]])
FIXED = {"interpolation": "bilinear", "border": "constant", "fill": 0.0}

CASES = {
    "hflip": (HorizontalFlip(), {}, lambda: A.HorizontalFlip(p=1)),
    "vflip": (VerticalFlip(), {}, lambda: A.VerticalFlip(p=1)),
    "rotate90": (Rotate(), {"angle": 90.0, **FIXED}, lambda: A.Rotate(limit=(90, 90), border_mode=0, p=1)),
    "rotate-90": (Rotate(), {"angle": -90.0, **FIXED},
                  lambda: A.Rotate(limit=(-90, -90), border_mode=0, p=1)),
    "affine": (Affine(), {"angle": 10.0, "translate_x": 0.05, "translate_y": -0.1, "scale": 1.1, "shear": 0.0,
                          **FIXED},
               lambda: A.Affine(rotate=(10, 10), translate_percent={"x": (0.05, 0.05), "y": (-0.1, -0.1)},
                                scale=(1.1, 1.1), shear=0, p=1)),
    "affine-shear": (Affine(), {"angle": 0.0, "translate_x": 0.0, "translate_y": 0.0, "scale": 0.9,
                                "shear": 15.0, **FIXED},
                     lambda: A.Affine(rotate=0, scale=(0.9, 0.9), shear={"x": (-15, -15), "y": (0, 0)},
                                      p=1)),
    "crop": (RandomResizedCrop(), {"height": 40, "width": 50, "scale": 40 * 50 / (H * W), "ratio": 50 / 40,
                                   "pos_x": 0.5, "pos_y": 0.5, "interpolation": "bilinear"},
             lambda: A.Crop(20, 10, 70, 50, p=1)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_boxes_and_keypoints_agree_with_albumentations(name):
    ours, values, theirs = CASES[name]
    img = np.zeros((H, W, 3), np.uint8)
    labels = list(range(len(BOXES)))
    out = ours.apply(Sample(img, boxes=Boxes(BOXES, labels=labels), keypoints=KEYPOINTS), **values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipeline = A.Compose([theirs()], strict=True,
                             bbox_params=A.BboxParams(format="pascal_voc", label_fields=["labels"]),
                             keypoint_params=A.KeypointParams(format="xy", remove_invisible=False))
        ref = pipeline(image=img, bboxes=BOXES, labels=labels, keypoints=KEYPOINTS)
    assert list(out.boxes.labels) == list(ref["labels"])
    np.testing.assert_allclose(out.boxes.coords, np.asarray(ref["bboxes"]), atol=1.0)
    np.testing.assert_allclose(out.keypoints.xy, np.asarray(ref["keypoints"])[:, :2], atol=1.0)
    if name in ("hflip", "vflip", "rotate90", "rotate-90", "crop"):  # whole-pixel moves: equal
        np.testing.assert_allclose(out.boxes.coords, np.asarray(ref["bboxes"]), atol=1e-4)
        np.testing.assert_allclose(out.keypoints.xy, np.asarray(ref["keypoints"])[:, :2], atol=1e-4)
