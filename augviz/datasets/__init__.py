"""Offline datasets: samples that ship inside installed wheels, and loaders for a
user's own folders. Nothing here downloads."""

from __future__ import annotations

from .annotated import (
    AnnotatedSet,
    load_coco,
    load_mask_folder,
    load_voc,
    load_yolo,
    write_coco,
    write_voc,
    write_yolo,
)
from .detection import SEGMENTATION_CLASSES, sample_detection, sample_keypoints, sample_segmentation
from .digits import load_digits
from .folders import IMAGE_EXTENSIONS, ImageFolder, load_image_folder, open_image
from .images import SAMPLE_IMAGES, sample_image
from .lfw import LFW_CLASSES, load_lfw_subset

__all__ = [
    "IMAGE_EXTENSIONS",
    "LFW_CLASSES",
    "SAMPLE_IMAGES",
    "SEGMENTATION_CLASSES",
    "AnnotatedSet",
    "ImageFolder",
    "load_coco",
    "load_digits",
    "load_image_folder",
    "load_lfw_subset",
    "load_mask_folder",
    "load_voc",
    "load_yolo",
    "open_image",
    "sample_detection",
    "sample_image",
    "sample_keypoints",
    "sample_segmentation",
    "write_coco",
    "write_voc",
    "write_yolo",
]
