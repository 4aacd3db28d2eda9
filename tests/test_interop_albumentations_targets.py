"""albumentations' ``bbox_params`` / ``keypoint_params`` come in as ``ImportResult.targets``
and go back out; the same pipeline moves the same boxes and keypoints in both libraries
(albumentations 2.0.8, within 1 px)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from augviz import Recipe
from augviz.image import Affine, HorizontalFlip, RandomResizedCrop, Rotate, Sample, VerticalFlip
from augviz.interop import InteropError, from_albumentations, to_albumentations, to_albumentations_source
from augviz.interop._base import Targets

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    A = pytest.importorskip("albumentations")

H, W = 60, 90
BOXES_XYWH = np.array([[10, 5, 30, 25], [50, 20, 35, 35], [0, 0, 90, 60], [30, 25, 30, 20]], float)
LABELS = ["cat", "dog", "all", "cup"]
KEYPOINTS = np.array([[12.0, 7.0], [60.0, 40.0], [3.0, 50.0], [44.5, 29.5], [89.0, 0.0]])
TARGETS = Targets(box_format="xywh", box_labels=("labels",), keypoints_on=True)

FIXED = {"interpolation": "bilinear", "border": "constant", "fill": 0.0}
RECIPES = {
    "hflip": [HorizontalFlip(p=1.0)],
    "vflip": [VerticalFlip(p=1.0)],
    "rotate90": [Rotate(angle=(90.0, 90.0), **FIXED, p=1.0)],
    "affine": [Affine(angle=(12.0, 12.0), translate=(0.0, 0.0), scale=(1.1, 1.1), shear=(0.0, 0.0),
                      border="constant", p=1.0)],
    "crop": [RandomResizedCrop(height=30, width=45, scale=(0.25, 0.25), ratio=(1.5, 1.5), p=1.0)],
    "flip+rotate": [HorizontalFlip(p=1.0), Rotate(angle=(-90.0, -90.0), **FIXED, p=1.0)],
}


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def _theirs(d, image):
    pipeline = _quiet(lambda: A.from_dict(d))
    pipeline = _quiet(lambda: A.Compose(pipeline.transforms, bbox_params=pipeline.processors["bboxes"].params,
                                        keypoint_params=pipeline.processors["keypoints"].params,
                                        save_applied_params=True, seed=0))
    return _quiet(lambda: pipeline(image=image, bboxes=BOXES_XYWH, labels=LABELS, keypoints=KEYPOINTS))


def _ours(recipe, targets, image, ref):
    sample = Sample(image, boxes=targets.boxes(BOXES_XYWH, LABELS), keypoints=targets.keypoints(KEYPOINTS))
    if recipe.steps[0].id != "image.random_resized_crop":
        return recipe(sample, rng=0)
    ((_, applied),) = ref["applied_transforms"]  # the crop's position is albumentations' draw
    x1, y1, x2, y2 = applied["crop_coords"]
    t = recipe.steps[0]
    values = {**t.sample(0, image), "pos_x": x1 / (W - (x2 - x1)), "pos_y": y1 / (H - (y2 - y1))}
    return t.replay(sample, values)


@pytest.mark.parametrize("name", list(RECIPES))
def test_exported_pipeline_moves_targets_like_augviz(name):
    recipe = Recipe(RECIPES[name])
    d = to_albumentations(recipe, targets=TARGETS)
    assert d["transform"]["bbox_params"]["format"] == "coco"
    image = np.zeros((H, W, 3), np.uint8)
    ref = _theirs(d, image)
    # and back: the imported pipeline carries the same target options
    back = from_albumentations(d)
    assert back.targets == TARGETS
    out = _ours(back.recipe, back.targets, image, ref)
    assert out.image.shape == ref["image"].shape
    assert list(out.boxes.labels) == list(ref["labels"])
    np.testing.assert_allclose(out.boxes.coords, np.asarray(ref["bboxes"]), atol=1.0)
    np.testing.assert_allclose(out.keypoints.xy, np.asarray(ref["keypoints"])[:, :2], atol=1.0)


def test_min_visibility_drops_the_same_boxes():
    t = Targets(box_format="xyxy", box_labels=("labels",), min_visibility=0.6)
    recipe = Recipe([RandomResizedCrop(height=30, width=45, scale=(0.25, 0.25), ratio=(1.5, 1.5), p=1.0)])
    d = to_albumentations(recipe, targets=t)
    assert d["transform"]["bbox_params"]["min_visibility"] == 0.6
    boxes = np.array([[0, 0, 40, 30], [20, 10, 70, 50], [60, 40, 90, 60], [5, 5, 85, 55]], float)
    image = np.zeros((H, W, 3), np.uint8)
    pipeline = _quiet(lambda: A.from_dict(d))
    pipeline = _quiet(lambda: A.Compose(pipeline.transforms, bbox_params=pipeline.processors["bboxes"].params,
                                        save_applied_params=True, seed=3))
    ref = _quiet(lambda: pipeline(image=image, bboxes=boxes, labels=[0, 1, 2, 3]))
    ((_, applied),) = ref["applied_transforms"]
    x1, y1, x2, y2 = applied["crop_coords"]
    step = from_albumentations(d).recipe.steps[0]
    values = {**step.sample(0, image), "pos_x": x1 / (W - (x2 - x1)), "pos_y": y1 / (H - (y2 - y1))}
    out = step.replay(Sample(image, boxes=t.boxes(boxes, [0, 1, 2, 3])), values)
    assert list(out.boxes.labels) == list(ref["labels"])
    assert len(out.boxes) < 4  # the threshold really dropped something
    np.testing.assert_allclose(out.boxes.coords, np.asarray(ref["bboxes"]), atol=1.0)


def test_import_reads_bbox_and_keypoint_params_and_reports_differences():
    pipeline = _quiet(lambda: A.Compose(
        [A.HorizontalFlip(p=0.5)],
        bbox_params=A.BboxParams(format="yolo", label_fields=["class_labels"], min_visibility=0.2, min_area=9,
                                 min_width=2),
        keypoint_params=A.KeypointParams(format="xy", label_fields=["names"])))
    result = from_albumentations(pipeline)
    assert result.targets == Targets(box_format="yolo", box_labels=("class_labels",), min_visibility=0.2,
                                     min_area=9.0, keypoints_on=True, keypoint_labels=("names",))
    assert result.mapped == ["HorizontalFlip"]
    notes = "\n".join(result.notes)
    assert "min_width=2 is not kept" in notes and "remove_invisible=True" in notes
    boxes = result.targets.boxes([[0.5, 0.5, 0.2, 0.4]], labels=[1])
    assert (boxes.format, boxes.min_visibility, boxes.min_area) == ("yolo", 0.2, 9.0)


def test_formats_augviz_cannot_take_are_dropped_and_strict_raises():
    pipeline = _quiet(lambda: A.Compose(
        [A.HorizontalFlip(p=0.5)], bbox_params=A.BboxParams(format="albumentations"),
        keypoint_params=A.KeypointParams(format="xyas")))
    result = from_albumentations(pipeline)
    assert result.targets == Targets()
    assert {row[1] for row in result.dropped} == {"BboxParams", "KeypointParams"}
    assert "'albumentations' has no augviz format" in str(result)
    with pytest.raises(InteropError, match="keypoint format 'xyas'"):
        from_albumentations(pipeline, strict=True)


def test_export_refuses_a_box_format_albumentations_lacks():
    with pytest.raises(InteropError, match="'cxcywh' has no albumentations format"):
        to_albumentations(Recipe([HorizontalFlip()]), targets=Targets(box_format="cxcywh"))
    with pytest.raises(InteropError, match="box format 'xyz' is not allowed"):
        Targets(box_format="xyz")


def test_source_builds_the_same_processors():
    t = Targets(box_format="xyxy", box_labels=("labels",), min_area=4.0, keypoints_on=True)
    src = to_albumentations_source(Recipe([HorizontalFlip(p=0.5)]), targets=t)
    assert "bbox_params=A.BboxParams(format='pascal_voc', label_fields=('labels',), min_area=4.0" in src
    scope: dict = {}
    _quiet(lambda: exec(src, scope))
    built = from_albumentations(scope["transform"])
    assert built.targets == t
    assert "bbox_params" not in to_albumentations_source(Recipe([HorizontalFlip(p=0.5)]))
