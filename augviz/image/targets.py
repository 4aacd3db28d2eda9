"""Targets that follow the image: masks, boxes and keypoints travel in a :class:`Sample`.

Coordinates
-----------
Boxes use pixel *edges*: a box ``(0, 0, 10, 5)`` in ``xyxy`` covers the pixels of
columns 0–9 and rows 0–4 (the convention of COCO, VOC and albumentations). Keypoints use
pixel *centres*: ``(3, 2)`` marks the pixel in column 3, row 2 (as the geometry hook and
albumentations' keypoints do). ``yolo`` boxes are ``cx, cy, w, h`` as fractions of the
width and height.

Every transform that moves pixels moves the targets by the same move (one 3×3 matrix from
``geometry``, or the per-pixel source map from ``point_map``): masks with nearest
interpolation (values are never blended) and ``mask_fill`` where the frame brings in
nothing; boxes by their corners (or, for a warp field, by the pixels they cover), then
enveloped, clipped and dropped with their labels when too little stays visible;
keypoints keep their count and order, with a ``visible`` flag for those carried out of
the frame and ``flip_pairs`` swapped when the move mirrors. Transforms that do not move
pixels pass the targets through.

Masks use the transform's own border: with ``constant`` the pixels from outside the
frame get ``mask_fill``; with ``reflect``, ``replicate`` or ``wrap`` the mask shows the
mirrored content just as the image does. Boxes and keypoints follow the content itself,
never its mirrored copies.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import compress
from typing import Any

import numpy as np

from augviz.core import Float, InputError

from ._convert import check_image, to_array
from .functional._common import _cv2, cv_border

__all__ = ["BOX_FORMATS", "Boxes", "Keypoints", "Sample", "move_sample"]

#: the box formats: pixel corners, pixel corner + size, pixel centre + size, and yolo
#: (centre + size as fractions of the image size)
BOX_FORMATS = ("xyxy", "xywh", "cxcywh", "yolo")
MIN_VISIBILITY = Float("min_visibility", 0.0, 1.0, 0.0, step=0.05,
                       doc="Drop a box when less than this share of it stays in the frame.")
MIN_AREA = Float("min_area", 0.0, 1e12, 0.0, unit="px²",
                 doc="Drop a box whose visible area is below this many pixels.")
#: a box may overshoot the frame by this many pixels (rounding in annotation files)
_TOLERANCE = 1e-3


def _labels(labels: Any, n: int, what: str) -> tuple[Any, ...] | None:
    if labels is None:
        return None
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
        raise InputError(f"{what} labels must be a sequence with one label per item; "
                         f"got {type(labels).__name__}")
    labels = tuple(labels.tolist() if isinstance(labels, np.ndarray) else labels)
    if len(labels) != n:
        raise InputError(f"{what} labels: {len(labels)} labels for {n} items; "
                         "allowed: exactly one label per item")
    for i, lab in enumerate(labels):
        if not isinstance(lab, Hashable):
            raise InputError(f"{what} label {i} is a {type(lab).__name__}; allowed: a hashable "
                             "value (str, int, tuple, …)")
    return labels


def _points(data: Any, width: int, what: str) -> np.ndarray:
    try:
        arr = np.array(data, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{what} must be numbers, shape (N, {width}); got {type(data).__name__}") from None
    if arr.size == 0:
        arr = arr.reshape(0, width)
    if arr.ndim != 2 or arr.shape[1] != width:
        raise InputError(f"{what} have shape {arr.shape}; allowed: (N, {width})")
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{what} {i} is {arr[i].tolist()}: NaN or infinite coordinates are not allowed")
    return arr


class Boxes:
    """Bounding boxes with labels that travel with them.

    Parameters
    ----------
    coords : array-like, shape (N, 4)
        In ``format``: ``xyxy`` (x_min, y_min, x_max, y_max), ``xywh`` (x_min, y_min,
        width, height), ``cxcywh`` (centre and size) in pixels, or ``yolo`` (centre and
        size as fractions of the image width and height). Pixel edges: ``(0, 0, 10, 5)``
        covers columns 0–9 and rows 0–4.
    labels : sequence of hashable, optional
        One per box; kept aligned when boxes are dropped.
    format : str
    min_visibility : float
        A box is dropped when, after a move, less than this share of it is in the frame.
    min_area : float
        A box is dropped when its visible area falls below this many pixels.

    Example
    -------
    >>> b = Boxes([[10, 20, 30, 60]], labels=["cat"], format="xywh")
    >>> b.to_xyxy((100, 100)).tolist(), b.labels
    ([[10.0, 20.0, 40.0, 80.0]], ('cat',))
    """

    __slots__ = ("coords", "format", "labels", "min_area", "min_visibility")

    def __init__(self, coords: Any, labels: Sequence[Hashable] | None = None, format: str = "xyxy", *,
                 min_visibility: float = 0.0, min_area: float = 0.0) -> None:
        if format not in BOX_FORMATS:
            raise InputError(f"box format {format!r} is not allowed; allowed: {', '.join(BOX_FORMATS)}")
        arr = _points(coords, 4, "box")
        if format == "xyxy":
            w, h = arr[:, 2] - arr[:, 0], arr[:, 3] - arr[:, 1]
        else:
            w, h = arr[:, 2], arr[:, 3]
        for name, size in (("width", w), ("height", h)):
            bad = size <= 0
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise InputError(f"box {i} {arr[i].tolist()} ({format}) has {name} {size[i]:g}; "
                                 f"allowed: a positive {name}")
        self.coords = arr
        self.format = format
        self.labels = _labels(labels, len(arr), "box")
        self.min_visibility = MIN_VISIBILITY.validate(min_visibility, where="Boxes")
        self.min_area = MIN_AREA.validate(min_area, where="Boxes")
        arr.setflags(write=False)

    def __len__(self) -> int:
        return len(self.coords)

    def __repr__(self) -> str:
        return f"Boxes({len(self)} boxes, format={self.format!r}, labels={self.labels!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Boxes):
            return NotImplemented
        return (self.format == other.format and self.labels == other.labels
                and np.array_equal(self.coords, other.coords)
                and (self.min_visibility, self.min_area) == (other.min_visibility, other.min_area))

    __hash__ = None  # type: ignore[assignment]

    def to_xyxy(self, shape: tuple[int, ...]) -> np.ndarray:
        """The boxes as pixel ``x_min, y_min, x_max, y_max`` on an image of ``shape``."""
        c, f = self.coords, self.format
        if f == "xyxy":
            return c.copy()
        if f == "xywh":
            return np.column_stack([c[:, 0], c[:, 1], c[:, 0] + c[:, 2], c[:, 1] + c[:, 3]])
        if f == "yolo":
            c = c * np.array([shape[1], shape[0], shape[1], shape[0]], np.float64)
        half_w, half_h = c[:, 2] / 2, c[:, 3] / 2
        return np.column_stack([c[:, 0] - half_w, c[:, 1] - half_h, c[:, 0] + half_w, c[:, 1] + half_h])

    def _from_xyxy(self, xyxy: np.ndarray, shape: tuple[int, ...], keep: np.ndarray) -> Boxes:
        """Boxes like these (format, options) at ``xyxy`` on an image of ``shape``, the
        labels of the ``keep`` rows kept (no re-validation: the move keeps them valid)."""
        f = self.format
        if f == "xyxy":
            c = xyxy
        elif f == "xywh":
            c = np.column_stack([xyxy[:, :2], xyxy[:, 2:] - xyxy[:, :2]])
        else:
            c = np.column_stack([(xyxy[:, :2] + xyxy[:, 2:]) / 2, xyxy[:, 2:] - xyxy[:, :2]])
            if f == "yolo":
                c = c / np.array([shape[1], shape[0], shape[1], shape[0]], np.float64)
        out = Boxes.__new__(Boxes)
        out.coords = np.ascontiguousarray(c, np.float64)
        out.coords.setflags(write=False)
        out.format = f
        out.labels = self.labels if self.labels is None or len(c) == len(keep) else tuple(
            compress(self.labels, keep.tolist()))
        out.min_visibility, out.min_area = self.min_visibility, self.min_area
        return out


class Keypoints:
    """Points (pixel centres: ``(3, 2)`` is the pixel in column 3, row 2) that keep
    their count and order through every transform.

    Parameters
    ----------
    xy : array-like, shape (N, 2)
    labels : sequence of hashable, optional
        One per point (``"left_eye"``, …); labels name positions in the list, so they
        never move.
    flip_pairs : sequence of (i, j)
        Indices of left/right partners: when a move mirrors the image, the coordinates
        of ``i`` and ``j`` are swapped so that ``labels[i]`` still names the same side.
    visible : array-like of bool, optional
        ``False`` for points outside the frame; a move that carries a point out of the
        frame clears its flag, and it stays cleared.

    Example
    -------
    >>> k = Keypoints([[3, 2], [7, 2]], labels=["left_eye", "right_eye"], flip_pairs=[(0, 1)])
    >>> k.xy.tolist(), k.visible.tolist()
    ([[3.0, 2.0], [7.0, 2.0]], [True, True])
    """

    __slots__ = ("flip_pairs", "labels", "visible", "xy")

    def __init__(self, xy: Any, labels: Sequence[Hashable] | None = None,
                 flip_pairs: Iterable[tuple[int, int]] = (), visible: Any = None) -> None:
        arr = _points(xy, 2, "keypoint")
        n = len(arr)
        pairs: list[tuple[int, int]] = []
        seen: set[int] = set()
        for pair in flip_pairs:
            try:
                i, j = (int(v) for v in pair)
            except (TypeError, ValueError):
                raise InputError(f"flip_pairs entry {pair!r} is not allowed; allowed: a pair of "
                                 "keypoint indices (i, j)") from None
            for k in (i, j):
                if not 0 <= k < n:
                    raise InputError(f"flip_pairs entry {pair!r}: index {k} is out of range for "
                                     f"{n} keypoints")
                if i == j:
                    raise InputError(f"flip_pairs entry {pair!r} pairs keypoint {i} with itself")
                if k in seen:
                    raise InputError(f"flip_pairs entry {pair!r}: keypoint {k} is in more than one pair")
                seen.add(k)
            pairs.append((i, j))
        if visible is None:
            vis = np.ones(n, bool)
        else:
            vis = np.array(visible, dtype=bool).reshape(-1)
            if len(vis) != n:
                raise InputError(f"keypoint visible: {len(vis)} flags for {n} keypoints")
        self.xy = arr
        self.labels = _labels(labels, n, "keypoint")
        self.flip_pairs = tuple(pairs)
        self.visible = vis
        arr.setflags(write=False)
        vis.setflags(write=False)

    def __len__(self) -> int:
        return len(self.xy)

    def __repr__(self) -> str:
        return f"Keypoints({len(self)} points, {int(self.visible.sum())} visible, labels={self.labels!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Keypoints):
            return NotImplemented
        return (self.labels == other.labels and self.flip_pairs == other.flip_pairs
                and np.array_equal(self.xy, other.xy) and np.array_equal(self.visible, other.visible))

    __hash__ = None  # type: ignore[assignment]

    def _moved(self, xy: np.ndarray, inside: np.ndarray, mirrored: bool) -> Keypoints:
        vis = self.visible & inside
        if mirrored and self.flip_pairs:
            xy, vis = xy.copy(), vis.copy()
            for i, j in self.flip_pairs:
                xy[[i, j]] = xy[[j, i]]
                vis[[i, j]] = vis[[j, i]]
        out = Keypoints.__new__(Keypoints)
        out.xy = np.ascontiguousarray(xy, np.float64)
        out.visible = vis
        out.xy.setflags(write=False)
        out.visible.setflags(write=False)
        out.labels, out.flip_pairs = self.labels, self.flip_pairs
        return out


def _image_hw(image: Any) -> tuple[int, int]:
    if isinstance(image, np.ndarray):
        return int(image.shape[0]), int(image.shape[1])
    return int(image.size[1]), int(image.size[0])  # PIL: (width, height)


def _check_mask(mask: Any, i: int | None, hw: tuple[int, int], fill: int) -> np.ndarray:
    name = "mask" if i is None else f"mask {i}"
    if not isinstance(mask, np.ndarray):
        raise InputError(f"{name} is a {type(mask).__name__}; allowed: an H×W integer numpy array")
    if mask.ndim != 2:
        raise InputError(f"{name} has shape {mask.shape}; allowed: H×W (one array per mask; "
                         "several masks go in a list)")
    if mask.shape != hw:
        raise InputError(f"{name} is {mask.shape[0]}×{mask.shape[1]} but the image is {hw[0]}×{hw[1]}; "
                         "a mask has the image's size")
    if mask.dtype.kind not in "biu":
        raise InputError(f"{name} dtype {mask.dtype} is not allowed; allowed: integer or bool "
                         "(a mask holds class or instance ids, never blended values)")
    if mask.dtype != bool:  # a bool mask is filled with False
        info = np.iinfo(mask.dtype)
        if not info.min <= fill <= info.max:
            raise InputError(f"mask_fill {fill} does not fit {name}'s dtype {mask.dtype} "
                             f"({info.min}..{info.max})")
    return mask


class Sample:
    """An image with the targets that follow it through a transform or a recipe.

    Parameters
    ----------
    image : PIL image or numpy array
        Any image augviz takes (HW/HWC, uint8 or float32 in [0, 1]).
    masks : array or list of arrays, optional
        One H×W integer (or bool) array, or a list of them (semantic or instance
        masks); the result keeps the same form.
    boxes : Boxes or array-like (N, 4), optional
        A plain array is read as ``xyxy`` pixel boxes without labels.
    keypoints : Keypoints or array-like (N, 2), optional
    mask_fill : int
        The mask value for pixels a move brings in from outside the frame (e.g. 255 as
        an "ignore" index); 0 by default. Bool masks are filled with False.

    Example
    -------
    >>> import numpy as np
    >>> from augviz.image import Boxes, HorizontalFlip, Sample
    >>> s = Sample(np.zeros((10, 20), np.uint8), boxes=Boxes([[0, 0, 5, 5]], labels=["a"]),
    ...            keypoints=[[1, 1]])
    >>> out = HorizontalFlip()(s)
    >>> out.boxes.coords.tolist(), out.keypoints.xy.tolist()
    ([[15.0, 0.0, 20.0, 5.0]], [[18.0, 1.0]])
    """

    # the targets, or ``_run``: targets moved by a run of affine steps, moved when read
    __slots__ = ("_boxes", "_keypoints", "_masks", "_run", "image", "mask_fill")

    def __init__(self, image: Any, masks: Any = None, boxes: Any = None, keypoints: Any = None, *,
                 mask_fill: int = 0) -> None:
        check_image(image)
        hw = _image_hw(image)
        if isinstance(mask_fill, bool) or not isinstance(mask_fill, (int, np.integer)):
            raise InputError(f"mask_fill {mask_fill!r} is not allowed; allowed: an integer")
        fill = int(mask_fill)
        if masks is not None:
            if isinstance(masks, np.ndarray):
                masks = _check_mask(masks, None, hw, fill)
            elif isinstance(masks, (list, tuple)):
                masks = [_check_mask(m, i, hw, fill) for i, m in enumerate(masks)]
            else:
                raise InputError(f"masks is a {type(masks).__name__}; allowed: an H×W integer array "
                                 "or a list of them")
        if boxes is not None and not isinstance(boxes, Boxes):
            boxes = Boxes(boxes)
        if boxes is not None and len(boxes):
            xyxy = boxes.to_xyxy(hw)
            over = ((xyxy[:, 0] < -_TOLERANCE) | (xyxy[:, 1] < -_TOLERANCE)
                    | (xyxy[:, 2] > hw[1] + _TOLERANCE) | (xyxy[:, 3] > hw[0] + _TOLERANCE))
            if over.any():
                i = int(np.flatnonzero(over)[0])
                raise InputError(
                    f"box {i} {boxes.coords[i].tolist()} ({boxes.format}) reaches outside the "
                    f"{hw[0]}×{hw[1]} image (x_min, y_min, x_max, y_max = {xyxy[i].tolist()}); "
                    f"allowed: 0 ≤ x ≤ {hw[1]}, 0 ≤ y ≤ {hw[0]} (clip the box first)")
        if keypoints is not None and not isinstance(keypoints, Keypoints):
            keypoints = Keypoints(keypoints)
        if keypoints is not None and len(keypoints):
            inside = _inside(keypoints.xy, hw)
            if not inside.all():
                keypoints = keypoints._moved(keypoints.xy, inside, mirrored=False)
        self.image = image
        self._masks, self._boxes, self._keypoints = masks, boxes, keypoints
        self._run: _Run | None = None
        self.mask_fill = fill

    # Consecutive affine moves (flips, rotations, affine warps, crops) are composed into
    # one matrix; the targets are moved once, when they are read or when a move that does
    # not compose comes (see ``_Run``): one nearest-neighbour resampling of the masks
    # instead of one per step.
    @property
    def masks(self) -> Any:
        """The mask (an H×W array), the list of masks, or ``None``."""
        if self._run is not None:
            self._settle()
        return self._masks

    @property
    def boxes(self) -> Boxes | None:
        """The :class:`Boxes`, or ``None``."""
        if self._run is not None:
            self._settle()
        return self._boxes

    @property
    def keypoints(self) -> Keypoints | None:
        """The :class:`Keypoints`, or ``None``."""
        if self._run is not None:
            self._settle()
        return self._keypoints

    def _settle(self) -> None:
        run = self._run
        if run is not None:  # the same values whoever settles first
            self._masks, self._boxes, self._keypoints = run.settle(self.mask_fill)
            self._run = None

    def _present(self) -> tuple[bool, bool, bool]:
        """Which of masks, boxes, keypoints the sample has (without moving them)."""
        run = self._run
        if run is not None:
            return run.masks is not None, run.boxes is not None, run.keypoints is not None
        return self._masks is not None, self._boxes is not None, self._keypoints is not None

    @property
    def shape(self) -> tuple[int, int]:
        """``(height, width)`` of the image."""
        return _image_hw(self.image)

    def replace(self, **changes: Any) -> Sample:
        """A copy with some of ``image``, ``masks``, ``boxes``, ``keypoints`` or
        ``mask_fill`` changed (checked again)."""
        fields = {name: getattr(self, name) for name in ("image", "masks", "boxes", "keypoints", "mask_fill")}
        unknown = sorted(set(changes) - set(fields))
        if unknown:
            raise InputError(f"Sample.replace: unknown field {unknown[0]!r}; allowed: {', '.join(fields)}")
        fields.update(changes)
        image = fields.pop("image")
        return Sample(image, **fields)

    def _moved(self, image: Any, masks: Any, boxes: Boxes | None, keypoints: Keypoints | None,
               run: _Run | None = None) -> Sample:
        out = Sample.__new__(Sample)
        out.image, out._masks, out._boxes, out._keypoints = image, masks, boxes, keypoints
        out._run = run
        out.mask_fill = self.mask_fill
        return out

    def _passed(self, image: Any) -> Sample:
        """The same targets (a run not yet moved stays so) with a new image."""
        run = self._run
        if run is not None:
            return self._moved(image, None, None, None, run)
        return self._moved(image, self._masks, self._boxes, self._keypoints)

    def mask_list(self) -> list[np.ndarray]:
        """The masks as a list (empty without masks)."""
        if self.masks is None:
            return []
        return [self.masks] if isinstance(self.masks, np.ndarray) else list(self.masks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sample):
            return NotImplemented
        a, b = np.asarray(self.image), np.asarray(other.image)
        ma, mb = self.mask_list(), other.mask_list()
        return (a.dtype == b.dtype and np.array_equal(a, b) and type(self.masks) is type(other.masks)
                and len(ma) == len(mb) and all(np.array_equal(x, y) for x, y in zip(ma, mb, strict=True))
                and self.boxes == other.boxes and self.keypoints == other.keypoints
                and self.mask_fill == other.mask_fill)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        h, w = self.shape
        parts = [f"image {h}×{w}"]
        if self.masks is not None:
            parts.append(f"{len(self.mask_list())} mask(s)")
        if self.boxes is not None:
            parts.append(f"{len(self.boxes)} boxes")
        if self.keypoints is not None:
            parts.append(f"{len(self.keypoints)} keypoints")
        return f"Sample({', '.join(parts)})"


# -- moving ------------------------------------------------------------------------------
def _inside(xy: np.ndarray, hw: tuple[int, int] | np.ndarray) -> np.ndarray:
    """Which points are in a frame of ``hw`` = (height, width), or of ``hw`` = the array
    ``(width - 0.5, height - 0.5)`` (pixel centres are integers, so the frame spans
    -0.5 .. size - 0.5)."""
    ok = xy >= -0.5
    ok &= xy < (hw if isinstance(hw, np.ndarray) else (hw[1] - 0.5, hw[0] - 0.5))
    return ok[:, 0] & ok[:, 1]  # two columns and-ed: faster than a row reduction


def _project(m: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # elementwise rather than a matrix product: tiny arrays, no BLAS call
    px = m[0, 0] * x + m[0, 1] * y + m[0, 2]
    py = m[1, 0] * x + m[1, 1] * y + m[1, 2]
    if m[2, 0] or m[2, 1] or m[2, 2] != 1.0:
        den = m[2, 0] * x + m[2, 1] * y + m[2, 2]
        px, py = px / den, py / den
    return px, py


def _as_cv(mask: np.ndarray) -> tuple[np.ndarray, Any]:
    """A dtype OpenCV warps (8/16-bit or float64, exact for integers) and the way back."""
    if mask.dtype in (np.uint8, np.uint16, np.int16):
        return mask, None
    if mask.dtype == bool:
        return mask.view(np.uint8), bool
    return mask.astype(np.float64), mask.dtype


def _warp_masks(masks: list[np.ndarray], warp: Any, fill: int) -> list[np.ndarray]:
    out = []
    for mask in masks:
        src, back = _as_cv(np.ascontiguousarray(mask))
        moved = warp(src, 0 if back is bool else fill)
        out.append(moved if back is None else moved.astype(back))
    return out


def _all(flags: np.ndarray) -> bool:
    return np.count_nonzero(flags) == len(flags)  # faster than .all() on a few items


def _keep_boxes(boxes: Boxes, visible_area: np.ndarray, full_area: np.ndarray) -> np.ndarray:
    keep = visible_area > 0
    if boxes.min_visibility > 0:
        keep &= visible_area >= boxes.min_visibility * full_area
    if boxes.min_area > 0:
        keep &= visible_area >= boxes.min_area
    return keep


def _flip_code(m: np.ndarray, in_hw: tuple[int, int], out_hw: tuple[int, int]) -> int | None:
    """OpenCV's flip code when ``m`` only mirrors (or keeps) the frame, else ``None``."""
    h, w = in_hw
    if out_hw != in_hw or m[0, 1] or m[1, 0] or m[2, 0] or m[2, 1] or m[2, 2] != 1:
        return None
    fx = (m[0, 0], m[0, 2]) == (-1, w - 1)
    fy = (m[1, 1], m[1, 2]) == (-1, h - 1)
    if not (fx or (m[0, 0], m[0, 2]) == (1, 0)) or not (fy or (m[1, 1], m[1, 2]) == (1, 0)):
        return None
    return -1 if fx and fy else 1 if fx else 0 if fy else 2


def _box_arrays(a: float, b: float, c: float, d: float, tx: float, ty: float, w: int, h: int) -> np.ndarray:
    """For boxes moved by the affine map ``[[a, b, tx], [c, d, ty]]`` onto a ``w``×``h``
    frame, one 6×4 array (one array built per move): ``K = rows 0–3`` such that
    ``xyxy @ K + row 4`` is the envelope of each box's corners moved (each term takes
    the corner that makes it smallest/largest), and ``row 5 = (w, h, w, h)`` to clip to."""
    ap, an, bp, bn = max(a, 0.0), min(a, 0.0), max(b, 0.0), min(b, 0.0)
    cp, cn, dp, dn = max(c, 0.0), min(c, 0.0), max(d, 0.0), min(d, 0.0)
    # corners in pixel-centre coordinates (edges are half a pixel out)
    sx = tx + 0.5 - 0.5 * (a + b)
    sy = ty + 0.5 - 0.5 * (c + d)
    # rows: x0, y0, x1, y1 in, then the shift; columns: lo_x, lo_y, hi_x, hi_y out
    return np.array([[ap, cp, an, cn], [bp, dp, bn, dn], [an, cn, ap, cp], [bn, dn, bp, dp],
                     [sx, sy, sx, sy], [w, h, w, h]], np.float64)


def _point_arrays(a: float, b: float, c: float, d: float, tx: float, ty: float, w: int,
                  h: int) -> np.ndarray:
    """For points moved by the same map, one 4×2 array: ``xy @ rows 0–1 + row 2`` moves
    them, ``row 3 = (w - 0.5, h - 0.5)`` is the frame's far edge (see ``_inside``)."""
    return np.array([[a, c], [b, d], [tx, ty], [w - 0.5, h - 0.5]], np.float64)


def _mask_warp(m: np.ndarray, in_hw: tuple[int, int], out_hw: tuple[int, int], border: str) -> Any:
    """The nearest-neighbour warp of one mask by the 3×3 forward matrix ``m``."""
    cv2 = _cv2()
    h, w = out_hw
    flip = _flip_code(m, in_hw, out_hw)
    if flip is not None:  # a mirror moves whole pixels: the same bytes, faster
        def warp(a: np.ndarray, fill: int) -> np.ndarray:
            return a.copy() if flip == 2 else cv2.flip(a, flip)
    elif m[2, 0] == 0 and m[2, 1] == 0 and m[2, 2] == 1:
        def warp(a: np.ndarray, fill: int) -> np.ndarray:
            return cv2.warpAffine(a, m[:2], (w, h), flags=cv2.INTER_NEAREST,
                                  borderMode=cv_border(border), borderValue=fill)
    else:
        def warp(a: np.ndarray, fill: int) -> np.ndarray:
            return cv2.warpPerspective(a, m, (w, h), flags=cv2.INTER_NEAREST,
                                       borderMode=cv_border(border), borderValue=fill)
    return warp


def _reads_inside(rows: list[list[float]], in_hw: tuple[int, int], out_hw: tuple[int, int]) -> bool:
    """Whether the affine move ``rows`` (its matrix as lists) takes its whole output
    frame from inside its input frame (the output frame's edges, mapped back, stay
    within the input's): it then loses nothing a later step could bring back, and
    brings in nothing from outside."""
    (a, b, tx), (c, d, ty) = rows[0], rows[1]
    det = a * d - b * c
    if det == 0:
        return False
    h, w = out_hw
    lo, right, bottom = -0.5 - 1e-6, in_hw[1] - 0.5 + 1e-6, in_hw[0] - 0.5 + 1e-6
    for x, y in ((-0.5, -0.5), (w - 0.5, -0.5), (-0.5, h - 0.5), (w - 0.5, h - 0.5)):
        # the frame is convex: its corners bound every point of it
        u, v = x - tx, y - ty
        sx, sy = (d * u - b * v) / det, (a * v - c * u) / det
        if not (lo <= sx <= right and lo <= sy <= bottom):
            return False
    return True


class _Run:
    """Targets moved by a run of affine steps and not moved yet: the targets as they
    were before the run, the composed forward matrix and the size it leads to.

    The run's first step may be any affine move (its border decides what the masks show
    from outside the frame). Every later step takes its whole output from inside its
    input frame, so nothing one step cuts off comes back in a later one, and moving the
    targets once by the composed matrix is moving them step by step: masks resampled
    once instead of once per step; keypoints out of the final frame were out of some
    frame on the way (and only those); an odd number of mirrors swaps ``flip_pairs``
    once. Boxes join only steps that keep boxes axis-aligned (flips, crops, resizes)
    and only without ``min_visibility``/``min_area``: the envelope of a moved envelope
    is then the envelope of the composed move, and clipping once at the end clips what
    each step would have clipped.
    """

    __slots__ = ("border", "boxes", "in_hw", "keypoints", "masks", "matrix", "out_hw")

    def __init__(self, masks: Any, boxes: Boxes | None, keypoints: Keypoints | None, in_hw: tuple[int, int],
                 matrix: np.ndarray, out_hw: tuple[int, int], border: str) -> None:
        self.masks, self.boxes, self.keypoints = masks, boxes, keypoints
        self.in_hw, self.matrix, self.out_hw, self.border = in_hw, matrix, out_hw, border

    def joins(self, rows: list[list[float]], in_hw: tuple[int, int], out_hw: tuple[int, int]) -> bool:
        """Whether the affine step (its matrix ``rows`` as lists) composes with the run
        (see the class)."""
        boxes = self.boxes
        if boxes is not None:
            if boxes.min_visibility > 0 or boxes.min_area > 0:
                return False
            (a, b, _), (c, d, _) = rows[0], rows[1]
            if (b != 0 or c != 0) and (a != 0 or d != 0):  # turns boxes: envelopes grow
                return False
        return _reads_inside(rows, in_hw, out_hw)

    def then(self, m: np.ndarray, out_hw: tuple[int, int]) -> _Run:
        return _Run(self.masks, self.boxes, self.keypoints, self.in_hw, m @ self.matrix, out_hw, self.border)

    def settle(self, fill: int) -> tuple[Any, Boxes | None, Keypoints | None]:
        return _by_matrix(self.masks, self.boxes, self.keypoints, self.in_hw, self.matrix, self.out_hw,
                          self.border, fill)


def _by_matrix(masks: Any, boxes: Boxes | None, keypoints: Keypoints | None, in_hw: tuple[int, int],
               m: np.ndarray, out_hw: tuple[int, int], border: str, fill: int) -> tuple[Any, ...]:
    h, w = out_hw
    (a, b, tx), (c, d, ty), bottom = m.tolist()
    affine = bottom == [0.0, 0.0, 1.0]
    if masks is not None:
        single = isinstance(masks, np.ndarray)
        moved = _warp_masks([masks] if single else masks, _mask_warp(m, in_hw, out_hw, border), fill)
        masks = moved[0] if single else moved
    if boxes is not None:
        xyxy = boxes.coords if boxes.format == "xyxy" else boxes.to_xyxy(in_hw)
        if affine:
            k = _box_arrays(a, b, c, d, tx, ty, w, h)
            env = xyxy @ k[:4]
            env += k[4]
            frame = k[5]
        else:  # corners in pixel-centre coordinates (edges are half a pixel out)
            px, py = _project(m, xyxy[:, [0, 2, 2, 0]] - 0.5, xyxy[:, [1, 1, 3, 3]] - 0.5)
            env = np.column_stack([px.min(axis=1), py.min(axis=1), px.max(axis=1), py.max(axis=1)]) + 0.5
            frame = np.array([w, h, w, h], np.float64)
        size = env[:, 2:] - env[:, :2] if boxes.min_visibility > 0 or boxes.min_area > 0 else None
        clipped = np.maximum(env, 0.0, out=env)
        np.minimum(clipped, frame, out=clipped)
        seen = clipped[:, 2:] - clipped[:, :2]
        visible = seen[:, 0] * seen[:, 1]
        keep = visible > 0 if size is None else _keep_boxes(boxes, visible, size[:, 0] * size[:, 1])
        boxes = boxes._from_xyxy(clipped if _all(keep) else clipped[keep], out_hw, keep)
    if keypoints is not None:
        if affine:
            q = _point_arrays(a, b, c, d, tx, ty, w, h)
            xy = keypoints.xy @ q[:2]
            xy += q[2]
            inside = _inside(xy, q[3])
            mirrored = a * d - b * c < 0
        else:
            xy = np.column_stack(_project(m, keypoints.xy[:, 0], keypoints.xy[:, 1]))
            inside = _inside(xy, out_hw)
            mirrored = bool(np.linalg.det(m) < 0)
        keypoints = keypoints._moved(xy, inside, mirrored)
    return masks, boxes, keypoints


def _by_map(sample: Sample, map_x: np.ndarray, map_y: np.ndarray, border: str) -> tuple[Any, ...]:
    h, w = map_x.shape
    cv2 = _cv2()
    mx, my = np.asarray(map_x, np.float32), np.asarray(map_y, np.float32)
    masks = None
    if sample.masks is not None:
        def warp(a: np.ndarray, fill: int) -> np.ndarray:
            return cv2.remap(a, mx, my, cv2.INTER_NEAREST, borderMode=cv_border(border),
                             borderValue=fill)
        moved_masks = _warp_masks(sample.mask_list(), warp, sample.mask_fill)
        masks = moved_masks[0] if isinstance(sample.masks, np.ndarray) else moved_masks
    boxes = None
    if sample.boxes is not None:
        boxes = _boxes_by_map(sample.boxes, sample.shape, mx, my)
    keypoints = None
    if sample.keypoints is not None:
        xy = _invert_points(mx, my, sample.keypoints.xy)
        keypoints = sample.keypoints._moved(xy, _inside(xy, (h, w)), mirrored=False)
    return masks, boxes, keypoints


def _boxes_by_map(boxes: Boxes, in_hw: tuple[int, int], mx: np.ndarray, my: np.ndarray) -> Boxes:
    """A box goes where the pixels it covers go: each box is one bit of a bit-plane
    image warped like a mask (nearest, nothing from outside the frame); the envelope of
    the output pixels holding its bit is the moved box."""
    cv2 = _cv2()
    h, w = mx.shape
    xyxy = boxes.to_xyxy(in_hw)
    n = len(xyxy)
    words = max(1, (n + 31) // 32)  # 32 boxes per uint32 word, warped as 4 uint8 channels
    planes = np.zeros((in_hw[0], in_hw[1], words), np.uint32)
    # the pixels whose centres are inside the box (at least one)
    cols = np.ceil(xyxy[:, [0, 2]] - 0.5).astype(int)
    rows = np.ceil(xyxy[:, [1, 3]] - 0.5).astype(int)
    cols[:, 1] = np.maximum(cols[:, 1], cols[:, 0] + 1)
    rows[:, 1] = np.maximum(rows[:, 1], rows[:, 0] + 1)
    bits = [np.uint32(1 << (i % 32)) for i in range(n)]
    for i in range(n):
        planes[rows[i, 0]:rows[i, 1], cols[i, 0]:cols[i, 1], i // 32] |= bits[i]
    moved = cv2.remap(planes.view(np.uint8), mx, my, cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT,
                      borderValue=0)
    moved = np.ascontiguousarray(moved).view(np.uint32).reshape(h, w, words)
    by_col = np.bitwise_or.reduce(moved, axis=0)  # (w, words): which boxes reach each column
    by_row = np.bitwise_or.reduce(moved, axis=1)
    env = np.zeros((n, 4))
    for i in range(n):
        c = np.flatnonzero(by_col[:, i // 32] & bits[i])
        if len(c):
            r = np.flatnonzero(by_row[:, i // 32] & bits[i])
            env[i] = c[0], r[0], c[-1] + 1, r[-1] + 1
    full = (rows[:, 1] - rows[:, 0]) * (cols[:, 1] - cols[:, 0]).astype(np.float64)
    visible = (env[:, 2] > env[:, 0]).astype(np.float64) * full
    if boxes.min_visibility > 0 or boxes.min_area > 0:
        visible = np.array([np.count_nonzero(moved[:, :, i // 32] & bits[i]) for i in range(n)],
                           np.float64)
    keep = _keep_boxes(boxes, visible, full)
    return boxes._from_xyxy(env[keep], (h, w), keep)


def _invert_points(mx: np.ndarray, my: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Where ``points`` land under a map giving each output pixel its source: the output
    pixel read from nearest each point (searched on a coarse grid, then around the best
    coarse pixel), refined by one Newton step on the map."""
    h, w = mx.shape
    out = np.zeros((len(points), 2))
    if not len(points):
        return out
    step = max(1, min(h, w) // 32)
    cx, cy = mx[::step, ::step], my[::step, ::step]
    px = points[:, 0, None, None].astype(np.float32)
    py = points[:, 1, None, None].astype(np.float32)
    coarse = ((cx[None] - px) ** 2 + (cy[None] - py) ** 2).reshape(len(points), -1).argmin(axis=1)
    for k, (p, best) in enumerate(zip(points, coarse, strict=True)):
        rc, cc = divmod(int(best), cx.shape[1])
        r0, r1 = max(rc * step - 2 * step, 0), min(rc * step + 2 * step + 1, h)
        c0, c1 = max(cc * step - 2 * step, 0), min(cc * step + 2 * step + 1, w)
        d = (mx[r0:r1, c0:c1] - np.float32(p[0])) ** 2 + (my[r0:r1, c0:c1] - np.float32(p[1])) ** 2
        dr, dc = divmod(int(np.argmin(d)), c1 - c0)
        out[k] = _newton(mx, my, p, r0 + dr, c0 + dc, float(d[dr, dc]))
    return out


def _newton(mx: np.ndarray, my: np.ndarray, p: np.ndarray, r: int, c: int,
            miss2: float) -> tuple[float, float]:
    h, w = mx.shape
    c0, c1 = max(c - 1, 0), min(c + 1, w - 1)
    r0, r1 = max(r - 1, 0), min(r + 1, h - 1)
    jac = np.array([
        [(mx[r, c1] - mx[r, c0]) / max(c1 - c0, 1), (mx[r1, c] - mx[r0, c]) / max(r1 - r0, 1)],
        [(my[r, c1] - my[r, c0]) / max(c1 - c0, 1), (my[r1, c] - my[r0, c]) / max(r1 - r0, 1)],
    ], np.float64)
    miss = np.array([p[0] - mx[r, c], p[1] - my[r, c]], np.float64)
    try:
        step = np.linalg.solve(jac, miss)
    except np.linalg.LinAlgError:
        step = np.zeros(2)
    if not np.isfinite(step).all() or np.abs(step).max() > 2:
        step = np.zeros(2)
    x, y = c + step[0], r + step[1]
    # a point no output pixel reads from (carried out of the frame) lands off the frame
    if miss2 > 4.0:
        x = -1.0 if x < w / 2 else w + 0.0
    return float(x), float(y)


def _target_names(sample: Sample) -> list[str]:
    return [name for name, there in zip(("masks", "boxes", "keypoints"), sample._present(), strict=True)
            if there]


def move_sample(transform: Any, sample: Sample, values: Mapping[str, Any]) -> Sample:
    """Apply ``transform`` with ``values`` to the image of ``sample`` and move its
    targets by the same move (what :meth:`ImageTransform.apply` does with a Sample)."""
    arr, restore = to_array(sample.image)
    out = transform._apply(arr, **values)
    image = restore(out)
    if not transform.moves_pixels or not any(sample._present()):
        return sample._passed(image)
    border = values.get("border", "constant")
    in_hw, out_hw = arr.shape[:2], out.shape[:2]
    m = transform.geometry(values, arr.shape)
    if m is not None:
        m = np.asarray(m, np.float64)
        rows = m.tolist()
        if rows[2] == [0.0, 0.0, 1.0]:  # affine: composed with the steps before it where it can
            run = sample._run
            if run is not None and run.joins(rows, in_hw, out_hw):
                return sample._moved(image, None, None, None, run.then(m, out_hw))
            run = _Run(sample.masks, sample.boxes, sample.keypoints, in_hw, m, out_hw, border)
            return sample._moved(image, None, None, None, run)
        parts = _by_matrix(sample.masks, sample.boxes, sample.keypoints, in_hw, m, out_hw, border,
                           sample.mask_fill)
        return sample._moved(image, *parts)
    maps = transform.point_map(values, arr.shape)
    if maps is not None:
        return sample._moved(image, *_by_map(sample, maps[0], maps[1], border))
    raise InputError(f"{transform.id or type(transform).__name__} moves pixels but cannot move "
                     f"{' or '.join(_target_names(sample))}; use it on images without targets")
