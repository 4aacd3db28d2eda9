"""The albumentations mapping tables, gathered from the family modules."""

from __future__ import annotations

from . import _colour, _geometric, _occlusion, _quality

_FAMILIES = (_geometric, _quality, _colour, _occlusion)
#: albumentations classes mapped both ways
MAPPINGS = tuple(m for f in _FAMILIES for m in f.MAPPINGS)
#: albumentations classes read as an augviz transform but never written (approximate)
ALIASES = tuple(m for f in _FAMILIES for m in f.ALIASES)
#: albumentations classes that come in as several augviz steps applied together
SPLIT_READERS = {**_colour.SPLIT_READERS, **_geometric.SPLIT_READERS}
#: albumentations classes that come in as a one_of of augviz steps
CHOICE_READERS = dict(_geometric.CHOICE_READERS)

#: augviz image transforms without an albumentations mapping, and why
UNMAPPABLE = {
    "image.autocontrast": "not checked to match: A.AutoContrast's cdf/pil methods against augviz's per-"
    "channel stretch with a quantile cutoff",
    "image.crop_pad": "not checked to match: A.CropAndPad(percent=..., keep_size=True) rounds and "
    "resizes in its own way",
    "image.elastic": "A.ElasticTransform takes alpha and sigma in pixels; augviz takes fractions of "
    "the short side and scales the field to its largest displacement (read approximately, not written)",
    "image.grid_distortion": "A.GridDistortion stretches grid lines by 1 + U(distort_limit); augviz "
    "stretches cells by up to a drawn amount (read approximately, not written)",
    "image.grid_mask": "A.GridDropout sizes its unit in pixels; augviz in fractions of the short side (read "
    "approximately, not written)",
    "image.perspective": "A.Perspective draws corner offsets from a normal distribution, inwards; augviz "
    "uniformly, both ways (read approximately, not written)",
    "image.random_erasing": "A.Erasing samples its box and 'random' fill its own way (read approximately, "
    "not written)",
    "image.salt_pepper": "A.SaltAndPepper draws a salt share per call; augviz takes a fixed share (read "
    "approximately, not written)",
    "image.sharpen": "A.Sharpen blends a sharpening kernel by alpha/lightness; augviz adds a Gaussian "
    "unsharp mask (read approximately, not written)",
    "image.speckle": "A.MultiplicativeNoise draws a uniform multiplier; augviz a Gaussian one",
}

