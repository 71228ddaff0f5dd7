"""A camera's section against what the camera itself can deliver (its largest still and its
formats): one check for station.toml, the API and the kiosk alike."""

from __future__ import annotations

from collections.abc import Mapping

from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings.camera import DEFAULT_RESOLUTION, MIN_SIDE, CameraSettings
from eyepi_gui.settings.sections import Loaded, SectionProblem
from eyepi_gui.settings.station import StationSettings
from eyepi_gui.settings.values import CAMERA_ID, dotted


def limit_problems(camera: CameraSettings, info: CameraInfo) -> dict[str, str]:
    """What ``camera``'s settings ask of the camera ``info`` describes that it cannot
    deliver, by field name. A camera that takes stills at its own size (a DSLR) ignores
    ``resolution``; the default resolution is never a problem (it is fitted)."""
    problems: dict[str, str] = {}
    (width, height), (most_w, most_h) = camera.size, info.max_resolution
    too_large = width > most_w or height > most_h
    if info.sized_stills and too_large and camera.resolution != DEFAULT_RESOLUTION:
        problems["resolution"] = f"this camera takes at most {most_w}x{most_h} px"
    if unknown := [fmt for fmt in camera.formats if fmt not in info.formats]:
        delivers = ", ".join(info.formats)
        problems["formats"] = f"this camera delivers {delivers} only (not {', '.join(unknown)})"
    return problems


def check_limits(camera_id: str, camera: CameraSettings, info: CameraInfo | None) -> None:
    """``InvalidInput`` naming every field (``cameras.<id>.resolution``) the camera cannot
    deliver; a camera not found yet is not checked."""
    found = {} if info is None else limit_problems(camera, info)
    if found:
        problems = {dotted("cameras", camera_id, key): why for key, why in found.items()}
        first, reason = next(iter(problems.items()))
        raise InvalidInput(first, reason, problems)


def deliverable(camera: CameraSettings, info: CameraInfo) -> CameraSettings:
    """``camera`` with what the camera cannot deliver taken out: the resolution scaled down
    (same shape) to fit the camera's largest still, formats it lacks left out (jpg, which
    every camera delivers, when none is left)."""
    formats = tuple(fmt for fmt in camera.formats if fmt in info.formats) or ("jpg",)
    resolution = camera.resolution
    if info.sized_stills:
        resolution = fit_resolution(camera.size, info.max_resolution)
    if (formats, resolution) == (camera.formats, camera.resolution):
        return camera
    return camera.model_copy(update={"formats": formats, "resolution": resolution})


def fit_resolution(size: tuple[int, int], largest: tuple[int, int]) -> str:
    """``size`` (px) scaled down, keeping its shape, until it fits inside ``largest``."""
    scale = min(1.0, largest[0] / size[0], largest[1] / size[1])
    width, height = (max(MIN_SIDE, int(side * scale)) for side in size)
    return f"{width}x{height}"


def fit_to_cameras(settings: StationSettings, found: Mapping[str, CameraInfo]) -> Loaded:
    """``settings`` with each found camera's section made deliverable, and a problem for
    each camera whose section as written asks for what it cannot deliver."""
    cameras = dict(settings.cameras)
    problems: list[SectionProblem] = []
    for camera_id, info in found.items():
        written = settings.camera(camera_id)
        runs = deliverable(written, info)
        if runs != written and CAMERA_ID.fullmatch(camera_id):  # never a section for a bad id
            cameras[camera_id] = runs
        if reasons := limit_problems(written, info):
            problems.append(_problem(camera_id, reasons, runs))
    return Loaded(settings.model_copy(update={"cameras": cameras}), tuple(problems))


def _problem(camera_id: str, reasons: Mapping[str, str], runs: CameraSettings) -> SectionProblem:
    path = dotted("cameras", camera_id)
    formats = ", ".join(runs.formats)
    instead = f"camera {camera_id} captures {formats} at {runs.resolution} px"
    return SectionProblem(path, {f"{path}.{key}": why for key, why in reasons.items()}, instead)
