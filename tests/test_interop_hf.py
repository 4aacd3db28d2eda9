"""Hugging Face datasets: on-the-fly and offline augmentation follow the seed contract
(the same bytes as ``augviz apply`` and as item_rng for the same keys)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz import InputError, Recipe
from augviz.cli import main
from augviz.core.rng import item_rng
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.image.io import read as read_image
from augviz.interop import InteropError

datasets = pytest.importorskip("datasets", reason="the hf extra is not installed")

from augviz.interop.hf import augment, with_recipe  # noqa: E402


def image_recipe() -> Recipe:
    return Recipe([Rotate(angle=(-30, 30)), HorizontalFlip(p=0.5), Brightness()], seed=7)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    rng = np.random.default_rng(1)
    for i in range(4):
        folder = tmp_path / "in" / ("a" if i < 2 else "b")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (10, 13, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    return tmp_path / "in"


def image_dataset(tree: Path):
    paths = sorted(tree.rglob("*.png"))
    return datasets.Dataset.from_dict({
        "image": [read_image(p) for p in paths],
        "path": [p.relative_to(tree).as_posix() for p in paths],
    })


def test_on_the_fly_images_match_apply_and_do_not_depend_on_batches(tree, tmp_path):
    r = image_recipe()
    out = tmp_path / "out"
    assert main(["apply", str(r.save(tmp_path / "r.json")), str(tree), str(out), "--quiet"]) == 0
    ds = with_recipe(image_dataset(tree), r, column="image", key_column="path")
    rows = [ds[i] for i in range(len(ds))]
    batch = ds[0:4]
    for i, row in enumerate(rows):
        want = np.asarray(Image.open(out / row["path"]))
        np.testing.assert_array_equal(np.asarray(row["image"]), want)
        np.testing.assert_array_equal(np.asarray(batch["image"][i]), want)
    # a new epoch draws anew; the same epoch again gives the same rows
    e1 = with_recipe(image_dataset(tree), r, column="image", key_column="path", epoch=1)
    assert all(not np.array_equal(np.asarray(e1[i]["image"]), np.asarray(rows[i]["image"])) for i in range(4))
    again = with_recipe(image_dataset(tree), r, column="image", key_column="path", epoch=1)
    np.testing.assert_array_equal(np.asarray(again[2]["image"]), np.asarray(e1[2]["image"]))


def test_offline_copies_match_apply_copies_for_any_batch_size(tree, tmp_path):
    r = image_recipe()
    out = tmp_path / "out"
    assert main(["apply", str(r.save(tmp_path / "r.json")), str(tree), str(out), "--copies", "2",
                 "--quiet"]) == 0
    base = image_dataset(tree)
    one = augment(base, r, column="image", key_column="path", copies=2, batch_size=1)
    big = augment(base, r, column="image", key_column="path", copies=2, batch_size=3)
    assert len(one) == 8 and one["augviz_copy"] == [0, 1] * 4
    for a, b in zip(one, big, strict=True):
        np.testing.assert_array_equal(np.asarray(a["image"]), np.asarray(b["image"]))
        stem = a["path"][:-4]
        want = np.asarray(Image.open(out / f"{stem}__aug{a['augviz_copy']}.png"))
        np.testing.assert_array_equal(np.asarray(a["image"]), want)


def test_text_and_audio_columns():
    from augviz.audio import Audio, Gain
    from augviz.text import RandomSwap

    rt = Recipe([RandomSwap(alpha=0.5)], seed=1)
    texts = ["the film was not good at all", "what a lovely long day out"]
    ds = with_recipe(datasets.Dataset.from_dict({"text": texts, "id": [10, 11]}), rt,
                     column="text", key_column="id")
    assert ds[1]["text"] == rt(texts[1], rng=item_rng(1, 11))
    assert sorted(ds[0]["text"].split()) == sorted(texts[0].split())

    ra = Recipe([Gain(gain_db=(-6, 6))], seed=2)
    wave = (0.1 * np.sin(np.arange(4000) / 5)).astype(np.float32)
    sounds = datasets.Dataset.from_dict({"audio": [{"array": wave, "sampling_rate": 16000}], "id": ["s"]})
    row = with_recipe(sounds, ra, column="audio", key_column="id")[0]
    want = ra(Audio(wave, 16000), rng=item_rng(2, "s")).samples
    assert row["audio"]["sampling_rate"] == 16000
    np.testing.assert_allclose(np.asarray(row["audio"]["array"], np.float32), want)


def test_dataloader_workers_see_the_same_rows():
    torch = pytest.importorskip("torch")
    rt = Recipe([__import__("augviz.text", fromlist=["RandomSwap"]).RandomSwap(alpha=0.5)], seed=3)
    texts = [f"one two three four five six {i}" for i in range(6)]
    ds = with_recipe(datasets.Dataset.from_dict({"text": texts, "id": list(range(6))}), rt,
                     column="text", key_column="id")

    def rows(workers: int) -> list[str]:
        loader = torch.utils.data.DataLoader(ds, batch_size=2, num_workers=workers,
                                             multiprocessing_context="fork" if workers else None)
        return [t for b in loader for t in b["text"]]

    at0 = rows(0)
    assert rows(1) == rows(2) == at0 == [rt(t, rng=item_rng(3, i)) for i, t in enumerate(texts)]


def test_bad_columns_and_missing_extra(tree, monkeypatch):
    ds = image_dataset(tree)
    with pytest.raises(InputError, match="no column 'pixels'; its columns: image, path"):
        with_recipe(ds, image_recipe(), column="pixels", key_column="path")
    with pytest.raises(InputError, match="copies=0"):
        augment(ds, image_recipe(), column="image", key_column="path", copies=0)
    with pytest.raises(InputError, match="batched= is set by augviz"):
        augment(ds, image_recipe(), column="image", key_column="path", batched=False)
    monkeypatch.setitem(sys.modules, "datasets", None)
    with pytest.raises(InteropError, match=r"pip install 'augviz\[hf\]'"):
        with_recipe(ds, image_recipe(), column="image", key_column="path")
