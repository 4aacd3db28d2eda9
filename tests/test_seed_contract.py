"""The per-item seed contract: an item's draws are a pure function of (seed, key, epoch,
copy), the same through ``augviz apply`` and the PyTorch adapter at any worker count."""

from __future__ import annotations

import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
import pytest
from PIL import Image

from augviz import InputError, Recipe, RecipeError
from augviz.cli import main
from augviz.core.rng import item_entropy, item_rng
from augviz.image import Brightness, HorizontalFlip, Rotate
from augviz.image.io import read as read_image


def recipe() -> Recipe:
    return Recipe([Rotate(angle=(-30, 30)), HorizontalFlip(p=0.5), Brightness()], seed=4)


def draws(g: np.random.Generator) -> list[int]:
    return g.integers(0, 2**62, 4).tolist()


def test_item_rng_is_a_pure_function_of_seed_key_epoch_copy():
    base = draws(item_rng(4, "cats/1.png"))
    assert draws(item_rng(4, "cats/1.png", epoch=0, copy=0)) == base
    others = [item_rng(5, "cats/1.png"), item_rng(4, "cats/2.png"), item_rng(4, "cats/1.png", epoch=1),
              item_rng(4, "cats/1.png", copy=1)]
    assert all(draws(g) != base for g in others)
    # epoch 0 is the derivation `augviz apply` has always used: its outputs keep their bytes
    for seed in (0, 4, 2**40):
        legacy = np.random.default_rng([seed, zlib.crc32(b"cats/1.png"), 3])
        assert draws(item_rng(seed, "cats/1.png", copy=3)) == draws(legacy)


def test_keys_path_int_and_text_agree():
    a = draws(item_rng(1, "dogs/big/0.png"))
    assert draws(item_rng(1, PurePosixPath("dogs/big/0.png"))) == a
    assert draws(item_rng(1, PureWindowsPath("dogs\\big\\0.png"))) == a
    assert draws(item_rng(1, b"dogs/big/0.png")) == a
    assert draws(item_rng(1, 17)) == draws(item_rng(1, "17")) == draws(item_rng(1, np.int64(17)))


@pytest.mark.parametrize(("kw", "message"), [
    ({"key": 1.5}, "item key 1.5"),
    ({"key": True}, "item key True"),
    ({"key": "a", "epoch": -1}, "epoch=-1"),
    ({"key": "a", "copy": 2.0}, "copy=2.0"),
])
def test_bad_keys_and_counts_are_named(kw, message):
    with pytest.raises(InputError, match=message):
        item_rng(0, **kw)


def test_recipe_item_rng_uses_its_seed_and_refuses_none():
    r = recipe()
    assert draws(r.item_rng("x", epoch=2, copy=1)) == draws(item_rng(4, "x", epoch=2, copy=1))
    with pytest.raises(RecipeError, match=r"seed=None.*replace\(seed=0\)"):
        r.replace(seed=None).item_rng("x")
    with pytest.raises(RecipeError, match="needs a seed"):
        item_entropy(None, "x")


def make_tree(root: Path, n: int = 5) -> Path:
    rng = np.random.default_rng(0)
    for i in range(n):
        folder = root / ("cats" if i % 2 else "dogs")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (14, 18, 3), dtype=np.uint8)).save(folder / f"{i}.png")
    return root


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "augviz-run.json"}


def test_apply_outputs_follow_the_contract_for_any_worker_count(tmp_path):
    src = make_tree(tmp_path / "in")
    r = recipe()
    path = r.save(tmp_path / "r.json")
    one, two = tmp_path / "one", tmp_path / "two"
    assert main(["apply", str(path), str(src), str(one), "--copies", "2", "--quiet"]) == 0
    assert main(["apply", str(path), str(src), str(two), "--copies", "2", "--workers", "2", "--quiet"]) == 0
    assert tree_bytes(one) == tree_bytes(two) and len(tree_bytes(one)) == 10
    # each output is recipe(item, rng=recipe.item_rng(path relative to IN_DIR, copy=k))
    for rel in ("cats/1.png", "dogs/4.png"):
        item = read_image(src / rel)
        for k in range(2):
            want = np.asarray(r(item, rng=r.item_rng(rel, copy=k)))
            stem = rel[:-4]
            got = np.asarray(Image.open(one / f"{stem}__aug{k}.png"))
            np.testing.assert_array_equal(got, want)


torch = pytest.importorskip("torch", reason="torch is not installed (dev extra on x86_64/3.11)")


class Folder(torch.utils.data.Dataset):
    """ImageFolder-style: ``root`` and ``samples`` of (path, label)."""

    def __init__(self, root: Path):
        self.root = str(root)
        self.samples = [(str(p), int("cats" in p.parts)) for p in sorted(root.rglob("*.png"))]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return read_image(path), label


def loader_items(data, workers: int, epoch: int) -> list[bytes]:
    from augviz.interop.torch import KeyedDataset, TorchTransform

    keyed = KeyedDataset(data, TorchTransform(recipe(), to_tensor=True))
    keyed.set_epoch(epoch)
    loader = torch.utils.data.DataLoader(
        keyed, batch_size=2, shuffle=True, num_workers=workers,
        generator=torch.Generator().manual_seed(workers),  # a different order per run
        multiprocessing_context="fork" if workers else None,
    )
    # the order differs per run (shuffled): compare the items as a sorted list
    return sorted(xi.numpy().tobytes() for x, _ in loader for xi in x)


def test_dataloader_gives_the_same_items_at_0_1_2_workers_and_new_draws_per_epoch(tmp_path):
    data = Folder(make_tree(tmp_path / "in", n=6))
    at0 = loader_items(data, 0, epoch=0)
    assert loader_items(data, 1, epoch=0) == at0
    assert loader_items(data, 2, epoch=0) == at0
    assert len(set(at0)) == 6
    epoch1 = loader_items(data, 0, epoch=1)
    assert not set(epoch1) & set(at0)


def test_keyed_dataset_matches_apply_for_an_image_folder(tmp_path):
    from augviz.interop.torch import KeyedDataset, TorchTransform

    src = make_tree(tmp_path / "in", n=3)
    r = recipe()
    out = tmp_path / "out"
    assert main(["apply", str(r.save(tmp_path / "r.json")), str(src), str(out), "--quiet"]) == 0
    keyed = KeyedDataset(Folder(src), TorchTransform(r))
    for i in range(len(keyed)):
        x, _ = keyed[i]
        assert keyed.key(i) in {"cats/1.png", "dogs/0.png", "dogs/2.png"}
        np.testing.assert_array_equal(np.asarray(x), np.asarray(Image.open(out / keyed.key(i))))


def test_keyed_dataset_takes_explicit_keys_and_checks_them():
    from augviz.interop.torch import KeyedDataset, TorchTransform

    items = [np.full((6, 6), i * 40, np.uint8) for i in range(3)]
    t = TorchTransform(recipe())
    keyed = KeyedDataset(items, t, keys=["a", "b", "c"])
    np.testing.assert_array_equal(keyed[1], recipe()(items[1], rng=item_rng(4, "b")))
    with pytest.raises(InputError, match="2 keys for 3 items"):
        KeyedDataset(items, t, keys=["a", "b"])
    with pytest.raises(InputError, match=r"item key 0\.5"):
        KeyedDataset(items, t, keys=["a", "b", 0.5])
    with pytest.raises(InputError, match="has no set_epoch"):
        KeyedDataset(items, lambda x, key: x).set_epoch(1)
    with pytest.raises(InputError, match="epoch=-2"):
        t.set_epoch(-2)
