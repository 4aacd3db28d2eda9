"""`augviz validate` / `augviz apply` given another library's pipeline file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from augviz.cli import main

DATA = Path(__file__).parent / "data" / "albumentations"
pytest.importorskip("yaml")


def test_validate_an_albumentations_yaml_file_prints_the_import_report(capsys):
    assert main(["validate", str(DATA / "kaggle_like.yaml")]) == 0
    out = capsys.readouterr().out
    assert "ok — image recipe" in out and "albumentations → augviz: 9 exact, 8 approximate" in out


def test_validate_counts_preprocessing(capsys):
    assert main(["validate", str(DATA / "segmentation_like.json")]) == 0
    assert "1 preprocessing steps" in capsys.readouterr().out


def test_malformed_yaml_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("transform: [1, 2\n")
    assert main(["validate", str(bad)]) == 2
    assert "malformed YAML" in capsys.readouterr().err


def test_apply_an_albumentations_file_leaves_out_the_final_conversion(tmp_path, capsys):
    src, dst = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    Image.fromarray(np.full((40, 30, 3), 128, np.uint8)).save(src / "a.png")
    assert main(["apply", str(DATA / "segmentation_like.json"), str(src), str(dst)]) == 0
    err = capsys.readouterr().err
    assert "1 dropped" in err and "leaves out the final preparation image.normalize" in err
    with Image.open(dst / "a.png") as im:
        assert im.size == (30, 40)
