"""Synthetic pictures for the simulated camera: a plant scene, its lens blur and sensor noise.

The scene description (``resources/sim/scene.json``) places things with x as a fraction of the
image width and y as a fraction of its height; sizes are fractions of the height, so shapes keep
their proportions and the same picture renders at 1280x720 or 4056x3040. Stems, leaves and soil
come from the scene's seed; only the per-pixel grain depends on the size. Everything here is
deterministic: the same arguments give the same pixels.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from eyepi_gui.domain.frame import Frame

Colour = tuple[int, int, int]
Vector = npt.NDArray[np.float64]
Noise = npt.NDArray[np.int8]
_AA = cv2.LINE_AA
_FONT = cv2.FONT_HERSHEY_SIMPLEX
_SOIL = (54, 40, 30)
_NOISE_SPAN = 13  # sensor noise is uniform in +-13 levels before scaling
NOISE_SIGMA = math.sqrt(((2 * _NOISE_SPAN + 1) ** 2 - 1) / 12)  # its std-dev, in levels


@dataclass(frozen=True)
class Plant:
    """Stem length and leaf half-length as fractions of the image height; RGB colours."""

    height: float
    stems: int
    leaves_per_stem: int
    leaf_size: float
    stem_colour: Colour
    leaf_colour: Colour


@dataclass(frozen=True)
class Pot:
    """Centre ``x`` (of width), ``rim`` top (of height), ``width`` and ``height`` (of height)."""

    x: float
    rim: float
    width: float
    height: float
    colour: Colour
    plant: Plant


@dataclass(frozen=True)
class Label:
    """A label card: top-left ``x`` (of width) and ``y`` (of height), size (of height)."""

    x: float
    y: float
    width: float
    height: float
    colour: Colour
    ink: Colour
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Scene:
    """The whole scene; ``grain`` is the per-pixel texture amplitude in 8-bit levels."""

    seed: int
    backdrop_top: Colour
    backdrop_bottom: Colour
    posts: tuple[float, ...]
    post_colour: Colour
    bench_top: float
    bench_colour: Colour
    grain: int
    pots: tuple[Pot, ...]
    label: Label


def load_scene(path: Path) -> Scene:
    """Read a scene description: JSON whose keys are the dataclass fields (``_`` keys skipped)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    pots = tuple(Pot(**_fields(pot, plant=Plant(**_fields(pot["plant"])))) for pot in data["pots"])
    return Scene(**_fields(data, pots=pots, label=Label(**_fields(data["label"]))))


def _fields(data: dict[str, Any], **nested: object) -> dict[str, Any]:
    """JSON lists as tuples, so a scene is hashable (it keys the render cache)."""
    fields = {
        key: tuple(value) if isinstance(value, list) else value for key, value in data.items()
    }
    return {key: value for key, value in fields.items() if not key.startswith("_")} | nested


@functools.lru_cache(maxsize=3)
def render_scene(scene: Scene, width: int, height: int) -> Frame:
    """The sharp, normally exposed scene: ``height`` x ``width`` x 3 RGB, read-only, cached."""
    layout = np.random.default_rng(scene.seed)
    image = _backdrop(scene, width, height, layout)
    for pot in scene.pots:
        _draw_pot(image, pot)
        _draw_plant(image, pot, layout)
    _draw_label(image, scene.label, layout)
    textured = _add_grain(image, scene.grain, np.random.default_rng([scene.seed, width, height]))
    textured.flags.writeable = False
    return textured


def _backdrop(scene: Scene, width: int, height: int, layout: np.random.Generator) -> Frame:
    """A graded wall with posts above the bench top, mottled soil below it."""
    rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None]
    top = np.asarray(scene.backdrop_top, np.float32)
    column = top + (np.asarray(scene.backdrop_bottom, np.float32) - top) * rows
    image = np.repeat(column[:, None, :], width, axis=1)
    bench = round(scene.bench_top * height)
    coarse = layout.random((9, 16), dtype=np.float32)
    mottle = cv2.resize(coarse, (width, height - bench), interpolation=cv2.INTER_CUBIC)
    image[bench:] = np.asarray(scene.bench_colour, np.float32) * (0.75 + 0.5 * mottle[..., None])
    frame = np.asarray(np.clip(image, 0, 255), np.uint8)
    half_post = max(1, round(0.008 * height))
    for x in scene.posts:
        left = round(x * width) - half_post
        cv2.rectangle(frame, (left, 0), (left + 2 * half_post, bench), scene.post_colour, -1)
    return frame


def _draw_pot(image: Frame, pot: Pot) -> None:
    """A tapered pot with a lighter rim band and dark soil showing at the top."""
    height, width = image.shape[:2]
    cx, rim = pot.x * width, pot.rim * height
    half, depth = pot.width * height / 2, pot.height * height
    corners = [(-half, 0), (half, 0), (0.72 * half, depth), (-0.72 * half, depth)]
    body = np.round(np.add(corners, (cx, rim))).astype(np.int32)
    cv2.fillPoly(image, [body], pot.colour, _AA)
    band = (_point(cx - half * 1.04, rim), _point(cx + half * 1.04, rim + depth * 0.12))
    cv2.rectangle(image, *band, _shade(pot.colour, 1.15), -1, _AA)
    axes = (round(half * 0.92), max(1, round(depth * 0.05)))
    cv2.ellipse(image, _point(cx, rim), axes, 0, 0, 360, _SOIL, -1, _AA)


def _draw_plant(image: Frame, pot: Pot, layout: np.random.Generator) -> None:
    """Curved stems rising from the pot's soil, each with leaves on alternating sides."""
    height, width = image.shape[:2]
    plant = pot.plant
    thickness = max(1, round(0.006 * height))
    for _ in range(plant.stems):
        start = (pot.x * width + layout.uniform(-0.25, 0.25) * pot.width * height, pot.rim * height)
        lean = layout.uniform(-0.6, 0.6)
        length = plant.height * height * layout.uniform(0.65, 1.0)
        path = _stem_path(start, lean, layout.uniform(-0.25, 0.25), length)
        stem = [np.round(path).astype(np.int32)]
        cv2.polylines(image, stem, False, plant.stem_colour, thickness, _AA)
        for leaf in range(plant.leaves_per_stem):
            at = path[round((0.4 + 0.6 * (leaf + 1) / plant.leaves_per_stem) * (len(path) - 1))]
            angle = lean + (-1) ** leaf * layout.uniform(0.5, 1.1)
            size = plant.leaf_size * height * layout.uniform(0.7, 1.2)
            colour = _shade(plant.leaf_colour, layout.uniform(0.8, 1.15))
            _draw_leaf(image, at, angle, size, colour)


def _stem_path(start: tuple[float, float], lean: float, bend: float, length: float) -> Vector:
    """12 points (px) of a stem leaning ``lean`` rad from vertical, curving by ``bend``."""
    t = np.linspace(0.0, 1.0, 12)[:, None]
    along = np.array([math.sin(lean), -math.cos(lean)])
    across = np.array([math.cos(lean), math.sin(lean)])
    path: Vector = np.asarray(start) + length * (along * t + across * bend * t**2)
    return path


def _draw_leaf(image: Frame, stalk: Vector, angle: float, size: float, colour: Colour) -> None:
    """An elliptic leaf of half-length ``size`` px pointing ``angle`` rad from vertical."""
    direction = np.array([math.sin(angle), -math.cos(angle)])
    centre = stalk + direction * size
    axes = (max(1, round(size)), max(1, round(size * 0.42)))
    cv2.ellipse(image, _point(*centre), axes, math.degrees(angle) - 90, 0, 360, colour, -1, _AA)
    tip = stalk + direction * size * 1.8
    midrib = max(1, round(size * 0.06))
    cv2.line(image, _point(*stalk), _point(*tip), _shade(colour, 0.7), midrib, _AA)


def _draw_label(image: Frame, label: Label, layout: np.random.Generator) -> None:
    """A plot label card: text lines fitted to the card above a row of bars."""
    height, width = image.shape[:2]
    left, top = label.x * width, label.y * height
    card_w, card_h = label.width * height, label.height * height
    pad = card_h * 0.08
    cv2.rectangle(image, _point(left, top), _point(left + card_w, top + card_h), label.colour, -1)
    text_w = max(cv2.getTextSize(line, _FONT, 1.0, 2)[0][0] for line in label.lines)
    line_h = card_h * 0.6 / len(label.lines)
    scale = min(line_h / 32, (card_w - 2 * pad) / text_w)
    for index, line in enumerate(label.lines):
        origin = _point(left + pad, top + pad + line_h * (index + 0.8))
        cv2.putText(image, line, origin, _FONT, scale, label.ink, max(1, round(scale * 2)), _AA)
    units = layout.integers(1, 4, size=24)
    edges = left + pad + np.cumsum(np.concatenate(([0], units))) * (card_w - 2 * pad) / units.sum()
    for bar_left, bar_right in zip(edges[0::2], edges[1::2], strict=False):
        corners = (_point(bar_left, top + card_h * 0.7), _point(bar_right, top + card_h - pad))
        cv2.rectangle(image, *corners, label.ink, -1)


def _add_grain(image: Frame, amplitude: int, rng: np.random.Generator) -> Frame:
    """Add uniform per-pixel grain of +-``amplitude`` levels (the same on all channels)."""
    grain = rng.integers(-amplitude, amplitude + 1, size=image.shape[:2], dtype=np.int8)
    return np.asarray(cv2.add(image, cv2.merge([grain, grain, grain]), dtype=cv2.CV_8U), np.uint8)


def lens_blur(image: Frame, sigma_px: float) -> Frame:
    """Gaussian defocus of ``sigma_px`` px; wide blurs run on a downscaled copy (same look)."""
    if sigma_px < 0.1:
        return image
    factor = max(1, int(sigma_px // 3))
    height, width = image.shape[:2]
    small = cv2.resize(image, (width // factor, height // factor), interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (0, 0), sigma_px / factor)
    full = cv2.resize(blurred, (width, height), interpolation=cv2.INTER_LINEAR)
    return np.asarray(full, np.uint8)


@functools.lru_cache(maxsize=4)
def sensor_noise(seed: int, width: int, height: int) -> Noise:
    """A fixed noise pattern (std-dev ``NOISE_SIGMA`` levels) per seed and size; read-only."""
    rng = np.random.default_rng(seed)
    noise = rng.integers(-_NOISE_SPAN, _NOISE_SPAN + 1, (height, width, 3), dtype=np.int8)
    noise.flags.writeable = False
    return noise


def expose(optical: Frame, gain: float, noise: Noise, noise_levels: float) -> Frame:
    """``optical`` x ``gain`` plus ``noise`` scaled to a std-dev of ``noise_levels``, clipped."""
    scale = noise_levels / NOISE_SIGMA
    return np.asarray(cv2.addWeighted(optical, gain, noise, scale, 0.0, dtype=cv2.CV_8U), np.uint8)


def _point(x: float, y: float) -> tuple[int, int]:
    return (round(x), round(y))


def _shade(colour: Colour, factor: float) -> Colour:
    red, green, blue = (min(255, round(channel * factor)) for channel in colour)
    return (red, green, blue)
