"""``augviz apply --annotations``: a COCO, YOLO or VOC dataset is augmented with its
targets and its annotations are written beside the outputs in the same format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz import Recipe
from augviz.datasets import load_coco, load_voc, load_yolo, write_coco, write_voc, write_yolo
from augviz.image import Boxes, HorizontalFlip, Keypoints, RandomResizedCrop, Rotate, Sample

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["cat", "dog"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "augviz.cli", "apply", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def _samples(keypoints: bool = False, mask: bool = False) -> list[Sample]:
    rng = np.random.default_rng(1)
    out = []
    for h, w, boxes, labels in ((40, 64, [[4, 3, 20, 15], [30, 10, 60, 36], [50, 30, 64, 40]],
                                 ["cat", "dog", "cat"]),
                                (48, 32, [[2, 2, 30, 20]], ["dog"])):
        img = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
        m = None
        if mask:
            m = np.zeros((h, w), np.uint8)
            for k, (x0, y0, x1, y1) in enumerate(boxes, start=1):
                m[y0 + 1:y1 - 1, x0 + 1:x1 - 1] = k
        kp = None
        if keypoints:  # two points per box, inside it
            kp = Keypoints([[x0 + d, y0 + d] for x0, y0, _, _ in boxes for d in (1, 2)])
        out.append(Sample(img, masks=m, boxes=Boxes(boxes, labels=labels), keypoints=kp))
    return out


def _recipe(tmp_path: Path, steps=None) -> Path:
    steps = steps or [HorizontalFlip(p=1.0), Rotate(angle=(90.0, 90.0), p=1.0)]
    return Recipe(steps, seed=5).save(tmp_path / "r.json")


def _expected(recipe_file: Path, source: Sample, rel: str, k: int = 0) -> Sample:
    recipe = Recipe.load(recipe_file)
    return recipe(source, rng=recipe.item_rng(rel, copy=k))  # the seed contract


def _same_boxes(got: Sample, want: Sample) -> None:
    assert list(got.boxes.labels) == list(want.boxes.labels)
    np.testing.assert_allclose(got.boxes.to_xyxy(got.shape), want.boxes.to_xyxy(want.shape), atol=1e-3)


def _save(folder: Path, samples, names) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for s, n in zip(samples, names, strict=True):
        Image.fromarray(s.image).save(folder / n)


def test_coco_dataset_with_masks_and_keypoints_through_a_crop(tmp_path):
    src = tmp_path / "in"
    samples = _samples(keypoints=True, mask=True)
    _save(src / "images", samples, ["a.png", "b.png"])
    cats = [{"id": 1, "name": "cat", "keypoints": ["p", "q"]},
            {"id": 2, "name": "dog", "keypoints": ["p", "q"]}]
    write_coco(src / "annotations" / "instances.json", samples, ["a.png", "b.png"], NAMES, categories=cats,
               keypoints_per_box=2)
    crop = RandomResizedCrop(height=24, width=24, scale=(0.3, 0.3), ratio=(1.0, 1.0), p=1.0)
    recipe = _recipe(tmp_path, [HorizontalFlip(p=1.0), crop])
    out = tmp_path / "out"
    proc = _cli(recipe, src, out, "--annotations", "auto")
    assert proc.returncode == 0, proc.stderr
    assert (out / "annotations" / "instances.json").is_file()
    assert json.loads((out / "augviz-run.json").read_text())["annotations"] == "coco"
    inputs = load_coco(src / "annotations" / "instances.json", src / "images")
    assert len(inputs[0].keypoints) == 6
    written = load_coco(out / "annotations" / "instances.json", out / "images")
    assert [p.name for p in written.paths] == ["a.png", "b.png"]
    dropped = 0
    for rel, source, got in zip(["images/a.png", "images/b.png"], inputs, written, strict=True):
        n = len(source.boxes)
        want = _expected(recipe, source.replace(boxes=Boxes(source.boxes.coords, labels=range(n))), rel)
        kept = list(want.boxes.labels)
        dropped += n - len(kept)
        assert list(got.boxes.labels) == [source.boxes.labels[i] for i in kept]
        np.testing.assert_allclose(got.boxes.coords, want.boxes.coords, atol=1e-3)
        # the instance mask is renumbered to the kept boxes, the keypoints are theirs
        lut = np.zeros(n + 1, np.int64)
        lut[[i + 1 for i in kept]] = np.arange(1, len(kept) + 1)
        np.testing.assert_array_equal(got.mask_list()[0], lut[want.mask_list()[0]])
        np.testing.assert_array_equal(np.asarray(Image.open(out / rel)), want.image)
        if not kept:  # COCO keypoints belong to boxes
            assert got.keypoints is None
            continue
        rows = [j for i in kept for j in (2 * i, 2 * i + 1)]
        vis = want.keypoints.visible[rows]
        assert got.keypoints.visible.tolist() == vis.tolist()
        np.testing.assert_allclose(got.keypoints.xy[vis], want.keypoints.xy[rows][vis], atol=1e-3)
    assert dropped > 0


@pytest.mark.parametrize("copies", [1, 2])
def test_yolo_dataset_and_copies(tmp_path, copies):
    src = tmp_path / "in"
    samples = _samples()
    _save(src / "images" / "train", samples, ["a.png", "b.png"])
    write_yolo(src / "labels" / "train", samples, ["a.png", "b.png"], NAMES)
    (src / "classes.txt").write_text("cat\ndog\n")
    recipe = _recipe(tmp_path)
    out = tmp_path / "out"
    proc = _cli(recipe, src, out, "--annotations", "yolo", "--copies", copies)
    assert proc.returncode == 0, proc.stderr
    written = load_yolo(out)
    names = [p.relative_to(out).as_posix() for p in written.paths]
    assert len(written) == 2 * copies
    inputs = dict(zip(["images/train/a.png", "images/train/b.png"], load_yolo(src), strict=True))
    for name, got in zip(names, written, strict=True):
        rel, k = name, 0
        if "__aug" in name:
            stem, k = name.rsplit("__aug", 1)
            k = int(k.split(".")[0])
            rel = stem + ".png"
        _same_boxes(got, _expected(recipe, inputs[rel], rel, k))


def test_voc_crop_drops_boxes_and_resume_rewrites_the_same_annotations(tmp_path):
    src = tmp_path / "in"
    samples = _samples()
    _save(src / "JPEGImages", samples, ["a.png", "b.png"])
    write_voc(src / "Annotations", samples, ["a.png", "b.png"])
    crop = RandomResizedCrop(height=24, width=24, scale=(0.2, 0.2), ratio=(1.0, 1.0), p=1.0)
    recipe = _recipe(tmp_path, [crop])
    out = tmp_path / "out"
    proc = _cli(recipe, src, out, "--annotations", "voc")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (out / "Annotations").iterdir()) == ["a.xml", "b.xml"]
    written = load_voc(out)
    inputs = load_voc(src)
    dropped = 0
    for rel, source, got in zip(["JPEGImages/a.png", "JPEGImages/b.png"], inputs, written, strict=True):
        want = _expected(recipe, source, rel)
        assert got.shape == (24, 24)
        _same_boxes(got, want)
        dropped += len(source.boxes) - len(got.boxes)
    assert dropped > 0  # the crop lost boxes, and the annotations say so
    # a run that stopped after a.png: --resume writes b.png and all annotations again, the same
    first = {p.name: p.read_bytes() for p in (out / "Annotations").iterdir()}
    record = json.loads((out / "augviz-run.json").read_text())
    record.update(done=["JPEGImages/a.png"], status="interrupted", complete=False)
    (out / "augviz-run.json").write_text(json.dumps(record))
    for p in [out / "JPEGImages" / "b.png", *(out / "Annotations").iterdir()]:
        p.unlink()
    proc = _cli(recipe, src, out, "--annotations", "voc", "--resume")
    assert proc.returncode == 0, proc.stderr
    assert {p.name: p.read_bytes() for p in (out / "Annotations").iterdir()} == first


def test_usage_errors_name_the_problem(tmp_path):
    src = tmp_path / "in"
    samples = _samples()
    _save(src, samples, ["a.png", "b.png"])
    recipe = _recipe(tmp_path)
    proc = _cli(recipe, src, tmp_path / "out", "--annotations", "auto")
    assert proc.returncode == 2 and "looks like none of coco, yolo, voc" in proc.stderr
    (src / "a.json").write_text("{}")
    (src / "b.json").write_text("{}")
    proc = _cli(recipe, src, tmp_path / "out", "--annotations", "coco")
    assert proc.returncode == 2 and "exactly one COCO .json file; found a.json, b.json" in proc.stderr
    assert not (tmp_path / "out").exists()
