"""A small bundled detection set: synthetic shapes and a drawn face on crops of the
bundled photos, with boxes, an instance mask and five face landmarks per image.

Made by ``tools/make_sample_detection.py``; ships inside the package (no download).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from augviz.core import InputError, Int

__all__ = ["SEGMENTATION_CLASSES", "sample_detection", "sample_keypoints", "sample_segmentation"]

_ROOT = Path(__file__).resolve().parent / "data" / "sample_detection"
N_ITEMS = Int("n", 1, 8, 8, doc="How many of the bundled images to load.")
#: the classes of :func:`sample_segmentation`'s masks (value = index)
SEGMENTATION_CLASSES = ("background", "face", "circle", "square", "triangle")


def sample_detection(n: int = 8) -> list[Any]:
    """The bundled detection samples as :class:`augviz.image.Sample` objects.

    Eight small images (square and not: 96–160 px a side), each with one face and two or
    three shapes: ``boxes`` labelled ``"face"``, ``"circle"``, ``"square"`` or
    ``"triangle"`` (the envelopes of the drawn pixels), one instance ``mask`` (0
    background, k for the k-th box) and five ``keypoints`` (``left_eye``, ``right_eye``,
    ``nose``, ``mouth_left``, ``mouth_right``; left means the image's left) with the
    left/right ``flip_pairs``.

    Example
    -------
    >>> s = sample_detection()[0]
    >>> s.boxes.labels[0], len(s.keypoints), int(s.masks.max()) == len(s.boxes)
    ('face', 5, True)
    """
    n = N_ITEMS.check_argument(n, where="sample_detection(n=)")
    from augviz.image import Boxes, Keypoints, Sample
    from augviz.image.io import read

    path = _ROOT / "annotations.json"
    if not path.is_file():
        raise InputError(f"the bundled detection set is missing ({path}); reinstall augviz")
    meta = json.loads(path.read_text(encoding="utf-8"))
    pairs = [tuple(p) for p in meta["flip_pairs"]]
    out = []
    for item in meta["items"][:n]:
        image = np.asarray(read(_ROOT / item["image"]))
        mask = np.asarray(read(_ROOT / item["mask"]))
        out.append(Sample(image, masks=mask, boxes=Boxes(item["boxes"], labels=item["labels"]),
                          keypoints=Keypoints(item["keypoints"], labels=meta["keypoint_names"],
                                              flip_pairs=pairs)))
    return out


def sample_segmentation(n: int = 8) -> list[Any]:
    """The bundled images with a semantic mask: each pixel holds the index of its class
    in :data:`SEGMENTATION_CLASSES` (0 background, 1 face, 2 circle, 3 square,
    4 triangle); no boxes or keypoints.

    Example
    -------
    >>> s = sample_segmentation(1)[0]
    >>> sorted(SEGMENTATION_CLASSES[v] for v in set(s.masks.ravel().tolist()))[:2]
    ['background', 'circle']
    """
    n = N_ITEMS.check_argument(n, where="sample_segmentation(n=)")
    out = []
    for s in sample_detection(n):
        # instance k (the k-th box) becomes its label's class index
        lut = np.zeros(256, np.uint8)
        for k, label in enumerate(s.boxes.labels, start=1):
            lut[k] = SEGMENTATION_CLASSES.index(label)
        out.append(s.replace(masks=lut[s.masks], boxes=None, keypoints=None))
    return out


def sample_keypoints(n: int = 8) -> list[Any]:
    """The bundled images with the five face landmarks only (``left_eye``,
    ``right_eye``, ``nose``, ``mouth_left``, ``mouth_right``, left/right flip pairs).

    Example
    -------
    >>> k = sample_keypoints(1)[0].keypoints
    >>> k.labels[:2], k.flip_pairs
    (('left_eye', 'right_eye'), ((0, 1), (3, 4)))
    """
    n = N_ITEMS.check_argument(n, where="sample_keypoints(n=)")
    return [s.replace(masks=None, boxes=None) for s in sample_detection(n)]
