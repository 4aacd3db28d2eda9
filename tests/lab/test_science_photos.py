"""The lab's science on real photos (crops of scikit-image's bundled photos), not only
digits: under the default protocol a label-safe recipe is not "hurts", and a recipe that
breaks the property the classes depend on (orientation, colour) is "hurts"."""

from __future__ import annotations

import numpy as np
import pytest

from augviz import Recipe, get_transform
from augviz.lab import LabData, compare
from augviz.lab.compare import interval


def photo_crops(n: int, seed: int, size: int = 32) -> np.ndarray:
    """``n`` random square crops (a third to two thirds of the short side) of six
    bundled photos, each from a photo drawn at random, resized to ``size`` px."""
    import cv2
    from skimage import data

    sources = [data.astronaut(), data.coffee(), data.chelsea(), data.rocket(),
               np.stack([data.camera()] * 3, -1), data.stereo_motorcycle()[0]]
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        src = sources[int(rng.integers(len(sources)))]
        h, w = src.shape[:2]
        side = int(rng.integers(min(h, w) // 3, min(h, w) * 2 // 3))
        top, left = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        out.append(cv2.resize(src[top : top + side, left : left + side], (size, size),
                              interpolation=cv2.INTER_AREA))
    return np.stack(out)


def orientation_set(n: int = 300) -> LabData:
    """Upright crops vs the same kind of crops turned by 180°."""
    x, y = photo_crops(n, seed=0), np.arange(n) % 2
    x[y == 1] = x[y == 1][:, ::-1, ::-1]
    return LabData(x, y, "image", ["upright", "upside-down"], name="photo-orientation")


def colour_set(n: int = 300) -> LabData:
    """Crops through a warm filter vs a cool one."""
    x, y = photo_crops(n, seed=1).astype(np.float32), np.arange(n) % 2
    gain = np.where(y[:, None] == 0, [[1.25, 1.0, 0.75]], [[0.75, 1.0, 1.25]])
    x = np.clip(x * gain[:, None, None, :], 0, 255).astype(np.uint8)
    return LabData(x, y, "image", ["warm", "cool"], name="photo-colour")


RUN = {"epochs": 8, "train_size": 200, "seeds": 3, "seed": 0}


@pytest.fixture(scope="module")
def orientation():
    g = get_transform
    arms = {"safe": Recipe([g("image.hflip")(p=0.5), g("image.brightness")()]),
            "turn": Recipe([g("image.rotate")(angle=180, p=0.5)])}
    return compare(arms, orientation_set(), **RUN)


@pytest.fixture(scope="module")
def colour():
    g = get_transform
    arms = {"safe": Recipe([g("image.hflip")(p=0.5), g("image.vflip")(p=0.5)]),
            "gray": Recipe([g("image.grayscale")()]),
            "trivialaugment": "trivialaugment"}
    return compare(arms, colour_set(), **RUN)


def verdicts(res):
    return {r["arm"]: r["verdict"] for r in res.summary()}


def test_the_photo_sets_are_learnable(orientation, colour):
    assert orientation.final("none").mean() > 0.6, orientation.summary()
    assert colour.final("none").mean() > 0.85, colour.summary()


def test_turning_photos_hurts_when_classes_depend_on_orientation(orientation):
    v = verdicts(orientation)
    assert v["turn"] == "hurts", orientation.summary()
    assert v["safe"] != "hurts", orientation.summary()


def test_removing_colour_hurts_when_classes_depend_on_colour(colour):
    v = verdicts(colour)
    assert v["gray"] == "hurts", colour.summary()
    assert v["safe"] != "hurts", colour.summary()
    assert colour.final("gray").mean() < 0.7  # nothing left to tell warm from cool
    # the reference arm runs (its policy includes hue and grayscale: no free lunch here)
    assert colour.curves["trivialaugment"]["val_acc"].shape == (3, 8)


def test_photo_results_are_reproducible_for_a_seed():
    data = orientation_set(120)
    arms = {"turn": Recipe([get_transform("image.rotate")(angle=180, p=0.5)])}
    a = compare(arms, data, epochs=1, train_size=60, seeds=1, seed=4, control=False)
    b = compare(arms, data, epochs=1, train_size=60, seeds=1, seed=4, control=False)
    for arm in a.arms:
        np.testing.assert_array_equal(a.curves[arm]["val_acc"], b.curves[arm]["val_acc"])


def test_the_interval_shrinks_with_more_seeds():
    arms = {"flip": Recipe([get_transform("image.hflip")(p=0.5)])}
    kw = {"epochs": 2, "train_size": 100, "control": False, "model": "logreg"}
    few = compare(arms, "digits", seeds=2, **kw)
    many = compare(arms, "digits", seeds=8, **kw)
    width = [np.diff(interval(r.val_change("flip")))[0] for r in (few, many)]
    assert width[1] < width[0], width


def test_the_shipped_photo_set_tells_a_flip_from_a_colour_shuffle():
    """The bundled ``photos`` set (crops of five scikit-image photos; the class is the
    photo): colour carries the label, left and right do not."""
    from augviz.lab import load_data

    data = load_data("photos")
    assert len(data) == 300 and data.class_names[:2] == ["astronaut", "coffee"]
    arms = {"safe": Recipe([get_transform("image.hflip")(p=0.5)]),
            "shuffle": Recipe([get_transform("image.channel_shuffle")()]),
            "trivialaugment": "trivialaugment"}
    res = compare(arms, "photos", **RUN)
    v = verdicts(res)
    assert res.final("none").mean() > 0.85, res.summary()
    assert v["safe"] != "hurts" and v["shuffle"] == "hurts", res.summary()
    assert res.curves["trivialaugment"]["val_acc"].shape == (3, 8)
