"""Guard over the registry: every transform is mapped to each library of its modality —
with a round-trip case against the real library — or listed as unmappable with a reason.

The round-trip cases come from the mapping tables (each mapping's ``example``), so a new
mapping is tested the moment it is declared, and a mapping without an example fails.
"""

from __future__ import annotations

import ast
import math
import warnings

import numpy as np
import pytest

import augviz
from augviz import Recipe
from augviz.core import get as get_transform
from augviz.datasets import sample_image
from augviz.interop import (
    PEERS,
    from_albumentations,
    to_albumentations,
    to_albumentations_source,
    to_audiomentations_source,
    to_torchvision_source,
)
from augviz.interop._base import export_steps

P = 0.35  # a probability away from every default, so that it has to be carried over

COVERAGE = [
    pytest.param(peer, cls, id=f"{peer.name}-{cls.id}")
    for peer in PEERS
    for cls in augviz.catalogue(peer.modality)
]
MAPPED = [pytest.param(peer, m, id=f"{peer.name}-{m.augviz_id}") for peer in PEERS for m in peer.mappings]


@pytest.mark.parametrize(("peer", "cls"), COVERAGE)
def test_every_transform_is_mapped_or_unmappable_with_a_reason(peer, cls):
    mapping, reason = peer.mapping(cls.id), peer.unmappable.get(cls.id)
    assert mapping is None or reason is None, f"{cls.id} is both mapped to {peer.name} and unmappable"
    assert mapping is not None or reason is not None, (
        f"{cls.id} is neither mapped to {peer.name} nor in its UNMAPPABLE list (with a reason)"
    )
    if reason is not None:
        assert isinstance(reason, str) and reason.strip(), f"{cls.id}: empty reason"
    else:
        assert mapping.example is not None, (
            f"{peer.name} mapping of {cls.id} has no round-trip case: give it example=<augviz parameters>"
        )


@pytest.mark.parametrize("peer", PEERS, ids=lambda p: p.name)
def test_tables_name_registered_transforms_of_the_modality(peer):
    registered = {cls.id for cls in augviz.catalogue(peer.modality)}
    listed = [m.augviz_id for m in peer.mappings] + list(peer.unmappable)
    assert sorted(set(listed) - registered) == []
    assert len({m.augviz_id for m in peer.mappings}) == len(peer.mappings)


def _quiet(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn()


def _close(a, b) -> bool:
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


# -- albumentations: augviz → dict → A.from_dict → A.to_dict → augviz, and the source ------
def _albumentations(m, t):
    A = pytest.importorskip("albumentations")
    exported = to_albumentations(Recipe([t]))
    pipeline = _quiet(lambda: A.from_dict(exported))
    (built,) = pipeline.transforms
    assert type(built).__name__ == m.name
    stored = _quiet(lambda: A.to_dict(pipeline))
    result = from_albumentations(stored)
    assert result.complete, str(result)
    (back,) = result.recipe.steps
    assert back.id == t.id and back.p == t.p
    assert _close(dict(back.params), dict(t.params)), (dict(back.params), dict(t.params))
    namespace: dict = {}
    _quiet(lambda: exec(compile(to_albumentations_source(Recipe([t])), "<export>", "exec"), namespace))
    assert _quiet(lambda: A.to_dict(namespace["transform"])) == stored
    built.p = 1.0
    img = sample_image("astronaut", size=64)
    assert _quiet(lambda: pipeline(image=img)["image"]).dtype == img.dtype


# -- torchvision (not installed): the source parses and calls the real class and arguments -
#: torchvision.transforms.v2 constructors (0.17 – 0.22): required and optional arguments
TORCHVISION_SIGNATURES = {
    "RandomHorizontalFlip": ((), ("p",)),
    "RandomVerticalFlip": ((), ("p",)),
    "RandomRotation": (("degrees",), ("interpolation", "expand", "center", "fill")),
    "RandomAffine": (("degrees",), ("translate", "scale", "shear", "interpolation", "fill", "center")),
    "GaussianBlur": (("kernel_size",), ("sigma",)),
    "ColorJitter": ((), ("brightness", "contrast", "saturation", "hue")),
    "RandomGrayscale": ((), ("p",)),
    "RandomInvert": ((), ("p",)),
    "RandomEqualize": ((), ("p",)),
    "RandomAutocontrast": ((), ("p",)),
    "RandomPosterize": (("bits",), ("p",)),
    "RandomSolarize": (("threshold",), ("p",)),
    "JPEG": (("quality",), ()),
    "RandomResizedCrop": (("size",), ("scale", "ratio", "interpolation", "antialias")),
    "Lambda": (("lambd",), ("types",)),
}
INTERPOLATION_MODES = {"NEAREST", "NEAREST_EXACT", "BILINEAR", "BICUBIC", "BOX", "HAMMING", "LANCZOS"}


def _value(node: ast.expr):
    """A keyword's value: a literal, or the name of an InterpolationMode member."""
    if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "InterpolationMode":
        assert node.attr in INTERPOLATION_MODES, ast.unparse(node)
        return f"InterpolationMode.{node.attr}"
    if isinstance(node, ast.Lambda):  # written code (v2.Lambda): compared as source
        return ast.unparse(node)
    return ast.literal_eval(node)


def _torchvision(m, t):
    source = to_torchvision_source(Recipe([t]))
    calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    by_name = {ast.unparse(c.func): c for c in calls}
    call = by_name[f"v2.{m.name}"]
    required, optional = TORCHVISION_SIGNATURES[m.name]
    given = {k.arg: _value(k.value) for k in call.keywords}
    assert not call.args
    assert set(required) <= set(given) <= set(required) | set(optional), (m.name, sorted(given))
    wrapper = by_name.get("v2.RandomApply")
    if m.takes_p:
        assert given["p"] == t.p and wrapper is None
    else:
        assert "p" not in given and wrapper is not None
        assert {k.arg: _value(k.value) for k in wrapper.keywords} == {"p": t.p}
    # what the mapping wrote, read back as Python (expressions such as InterpolationMode.X included)
    written = {k: _value(ast.parse(repr(v), mode="eval").body) for k, v in m.to_peer(dict(t.params)).items()}
    assert _close({k: v for k, v in given.items() if k != "p"}, written)


# -- audiomentations: the source builds the real transform, which stores what was written --
def _audiomentations(m, t):
    pytest.importorskip("audiomentations")
    namespace: dict = {}
    _quiet(lambda: exec(compile(to_audiomentations_source(Recipe([t])), "<export>", "exec"), namespace))
    (built,) = namespace["augment"].transforms
    assert type(built).__name__ == m.name
    stored = dict(built.to_dict()["transform"])
    assert stored.pop("__class_fullname__") == m.name and stored.pop("p") == t.p
    written = m.to_peer(dict(t.params))
    assert _close({k: stored[k] for k in written}, written)
    built.p = 1.0
    sr = 16000
    clip = (0.1 * np.sin(2 * np.pi * 300 * np.arange(sr // 2) / sr)).astype(np.float32)
    out = _quiet(lambda: built(samples=clip, sample_rate=sr))
    assert out.dtype == np.float32 and np.isfinite(out).all()


ROUND_TRIP = {
    "albumentations": _albumentations,
    "torchvision": _torchvision,
    "audiomentations": _audiomentations,
}


@pytest.mark.parametrize(("peer", "m"), MAPPED)
def test_mapping_round_trips_through_the_real_library(peer, m):
    assert peer.name in ROUND_TRIP, f"no round trip written for {peer.name}"
    assert m.example is not None, f"{peer.name} mapping of {m.augviz_id} has no example to round-trip"
    t = get_transform(m.augviz_id)(p=P, **m.example)
    ROUND_TRIP[peer.name](m, t)


def test_one_error_class_for_every_bridge():
    from augviz.interop import InteropError, _base, albumentations, audiomentations, torchvision

    assert InteropError is _base.InteropError is albumentations.InteropError
    for bridge in (albumentations, torchvision, audiomentations):
        with pytest.raises(InteropError, match="export takes"):
            export_steps(Recipe([], modality="text"), bridge.PEER)
