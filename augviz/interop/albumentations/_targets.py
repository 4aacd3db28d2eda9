"""albumentations ``bbox_params`` / ``keypoint_params`` ↔ augviz target options."""

from __future__ import annotations

from typing import Any

from .._base import ImportResult, InteropError, Targets

#: albumentations bbox format ↔ augviz box format
_BOX_FORMATS = {"pascal_voc": "xyxy", "coco": "xywh", "yolo": "yolo"}
_BOX_FORMATS_BACK = {v: k for k, v in _BOX_FORMATS.items()}


def _label_fields(params: dict[str, Any], where: str) -> tuple[str, ...]:
    fields = params.get("label_fields") or ()
    if isinstance(fields, str) or not all(isinstance(f, str) for f in fields):
        raise InteropError(f"{where}.label_fields: expected a list of names; got {fields!r}")
    return tuple(fields)


def _targets_in(root: dict[str, Any], result: ImportResult) -> Targets:
    """The Compose's ``bbox_params`` / ``keypoint_params`` as augviz target options; what
    augviz does otherwise is listed as approximate, what it cannot take as dropped."""
    options: dict[str, Any] = {}
    bp = root.get("bbox_params")
    if isinstance(bp, dict):
        where = "transform.bbox_params"
        fmt = bp.get("format")
        if fmt in _BOX_FORMATS:
            options.update(box_format=_BOX_FORMATS[fmt], box_labels=_label_fields(bp, where),
                           min_visibility=float(bp.get("min_visibility") or 0.0),
                           min_area=float(bp.get("min_area") or 0.0))
            notes = []
            for key in ("min_width", "min_height"):
                if float(bp.get(key) or 0.0) > 0:
                    notes.append(f"{key}={bp[key]:g} is not kept (augviz drops boxes by min_area and "
                                 "min_visibility)")
            if float(bp.get("max_accept_ratio") or 0.0) > 0:
                notes.append(f"max_accept_ratio={bp['max_accept_ratio']:g} is not kept")
            if not bp.get("clip", False):
                notes.append("augviz clips moved boxes to the frame (albumentations with clip=False "
                             "rejects boxes that start outside it)")
            (result.approximate.append((where, "BboxParams", "; ".join(notes))) if notes
             else result.exact.append((where, "BboxParams")))
        else:
            result.dropped.append((where, "BboxParams", f"box format {fmt!r} has no augviz format (augviz "
                                   f"takes {', '.join(sorted(_BOX_FORMATS))})"))
    kp = root.get("keypoint_params")
    if isinstance(kp, dict):
        where = "transform.keypoint_params"
        fmt = kp.get("format", "xy")
        if fmt == "xy":
            options.update(keypoints_on=True, keypoint_labels=_label_fields(kp, where))
            if kp.get("remove_invisible", True):
                result.approximate.append((where, "KeypointParams", "remove_invisible=True removes points "
                                           "that leave the frame; augviz keeps every point in order and "
                                           "clears its visible flag"))
            else:
                result.exact.append((where, "KeypointParams"))
        else:
            result.dropped.append((where, "KeypointParams", f"keypoint format {fmt!r}: augviz keypoints are "
                                   "'xy' (no angle, scale or swapped axes)"))
    return Targets(**options)


def _targets_out(targets: Targets) -> dict[str, Any]:
    """``bbox_params`` / ``keypoint_params`` entries of a Compose dict."""
    out: dict[str, Any] = {}
    if targets.box_format is not None:
        fmt = _BOX_FORMATS_BACK.get(targets.box_format)
        if fmt is None:
            raise InteropError(f"box format {targets.box_format!r} has no albumentations format; allowed: "
                               f"{', '.join(sorted(_BOX_FORMATS_BACK))}")
        out["bbox_params"] = {
            "format": fmt, "label_fields": list(targets.box_labels), "min_area": targets.min_area,
            "min_visibility": targets.min_visibility, "min_width": 0.0, "min_height": 0.0,
            "check_each_transform": True, "clip": True, "max_accept_ratio": None,
        }
    if targets.keypoints_on:
        out["keypoint_params"] = {
            "format": "xy", "label_fields": list(targets.keypoint_labels), "remove_invisible": False,
            "angle_in_degrees": True, "check_each_transform": True,
        }
    return out

