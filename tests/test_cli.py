from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz import Recipe
from augviz.cli import main
from augviz.image import Brightness, HorizontalFlip, Rotate


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    rng = np.random.default_rng(0)
    for cls in ("cats", "dogs/big"):
        (src / cls).mkdir(parents=True)
        for i in range(3):
            arr = rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)
            Image.fromarray(arr).save(src / cls / f"{i}.png")
    Image.fromarray(rng.integers(0, 256, (16, 16), dtype=np.uint8)).save(src / "grey.jpg")
    (src / "notes.md").write_text("not an image, and not an image extension either")
    return src


@pytest.fixture
def recipe_file(tmp_path: Path) -> Path:
    r = Recipe([Rotate(angle=(-20, 20)), HorizontalFlip(p=0.5), Brightness()], seed=3, name="t")
    return r.save(tmp_path / "r.json")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_apply_mirrors_tree_records_run_and_leaves_input_alone(tree, recipe_file, tmp_path):
    before = snapshot(tree)
    out = tmp_path / "out"
    assert main(["apply", str(recipe_file), str(tree), str(out), "--copies", "2", "--quiet"]) == 0
    assert snapshot(tree) == before
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert "cats/0__aug0.png" in written and "dogs/big/2__aug1.png" in written
    assert "grey__aug0.jpg" in written and not any("notes" in w for w in written)
    assert len(written) == 7 * 2 + 1  # 7 images × 2 copies + the run record
    record = json.loads((out / "augviz-run.json").read_text())
    assert record["seed"] == 3 and record["copies"] == 2 and record["skipped"] == {}
    assert Recipe.from_dict(record["recipe"]) == Recipe.load(recipe_file)
    with Image.open(out / "cats" / "0__aug0.png") as img:
        assert img.size == (24, 20) and img.mode == "RGB"
    with Image.open(out / "grey__aug0.jpg") as img:
        assert img.mode == "L"


def test_apply_is_deterministic_and_independent_of_workers(tree, recipe_file, tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert main(["apply", str(recipe_file), str(tree), str(a), "--seed", "9", "--quiet"]) == 0
    assert main(["apply", str(recipe_file), str(tree), str(b), "--seed", "9", "--quiet"]) == 0
    assert (
        main(["apply", str(recipe_file), str(tree), str(c), "--seed", "9", "--workers", "2", "--quiet"]) == 0
    )
    strip = lambda s: {k: v for k, v in s.items() if k != "augviz-run.json"}  # noqa: E731
    assert strip(snapshot(a)) == strip(snapshot(b)) == strip(snapshot(c))
    d = tmp_path / "d"
    assert main(["apply", str(recipe_file), str(tree), str(d), "--seed", "10", "--quiet"]) == 0
    assert strip(snapshot(d)) != strip(snapshot(a))


def test_unreadable_files_are_reported_skipped_and_exit_code_says_so(tree, recipe_file, tmp_path, capsys):
    (tree / "cats" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not a png")
    (tree / "cats" / "text.jpg").write_text("hello")
    out = tmp_path / "out"
    assert main(["apply", str(recipe_file), str(tree), str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "skipped 2 unreadable files" in err and "broken.png" in err and "text.jpg" in err
    assert (out / "cats" / "0.png").exists()  # the run continued
    record = json.loads((out / "augviz-run.json").read_text())
    assert set(record["skipped"]) == {"cats/broken.png", "cats/text.jpg"}


def test_refuses_non_empty_out_dir_unless_overwrite(tree, recipe_file, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("user data")
    assert main(["apply", str(recipe_file), str(tree), str(out), "--quiet"]) == 2
    assert "is not empty; pass --overwrite" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert main(["apply", str(recipe_file), str(tree), str(out), "--quiet", "--overwrite"]) == 0
    assert (out / "keep.txt").read_text() == "user data"


@pytest.mark.parametrize("where", ["inside", "same"])
def test_out_dir_inside_in_dir_is_refused(tree, recipe_file, where, capsys):
    out = tree / "augmented" if where == "inside" else tree
    before = snapshot(tree)
    assert main(["apply", str(recipe_file), str(tree), str(out), "--quiet", "--overwrite"]) == 2
    assert "inside IN_DIR" in capsys.readouterr().err
    assert snapshot(tree) == before


def test_bad_recipe_and_bad_arguments(tree, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "augviz.recipe", "version": 1, "modality": "image",
                    "steps": [{"transform": "image.rotate", "params": {"angle": 999}}]})
    )
    assert main(["apply", str(bad), str(tree), str(tmp_path / "o")]) == 2
    assert "steps[0].params.angle: 999 is outside [-180, 180]" in capsys.readouterr().err
    assert main(["apply", str(tmp_path / "missing.json"), str(tree), str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err
    good = Recipe([HorizontalFlip()]).save(tmp_path / "g.json")
    assert main(["apply", str(good), str(tmp_path / "nope"), str(tmp_path / "o")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["apply", str(good), str(tree), str(tmp_path / "o"), "--copies", "0"]) == 2
    assert "--copies 0" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_validate_and_catalogue(recipe_file, tmp_path, capsys):
    assert main(["validate", str(recipe_file)]) == 0
    assert "ok — image recipe 't', 3 steps" in capsys.readouterr().out
    (tmp_path / "cut.json").write_text(recipe_file.read_text()[:50])
    assert main(["validate", str(tmp_path / "cut.json")]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["catalogue", "--modality", "image", "--json"]) == 0
    ids = [t["id"] for t in json.loads(capsys.readouterr().out)]
    assert "image.rotate" in ids and all(i.startswith("image.") for i in ids)
    assert main(["catalogue", "--modality", "video"]) == 2


def test_console_script_is_installed(recipe_file):
    exe = Path(sys.executable).parent / "augviz"
    proc = subprocess.run([str(exe), "validate", str(recipe_file)], capture_output=True, text=True)
    assert proc.returncode == 0 and "ok" in proc.stdout


def test_apply_audio_and_text_recipes(tmp_path):
    from augviz.audio import Audio, Gain, save_wav
    from augviz.text import RandomSwap

    src = tmp_path / "in"
    (src / "yes").mkdir(parents=True)
    t = np.arange(8000, dtype=np.float32) / 16000
    save_wav(Audio((0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 16000), src / "yes" / "a.wav")
    (src / "yes" / "bad.wav").write_bytes(b"RIFF....WAVEfmt nonsense")
    r = Recipe([Gain(gain_db=6)]).save(tmp_path / "audio.json")
    out = tmp_path / "out"
    assert main(["apply", str(r), str(src), str(out), "--quiet"]) == 1  # bad.wav skipped
    from augviz.audio import load_wav

    loud = load_wav(out / "yes" / "a.wav")
    assert loud.sample_rate == 16000
    assert np.abs(loud.samples).max() == pytest.approx(0.4, rel=0.01)  # +6 dB doubles

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "reviews.txt").write_text("the film was not good at all\nwhat a lovely long day out\n")
    rt = Recipe([RandomSwap(alpha=0.5)], seed=1).save(tmp_path / "text.json")
    assert main(["apply", str(rt), str(texts), str(tmp_path / "tout"), "--quiet"]) == 0
    lines = (tmp_path / "tout" / "reviews.txt").read_text().splitlines()
    assert len(lines) == 2 and sorted(lines[0].split()) == sorted(
        ["the", "film", "was", "not", "good", "at", "all"]
    )


def test_lab_headless_comparison(tmp_path, capsys):
    from augviz.lab import presets

    mild = presets.digits_mild().save(tmp_path / "mild.json")
    out = tmp_path / "lab.json"
    assert (
        main(["lab", str(mild), "--epochs", "2", "--train-size", "100", "--seeds", "1", "--json", str(out)])
        == 0
    )
    table = capsys.readouterr().out
    assert "none" in table and "digits-mild" in table and "clean ×2" in table and "gap" in table
    result = json.loads(out.read_text())
    assert set(result["arms"]) >= {"none", "digits-mild"}


def test_lab_on_a_photo_folder_writes_a_report(tmp_path, capsys):
    from PIL import Image

    from augviz.lab import presets

    rng = np.random.default_rng(0)
    for k, name in enumerate(["red", "green"]):
        (tmp_path / "photos" / name).mkdir(parents=True)
        for i in range(8):
            a = (rng.random((24, 30, 3)) * 90).astype(np.uint8)
            a[..., k] += 140
            Image.fromarray(a).save(tmp_path / "photos" / name / f"{i}.png")
    mild = presets.digits_mild().save(tmp_path / "mild.json")
    report = tmp_path / "lab.html"
    argv = ["lab", str(tmp_path / "photos"), "--recipe", str(mild), "--report", str(report),
            "--epochs", "2", "--train-size", "10", "--seeds", "1", "--image-size", "16"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "digits-mild" in captured.out and f"wrote {report}" in captured.out
    assert "6/6" in captured.err  # the progress bar ran to its end (3 arms × 2 epochs)
    page = report.read_text(encoding="utf-8")
    assert "photos" in page and "digits-mild" in page and "<img" in page


def test_lab_needs_a_recipe_and_one_data_set(tmp_path, capsys):
    assert main(["lab", "digits", "--epochs", "1"]) == 2
    assert "at least one recipe" in capsys.readouterr().err
    assert main(["lab", "digits", "lfw_subset", "--trivialaugment"]) == 2
    assert "one data set" in capsys.readouterr().err


def test_a_file_the_recipe_cannot_take_is_reported_not_fatal(tmp_path, capsys):
    import soundfile as sf

    from augviz.audio import TimeStretch, load_wav

    src = tmp_path / "in"
    src.mkdir()
    t = np.arange(8000, dtype=np.float32) / 16000
    sf.write(src / "ok.flac", (0.2 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), 16000)
    sf.write(src / "tiny.wav", np.zeros(1, np.float32), 16000)  # too short to stretch
    r = Recipe([TimeStretch(rate=2.0, engine="signalsmith")]).save(tmp_path / "r.json")
    assert main(["apply", str(r), str(src), str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "tiny.wav" in err and "skipped 1" in err
    out = load_wav(tmp_path / "out" / "ok.wav")  # FLAC in, WAV out
    assert out.num_samples == pytest.approx(4000, abs=50)


# -- the command as a new user meets it -------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]


def _augviz_process(*args: str, **kw) -> subprocess.Popen:
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "augviz.cli", *args], cwd=ROOT, env=env, **kw)


@pytest.mark.parametrize("args", [["catalogue"], ["catalogue", "--json"]])
def test_a_reader_that_stops_early_is_not_an_error(args):
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)  # like `augviz catalogue | head` once head has what it wants
    proc = _augviz_process(*args, stdout=write_end, stderr=subprocess.PIPE, text=True)
    os.close(write_end)
    _, err = proc.communicate(timeout=120)
    assert err == "" and proc.returncode == 141


def test_catalogue_text_has_no_docstring_markup():
    proc = _augviz_process("catalogue", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and err == ""
    assert "audio.gain " in out and "by gain_db decibels" in out
    assert "``" not in out and ":func:" not in out and ":class:" not in out


@pytest.mark.parametrize("command", ["apply", "validate", "catalogue", "lab"])
def test_every_argument_has_help(command, capsys):
    import argparse

    from augviz.cli import _parser

    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    actions = sub.choices[command]._actions
    assert actions and all(a.help for a in actions), [a.dest for a in actions if not a.help]
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    for a in actions:  # and the help is what --help prints
        assert a.help.split()[0] in text


def test_exports_made_from_the_notebooks_folder_are_not_tracked():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    names = ["notebooks/recipe.json", "notebooks/digits-mild.json", "notebooks/clip.wav",
             "augviz-run.json"]
    proc = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True)
    assert proc.stdout.split() == names
    kept = subprocess.run(["git", "check-ignore", "notebooks/00_quickstart.ipynb"], cwd=ROOT,
                          capture_output=True, text=True)
    assert kept.returncode == 1  # the notebooks themselves stay tracked
