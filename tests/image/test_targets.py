"""Targets follow the image: masks, boxes and keypoints move exactly as the pixels do,
through every geometric transform, in recipes, traces, replays and batches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

import augviz
from augviz import Recipe
from augviz.core import AugvizError, InputError
from augviz.image import (
    Affine,
    Boxes,
    CropPad,
    Elastic,
    GaussianBlur,
    GridDistortion,
    HorizontalFlip,
    Keypoints,
    Perspective,
    RandomResizedCrop,
    Rotate,
    Sample,
    VerticalFlip,
)

H, W = 48, 72  # not square: a swapped width/height shows
ROOT = Path(__file__).resolve().parents[2]


def _geometric():
    return [cls for cls in augviz.catalogue("image") if cls.moves_pixels]


# several magnitudes per geometric transform; constant borders so that a mask's envelope
# is not widened by reflected copies
MAGNITUDES = {
    "image.hflip": [{}],
    "image.vflip": [{}],
    "image.rotate": [{"angle": a, "border": "constant"} for a in (7, 30, 90, -135)],
    "image.affine": [
        {"angle": 0, "translate": 0.1, "scale": 1.0, "shear": 0, "border": "constant"},
        {"angle": (-20, 20), "translate": (-0.1, 0.1), "scale": (0.8, 1.2), "shear": (-10, 10),
         "border": "constant"},
        {"angle": 45, "translate": 0, "scale": 1.5, "shear": 20, "border": "constant"},
    ],
    "image.random_resized_crop": [
        {"height": 40, "width": 40, "scale": (0.5, 1.0)},
        {"height": 64, "width": 32, "scale": (0.2, 0.5)},
    ],
    "image.crop_pad": [{"amount": (-0.2, 0.0), "border": "constant"},
                       {"amount": (-0.3, 0.3), "border": "constant"}],
    "image.perspective": [{"scale": 0.05, "border": "constant"}, {"scale": 0.15, "border": "constant"}],
    "image.elastic": [{"alpha": 0.03, "border": "constant"}, {"alpha": 0.08, "border": "constant"}],
    "image.optical_distortion": [{"k": -0.3, "border": "constant"},
                                 {"k": 0.2, "mode": "fisheye", "border": "constant"}],
    "image.grid_distortion": [{"distort": 0.2, "border": "constant"},
                              {"distort": 0.6, "num_steps": 3, "border": "constant"}],
}
CASES = [(cls, params) for cls in _geometric() for params in MAGNITUDES.get(cls.id, [None])]


def test_every_geometric_transform_has_magnitudes_here():
    missing = [cls.id for cls in _geometric() if cls.id not in MAGNITUDES]
    assert not missing, f"add target cases for {missing}"


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


BOXES = [[20, 10, 44, 30], [30, 20, 50, 40], [12, 14, 28, 36]]


@pytest.mark.parametrize(("cls", "params"), CASES, ids=lambda c: getattr(c, "id", str(c)))
def test_box_follows_its_rasterised_mask(cls, params):
    """Each box is also drawn as a mask; after the move the box and the envelope of its
    mask overlap with IoU ≥ 0.9."""
    img = np.zeros((H, W, 3), np.uint8)
    masks = []
    for x0, y0, x1, y1 in BOXES:
        m = np.zeros((H, W), np.uint8)
        m[y0:y1, x0:x1] = 1
        masks.append(m)
    sample = Sample(img, masks=masks, boxes=Boxes(BOXES, labels=[0, 1, 2]))
    t = cls(**params)
    checked = 0
    for seed in range(5):
        out = t(sample, rng=seed)
        assert out.image.shape[:2] == out.masks[0].shape
        for box, label in zip(out.boxes.coords, out.boxes.labels, strict=True):
            ys, xs = np.nonzero(out.masks[label])
            if len(xs) < 30:  # almost all of it left the frame
                continue
            env = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
            assert _iou(box, env) >= 0.9, (seed, label, box.tolist(), env)
            checked += 1
    assert checked >= 5


def _dot(x: int, y: int) -> np.ndarray:
    img = np.zeros((H, W), np.float32)
    img[y - 1:y + 2, x - 1:x + 2] = 0.5
    img[y, x] = 1.0
    return img


def _centroid(img: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(img > 0.05)
    wt = img[ys, xs].astype(float)
    return float((xs * wt).sum() / wt.sum()), float((ys * wt).sum() / wt.sum())


@pytest.mark.parametrize(("cls", "params"), CASES, ids=lambda c: getattr(c, "id", str(c)))
def test_keypoint_lands_on_its_rendered_dot(cls, params):
    """A dot drawn at the keypoint (float, bilinear): after the move its centroid is
    within 1 px of the moved keypoint."""
    t = cls(**params)
    checked = 0
    for point in [(20, 12), (50, 30), (36, 24), (10, 40)]:
        sample = Sample(_dot(*point), keypoints=[point])
        for seed in range(6):
            out = t(sample, rng=seed)
            x, y = out.keypoints.xy[0]
            oh, ow = out.image.shape[:2]
            if not (3 <= x <= ow - 4 and 3 <= y <= oh - 4):
                continue  # carried (close to) out of the frame
            assert out.keypoints.visible[0]
            gx, gy = _centroid(out.image)
            assert np.hypot(x - gx, y - gy) <= 1.0, (point, seed, (x, y), (gx, gy))
            checked += 1
    assert checked >= 6


def test_keypoint_carried_out_of_the_frame_is_flagged_and_keeps_its_place():
    k = Keypoints([[2, 2], [36, 24], [70, 46]], labels=["a", "b", "c"])
    shift = Affine(angle=0, translate=(-0.2, -0.2), scale=1, shear=0)
    out = shift(Sample(np.zeros((H, W), np.uint8), keypoints=k))
    assert out.keypoints.labels == ("a", "b", "c")
    assert out.keypoints.visible.tolist() == [False, True, True]
    np.testing.assert_allclose(out.keypoints.xy[0], [2 - 0.2 * W, 2 - 0.2 * H])
    # once out, stays out: moving it back does not bring the lost pixels back
    back = shift.with_params(translate=(0.2, 0.2))(out)
    assert back.keypoints.visible.tolist() == [False, True, True]
    np.testing.assert_allclose(back.keypoints.xy, k.xy, atol=1e-9)


@pytest.mark.parametrize("shape", [(40, 40), (H, W)])
def test_flips_and_quarter_turns_are_exact(shape):
    h, w = shape
    rng = np.random.default_rng(0)
    mask = rng.integers(0, 5, (h, w)).astype(np.int32)
    box = Boxes([[3, 4, 17, 11]], labels=["x"])
    k = Keypoints([[5, 6], [w - 1, 0]])
    s = Sample(np.zeros((h, w), np.uint8), masks=mask, boxes=box, keypoints=k)
    out = HorizontalFlip()(s)
    assert np.array_equal(out.masks, mask[:, ::-1])
    assert out.boxes.coords.tolist() == [[w - 17, 4, w - 3, 11]]
    assert out.keypoints.xy.tolist() == [[w - 1 - 5, 6], [0, 0]]
    out = VerticalFlip()(s)
    assert np.array_equal(out.masks, mask[::-1])
    assert out.boxes.coords.tolist() == [[3, h - 11, 17, h - 4]]
    if h == w:  # a quarter turn keeps the frame only on a square
        out = Rotate(angle=90)(s)
        assert np.array_equal(out.masks, np.rot90(mask))
        np.testing.assert_allclose(out.boxes.coords, [[4, w - 17, 11, w - 3]], atol=1e-9)
        np.testing.assert_allclose(out.keypoints.xy, [[6, w - 1 - 5], [0, 0]], atol=1e-9)
        assert np.array_equal(Rotate(angle=-90)(out).masks, mask)


# image transforms that warp with the same kernel as the mask when interpolation is nearest
SAME_KERNEL = [
    HorizontalFlip(), VerticalFlip(), Rotate(angle=(-40, 40)), Rotate(angle=90),
    Affine(angle=(-20, 20), translate=(-0.1, 0.1), scale=(0.8, 1.2), shear=(-10, 10)),
    Perspective(scale=0.1), Elastic(alpha=0.06), GridDistortion(distort=0.4),
]


@pytest.mark.parametrize("t", SAME_KERNEL, ids=lambda t: t.id)
@pytest.mark.parametrize(("h", "w", "block"), [(60, 90, 6), (20, 30, 2)])
def test_mask_matches_the_image_warped_with_nearest(t, h, w, block):
    """A mask drawn as the image itself moves pixel for pixel as the image does (on the
    OpenCV path of the image warps and on the numpy path of small images)."""
    rng = np.random.default_rng(1)
    cells = rng.integers(0, 6, (h // block, w // block))
    mask = (cells.repeat(block, 0).repeat(block, 1) * 40).astype(np.uint8)
    if "interpolation" in t.params:
        t = t.with_params(interpolation="nearest")
    if "border" in t.params:
        t = t.with_params(border="constant", fill=0.0)
    for seed in range(3):
        out = t(Sample(mask, masks=mask), rng=seed)
        assert np.array_equal(out.masks, out.image), (seed, (out.masks != out.image).sum())


@pytest.mark.parametrize(("cls", "params"), CASES, ids=lambda c: getattr(c, "id", str(c)))
def test_mask_values_are_never_blended(cls, params):
    rng = np.random.default_rng(2)
    semantic = rng.integers(0, 4, (H // 8, W // 8)).repeat(8, 0).repeat(8, 1).astype(np.uint8)
    instance = (rng.integers(0, 3, (H, W)) * 1000 + 7).astype(np.int32)
    flags = rng.random((H, W)) > 0.5
    s = Sample(np.zeros((H, W, 3), np.uint8), masks=[semantic, instance, flags], mask_fill=255)
    for seed in range(3):
        out = cls(**params)(s, rng=seed)
        for before, after in zip([semantic, instance, flags], out.masks, strict=True):
            assert after.dtype == before.dtype
            fill = {255} if before.dtype != bool else {False}
            assert set(np.unique(after).tolist()) <= set(np.unique(before).tolist()) | fill


def test_labels_stay_with_their_boxes_when_a_crop_drops_some():
    # a grid of boxes, labelled by their own top-left corner
    coords = [[x, y, x + 8, y + 8] for y in range(0, 40, 10) for x in range(0, 70, 10)]
    labels = [(x, y) for x, y, _, _ in coords]
    s = Sample(np.zeros((H, W), np.uint8), boxes=Boxes(coords, labels=labels, min_visibility=0.5))
    values = {"height": 30, "width": 30, "scale": 30 * 30 / (H * W), "ratio": 1.0, "pos_x": 0.5,
              "pos_y": 0.5, "interpolation": "bilinear"}
    out = RandomResizedCrop().apply(s, **values)
    left, top = round(0.5 * (W - 30)), round(0.5 * (H - 30))
    assert 0 < len(out.boxes) < len(coords)
    for box, (x, y) in zip(out.boxes.coords, out.boxes.labels, strict=True):
        expect = np.clip([x - left, y - top, x + 8 - left, y + 8 - top], 0, 30)
        np.testing.assert_allclose(box, expect, atol=1e-9)
        full = np.array([x - left, y - top])
        assert ((expect[2] - expect[0]) * (expect[3] - expect[1])) / 64 >= 0.5, full
    # the kept ones are exactly those with at least half their area inside the crop
    def share(x, y):
        cx = max(0, min(x + 8, left + 30) - max(x, left))
        cy = max(0, min(y + 8, top + 30) - max(y, top))
        return cx * cy / 64
    assert list(out.boxes.labels) == [lab for lab in labels if share(*lab) >= 0.5]


def test_min_area_drops_small_boxes():
    s = Sample(np.zeros((H, W), np.uint8), boxes=Boxes([[0, 0, 4, 4], [10, 10, 30, 30]], labels=["s", "l"],
                                                      min_area=20))
    out = Rotate(angle=10)(s)
    assert out.boxes.labels == ("l",)


def test_flip_pairs_swap_when_the_move_mirrors():
    k = Keypoints([[10, 20], [30, 20], [20, 30]], labels=["left_eye", "right_eye", "nose"],
                  flip_pairs=[(0, 1)])
    s = Sample(np.zeros((H, W), np.uint8), keypoints=k)
    out = HorizontalFlip()(s)
    # the left eye is now the point on the image's other side, at the old right eye's mirror
    assert out.keypoints.xy.tolist() == [[W - 1 - 30, 20], [W - 1 - 10, 20], [W - 1 - 20, 30]]
    assert out.keypoints.labels == k.labels
    assert VerticalFlip()(s).keypoints.xy.tolist() == [[30, H - 1 - 20], [10, H - 1 - 20], [20, H - 1 - 30]]
    # two mirrors make a half turn: no swap
    both = Recipe([HorizontalFlip(), VerticalFlip()])(s, rng=0)
    assert both.keypoints.xy.tolist() == [[W - 1 - 10, H - 1 - 20], [W - 1 - 30, H - 1 - 20],
                                          [W - 1 - 20, H - 1 - 30]]
    assert Rotate(angle=30)(s).keypoints.xy[0, 0] < Rotate(angle=30)(s).keypoints.xy[1, 0]


@pytest.mark.parametrize("fmt", ["xyxy", "xywh", "cxcywh", "yolo"])
def test_box_formats_come_back_in_their_own_format(fmt):
    xyxy = np.array([[10.0, 6.0, 30.0, 20.0]])
    conv = {
        "xyxy": xyxy,
        "xywh": [[10, 6, 20, 14]],
        "cxcywh": [[20, 13, 20, 14]],
        "yolo": [[20 / W, 13 / H, 20 / W, 14 / H]],
    }[fmt]
    b = Boxes(conv, labels=["a"], format=fmt)
    np.testing.assert_allclose(b.to_xyxy((H, W)), xyxy)
    out = HorizontalFlip()(Sample(np.zeros((H, W), np.uint8), boxes=b)).boxes
    assert out.format == fmt
    np.testing.assert_allclose(out.to_xyxy((H, W)), [[W - 30, 6, W - 10, 20]])


def test_pixel_transforms_pass_targets_through():
    s = Sample(np.full((H, W, 3), 100, np.uint8), masks=np.ones((H, W), np.uint8),
               boxes=Boxes([[1, 2, 3, 4]], labels=[7]), keypoints=[[5, 5]])
    for cls in augviz.catalogue("image"):
        if cls.moves_pixels:
            continue
        out = cls()(s, rng=0)
        assert out.masks is s.masks and out.boxes is s.boxes and out.keypoints is s.keypoints, cls.id
        assert isinstance(out, Sample)
        assert np.array_equal(out.image, cls()(s.image, rng=0)), cls.id


def test_pil_image_in_a_sample_stays_pil():
    from PIL import Image

    img = Image.fromarray(np.zeros((H, W, 3), np.uint8))
    out = Rotate(angle=90)(Sample(img, keypoints=[[36, 24]]), rng=0)
    assert isinstance(out.image, Image.Image) and out.image.size == (W, H)


# -- recipes ------------------------------------------------------------------------------
RECIPE = Recipe([
    Rotate(angle=(-30, 30)), HorizontalFlip(p=0.5), RandomResizedCrop(height=40, width=56, scale=(0.5, 1)),
    GaussianBlur(), CropPad(amount=(-0.1, 0.1)), Elastic(alpha=0.03),
], seed=3)


def _sample() -> Sample:
    rng = np.random.default_rng(5)
    img = rng.integers(0, 256, (H, W, 3)).astype(np.uint8)
    mask = rng.integers(0, 3, (H, W)).astype(np.uint8)
    k = Keypoints([[10, 10], [30, 12], [60, 40]], labels=["l", "r", "c"], flip_pairs=[(0, 1)])
    return Sample(img, masks=mask, boxes=Boxes([[5, 5, 30, 25], [40, 10, 70, 46]], labels=["a", "b"]),
                  keypoints=k)


def test_recipe_call_trace_and_replay_move_targets():
    s = _sample()
    out, records = RECIPE.trace(s, rng=11)
    assert isinstance(out, Sample) and out == RECIPE(s, rng=11)
    assert RECIPE.replay(s, records) == out
    assert np.array_equal(out.image, RECIPE(s.image, rng=11))
    assert json.loads(RECIPE.to_json())["version"] == 1
    # the records are JSON-safe and replay after a round trip
    again = json.loads(json.dumps(records))
    assert Recipe.from_json(RECIPE.to_json()).replay(s, again) == out


def test_recipe_batch_of_samples():
    samples = [_sample(), _sample().replace(keypoints=None)]
    out = RECIPE.batch(samples, rng=4)
    images = RECIPE.batch([s.image for s in samples], rng=4)
    assert all(isinstance(o, Sample) for o in out)
    assert all(np.array_equal(o.image, i) for o, i in zip(out, images, strict=True))
    assert out[1].keypoints is None and out[0].masks.shape == out[0].image.shape[:2]


_FRESH = """
import hashlib, sys, numpy as np
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
from test_targets import RECIPE, _sample
out = RECIPE(_sample(), rng=123)
h = hashlib.sha256()
for a in (out.image, out.masks, out.boxes.coords, out.keypoints.xy, out.keypoints.visible):
    h.update(np.ascontiguousarray(a).tobytes())
h.update(repr(out.boxes.labels).encode())
print(h.hexdigest())
"""


def test_same_seed_gives_the_same_sample_in_a_fresh_process():
    code = _FRESH.format(root=str(ROOT), tests=str(Path(__file__).parent))
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2)]
    assert runs[0] == runs[1] and len(runs[0].strip()) == 64


# -- bad input ----------------------------------------------------------------------------
IMG = np.zeros((H, W), np.uint8)
BAD = [
    (lambda: Sample(IMG, boxes=[[10, 10, W + 5, 20]]), "reaches outside the 48×72 image"),
    (lambda: Sample(IMG, boxes=Boxes([[0.9, 0.5, 0.4, 0.2]], format="yolo")), "reaches outside"),
    (lambda: Boxes([[10, 10, 5, 20]]), "has width -5"),
    (lambda: Boxes([[10, 10, 5, -2]], format="xywh"), "has height -2"),
    (lambda: Boxes([[1, 2, 3, 4]], format="pascal_voc"), "format 'pascal_voc' is not allowed; allowed: xyxy"),
    (lambda: Boxes([[1, 2, 3, 4], [1, np.nan, 3, 4]]), "box 1 is [1.0, nan, 3.0, 4.0]: NaN"),
    (lambda: Boxes([[1, 2, 3]]), "shape (1, 3); allowed: (N, 4)"),
    (lambda: Boxes([[1, 2, 3, 4]], labels=["a", "b"]), "2 labels for 1 items"),
    (lambda: Boxes([[1, 2, 3, 4]], labels=[["a"]]), "box label 0 is a list"),
    (lambda: Boxes([[1, 2, 3, 4]], min_visibility=2), "min_visibility"),
    (lambda: Sample(IMG, masks=np.zeros((H, W + 1), np.uint8)), "mask is 48×73 but the image is 48×72"),
    (lambda: Sample(IMG, masks=[np.zeros((H, W), np.uint8), np.zeros((2, 2), np.uint8)]), "mask 1 is 2×2"),
    (lambda: Sample(IMG, masks=np.zeros((H, W), np.float32)), "mask dtype float32 is not allowed"),
    (lambda: Sample(IMG, masks=np.zeros((H, W), np.uint8), mask_fill=300), "mask_fill 300 does not fit"),
    (lambda: Keypoints([[1, np.inf]]), "keypoint 0 is [1.0, inf]: NaN or infinite"),
    (lambda: Keypoints([[1, 2]], labels=["a", "b"]), "keypoint labels: 2 labels for 1 items"),
    (lambda: Keypoints([[1, 2], [3, 4]], flip_pairs=[(0, 2)]), "index 2 is out of range for 2 keypoints"),
    (lambda: Keypoints([[1, 2], [3, 4], [5, 6]], flip_pairs=[(0, 1), (1, 2)]), "in more than one pair"),
    (lambda: Sample(np.zeros((H, W), np.float64)), "image dtype float64 is not allowed"),
]


@pytest.mark.parametrize(("make", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_targets_are_named(make, message):
    with pytest.raises(AugvizError) as err:
        make()
    assert message in str(err.value)


def test_a_move_without_a_description_is_refused_for_targets():
    class Twist(HorizontalFlip):
        __slots__ = ()
        id = "test.twist"

        def geometry(self, values, shape):
            return None

    s = Sample(IMG, boxes=[[1, 1, 5, 5]])
    with pytest.raises(InputError, match=r"test\.twist moves pixels but cannot move boxes"):
        Twist()(s)
    assert isinstance(Twist()(Sample(IMG)), Sample)  # no targets: nothing to move


@pytest.mark.parametrize("t", [Elastic(alpha=0.06, border="reflect"), GridDistortion(distort=0.5)],
                         ids=lambda t: t.id)
def test_warp_field_moves_each_box_as_its_own_mask(t):
    """Under a warp field a box becomes the envelope of its rasterised mask moved by the
    same field — checked box by box for more boxes than one bit-plane word holds."""
    rng = np.random.default_rng(3)
    x0, y0 = rng.uniform(0, W - 12, 40), rng.uniform(0, H - 12, 40)
    coords = np.column_stack([x0, y0, x0 + rng.uniform(2, 12, 40), y0 + rng.uniform(2, 12, 40)])
    coords = np.round(coords)
    for min_visibility in (0.0, 0.9):
        s = Sample(np.zeros((H, W), np.uint8),
                   boxes=Boxes(coords, labels=list(range(40)), min_visibility=min_visibility))
        for seed in range(2):
            values = t.sample(seed)
            out = t.apply(s, **values)
            map_x, map_y = t.point_map(values, (H, W))
            expect = {}
            for i, (a, b, c, d) in enumerate(coords.astype(int)):
                m = np.zeros((H, W), np.uint8)
                m[b:d, a:c] = 1
                moved = cv2.remap(m, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_NEAREST)
                ys, xs = np.nonzero(moved)
                if len(xs) and len(xs) >= min_visibility * (d - b) * (c - a):
                    expect[i] = [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]
            assert list(out.boxes.labels) == sorted(expect)
            assert out.boxes.coords.tolist() == [expect[i] for i in out.boxes.labels]
            if min_visibility:
                assert len(expect) < 40 or t.id == "image.grid_distortion"
