"""Loading a user's image folder from real files on disk."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from PIL import Image

from augviz import InputError
from augviz.datasets import ImageFolder, load_image_folder


def _save(path, colour, size=(40, 30), mode="RGB", fmt=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, colour).save(path, format=fmt)
    return path


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "pets"
    _save(root / "cat" / "a.png", (255, 0, 0))
    _save(root / "cat" / "b.JPG", (250, 5, 5), size=(64, 64), fmt="JPEG")
    _save(root / "dog" / "x.png", (0, 0, 255), size=(20, 50))
    _save(root / "dog" / "nested" / "y.bmp", (0, 0, 250))
    (root / "dog" / "notes.txt").write_text("not an image, ignored by its ending")
    _save(root / ".ipynb_checkpoints" / "z.png", (0, 255, 0))
    _save(root / "dog" / ".hidden.png", (0, 255, 0))
    return root


def test_classes_are_subfolders_sorted_and_labels_follow(folder):
    images, labels, names = load_image_folder(folder)
    assert names == ["cat", "dog"]
    assert labels.tolist() == [0, 0, 1, 1]
    assert labels.dtype == np.int64
    assert isinstance(images, list)
    assert [im.shape for im in images] == [(30, 40, 3), (64, 64, 3), (50, 20, 3), (30, 40, 3)]


def test_pixels_and_colour_are_read(folder):
    data = load_image_folder(folder)
    red = data.images[0]
    assert (red == (255, 0, 0)).all()
    jpeg = data.images[1].astype(int)
    assert np.abs(jpeg - (250, 5, 5)).max() <= 6
    assert data.paths[2].name == "x.png"


def test_size_gives_one_array_centre_cropped_without_distortion(tmp_path):
    img = np.zeros((20, 40, 3), np.uint8)
    img[:, 10:30] = 255  # white centre square
    (tmp_path / "a").mkdir()
    Image.fromarray(img).save(tmp_path / "a" / "wide.png")
    x, _, _ = load_image_folder(tmp_path, size=10)
    assert x.shape == (1, 10, 10, 3)
    assert x.dtype == np.uint8
    assert (x[0] == 255).all(), "the centre square fills the crop"


def test_size_height_width_mode_and_dtype(folder):
    x, _, _ = load_image_folder(folder, size=(8, 12), mode="L", dtype="float32")
    assert x.shape == (4, 8, 12)
    assert x.dtype == np.float32
    assert x.min() >= 0.0
    assert x.max() <= 1.0


def test_rgba_mode_keeps_transparency(tmp_path):
    _save(tmp_path / "a" / "t.png", (10, 20, 30, 0), mode="RGBA")
    (x,), _, _ = load_image_folder(tmp_path, mode="RGBA")
    assert x.shape[2] == 4
    assert (x[..., 3] == 0).all()


def test_transparent_palette_png_loads_without_a_warning(tmp_path):
    p = tmp_path / "a" / "pal.png"
    p.parent.mkdir()
    im = Image.new("P", (8, 8), 1)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.info["transparency"] = 0
    im.save(p, transparency=0)
    (x,), _, _ = load_image_folder(tmp_path)
    assert (x == (255, 0, 0)).all()


def test_limit_per_class_and_extensions(folder):
    data = load_image_folder(folder, limit_per_class=1)
    assert data.labels.tolist() == [0, 1]
    only_png = load_image_folder(folder, extensions=["png"])
    assert [p.name for p in only_png.paths] == ["a.png", "x.png"]


@pytest.fixture
def broken(folder):
    (folder / "cat" / "fake.png").write_text("hello, I am text")
    good = folder / "dog" / "x.png"
    (folder / "dog" / "truncated.png").write_bytes(good.read_bytes()[:40])
    return folder


def test_unreadable_files_are_one_clear_error_listing_them(broken):
    with pytest.raises(InputError) as info:
        load_image_folder(broken)
    msg = str(info.value)
    assert "2 of 6 files" in msg
    assert "fake.png" in msg
    assert "truncated.png" in msg
    assert "skip_bad=True" in msg


def test_skip_bad_skips_warns_and_reports(broken):
    with pytest.warns(UserWarning, match="skipped 2 unreadable"):
        data = load_image_folder(broken, skip_bad=True, size=16)
    assert data.images.shape == (4, 16, 16, 3)
    assert sorted(p.name for p, _ in data.problems) == ["fake.png", "truncated.png"]
    assert all(reason for _, reason in data.problems)
    assert "2 skipped" in repr(data)


def test_result_unpacks_and_pickles(folder):
    data = load_image_folder(folder, size=8)
    assert isinstance(data, ImageFolder)
    x, _, names = data
    back = pickle.loads(pickle.dumps(data))
    assert np.array_equal(back.images, x)
    assert back.class_names == names
    assert back.problems == []


@pytest.mark.parametrize(
    ("setup", "kw", "match"),
    [
        ("missing", {}, "does not exist"),
        ("file", {}, "is a file"),
        ("flat", {}, "no class sub-folders"),
        ("empty_classes", {}, "no image files"),
        ("ok", {"size": 0}, "size=0"),
        ("ok", {"size": (8, 8, 3)}, "size="),
        ("ok", {"mode": "CMYK"}, "mode='CMYK'"),
        ("ok", {"dtype": "float64"}, "dtype='float64'"),
        ("ok", {"extensions": ".png"}, "extensions="),
        ("ok", {"limit_per_class": 0}, "limit_per_class=0"),
    ],
)
def test_bad_folders_and_options_are_input_errors(tmp_path, setup, kw, match):
    root = tmp_path / "data"
    if setup == "file":
        root.write_text("x")
    elif setup == "flat":
        _save(root / "a.png", (0, 0, 0))
    elif setup == "empty_classes":
        (root / "cat").mkdir(parents=True)
        (root / "cat" / "readme.md").write_text("x")
    elif setup == "ok":
        _save(root / "cat" / "a.png", (0, 0, 0))
    with pytest.raises(InputError, match=match):
        load_image_folder(root, **kw)
