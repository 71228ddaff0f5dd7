"""The ``gphoto2`` backend: DSLRs and other PTP cameras on USB, through python-gphoto2.

A camera is known by its serial number (``gphoto2-<serial>``), so its settings follow it across
USB ports and restarts; one without a serial number is taken only when it is the only camera
attached, and its identity says so. python-gphoto2 is imported on first use: stations without
it start and say why. Detection probes every port, so it runs under one process-wide lock.
"""

from __future__ import annotations

import logging
import threading
from types import ModuleType
from typing import Any

from eyepi_gui.adapters.cameras import gphoto2_config as cfg
from eyepi_gui.adapters.cameras.gphoto2_camera import (
    Gphoto2Camera,
    close_quietly,
    library,
    translate,
)
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.errors import NotFound, Unavailable
from eyepi_gui.ports import BackendStatus

_DETECT_LOCK = threading.Lock()  # one detection at a time in this process
_log = logging.getLogger("eyepi.cameras.gphoto2")


class Gphoto2Backend:
    """Cameras that libgphoto2 detects. Detection runs under one process-wide lock."""

    name = "gphoto2"

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards the three dicts below
        self._held: dict[str, CameraInfo] = {}  # port -> camera opened on it now
        self._ports: dict[str, str] = {}  # camera id -> port it was last seen on
        self._problems: dict[str, str] = {}  # port -> why its camera could not be used

    def status(self) -> BackendStatus:
        try:
            gp = library()
        except Unavailable as err:
            return BackendStatus(self.name, False, str(err))
        version = gp.gp_library_version(gp.GP_VERSION_SHORT)[0]
        with self._lock:
            problems = list(self._problems.values())
        reason = "; ".join([f"python-gphoto2 {gp.__version__}, libgphoto2 {version}", *problems])
        return BackendStatus(self.name, True, reason)

    def discover(self) -> list[CameraInfo]:
        """The cameras attached now that can be told apart (by serial number)."""
        try:
            gp = library()
        except Unavailable:
            return []
        return self._scan(gp, None)[0]

    def open(self, camera_id: str) -> Gphoto2Camera:
        """Open a camera by id. ``NotFound`` for an id never seen, ``Unavailable`` for one that
        is not attached now or cannot be claimed."""
        if not camera_id.startswith(cfg.ID_PREFIX):
            raise NotFound(f"camera {camera_id!r}")
        cameras, device = self._scan(library(), camera_id)
        if device is not None:
            return device
        with self._lock:
            known, problems = camera_id in self._ports, list(self._problems.values())
        if any(info.camera_id == camera_id for info in cameras):
            raise Unavailable(f"camera {camera_id} is open already")
        if problems:
            raise Unavailable(f"camera {camera_id} is not available: {'; '.join(problems)}")
        if known:
            raise Unavailable(f"camera {camera_id} is not attached")
        raise NotFound(f"camera {camera_id!r}")

    def _scan(
        self, gp: ModuleType, wanted: str | None
    ) -> tuple[list[CameraInfo], Gphoto2Camera | None]:
        """Identify every attached camera; the ``wanted`` one stays open and is returned."""
        with _DETECT_LOCK:
            attached = _autodetect(gp)
            with self._lock:
                last_port = self._ports.get(wanted or "")
                self._problems.clear()
            attached.sort(key=lambda camera: camera[1] != last_port)
            found: dict[str, CameraInfo] = {}
            for model, port in attached:
                info, device = self._identify(gp, model, port, len(attached), wanted)
                if info is not None:
                    found.setdefault(info.camera_id, info)
                    with self._lock:
                        self._ports[info.camera_id] = port
                if device is not None:
                    return list(found.values()), device
            return list(found.values()), None

    def _identify(
        self, gp: ModuleType, model: str, port: str, attached: int, wanted: str | None
    ) -> tuple[CameraInfo | None, Gphoto2Camera | None]:
        """The camera on ``port`` (from the cache while it is open); opened if ``wanted``."""
        with self._lock:
            held = self._held.get(port)
        if held is not None:
            return held, None
        try:
            camera, info = _probe(gp, model, port, attached)
        except gp.GPhoto2Error as err:
            problem = str(translate(err, port, f"opening {model}"))
            _log.warning("%s", problem, extra={"event": "gphoto2_open_failed"})
            with self._lock:
                self._problems[port] = problem
            return None, None
        if info is None or info.camera_id != wanted:
            close_quietly(camera)
            return info, None
        with self._lock:
            self._held[port] = info
        try:
            return info, Gphoto2Camera(camera, info, self._release)
        except Unavailable:
            self._release(port)
            close_quietly(camera)
            raise

    def _release(self, port: str) -> None:
        with self._lock:
            self._held.pop(port, None)


def _autodetect(gp: ModuleType) -> list[tuple[str, str]]:
    """(model, port) of every camera libgphoto2 finds."""
    found = gp.Camera.autodetect()
    return [(found.get_name(i), found.get_value(i)) for i in range(found.count())]


def _connect(gp: ModuleType, model: str, port: str) -> Any:
    """An initialised ``gphoto2.Camera`` for the camera ``model`` on ``port``."""
    camera = gp.Camera()
    ports = gp.PortInfoList()
    ports.load()
    camera.set_port_info(ports[ports.lookup_path(port)])
    abilities = gp.CameraAbilitiesList()
    abilities.load()
    camera.set_abilities(abilities[abilities.lookup_model(model)])
    camera.init()
    return camera


def _probe(gp: ModuleType, model: str, port: str, attached: int) -> tuple[Any, CameraInfo | None]:
    """Open the camera on ``port`` and describe it; on ``GPhoto2Error`` it is left closed."""
    camera = _connect(gp, model, port)
    try:
        return camera, _describe(gp, camera, model, port, attached)
    except gp.GPhoto2Error:
        close_quietly(camera)
        raise


def _describe(
    gp: ModuleType, camera: Any, model: str, port: str, attached: int
) -> CameraInfo | None:
    """The camera's info, or None when it has no serial number and is not alone."""
    config = camera.get_config()
    serial = cfg.serial_number(config, lambda: str(camera.get_summary()))
    identity = cfg.identity(serial, model, port, attached)
    if identity is None:
        _log.warning(
            "%s on %s has no serial number and is not the only camera: skipped", model, port
        )
        return None
    camera_id, words = identity
    resolution = cfg.largest_image_size(config)
    live = _live_view(gp, camera)
    return CameraInfo(
        camera_id, Gphoto2Backend.name, model, resolution, words, port, ("jpg",), False, live
    )


def _live_view(gp: ModuleType, camera: Any) -> bool:
    """True when the camera claims a preview and one preview frame actually comes."""
    if not camera.get_abilities().operations & gp.GP_OPERATION_CAPTURE_PREVIEW:
        return False
    try:
        camera.capture_preview()
    except gp.GPhoto2Error:
        return False
    return True
