"""What every camera adapter does to a still: check the request, fit the frame, encode it.

Frames are BGR (OpenCV's order); sizes in px. cv2 is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from eyepi_gui.errors import CameraFault, InvalidInput

if TYPE_CHECKING:
    from eyepi_gui.domain.camera import StillRequest
    from eyepi_gui.domain.frame import Frame

FORMATS = ("jpg", "png")  # what ``encode`` writes


def check_request(request: StillRequest, largest: tuple[int, int] | None = None) -> None:
    """``InvalidInput`` (fields "resolution", "formats", "jpeg_quality") for a request no
    camera can meet. ``largest`` is the sensor size; None where any size can be scaled to
    (a webcam or stream), which only refuses an empty one."""
    width, height = request.width, request.height
    if largest is None:
        if width <= 0 or height <= 0:
            raise InvalidInput("resolution", f"{width}x{height} px is empty")
    elif not (0 < width <= largest[0] and 0 < height <= largest[1]):
        limit = "x".join(map(str, largest))
        raise InvalidInput("resolution", f"{width}x{height} px is outside 1x1..{limit} px")
    if unknown := sorted(set(request.formats) - set(FORMATS)):
        raise InvalidInput("formats", f"unsupported: {', '.join(unknown)} (use jpg or png)")
    if not 1 <= request.jpeg_quality <= 100:
        raise InvalidInput("jpeg_quality", "must be between 1 and 100")


def fit(frame: Frame, width: int, height: int) -> Frame:
    """``frame`` centre-cropped to the aspect ratio of ``width`` x ``height`` px, then scaled
    (no stretching: a 4:3 webcam gives a 16:9 still by losing a band at top and bottom)."""
    import cv2

    rows, cols = frame.shape[:2]
    keep_rows = min(rows, round(cols * height / width))
    keep_cols = min(cols, round(rows * width / height))
    top, left = (rows - keep_rows) // 2, (cols - keep_cols) // 2
    cropped = frame[top : top + keep_rows, left : left + keep_cols]
    if (keep_cols, keep_rows) == (width, height):
        return cropped
    smooth = cv2.INTER_AREA if keep_cols > width else cv2.INTER_LINEAR
    return cast("Frame", cv2.resize(cropped, (width, height), interpolation=smooth))


def encode(bgr: Frame, request: StillRequest) -> dict[str, bytes]:
    """Every requested format plus the "jpg" the station keeps as its latest view;
    ``CameraFault`` where OpenCV cannot encode one."""
    import cv2

    params = {"jpg": [cv2.IMWRITE_JPEG_QUALITY, request.jpeg_quality], "png": []}
    files: dict[str, bytes] = {}
    for ext in dict.fromkeys((*request.formats, "jpg")):
        ok, buffer = cv2.imencode(f".{ext}", bgr, params[ext])
        if not ok:
            raise CameraFault(f"could not encode the still as {ext}")
        files[ext] = buffer.tobytes()
    return files
