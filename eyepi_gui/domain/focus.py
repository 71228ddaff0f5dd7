"""Focus maths: the focus score, focus peaking and the exposure histogram.

The score is the variance of the Laplacian (the classic sharpness measure, Pech-Pacheco et
al. 2000), with two changes that make it a number to trust over weeks in a field:

- it is measured at a working width of ``WORK_WIDTH`` px for the whole frame (wider images are
  reduced by area first), so stills of different sizes score alike and a 12 MP frame costs
  less than the plain Laplacian of it;
- the region is brightness-normalised to a mean of ``NORMAL_MEAN`` levels first, so a cloud
  passing over the plot does not read as a focus change (the plain variance falls with the
  square of the light).

These are pure functions of the pixels: the kiosk, the remote endpoint and a capture's
sidecar all get the same number for the same frame. A live view is not the same frame as a
still (other optics, other scaling), which is why a focus lock takes its reference from a still.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import cv2
import numpy as np

from eyepi_gui.domain.roi import Roi
from eyepi_gui.errors import InvalidInput

if TYPE_CHECKING:
    import numpy.typing as npt

    Image: TypeAlias = npt.NDArray[np.uint8]
    """An RGB (h x w x 3) or grey (h x w) uint8 image."""

WORK_WIDTH = 1280
NORMAL_MEAN = 128.0
PEAKING_FRACTION = 0.04  # the strongest 4 % of edges (at least PEAKING_FLOOR) are marked
PEAKING_FLOOR = 24.0  # Laplacian magnitude below which nothing is marked (sensor noise)
CLIPPED_LEVEL = 250  # levels at or above this count as clipped highlights


def grey(image: Image) -> Image:
    """The image's luma (ITU-R BT.601, as OpenCV computes it from RGB)."""
    if image.ndim == 2:
        return image
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), np.uint8)


def focus_score(image: Image, roi: Roi) -> float:
    """The focus score of ``roi`` in ``image`` (RGB or grey): variance of the Laplacian of the
    region at the working width, brightness-normalised. Higher is sharper; 0 for a flat or
    black region."""
    height, width = image.shape[:2]
    left, top, w, h = roi.pixels(width, height)
    region = grey(image[top : top + h, left : left + w])
    if width > WORK_WIDTH:
        scale = WORK_WIDTH / width
        size = (max(3, round(w * scale)), max(3, round(h * scale)))
        region = np.asarray(cv2.resize(region, size, interpolation=cv2.INTER_AREA), np.uint8)
    mean = float(cv2.mean(region)[0])
    if mean < 1.0:
        return 0.0
    laplacian = cv2.Laplacian(region, cv2.CV_32F)
    _, std = cv2.meanStdDev(laplacian)
    return float(std[0][0]) ** 2 * (NORMAL_MEAN / mean) ** 2


def peaking_mask(image: Image) -> Image:
    """Where the image is sharpest: a uint8 mask (255 on the strongest edges, else 0) of the
    same height and width, for an overlay in a bright colour."""
    luma = cv2.GaussianBlur(grey(image), (3, 3), 0)  # sensor noise must not sparkle
    edges = cv2.convertScaleAbs(cv2.Laplacian(luma, cv2.CV_16S))
    counts = cv2.calcHist([edges[::4, ::4]], [0], None, [256], [0, 256]).ravel()
    above = np.cumsum(counts[::-1])[::-1]  # above[v]: samples at v or stronger
    strongest = int(np.argmax(above <= PEAKING_FRACTION * above[0]))
    threshold = max(PEAKING_FLOOR, float(strongest))
    _, mask = cv2.threshold(edges, threshold - 1, 255, cv2.THRESH_BINARY)  # >= threshold
    return np.asarray(mask, np.uint8)


def overlay_peaking(
    image: Image, mask: Image, colour: tuple[int, int, int] = (255, 0, 255)
) -> Image:
    """A copy of RGB ``image`` with the mask's pixels painted ``colour``."""
    out = image.copy()
    out[mask > 0] = colour
    return out


@dataclass(frozen=True)
class Histogram:
    """Luma histogram in 64 bins (counts), and the fraction of clipped pixels (0..1)."""

    bins: tuple[int, ...]
    clipped: float


HISTOGRAM_BINS = 64


def histogram(image: Image) -> Histogram:
    """The luma histogram of every 2nd pixel in each direction (enough for an exposure aid)."""
    luma = grey(image)[::2, ::2]  # grey first: converting a strided view is 10x slower
    counts = cv2.calcHist([luma], [0], None, [HISTOGRAM_BINS], [0, 256]).ravel()
    total = max(1, luma.size)
    clipped = int(np.count_nonzero(luma >= CLIPPED_LEVEL)) / total
    return Histogram(tuple(int(c) for c in counts), clipped)


def decode_for_score(data: bytes) -> Image:
    """Decode an encoded still (JPEG or PNG) to RGB at full size (a reduced JPEG decode
    would be quicker but scores up to a quarter lower: the score must not depend on it)."""
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        raise InvalidInput("image", "not a JPEG or PNG image")
    return _to_rgb(np.asarray(decoded, np.uint8))


def _to_rgb(decoded: Image) -> Image:
    if decoded.ndim == 2:
        return decoded
    return np.asarray(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), np.uint8)


def still_score(files: Mapping[str, bytes], roi: Roi) -> float | None:
    """The focus score of a captured still, from its PNG when it has one (lossless), else
    its JPEG; None when neither decodes."""
    for ext in ("png", "jpg"):
        if ext in files:
            try:
                return focus_score(decode_for_score(files[ext]), roi)
            except InvalidInput:
                return None
    return None
