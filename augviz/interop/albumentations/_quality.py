"""albumentations ↔ augviz: blur, noise, sharpening and compression."""

from __future__ import annotations

from typing import Any

from .._base import InteropError, Mapping, read_only
from ._common import _NOTES, _int_pair, _pair


def _noise_in(d: dict[str, Any]) -> dict[str, Any]:
    if _pair(d.get("mean_range", (0, 0))) != (0.0, 0.0):
        raise InteropError("mean_range ≠ 0 (augviz noise is zero-mean)")
    if d.get("noise_scale_factor", 1.0) != 1.0:
        raise InteropError("noise_scale_factor ≠ 1")
    return {"std": _pair(d["std_range"]), "per_channel": bool(d.get("per_channel", True))}


def _jpeg_in(d: dict[str, Any]) -> dict[str, Any]:
    if d.get("compression_type", "jpeg") != "jpeg":
        raise InteropError(f"compression_type={d.get('compression_type')!r}")
    return {"quality": _int_pair(d["quality_range"])}


_JPEG_NOTE = ("albumentations hands the RGB array to OpenCV, which encodes it as BGR (chroma is subsampled "
              "on swapped channels): 2.8 / 4.4 / 5.0 grey levels mean difference on a photo at quality 90 / "
              "50 / 30")


def _odd_radius(limit: Any) -> tuple[int, int]:
    """albumentations' odd kernel sizes ``[lo, hi]`` (raised to odd, at least 3) as augviz
    radii: the same odd sizes, each as likely."""
    lo, hi = _int_pair(limit)
    lo, hi = max(3, lo | 1), max(3, hi | 1)
    return ((lo - 1) // 2, (max(lo, hi) - 1) // 2)


def _radius_out(v: dict[str, Any]) -> dict[str, Any]:
    lo, hi = v["radius"]
    if lo < 1:
        raise InteropError(
            f"radius {list(v['radius'])} includes 0 (albumentations' kernels are at least 3 px)")
    return {"blur_limit": [2 * lo + 1, 2 * hi + 1]}


def _opencv_sigma(size: int) -> float:
    """The sigma OpenCV derives from a kernel width when it is given none."""
    return 0.3 * ((max(3, size | 1) - 1) * 0.5 - 1) + 0.8


def _gaussian_blur_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _int_pair(d.get("blur_limit", (0, 0)))
    sigma = _pair(d.get("sigma_limit", (0.5, 3.0)))
    if sigma[0] <= 0.0 and hi > 0:  # albumentations 1.x: sigma 0 means "from the kernel width"
        derived = (_opencv_sigma(lo), _opencv_sigma(hi))
        return {"sigma": derived, "size": (lo, hi), _NOTES: [
            f"sigma_limit={list(sigma)}: OpenCV derives sigma from each kernel width; augviz draws "
            "sigma from "
            f"{[round(x, 3) for x in derived]} independently of the width"]}
    # albumentations draws randint(lo, hi) and raises even widths to odd; augviz the same
    return {"sigma": sigma, "size": (lo, hi)}


def _motion_angle(d: dict[str, Any]) -> tuple[float, float]:
    lo, hi = _pair(d.get("angle_range", (0.0, 360.0)))
    if hi - lo >= 180.0:  # a blur line is the same line turned by 180°: every direction
        return (-180.0, 180.0)
    # albumentations measures the angle with y pointing down; augviz counter-clockwise
    a, b = -hi, -lo
    while a < -180.0:
        a, b = a + 180.0, b + 180.0
    while b > 180.0:
        a, b = a - 180.0, b - 180.0
    return (a, b)


def _motion_in(d: dict[str, Any]) -> dict[str, Any]:
    lo, hi = _int_pair(d.get("blur_limit", (3, 7)))
    notes = ["albumentations draws odd kernel sizes; augviz draws a length of any integer in the range"]
    if d.get("allow_shifted", True):
        notes.append("allow_shifted=True: albumentations also shifts the blur line off centre (which moves "
                     "the image by up to a quarter of the kernel); augviz keeps it centred: 7.3 grey levels "
                     "mean difference on a photo at blur_limit (3, 7), over 20 draws")
    if _pair(d.get("direction_range", (0.0, 0.0))) != (0.0, 0.0):
        notes.append("direction_range: albumentations biases the line forwards or backwards; augviz blurs "
                     "symmetrically: 3.9 grey levels mean difference on a photo at direction_range (-1, 1), "
                     "blur_limit (3, 7), over 20 draws")
    return {"length": (max(1, lo), max(1, hi)), "angle": _motion_angle(d), _NOTES: notes}


def _motion_out(v: dict[str, Any]) -> dict[str, Any]:
    lo, hi = v["length"]
    a, b = v["angle"]
    # y down in albumentations; a line turned by 180° is the same line
    turned = [-b, -a] if -b >= 0.0 else [180.0 - b, 180.0 - a]
    angles = [0.0, 360.0] if b - a >= 180.0 else turned
    return {
        "blur_limit": [max(3, lo | 1), max(3, hi | 1)],
        "angle_range": angles,
        "direction_range": [0.0, 0.0],
        "allow_shifted": False,
    }


def _motion_notes(v: dict[str, Any]) -> list[str]:
    return ["albumentations draws odd kernel sizes; augviz draws a length of any integer in the range"]


def _sharpen_in(d: dict[str, Any]) -> dict[str, Any]:
    alpha = _pair(d.get("alpha", (0.2, 0.5)))
    if d.get("method", "kernel") != "kernel":
        return {"amount": alpha, "sigma": max(0.3, float(d.get("sigma", 1.0))), _NOTES: [
            "albumentations' gaussian method blurs with a kernel_size-wide kernel, augviz's is "
            "2·int(3.5·sigma) + 1 wide; on uint8 images albumentations 2.0.8 subtracts in uint8, which "
            "wraps around (32 grey levels mean difference on a photo at alpha 0.3, sigma 1): augviz "
            "computes the unsharp mask the method describes"]}
    # the kernel (1 − a)·δ + a·(−1 ring, 8 + L centre) is x·(1 + a(L − 1)) + 9a·(x − box3(x)): an
    # unsharp mask of amount 9a with a 3×3 box (σ ≈ 0.82 px) and a darkening for L < 1
    notes = [
        "albumentations sharpens with a 3×3 box, augviz with a Gaussian of σ = 0.82 px and amount 9·alpha: "
        "2.3 / 3.1 / 3.7 grey levels mean difference on a photo at alpha 0.2 / 0.35 / 0.5 with lightness 1 "
        "(the unsharpened photo is 15 / 22 / 28 away)"
    ]
    light = _pair(d.get("lightness", (0.5, 1.0)))
    if light != (1.0, 1.0):
        notes.append(
            f"lightness {list(light)} below 1 also darkens by 1 + alpha·(lightness − 1), which augviz leaves "
            "out: 5.6 grey levels mean difference at alpha 0.2, lightness 0.75"
        )
    if 9.0 * alpha[1] > 5.0:
        notes.append(f"alpha up to {alpha[1]:g} is capped at augviz's largest amount, 5 (alpha 0.56)")
    return {"amount": (min(5.0, 9.0 * alpha[0]), min(5.0, 9.0 * alpha[1])), "sigma": 0.82, _NOTES: notes}


def _salt_pepper_in(d: dict[str, Any]) -> dict[str, Any]:
    svp = _pair(d.get("salt_vs_pepper", (0.4, 0.6)))
    notes = ["albumentations draws the noisy pixels with its own generator: alike in amount, not pixel for "
             "pixel"]
    if svp[0] != svp[1]:
        notes.append(f"albumentations draws the salt share from {list(svp)}; augviz keeps it at "
                     f"{(svp[0] + svp[1]) / 2:g}")
    return {"amount": _pair(d.get("amount", (0.01, 0.06))), "salt": (svp[0] + svp[1]) / 2, _NOTES: notes}


#: mapped both ways
MAPPINGS: tuple[Mapping, ...] = (
    Mapping(
        "image.gaussian_blur",
        "GaussianBlur",
        lambda v: {"sigma_limit": list(v["sigma"]), "blur_limit": list(v["size"])},
        _gaussian_blur_in,
        example={"sigma": (0.4, 1.7), "size": (3, 5)},
    ),
    Mapping(
        "image.box_blur",
        "Blur",
        _radius_out,
        lambda d: {"radius": _odd_radius(d.get("blur_limit", (3, 7)))},
        example={"radius": (1, 4)},
    ),
    Mapping(
        "image.median_blur",
        "MedianBlur",
        _radius_out,
        lambda d: {"radius": _odd_radius(d.get("blur_limit", (3, 7)))},
        example={"radius": (2, 3)},
    ),
    Mapping(
        "image.motion_blur",
        "MotionBlur",
        _motion_out,
        _motion_in,
        example={"length": (5, 9), "angle": (-30.0, 60.0)},
        notes=_motion_notes,
    ),
    Mapping(
        "image.gaussian_noise",
        "GaussNoise",
        lambda v: {"std_range": list(v["std"]), "per_channel": v["per_channel"]},
        _noise_in,
        example={"std": (0.01, 0.2), "per_channel": False},
    ),
    Mapping(
        "image.jpeg",
        "ImageCompression",
        lambda v: {"quality_range": list(v["quality"]), "compression_type": "jpeg"},
        _jpeg_in,
        example={"quality": (40, 80)},
        notes=lambda v: [_JPEG_NOTE],
    ),
    Mapping(
        "image.iso_noise",
        "ISONoise",
        lambda v: {"color_shift": list(v["color_shift"]), "intensity": list(v["intensity"])},
        lambda d: {"color_shift": _pair(d.get("color_shift", (0.01, 0.05))),
                   "intensity": _pair(d.get("intensity", (0.1, 0.5)))},
        example={"color_shift": (0.02, 0.08), "intensity": (0.2, 0.7)},
    ),
    Mapping(
        "image.downscale",
        "Downscale",
        lambda v: {"scale_range": list(v["scale"])},
        lambda d: {"scale": _pair(d["scale_range"])},
        example={"scale": (0.3, 0.6)},
    ),
)

#: read as an augviz transform but never written (approximate)
ALIASES: tuple[Mapping, ...] = (
    Mapping("image.salt_pepper", "SaltAndPepper", read_only, _salt_pepper_in),
    Mapping("image.sharpen", "Sharpen", read_only, _sharpen_in),
)
