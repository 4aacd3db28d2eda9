"""``augviz apply`` and the savers never lose or damage data: real files in temporary
folders, the command run in subprocesses as a user would run it."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz import Recipe
from augviz.audio import Audio, Gain, load_wav, save_wav
from augviz.core import InputError
from augviz.core.files import atomic_write
from augviz.image import Brightness, GaussianBlur, HorizontalFlip, Rotate
from augviz.text import RandomSwap

ROOT = Path(__file__).resolve().parents[1]


def augviz(*args: object, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the ``augviz`` command of this checkout in a fresh process."""
    return subprocess.run([sys.executable, "-m", "augviz.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, env=_env())


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def tone(seconds: float = 0.25, sr: int = 8000) -> Audio:
    t = np.arange(int(seconds * sr), dtype=np.float32) / sr
    return Audio((0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), sr)


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """An input tree per modality and a recipe that changes every file."""
    rng = np.random.default_rng(0)
    images = tmp_path / "images"
    (images / "cats").mkdir(parents=True)
    for i in range(3):
        Image.fromarray(rng.integers(0, 256, (12, 14, 3), dtype=np.uint8)).save(images / "cats" / f"{i}.png")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("one two three four\nfive six seven eight\n", encoding="utf-8")
    sounds = tmp_path / "sounds"
    sounds.mkdir()
    save_wav(tone(), sounds / "take.wav")
    return {
        "images": images,
        "texts": texts,
        "sounds": sounds,
        "image_recipe": Recipe([Brightness(delta=(0.3, 0.4))], seed=1).save(tmp_path / "img.json"),
        "text_recipe": Recipe([RandomSwap(alpha=0.5)], seed=1).save(tmp_path / "txt.json"),
        "audio_recipe": Recipe([Gain(gain_db=(-6, -3))], seed=1).save(tmp_path / "aud.json"),
    }


@pytest.mark.parametrize("modality", ["images", "texts", "sounds"])
@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_links_to_inputs_in_out_dir_are_replaced_never_written_through(inputs, tmp_path, modality, link):
    src = inputs[modality]
    recipe = inputs[{"images": "image_recipe", "texts": "text_recipe", "sounds": "audio_recipe"}[modality]]
    before = snapshot(src)
    out = tmp_path / "out"
    for f in src.rglob("*"):  # what `cp -al IN OUT` (or `cp -as`) makes
        target = out / f.relative_to(src)
        if f.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if link == "hard":
            os.link(f, target)
        else:
            target.symlink_to(f)
    proc = augviz("apply", recipe, src, out, "--overwrite", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert snapshot(src) == before  # the inputs are untouched
    for rel in before:
        written = out / rel
        assert not written.is_symlink() and written.stat().st_nlink == 1
        assert written.read_bytes() != before[rel]  # and the outputs are really new


def test_a_folder_link_from_out_dir_into_in_dir_is_refused(inputs, tmp_path):
    src = inputs["images"]
    before = snapshot(src)
    out = tmp_path / "out"
    out.mkdir()
    (out / "cats").symlink_to(src / "cats", target_is_directory=True)
    proc = augviz("apply", inputs["image_recipe"], src, out, "--overwrite", "--quiet")
    assert proc.returncode == 2
    assert "leads out of OUT_DIR" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(src) == before
    assert sorted(p.name for p in out.iterdir()) == ["cats"]  # nothing written, not even a record


def test_an_out_dir_that_resolves_into_in_dir_is_refused(inputs, tmp_path):
    src = inputs["images"]
    before = snapshot(src)
    alias = tmp_path / "alias"
    alias.symlink_to(src / "cats", target_is_directory=True)
    proc = augviz("apply", inputs["image_recipe"], src, alias / "augmented", "--quiet")
    assert proc.returncode == 2
    assert "inside IN_DIR" in proc.stderr and "resolves to" in proc.stderr
    assert snapshot(src) == before


def test_colliding_output_names_are_reported_before_anything_is_written(tmp_path):
    import soundfile as sf

    src = tmp_path / "in"
    (src / "day1").mkdir(parents=True)
    a = tone()
    save_wav(a, src / "day1" / "take.wav")
    sf.write(src / "day1" / "take.flac", a.samples, a.sample_rate)
    sf.write(src / "day1" / "take.ogg", a.samples, a.sample_rate)
    save_wav(a, src / "day1" / "other.wav")
    recipe = Recipe([Gain(gain_db=3)]).save(tmp_path / "r.json")
    out = tmp_path / "out"
    proc = augviz("apply", recipe, src, out, "--quiet")
    assert proc.returncode == 2
    assert "day1/take.wav <- day1/take.flac, day1/take.ogg, day1/take.wav" in proc.stderr
    assert "nothing was written" in proc.stderr
    assert not out.exists()


def test_text_files_keep_their_line_structure_byte_for_byte(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    tricky = {
        "separators.txt": "a\u2028b\fc\x1cd\x1de\x1ef\x85g\vh\nsecond line\n".encode(),
        "windows.txt": b"first\r\nsecond\r\n\r\nfourth",
        "mixed.txt": b"lf\ncrlf\r\nlone\rcarriage return\n",
        "empty.txt": b"",
        "blank.txt": b"\n\n",
        "bom.txt": "\ufeffhello\n".encode(),
    }
    for name, data in tricky.items():
        (src / name).write_bytes(data)
    identity = Recipe([RandomSwap(p=0.0)], seed=0).save(tmp_path / "id.json")
    proc = augviz("apply", identity, src, tmp_path / "out", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert {k: v for k, v in snapshot(tmp_path / "out").items() if k.endswith(".txt")} == tricky
    # a real recipe changes words, never the number of lines or their endings
    swap = Recipe([RandomSwap(alpha=0.5)], seed=0).save(tmp_path / "swap.json")
    assert augviz("apply", swap, src, tmp_path / "swapped", "--quiet").returncode == 0
    out = (tmp_path / "swapped" / "separators.txt").read_bytes()
    assert out.count(b"\n") == 2 and out.endswith(b"\n")
    win = (tmp_path / "swapped" / "windows.txt").read_bytes()
    assert win.count(b"\r\n") == 3 and not win.endswith(b"\n")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_saved_files_follow_the_umask(inputs, tmp_path, umask):
    old = os.umask(umask)
    try:
        expected = 0o666 & ~umask
        saved = Recipe([HorizontalFlip()]).save(tmp_path / "r.json")
        wav = save_wav(tone(), tmp_path / "t.wav")
        again = save_wav(tone(), tmp_path / "t.wav", overwrite=True)
        assert _mode(saved) == _mode(wav) == _mode(again) == expected
        out = tmp_path / "out"
        proc = subprocess.run(
            [sys.executable, "-m", "augviz.cli", "apply", str(inputs["image_recipe"]), str(inputs["images"]),
             str(out), "--quiet"], capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        files = [p for p in out.rglob("*") if p.is_file()]
        assert len(files) == 4 and {_mode(p) for p in files} == {expected}
    finally:
        os.umask(old)


def test_save_wav_without_overwrite_never_replaces_a_file_that_appears_meanwhile(tmp_path, monkeypatch):
    import soundfile as sf

    target = tmp_path / "t.wav"
    real_write = sf.write

    def racing_write(file, *args, **kw):  # another program saves the same name meanwhile
        target.write_bytes(b"theirs")
        return real_write(file, *args, **kw)

    monkeypatch.setattr(sf, "write", racing_write)
    with pytest.raises(InputError, match="exists; pass overwrite=True"):
        save_wav(tone(), target)
    assert target.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.wav"]  # no temporary file left


def test_atomic_write_leaves_nothing_when_the_writer_fails(tmp_path):
    (tmp_path / "keep.bin").write_bytes(b"old")

    def write_half() -> None:
        with atomic_write(tmp_path / "keep.bin", overwrite=True) as fh:
            fh.write(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_half()
    assert (tmp_path / "keep.bin").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.bin"]


def test_a_recipe_path_that_is_a_link_loop_or_unreadable_is_a_clear_error(inputs, tmp_path):
    loop = tmp_path / "loop.json"
    loop.symlink_to(tmp_path / "loop2.json")
    (tmp_path / "loop2.json").symlink_to(loop)
    not_a_folder = tmp_path / "r.json" / "inner.json"
    (tmp_path / "r.json").write_text("{}")
    cases = [(loop, "symbolic links"), (not_a_folder, "Not a directory")]
    if os.geteuid() != 0:  # root reads any file whatever its mode
        locked = Recipe([HorizontalFlip()]).save(tmp_path / "locked.json")
        locked.chmod(0)
        cases.append((locked, "Permission denied"))
    for path, reason in cases:
        for args in (("validate", path), ("apply", path, inputs["images"], tmp_path / "out")):
            proc = augviz(*args)
            assert proc.returncode == 2, proc.stderr
            assert "Traceback" not in proc.stderr
            assert str(path) in proc.stderr and "cannot" in proc.stderr and reason in proc.stderr
    assert not (tmp_path / "out").exists()


# -- Ctrl-C and --resume -----------------------------------------------------------------------
@pytest.fixture
def many_images(tmp_path: Path) -> Path:
    src = tmp_path / "many"
    rng = np.random.default_rng(1)
    for i in range(240):  # big enough that a run lasts seconds, so the interrupt lands mid-way
        folder = src / f"part{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (320, 320, 3), dtype=np.uint8)).save(folder / f"{i:03d}.png",
                                                                                  compress_level=1)
    return src


def _interrupt_mid_run(cmd: list[str], out: Path, total: int) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=_env(), start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        record = out / "augviz-run.json"
        done = sum(p.stat().st_mtime > record.stat().st_mtime for p in out.rglob("*.png")) \
            if record.exists() else 0
        if done >= 1 or proc.poll() is not None:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    stdout, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


@pytest.mark.slow
def test_ctrl_c_leaves_whole_files_a_record_and_resume_finishes_the_same_bytes(many_images, tmp_path):
    recipe = Recipe([Rotate(angle=(-30, 30)), GaussianBlur(sigma=(0.5, 1.5)), Brightness()], seed=4)
    rfile = recipe.save(tmp_path / "r.json")
    out = tmp_path / "out"
    stale = tmp_path / "stale.png"  # outputs of some older run, at the same names
    Image.new("RGB", (8, 8), "red").save(stale)
    for rel in snapshot(many_images):
        for k in range(2):
            name = out / Path(rel).with_name(f"{Path(rel).stem}__aug{k}.png")
            name.parent.mkdir(parents=True, exist_ok=True)
            name.write_bytes(stale.read_bytes())
    cmd = [sys.executable, "-m", "augviz.cli", "apply", str(rfile), str(many_images), str(out),
           "--workers", "2", "--copies", "2", "--quiet", "--overwrite"]
    proc = _interrupt_mid_run(cmd, out, 480)
    assert proc.returncode == 130, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "interrupted" in lines[0] and "--resume" in lines[0], proc.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert sorted(p.name for p in files if p.suffix != ".png") == ["augviz-run.json"]  # no temp files
    assert len(files) == 481
    outputs = [p for p in files if p.suffix == ".png" and p.read_bytes() != stale.read_bytes()]
    assert 0 < len(outputs) < 480, "the run was not interrupted mid-way"
    for p in files:  # every output is whole
        if p.suffix == ".png":
            with Image.open(p) as im:
                im.load()
    record = json.loads((out / "augviz-run.json").read_text())
    assert record["status"] == "interrupted" and record["complete"] is False
    assert record["present"] == len(outputs) == len(record["done"]) and record["outputs"] == 480
    kept = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in outputs}

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, cwd=ROOT, env=_env(),
                             timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"wrote {480 - len(outputs)} files" in resumed.stderr  # the stale ones too
    assert all((p.stat().st_ino, p.stat().st_mtime_ns) == v for p, v in kept.items())  # not rewritten
    record = json.loads((out / "augviz-run.json").read_text())
    assert record["complete"] is True and record["present"] == 480

    whole = tmp_path / "whole"
    straight = subprocess.run([*cmd[:6], str(whole), *cmd[7:]], capture_output=True, text=True, cwd=ROOT,
                              env=_env(), timeout=600)
    assert straight.returncode == 0, straight.stderr
    strip = lambda s: {k: v for k, v in s.items() if k != "augviz-run.json"}  # noqa: E731
    assert strip(snapshot(out)) == strip(snapshot(whole))


def test_resume_refuses_another_recipe_or_a_folder_without_a_run(inputs, tmp_path):
    out = tmp_path / "out"
    assert augviz("apply", inputs["image_recipe"], inputs["images"], out, "--quiet").returncode == 0
    other = Recipe([HorizontalFlip()], seed=1).save(tmp_path / "other.json")
    proc = augviz("apply", other, inputs["images"], out, "--resume", "--quiet")
    assert proc.returncode == 2 and "used another recipe" in proc.stderr
    proc = augviz("apply", inputs["image_recipe"], inputs["images"], tmp_path / "empty", "--resume")
    assert proc.returncode == 2 and "no augviz-run.json" in proc.stderr
    again = augviz("apply", inputs["image_recipe"], inputs["images"], out, "--resume", "--quiet")
    assert again.returncode == 0 and "wrote 0 files" in again.stderr and "3 already there" in again.stderr


def test_audio_outputs_are_whole_wavs(inputs, tmp_path):
    out = tmp_path / "out"
    proc = augviz("apply", inputs["audio_recipe"], inputs["sounds"], out, "--copies", "3", "--quiet")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["augviz-run.json", "take__aug0.wav", "take__aug1.wav", "take__aug2.wav"]
    assert all(load_wav(out / n).num_samples == 2000 for n in names[1:])
