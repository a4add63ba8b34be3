"""Pictures for the playground, drawn straight from numpy arrays into PNG bytes.

The playground redraws many times a second, so it does not go through
matplotlib: a heat map is an array of colours, a marker is a small stamp of
pixels, a curve is a row of short line pieces, and ``png_bytes`` packs the
array into a PNG with ``zlib`` (what a PNG file holds: a signature, a header
chunk, the compressed rows and an end chunk). ``benchmarks/bench_playground.py``
compares this with matplotlib.

Colours follow TensorFlow Playground's: orange for class 0, blue for class 1,
white where the network is undecided (output 0.5).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

ORANGE = np.array([245, 147, 34], dtype=np.float64)
BLUE = np.array([8, 119, 189], dtype=np.float64)
WHITE = np.array([255, 255, 255], dtype=np.float64)
INK = np.array([40, 40, 40], dtype=np.uint8)


# ------------------------------------------------------------------- PNG files
def png_bytes(rgb: np.ndarray, level: int = 1) -> bytes:
    """An (height, width, 3) uint8 image as the bytes of a PNG file.

    Every row is stored with filter type 0 (as is); ``level`` is zlib's
    compression level (1: fast, 9: small).
    """
    rgb = np.asarray(rgb)
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"png_bytes needs an (height, width, 3) uint8 array, got shape "
                         f"{rgb.shape} and dtype {rgb.dtype}")
    height, width = rgb.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # a 0 byte starts each row
    rows[:, 1:] = rgb.reshape(height, 3 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + chunk(b"IEND", b""))


# ------------------------------------------------------------------- colours
def diverging_colours(values: np.ndarray, low: float = 0.0, high: float = 1.0,
                      strength: float = 1.0) -> np.ndarray:
    """Map values to orange (``low``) - white (middle) - blue (``high``); uint8 (..., 3).

    ``strength`` < 1 fades the colours towards white (for backgrounds).
    """
    values = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=(low + high) / 2)
    t = np.clip((values - low) / (high - low) * 2 - 1, -1, 1)[..., None] * strength
    colour = np.where(t < 0, WHITE + (-t) * (ORANGE - WHITE), WHITE + t * (BLUE - WHITE))
    return colour.astype(np.uint8)


def upscale(image: np.ndarray, factor: int) -> np.ndarray:
    """Each pixel repeated into a ``factor`` x ``factor`` block."""
    return np.repeat(np.repeat(image, factor, axis=0), factor, axis=1)


# ------------------------------------------------------------------- markers
def _stamp(shape: str, size: int, inset: float) -> np.ndarray:
    """Boolean mask of a marker ``size`` pixels across, shrunk by ``inset`` pixels."""
    r = (size - 1) / 2
    yy, xx = np.mgrid[0:size, 0:size] - r
    if shape == "circle":
        return xx**2 + yy**2 <= (r + 0.3 - inset) ** 2
    if shape == "square":
        return np.maximum(np.abs(xx), np.abs(yy)) <= r - inset
    raise ValueError(f"marker shape must be 'circle' or 'square', got {shape!r}")


def draw_points(image: np.ndarray, points: np.ndarray, labels: np.ndarray, extent: float,
                shape: str = "circle", size: int = 10, hollow: bool = False) -> None:
    """Draw markers for ``points`` (n, 2) into ``image`` (H, W, 3) in place.

    The image shows the square [-extent, extent]^2 (x2 upwards). Class 1 is
    blue, class 0 orange; every marker has a dark outline. ``hollow`` markers
    are white inside a coloured ring, so their shape and fill tell them apart
    from the filled ones without colour.
    """
    height, width = image.shape[:2]
    half = size // 2
    cols = np.round((points[:, 0] + extent) / (2 * extent) * width - 0.5).astype(int) - half
    rows = np.round((extent - points[:, 1]) / (2 * extent) * height - 0.5).astype(int) - half
    keep = (cols >= 0) & (rows >= 0) & (cols + size <= width) & (rows + size <= height)
    rows, cols = rows[keep], cols[keep]
    colours = np.where(np.asarray(labels).reshape(-1, 1)[keep] > 0.5, BLUE, ORANGE)
    layers = [(_stamp(shape, size, 0), INK[None, :]),
              (_stamp(shape, size, 1.2), colours.astype(np.uint8))]
    if hollow:
        layers.append((_stamp(shape, size, 3.0), np.array([[255, 255, 255]], dtype=np.uint8)))
    for mask, colour in layers:  # all markers at once, one layer of pixels after another
        dy, dx = np.nonzero(mask)
        image[rows[:, None] + dy, cols[:, None] + dx] = colour[:, None, :]


def heat_map(probabilities: np.ndarray, pixels: int, points=(), extent: float = 1.5,
             strength: float = 0.75) -> np.ndarray:
    """The decision boundary: a (res, res) grid of probabilities as a pixels^2 RGB image.

    ``points``: (X, y, shape, hollow) tuples to draw on top, e.g. training
    points as filled circles and test points as hollow squares.
    """
    res = probabilities.shape[0]
    factor = max(1, pixels // res)
    image = upscale(diverging_colours(probabilities, strength=strength), factor)
    image = np.ascontiguousarray(image[:pixels, :pixels])
    for X, y, shape, hollow in points:
        draw_points(image, X, y, extent, shape=shape, hollow=hollow)
    return image


# ------------------------------------------------------------------- curves
def draw_polyline(image: np.ndarray, xs: np.ndarray, ys: np.ndarray, colour,
                  width: int = 2, dash: int = 0) -> None:
    """Join the pixel positions (xs[i], ys[i]) with straight pieces, in place.

    ``dash`` > 0 draws a dashed line: ``dash`` pixels on, ``dash`` off.
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if len(xs) == 1:
        xs, ys = np.repeat(xs, 2), np.repeat(ys, 2)
    lengths = np.hypot(np.diff(xs), np.diff(ys))
    n = np.maximum(np.ceil(lengths).astype(int), 1)
    seg = np.repeat(np.arange(len(n)), n)
    t = (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    px = xs[seg] + t * np.diff(xs)[seg]
    py = ys[seg] + t * np.diff(ys)[seg]
    if dash:
        along = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(px), np.diff(py)))])
        on = (along // dash) % 2 == 0
        px, py = px[on], py[on]
    height, width_px = image.shape[:2]
    for dy in range(width):
        for dx in range(width):
            r = np.round(py).astype(int) + dy - width // 2
            c = np.round(px).astype(int) + dx - width // 2
            ok = (r >= 0) & (r < height) & (c >= 0) & (c < width_px)
            image[r[ok], c[ok]] = colour


def loss_chart(train_loss, test_loss, width: int = 300, height: int = 110,
               top: float | None = None) -> np.ndarray:
    """Train (solid) and test (dashed) loss per epoch as an RGB image.

    The x axis spans the epochs so far; the y axis runs from 0 to ``top``
    (default: the largest loss shown, at least 0.1). Faint lines mark every
    quarter of ``top``.
    """
    image = np.full((height, width, 3), 255, dtype=np.uint8)
    values = np.asarray([train_loss, test_loss], dtype=np.float64)
    finite = values[np.isfinite(values)]
    if top is None:
        top = max(0.1, float(finite.max()) if finite.size else 1.0)
    margin = 4
    for q in (0.25, 0.5, 0.75, 1.0):
        image[int(round(margin + (1 - q) * (height - 2 * margin))), :] = 225
    image[height - margin, :] = 150
    n = values.shape[1]
    xs = np.linspace(margin, width - margin, n) if n > 1 else np.array([margin])
    for row, (colour, dash) in zip(values, ((INK, 0), ((90, 90, 90), 5)), strict=True):
        ys = margin + (1 - np.clip(np.nan_to_num(row, nan=top, posinf=top) / top, 0, 1)) \
            * (height - 2 * margin)
        draw_polyline(image, xs, ys, colour, width=2, dash=dash)
    return image


def draw_lines(image: np.ndarray, starts, ends, widths, colours, dashed, dash: int = 5) -> None:
    """Draw many straight lines at once into ``image`` (H, W, 3), in place.

    ``starts``, ``ends``: (n, 2) pixel positions (x, y); ``widths``: (n,) in
    pixels; ``colours``: (n, 3) uint8; ``dashed``: (n,) bools -- a dashed line
    is ``dash`` pixels on, ``dash`` off. Each line is sampled once per pixel of
    its length and thickened along its normal, all lines in one numpy pass.
    """
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    if len(starts) == 0:
        return
    delta = ends - starts
    length = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-9)
    samples = np.ceil(length).astype(int) + 1
    line = np.repeat(np.arange(len(starts)), samples)
    first = np.repeat(np.cumsum(samples) - samples, samples)
    t = (np.arange(samples.sum()) - first) / np.repeat(samples - 1, samples)
    along = t * length[line]
    keep = ~np.asarray(dashed, dtype=bool)[line] | ((along // dash) % 2 == 0)
    line, t = line[keep], t[keep]
    x = starts[line, 0] + t * delta[line, 0]
    y = starts[line, 1] + t * delta[line, 1]
    normal = (np.column_stack([-delta[:, 1], delta[:, 0]]) / length[:, None])[line]
    half = np.maximum(np.asarray(widths, dtype=float)[line] / 2, 0.5)  # at least 1 pixel
    offsets = np.arange(-np.ceil(half.max() * 2) / 2, half.max() + 0.01, 0.5)[:, None]
    on = np.abs(offsets) < half  # (offsets, samples): the offsets inside each line's width
    c = np.floor(x + offsets * normal[:, 0] + 0.5).astype(int)[on]  # round half up
    r = np.floor(y + offsets * normal[:, 1] + 0.5).astype(int)[on]
    colour = np.broadcast_to(np.asarray(colours, dtype=np.uint8)[line], on.shape + (3,))[on]
    height, width = image.shape[:2]
    inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
    image[r[inside], c[inside]] = colour[inside]


def resize_nearest(image: np.ndarray, size: int) -> np.ndarray:
    """A (h, w, ...) image resampled to (size, size, ...) by nearest neighbour."""
    rows = np.arange(size) * image.shape[0] // size
    cols = np.arange(size) * image.shape[1] // size
    return image[rows][:, cols]
