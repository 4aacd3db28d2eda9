"""Consecutive affine moves are composed: the targets move once, by the product of the
steps' matrices, when they are read (or when a move that does not compose comes), and
give what moving them step by step gives — except the masks, which are resampled once
instead of once per step."""

from __future__ import annotations

import pickle

import cv2
import numpy as np
import pytest

from augviz import Recipe
from augviz.image import (
    Affine,
    Boxes,
    Brightness,
    CropPad,
    Elastic,
    HorizontalFlip,
    Keypoints,
    Perspective,
    RandomResizedCrop,
    Rotate,
    Sample,
    VerticalFlip,
)

H, W = 60, 84  # not square
FILL = 255


def _sample(boxes_kw=None) -> Sample:
    rng = np.random.default_rng(3)
    mask = rng.integers(0, 4, (H // 6, W // 6)).repeat(6, 0).repeat(6, 1).astype(np.uint8)
    x0, y0 = rng.uniform(0, W * 0.6, 12), rng.uniform(0, H * 0.6, 12)
    coords = np.column_stack([x0, y0, x0 + rng.uniform(3, W * 0.4, 12), y0 + rng.uniform(3, H * 0.4, 12)])
    boxes = Boxes(coords, labels=[f"b{i}" for i in range(12)], **(boxes_kw or {}))
    kps = Keypoints(np.column_stack([rng.uniform(0, W - 1, 9), rng.uniform(0, H - 1, 9)]),
                    labels=[f"k{i}" for i in range(9)], flip_pairs=[(0, 1), (2, 3)])
    return Sample(rng.integers(0, 256, (H, W, 3)).astype(np.uint8), masks=mask, boxes=boxes, keypoints=kps,
                  mask_fill=FILL)


def _steps(recipe: Recipe, sample: Sample, seed: int) -> list:
    """The applied transforms of one call with their drawn values."""
    _, records = recipe.trace(sample, rng=seed)
    return [(recipe.at(r["path"]), r["values"]) for r in records if r["applied"]]


def _step_by_step(steps: list, sample: Sample) -> tuple[Sample, np.ndarray]:
    """Each step moves the targets before the next (reading them after every step), and
    the product of the steps' matrices."""
    x, m = sample, np.eye(3)
    for t, values in steps:
        g = t.geometry(values, np.asarray(x.image).shape)
        if g is not None:
            m = np.asarray(g, np.float64) @ m
        x = t.apply(x, **values)
        x.masks  # noqa: B018  (reading moves the targets now)
    return x, m


RUNS = [  # an affine move, then moves that keep boxes axis-aligned and read inside the frame
    Recipe([Affine(angle=(-20, 20), translate=(-0.1, 0.1), scale=(0.9, 1.2), shear=(-5, 5)),
            HorizontalFlip(p=0.5), RandomResizedCrop(height=50, width=70, scale=(0.4, 1.0)),
            Brightness(), VerticalFlip(p=0.5)]),
    Recipe([Rotate(angle=(-40, 40)), VerticalFlip(), HorizontalFlip(p=0.5),
            CropPad(amount=(-0.2, 0.0)), RandomResizedCrop(height=32, width=48, scale=(0.3, 1.0))]),
    Recipe([HorizontalFlip(), HorizontalFlip(), VerticalFlip(), RandomResizedCrop(height=H, width=W)]),
]


@pytest.mark.parametrize("recipe", RUNS, ids=["affine-flip-crop", "rotate-flips-crops", "flips-only"])
def test_a_run_moves_targets_as_step_by_step_and_masks_by_the_composed_matrix(recipe):
    s = _sample()
    for seed in range(12):
        steps = _steps(recipe, s, seed)
        fused = recipe(s, rng=seed)
        stepped, m = _step_by_step(steps, s)
        assert np.array_equal(fused.image, stepped.image)
        # boxes: the same boxes with the same labels, at the same place
        assert fused.boxes.labels == stepped.boxes.labels, seed
        np.testing.assert_allclose(fused.boxes.coords, stepped.boxes.coords, atol=1e-9)
        # keypoints: count, order, visibility and left/right swaps as step by step
        np.testing.assert_allclose(fused.keypoints.xy, stepped.keypoints.xy, atol=1e-9)
        assert np.array_equal(fused.keypoints.visible, stepped.keypoints.visible)
        # the mask: one nearest resampling by the product of the steps' matrices
        h, w = fused.image.shape[:2]
        want = cv2.warpAffine(s.masks, m[:2], (w, h), flags=cv2.INTER_NEAREST,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=FILL)
        assert np.array_equal(fused.masks, want), seed
        # never blended: values after ⊆ values before ∪ {fill}
        assert set(np.unique(fused.masks).tolist()) <= set(np.unique(s.masks).tolist()) | {FILL}
        # and near resampling at every step (rounding once instead of per step moves
        # some edges by a pixel: this mask has 6-pixel cells, so edges are everywhere)
        assert (fused.masks != stepped.masks).mean() < 0.1, seed


@pytest.mark.parametrize("recipe", [
    # the second rotation reads outside the first one's frame: what the first cut off stays cut off
    Recipe([Rotate(angle=30, border="constant"), Rotate(angle=-30, border="constant")]),
    # padding reads outside the frame
    Recipe([Affine(angle=10, translate=0, scale=1, shear=0), CropPad(amount=(0.1, 0.2))]),
    # a reflected border shows mirrored content
    Recipe([HorizontalFlip(), Rotate(angle=20, border="reflect")]),
    # moves that are no affine matrix end the run
    Recipe([Affine(angle=(-10, 10)), Perspective(scale=0.08), HorizontalFlip(), Elastic(alpha=0.05)]),
], ids=["rotate-back", "pad", "reflect", "perspective-elastic"])
def test_steps_that_do_not_compose_give_exactly_step_by_step(recipe):
    s = _sample()
    for seed in range(4):
        fused = recipe(s, rng=seed)
        stepped, _ = _step_by_step(_steps(recipe, s, seed), s)
        assert fused == stepped, seed


def test_rotating_back_keeps_the_cut_corners_as_fill():
    s = Sample(np.zeros((H, W), np.uint8), masks=np.ones((H, W), np.uint8), mask_fill=FILL)
    out = Recipe([Rotate(angle=30), Rotate(angle=-30)])(s, rng=0)
    assert out.masks[0, 0] == FILL and out.masks[-1, -1] == FILL and out.masks[H // 2, W // 2] == 1


def test_boxes_with_a_visibility_threshold_are_moved_at_every_step():
    # with min_visibility the share kept is judged at every step, so boxes do not compose
    s = _sample({"min_visibility": 0.4})
    recipe = RUNS[0]
    for seed in range(8):
        fused = recipe(s, rng=seed)
        stepped, _ = _step_by_step(_steps(recipe, s, seed), s)
        assert fused.boxes == stepped.boxes and fused.keypoints == stepped.keypoints, seed


def test_a_moved_sample_reads_alike_in_any_order_and_pickles():
    s = _sample()
    recipe = RUNS[0]
    a, b, c = recipe(s, rng=5), recipe(s, rng=5), recipe(s, rng=5)
    _ = a.keypoints, a.boxes, a.masks
    _ = b.masks, b.keypoints
    assert a == b == pickle.loads(pickle.dumps(c))
    # a sample in the middle of a run stays usable as the input of several calls
    mid = Affine(angle=12, translate=0, scale=1, shear=0)(s, rng=0)
    one, two = HorizontalFlip()(mid), VerticalFlip()(mid)
    assert one != two and mid == Affine(angle=12, translate=0, scale=1, shear=0)(s, rng=0)
    assert one.masks.shape == two.masks.shape == (H, W)
    # a transform that moves nothing keeps the targets as they are
    assert Brightness()(mid, rng=0).boxes == mid.boxes
