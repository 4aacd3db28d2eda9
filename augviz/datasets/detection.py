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

__all__ = ["sample_detection"]

_ROOT = Path(__file__).resolve().parent / "data" / "sample_detection"
N_ITEMS = Int("n", 1, 8, 8, doc="How many of the bundled images to load.")


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
