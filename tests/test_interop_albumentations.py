from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from augviz import OneOf, Recipe, SomeOf
from augviz.core import get as get_transform
from augviz.datasets import sample_image
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.interop.albumentations import (
    MAPPINGS,
    InteropError,
    from_albumentations,
    to_albumentations,
    to_albumentations_source,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    A = pytest.importorskip("albumentations")


def _from_table(m):
    """The albumentations transform of one mapping, built by albumentations from the
    mapping's example parameters (a mapping without one fails tests/test_interop_registry.py)."""

    def make():
        recipe = Recipe([get_transform(m.augviz_id)(p=0.6, **(m.example or {}))])
        return A.from_dict(to_albumentations(recipe)).transforms[0]

    return make


# every mapped albumentations transform at its mapping's example (non-default) settings,
# generated from the mapping table, plus the one pipeline step mapped as a pattern
# (RandomBrightnessContrast = a some_of of color_jitter and brightness)
ROUND_TRIPS = [pytest.param(_from_table(m), id=m.name) for m in MAPPINGS] + [
    pytest.param(
        lambda: A.RandomBrightnessContrast(brightness_limit=(-0.1, 0.3), contrast_limit=(-0.25, 0.15), p=0.7),
        id="RandomBrightnessContrast",
    )
]


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def _norm(x):
    """albumentations dicts hold tuples; JSON files hold lists."""
    return json.loads(json.dumps(x))


@pytest.mark.parametrize("make", ROUND_TRIPS)
def test_round_trip_albumentations_augviz_albumentations(make):
    original = _quiet(lambda: A.to_dict(A.Compose([make()])))
    result = from_albumentations(original)
    assert result.complete, str(result)
    exported = to_albumentations(result.recipe)
    rebuilt = _quiet(lambda: A.to_dict(A.from_dict(exported)))
    orig_t = _norm(original["transform"]["transforms"][0])
    back_t = _norm(rebuilt["transform"]["transforms"][0])
    assert back_t["__class_fullname__"] == orig_t["__class_fullname__"]
    for key, value in orig_t.items():
        if key in (
            "fill_mask",
            "mask_interpolation",
            "rotate_method",
            "ensure_safe_range",
            "balanced_scale",
            "mode",
            "mask",
            "mask_params",
            "method",
            "num_output_channels",
            "interpolation_pair",
            "area_for_downscale",
            "noise_scale_factor",
            "mean_range",
        ):
            continue
        assert back_t[key] == pytest.approx(value) if isinstance(value, float) else back_t[key] == value, key
    # and augviz → JSON → augviz is lossless too
    assert Recipe.from_json(result.recipe.to_json()) == result.recipe


def _mean_abs(a, b):
    return float(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)).mean())


@pytest.mark.parametrize(
    ("alb", "aug_id", "values"),
    [
        (lambda: A.HorizontalFlip(p=1), "image.hflip", {}),
        (lambda: A.Rotate(limit=(30, 30), p=1), "image.rotate", {"angle": 30}),
        # 0.0625 × 96 px = 6 whole pixels (albumentations truncates shifts to whole pixels)
        (
            lambda: A.Affine(rotate=(20, 20), scale=(1.1, 1.1), translate_percent=(0.0625, 0.0625), p=1),
            "image.affine",
            None,
        ),
        (lambda: A.Affine(shear={"x": (10, 10), "y": (0, 0)}, scale=(0.9, 0.9), p=1), "image.affine", None),
        (lambda: A.InvertImg(p=1), "image.invert", {}),
        (lambda: A.Posterize(num_bits=(3, 3), p=1), "image.posterize", {"bits": 3}),
        (lambda: A.Solarize(threshold_range=(0.5, 0.5), p=1), "image.solarize", {"threshold": 0.5}),
        (lambda: A.RandomGamma(gamma_limit=(150, 150), p=1), "image.gamma", {"gamma": 1.5}),
        (lambda: A.ToGray(p=1), "image.grayscale", {}),
        (
            lambda: A.RandomBrightnessContrast(brightness_limit=(0.1, 0.1), contrast_limit=(0.2, 0.2), p=1),
            "brightness_contrast",
            None,
        ),
    ],
)
def test_same_magnitude_gives_comparable_output(alb, aug_id, values):
    img = sample_image("astronaut", size=96)
    expected = _quiet(lambda: A.Compose([alb()], seed=0)(image=img)["image"])
    recipe = from_albumentations(_quiet(lambda: A.to_dict(A.Compose([alb()])))).recipe
    out = recipe(img, rng=0)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    assert _mean_abs(out, expected) < 1.0, f"{aug_id}: mean abs difference {_mean_abs(out, expected):.2f}"


def test_unmapped_steps_are_reported_not_dropped_silently():
    pipe = _quiet(
        lambda: A.Compose(
            [
                A.ToFloat(),
                A.HorizontalFlip(),
                A.Affine(translate_px=(-3, 3)),
                A.OneOf([A.Blur(), A.Emboss(), A.Normalize()]),
            ]
        )
    )
    result = from_albumentations(pipe)
    assert [s[1] for s in result.skipped] == ["ToFloat", "Affine", "Emboss", "Normalize"]
    assert "translate_px" in str(result) and "no preprocessing equivalent" in str(result)
    assert "never inside a group" in str(result)
    shear_and_turn = from_albumentations(
        _quiet(lambda: A.to_dict(A.Compose([A.Affine(rotate=(5, 9), shear={"x": (2, 3), "y": (0, 0)})])))
    )
    assert shear_and_turn.complete and "shears after rotating" in str(shear_and_turn)
    assert result.recipe == Recipe(
        [HorizontalFlip(p=0.5), OneOf([get_transform("image.box_blur")(radius=(1, 3), p=0.5)], p=0.5)],
        meta=result.recipe.meta,
    )
    with pytest.raises(InteropError, match="Emboss: no augviz equivalent"):
        from_albumentations(pipe, strict=True)


def test_reads_files_written_by_albumentations(tmp_path):
    path = tmp_path / "alb.json"
    _quiet(lambda: A.save(A.Compose([A.HorizontalFlip(p=0.5), A.Rotate(limit=30)]), str(path)))
    result = from_albumentations(path)
    assert result.complete
    assert result.recipe.steps[1] == Rotate(angle=(-30, 30), p=0.5)
    with pytest.raises(InteropError, match="cannot read"):
        from_albumentations(tmp_path / "missing.json")
    with pytest.raises(InteropError, match="not an albumentations pipeline"):
        from_albumentations({"format": "augviz.recipe"})


def test_export_refuses_unmappable_steps_and_names_them():
    r = Recipe(
        [HorizontalFlip(), OneOf([Brightness(), Rotate(), get_transform("image.speckle")()]),
         SomeOf([HorizontalFlip(), Brightness()], n=1)]
    )
    with pytest.raises(InteropError, match=r"steps\[1\]\.one_of\[2\]: image.speckle"):
        to_albumentations(r)


def test_exported_source_runs_and_builds_the_same_pipeline():
    r = Recipe([HorizontalFlip(p=0.5), OneOf([Rotate(angle=(-10, 10)), HorizontalFlip()], p=0.3)])
    source = to_albumentations_source(r)
    namespace: dict = {}
    _quiet(lambda: exec(compile(source, "<export>", "exec"), namespace))
    built = _quiet(lambda: _norm(A.to_dict(namespace["transform"])))
    direct = _quiet(lambda: _norm(A.to_dict(A.from_dict(to_albumentations(r)))))
    assert built == direct


def test_empty_recipe_exports_source_that_parses():
    import ast

    source = to_albumentations_source(Recipe([], modality="image"))
    assert source.endswith("transform = A.Compose([\n])\n")
    ast.parse(source)
