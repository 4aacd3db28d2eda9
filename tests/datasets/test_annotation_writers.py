"""Each annotation writer writes what its loader reads back."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from augviz.core import InputError
from augviz.datasets import load_coco, load_voc, load_yolo, write_coco, write_voc, write_yolo
from augviz.image import Boxes, Keypoints, Sample

NAMES = ["cat", "dog"]


def _samples():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 255, (40, 60, 3), dtype=np.uint8)
    b = rng.integers(0, 255, (50, 30, 3), dtype=np.uint8)
    mask = np.zeros((40, 60), np.uint8)
    mask[5:15, 10:30] = 1
    mask[20:38, 35:58] = 2
    kp = Keypoints([[12, 7], [20, 10], [40, 25], [-1, -1]], visible=[True, True, True, False])
    sa = Sample(a, masks=mask, boxes=Boxes([[10, 5, 30, 15], [35, 20, 58, 38]], labels=["cat", "dog"]),
                keypoints=kp)
    sb = Sample(b, boxes=Boxes([[0.5, 2.25, 29.5, 49]], labels=["dog"]))
    return [sa, sb]


def _images(folder, samples, names):
    folder.mkdir(parents=True, exist_ok=True)
    for s, n in zip(samples, names, strict=True):
        Image.fromarray(s.image).save(folder / n)


def test_coco_round_trip_with_masks_and_keypoints(tmp_path):
    samples = _samples()
    _images(tmp_path / "images", samples, ["a.png", "b.png"])
    cats = [{"id": 3, "name": "cat", "keypoints": ["p", "q"]}, {"id": 7, "name": "dog"}]
    write_coco(tmp_path / "ann.json", samples, ["a.png", "b.png"], NAMES, categories=cats,
               keypoints_per_box=2)
    doc = json.loads((tmp_path / "ann.json").read_text())
    assert [a["category_id"] for a in doc["annotations"]] == [3, 7, 7]
    back = load_coco(tmp_path / "ann.json", tmp_path / "images")
    assert back.class_names == NAMES
    for s, r in zip(samples, back, strict=True):
        assert r.boxes.labels == s.boxes.labels
        np.testing.assert_allclose(r.boxes.coords, s.boxes.coords, atol=1e-3)
    np.testing.assert_array_equal(back[0].mask_list()[0], samples[0].mask_list()[0])
    np.testing.assert_allclose(back[0].keypoints.xy[:3], samples[0].keypoints.xy[:3])
    assert back[0].keypoints.visible.tolist() == [True, True, True, False]


def test_yolo_round_trip(tmp_path):
    samples = _samples()
    _images(tmp_path / "images" / "train", samples, ["a.png", "b.png"])
    write_yolo(tmp_path / "labels" / "train", samples, ["a.png", "b.png"], NAMES)
    (tmp_path / "classes.txt").write_text("cat\ndog\n")
    assert (tmp_path / "labels" / "train" / "b.txt").read_text().startswith("1 0.500000 0.512500")
    back = load_yolo(tmp_path)
    for s, r in zip(samples, back, strict=True):
        assert r.boxes.labels == s.boxes.labels
        np.testing.assert_allclose(r.boxes.coords, s.boxes.coords, atol=1e-3)


def test_voc_round_trip(tmp_path):
    samples = _samples()
    _images(tmp_path / "JPEGImages", samples, ["a.png", "b.png"])
    write_voc(tmp_path / "Annotations", samples, ["a.png", "b.png"])
    assert "<xmin>11</xmin>" in (tmp_path / "Annotations" / "a.xml").read_text()
    back = load_voc(tmp_path)
    for s, r in zip(samples, back, strict=True):
        assert r.boxes.labels == s.boxes.labels
        np.testing.assert_allclose(r.boxes.coords, s.boxes.coords, atol=1e-3)


def test_unknown_labels_and_mismatched_lengths_are_errors(tmp_path):
    samples = _samples()
    with pytest.raises(InputError, match="label 'dog' is not one of the class names"):
        write_yolo(tmp_path, samples, ["a.png", "b.png"], ["cat"])
    with pytest.raises(InputError, match="2 samples but 1 file names"):
        write_voc(tmp_path, samples, ["a.png"])
    with pytest.raises(InputError, match="label 'cat' is not a category"):
        write_coco(tmp_path / "x.json", samples, ["a.png", "b.png"], NAMES,
                   categories=[{"id": 1, "name": "dog"}])
