"""The modality table: every record's references resolve, every registered transform
belongs to a declared modality, and the layers above read the table rather than keeping
lists of their own."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import contract_inputs

import augviz
from augviz.core import registry
from augviz.modalities import MODALITIES, all_modalities, detect_modality, get

RECORDS = [pytest.param(m, id=m.name) for m in MODALITIES]


def test_names_are_unique_and_the_registry_knows_them_all():
    names = [m.name for m in MODALITIES]
    assert len(set(names)) == len(names)
    assert set(registry.MODALITIES) == set(names)
    assert {t.modality for t in augviz.catalogue()} <= set(names)


@pytest.mark.parametrize("record", RECORDS)
def test_every_reference_resolves(record):
    for field in ("check", "detect_with", "viewer", "lab"):
        if getattr(record, field) is not None:
            assert callable(record.load(field)), f"{record.name}.{field}"
    if record.io is not None:
        io = record.load("io")
        assert callable(io.read) and callable(io.write)
        assert record.extensions and all(e.startswith(".") and e == e.lower() for e in record.extensions)
    assert augviz.catalogue(record.name), f"{record.package} registers no {record.name} transform"


@pytest.mark.parametrize("record", RECORDS)
def test_check_accepts_its_own_items_and_refuses_others(record):
    inputs = contract_inputs(record.name)
    assert inputs, f"no tests/contract/inputs_{record.name}.py"
    for _, factory in inputs:
        record.check_item(factory())
    with pytest.raises(augviz.InputError):
        record.check_item(object())


@pytest.mark.parametrize("record", [m for m in MODALITIES if m.detect_with], ids=lambda m: m.name)
def test_detection_recognises_the_modality_items(record):
    _, factory = contract_inputs(record.name)[0]
    item = factory()
    assert detect_modality(item) == record.name
    assert detect_modality([item, item]) == record.name


def test_detection_of_pairs_and_defaults():
    assert detect_modality((["a text"], [0])) == "text"
    assert detect_modality(np.zeros((4, 8, 8), np.uint8)) == "image"
    assert detect_modality(object(), default="text") == "text"


def test_unknown_modality_is_a_clear_error():
    with pytest.raises(augviz.InputError, match="unknown modality 'video'; allowed: text, audio"):
        get("video")
    assert [m.name for m in all_modalities()] == [m.name for m in MODALITIES]


def test_a_record_without_io_says_so(tmp_path):
    from augviz.io import read_item

    no_io = next(m for m in MODALITIES if m.io is None)
    assert no_io.extensions == ()
    with pytest.raises(augviz.InputError, match=f"no file reader for modality '{no_io.name}'"):
        read_item(tmp_path / "x.npy", no_io.name)


def test_io_round_trips_through_real_files(tmp_path):
    from augviz.io import read_item, write_item

    img = np.arange(48, dtype=np.uint8).reshape(4, 4, 3)
    from PIL import Image

    write_item(Image.fromarray(img), tmp_path / "a.png", "image")
    assert (np.asarray(read_item(tmp_path / "a.png", "image")) == img).all()
    write_item(["one", "two"], tmp_path / "a.txt", "text")
    assert read_item(tmp_path / "a.txt", "text") == ["one", "two"]
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(augviz.InputError, match="not a readable image"):
        read_item(tmp_path / "bad.png", "image")
