from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from helpers import as_bytes

import augviz
from augviz import InputError, OneOf, Recipe, RecipeError, SomeOf
from augviz.image import Brightness, HorizontalFlip, Rotate, VerticalFlip


@pytest.fixture
def img():
    return np.random.default_rng(0).integers(0, 256, (24, 24, 3), dtype=np.uint8)


def mixed_recipe(seed=None):
    return Recipe(
        [
            Rotate(angle=(-20, 20)),
            OneOf([HorizontalFlip(), VerticalFlip(p=0.5)], p=0.7),
            Brightness(delta=(-0.3, 0.3), p=0.5),
            SomeOf([HorizontalFlip(), Rotate(angle=(80, 100)), Brightness()], n=2, p=0.9),
        ],
        seed=seed,
        name="mixed",
    )


def test_same_seed_same_bytes_and_different_seed_differs(img):
    r = mixed_recipe()
    assert as_bytes(r(img, rng=3)) == as_bytes(r(img, rng=3))
    outs = {as_bytes(r(img, rng=s)) for s in range(8)}
    assert len(outs) > 4


def test_same_bytes_in_a_fresh_process(img, tmp_path):
    r = mixed_recipe()
    path = r.save(tmp_path / "r.json")
    np.save(tmp_path / "img.npy", img)
    code = textwrap.dedent(
        f"""
        import numpy as np, augviz, sys
        r = augviz.Recipe.load({str(path)!r})
        img = np.load({str(tmp_path / "img.npy")!r})
        sys.stdout.buffer.write(r(img, rng=42).tobytes())
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert out == r(img, rng=42).tobytes()


def test_recipe_seed_stream_is_reproducible_and_advances(img):
    a, b = mixed_recipe(seed=7), mixed_recipe(seed=7)
    seq_a = [as_bytes(a(img)) for _ in range(5)]
    seq_b = [as_bytes(b(img)) for _ in range(5)]
    assert seq_a == seq_b
    assert len(set(seq_a)) > 1  # the stream advances: each call is a fresh augmentation
    a.reseed()
    assert as_bytes(a(img)) == seq_a[0]


def test_disabling_a_step_leaves_other_steps_values_unchanged(img):
    r = mixed_recipe()
    _, full = r.trace(img, rng=11)
    for k in range(len(r)):
        _, partial = r.set_enabled(k, False).trace(img, rng=11)
        for rec_full, rec_part in zip(full, partial, strict=False):
            if rec_full["path"].startswith(f"steps[{k}]"):
                assert rec_part["applied"] is False and rec_part.get("enabled") is False
            else:
                assert rec_part == rec_full


def test_changing_one_step_leaves_the_others_draws_alone(img):
    r = mixed_recipe()
    _, before = r.trace(img, rng=5)
    changed = Recipe([r[0].with_params(angle=(-5, 5)), *r.steps[1:]])
    _, after = changed.trace(img, rng=5)
    assert [t for t in before if not t["path"].startswith("steps[0]")] == [
        t for t in after if not t["path"].startswith("steps[0]")
    ]


def test_trace_replays_to_the_same_output(img):
    r = mixed_recipe()
    for seed in range(10):
        out, records = r.trace(img, rng=seed)
        assert as_bytes(r.replay(img, records)) == as_bytes(out)
        assert as_bytes(r(img, rng=seed)) == as_bytes(out)


def test_one_of_applies_exactly_one_child_weighted_by_p():
    r = Recipe([OneOf([HorizontalFlip(p=1.0), VerticalFlip(p=0.0)], p=1.0)])
    img = np.zeros((3, 3), np.uint8)
    for s in range(30):
        _, rec = r.trace(img, rng=s)
        assert [x["path"] for x in rec] == ["steps[0].one_of[0]"]


def test_some_of_applies_n_distinct_children_in_list_order():
    r = Recipe([SomeOf([HorizontalFlip(), VerticalFlip(), Rotate(angle=90)], n=2)])
    img = np.zeros((3, 3), np.uint8)
    seen = set()
    for s in range(40):
        _, rec = r.trace(img, rng=s)
        paths = [x["path"] for x in rec]
        assert len(paths) == 2 and paths == sorted(paths)
        seen.add(tuple(paths))
    assert len(seen) == 3


def test_group_probability_skips_whole_group():
    r = Recipe([OneOf([HorizontalFlip()], p=0.0)])
    _, rec = r.trace(np.zeros((2, 2), np.uint8), rng=0)
    assert rec == [{"path": "steps[0]", "transform": "one_of", "applied": False, "values": None}]


def test_batch_is_reproducible_keeps_input_and_matches_shape(img):
    xs = np.stack([img] * 6)
    before = xs.copy()
    r = mixed_recipe()
    a, b = r.batch(xs, rng=1), r.batch(xs, rng=1)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(xs, before)
    assert a.shape == xs.shape and a.dtype == xs.dtype
    assert len({as_bytes(x) for x in a}) > 1  # items get different draws


@pytest.mark.parametrize("steps", [
    [Rotate(angle=(-20, 20))],                      # every item, the vectorised warp
    [Rotate(angle=(-20, 20), p=0.5)],               # some items: written into a copy
    [HorizontalFlip(p=0.0)],                        # no item touched
    [Rotate(angle=(-20, 20)), Brightness(p=0.5)],   # a whole step, then a partial one
])
@pytest.mark.parametrize("side", [24, 64])  # 64 px warps go through the per-item loop
def test_batch_never_writes_into_or_returns_the_callers_array(steps, side):
    xs = np.random.default_rng(0).integers(0, 256, (6, side, side, 3), dtype=np.uint8)
    before = xs.copy()
    r = Recipe(steps)
    out = r.batch(xs, rng=3)
    np.testing.assert_array_equal(xs, before)
    assert isinstance(out, np.ndarray) and out.shape == xs.shape
    assert not np.may_share_memory(out, xs)
    np.testing.assert_array_equal(r.batch(xs, rng=3), out)  # reproducible


def test_batch_accepts_lists_of_pil_images():
    from PIL import Image

    items = [Image.new("RGB", (8, 6), (i * 20, 0, 0)) for i in range(4)]
    out = Recipe([HorizontalFlip(), Brightness()]).batch(items, rng=0)
    assert [o.size for o in out] == [(8, 6)] * 4 and all(o.mode == "RGB" for o in out)


def test_batch_rejects_non_batches():
    r = Recipe([HorizontalFlip()])
    with pytest.raises(InputError, match="leading item axis"):
        r.batch(np.zeros(5, np.uint8))
    with pytest.raises(InputError, match="batch takes"):
        r.batch(3)


def test_recipe_is_picklable_equal_by_value_and_html():
    r = mixed_recipe(seed=3)
    again = pickle.loads(pickle.dumps(r))
    assert again == r
    assert r != mixed_recipe(seed=4)
    html = r._repr_html_()
    assert "image.rotate" in html and "one_of" in html and "label risk" in html


def test_recipe_construction_errors():
    with pytest.raises(RecipeError, match="empty recipe needs modality"):
        Recipe([])
    assert len(Recipe([], modality="image")) == 0
    with pytest.raises(InputError, match="step 0 is a str"):
        Recipe(["image.rotate"])
    with pytest.raises(RecipeError, match="seed=-1"):
        Recipe([HorizontalFlip()], seed=-1)
    with pytest.raises(InputError, match="n=4"):
        SomeOf([HorizontalFlip()], n=4)
    with pytest.raises(InputError, match="at least one"):
        OneOf([])


def test_recipe_input_checked_before_running():
    with pytest.raises(InputError, match="expected an image"):
        Recipe([HorizontalFlip()])("not an image")


def test_public_api_surface():
    for name in [
        "Recipe",
        "OneOf",
        "SomeOf",
        "catalogue",
        "get_transform",
        "AugvizError",
        "ParamError",
        "InputError",
        "RecipeError",
    ]:
        assert hasattr(augviz, name)
    assert issubclass(augviz.ParamError, augviz.AugvizError)
    assert augviz.image.Rotate is Rotate
