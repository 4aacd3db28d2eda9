"""Image grids: compose many images into one picture, fast (Pillow/numpy, no matplotlib).

The grid is a plain ``uint8`` H×W×3 array, so it can go straight into a
``widgets.Image`` (:func:`encode_image`), a picture a notebook shows (or a PNG file
outside one: :func:`show_grid`) or a matplotlib axes (:func:`plot_grid`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from augviz.core import InputError, Int, Recipe, as_recipe
from augviz.core.rng import RngLike, as_generator

__all__ = ["encode_image", "grid_for", "image_grid", "plot_grid", "show_grid"]

#: most caption lines drawn under a tile when ``caption_height`` is not given
MAX_CAPTION_LINES = 3
_FONT_SIZE = 11


# the arguments of the grid functions, as specs (one bound and doc each)
TILE = Int("tile", 1, 4096, 128, unit="px", doc="Cell size: each image is fitted into a square tile.")
PAD = Int("pad", 0, 256, 4, unit="px", doc="Gap between tiles.")
CAPTION_HEIGHT = Int("caption_height", 0, 512, 14, unit="px", doc="Height of the caption band.")
CAPTION_LINES = Int("caption_lines", 1, 32, MAX_CAPTION_LINES,
                    doc="Most lines a caption wraps to before it is cut with '…'.")
QUALITY = Int("quality", 1, 100, 85, doc="JPEG quality.")
VARIANTS = Int("n", 1, 64, 6, doc="Augmented variants per image.")


# -- single images -----------------------------------------------------------------
def _is_pil(x: Any) -> bool:
    return type(x).__module__.startswith("PIL.") and hasattr(x, "mode") and hasattr(x, "size")


def _is_list(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, str)


def _background_rgb(background: Any) -> tuple[int, int, int]:
    def ok(v: Any) -> bool:
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool) and 0 <= v <= 255

    if ok(background):
        values: tuple[Any, ...] = (background,) * 3
    elif _is_list(background) and len(background) == 3:
        values = tuple(background)
    else:
        values = ()
    if len(values) != 3 or not all(ok(v) for v in values):
        raise InputError(
            f"background={background!r} is not allowed; allowed: an int in [0, 255] or an "
            "(r, g, b) tuple of such ints"
        )
    return (int(values[0]), int(values[1]), int(values[2]))


def _to_uint8(img: Any, background: tuple[int, int, int], where: str) -> np.ndarray:
    """Any supported image as uint8 H×W (grey) or H×W×3 (alpha composited)."""
    if _is_pil(img):
        if img.size[0] == 0 or img.size[1] == 0:
            raise InputError(f"{where} is an empty image (size {img.size})")
        if img.mode not in ("L", "RGB", "RGBA"):
            img = img.convert("RGBA" if "A" in img.mode or "transparency" in img.info else "RGB")
        arr = np.asarray(img)
    elif isinstance(img, np.ndarray):
        arr = img
    else:
        raise InputError(
            f"{where} is a {type(img).__name__}; allowed: a PIL image or a numpy array "
            "(H, W) / (H, W, C) with C in 1, 3, 4"
        )
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (1, 3, 4)):
        raise InputError(
            f"{where} has shape {arr.shape}; allowed: (H, W) or (H, W, C) with C in 1, 3, 4"
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(f"{where} is an empty image (shape {arr.shape})")
    if arr.dtype == np.uint8:
        pass
    elif arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    elif arr.dtype.kind == "f":
        # displayed, not computed on: clip rather than reject slightly out-of-range floats
        arr = np.rint(np.clip(np.nan_to_num(arr, nan=0.0), 0.0, 1.0) * 255.0).astype(np.uint8)
    else:
        raise InputError(
            f"{where} has dtype {arr.dtype}; allowed: uint8, bool, or float in [0, 1]"
        )
    if arr.ndim == 2:
        return arr
    if arr.shape[2] == 1:
        return arr[:, :, 0]
    if arr.shape[2] == 4:
        alpha = arr[:, :, 3:4].astype(np.float32) / 255.0
        bg = np.asarray(background, np.float32)
        return np.rint(arr[:, :, :3] * alpha + bg * (1.0 - alpha)).astype(np.uint8)
    return np.ascontiguousarray(arr)


def _fit(arr: np.ndarray, tile: int) -> np.ndarray:
    """Resize to fit a ``tile``×``tile`` cell keeping aspect (area when shrinking,
    nearest when enlarging so small images such as digits stay crisp)."""
    h, w = arr.shape[:2]
    s = min(tile / h, tile / w)
    nh, nw = max(1, round(h * s)), max(1, round(w * s))
    if (nh, nw) == (h, w):
        return arr
    import cv2

    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_NEAREST
    return cv2.resize(arr, (nw, nh), interpolation=interp)


# -- targets drawn over a tile ------------------------------------------------------
#: colours of boxes (by label), keypoints (by index) and mask values (by value): the
#: matplotlib "tab10" set, distinct on photos and on flat backgrounds
_PALETTE = np.array([
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
], np.uint8)
_MASK_ALPHA = 0.45


def _colour(key: Any) -> tuple[int, int, int]:
    import zlib

    # ints index the palette in order; other labels by a stable checksum of their text
    i = key if isinstance(key, (int, np.integer)) and not isinstance(key, bool) else zlib.crc32(
        repr(key).encode())
    c = _PALETTE[int(i) % len(_PALETTE)]
    return int(c[0]), int(c[1]), int(c[2])


def _draw_targets(tile_img: np.ndarray, sample: Any, scale_x: float, scale_y: float) -> np.ndarray:
    """Masks (translucent, with outlines), boxes (outlined, labelled) and keypoints (dots
    in index colours) of ``sample`` over its image fitted to a tile."""
    import cv2

    out = tile_img if tile_img.ndim == 3 else np.repeat(tile_img[:, :, None], 3, axis=2)
    out = np.ascontiguousarray(out).copy()
    th, tw = out.shape[:2]
    for mask in sample.mask_list():
        m = cv2.resize(mask.astype(np.int32, copy=False).astype(np.float32), (tw, th),
                       interpolation=cv2.INTER_NEAREST).astype(np.int64)
        shown = m != 0
        if not shown.any():
            continue
        colours = np.zeros((th, tw, 3), np.float32)
        for value in np.unique(m[shown]):
            where = m == value
            colours[where] = (160, 160, 160) if value == sample.mask_fill and value else _colour(int(value))
        edge = shown & ((np.roll(m, 1, 0) != m) | (np.roll(m, 1, 1) != m)
                        | (np.roll(m, -1, 0) != m) | (np.roll(m, -1, 1) != m))
        alpha = np.where(edge, 0.9, np.where(shown, _MASK_ALPHA, 0.0)).astype(np.float32)[:, :, None]
        out = np.rint(out * (1 - alpha) + colours * alpha).astype(np.uint8)
    thick = 1 if max(th, tw) < 200 else 2
    # on small tiles text would hide the picture: the box colour alone names the label
    small = max(th, tw) < 96
    boxes = sample.boxes
    if boxes is not None and len(boxes):
        xyxy = boxes.to_xyxy(sample.shape)
        labels = boxes.labels or (None,) * len(xyxy)
        face = _typeface()
        for (x0, y0, x1, y1), label in zip(xyxy, labels, strict=True):
            colour = _colour(label)
            p0 = (round(x0 * scale_x), round(y0 * scale_y))
            p1 = (max(p0[0], round(x1 * scale_x) - 1), max(p0[1], round(y1 * scale_y) - 1))
            cv2.rectangle(out, p0, p1, colour, thick, lineType=cv2.LINE_8)
            if label is None or small:
                continue
            text = str(label)
            width = min(int(np.ceil(face.width(text))) + 3, tw - p0[0])
            lh = face.line_height
            ty = p0[1] - lh if p0[1] >= lh else p0[1]  # above the box, or inside at the top
            if width <= 2 or ty + lh > th:
                continue
            band = out[ty:ty + lh, p0[0]:p0[0] + width]
            ink = face.mask(text, width - 2)[:, :band.shape[1] - 2, None] * np.float32(1 / 255)
            band[:] = colour
            light = sum(colour) > 3 * 150
            inner = band[:, 1:1 + ink.shape[1]]
            inner[:] = np.rint(inner * (1 - ink) + (0.0 if light else 255.0) * ink).astype(np.uint8)
    points = sample.keypoints
    if points is not None and len(points):
        r = 1 if small else 2 if max(th, tw) < 200 else 3
        for i, ((x, y), seen) in enumerate(zip(points.xy, points.visible, strict=True)):
            if not seen:
                continue
            centre = (round((x + 0.5) * scale_x - 0.5), round((y + 0.5) * scale_y - 0.5))
            cv2.circle(out, centre, r + 1, (0, 0, 0), -1, lineType=cv2.LINE_8)
            cv2.circle(out, centre, r, _colour(i), -1, lineType=cv2.LINE_8)
    return out


def _is_sample(x: Any) -> bool:
    from augviz.image.targets import Sample

    return isinstance(x, Sample)


# -- captions ----------------------------------------------------------------------
class _Typeface:
    """Pillow's default font with a per-character glyph cache.

    FreeType renders a whole caption in about a millisecond; composing cached glyphs
    with numpy is ~20× faster, which keeps a captioned grid within a slider's budget.
    (Kerning is ignored; the default font barely uses it.)
    """

    def __init__(self) -> None:
        from PIL import ImageFont

        try:
            self.font: Any = ImageFont.load_default(size=_FONT_SIZE)
        except (TypeError, OSError):  # Pillow without FreeType: the bitmap font
            self.font = ImageFont.load_default()
        self.line_height = int(self.font.getbbox("Ag=|,")[3]) + 2
        self._glyphs: dict[str, tuple[np.ndarray, float]] = {}

    def glyph(self, ch: str) -> tuple[np.ndarray, float]:
        g = self._glyphs.get(ch)
        if g is None:
            from PIL import Image, ImageDraw

            advance = float(self.font.getlength(ch))
            if ch == " ":  # the default font's space is narrow for "a=1 b=2" captions
                advance = max(advance, float(self.font.getlength("n")))
            box = self.font.getbbox(ch)
            w = max(int(np.ceil(box[2])), int(np.ceil(advance)), 1) + 1
            img = Image.new("L", (w, self.line_height))
            ImageDraw.Draw(img).text((0, 0), ch, fill=255, font=self.font)
            g = self._glyphs[ch] = (np.asarray(img), advance)
        return g

    def width(self, text: str) -> float:
        return sum(self.glyph(ch)[1] for ch in text)

    @lru_cache(maxsize=512)  # noqa: B019 - one instance per process
    def mask(self, text: str, width: int) -> np.ndarray:
        """Coverage (0–255) of ``text`` in a line_height × ``width`` box."""
        out = np.zeros((self.line_height, width), np.uint8)
        x = 0.0
        for ch in text:
            alpha, advance = self.glyph(ch)
            x0 = round(x)
            if x0 >= width:
                break
            w = min(alpha.shape[1], width - x0)
            np.maximum(out[:, x0 : x0 + w], alpha[:, :w], out=out[:, x0 : x0 + w])
            x += advance
        return out


@lru_cache(maxsize=1)
def _typeface() -> _Typeface:
    return _Typeface()


def _wrap(text: str, width: int, face: _Typeface, max_lines: int | None) -> list[str]:
    """Greedy word wrap to ``width`` px; a line that still overflows ends in '…'."""
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for word in para.split(" "):
            cand = f"{cur} {word}" if cur else word
            if cur and face.width(cand) > width:
                lines.append(cur)
                cur = word
            else:
                cur = cand
        lines.append(cur)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1] + "…"
    out = []
    for line in lines:
        if face.width(line) > width:
            while line and face.width(line + "…") > width:
                line = line[:-1]
            line += "…"
        out.append(line)
    return out


def _wrap_all(caps: list[list[str]], width: int, face: _Typeface,
              max_lines: int) -> list[list[list[str]]]:
    return [[_wrap(c, width, face, max_lines) if c else [] for c in row] for row in caps]


def _check_captions(captions: Any, rows: list[list[Any]]) -> list[list[str]]:
    if not _is_list(captions) or len(captions) != len(rows):
        got = len(captions) if _is_list(captions) else captions
        raise InputError(
            f"captions must be a list of {len(rows)} rows (one per image row); got {got!r}"
        )
    out = []
    for i, (crow, row) in enumerate(zip(captions, rows, strict=True)):
        if not _is_list(crow) or len(crow) != len(row):
            n = len(crow) if _is_list(crow) else crow
            raise InputError(
                f"captions[{i}] must be a list of {len(row)} strings (like rows[{i}]); got {n!r}"
            )
        out.append(["" if c is None else str(c) for c in crow])
    return out


# -- the grid ----------------------------------------------------------------------
def image_grid(
    rows: Sequence[Sequence[Any]],
    captions: Sequence[Sequence[str | None]] | None = None,
    *,
    tile: int = 128,
    pad: int = 4,
    background: int | tuple[int, int, int] = 255,
    caption_height: int | None = None,
    targets: bool = True,
    caption_lines: int = MAX_CAPTION_LINES,
) -> np.ndarray:
    """Compose rows of images into one uint8 H×W×3 picture.

    Each image is fitted into a ``tile``×``tile`` cell keeping its aspect ratio
    (shrunk with area averaging, enlarged with nearest neighbour so small images stay
    crisp) and centred; grey images are shown as RGB, RGBA is composited on the
    background. Rows may have different lengths (missing cells stay background).

    Parameters
    ----------
    rows : list of lists of images
        PIL images or numpy arrays (H, W) / (H, W, C), C in 1, 3, 4; uint8, bool, or
        float in [0, 1] (clipped). Any sizes. An :class:`augviz.image.Sample` is
        drawn with its targets: masks as a translucent overlay with outlines, boxes
        as outlines in a colour per label (with the label written above them on tiles
        of 96 px and more), keypoints as dots coloured by index.
    captions : list of lists of str, optional
        Same nested shape as ``rows``; short text (e.g. sampled values) drawn small
        under each tile, wrapped to the tile width. ``None`` or ``""`` leaves a cell
        uncaptioned.
    tile : int
        Side of a cell in pixels (1–4096).
    pad : int
        Gap between cells and around the border, in pixels (0–256).
    background : int or (r, g, b)
        Colour of the gaps, of unfilled cell area and under transparent pixels.
    caption_height : int, optional
        Pixels reserved under each tile for its caption; by default enough for the
        longest caption, up to ``caption_lines`` lines.
    targets : bool
        Draw the masks, boxes and keypoints of Samples (``False``: the images only).
    caption_lines : int
        Most lines a caption wraps to (1–32, default 3); a longer one ends in '…'.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of shape ``(rows·(tile+caption_height) + (rows+1)·pad,
        cols·tile + (cols+1)·pad, 3)``.

    Raises
    ------
    InputError
        Empty ``rows``, an item that is not an image, ragged ``captions`` or bad sizes.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.zeros((32, 32), np.uint8)
    >>> b = np.full((64, 32, 3), 200, np.uint8)
    >>> image_grid([[a, b], [b]], tile=64, pad=2).shape
    (134, 134, 3)
    >>> image_grid([[a, b]], [["dark", "light"]], tile=64).shape[0] > 64 + 8
    True
    """
    tile, pad = TILE.check_argument(tile, where="tile"), PAD.check_argument(pad, where="pad")
    bg = _background_rgb(background)
    if _is_pil(rows) or isinstance(rows, (np.ndarray, str)) or not isinstance(rows, Sequence):
        raise InputError(
            f"rows must be a list of rows, each a list of images; got {type(rows).__name__} "
            "(for one image use [[img]]; for one row use [images])"
        )
    grid_rows: list[list[Any]] = []
    for i, row in enumerate(rows):
        if _is_pil(row) or isinstance(row, (np.ndarray, str)) or not isinstance(row, Sequence):
            raise InputError(
                f"rows[{i}] is a {type(row).__name__}; allowed: a list of images "
                "(wrap a single row as [row])"
            )
        grid_rows.append(list(row))
    if not grid_rows or not any(grid_rows):
        raise InputError("rows is empty; allowed: at least one row with at least one image")
    caps = None if captions is None else _check_captions(captions, grid_rows)

    n_rows, n_cols = len(grid_rows), max(len(r) for r in grid_rows)
    face = _typeface() if caps is not None else None
    if caption_height is None:
        if caps is None or not any(c for row in caps for c in row):
            cap_h, wrapped = 0, None
        else:
            wrapped = _wrap_all(caps, tile - 3, face,
                                CAPTION_LINES.check_argument(caption_lines, where="caption_lines"))
            lines = max(len(w) for row in wrapped for w in row)
            cap_h = lines * face.line_height + 2
    else:
        cap_h = CAPTION_HEIGHT.check_argument(caption_height, where="caption_height")
        wrapped = None
        if caps is not None and cap_h > 0:
            max_lines = max(1, (cap_h - 2) // face.line_height)
            wrapped = _wrap_all(caps, tile - 3, face, max_lines)

    cell_h = tile + cap_h
    height = n_rows * cell_h + (n_rows + 1) * pad
    width = n_cols * tile + (n_cols + 1) * pad
    # one tiled row copied down: broadcasting a 3-tuple into the canvas is ~50× slower
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = np.tile(np.asarray(bg, np.uint8), (width, 1))
    for r, row in enumerate(grid_rows):
        y0 = pad + r * (cell_h + pad)
        for c, item in enumerate(row):
            sample = item if _is_sample(item) else None
            source = _to_uint8(item if sample is None else sample.image, bg, f"rows[{r}][{c}]")
            arr = _fit(source, tile)
            if sample is not None and targets:
                arr = _draw_targets(arr, sample, arr.shape[1] / source.shape[1],
                                    arr.shape[0] / source.shape[0])
            h, w = arr.shape[:2]
            y, x = y0 + (tile - h) // 2, pad + c * (tile + pad) + (tile - w) // 2
            canvas[y : y + h, x : x + w] = arr[:, :, None] if arr.ndim == 2 else arr

    if wrapped is not None and cap_h > 0:
        ink = np.array((20, 20, 20) if sum(bg) >= 384 else (235, 235, 235), np.float32)
        lh = face.line_height
        for r, row in enumerate(wrapped):
            y0 = pad + r * (cell_h + pad) + tile
            cover = np.zeros((cap_h, width), np.uint8)  # one blend per caption strip
            for c, lines in enumerate(row):
                x0 = pad + c * (tile + pad) + 1
                for k, line in enumerate(lines):
                    if (k + 1) * lh + 1 > cap_h or not line:
                        continue
                    mask = face.mask(line, tile - 1)
                    cover[1 + k * lh : 1 + (k + 1) * lh, x0 : x0 + tile - 1] = mask
            a = cover[:, :, None] * np.float32(1 / 255)
            band = canvas[y0 : y0 + cap_h]
            band[:] = np.rint(band * (1.0 - a) + ink * a).astype(np.uint8)
    return canvas


def encode_image(arr: Any, format: str = "jpeg", quality: int = 85) -> bytes:
    """Encode an image as JPEG or PNG bytes (e.g. for ``ipywidgets.Image(value=...)``).

    PNG uses a low compression level: fast to encode, a little bigger.

    Parameters
    ----------
    arr : numpy array or PIL image
        Anything :func:`image_grid` accepts as a cell.
    format : {"jpeg", "jpg", "png"}
    quality : int
        JPEG quality, 1–100 (ignored for PNG).

    Examples
    --------
    >>> import numpy as np
    >>> encode_image(np.zeros((8, 8, 3), np.uint8))[:2] == b"\\xff\\xd8"
    True
    >>> encode_image(np.zeros((8, 8), np.uint8), "png")[1:4]
    b'PNG'
    """
    fmt = format.lower() if isinstance(format, str) else format
    if fmt not in ("jpeg", "jpg", "png"):
        raise InputError(f"format={format!r} is not allowed; allowed: 'jpeg', 'jpg', 'png'")
    quality = QUALITY.check_argument(quality, where="quality")
    import io

    from PIL import Image

    rgb = _to_uint8(arr, (255, 255, 255), "the image")
    buf = io.BytesIO()
    if fmt == "png":
        Image.fromarray(rgb).save(buf, format="PNG", compress_level=1)
    else:
        Image.fromarray(rgb).save(buf, format="JPEG", quality=int(quality))
    return buf.getvalue()


# -- grids of augmentations ----------------------------------------------------------
def _as_images(images: Any) -> list[Any]:
    if _is_pil(images) or _is_sample(images):
        return [images]
    if isinstance(images, np.ndarray):
        if images.ndim == 2 or (images.ndim == 3 and images.shape[2] in (1, 3, 4)):
            return [images]
        if images.ndim in (3, 4):
            return list(images)
        raise InputError(
            f"images has shape {images.shape}; allowed: one image (H, W) / (H, W, C) or a "
            "batch (N, H, W) / (N, H, W, C)"
        )
    if isinstance(images, Sequence) and not isinstance(images, str):
        if len(images) == 0:
            raise InputError("images is empty; allowed: one image or a list of images")
        return list(images)
    raise InputError(
        f"images is a {type(images).__name__}; allowed: a PIL image, a numpy image or batch, "
        "or a list of images"
    )


def _fmt(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v)).lower()
    if isinstance(v, (float, np.floating)):
        v = float(v)
        a = abs(v)
        s = f"{v:.0f}" if a >= 100 else f"{v:.3g}" if a >= 0.1 or a == 0 else f"{v:.2g}"
        return "0" if s == "-0" else s
    if isinstance(v, (list, tuple)):
        return "(" + ",".join(_fmt(x) for x in v) + ")"
    return str(v)


#: shorter names in captions, where a tile is ~20 characters wide
_SHORT = {"translate_x": "tx", "translate_y": "ty", "brightness": "bright",
          "saturation": "sat", "contrast": "contr"}


def value_labels(
    transform: Any, values: dict[str, Any], *, include_fixed: bool = False, units: bool = False
) -> list[str]:
    """``["angle=12.3", "tx=0.05", …]``: the values one application *drew*.

    Settings (choices, switches, fixed numbers) and ``seed`` are left out; so are ranges
    fixed to one value unless ``include_fixed`` (the Explorer's fixed mode shows them).
    Values drawn outside the specs (an affine shift's ``translate_x``) are kept.
    """
    specs = transform.param_specs()
    out = []
    for k, v in values.items():
        spec = specs.get(k)
        if k == "seed" or (spec is not None and spec.kind != "range"):
            continue
        if spec is not None and not include_fixed:
            lo, hi = transform.params[k]
            if lo == hi:
                continue
        unit = spec.symbol if units and spec is not None else ""
        out.append(f"{_SHORT.get(k, k)}={_fmt(v)}{unit}")
    return out


def caption_for(recipe: Recipe, records: Sequence[dict[str, Any]]) -> str:
    """A compact caption for one :meth:`Recipe.trace`: the values that were *drawn*
    (fixed parameters, ``seed`` and steps that did not fire are left out).

    Examples
    --------
    >>> import numpy as np
    >>> from augviz import Recipe
    >>> from augviz.image import Rotate
    >>> r = Recipe([Rotate(angle=(-30, 30))])
    >>> _, rec = r.trace(np.zeros((8, 8), np.uint8), rng=0)
    >>> caption_for(r, rec).startswith("angle=")
    True
    """
    parts: list[str] = []
    for rec in records:
        if not rec.get("applied") or rec.get("values") is None:
            continue
        shown = value_labels(recipe.at(rec["path"]), rec["values"])
        parts.append(" ".join(shown) if shown else rec["transform"].split(".", 1)[-1])
    return ", ".join(parts) if parts else "unchanged"


def grid_for(
    recipe_or_transform: Any,
    images: Any,
    n: int = 4,
    *,
    rng: RngLike = None,
    captions: bool = True,
    tile: int = 128,
    row_labels: Sequence[str] | None = None,
    **grid_kw: Any,
) -> np.ndarray:
    """A grid of augmentations: one row per image, the original first, then ``n``
    augmented variants with the values that were sampled written under each.

    Parameters
    ----------
    recipe_or_transform : Recipe, Transform, OneOf or SomeOf
    images : image, list of images, or a batch array (N, H, W[, C])
        Samples (:class:`augviz.image.Sample`) are drawn with their targets.
    n : int
        Augmented variants per image (1–64).
    rng : int, numpy Generator or None
        Makes the grid reproducible.
    captions : bool
        Write ``original`` and the sampled values (e.g. ``angle=12.3``) under tiles.
    tile : int
        Cell side in pixels.
    row_labels : list of str, optional
        Caption of each row's first tile instead of ``original`` (e.g. transform ids).
    **grid_kw
        Passed to :func:`image_grid` (``pad``, ``background``, ``caption_height``).

    Returns
    -------
    numpy.ndarray
        uint8 H×W×3.

    Examples
    --------
    >>> from augviz.image import Rotate
    >>> from augviz.datasets import load_digits
    >>> x, _ = load_digits()
    >>> grid = grid_for(Rotate(angle=(-30, 30)), x[:3], n=4, rng=0, tile=32, pad=2,
    ...                 captions=False)
    >>> grid.shape  # 3 rows, 1 + 4 columns of 32 px tiles, 2 px gaps
    (104, 172, 3)
    """
    n = VARIANTS.check_argument(n, where="n")
    recipe = as_recipe(recipe_or_transform, where="grid_for")
    items = _as_images(images)
    if row_labels is not None and (not _is_list(row_labels) or len(row_labels) != len(items)):
        raise InputError(
            f"row_labels must be a list of {len(items)} strings (one per image); got {row_labels!r}"
        )
    gen = as_generator(rng)
    rows, caps = [], []
    for i, item in enumerate(items):
        row, cap = [item], ["original" if row_labels is None else str(row_labels[i])]
        for _ in range(int(n)):
            out, records = recipe.trace(item, rng=gen)
            row.append(out)
            cap.append(caption_for(recipe, records))
        rows.append(row)
        caps.append(cap)
    return image_grid(rows, caps if captions else None, tile=tile, **grid_kw)


def show_grid(
    recipe_or_transform: Any,
    images: Any,
    n: int = 4,
    rng: RngLike = None,
    *,
    format: str = "png",
    **kw: Any,
) -> Any:
    """:func:`grid_for` as a picture: in a notebook the last expression of a cell shows
    it; in a script or at a plain Python prompt it is written to a PNG (or JPEG) file
    whose path is printed.

    Parameters
    ----------
    recipe_or_transform, images, n, rng
        As in :func:`grid_for`.
    format : {"png", "jpeg"}
        PNG keeps small images (digits) sharp; JPEG is smaller for photos.
    **kw
        Passed to :func:`grid_for` (``captions``, ``tile``, ``pad``, ...).

    Returns
    -------
    Picture
        ``.data`` (the encoded bytes), ``.path`` (the file written outside a notebook),
        ``.save(path)``.

    Examples
    --------
    >>> from augviz.image import HorizontalFlip
    >>> from augviz.datasets import sample_image
    >>> show_grid(HorizontalFlip(), sample_image("chelsea", size=64), n=2, rng=0)  # doctest: +SKIP
    """
    from ._display import Picture

    grid = grid_for(recipe_or_transform, images, n, rng=rng, **kw)
    fmt = format.lower() if isinstance(format, str) else format
    data = encode_image(grid, format)
    return Picture(data, "jpeg" if fmt == "jpg" else fmt, (grid.shape[1], grid.shape[0]), what="grid")


def plot_grid(
    recipe_or_transform: Any,
    images: Any,
    n: int = 4,
    rng: RngLike = None,
    *,
    ax: Any = None,
    **kw: Any,
) -> Any:
    """:func:`grid_for` drawn on a matplotlib axes (for figures in papers or reports).

    Parameters
    ----------
    recipe_or_transform, images, n, rng
        As in :func:`grid_for`.
    ax : matplotlib Axes, optional
        Drawn here; by default a new figure sized to show the grid at 100 dpi.
    **kw
        Passed to :func:`grid_for`.

    Returns
    -------
    matplotlib.image.AxesImage
        What was drawn (``.axes.figure`` is the figure). Never calls ``plt.show()``.

    Examples
    --------
    >>> from augviz.image import Rotate
    >>> from augviz.datasets import load_digits
    >>> im = plot_grid(Rotate(angle=(-20, 20)), load_digits()[0][:2], n=3, rng=0)  # doctest: +SKIP
    """
    grid = grid_for(recipe_or_transform, images, n, rng=rng, **kw)
    if ax is None:
        import matplotlib.pyplot as plt

        h, w = grid.shape[:2]
        _, ax = plt.subplots(figsize=(w / 100, h / 100), dpi=100)
        ax.set_position((0, 0, 1, 1))
    image = ax.imshow(grid, interpolation="nearest")
    ax.set_axis_off()
    return image
