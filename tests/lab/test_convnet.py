"""The PyTorch convnet for a user's photos, the model "auto" picks, and progress output."""

from __future__ import annotations

import io

import numpy as np
import pytest

from augviz import get_transform
from augviz.lab import compare, load_data
from augviz.lab.models import model_factory
from augviz.lab.progress import ProgressLine

from .test_own_files import write_photos

torch = pytest.importorskip("torch")


def _net(seed: int):
    from augviz.lab._torch import TorchConvNet

    return TorchConvNet((16, 16, 3), 3, seed)


def test_convnet_is_deterministic_for_a_seed_on_the_cpu():
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 16, 16, 3)).astype(np.float32), np.arange(40) % 3
    out = []
    for seed in (5, 5, 6):
        net = _net(seed)
        net.fit_epoch(x, y, np.random.default_rng(1))
        out.append(net.predict_proba(x))
    assert out[0].shape == (40, 3) and np.allclose(out[0].sum(1), 1, atol=1e-5)
    assert np.array_equal(out[0], out[1])
    assert not np.array_equal(out[0], out[2])


def test_convnet_restores_the_callers_thread_count():
    before = torch.get_num_threads()
    net = _net(0)
    net.fit_epoch(np.zeros((4, 16, 16, 3), np.float32), np.arange(4) % 3, np.random.default_rng(0))
    assert torch.get_num_threads() == before


def test_convnet_learns_colour_classes_of_a_folder(tmp_path):
    root = write_photos(tmp_path / "p", n=12)
    res = compare({"flip": get_transform("image.hflip")()}, data=root, epochs=6, train_size=24,
                  seeds=1, control=False)
    assert res.config["model"] == "convnet"
    assert res.final("flip")[0] >= 0.9  # the dominant channel is the class


def test_auto_is_the_convnet_for_own_photos_and_the_numpy_cnn_for_digits(tmp_path):
    folder = load_data(write_photos(tmp_path / "p", n=3))
    assert model_factory("auto", "image", folder)[0] == "convnet"
    assert model_factory("auto", "image", load_data("digits"))[0] == "cnn"
    assert model_factory("auto", "image")[0] == "cnn"
    assert model_factory("cnn", "image", folder)[0] == "cnn"  # a named model wins


def test_runs_are_reproducible_with_the_convnet(tmp_path):
    root = write_photos(tmp_path / "p", n=8)
    kw = {"epochs": 2, "train_size": 16, "seeds": 1, "control": False}
    a = compare({"flip": get_transform("image.hflip")()}, data=root, **kw)
    b = compare({"flip": get_transform("image.hflip")()}, data=root, **kw)
    assert np.array_equal(a.curves["flip"]["val_loss"], b.curves["flip"]["val_loss"])


def test_progress_line_counts_the_arm_epochs():
    out = io.StringIO()
    line = ProgressLine(total=2, file=out)
    line({"arm": "mild", "epoch": 1, "val_acc": 0.5})
    line({"arm": "mild", "epoch": 2, "val_acc": 0.75})
    line.close()
    text = out.getvalue()
    assert "1/2" in text and "2/2" in text and "val 0.750" in text and text.endswith("\n")


def test_compare_shows_progress_when_asked(capsys):
    compare({"none": None}, "digits", epochs=2, train_size=50, seeds=1, control=False, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err  # tqdm (or the plain line) reached the end
    compare({"none": None}, "digits", epochs=1, train_size=50, seeds=1, control=False)
    assert capsys.readouterr().err == ""  # off outside a notebook by default
