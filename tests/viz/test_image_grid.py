"""The image grid: geometry, pixels, captions, errors, and grids of augmentations."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from augviz import InputError, Recipe
from augviz.datasets import load_digits, sample_image
from augviz.image import HorizontalFlip, Rotate
from augviz.viz import encode_image, image_grid, plot_grid, show_grid
from augviz.viz.image import caption_for, grid_for


def cell(grid: np.ndarray, r: int, c: int, tile: int, pad: int, cap_h: int = 0) -> np.ndarray:
    y = pad + r * (tile + cap_h + pad)
    x = pad + c * (tile + pad)
    return grid[y : y + tile, x : x + tile]


def test_grid_shape_is_rows_by_tiles_plus_padding():
    img = np.zeros((20, 30, 3), np.uint8)
    grid = image_grid([[img] * 3, [img] * 2], tile=40, pad=5)
    assert grid.shape == (2 * 40 + 3 * 5, 3 * 40 + 4 * 5, 3)
    assert grid.dtype == np.uint8


def test_a_tile_equals_the_input_when_sizes_match_and_colour_is_kept():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    grid = image_grid([[a, b]], tile=32, pad=3)
    np.testing.assert_array_equal(cell(grid, 0, 0, 32, 3), a)
    np.testing.assert_array_equal(cell(grid, 0, 1, 32, 3), b)


def test_a_large_image_is_downsized_to_the_tile():
    photo = sample_image("astronaut", size=256)
    grid = image_grid([[photo]], tile=128, pad=0)
    expected = np.asarray(Image.fromarray(photo).reduce(2))  # 2×2 box average
    diff = np.abs(grid.astype(int) - expected.astype(int))
    assert diff.max() <= 1


def test_small_images_are_enlarged_with_crisp_pixels():
    digit = np.array([[0, 255], [255, 0]], np.uint8)
    grid = image_grid([[digit]], tile=8, pad=0)
    np.testing.assert_array_equal(grid[:4, :4], 0)
    np.testing.assert_array_equal(grid[:4, 4:], 255)


def test_aspect_is_kept_and_the_rest_is_background():
    tall = np.zeros((64, 16, 3), np.uint8)
    grid = image_grid([[tall]], tile=32, pad=0, background=(10, 200, 30))
    assert (grid[:, 12:20] == 0).all()  # 8 px wide, centred
    assert (grid[:, :12] == (10, 200, 30)).all()
    assert (grid[:, 20:] == (10, 200, 30)).all()


@pytest.mark.parametrize(
    "img",
    [
        np.full((8, 8), 100, np.uint8),
        np.full((8, 8, 1), 100, np.uint8),
        np.full((8, 8), 100 / 255, np.float32),
        Image.new("L", (8, 8), 100),
    ],
    ids=["HW", "HW1", "float32", "PIL-L"],
)
def test_grey_inputs_are_promoted_to_rgb(img):
    grid = image_grid([[img]], tile=8, pad=0)
    assert grid.shape == (8, 8, 3)
    assert (grid == 100).all()


def test_pil_rgb_colour_is_kept():
    grid = image_grid([[Image.new("RGB", (10, 10), (200, 30, 60))]], tile=10, pad=0)
    assert (grid == (200, 30, 60)).all()


def test_rgba_is_composited_on_the_background():
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 255  # red
    rgba[:, :2, 3] = 255  # left half opaque, right half transparent
    grid = image_grid([[rgba]], tile=4, pad=0, background=(0, 0, 255))
    assert (grid[:, :2] == (255, 0, 0)).all()
    assert (grid[:, 2:] == (0, 0, 255)).all()


def test_ragged_rows_leave_background():
    img = np.zeros((8, 8, 3), np.uint8)
    grid = image_grid([[img, img], [img]], tile=8, pad=0, background=255)
    assert (grid[8:, 8:] == 255).all()
    assert (grid[8:, :8] == 0).all()


def test_captions_add_a_strip_and_draw_text_under_the_tile():
    img = np.zeros((32, 32, 3), np.uint8)
    plain = image_grid([[img, img]], tile=32, pad=2)
    captioned = image_grid([[img, img]], [["angle=12", ""]], tile=32, pad=2)
    assert captioned.shape[0] > plain.shape[0]
    assert captioned.shape[1] == plain.shape[1]
    strip = captioned[2 + 32 :]
    left, right = strip[:, 2 : 2 + 32], strip[:, 36 : 36 + 32]
    assert (left < 128).any(), "text should darken the white strip under the first tile"
    assert (right == 255).all(), "an empty caption draws nothing"
    np.testing.assert_array_equal(cell(captioned, 0, 0, 32, 2), img)


def test_different_captions_give_different_pixels():
    img = np.zeros((32, 32), np.uint8)
    a = image_grid([[img]], [["angle=1.0"]], tile=64)
    b = image_grid([[img]], [["angle=9.9"]], tile=64)
    assert a.shape == b.shape
    assert not np.array_equal(a, b)


def test_long_captions_wrap_and_caption_height_is_respected():
    img = np.zeros((32, 32), np.uint8)
    one = image_grid([[img]], [["a=1"]], tile=64, pad=0)
    long = image_grid([[img]], [["angle=12.3 scale=1.05 shift=(0.1,0.2) hflip"]], tile=64, pad=0)
    assert long.shape[0] > one.shape[0]
    fixed = image_grid([[img]], [["x"]], tile=64, pad=0, caption_height=30)
    assert fixed.shape[0] == 64 + 30


def test_dark_background_gets_light_text():
    img = np.zeros((32, 32), np.uint8)
    grid = image_grid([[img]], [["HELLO"]], tile=64, pad=0, background=0)
    assert (grid[64:] > 128).any()


@pytest.mark.parametrize(
    ("rows", "captions", "match"),
    [
        ([], None, "empty"),
        ([[]], None, "empty"),
        (np.zeros((8, 8)), None, "list of rows"),
        ([np.zeros((8, 8), np.uint8)], None, r"rows\[0\]"),
        ([["not an image"]], None, r"rows\[0\]\[0\] is a str"),
        ([[np.zeros((8, 8, 2), np.uint8)]], None, r"shape \(8, 8, 2\)"),
        ([[np.zeros((8, 8), np.int64)]], None, "dtype int64"),
        ([[np.zeros((0, 8), np.uint8)]], None, "empty image"),
        ([[np.zeros((8, 8), np.uint8)] * 2], [["a"]], r"captions\[0\] must be a list of 2"),
        ([[np.zeros((8, 8), np.uint8)]], [["a"], ["b"]], "list of 1 rows"),
        ([[np.zeros((8, 8), np.uint8)]], "abc", "captions must be"),
    ],
)
def test_bad_input_is_an_input_error(rows, captions, match):
    with pytest.raises(InputError, match=match):
        image_grid(rows, captions)


@pytest.mark.parametrize(
    ("kw", "match"),
    [({"tile": 0}, "tile=0"), ({"pad": -1}, "pad=-1"), ({"background": 300}, "background"),
     ({"caption_height": -2}, "caption_height")],
)
def test_bad_options_are_input_errors(kw, match):
    with pytest.raises(InputError, match=match):
        image_grid([[np.zeros((8, 8), np.uint8)]], **kw)


@pytest.mark.parametrize("fmt", ["jpeg", "png"])
def test_encode_image_round_trips(fmt):
    img = sample_image("chelsea", size=64)
    data = encode_image(img, fmt)
    back = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert back.shape == img.shape
    tol = 0 if fmt == "png" else 40
    assert np.abs(back.astype(int) - img.astype(int)).mean() <= max(tol / 4, 0)
    if fmt == "png":
        np.testing.assert_array_equal(back, img)


def test_encode_image_rejects_unknown_format():
    with pytest.raises(InputError, match="'gif'"):
        encode_image(np.zeros((4, 4), np.uint8), "gif")


def test_grid_for_has_originals_first_then_n_variants():
    x, _ = load_digits()
    grid = grid_for(Rotate(angle=(-30, 30)), x[:3], n=4, rng=0, tile=32, pad=2, captions=False)
    assert grid.shape == (3 * 32 + 4 * 2, 5 * 32 + 6 * 2, 3)
    first = cell(grid, 1, 0, 32, 2)[:, :, 0]
    expected = np.rint(np.repeat(np.repeat(x[1], 2, 0), 2, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(first, expected)


def test_grid_for_is_reproducible_and_varies_with_the_seed():
    img = sample_image("chelsea", size=64)
    r = Recipe([Rotate(angle=(-40, 40)), HorizontalFlip(p=0.5)])
    a = grid_for(r, img, n=3, rng=5, tile=64)
    assert np.array_equal(a, grid_for(r, img, n=3, rng=5, tile=64))
    assert not np.array_equal(a, grid_for(r, img, n=3, rng=6, tile=64))


def test_grid_for_captions_show_the_sampled_values():
    r = Recipe([Rotate(angle=(-40, 40)), HorizontalFlip(p=1.0)])
    _, records = r.trace(np.zeros((8, 8), np.uint8), rng=0)
    text = caption_for(r, records)
    angle = records[0]["values"]["angle"]
    shown, rest = text.split(", ")
    assert shown.startswith("angle=")
    assert float(shown.removeprefix("angle=")) == pytest.approx(angle, abs=0.05)
    assert rest == "hflip"
    # fixed parameters (interpolation, border, fill) are left out
    assert "interpolation" not in text


@pytest.mark.parametrize(
    ("value", "text"),
    [(123.456, "x=123"), (12.345, "x=12.3"), (1.2345, "x=1.23"), (0.12345, "x=0.123"),
     (0.012345, "x=0.012"), (0.0, "x=0")],
)
def test_caption_numbers_are_compact(value, text):
    r = Recipe([Rotate(angle=(-40, 40))])
    records = [{"path": "steps[0]", "transform": "image.rotate", "applied": True,
                "values": {"x": value}}]
    assert caption_for(r, records) == text


def test_caption_for_skipped_steps_says_unchanged():
    r = Recipe([HorizontalFlip(p=0.0)])
    _, records = r.trace(np.zeros((8, 8), np.uint8), rng=0)
    assert caption_for(r, records) == "unchanged"


def test_grid_for_rejects_non_transforms():
    with pytest.raises(InputError, match="Recipe, a Transform"):
        grid_for(lambda x: x, np.zeros((8, 8), np.uint8))
    with pytest.raises(InputError, match="n=0"):
        grid_for(Rotate(), np.zeros((8, 8), np.uint8), n=0)


def test_show_grid_returns_a_displayable_png():
    out = show_grid(HorizontalFlip(), sample_image("coffee", size=32), n=2, rng=0, tile=32)
    assert out.data[1:4] == b"PNG"


def test_plot_grid_draws_on_the_given_axes():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        im = plot_grid(Rotate(angle=(-10, 10)), load_digits()[0][:2], n=2, rng=0, ax=ax, tile=32)
        assert im.axes is ax
        assert im.get_array().shape[1] == 3 * 32 + 4 * 4
    finally:
        plt.close(fig)


def test_grid_for_row_labels_replace_original_and_are_checked():
    img = np.zeros((16, 16), np.uint8)
    a = grid_for(Rotate(), [img, img], n=1, rng=0, tile=64, row_labels=["one", "two"])
    b = grid_for(Rotate(), [img, img], n=1, rng=0, tile=64)
    assert a.shape == b.shape
    assert not np.array_equal(a, b)
    with pytest.raises(InputError, match="row_labels must be a list of 2"):
        grid_for(Rotate(), [img, img], n=1, row_labels=["one"])
