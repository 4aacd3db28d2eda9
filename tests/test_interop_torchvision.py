from __future__ import annotations

import ast

import pytest

from augviz import OneOf, Recipe, SomeOf
from augviz.image import Affine, Brightness, HorizontalFlip, Rotate, Speckle
from augviz.interop import InteropError
from augviz.interop.torchvision import to_torchvision_source


def calls(source: str) -> list[str]:
    return [ast.unparse(n.func) for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]


def test_source_parses_and_maps_probability_and_groups():
    r = Recipe(
        [
            HorizontalFlip(p=0.3),
            Rotate(angle=(-10, 10), p=0.5),
            OneOf([HorizontalFlip(p=2 / 3), Rotate(angle=90, p=1 / 3)], p=0.4),
        ],
        name="x",
    )
    src = to_torchvision_source(r)
    found = calls(src)
    assert found.count("v2.RandomHorizontalFlip") == 2
    assert "v2.RandomRotation" in found and "v2.RandomChoice" in found
    assert "v2.RandomHorizontalFlip(p=0.3)" in src
    assert "v2.RandomApply([v2.RandomRotation(degrees=(-10.0, 10.0)" in src and "p=0.5)" in src
    assert "p=[0.666667, 0.333333]" in src


def test_unmappable_steps_are_named_or_commented():
    r = Recipe([Speckle(), SomeOf([HorizontalFlip()], n=1), Rotate(border="reflect")])
    with pytest.raises(InteropError) as info:
        to_torchvision_source(r)
    message = str(info.value)
    assert "steps[0]: image.speckle has no torchvision equivalent" in message
    assert "steps[1]: some_of" in message and "steps[2]: image.rotate: border='reflect'" in message
    src = to_torchvision_source(r, skip_unmapped=True)
    assert src.count("# not exported") == 3
    ast.parse(src)


def test_disabled_steps_are_not_exported():
    r = Recipe([HorizontalFlip(), Rotate()]).set_enabled(1, False)
    assert "RandomRotation" not in to_torchvision_source(r)


def test_readme_recipe_exports_and_brightness_adds_like_augviz():
    torch = pytest.importorskip("torch")
    import numpy as np

    recipe = Recipe([Affine(angle=(-15, 15), scale=(0.9, 1.1)), HorizontalFlip(p=0.5),
                     Brightness(delta=(-0.2, 0.2))], seed=0, name="mild")
    src = to_torchvision_source(recipe)
    assert calls(src).count("v2.Lambda") == 1 and "v2.RandomAffine" in calls(src)
    # the written brightness, evaluated with torch alone, adds what augviz adds for that delta
    fixed = to_torchvision_source(Recipe([Brightness(delta=0.1)]))
    (lam,) = [n for n in ast.walk(ast.parse(fixed)) if isinstance(n, ast.Lambda)]
    fn = eval(compile(ast.Expression(lam), "<export>", "eval"), {"torch": torch})
    img = np.arange(0, 256, 5, dtype=np.uint8).reshape(1, 4, 13).repeat(3, axis=0)
    out = fn(torch.from_numpy(img)).numpy()
    expected = Brightness(delta=0.1)(img.transpose(1, 2, 0)).transpose(2, 0, 1)
    assert out.dtype == np.uint8 and np.abs(out.astype(int) - expected.astype(int)).max() <= 1
    flt = fn(torch.from_numpy(img.astype(np.float32) / 255)).numpy()
    assert np.allclose(flt, np.clip(img / 255 + 0.1, 0, 1), atol=1e-6)


def test_targets_are_wrapped_as_tv_tensors_and_boxes_sanitized_last():
    from augviz.interop import Targets

    r = Recipe([HorizontalFlip(p=0.5), Brightness(delta=(0.1, 0.2), p=0.5), Rotate(angle=(-10, 10))])
    t = Targets(box_format="xywh", box_labels=("labels",), min_area=4.0, keypoints_on=True, masks=True)
    src = to_torchvision_source(r, targets=t)
    tree = ast.parse(src)
    compose = next(n for n in ast.walk(tree)
                   if isinstance(n, ast.Call) and ast.unparse(n.func) == "v2.Compose")
    steps = [ast.unparse(c.func) for c in compose.args[0].elts]
    assert steps[-1] == "v2.SanitizeBoundingBoxes" and steps.count("v2.SanitizeBoundingBoxes") == 1
    assert "v2.SanitizeBoundingBoxes(min_size=1.0, min_area=4.0)" in src
    found = calls(src)
    for name in ("tv_tensors.Image", "tv_tensors.BoundingBoxes", "tv_tensors.Mask", "tv_tensors.KeyPoints"):
        assert name in found, name
    assert 'format="XYWH"' in src and "from torchvision import tv_tensors" in src
    # the brightness lambda leaves boxes, masks and keypoints alone
    lam = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "v2.Lambda")
    assert [ast.unparse(a) for a in lam.args[1:]] == ["tv_tensors.Image"]
    assert [f.name for f in tree.body if isinstance(f, ast.FunctionDef)] == ["to_tv_tensors"]


def test_targets_without_boxes_have_no_sanitize_and_unknown_formats_are_refused():
    from augviz.interop import Targets

    src = to_torchvision_source(Recipe([HorizontalFlip()]), targets=Targets(keypoints_on=True))
    assert "SanitizeBoundingBoxes" not in src and "tv_tensors.KeyPoints" in src
    assert "BoundingBoxes" not in src and "tv_tensors.Mask" not in src
    with pytest.raises(InteropError, match=r"'yolo' has no tv_tensors\.BoundingBoxFormat"):
        to_torchvision_source(Recipe([HorizontalFlip()]), targets=Targets(box_format="yolo"))
    src = to_torchvision_source(Recipe([HorizontalFlip()]),
                                targets=Targets(box_format="xyxy", min_visibility=0.5))
    assert "# min_visibility=0.5 has no torchvision equivalent" in src
    assert "tv_tensors" not in to_torchvision_source(Recipe([HorizontalFlip()]))
