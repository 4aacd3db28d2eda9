from __future__ import annotations

import pickle

import numpy as np
import pytest

from augviz import InputError, Recipe
from augviz.image import Brightness, Rotate
from augviz.interop.torch import TorchTransform

torch = pytest.importorskip("torch", reason="torch is not installed (dev extra on x86_64/3.11)")


class Images(torch.utils.data.Dataset):
    def __init__(self, transform):
        self.x = np.random.default_rng(0).integers(0, 256, (16, 12, 12, 3), dtype=np.uint8)
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.transform(self.x[i])


def run(workers: int, seed: int):
    t = TorchTransform(Recipe([Rotate(angle=(-40, 40)), Brightness()], seed=1), to_tensor=True)
    g = torch.Generator().manual_seed(seed)
    loader = torch.utils.data.DataLoader(
        Images(t),
        batch_size=4,
        num_workers=workers,
        generator=g,
        multiprocessing_context="fork" if workers else None,
    )
    return torch.cat(list(loader)).numpy()


def test_dataloader_workers_are_reproducible_and_distinct():
    a, b = run(2, seed=5), run(2, seed=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (16, 3, 12, 12) and a.dtype == np.float32 and a.max() <= 1
    assert not np.array_equal(run(2, seed=6), a)
    # workers 0 and 1 process different batches with different streams: no repeated draws
    assert len({x.tobytes() for x in a}) == 16


def test_single_process_stream_advances_and_pickles():
    t = TorchTransform(Recipe([Rotate(angle=(-40, 40))], seed=2))
    x = np.random.default_rng(0).integers(0, 256, (12, 12), dtype=np.uint8)
    outs = [t(x) for _ in range(3)]
    assert len({o.tobytes() for o in outs}) == 3
    again = pickle.loads(pickle.dumps(t))
    assert [again(x).tobytes() for _ in range(3)] == [o.tobytes() for o in outs]


def test_rejects_non_recipes():
    with pytest.raises(InputError, match="takes a Recipe"):
        TorchTransform(Rotate())


def _detection_target(as_tensor):
    boxes = np.array([[2, 2, 10, 8], [30, 20, 40, 30]], np.float32)  # the second near the right edge
    masks = np.zeros((2, 32, 40), np.uint8)
    masks[0, 2:8, 2:10] = 1
    masks[1, 20:30, 30:40] = 1
    kps = np.array([[[4, 4, 2], [8, 4, 2]], [[35, 25, 2], [38, 25, 1]]], np.float32)
    target = {"boxes": boxes, "labels": np.array([7, 9]), "masks": masks, "keypoints": kps,
              "iscrowd": [0, 1], "image_id": 5}
    if as_tensor:
        target = {k: torch.as_tensor(v) if isinstance(v, np.ndarray) else v for k, v in target.items()}
    return target


@pytest.mark.parametrize("as_tensor", [False, True], ids=["numpy", "torch"])
def test_detection_targets_follow_the_image_and_keep_their_types(as_tensor):
    from augviz.image import HorizontalFlip

    image = np.zeros((32, 40, 3), np.uint8)
    t = TorchTransform(Recipe([HorizontalFlip()], seed=0), to_tensor=True)
    out_image, target = t(image, _detection_target(as_tensor))
    assert tuple(out_image.shape) == (3, 32, 40)
    boxes = np.asarray(target["boxes"])
    np.testing.assert_array_equal(boxes, [[30, 2, 38, 8], [0, 20, 10, 30]])
    assert type(target["boxes"]) is type(_detection_target(as_tensor)["boxes"])
    assert np.asarray(target["masks"])[1, 25, 5] == 1 and np.asarray(target["masks"])[1, 25, 35] == 0
    np.testing.assert_array_equal(np.asarray(target["keypoints"])[0], [[35, 4, 2], [31, 4, 2]])
    assert target["iscrowd"] == [0, 1] and target["image_id"] == 5


@pytest.mark.parametrize("as_tensor", [False, True], ids=["numpy", "torch"])
def test_dropped_boxes_take_their_rows_with_them(as_tensor):
    from augviz.image import Affine

    # shift left and up by half the size: the lower-right box stays, the other leaves the frame
    shift = Affine(angle=0, scale=1.0, translate=(-0.5, -0.5), shear=0)
    image = np.zeros((32, 40, 3), np.uint8)
    _, target = TorchTransform(Recipe([shift], seed=0))(image, _detection_target(as_tensor))
    np.testing.assert_array_equal(np.asarray(target["boxes"]), [[10, 4, 20, 14]])
    assert np.asarray(target["labels"]).tolist() == [9] and target["iscrowd"] == [1]
    assert np.asarray(target["masks"]).shape == (1, 32, 40)
    np.testing.assert_array_equal(np.asarray(target["keypoints"]), [[[15, 9, 2], [18, 9, 1]]])


def test_bad_targets_are_named():
    t = TorchTransform(Recipe([Rotate()], seed=0))
    image = np.zeros((8, 8), np.uint8)
    with pytest.raises(InputError, match="target has no 'boxes'"):
        t(image, {"labels": [1]})
    with pytest.raises(InputError, match="target is list"):
        t(image, [[0, 0, 1, 1]])
    with pytest.raises(InputError, match=r"keypoints'\] has shape \(1, 2\)"):
        t(image, {"boxes": [[0, 0, 4, 4]], "keypoints": [[1, 1]]})
    with pytest.raises(InputError, match=r"box 0 .* has width -4"):
        t(image, {"boxes": [[4, 0, 0, 4]]})
