from __future__ import annotations

import pickle

import numpy as np
import pytest

import augviz
from augviz.core import AugvizError, Range, RecipeError, register
from augviz.image import Brightness, HorizontalFlip, ImageTransform, Rotate


def test_bad_parameter_at_construction_names_parameter_value_and_bounds():
    with pytest.raises(augviz.ParamError, match=r"image.rotate: angle=200 is outside \[-180, 180\] degrees"):
        Rotate(angle=200)
    with pytest.raises(augviz.ParamError, match=r"p=1.5 is outside \[0, 1\]"):
        Rotate(p=1.5)
    with pytest.raises(augviz.ParamError, match="unknown parameter 'angel'; allowed: p, angle"):
        Rotate(angel=3)


def test_sample_then_apply_equals_call_and_replay():
    img = np.random.default_rng(0).integers(0, 255, (20, 20, 3), dtype=np.uint8)
    t = Rotate(angle=(-30, 30))
    rng = np.random.default_rng(5)
    _coin = rng.random()
    values = t.sample(rng, img)
    out = t(img, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(out, t.apply(img, **values))
    np.testing.assert_array_equal(t.replay(img, values), out)


def test_probability_zero_returns_input_untouched():
    img = np.zeros((4, 4), np.uint8)
    assert HorizontalFlip(p=0.0)(img, rng=0) is img


def test_with_params_copies_and_original_is_unchanged():
    t = Rotate(angle=10)
    u = t.with_params(angle=(-5, 5), p=0.5)
    assert t.params["angle"] == (10.0, 10.0) and t.p == 1.0
    assert u.params["angle"] == (-5.0, 5.0) and u.p == 0.5
    with pytest.raises(TypeError):
        t.params["angle"] = 3  # type: ignore[index]


def test_transforms_pickle_by_value():
    t = Brightness(delta=(-0.1, 0.3), p=0.4)
    assert pickle.loads(pickle.dumps(t)) == t


def test_registry_rejects_duplicates_and_bad_ids():
    with pytest.raises(AugvizError, match="already registered"):
        register("image.rotate")(type("Other", (ImageTransform,), {"__slots__": ()}))
    with pytest.raises(AugvizError, match="malformed"):
        register("Rotate")
    with pytest.raises(AugvizError, match="unique and not p/seed"):
        register("image.zz_bad")(
            type(
                "Bad", (ImageTransform,), {"__slots__": (), "PARAMS": (Range("seed", 0.0, 1.0, (0.0, 1.0)),)}
            )
        )


def test_unknown_id_suggests_close_match():
    with pytest.raises(RecipeError, match=r"did you mean 'image\.rotate'"):
        augviz.get_transform("image.rotat")
    with pytest.raises(RecipeError, match="Known modalities"):
        augviz.get_transform("video.rotate")


def test_catalogue_filters_by_modality():
    image = augviz.catalogue("image")
    assert image and all(t.modality == "image" for t in image)
    assert [t.id for t in image] == sorted(t.id for t in image)
    with pytest.raises(AugvizError, match="unknown modality"):
        augviz.catalogue("video")


def test_bad_image_inputs_get_clear_errors():
    from PIL import Image

    t = HorizontalFlip()
    with pytest.raises(augviz.InputError, match="mode 'P' is not supported"):
        t(Image.new("P", (4, 4)))
    with pytest.raises(augviz.InputError, match=r"dtype float64 is not allowed.*astype"):
        t(np.zeros((4, 4)))
    with pytest.raises(augviz.InputError, match=r"values span \[2, 2\]; allowed: finite values in \[0, 1\]"):
        t(np.full((4, 4), 2.0, np.float32))
    with pytest.raises(augviz.InputError, match="shape \\(2, 4, 4, 3\\) is not allowed"):
        t(np.zeros((2, 4, 4, 3), np.uint8))
    with pytest.raises(augviz.InputError, match="expected an image"):
        t([[1, 2], [3, 4]])
