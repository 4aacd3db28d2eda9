"""Importing whole albumentations pipelines: coverage on realistic pipelines, replayed
parameters, nested groups, older files, YAML and bad input."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from augviz import Recipe, SomeOf
from augviz.core import get as get_transform
from augviz.datasets import sample_image
from augviz.image import Brightness, HorizontalFlip
from augviz.interop import InteropError, from_albumentations, to_albumentations, to_albumentations_source

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    A = pytest.importorskip("albumentations")

DATA = Path(__file__).parent / "data" / "albumentations"
PIPELINES = [*sorted(p.name for p in DATA.glob("*.json")), "kaggle_like.yaml"]


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


@pytest.mark.parametrize("name", PIPELINES)
def test_realistic_pipelines_come_in_with_every_row_accounted_for(name):
    result = from_albumentations(DATA / name)
    rows = result.rows()
    assert rows and all(status in ("exact", "approximate", "dropped") for _, _, status, _ in rows)
    assert all(detail for _, _, status, detail in rows if status != "exact"), "a row without a reason"
    # transforms come in exact or approximate with what differs
    kept = [r for r in rows if r[2] != "dropped"]
    assert len(kept) >= 0.7 * len(rows), str(result)


def test_coverage_over_all_pipelines_is_at_least_90_percent_of_augmentations():
    rows = [
        r for name in PIPELINES if name.endswith(".json") for r in from_albumentations(DATA / name).rows()
    ]
    kept = [r for r in rows if r[2] != "dropped"]
    assert len(kept) / len(rows) >= 0.9, [r for r in rows if r[2] == "dropped"]
    preparation = [r for r in rows if r[1] in ("Normalize", "Resize", "PadIfNeeded", "ToTensorV2")]
    assert preparation and all(r[2] != "dropped" for r in preparation)


def test_yaml_and_json_files_give_the_same_recipe():
    assert from_albumentations(DATA / "kaggle_like.yaml").recipe == from_albumentations(
        DATA / "kaggle_like.json").recipe


def test_files_of_albumentations_1x_with_module_paths():
    result = from_albumentations(DATA / "v1_module_paths.json")
    ids = [s.id if s.kind == "transform" else s.kind for s in result.recipe.steps]
    assert ids == [
        "image.hflip", "image.affine", "image.gaussian_noise", "image.jpeg", "image.cutout", "one_of",
    ]
    assert result.recipe.steps[3].p == 1.0  # always_apply=True
    assert result.dropped == []
    assert [t.id for t in result.recipe.preprocess["after"]] == ["image.normalize"]
    noise = result.recipe.steps[2]
    assert noise.params["std"] == pytest.approx((10**0.5 / 255, 50**0.5 / 255))
    assert result.recipe.steps[4].params["size"] == (8 / 256, 8 / 256)  # 8-px holes on a 256-px image
    assert "256-px" in dict(((c, w) for _, c, w in result.approximate))["CoarseDropout"]


def _replay(alb, augviz_transform, img):
    out = _quiet(lambda: A.Compose([alb], seed=0)(image=img)["image"])
    return float(np.abs(out.astype(float) - augviz_transform(img, rng=0).astype(float)).mean())


@pytest.mark.parametrize(
    ("alb", "aug_id", "values"),
    [
        (lambda: A.GaussianBlur(blur_limit=(3, 3), sigma_limit=(2.0, 2.0), p=1), "image.gaussian_blur",
         {"sigma": 2.0, "size": 3}),
        (lambda: A.GaussianBlur(blur_limit=(5, 5), sigma_limit=(0.8, 0.8), p=1), "image.gaussian_blur",
         {"sigma": 0.8, "size": 5}),
        (lambda: A.Blur(blur_limit=(5, 5), p=1), "image.box_blur", {"radius": 2}),
        (lambda: A.MedianBlur(blur_limit=(7, 7), p=1), "image.median_blur", {"radius": 3}),
        (lambda: A.CLAHE(clip_limit=(3, 3), p=1), "image.clahe", {"clip_limit": 3.0}),
        (lambda: A.RGBShift(r_shift_limit=(20, 20), g_shift_limit=(-10, -10), b_shift_limit=(5, 5), p=1),
         "image.rgb_shift", {"red": 20 / 255, "green": -10 / 255, "blue": 5 / 255}),
        (lambda: A.HueSaturationValue(hue_shift_limit=(10, 10), sat_shift_limit=0, val_shift_limit=0, p=1),
         "image.hue", {"shift": 10 / 180}),
    ],
)
def test_replayed_parameters_match_within_half_a_grey_level(alb, aug_id, values):
    img = sample_image("astronaut", size=96)
    imported = from_albumentations(_quiet(lambda: A.to_dict(A.Compose([alb()])))).recipe.steps[0]
    assert imported.id == aug_id
    assert _replay(alb(), get_transform(aug_id)(**values), img) <= 0.5


def test_channel_shuffle_replays_albumentations_order():
    from augviz.image.functional import permute_channels

    img = sample_image("astronaut", size=64)
    res = _quiet(lambda: A.Compose([A.ChannelShuffle(p=1)], seed=3, save_applied_params=True)(image=img))
    (_, params), = res["applied_transforms"]
    assert (permute_channels(img, order=tuple(params["channels_shuffled"])) == res["image"]).all()


def test_nested_compose_and_one_or_other():
    pipe = _quiet(lambda: A.Compose([
        A.Compose([A.HorizontalFlip(p=0.5), A.InvertImg(p=0.2)]),
        A.Sequential([A.HorizontalFlip(p=1.0), A.ToGray(p=1.0)], p=0.3),
        A.OneOrOther(transforms=[A.HorizontalFlip(), A.VerticalFlip()], p=0.7),
    ]))
    result = from_albumentations(pipe)
    assert result.complete, str(result)
    steps = result.recipe.steps
    assert [s.kind for s in steps] == ["transform", "transform", "some_of", "one_of"]
    assert steps[2].n == 2 and steps[2].p == 0.3
    assert [c.p for c in steps[3].children] == pytest.approx([0.7, 0.3]) and steps[3].p == 1.0


def test_brightness_contrast_inside_one_of_is_dropped_with_the_true_reason():
    pipe = _quiet(lambda: A.Compose([A.OneOf([A.RandomBrightnessContrast(), A.RandomGamma()])]))
    result = from_albumentations(pipe)
    ((_, cls, why),) = result.dropped
    assert cls == "RandomBrightnessContrast" and "groups do not nest" in why
    only_brightness = _quiet(lambda: A.Compose([A.OneOf([A.RandomBrightnessContrast(contrast_limit=0)])]))
    assert from_albumentations(only_brightness).complete


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ("transform: [unclosed", "malformed YAML"),
        ("- just\n- a list\n", "not an albumentations pipeline"),
        ("{'__version__': 1}", "cannot read an albumentations JSON"),
        (Recipe([HorizontalFlip()]), "expected an albumentations"),
    ],
)
def test_bad_input_gives_a_clear_error(source, match):
    with pytest.raises(InteropError, match=match):
        from_albumentations(source)


def test_yaml_tags_are_not_executed(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("transform: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(InteropError, match="malformed YAML"):
        from_albumentations(path)


def test_a_live_pipeline_with_an_unnamed_lambda_comes_in_with_a_dropped_row():
    pipe = _quiet(lambda: A.Compose([A.Lambda(image=lambda x, **kw: x), A.OneOf([A.HorizontalFlip()])]))
    result = from_albumentations(pipe)
    assert [(c, "never executes code" in w) for _, c, w in result.dropped] == [("Lambda", True)]
    assert [s.kind for s in result.recipe.steps] == ["one_of"]


def test_lambda_and_unknown_classes_are_dropped_rows():
    d = {"__version__": "2.0.8", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [
        {"__class_fullname__": "Lambda", "p": 1.0, "name": "mine"},
        {"__class_fullname__": "NoSuchTransform", "p": 1.0},
        {"__class_fullname__": "HorizontalFlip", "p": 0.5},
    ]}}
    result = from_albumentations(d)
    why = {c: w for _, c, w in result.dropped}
    assert "never executes code" in why["Lambda"] and "unknown name" in why["NoSuchTransform"]
    assert result.recipe.steps == (HorizontalFlip(p=0.5),)


def test_readme_recipe_exports_to_albumentations():
    from augviz.image import Affine

    recipe = Recipe([Affine(angle=(-15, 15), scale=(0.9, 1.1)), HorizontalFlip(p=0.5),
                     Brightness(delta=(-0.2, 0.2))], seed=0, name="mild")
    pipeline = _quiet(lambda: A.from_dict(to_albumentations(recipe)))
    assert [type(t).__name__ for t in pipeline.transforms] == ["Affine", "HorizontalFlip",
                                                                "RandomBrightnessContrast"]
    assert "A.RandomBrightnessContrast(" in to_albumentations_source(recipe)
    back = from_albumentations(_quiet(lambda: A.to_dict(pipeline)))
    assert back.recipe.steps[1:] == recipe.steps[1:]


def test_cutout_exports_as_coarse_dropout_and_some_of_children_run_always():
    cutout = get_transform("image.cutout")(holes=(1, 3), size=(0.1, 0.2), p=0.4)
    d = to_albumentations(Recipe([cutout, SomeOf([HorizontalFlip(p=0.3), Brightness()], n=1)]))
    first, group = d["transform"]["transforms"]
    assert first["__class_fullname__"] == "CoarseDropout" and first["hole_width_range"] == [0.1, 0.2]
    assert [c["p"] for c in group["transforms"]] == [1.0, 1.0]
    assert isinstance(from_albumentations(d).recipe.steps[1], SomeOf)


def test_quarter_turns_and_transpose_replay_exactly_on_square_images():
    img = sample_image("astronaut", size=64)
    rot = from_albumentations(_quiet(lambda: A.to_dict(A.Compose([A.RandomRotate90(p=0.7)])))).recipe.steps[0]
    assert rot.kind == "one_of" and rot.p == 0.7
    for seed in range(4):
        res = _quiet(lambda s=seed: A.Compose([A.RandomRotate90(p=1)], seed=s, save_applied_params=True)(
            image=img))
        ((_, applied),) = res["applied_transforms"]
        turn = rot.children[applied["factor"]]  # 0, 90, 180, -90 degrees: factor quarter turns
        assert (turn(img, rng=0) == res["image"]).all()
    transpose = from_albumentations(_quiet(lambda: A.to_dict(A.Compose([A.Transpose(p=1)])))).recipe
    expected = _quiet(lambda: A.Compose([A.Transpose(p=1)])(image=img)["image"])
    assert (transpose(img, rng=0) == expected).all()
    inside = from_albumentations(_quiet(lambda: A.to_dict(A.Compose([A.OneOf([A.RandomRotate90(),
                                                                              A.Transpose()])]))))
    assert [c for _, c, _ in inside.dropped] == ["RandomRotate90", "Transpose"]


def test_salt_pepper_erasing_and_grid_dropout_come_in_approximately():
    pipe = _quiet(lambda: A.Compose([A.SaltAndPepper(), A.Erasing(fill="random_uniform"),
                                     A.GridDropout(unit_size_range=(20, 40), ratio=0.4)]))
    result = from_albumentations(pipe)
    assert result.complete and [c for _, c, _ in result.approximate] == ["SaltAndPepper", "Erasing",
                                                                          "GridDropout"]
    salt, erasing, grid = result.recipe.steps
    assert salt.params["salt"] == pytest.approx(0.5) and erasing.params["noise"] is True
    assert grid.params["unit"] == pytest.approx((20 / 256, 40 / 256)) and grid.params["ratio"] == 0.4


def test_removed_1x_classes_and_one_number_limits():
    d = {"__version__": "1.1.0", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [
        {"__class_fullname__": "albumentations.augmentations.transforms.Cutout", "p": 0.5, "num_holes": 8,
         "max_h_size": 16, "max_w_size": 16, "fill_value": 0},
        {"__class_fullname__": "RandomBrightness", "p": 0.5, "limit": 0.1},
        {"__class_fullname__": "RandomContrast", "p": 0.5, "limit": [-0.2, 0.3]},
        {"__class_fullname__": "ShiftScaleRotate", "p": 0.5, "shift_limit": 0.1, "scale_limit": 0.2,
         "rotate_limit": 30},
        {"__class_fullname__": "Blur", "p": 0.5, "blur_limit": 7},
    ]}}
    result = from_albumentations(d)
    assert result.complete, str(result)
    cutout, brightness, contrast, ssr, blur = result.recipe.steps
    assert cutout.id == "image.cutout" and cutout.params["size"] == (16 / 256, 16 / 256)
    assert brightness.id == "image.brightness" and brightness.params["delta"] == (-0.1, 0.1)
    assert contrast.id == "image.color_jitter" and contrast.params["brightness"] == pytest.approx((0.8, 1.3))
    assert ssr.params["angle"] == (-30.0, 30.0) and ssr.params["translate"] == (-0.1, 0.1)
    assert ssr.params["scale"] == pytest.approx((0.8, 1.2)) and blur.params["radius"] == (1, 3)


PREPARATION = [
    ("SmallestMaxSize", {"max_size": 40}),
    ("LongestMaxSize", {"max_size": 40}),
    ("LongestMaxSize", {"max_size": 100, "interpolation": 0}),
    ("Resize", {"height": 20, "width": 30}),
    ("PadIfNeeded", {"min_height": 80, "min_width": 100}),
    ("PadIfNeeded", {"min_height": 80, "min_width": 100, "border_mode": 4}),
    ("CenterCrop", {"height": 20, "width": 21}),
    ("Normalize", {}),
    ("Normalize", {"mean": 0.5, "std": 0.5}),
]


@pytest.mark.parametrize(("cls", "kwargs"), PREPARATION,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(PREPARATION)])
def test_preparation_steps_are_kept_and_match_albumentations(cls, kwargs):
    img = np.random.default_rng(0).integers(0, 256, (61, 47, 3), dtype=np.uint8)
    pipe = _quiet(lambda: A.Compose([getattr(A, cls)(**kwargs)]))
    result = from_albumentations(pipe)
    assert result.exact == [("transforms[0]", cls)] and not result.recipe.steps
    expected = pipe(image=img)["image"]
    out = result.recipe(img, rng=0)
    assert out.shape == expected.shape and out.dtype == expected.dtype
    assert np.abs(out.astype(np.float64) - expected).max() < 1e-5
    back = _quiet(lambda: A.from_dict(to_albumentations(result.recipe)))
    assert np.array_equal(back(image=img)["image"], expected)


def test_preparation_runs_where_the_pipeline_had_it():
    pytorch = pytest.importorskip("albumentations.pytorch")
    pipe = _quiet(lambda: A.Compose([
        A.LongestMaxSize(64), A.PadIfNeeded(64, 64), A.HorizontalFlip(p=0.5), A.RandomCrop(32, 32),
        A.Rotate(10), A.Normalize(), pytorch.ToTensorV2()]))
    result = from_albumentations(pipe)
    pre = result.recipe.preprocess
    assert [t.id for t in pre["before"]] == ["image.longest_max_size", "image.pad_if_needed"]
    assert [t.id for t in pre["after"]] == ["image.random_crop", "image.normalize", "image.to_tensor"]
    why = {c: w for _, c, w in result.approximate}
    assert "moved behind the augmentations" in why["RandomCrop"] and "torch tensor" in why["ToTensorV2"]
    assert not result.dropped
    img = np.zeros((100, 80, 3), np.uint8)
    assert result.recipe(img, rng=0).shape == (3, 32, 32)
    exported = [d["__class_fullname__"] for d in to_albumentations(result.recipe)["transform"]["transforms"]]
    assert exported == ["LongestMaxSize", "PadIfNeeded", "HorizontalFlip", "Rotate", "RandomCrop",
                        "Normalize", "ToTensorV2"]
    assert "A.Normalize(" in to_albumentations_source(result.recipe)


def test_preparation_that_cannot_be_kept_is_a_dropped_row_with_its_reason():
    pipe = _quiet(lambda: A.Compose([A.PadIfNeeded(pad_height_divisor=32, pad_width_divisor=32,
                                                   min_height=None, min_width=None),
                                     A.Resize(10, 10, p=0.5), A.OneOf([A.CenterCrop(8, 8)]), A.ToFloat()]))
    why = {c: w for _, c, w in from_albumentations(pipe).dropped}
    assert "divisor" in why["PadIfNeeded"] and "always run" in why["Resize"]
    assert "never inside a group" in why["CenterCrop"] and "no preprocessing equivalent" in why["ToFloat"]


def test_every_preprocessing_step_has_an_albumentations_mapping():
    from augviz.core.registry import preprocess_catalogue
    from augviz.interop.albumentations import PREPROCESS_MAPPINGS

    assert {m.augviz_id for m in PREPROCESS_MAPPINGS} == {c.id for c in preprocess_catalogue("image")}


def test_other_exports_name_the_preparation_they_do_not_write():
    from augviz.image.preprocess import Resize
    from augviz.interop import to_torchvision_source

    recipe = Recipe([HorizontalFlip()], preprocess={"before": [Resize(height=8, width=8)]})
    with pytest.raises(InteropError, match=r"preprocess\.before\[0\]: image\.resize is a preparation step"):
        to_torchvision_source(recipe)
    assert "# not exported: preprocess.before[0]" in to_torchvision_source(recipe, skip_unmapped=True)
