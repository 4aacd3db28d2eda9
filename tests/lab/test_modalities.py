"""The lab runs on text and audio without any manual registration."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

import augviz
from augviz import InputError, lab, modalities
from augviz.audio import GaussianSNR
from augviz.image import Rotate
from augviz.text import RandomDeletion


def test_text_and_audio_datasets_are_available_by_name():
    names = lab.available_datasets()
    assert {"reviews", "negation_probe", "spoken_digits", "synth_audio"} <= set(names)


def test_lab_support_is_declared_by_the_modality_records():
    declared = {m.name for m in modalities.all_modalities() if m.lab is not None}
    assert declared == {"image", "audio", "text"}
    for m in modalities.all_modalities():
        if m.lab is not None:
            assert m.lab.startswith("augviz.lab.")
            assert callable(m.load("lab"))
    assert set(lab.available_models()) == declared


@pytest.mark.parametrize("package", ["image", "audio", "text"])
def test_modality_packages_import_nothing_of_the_lab(package):
    assert importlib.util.find_spec(f"augviz.{package}.lab") is None
    root = Path(augviz.__file__).parent / package
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n == "augviz.lab" or n.startswith("augviz.lab.") for n in names), path


def test_deleting_negations_hurts_a_negation_decided_task():
    arms = {
        "protected": augviz.Recipe([RandomDeletion(alpha=0.2)]),
        "unprotected": augviz.Recipe([RandomDeletion(alpha=0.2, keep_negations=False)]),
    }
    result = lab.compare(arms, data="negation_probe", epochs=8, train_size=600, seeds=2,
                         control=False)
    protected = result.val_change("protected").mean()
    unprotected = result.val_change("unprotected").mean()
    assert protected > unprotected + 0.02, result.summary()


def test_audio_compare_runs_on_spoken_digits():
    result = lab.compare({"snr": augviz.Recipe([GaussianSNR(snr_db=(10, 30))])},
                         data="spoken_digits", epochs=3, train_size=60, val_size=40, seeds=1)
    assert set(result.to_dict()["arms"]) >= {"none", "snr"}


def test_recipe_of_another_modality_is_refused():
    with pytest.raises(InputError, match="image"):
        lab.compare({"rot": augviz.Recipe([Rotate()])}, data="reviews", epochs=1, train_size=50)
