"""The lab on a user's own files: image and audio folders, CSV/TSV tables, the cache and
the errors — with real files written in temporary folders."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz import InputError, Recipe, get_transform
from augviz.audio import Audio, save_wav
from augviz.lab import compare, label_risk, load_data, search
from augviz.lab.files import clear_cache, fit_image

COLOURS = ("red", "green", "blue")


def write_photos(root: Path, n: int = 10, size: tuple[int, int] = (40, 56), seed: int = 0) -> Path:
    """Noisy photos whose dominant channel is the class."""
    rng = np.random.default_rng(seed)
    for k, name in enumerate(COLOURS):
        (root / name).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            a = (rng.random((*size, 3)) * 90).astype(np.uint8)
            a[..., k] += 140
            Image.fromarray(a).save(root / name / f"{i:03d}.png")
    return root


def write_clips(root: Path, n: int = 8) -> Path:
    """Low tones vs high tones, each a 0.25 s WAV at 16 kHz with a little noise."""
    rng = np.random.default_rng(1)
    t = np.arange(4000) / 16000
    for name, base in (("low", 300.0), ("high", 2400.0)):
        (root / name).mkdir(parents=True)
        for i in range(n):
            wave = 0.4 * np.sin(2 * np.pi * base * (1 + 0.05 * i) * t) + 0.02 * rng.standard_normal(len(t))
            save_wav(Audio(wave.astype(np.float32), 16000), root / name / f"{i}.wav")
    return root


def write_table(path: Path, rows: list[tuple[str, str]], header=("review", "stars"),
                delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def sentences(n: int = 20) -> list[tuple[str, str]]:
    good = ["great phone, the battery lasts", "lovely film and a fine cast", "works well, happy",
            "excellent value and quick delivery", "a wonderful read"]
    bad = ["broke after a week, awful", "terrible plot and poor acting", "slow and buggy, sad",
           "waste of money, it failed", "a dreadful read"]
    return [(good[i % 5] + f" {i}", "pos") if i % 2 == 0 else (bad[i % 5] + f" {i}", "neg")
            for i in range(n)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


# --------------------------------------------------------------------------------- images


def test_image_folder_end_to_end_at_its_own_resolution(tmp_path):
    root = write_photos(tmp_path / "photos")
    data = load_data(root, image_size=24)
    assert data.modality == "image" and data.class_names == sorted(COLOURS)
    assert data.x.shape == (30, 40, 56, 3)  # the recipe sees the photos as they are
    assert data.features(data.x[:2]).shape == (2, 24, 24, 3)  # the model a resized copy
    res = compare({"mild": get_transform("image.affine")(angle=(-10, 10))}, data=root,
                  epochs=3, train_size=18, seeds=2)
    assert res.config["data"]["name"] == "photos"
    assert res.config["data"]["image_size"] == 32
    assert res.final("mild").mean() > 0.6  # the colour classes are easy


def test_images_of_different_sizes_stay_a_list_and_run(tmp_path):
    root = write_photos(tmp_path / "p", n=4)
    Image.fromarray(np.full((70, 30, 3), 200, np.uint8)).save(root / "red" / "tall.png")
    data = load_data(root)
    assert isinstance(data.x, list) and len(data.x) == 13
    assert {a.shape for a in data.x} == {(40, 56, 3), (70, 30, 3)}
    res = compare({"flip": get_transform("image.hflip")()}, data=str(root), epochs=1,
                  train_size=8, seeds=1)
    assert res.curves["flip"]["val_acc"].shape == (1, 1)


@pytest.mark.parametrize("fit", ["crop", "pad"])
def test_fit_keeps_the_aspect(fit):
    img = np.zeros((20, 40), np.uint8)
    img[:, 10:30] = 255  # a centred white square
    out = fit_image(img, 10, fit)
    assert out.shape == (10, 10)
    if fit == "crop":  # the centre square fills the crop
        assert out.min() == 255
    else:  # the whole image fits inside: black bands above and below
        assert out[0].max() == 0 and out[-1].max() == 0
        assert out[5, 3:7].min() == 255


def test_a_second_load_is_cached_until_a_file_changes(tmp_path):
    root = write_photos(tmp_path / "p", n=6)
    first = load_data(root)
    assert load_data(root) is first  # the same object: nothing decoded again
    assert load_data(root, image_size=16) is not first  # a different model size …
    assert load_data(root, image_size=16).x is first.x  # … reuses the decoded images
    Image.fromarray(np.zeros((40, 56, 3), np.uint8)).save(root / "red" / "extra.png")
    again = load_data(root)
    assert again is not first and len(again) == len(first) + 1


def test_unreadable_files_are_listed_and_skipped_with_a_count(tmp_path):
    root = write_photos(tmp_path / "p", n=4)
    (root / "green" / "broken.png").write_bytes(b"not a png")
    (root / "blue" / "empty.jpg").write_bytes(b"")
    with pytest.warns(UserWarning, match=r"skipped 2 unreadable file\(s\) of 14") as rec:
        data = load_data(root)
    text = str(rec[0].message)
    assert rec[0].filename == __file__  # the warning points at the caller's line
    assert "broken.png" in text and "empty.jpg" in text
    assert len(data) == 12
    assert data.describe()["skipped_files"] == 2


@pytest.mark.parametrize(("make", "match"), [
    (lambda r: r.mkdir(), "has no class sub-folders"),
    (lambda r: (r / "a").mkdir(parents=True), "holds no image or audio files"),
    (lambda r: write_photos(r, n=3) and [p.unlink() for p in (r / "red").iterdir()]
     and [p.unlink() for p in (r / "green").iterdir()], "at least 2 classes"),
    (lambda r: write_photos(r, n=3) and [p.unlink() for p in sorted((r / "red").iterdir())[1:]],
     r"at least 2 readable image files.*'red' \(1\)"),
    (lambda r: write_photos(r, n=2) and write_clips(r / "sounds", n=1), "mixes modalities: 6 image"),
])
def test_folder_errors_say_what_is_wrong(tmp_path, make, match):
    root = tmp_path / "data"
    make(root)
    with pytest.raises(InputError, match=match):
        load_data(root)


def test_missing_path_and_unknown_name(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        compare({"a": None}, data=tmp_path / "nowhere")
    with pytest.raises(InputError, match="unknown lab dataset 'digitz'"):
        load_data("digitz")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"is a \.pdf; allowed"):
        load_data(tmp_path / "notes.pdf")


def test_image_size_is_checked(tmp_path):
    root = write_photos(tmp_path / "p", n=2)
    with pytest.raises(InputError, match="image_size=4"):
        load_data(root, image_size=4)
    with pytest.raises(InputError, match="fit='stretch'"):
        load_data(root, fit="stretch")


def test_label_risk_and_search_take_a_folder(tmp_path):
    root = write_photos(tmp_path / "p", n=8)
    risk = label_risk(get_transform("image.hue")(), data=root, train_size=12, epochs=2,
                      magnitudes=[0.0, 0.3])
    assert len(risk.table()) >= 1
    found = search({"r": Recipe([get_transform("image.hflip")()])}, data=root, epochs=1,
                   train_size=12, seeds=1)
    assert found.ranking()[0]["arm"] == "r"


# --------------------------------------------------------------------------------- audio


def test_audio_folder_end_to_end(tmp_path):
    root = write_clips(tmp_path / "tones")
    data = load_data(root)
    assert data.modality == "audio" and data.class_names == ["high", "low"]
    res = compare({"gain": get_transform("audio.gain")()}, data=root, epochs=3, train_size=10,
                  seeds=1)
    assert res.config["data"]["modality"] == "audio"
    assert res.final("gain")[0] > 0.8  # low vs high tones: the model learns them


def test_unreadable_wav_is_skipped(tmp_path):
    root = write_clips(tmp_path / "tones", n=3)
    (root / "low" / "bad.wav").write_bytes(b"RIFF....WAVEjunk")
    with pytest.warns(UserWarning, match="bad.wav"):
        assert len(load_data(root)) == 6


# --------------------------------------------------------------------------------- text


def test_csv_end_to_end_with_guessed_columns(tmp_path):
    path = write_table(tmp_path / "reviews.csv", sentences(24))
    data = load_data(path)
    assert data.modality == "text"
    assert data.meta["text_column"] == "review" and data.meta["label_column"] == "stars"
    assert data.class_names == ["neg", "pos"]
    res = compare({"swap": get_transform("text.random_swap")()}, data=path, epochs=3,
                  train_size=14, seeds=2)
    assert res.config["data"]["text_column"] == "review"
    assert res.final("none", "train_acc").mean() > 0.9
    assert res.final("swap").mean() > 0.6  # the words tell the classes apart


def test_tsv_with_named_columns_and_unusual_names(tmp_path):
    rows = [(f"id{i}", t, y) for i, (t, y) in enumerate(sentences(12))]
    path = tmp_path / "d.tsv"
    with path.open("w", encoding="utf-8") as f:
        f.write("uid\tutterance_text\tgold\n")
        f.writelines("\t".join(r) + "\n" for r in rows)
    guessed = load_data(path)  # longest column = text, fewest values = label
    assert guessed.meta["text_column"] == "utterance_text" and guessed.meta["label_column"] == "gold"
    named = load_data(path, text_column="utterance_text", label_column="gold")
    assert named.class_names == ["neg", "pos"]
    with pytest.raises(InputError, match="label_column='stars' is not a column; allowed: 'uid'"):
        load_data(path, label_column="stars")


def test_table_errors(tmp_path):
    one = write_table(tmp_path / "one.csv", [("fine", "pos"), ("good", "pos")])
    with pytest.raises(InputError, match="at least 2 classes"):
        load_data(one)
    few = write_table(tmp_path / "few.csv", [*sentences(6), ("only once", "meh")])
    with pytest.raises(InputError, match=r"at least 2 rows.*'meh' \(1\)"):
        load_data(few)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(InputError, match="is empty"):
        load_data(tmp_path / "empty.csv")
    gaps = write_table(tmp_path / "gaps.csv", [*sentences(6), ("", "pos"), ("no label", "")])
    with pytest.warns(UserWarning, match=r"skipped 2 row\(s\) of 8"):
        assert len(load_data(gaps)) == 6


def test_large_photos_augment_ahead_and_a_stop_leaves_nothing_running(tmp_path, monkeypatch):
    import importlib
    import threading

    import cv2

    compare_module = importlib.import_module("augviz.lab.compare")

    root = write_photos(tmp_path / "p", n=6, size=(80, 96))  # 23 KB per photo: the thread pays
    made = []
    real = compare_module._prefetcher
    monkeypatch.setattr(compare_module, "_prefetcher",
                        lambda *a: made.append(real(*a)) or made[-1])
    threads_before = cv2.getNumThreads()
    arms = {"flip": get_transform("image.hflip")()}
    kw = {"epochs": 3, "train_size": 12, "seeds": 1, "control": False, "model": "logreg"}
    full = compare(arms, data=root, **kw)
    assert made[-1] is not None  # a second thread augmented
    stopped = compare(arms, data=root, on_epoch=lambda e: e["epoch"] < 2, **kw)
    assert stopped.stopped and stopped.curves["flip"]["val_acc"].shape == (1, 1)
    np.testing.assert_array_equal(stopped.curves["none"]["val_acc"][:, :1],
                                  full.curves["none"]["val_acc"][:, :1])
    assert not [t for t in threading.enumerate() if t.name.startswith("augviz-lab")]
    assert cv2.getNumThreads() == threads_before
