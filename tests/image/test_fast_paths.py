"""The fast kernels give the bytes of their plain definitions (written out here)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from augviz.image import functional as F
from augviz.image.functional import geometric as G
from augviz.image.functional._common import cv_border, cv_interp, fill_scalar, fill_value
from augviz.image.functional.color import LUMA_WEIGHTS

RNG = np.random.default_rng(0)
SHAPES = [(1, 1), (5, 7), (13, 9, 1), (31, 17, 3), (12, 40, 4), (64, 64, 3)]


def _images(n: int = 12, u8_only: bool = False) -> list[np.ndarray]:
    out = []
    for i in range(n):
        shape = SHAPES[i % len(SHAPES)]
        lo, hi = sorted(RNG.integers(0, 256, 2).tolist())
        img = RNG.integers(lo, hi + 1, shape).astype(np.uint8)
        out.append(img if u8_only or i % 3 else img.astype(np.float32) / np.float32(255))
    return out


@pytest.mark.parametrize("img", _images(u8_only=True), ids=lambda a: str(a.shape))
def test_contrast_pivot_is_cv2_mean_to_the_last_bit(img):
    colour = img[:, :, :3] if img.ndim == 3 and img.shape[2] == 4 else img
    means = cv2.mean(np.ascontiguousarray(colour))[:colour.shape[2] if colour.ndim == 3 else 1]
    want = float(np.dot(means, LUMA_WEIGHTS)) if len(means) == 3 else float(np.mean(means))
    assert F.contrast_mean(img) == want


@pytest.mark.parametrize("img", _images(u8_only=True), ids=lambda a: str(a.shape))
@pytest.mark.parametrize("factor", [0.0, 0.55, 1.0, 1.3, 3.7])
def test_contrast_lut_is_the_float32_formula(img, factor):
    colour = img[:, :, :3] if img.ndim == 3 and img.shape[2] == 4 else img
    m = np.float32(F.contrast_mean(img))
    want = np.clip(np.rint(m + np.float32(factor) * (colour.astype(np.float32) - m)), 0, 255).astype(np.uint8)
    out = F.adjust_contrast(img, factor=factor)
    np.testing.assert_array_equal(out[..., :3] if colour is not img else out, want)


def _grid_mask_by_pixel(img, unit, ratio, seed, fill):
    h, w = img.shape[:2]
    d = max(2, round(unit * min(h, w)))
    r = min(d - 1, max(1, round(ratio * d)))
    oy, ox = (int(v) for v in np.random.default_rng(seed).integers(0, d, 2))
    mask = (((np.arange(h) + oy) % d) < r)[:, None] & (((np.arange(w) + ox) % d) < r)[None, :]
    out = img.copy()
    colour = out[:, :, :3] if out.ndim == 3 and out.shape[2] == 4 else out
    colour[mask] = fill_scalar(img.dtype, fill)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_grid_mask_fills_exactly_the_cells_of_the_definition(seed):
    g = np.random.default_rng(seed)
    h, w = (int(v) for v in g.integers(1, 90, 2))
    img = g.integers(0, 256, [(h, w), (h, w, 3), (h, w, 4), (h, w, 1)][seed % 4]).astype(np.uint8)
    if seed % 5 == 0:
        img = img.astype(np.float32) / np.float32(255)
    unit, ratio, fill = float(g.uniform(0.01, 1)), float(g.uniform(0, 1)), float(g.uniform(0, 1))
    np.testing.assert_array_equal(F.grid_mask(img, unit=unit, ratio=ratio, seed=seed, fill=fill),
                                  _grid_mask_by_pixel(img, unit, ratio, seed, fill))


@pytest.mark.parametrize("img", _images(u8_only=True), ids=lambda a: str(a.shape))
def test_autocontrast_uint8_is_the_per_channel_stretch(img):
    colour = img[:, :, :3] if img.ndim == 3 and img.shape[2] == 4 else img
    chans = colour.reshape(colour.shape[0], colour.shape[1], -1).astype(np.float32)
    want = np.empty(chans.shape, np.uint8)
    for k in range(chans.shape[2]):
        lo, hi = float(chans[:, :, k].min()), float(chans[:, :, k].max())
        lut = np.arange(256, dtype=np.float32) if hi <= lo else np.clip(
            np.rint((np.arange(256, dtype=np.float32) - lo) * np.float32(255.0 / (hi - lo))), 0, 255)
        want[:, :, k] = lut.astype(np.uint8)[colour.reshape(chans.shape)[:, :, k]]
    out = F.autocontrast(img)
    np.testing.assert_array_equal(out[..., :3] if colour is not img else out, want.reshape(colour.shape))
    if colour is not img:
        np.testing.assert_array_equal(out[..., 3], img[..., 3])


@pytest.mark.parametrize("shift", [-0.4, 0.05, 0.5])
def test_hue_shift_is_the_hue_lut_on_opencv_hsv(shift):
    img = RNG.integers(0, 256, (19, 23, 3)).astype(np.uint8)
    hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    hsv[:, :, 0] = (hsv[:, :, 0].astype(int) + round(shift * 180)) % 180
    np.testing.assert_array_equal(F.adjust_hue(img, shift=shift), cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB))


@pytest.mark.parametrize("i", range(12))
def test_grid_distortion_interleaved_map_equals_two_float_maps(i):
    g = np.random.default_rng(100 + i)
    h, w = (int(v) for v in g.integers(1, 80, 2))
    img = g.integers(0, 256, [(h, w), (h, w, 3), (h, w, 4)][i % 3]).astype(np.uint8)
    if i % 4 == 0:
        img = img.astype(np.float32) / np.float32(255)
    interp = ("nearest", "bilinear", "bicubic")[i % 3]
    border = ("constant", "reflect", "wrap", "replicate")[i % 4]
    kw = {"num_steps": int(g.integers(1, 8)), "distort": float(g.uniform(0, 0.6)), "seed": i}
    mx, my = G.grid_distortion_maps(h, w, **kw)
    want = cv2.remap(G._cv_source(img, border), mx.astype(np.float32), my.astype(np.float32),
                     cv_interp(interp), borderMode=cv_border(border), borderValue=fill_value(img, 0.2))
    if img.dtype == np.float32 and interp == "bicubic":
        np.clip(want, 0.0, 1.0, out=want)
    out = G.grid_distortion(img, interpolation=interp, border=border, fill=0.2, **kw)
    np.testing.assert_array_equal(out, want.reshape(out.shape))


@pytest.mark.parametrize("shape", [(300, 16, 16), (70, 9, 11, 3), (40, 32, 32, 4)])
@pytest.mark.parametrize("border", ["constant", "reflect"])
def test_batch_warp_in_chunks_equals_one_pass(monkeypatch, shape, border):
    xs = RNG.integers(0, 256, shape).astype(np.uint8)
    n, h, w = shape[:3]
    m = G.affine_matrices(h, w, angle=RNG.uniform(-40, 40, n), tx=RNG.uniform(-3, 3, n),
                          ty=RNG.uniform(-3, 3, n), scale=RNG.uniform(0.8, 1.2, n), shear=np.zeros(n))
    chunked = G.warp_affine_batch(xs, m, border=border, fill=0.4)
    monkeypatch.setattr(G, "_CHUNK_PIXELS", 10**9)
    np.testing.assert_array_equal(chunked, G.warp_affine_batch(xs, m, border=border, fill=0.4))


@pytest.mark.parametrize("shape", [(9, 16, 16), (6, 10, 12, 3), (5, 8, 8, 4), (4, 7, 5, 1)])
@pytest.mark.parametrize("dtype", [np.uint8, np.float32])
@pytest.mark.parametrize("holes", [(1, 1), (1, 6)])
def test_cutout_and_noise_batches_are_the_per_item_bytes(shape, dtype, holes):
    from augviz.image import Cutout, GaussianNoise

    xs = RNG.integers(0, 256, shape).astype(np.uint8)
    if dtype == np.float32:
        xs = xs.astype(np.float32) / np.float32(255)
    for t in (Cutout(holes=holes, size=(0.05, 0.6), fill=0.3), GaussianNoise(std=(0.0, 0.4)),
              GaussianNoise(std=(0.1, 0.2), per_channel=False)):
        values = t.sample_batch(RNG, len(xs), xs)
        out = t.apply_batch(xs, values)
        want = np.stack([t.apply(x, **{k: v[i].item() if hasattr(v[i], "item") else v[i]
                                       for k, v in values.items()}) for i, x in enumerate(xs)])
        assert out.dtype == want.dtype
        np.testing.assert_array_equal(out, want)


@pytest.mark.parametrize("i", range(16))
def test_crop_pad_reads_the_crop_in_place(i):
    g = np.random.default_rng(200 + i)
    h, w = (int(v) for v in g.integers(1, 50, 2))
    img = g.integers(0, 256, [(h, w), (h, w, 1), (h, w, 3), (h, w, 4)][i % 4]).astype(np.uint8)
    top, right, bottom, left = (float(v) for v in g.uniform(-0.4, 0.4, 4))
    border = ("constant", "reflect", "replicate", "wrap")[i % 4]
    y0, y1, x0, x1, pads = G._crop_pad_sides(h, w, top, right, bottom, left)
    crop = np.ascontiguousarray(img[y0:y1, x0:x1])
    if any(pads):
        crop = cv2.copyMakeBorder(crop, *pads, cv_border(border), value=fill_value(img, 0.3))
        crop = crop[:, :, None] if img.ndim == 3 and crop.ndim == 2 else crop
    want = G.resize(crop, h, w)
    np.testing.assert_array_equal(G.crop_pad(img, top, right, bottom, left, border=border, fill=0.3), want)


@pytest.mark.parametrize("tid", ["image.brightness", "image.contrast", "image.gamma", "image.posterize",
                                 "image.solarize", "image.autocontrast", "image.hue", "image.color_jitter"])
def test_lookup_ops_give_the_same_bytes_without_stringzilla(tid, monkeypatch):
    """stringzilla is optional (it comes with albumentations): without it the lookups run
    through OpenCV and must give the same bytes."""
    from augviz.core import get as get_transform
    from augviz.image.functional import _common

    imgs = [RNG.integers(0, 256, s).astype(np.uint8) for s in ((33, 47, 3), (20, 30), (16, 16, 1))]
    t = get_transform(tid)()

    def run():
        return [t(img, rng=seed) for img in imgs for seed in range(4)]

    with_sz = run()
    monkeypatch.setattr(_common, "_SZ", False)
    without = run()
    for a, b in zip(with_sz, without, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(9, 11, 3), (9, 11), (9, 11, 4), (3, 9, 11, 3)])
def test_add_noise_reusing_the_noise_buffer_gives_the_same_bytes(dtype, shape):
    from augviz.image.functional import blur_noise as B

    g = np.random.default_rng(7)
    img = g.integers(0, 256, shape).astype(np.uint8)
    if dtype != np.uint8:
        img = (img / 255).astype(dtype)
    colour_shape = (*shape[:-1], 3) if shape[-1] == 4 else shape
    scale = np.float32(40 if dtype == np.uint8 else 0.2)
    for noise_shape in (colour_shape, (*colour_shape[:-1], 1)):
        noise = g.standard_normal(noise_shape).astype(np.float32) * scale
        want = B.add_noise(img, noise.copy())
        got = B.add_noise(img, noise.copy(), reuse_noise=True)
        assert got.dtype == want.dtype and got.dtype == img.dtype
        np.testing.assert_array_equal(got, want)


def _image_transform_ids():
    from augviz.core.registry import catalogue, preprocess_catalogue

    return [c.id for c in (*catalogue("image"), *preprocess_catalogue("image"))]


@pytest.mark.parametrize("tid", _image_transform_ids())
def test_the_direct_uint8_call_is_the_general_call(tid):
    """``ImageTransform.__call__`` hands uint8 arrays straight to the kernel: the same
    bytes, shape and dtype as the general ``Transform.__call__``, and the generator left
    in the same state (with a ``p`` that sometimes skips)."""
    from augviz.core import Transform
    from augviz.core.registry import catalogue, preprocess_catalogue

    cls = next(c for c in (*catalogue("image"), *preprocess_catalogue("image")) if c.id == tid)
    g = np.random.default_rng(11)
    shapes = ((24, 31, 3), (17, 20), (16, 16, 1), (12, 14, 4))
    imgs = [g.integers(0, 256, s).astype(np.uint8) for s in shapes]
    t = cls(p=0.7)
    for img in imgs:
        a, b = np.random.default_rng(5), np.random.default_rng(5)
        for _ in range(3):
            try:
                want = Transform.__call__(t, img, b)
            except Exception as exc:  # a transform that refuses this input refuses it both ways
                with pytest.raises(type(exc)):
                    t(img, a)
                a.bit_generator.state = b.bit_generator.state
                continue
            got = t(img, a)
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got, want)
            assert a.bit_generator.state == b.bit_generator.state


@pytest.mark.parametrize("shape", [(5, 5, 2), (0, 4, 3), (4, 0), (2, 3, 3, 3)])
def test_the_direct_call_refuses_what_the_general_call_refuses(shape):
    from augviz.core import InputError
    from augviz.image import Invert

    with pytest.raises(InputError, match="image"):
        Invert()(np.zeros(shape, np.uint8), 0)
