from __future__ import annotations

import pickle

import numpy as np
import pytest

from augviz import InputError, Recipe
from augviz.image import Brightness, Rotate
from augviz.interop.torch import TorchTransform

torch = pytest.importorskip("torch", reason="torch is not installed (dev extra on x86_64/3.11)")


class Images(torch.utils.data.Dataset):
    def __init__(self, transform):
        self.x = np.random.default_rng(0).integers(0, 256, (16, 12, 12, 3), dtype=np.uint8)
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.transform(self.x[i])


def run(workers: int, seed: int):
    t = TorchTransform(Recipe([Rotate(angle=(-40, 40)), Brightness()], seed=1), to_tensor=True)
    g = torch.Generator().manual_seed(seed)
    loader = torch.utils.data.DataLoader(
        Images(t),
        batch_size=4,
        num_workers=workers,
        generator=g,
        multiprocessing_context="fork" if workers else None,
    )
    return torch.cat(list(loader)).numpy()


def test_dataloader_workers_are_reproducible_and_distinct():
    a, b = run(2, seed=5), run(2, seed=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (16, 3, 12, 12) and a.dtype == np.float32 and a.max() <= 1
    assert not np.array_equal(run(2, seed=6), a)
    # workers 0 and 1 process different batches with different streams: no repeated draws
    assert len({x.tobytes() for x in a}) == 16


def test_single_process_stream_advances_and_pickles():
    t = TorchTransform(Recipe([Rotate(angle=(-40, 40))], seed=2))
    x = np.random.default_rng(0).integers(0, 256, (12, 12), dtype=np.uint8)
    outs = [t(x) for _ in range(3)]
    assert len({o.tobytes() for o in outs}) == 3
    again = pickle.loads(pickle.dumps(t))
    assert [again(x).tobytes() for _ in range(3)] == [o.tobytes() for o in outs]


def test_rejects_non_recipes():
    with pytest.raises(InputError, match="takes a Recipe"):
        TorchTransform(Rotate())
