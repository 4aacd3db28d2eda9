"""COCO, YOLO, VOC and mask-folder loaders read real files into Samples and name what is
wrong with broken ones."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from augviz.core import InputError
from augviz.datasets import AnnotatedSet, load_coco, load_mask_folder, load_voc, load_yolo
from augviz.image import HorizontalFlip, Sample


def _png(path, w, h, colour=(200, 100, 50)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (w, h), colour).save(path)


# -- COCO --------------------------------------------------------------------------------
def _coco(tmp_path, anns=None, images=None, cats=None):
    _png(tmp_path / "img" / "a.png", 40, 30)
    _png(tmp_path / "img" / "b.png", 20, 20)
    doc = {
        "images": images if images is not None else [
            {"id": 1, "file_name": "a.png", "width": 40, "height": 30},
            {"id": 2, "file_name": "b.png", "width": 20, "height": 20}],
        "categories": cats if cats is not None else [
            {"id": 3, "name": "person", "keypoints": ["nose", "left_eye", "right_eye"]},
            {"id": 1, "name": "cat"}],
        "annotations": anns if anns is not None else [
            {"id": 1, "image_id": 1, "category_id": 1, "bbox": [2, 3, 10, 5],
             "segmentation": [[2, 3, 12, 3, 12, 8, 2, 8]], "iscrowd": 0},
            {"id": 2, "image_id": 1, "category_id": 3, "bbox": [20, 10, 10, 15],
             "segmentation": {"size": [30, 40], "counts": [20 * 30 + 10, 15, 15, 15]},
             "keypoints": [25, 12, 2, 22, 14, 2, 28, 14, 1], "iscrowd": 0},
            {"id": 3, "image_id": 2, "category_id": 1, "bbox": [0, 0, 0, 4], "iscrowd": 0}],
    }
    path = tmp_path / "ann.json"
    path.write_text(json.dumps(doc, indent=1))
    return path


def test_coco_boxes_masks_and_keypoints(tmp_path):
    with pytest.warns(UserWarning, match="1 problem"):
        data = load_coco(_coco(tmp_path), tmp_path / "img")
    assert isinstance(data, AnnotatedSet) and len(data) == 2 and data.format == "coco"
    assert data.class_names == ["cat", "person"]  # by category id
    a = data[0]
    assert isinstance(a, Sample) and a.shape == (30, 40)
    assert a.boxes.labels == ("cat", "person")
    assert a.boxes.coords.tolist() == [[2, 3, 12, 8], [20, 10, 30, 25]]
    # the polygon covers exactly the box's pixels, the RLE one column run of 15 × 15 pixels
    assert np.array_equal(np.argwhere(a.masks == 1).min(0), [3, 2])
    assert np.array_equal(np.argwhere(a.masks == 1).max(0), [7, 11])
    assert (a.masks == 2).sum() == 15 + 15
    ys, xs = np.nonzero(a.masks == 2)
    assert set(xs.tolist()) == {20, 21} and ys.min() == 10 and ys.max() == 24
    assert a.keypoints.labels == ("nose", "left_eye", "right_eye")
    assert a.keypoints.flip_pairs == ((1, 2),)
    assert a.keypoints.xy.tolist() == [[25, 12], [22, 14], [28, 14]]
    # the zero-width box is left out and reported
    assert len(data[1].boxes) == 0
    assert data.problems == [(f"{tmp_path / 'ann.json'} $.annotations[2]",
                              "box [0, 0, 0, 4] has zero or negative size; left out")]
    flipped = HorizontalFlip()(a)
    assert flipped.keypoints.xy[1].tolist() == [39 - 28, 14]  # left stays left


def test_coco_semantic_masks_and_compressed_rle(tmp_path):
    runs = [5, 3, 4, 3]
    enc = _encode_rle(runs)
    anns = [{"id": 1, "image_id": 2, "category_id": 3, "bbox": [0, 0, 2, 4],
             "segmentation": {"size": [20, 20], "counts": enc}}]
    data = load_coco(_coco(tmp_path, anns=anns), tmp_path / "img", masks="semantic", keypoints=False)
    m = data[1].masks
    # runs go down the columns: 5 off, 3 on, 4 off, 3 on; "person" is class 1, so value 2
    assert np.nonzero(m[:, 0])[0].tolist() == [5, 6, 7, 12, 13, 14]
    assert set(np.unique(m).tolist()) == {0, 2} and (m > 0).sum() == 6
    assert data[1].keypoints is None


def _encode_rle(counts):
    """pycocotools' rleToString, for the test."""
    out = []
    for i, c in enumerate(counts):
        x = c - counts[i - 2] if i > 2 else c
        more = True
        while more:
            ch = x & 0x1F
            x >>= 5
            more = (x != -1) if ch & 0x10 else (x != 0)
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


@pytest.mark.parametrize(("doc", "message"), [
    ('{"images": [}', r"ann\.json: not valid JSON at line 1, column 13"),
    ('[]', "the top level is a list"),
    ('{"images": []}', r"\$ has no 'categories'"),
    ('{"images": [], "categories": [{"id": "1", "name": "a"}]}',
     r"\$\.categories\[0\]\.id is str '1'; allowed: int"),
    ('{"images": [], "categories": [{"id": 1, "name": "a"}], "annotations": '
     '[{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 1]}]}',
     r"\$\.annotations\[0\]\.category_id 7 is not a category"),
    ('{"images": [], "categories": [{"id": 1, "name": "a"}], "annotations": '
     '[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 1]}]}',
     r"\$\.annotations\[0\]\.bbox is \[0, 0, 1\]; allowed: \[x, y, width, height\]"),
])
def test_broken_coco_files_name_file_path_and_problem(tmp_path, doc, message):
    (tmp_path / "img").mkdir()
    path = tmp_path / "ann.json"
    path.write_text(doc)
    with pytest.raises(InputError, match=message):
        load_coco(path, tmp_path / "img")


def test_coco_missing_image_raises_or_is_skipped(tmp_path):
    images = [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "gone.png"}]
    path = _coco(tmp_path, images=images, anns=[])
    with pytest.raises(InputError, match=r"\$\.images\[1\]: image file .*gone\.png' does not exist"):
        load_coco(path, tmp_path / "img")
    with pytest.warns(UserWarning, match="gone.png"):
        data = load_coco(path, tmp_path / "img", skip_bad=True)
    assert len(data) == 1 and "skipped" in data.problems[0][1]


def test_coco_box_past_the_image_is_clipped_and_reported(tmp_path):
    anns = [{"id": 1, "image_id": 2, "category_id": 1, "bbox": [15, 15, 10, 10]}]
    with pytest.warns(UserWarning, match="clipped"):
        data = load_coco(_coco(tmp_path, anns=anns), tmp_path / "img", limit=2)
    assert data[1].boxes.coords.tolist() == [[15, 15, 20, 20]]


# -- YOLO --------------------------------------------------------------------------------
def _yolo(tmp_path, lines, names="names:\n  0: car\n  1: dog\n"):
    _png(tmp_path / "images" / "train" / "a.png", 40, 20)
    _png(tmp_path / "images" / "train" / "b.png", 10, 10)  # no label file: no objects
    (tmp_path / "labels" / "train").mkdir(parents=True)
    (tmp_path / "labels" / "train" / "a.txt").write_text(lines)
    if names:
        (tmp_path / "data.yaml").write_text("path: .\ntrain: images/train\n" + names)
    return tmp_path


def test_yolo_boxes_polygons_and_names(tmp_path):
    root = _yolo(tmp_path, "1 0.25 0.5 0.25 0.5\n\n0 0.5 0.25 0.75 0.25 0.75 0.75 0.5 0.75\n")
    data = load_yolo(root)
    assert data.class_names == ["car", "dog"] and len(data) == 2 and data.problems == []
    a = data[0]
    assert a.boxes.labels == ("dog", "car")
    assert a.boxes.coords.tolist() == [[5, 5, 15, 15], [20, 5, 30, 15]]
    assert set(np.unique(a.masks).tolist()) == {0, 2}  # only the polygon has a mask
    ys, xs = np.nonzero(a.masks == 2)
    assert (xs.min(), xs.max() + 1, ys.min(), ys.max() + 1) == (20, 30, 5, 15)
    assert len(data[1].boxes) == 0 and data[1].masks is None


@pytest.mark.parametrize("names", ["names: [car, dog]\n", "names:\n  - car\n  - dog\n"])
def test_yolo_names_forms(tmp_path, names):
    assert load_yolo(_yolo(tmp_path, "0 0.5 0.5 0.2 0.2\n", names)).class_names == ["car", "dog"]


def test_yolo_without_names_counts_classes(tmp_path):
    data = load_yolo(_yolo(tmp_path, "2 0.5 0.5 0.2 0.2\n", names=""))
    assert data.class_names == ["0", "1", "2"] and data[0].boxes.labels == ("2",)


@pytest.mark.parametrize(("line", "message"), [
    ("0 0.5 0.5 0.2\n", r"a\.txt line 1: '0 0.5 0.5 0.2' has 4 fields; allowed: 'class cx cy w h'"),
    ("0 0.5 0.5 0.2 0.2\nx 1 2 3 4\n", r"a\.txt line 2: 'x 1 2 3 4' is not numbers"),
    ("0 12 10 4 4\n", r"line 1: '0 12 10 4 4': YOLO values are fractions .* look like pixels"),
    ("5 0.5 0.5 0.2 0.2\n", r"a\.txt: class 5 is not one of the 2 classes \(car, dog\)"),
    ("0 nan 0.5 0.2 0.2\n", "NaN"),
])
def test_broken_yolo_lines_name_file_and_line(tmp_path, line, message):
    root = _yolo(tmp_path, line)
    with pytest.raises(InputError, match=message):
        load_yolo(root)
    with pytest.warns(UserWarning, match="skipped"):
        data = load_yolo(root, skip_bad=True)
    assert len(data) == 1 and data.paths[0].name == "b.png"


def test_yolo_zero_size_box_is_left_out_and_reported(tmp_path):
    with pytest.warns(UserWarning, match="zero or negative size"):
        data = load_yolo(_yolo(tmp_path, "0 0.5 0.5 0 0.2\n1 0.5 0.5 0.2 0.2\n"))
    assert data[0].boxes.labels == ("dog",)


# -- VOC ---------------------------------------------------------------------------------
_VOC = """<annotation>
  <filename>{name}</filename>
  <size><width>40</width><height>30</height><depth>3</depth></size>
  <object><name>dog</name><difficult>0</difficult>
    <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>5</ymax></bndbox></object>
  <object><name>cat</name><difficult>1</difficult>
    <bndbox><xmin>21</xmin><ymin>11</ymin><xmax>40</xmax><ymax>30</ymax></bndbox></object>
</annotation>
"""


def _voc(tmp_path, text=None):
    _png(tmp_path / "JPEGImages" / "a.png", 40, 30)
    (tmp_path / "Annotations").mkdir()
    (tmp_path / "Annotations" / "a.xml").write_text(text if text is not None else _VOC.format(name="a.png"))
    return tmp_path


def test_voc_one_based_corners_become_pixel_edges(tmp_path):
    data = load_voc(_voc(tmp_path))
    assert data.class_names == ["cat", "dog"] and data.problems == []
    assert data[0].boxes.labels == ("dog", "cat")
    assert data[0].boxes.coords.tolist() == [[0, 0, 10, 5], [20, 10, 40, 30]]
    assert load_voc(tmp_path, include_difficult=False)[0].boxes.labels == ("dog",)


def test_voc_size_zero_means_unknown(tmp_path):
    text = _VOC.format(name="a.png").replace("<width>40", "<width>0").replace("<height>30", "<height>0")
    assert len(load_voc(_voc(tmp_path, text))[0].boxes) == 2


@pytest.mark.parametrize(("text", "message"), [
    ("<annotation><filename>a.png</filename><object>", r"a\.xml line 1, column \d+: not well-formed XML"),
    ("<foo/>", r"a\.xml: the root element is <foo>; allowed: <annotation>"),
    (_VOC.format(name="a.png").replace("<xmax>10</xmax>", "<xmax>ten</xmax>"),
     r"<object> 1/bndbox/xmax is 'ten'; allowed: a number"),
    (_VOC.format(name="a.png").replace("<bndbox><xmin>1", "<box><xmin>1").replace(
        "5</ymax></bndbox>", "5</ymax></box>"), r"<object> 1 \(dog\) has no <bndbox>"),
    (_VOC.format(name="zz.png"), r"image .*zz\.png' does not exist"),
    (_VOC.format(name="a.png").replace("<width>40", "<width>41"), r"<size> says 41×30 but a\.png is 40×30"),
])
def test_broken_voc_files_name_file_and_problem(tmp_path, text, message):
    root = _voc(tmp_path, text)
    with pytest.raises(InputError, match=message):
        load_voc(root)


def test_voc_refuses_entity_declarations(tmp_path):
    evil = ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<annotation><filename>&x;</filename></annotation>")
    with pytest.raises(InputError, match="DOCTYPE or ENTITY declaration"):
        load_voc(_voc(tmp_path, evil))


# -- mask folders ------------------------------------------------------------------------
def test_mask_folder_reads_values_as_class_indices(tmp_path):
    _png(tmp_path / "images" / "a.jpg", 8, 6)
    _png(tmp_path / "images" / "lonely.png", 8, 6)
    (tmp_path / "masks").mkdir()
    mask = np.zeros((6, 8), np.uint8)
    mask[1:3, 2:5] = 2
    pal = Image.fromarray(mask, mode="P")
    pal.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0] + [0] * 759)
    pal.save(tmp_path / "masks" / "a_mask.png")
    Image.fromarray(mask).save(tmp_path / "masks" / "orphan.png")
    with pytest.warns(UserWarning, match="2 problem"):
        data = load_mask_folder(tmp_path / "images", tmp_path / "masks", suffix="_mask")
    assert len(data) == 1 and data.class_names == ["0", "1", "2"]
    assert np.array_equal(data[0].masks, mask)  # palette indices, not colours
    reasons = [why for _, why in data.problems]
    assert any("no mask lonely_mask" in r for r in reasons) and any("no image" in r for r in reasons)


def test_mask_folder_bad_masks(tmp_path):
    _png(tmp_path / "images" / "a.png", 8, 6)
    _png(tmp_path / "masks" / "a.png", 8, 6)  # an RGB picture, not a mask
    with pytest.raises(InputError, match=r"a\.png: is a RGB image; allowed: a single-channel mask"):
        load_mask_folder(tmp_path / "images", tmp_path / "masks")
    Image.fromarray(np.zeros((5, 8), np.uint8)).save(tmp_path / "masks" / "a.png")
    with pytest.raises(InputError, match="mask is 8×5 but its image is 8×6"):
        load_mask_folder(tmp_path / "images", tmp_path / "masks")
    Image.fromarray(np.full((6, 8), 3, np.uint8)).save(tmp_path / "masks" / "a.png")
    with pytest.raises(InputError, match="mask value 3 has no class name"):
        load_mask_folder(tmp_path / "images", tmp_path / "masks", class_names=["bg", "cat"])


def test_missing_folders_are_named(tmp_path):
    with pytest.raises(InputError, match=r"YOLO root .* does not exist"):
        load_yolo(tmp_path / "nope")
    with pytest.raises(InputError, match=r"no \.xml annotation files"):
        load_voc(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        load_coco(tmp_path / "x.json", tmp_path)


def test_compressed_rle_of_a_published_example_covers_the_whole_image():
    from augviz.datasets.annotated import _rle_string

    # a 50×70 mask encoded by pycocotools (from a public decoder's documentation)
    counts = ("0g05b08J4M2N2NA^O1`0OCO=0E090H080IO68DH;>@C>a0_O_O`0j0OWOF<:CM72I24NL43JM92FN;1ENKO72L0LO91J0"
              "MO92INO0NO122OO0M031O000NO31OO11MO40N011MO41MO21L06OL021L06OL021L06OL021L060J040L060J040L060J0"
              "40L060J040L060J040L060J040L060KO31L060KO31L06OL021L06OL021L06OL021MO41MO21MO40N100NO310O00M03"
              "10O00NO1220NO92IONO91KOMO72M0<1EO:2GN63KM34OLM73JF<;=1G_O_Ob0=AC`07EH=1IO71H090F0:1DO>1_O1b0>2"
              "N2N3L6H]O")
    runs = _rle_string(counts)
    assert sum(runs) == 50 * 70 and min(runs) >= 0
