"""Images one pixel tall or wide through the warping transforms.

OpenCV's reflect border never returns on a 1-px axis with bicubic weights (a hang that
Ctrl-C cannot stop), so the cases run in a child process with a time limit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import augviz
from augviz.image.functional import geometric as G

ROOT = Path(augviz.__file__).resolve().parent.parent

#: transform id -> parameters that leave the image where it is
IDENTITY = {
    "image.rotate": {"angle": (0.0, 0.0)},
    "image.affine": {"angle": (0.0, 0.0), "translate": (0.0, 0.0), "scale": (1.0, 1.0)},
    "image.perspective": {"scale": (0.0, 0.0)},
    "image.elastic": {"alpha": (0.0, 0.0)},
    "image.grid_distortion": {"distort": (0.0, 0.0)},
}

CHILD = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from augviz.core import registry

    identity = json.loads(sys.argv[1])
    results = []
    for tid, params in identity.items():
        cls = registry.get(tid)
        for shape in [(1, 40), (40, 1), (1, 1), (1, 40, 3)]:
            for dtype in ("uint8", "float32"):
                rng = np.random.default_rng(0)
                img = rng.random(shape).astype(np.float32)
                if dtype == "uint8":
                    img = (img * 255).astype(np.uint8)
                for interpolation in ("bilinear", "bicubic"):
                    t = cls(interpolation=interpolation, border="reflect", **params)
                    still = t(img, rng=1)
                    moved = cls(interpolation=interpolation, border="reflect")(img, rng=1)
                    results.append({
                        "case": f"{tid} {shape} {dtype} {interpolation}",
                        "identity": bool(np.allclose(still.astype(np.float32), img.astype(np.float32),
                                                     atol=1.01 if dtype == "uint8" else 1e-5)),
                        "shape": still.shape == img.shape and moved.shape == img.shape,
                        "finite": bool(np.isfinite(moved.astype(np.float32)).all()),
                    })
    print(json.dumps(results))
    """
)


def test_one_pixel_images_warp_in_time_and_stay_put_under_identity_parameters() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(IDENTITY)], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout)
    assert len(results) == len(IDENTITY) * 4 * 2 * 2
    wrong = [r["case"] for r in results if not (r["identity"] and r["shape"] and r["finite"])]
    assert wrong == []


@pytest.mark.parametrize("shape", [(1, 40), (40, 1)])
def test_perspective_of_a_one_pixel_image_is_a_real_warp(shape: tuple[int, int]) -> None:
    # four corners on one line gave a singular matrix: every pixel became the same value
    img = np.linspace(0.0, 1.0, 40, dtype=np.float32).reshape(shape)
    out = G.perspective(img, scale=0.05, seed=3, border="reflect")
    assert np.isfinite(out).all()
    assert np.median(np.abs(out - img)) < 0.1
    assert np.ptp(out) > 0.5
