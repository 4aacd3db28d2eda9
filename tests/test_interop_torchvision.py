from __future__ import annotations

import ast

import pytest

from augviz import OneOf, Recipe, SomeOf
from augviz.image import Brightness, HorizontalFlip, Rotate
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
    r = Recipe([Brightness(), SomeOf([HorizontalFlip()], n=1), Rotate(border="reflect")])
    with pytest.raises(InteropError) as info:
        to_torchvision_source(r)
    message = str(info.value)
    assert "steps[0]: image.brightness has no torchvision equivalent" in message
    assert "steps[1]: some_of" in message and "steps[2]: image.rotate: border='reflect'" in message
    src = to_torchvision_source(r, skip_unmapped=True)
    assert src.count("# not exported") == 3
    ast.parse(src)


def test_disabled_steps_are_not_exported():
    r = Recipe([HorizontalFlip(), Rotate()]).set_enabled(1, False)
    assert "RandomRotation" not in to_torchvision_source(r)
