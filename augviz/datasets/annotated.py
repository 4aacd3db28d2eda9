"""A user's annotated images as :class:`augviz.image.Sample` objects: COCO, YOLO and
Pascal VOC detection sets and folders of segmentation masks.

Every loader returns an :class:`AnnotatedSet` (a list of Samples with ``class_names``,
``paths`` and ``problems``). A broken annotation file is an :class:`InputError` naming
the file, the line or JSON path and what is wrong; with ``skip_bad=True`` the image it
belongs to is skipped instead. Routine flaws of real data (a box of zero size, a box
reaching past the image) never stop a load: such boxes are clipped or left out, and
every one is listed in ``problems`` (one ``UserWarning`` says how many).

Box labels are class names (strings). Box coordinates become ``xyxy`` pixel edges
(see :mod:`augviz.image.targets`); VOC's 1-based inclusive corners ``(1, 1, 10, 5)``
become ``(0, 0, 10, 5)``.

The writers (:func:`write_coco`, :func:`write_yolo`, :func:`write_voc`) write Samples
back in the same conventions, so that each loader reads what its writer wrote; every
file is written whole or not at all (a temporary file renamed into place).
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError
from augviz.core.files import atomic_write
from augviz.image.io import EXTENSIONS as IMAGE_EXTENSIONS
from augviz.image.io import open_image

__all__ = [
    "AnnotatedSet",
    "load_coco",
    "load_mask_folder",
    "load_voc",
    "load_yolo",
    "write_coco",
    "write_voc",
    "write_yolo",
]

_MASKS = ("instance", "semantic", None)
_SHOWN = 10


class AnnotatedSet(list):  # type: ignore[type-arg]
    """What the annotation loaders return: a list of :class:`augviz.image.Sample` with

    - ``class_names``: the dataset's classes (box labels and mask values refer to them),
    - ``paths``: the image file of each Sample,
    - ``problems``: ``(where, what)`` for everything left out (a skipped image, a box of
      zero size) or changed (a box clipped to the image),
    - ``format``: ``"coco"``, ``"yolo"``, ``"voc"`` or ``"mask_folder"``.
    """

    def __init__(self, samples: Sequence[Any], class_names: list[str], paths: list[Path],
                 problems: list[tuple[str, str]], format: str) -> None:
        super().__init__(samples)
        self.class_names = class_names
        self.paths = paths
        self.problems = problems
        self.format = format

    def __repr__(self) -> str:
        boxes = sum(len(s.boxes) for s in self if s.boxes is not None)
        extra = f", {len(self.problems)} problems" if self.problems else ""
        return (f"AnnotatedSet({self.format}: {len(self)} samples, {boxes} boxes, "
                f"{len(self.class_names)} classes{extra})")


# -- shared ------------------------------------------------------------------------------
class _Report:
    def __init__(self, skip_bad: bool) -> None:
        self.skip_bad = skip_bad
        self.problems: list[tuple[str, str]] = []

    def note(self, where: Any, what: str) -> None:
        self.problems.append((str(where), what))

    def bad(self, where: Any, what: str) -> None:
        """A broken file: an error, or (``skip_bad``) a skipped image."""
        if not self.skip_bad:
            raise InputError(f"{where}: {what}")
        self.problems.append((str(where), f"skipped: {what}"))

    def warn(self, root: Any) -> None:
        if not self.problems:
            return
        listing = "\n".join(f"  {w}: {p}" for w, p in self.problems[:_SHOWN])
        more = f"\n  … and {len(self.problems) - _SHOWN} more" if len(self.problems) > _SHOWN else ""
        warnings.warn(f"{len(self.problems)} problem(s) loading {root} (result.problems lists them):\n"
                      f"{listing}{more}", UserWarning, stacklevel=3)


def _folder(path: Any, what: str) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise InputError(f"{what} {path!r} is not allowed; allowed: a folder path")
    p = Path(path)
    if not p.is_dir():
        raise InputError(f"{what} {str(p)!r} is not a folder" if p.exists() else
                         f"{what} {str(p)!r} does not exist")
    return p


def _read_rgb(path: Path, report: _Report) -> np.ndarray | None:
    try:
        return np.asarray(open_image(path).convert("RGB"))
    except InputError as exc:
        report.bad(path, str(exc).removeprefix(f"{path}: "))
        return None


def _clip_box(box: list[float], hw: tuple[int, int], where: str, report: _Report) -> list[float] | None:
    """``box`` (xyxy) clipped to the image; ``None`` (noted) when nothing of it is left."""
    x0, y0, x1, y1 = box
    if not all(np.isfinite(box)):
        report.note(where, f"box {box} has NaN or infinite coordinates; left out")
        return None
    if x1 <= x0 or y1 <= y0:
        report.note(where, f"box {_fmt(box)} has zero or negative size; left out")
        return None
    h, w = hw
    c = [min(max(x0, 0.0), w), min(max(y0, 0.0), h), min(max(x1, 0.0), w), min(max(y1, 0.0), h)]
    if c[2] <= c[0] or c[3] <= c[1]:
        report.note(where, f"box {_fmt(box)} is outside the {hw[1]}×{hw[0]} image; left out")
        return None
    if max(abs(a - b) for a, b in zip(c, box, strict=True)) > 0.5:  # sub-pixel overshoot is rounding
        report.note(where, f"box {_fmt(box)} reaches past the {hw[1]}×{hw[0]} image; clipped")
    return c


def _fmt(box: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:g}" for v in box) + "]"


def _sample(image: np.ndarray, boxes: list[list[float]], labels: list[str], masks: Any = None,
            keypoints: Any = None) -> Any:
    from augviz.image import Boxes, Sample

    b = Boxes(np.array(boxes, np.float64).reshape(-1, 4), labels=labels)
    return Sample(image, masks=masks, boxes=b, keypoints=keypoints)


def _polygon_mask(mask: np.ndarray, polygons: Sequence[np.ndarray], value: int) -> None:
    from skimage.draw import polygon

    for p in polygons:
        # the pixels whose centres are inside; vertices are in pixel-edge coordinates
        rr, cc = polygon(p[:, 1] - 0.5, p[:, 0] - 0.5, shape=mask.shape)
        mask[rr, cc] = value


def _mask_dtype(n: int) -> Any:
    return np.uint8 if n < 256 else np.uint16 if n < 65536 else np.int32


# -- COCO --------------------------------------------------------------------------------
def load_coco(annotations_json: str | os.PathLike[str], images_dir: str | os.PathLike[str], *,
              masks: str | None = "instance", keypoints: bool = True, include_crowd: bool = False,
              skip_bad: bool = False, limit: int | None = None) -> AnnotatedSet:
    """Load a COCO detection, segmentation or keypoint set.

    Parameters
    ----------
    annotations_json : path
        The COCO file (``images``, ``annotations``, ``categories``).
    images_dir : path
        Where the ``file_name`` of each image is found.
    masks : {"instance", "semantic", None}
        From the ``segmentation`` polygons or RLE: one mask per image holding ``k`` on
        the pixels of the k-th box (``"instance"``, 0 elsewhere) or the class index + 1
        (``"semantic"``); ``None`` reads no masks.
    keypoints : bool
        Read person keypoints (every annotation's, one after the other, named by the
        category's ``keypoints``; ``left_*``/``right_*`` names become flip pairs).
    include_crowd : bool
        Keep ``iscrowd`` annotations (left out by default, as COCO evaluation does).
    skip_bad : bool
        Skip (and list in ``problems``) an image that is missing or unreadable, or an
        annotation that is malformed, instead of raising.
    limit : int, optional
        Load only the first ``limit`` images.

    Returns
    -------
    AnnotatedSet
        Box labels are category names; ``class_names`` follow the category ids.

    Example
    -------
    >>> data = load_coco("annotations/instances_val.json", "val/")      # doctest: +SKIP
    >>> data[0].boxes.labels, data.class_names[:3]                       # doctest: +SKIP
    """
    if masks not in _MASKS:
        raise InputError(f"masks={masks!r} is not allowed; allowed: 'instance', 'semantic', None")
    if not isinstance(annotations_json, (str, os.PathLike)) or not Path(annotations_json).is_file():
        raise InputError(f"COCO annotations {annotations_json!r}: no such file")
    path = Path(annotations_json)
    images_root = _folder(images_dir, "images_dir")
    report = _Report(skip_bad)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None

    def need(obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            raise InputError(f"{path}: {where} has no {key!r}")
        val = obj[key]
        if not isinstance(val, kind) or isinstance(val, bool):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise InputError(f"{path}: {where}.{key} is {type(val).__name__} {val!r:.60}; allowed: {names}")
        return val

    if not isinstance(doc, dict):
        raise InputError(f"{path}: the top level is a {type(doc).__name__}; allowed: an object with "
                         "'images', 'annotations' and 'categories'")
    cats = need(doc, "categories", list, "$")
    images = need(doc, "images", list, "$")
    anns = doc.get("annotations", [])
    if not isinstance(anns, list):
        raise InputError(f"{path}: $.annotations is {type(anns).__name__}; allowed: a list")
    cat_index: dict[int, int] = {}
    names: list[str] = []
    kp_names: dict[int, list[str]] = {}
    found: dict[int, str] = {}
    for i, c in enumerate(cats):
        cid = need(c, "id", int, f"$.categories[{i}]")
        name = need(c, "name", str, f"$.categories[{i}]")
        if cid in found:
            raise InputError(f"{path}: $.categories[{i}].id {cid} is used twice")
        found[cid] = name
        if isinstance(c.get("keypoints"), list):
            kp_names[cid] = [str(k) for k in c["keypoints"]]
    for cid in sorted(found):  # classes in category id order
        cat_index[cid] = len(names)
        names.append(found[cid])
    class_names = list(names)
    by_image: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for i, a in enumerate(anns):
        where = f"$.annotations[{i}]"
        try:
            img_id = need(a, "image_id", int, where)
            cid = need(a, "category_id", int, where)
            if cid not in cat_index:
                raise InputError(f"{path}: {where}.category_id {cid} is not a category; "
                                 f"known ids: {sorted(cat_index)[:20]}")
            bbox = need(a, "bbox", list, where)
            if len(bbox) != 4 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                         for v in bbox):
                raise InputError(f"{path}: {where}.bbox is {bbox!r:.60}; allowed: [x, y, width, height] "
                                 "numbers")
        except InputError as exc:
            if not skip_bad:
                raise
            report.note(where, f"skipped: {str(exc).removeprefix(f'{path}: ')}")
            continue
        if a.get("iscrowd") and not include_crowd:
            continue
        by_image.setdefault(img_id, []).append((i, a))
    samples, paths = [], []
    count = 0
    for i, im in enumerate(images):
        if limit is not None and count >= limit:
            break
        where = f"$.images[{i}]"
        img_id = need(im, "id", int, where)
        file_name = need(im, "file_name", str, where)
        file = images_root / file_name
        if not file.is_file():
            report.bad(f"{path} {where}", f"image file {str(file)!r} does not exist")
            continue
        arr = _read_rgb(file, report)
        if arr is None:
            continue
        hw = arr.shape[:2]
        if (im.get("height"), im.get("width")) not in ((None, None), hw):
            report.bad(f"{path} {where}", f"says {im.get('width')}×{im.get('height')} but {file_name} is "
                       f"{hw[1]}×{hw[0]}")
            continue
        sample = _coco_sample(arr, by_image.get(img_id, []), cat_index, names, kp_names, masks, keypoints,
                              path, report)
        if sample is None:
            continue
        samples.append(sample)
        paths.append(file)
        count += 1
    report.warn(path)
    return AnnotatedSet(samples, class_names, paths, report.problems, "coco")


def _coco_sample(arr: np.ndarray, anns: list[tuple[int, dict[str, Any]]], cat_index: dict[int, int],
                 names: list[str], kp_names: dict[int, list[str]], masks: str | None, keypoints: bool,
                 path: Path, report: _Report) -> Any:
    from augviz.image import Keypoints

    hw = arr.shape[:2]
    boxes, labels, kept = [], [], []
    for i, a in anns:
        where = f"{path} $.annotations[{i}]"
        x, y, w, h = (float(v) for v in a["bbox"])
        box = _clip_box([x, y, x + w, y + h], hw, where, report)
        if box is None:
            continue
        boxes.append(box)
        labels.append(names[cat_index[a["category_id"]]])
        kept.append((i, a))
    mask = None
    if masks is not None:
        mask = np.zeros(hw, _mask_dtype(len(kept) + 1 if masks == "instance" else len(names) + 1))
        for k, (i, a) in enumerate(kept, start=1):
            value = k if masks == "instance" else cat_index[a["category_id"]] + 1
            seg = a.get("segmentation")
            if seg is None or seg == []:
                continue
            try:
                _coco_segmentation(mask, seg, value, hw)
            except InputError as exc:
                report.bad(f"{path} $.annotations[{i}].segmentation", str(exc))
                return None
    points = None
    if keypoints and any("keypoints" in a for _, a in kept):
        xy, vis, kp_labels, pairs = [], [], [], []
        for i, a in kept:
            if "keypoints" not in a:  # a cat among people: no keypoints of its own
                continue
            kp = a["keypoints"]
            names_k = kp_names.get(a["category_id"], [])
            if not isinstance(kp, list) or len(kp) % 3 or (names_k and len(kp) != 3 * len(names_k)):
                report.bad(f"{path} $.annotations[{i}].keypoints",
                           f"has {len(kp) if isinstance(kp, list) else type(kp).__name__} values; allowed: "
                           f"x, y, v for each of the {len(names_k)} keypoints of the category")
                return None
            base = len(xy)
            triples = np.array(kp, np.float64).reshape(-1, 3)
            # COCO keypoints are pixel indices (integers in 0 … W-1), our pixel centres as is
            xy.extend(triples[:, :2].tolist())
            vis.extend((triples[:, 2] > 0).tolist())
            names_k = names_k or [str(j) for j in range(len(triples))]
            kp_labels.extend(names_k)
            pairs.extend((base + p, base + q) for p, q in _lr_pairs(names_k))
        hidden = ~np.array(vis, bool)
        xy_arr = np.array(xy, np.float64).reshape(-1, 2)
        xy_arr[hidden] = -1.0  # unlabelled: placed outside the frame, flag cleared
        points = Keypoints(xy_arr, labels=kp_labels, flip_pairs=pairs, visible=~hidden)
    return _sample(arr, boxes, labels, mask, points)


def _lr_pairs(names: Sequence[str]) -> list[tuple[int, int]]:
    index = {n: i for i, n in enumerate(names)}
    out = []
    for i, n in enumerate(names):
        for left, right in (("left_", "right_"), ("left", "right"), ("l_", "r_")):
            if n.startswith(left) and right + n[len(left):] in index:
                out.append((i, index[right + n[len(left):]]))
                break
    return out


def _coco_segmentation(mask: np.ndarray, seg: Any, value: int, hw: tuple[int, int]) -> None:
    if isinstance(seg, list):
        polys = []
        for j, p in enumerate(seg):
            if not isinstance(p, list) or len(p) < 6 or len(p) % 2:
                raise InputError(f"polygon {j} has {len(p) if isinstance(p, list) else type(p).__name__} "
                                 "values; allowed: x1, y1, x2, y2, … (at least 3 points)")
            polys.append(np.array(p, np.float64).reshape(-1, 2))
        _polygon_mask(mask, polys, value)
        return
    if isinstance(seg, dict) and "counts" in seg and "size" in seg:
        if list(seg["size"]) != [hw[0], hw[1]]:
            raise InputError(f"RLE size {seg['size']} differs from the image's [{hw[0]}, {hw[1]}]")
        counts = seg["counts"]
        runs = _rle_string(counts) if isinstance(counts, str) else list(counts)
        flat = np.zeros(hw[0] * hw[1], bool)
        pos, on = 0, False
        for r in runs:
            if r < 0 or pos + r > flat.size:
                raise InputError(f"RLE counts run past the {hw[0]}×{hw[1]} image")
            if on:
                flat[pos:pos + r] = True
            pos += r
            on = not on
        mask[flat.reshape(hw[1], hw[0]).T] = value  # COCO RLE runs down the columns
        return
    raise InputError(f"is a {type(seg).__name__}; allowed: a list of polygons or an RLE "
                     "{'counts': …, 'size': [h, w]}")


def _rle_string(s: str) -> list[int]:
    """Decode COCO's compressed RLE string (the format of pycocotools' ``maskApi.c``)."""
    counts: list[int] = []
    p = 0
    while p < len(s):
        x, k, more = 0, 0, True
        while more:
            c = ord(s[p]) - 48
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
            if more and p >= len(s):
                raise InputError("RLE counts string ends in the middle of a number")
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


# -- YOLO --------------------------------------------------------------------------------
def _yolo_names(root: Path, names: Sequence[str] | None) -> list[str] | None:
    if names is not None:
        if isinstance(names, str) or not all(isinstance(n, str) for n in names):
            raise InputError(f"names={names!r} is not allowed; allowed: a list of class names")
        return list(names)
    for file in ("classes.txt", "obj.names"):
        if (root / file).is_file():
            return [line.strip() for line in (root / file).read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    for file in ("data.yaml", "dataset.yaml", "data.yml"):
        if (root / file).is_file():
            return _yaml_names(root / file)
    return None


def _yaml_names(path: Path) -> list[str] | None:
    """The ``names:`` of a YOLO data file: ``[a, b]``, ``- a`` lines or ``0: a`` lines
    (the three forms these files use; no YAML library needed)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^names\s*:\s*(.*)$", line)
        if not m:
            continue
        rest = m.group(1).split(" #")[0].strip()
        if rest.startswith("["):
            if not rest.endswith("]"):
                raise InputError(f"{path} line {i + 1}: names list does not close on its line")
            return [n.strip().strip("'\"") for n in rest[1:-1].split(",") if n.strip()]
        if rest:
            raise InputError(f"{path} line {i + 1}: names: {rest!r}; allowed: a [list] or indented lines")
        out: dict[int, str] = {}
        for j, item in enumerate(lines[i + 1:], start=i + 2):
            if not item.strip() or item.strip().startswith("#"):
                continue
            if not item.startswith((" ", "\t")):
                break
            item = item.strip()
            if item.startswith("- "):
                out[len(out)] = item[2:].strip().strip("'\"")
            elif re.match(r"^\d+\s*:", item):
                k, v = item.split(":", 1)
                out[int(k)] = v.strip().strip("'\"")
            else:
                raise InputError(f"{path} line {j}: {item!r} is not a class name entry; allowed: "
                                 "'- name' or '<index>: name'")
        if sorted(out) != list(range(len(out))):
            raise InputError(f"{path}: names indices {sorted(out)} are not 0, 1, 2, …")
        return [out[k] for k in range(len(out))]
    return None


def _image_files(folder: Path) -> list[Path]:
    exts = tuple(IMAGE_EXTENSIONS)
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames)
                   if not f.startswith(".") and f.lower().endswith(exts))
    return out


def load_yolo(root: str | os.PathLike[str], *, names: Sequence[str] | None = None, masks: bool = True,
              skip_bad: bool = False, limit: int | None = None) -> AnnotatedSet:
    """Load a YOLO detection (or polygon segmentation) set.

    The layout is ``root/images/…/x.jpg`` with ``root/labels/…/x.txt`` (the same sub
    folders, e.g. ``train``/``val``), or images and ``.txt`` files side by side in
    ``root``. Each line is ``class cx cy w h`` (fractions of the image size) or
    ``class x1 y1 x2 y2 …`` (a polygon, fractions too). An image without a ``.txt`` has
    no objects. Class names come from ``names``, else ``classes.txt`` / ``obj.names``
    (one per line) or the ``names:`` of ``data.yaml``, else ``"0"``, ``"1"``, ….

    Parameters
    ----------
    masks : bool
        Polygons also give an instance mask (``k`` on the k-th box's pixels).
    skip_bad, limit
        As in :func:`load_coco`.

    Example
    -------
    >>> data = load_yolo("my_yolo_set")                    # doctest: +SKIP
    >>> data[0].boxes.to_xyxy(data[0].shape)               # doctest: +SKIP
    """
    base = _folder(root, "YOLO root")
    report = _Report(skip_bad)
    class_names = _yolo_names(base, names)
    images_dir = base / "images" if (base / "images").is_dir() else base
    labels_dir = base / "labels" if (base / "labels").is_dir() else images_dir
    files = _image_files(images_dir)
    if not files:
        raise InputError(f"no image files under {str(images_dir)!r}")
    parsed: list[tuple[Path, np.ndarray, list[tuple[int, list[float]]]]] = []
    top = -1
    for file in files:
        if limit is not None and len(parsed) >= limit:
            break
        txt = (labels_dir / file.relative_to(images_dir)).with_suffix(".txt")
        objects = _yolo_lines(txt, report) if txt.is_file() else []
        if objects is None:
            continue
        arr = _read_rgb(file, report)
        if arr is None:
            continue
        parsed.append((file, arr, objects))
        top = max([top, *(c for c, _ in objects)])
    if class_names is None:
        class_names = [str(k) for k in range(top + 1)]
    samples, paths = [], []
    for file, arr, objects in parsed:
        txt = (labels_dir / file.relative_to(images_dir)).with_suffix(".txt")
        bad = next((c for c, _ in objects if c >= len(class_names)), None)
        if bad is not None:
            report.bad(txt, f"class {bad} is not one of the {len(class_names)} classes "
                       f"({', '.join(class_names[:10])})")
            continue
        h, w = arr.shape[:2]
        boxes, labels, polys = [], [], []
        for line_no, (c, vals) in enumerate(objects, start=1):
            where = f"{txt} object {line_no}"
            if len(vals) == 4:
                cx, cy, bw, bh = vals
                box = [(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h]
                poly = None
            else:
                poly = np.array(vals, np.float64).reshape(-1, 2) * (w, h)
                box = [*poly.min(axis=0).tolist(), *poly.max(axis=0).tolist()]
            clipped = _clip_box(box, (h, w), where, report)
            if clipped is None:
                continue
            boxes.append(clipped)
            labels.append(class_names[c])
            polys.append(poly)
        mask = None
        if masks and any(p is not None for p in polys):
            mask = np.zeros((h, w), _mask_dtype(len(polys) + 1))
            for k, p in enumerate(polys, start=1):
                if p is not None:
                    _polygon_mask(mask, [p], k)
        samples.append(_sample(arr, boxes, labels, mask))
        paths.append(file)
    report.warn(base)
    return AnnotatedSet(samples, class_names, paths, report.problems, "yolo")


def _yolo_lines(txt: Path, report: _Report) -> list[tuple[int, list[float]]] | None:
    out = []
    try:
        text = txt.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.bad(txt, f"not UTF-8 text ({exc.reason})")
        return None
    for n, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        where = f"{txt} line {n}"
        try:
            c = int(fields[0])
            vals = [float(v) for v in fields[1:]]
        except ValueError:
            report.bad(where, f"{line.strip()!r} is not numbers; allowed: 'class cx cy w h' with an "
                       "integer class")
            return None
        if c < 0 or len(vals) < 4 or (len(vals) > 4 and (len(vals) % 2 or len(vals) < 6)):
            report.bad(where, f"{line.strip()!r} has {len(fields)} fields; allowed: 'class cx cy w h' "
                       "(5 fields) or 'class x1 y1 x2 y2 x3 y3 …' (a polygon)" if c >= 0 else
                       f"{line.strip()!r}: class {c} is negative")
            return None
        if not all(np.isfinite(vals)):
            report.bad(where, f"{line.strip()!r} has NaN or infinite values")
            return None
        if len(vals) == 4 and (vals[2] <= 0 or vals[3] <= 0):
            report.note(where, f"box {_fmt(vals)} has zero or negative size; left out")
            continue
        if min(vals) < -0.01 or max(vals) > 1.01:
            report.bad(where, f"{line.strip()!r}: YOLO values are fractions of the image size "
                       "(0 to 1); these look like pixels")
            return None
        out.append((c, vals))
    return out


# -- Pascal VOC --------------------------------------------------------------------------
def _parse_xml(path: Path) -> Any:
    from xml.etree import ElementTree

    raw = path.read_bytes()
    # no DTDs: they carry entity declarations (external files, exponential expansion)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise InputError(f"{path}: has a DOCTYPE or ENTITY declaration; allowed: plain XML "
                         "(declarations are refused for safety)")
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        line, col = exc.position
        raise InputError(f"{path} line {line}, column {col + 1}: not well-formed XML") from None


def load_voc(root: str | os.PathLike[str], *, include_difficult: bool = True, skip_bad: bool = False,
             limit: int | None = None) -> AnnotatedSet:
    """Load a Pascal VOC detection set.

    The layout is ``root/Annotations/*.xml`` with ``root/JPEGImages/`` (the images
    named by each file's ``<filename>``), or XML files beside their images in ``root``.
    VOC corners are 1-based and inclusive: ``<xmin>1</xmin>…<xmax>10</xmax>`` covers the
    first ten columns, the box ``(0, …, 10, …)`` in pixel edges. Class names are the
    ``<name>`` values met, sorted.

    Parameters
    ----------
    include_difficult : bool
        Keep objects marked ``<difficult>1</difficult>``.
    skip_bad, limit
        As in :func:`load_coco`.

    Example
    -------
    >>> data = load_voc("VOCdevkit/VOC2012", limit=20)       # doctest: +SKIP
    """
    base = _folder(root, "VOC root")
    report = _Report(skip_bad)
    ann_dir = base / "Annotations" if (base / "Annotations").is_dir() else base
    img_dir = base / "JPEGImages" if (base / "JPEGImages").is_dir() else ann_dir
    xmls = sorted(p for p in ann_dir.glob("*.xml") if not p.name.startswith("."))
    if not xmls:
        raise InputError(f"no .xml annotation files in {str(ann_dir)!r}")
    loaded = []
    for xml in xmls:
        if limit is not None and len(loaded) >= limit:
            break
        try:
            objects, file_name, size = _voc_objects(xml, include_difficult)
        except InputError as exc:
            report.bad(xml, str(exc).removeprefix(f"{xml}: "))
            continue
        file = img_dir / file_name
        if not file.is_file():
            report.bad(xml, f"image {str(img_dir / file_name)!r} does not exist")
            continue
        arr = _read_rgb(file, report)
        if arr is None:
            continue
        if size is not None and size != arr.shape[:2]:
            report.bad(xml, f"<size> says {size[1]}×{size[0]} but {file.name} is "
                       f"{arr.shape[1]}×{arr.shape[0]}")
            continue
        loaded.append((xml, file, arr, objects))
    class_names = sorted({name for *_, objects in loaded for name, _, _ in objects})
    samples, paths = [], []
    for xml, file, arr, objects in loaded:
        boxes, labels = [], []
        for name, box, where in objects:
            clipped = _clip_box(box, arr.shape[:2], f"{xml} {where}", report)
            if clipped is not None:
                boxes.append(clipped)
                labels.append(name)
        samples.append(_sample(arr, boxes, labels))
        paths.append(file)
    report.warn(base)
    return AnnotatedSet(samples, class_names, paths, report.problems, "voc")


def _voc_objects(xml: Path, include_difficult: bool
                 ) -> tuple[list[tuple[str, list[float], str]], str, tuple[int, int] | None]:
    root = _parse_xml(xml)
    if root.tag != "annotation":
        raise InputError(f"{xml}: the root element is <{root.tag}>; allowed: <annotation>")

    def text(el: Any, tag: str, where: str) -> str:
        child = el.find(tag)
        if child is None or child.text is None or not child.text.strip():
            raise InputError(f"{xml}: {where} has no <{tag}>")
        return child.text.strip()

    def number(el: Any, tag: str, where: str) -> float:
        raw = text(el, tag, where)
        try:
            return float(raw)
        except ValueError:
            raise InputError(f"{xml}: {where}/{tag} is {raw!r}; allowed: a number") from None

    file_name = text(root, "filename", "<annotation>")
    size = None
    size_el = root.find("size")
    if size_el is not None:
        size = (int(number(size_el, "height", "<size>")), int(number(size_el, "width", "<size>")))
        if 0 in size:  # some tools write 0 × 0 when they did not know
            size = None
    objects = []
    for k, obj in enumerate(root.findall("object"), start=1):
        where = f"<object> {k}"
        name = text(obj, "name", where)
        diff = obj.find("difficult")
        if not include_difficult and diff is not None and (diff.text or "").strip() == "1":
            continue
        bnd = obj.find("bndbox")
        if bnd is None:
            raise InputError(f"{xml}: {where} ({name}) has no <bndbox>")
        vals = [number(bnd, t, f"{where}/bndbox") for t in ("xmin", "ymin", "xmax", "ymax")]
        objects.append((name, [vals[0] - 1, vals[1] - 1, vals[2], vals[3]], where))
    return objects, file_name, size


# -- mask folders ------------------------------------------------------------------------
def load_mask_folder(images_dir: str | os.PathLike[str], masks_dir: str | os.PathLike[str], *,
                     class_names: Sequence[str] | None = None, suffix: str = "",
                     skip_bad: bool = False, limit: int | None = None) -> AnnotatedSet:
    """Load images with their segmentation masks (one mask image per image, same stem).

    A mask is a single-channel image (grey ``L``, palette ``P`` as in VOC's
    ``SegmentationClass``, or 16-bit) whose pixel values are class indices, read
    without any colour conversion. Images without a mask and masks without an image
    are listed in ``problems``.

    Parameters
    ----------
    images_dir, masks_dir : path
    class_names : list of str, optional
        ``class_names[v]`` names mask value ``v``; default: ``"0"``, ``"1"``, … up to
        the largest value met.
    suffix : str
        What the mask's stem adds to the image's: ``"_mask"`` pairs ``a.jpg`` with
        ``a_mask.png``.
    skip_bad, limit
        As in :func:`load_coco` (a colour mask, a mask of another size than its image or
        an unreadable file).

    Example
    -------
    >>> data = load_mask_folder("images", "masks", class_names=["background", "cat"])  # doctest: +SKIP
    """
    images_root = _folder(images_dir, "images_dir")
    masks_root = _folder(masks_dir, "masks_dir")
    if not isinstance(suffix, str):
        raise InputError(f"suffix={suffix!r} is not allowed; allowed: a string")
    if class_names is not None and (isinstance(class_names, str)
                                    or not all(isinstance(n, str) for n in class_names)):
        raise InputError(f"class_names={class_names!r} is not allowed; allowed: a list of strings")
    report = _Report(skip_bad)
    mask_files = {p.relative_to(masks_root).with_suffix("").as_posix(): p for p in _image_files(masks_root)}
    used: set[str] = set()
    loaded = []
    top = 0
    for file in _image_files(images_root):
        if limit is not None and len(loaded) >= limit:
            break
        key = file.relative_to(images_root).with_suffix("").as_posix() + suffix
        mfile = mask_files.get(key)
        if mfile is None:
            report.note(file, f"no mask {key}.* in {masks_root}; image left out")
            continue
        used.add(key)
        arr = _read_rgb(file, report)
        if arr is None:
            continue
        mask = _read_mask(mfile, arr.shape[:2], report)
        if mask is None:
            continue
        if mask.size:
            top = max(top, int(mask.max()))
        loaded.append((file, arr, mask))
    if limit is None:
        for key, mfile in sorted(mask_files.items()):
            if key not in used:
                report.note(mfile, "no image for this mask; left out")
    if not loaded:
        raise InputError(f"no image in {str(images_root)!r} has a mask in {str(masks_root)!r}"
                         + (f" (first problem: {report.problems[0][0]}: {report.problems[0][1]})"
                            if report.problems else ""))
    names = list(class_names) if class_names is not None else [str(v) for v in range(top + 1)]
    samples, paths = [], []
    from augviz.image import Sample

    for file, arr, mask in loaded:
        if int(mask.max()) >= len(names):
            report.bad(file, f"mask value {int(mask.max())} has no class name ({len(names)} given)")
            continue
        samples.append(Sample(arr, masks=mask))
        paths.append(file)
    report.warn(images_root)
    return AnnotatedSet(samples, names, paths, report.problems, "mask_folder")


def _read_mask(path: Path, hw: tuple[int, int], report: _Report) -> np.ndarray | None:
    from PIL import Image

    try:
        with Image.open(path) as im:
            mode = im.mode
            if mode not in ("L", "P", "I", "I;16", "I;16B", "I;16L", "1"):
                report.bad(path, f"is a {mode} image; allowed: a single-channel mask (L, P or 16-bit) "
                           "whose values are class indices")
                return None
            arr = np.asarray(im)
    except Exception as exc:  # any decoder failure means a bad file
        report.bad(path, f"not a readable image ({type(exc).__name__}: {exc})")
        return None
    if arr.shape != hw:
        report.bad(path, f"mask is {arr.shape[1]}×{arr.shape[0]} but its image is {hw[1]}×{hw[0]}")
        return None
    if arr.dtype == bool:
        return arr.astype(np.uint8)
    if arr.dtype.kind == "i" or arr.dtype.byteorder not in ("=", "|"):
        arr = arr.astype(np.int32 if arr.max() > 65535 else np.uint16)
    return np.ascontiguousarray(arr)



# -- writers -----------------------------------------------------------------------------
def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, overwrite=True) as fh:
        fh.write(text.encode("utf-8"))


def _boxes_xyxy(sample: Any) -> tuple[np.ndarray, list[Any]]:
    if sample.boxes is None:
        return np.zeros((0, 4)), []
    boxes = sample.boxes
    labels = list(boxes.labels) if boxes.labels is not None else [None] * len(boxes)
    return boxes.to_xyxy(sample.shape), labels


def _class_of(label: Any, class_names: Sequence[str], where: str) -> int:
    if label not in class_names:
        raise InputError(f"{where}: box label {label!r} is not one of the class names "
                         f"({', '.join(map(str, class_names[:10]))})")
    return list(class_names).index(label)


def _num(v: float) -> float:
    return round(float(v), 3) + 0.0  # no -0.0


def _rle(binary: np.ndarray) -> dict[str, Any]:
    """COCO's uncompressed RLE (runs down the columns, starting with a run of 0s)."""
    flat = binary.T.reshape(-1).astype(np.int8)
    change = np.flatnonzero(np.diff(flat)) + 1
    edges = np.concatenate([[0], change, [flat.size]])
    runs = np.diff(edges).tolist()
    if flat.size and flat[0]:
        runs = [0, *runs]
    return {"counts": runs, "size": [int(binary.shape[0]), int(binary.shape[1])]}


def write_coco(path: str | os.PathLike[str], samples: Sequence[Any], file_names: Sequence[str],
               class_names: Sequence[str], *, categories: Sequence[dict[str, Any]] | None = None,
               keypoints_per_box: int = 0) -> None:
    """Write Samples as a COCO annotation file (what :func:`load_coco` reads).

    Parameters
    ----------
    path : path
        The JSON file to write (replaced whole).
    samples, file_names
        One Sample and its image's ``file_name`` (relative to the images folder) each.
    class_names : sequence of str
        Box labels are class names; a label that is not one is an :class:`InputError`.
    categories : list of dict, optional
        The COCO categories to write (ids, names, keypoint names); by default one per
        class name with ids 1, 2, …
    keypoints_per_box : int
        When > 0 and a Sample has that many keypoints for each of its boxes (in box
        order, as :func:`load_coco` reads a person set), each box's annotation gets its
        points (``v`` = 2 when visible, else the point is written as ``0, 0, 0``).

    A Sample's first mask, when it holds ``k`` on the k-th box's pixels (an instance
    mask, as :func:`load_coco` reads one), becomes each box's ``segmentation`` (RLE).

    Example
    -------
    >>> write_coco("out/annotations.json", data, [p.name for p in data.paths],
    ...            data.class_names)                                       # doctest: +SKIP
    """
    if len(samples) != len(file_names):
        raise InputError(f"write_coco: {len(samples)} samples but {len(file_names)} file names")
    if categories is None:
        categories = [{"id": i + 1, "name": n} for i, n in enumerate(class_names)]
    by_name = {c["name"]: c["id"] for c in categories}
    images, anns = [], []
    for i, (sample, name) in enumerate(zip(samples, file_names, strict=True), start=1):
        h, w = sample.shape
        images.append({"id": i, "file_name": str(name), "width": int(w), "height": int(h)})
        xyxy, labels = _boxes_xyxy(sample)
        masks = sample.mask_list()
        instance = masks[0] if masks and int(masks[0].max(initial=0)) <= len(xyxy) else None
        kp = sample.keypoints
        per_box = (keypoints_per_box if keypoints_per_box > 0 and kp is not None
                   and len(kp) == keypoints_per_box * len(xyxy) else 0)
        for k, (box, label) in enumerate(zip(xyxy, labels, strict=True)):
            if label not in by_name:
                raise InputError(f"write_coco: {name} box {k}: label {label!r} is not a category "
                                 f"({', '.join(map(str, list(by_name)[:10]))})")
            x0, y0, x1, y1 = (_num(v) for v in box)
            ann: dict[str, Any] = {"id": len(anns) + 1, "image_id": i, "category_id": by_name[label],
                                   "bbox": [x0, y0, _num(x1 - x0), _num(y1 - y0)],
                                   "area": _num((x1 - x0) * (y1 - y0)), "iscrowd": 0}
            if instance is not None:
                ann["segmentation"] = _rle(instance == k + 1)
            if per_box:
                pts = slice(k * per_box, (k + 1) * per_box)
                triples: list[float] = []
                for (x, y), v in zip(kp.xy[pts], kp.visible[pts], strict=True):
                    triples += [_num(x), _num(y), 2] if v else [0, 0, 0]
                ann["keypoints"] = triples
                ann["num_keypoints"] = int(kp.visible[pts].sum())
            anns.append(ann)
    doc = {"images": images, "annotations": anns, "categories": list(categories)}
    _write_text(Path(path), json.dumps(doc, ensure_ascii=False) + "\n")


def write_yolo(labels_dir: str | os.PathLike[str], samples: Sequence[Any], names: Sequence[str],
               class_names: Sequence[str]) -> None:
    """Write Samples as YOLO label files (what :func:`load_yolo` reads): for each Sample
    ``labels_dir/<name>.txt`` (``name`` is its image's path relative to the images
    folder; the suffix becomes ``.txt``), one ``class cx cy w h`` line per box, in
    fractions of the image size. Box labels are class names.

    Example
    -------
    >>> write_yolo("out/labels", data, ["a.jpg"], data.class_names)   # doctest: +SKIP
    """
    if len(samples) != len(names):
        raise InputError(f"write_yolo: {len(samples)} samples but {len(names)} names")
    root = Path(labels_dir)
    for sample, name in zip(samples, names, strict=True):
        h, w = sample.shape
        xyxy, labels = _boxes_xyxy(sample)
        lines = []
        for k, (box, label) in enumerate(zip(xyxy, labels, strict=True)):
            c = _class_of(label, class_names, f"write_yolo: {name} box {k}")
            x0, y0, x1, y1 = box
            vals = ((x0 + x1) / 2 / w, (y0 + y1) / 2 / h, (x1 - x0) / w, (y1 - y0) / h)
            lines.append(f"{c} " + " ".join(f"{v:.6f}" for v in vals))
        _write_text((root / name).with_suffix(".txt"), "".join(line + "\n" for line in lines))


def write_voc(annotations_dir: str | os.PathLike[str], samples: Sequence[Any], file_names: Sequence[str]
              ) -> None:
    """Write Samples as Pascal VOC XML files (what :func:`load_voc` reads): for each
    Sample ``annotations_dir/<stem>.xml`` naming ``file_name``, with its ``<size>`` and one
    ``<object>`` per box (its label as ``<name>``; 1-based inclusive corners: the
    pixel-edge box ``(0, 0, 10, 5)`` is written ``1, 1, 10, 5``).

    Example
    -------
    >>> write_voc("out/Annotations", data, [p.name for p in data.paths])   # doctest: +SKIP
    """
    from xml.sax.saxutils import escape

    if len(samples) != len(file_names):
        raise InputError(f"write_voc: {len(samples)} samples but {len(file_names)} file names")
    root = Path(annotations_dir)
    for sample, name in zip(samples, file_names, strict=True):
        h, w = sample.shape
        depth = 1 if np.ndim(sample.image) == 2 else int(np.shape(sample.image)[2])
        xyxy, labels = _boxes_xyxy(sample)
        objects = "".join(
            f"  <object>\n    <name>{escape(str(label))}</name>\n    <difficult>0</difficult>\n"
            f"    <bndbox>\n      <xmin>{_num(x0 + 1):g}</xmin>\n      <ymin>{_num(y0 + 1):g}</ymin>\n"
            f"      <xmax>{_num(x1):g}</xmax>\n      <ymax>{_num(y1):g}</ymax>\n    </bndbox>\n  </object>\n"
            for (x0, y0, x1, y1), label in zip(xyxy, labels, strict=True)
        )
        text = (f"<annotation>\n  <filename>{escape(Path(name).name)}</filename>\n"
                f"  <size>\n    <width>{w}</width>\n    <height>{h}</height>\n    <depth>{depth}</depth>\n"
                f"  </size>\n{objects}</annotation>\n")
        _write_text(root / Path(name).with_suffix(".xml").name, text)
