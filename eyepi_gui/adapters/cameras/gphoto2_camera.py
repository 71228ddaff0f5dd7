"""One opened gphoto2 camera (python-gphoto2), and the mapping of its errors to eyepi's.

libgphoto2 calls block, bounded by the camera driver's own USB timeouts (ptp2: 8 s a transfer,
longer for a capture). They run only on the camera's worker thread, whose capture timeout
bounds how long the station waits; event waits after a capture last ``EVENT_WAIT_MS``. Errors
meaning the camera went away or is held by another program raise ``Unavailable`` (the worker
closes the device and opens it again later); other library errors raise ``CameraFault``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from eyepi_gui.adapters.cameras import gphoto2_config as cfg
from eyepi_gui.domain.camera import (
    CameraInfo,
    CameraSetting,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
    StillImage,
    StillRequest,
    check_controls,
)
from eyepi_gui.errors import CameraFault, InvalidInput, Unavailable

if TYPE_CHECKING:
    from eyepi_gui.domain.frame import Frame

INSTALL_HINT = "pip install 'eyepi[gphoto2]'"
EVENT_WAIT_MS = 200  # one wait for a further file of a capture (RAW + JPEG); quiet: done
EVENT_WINDOW_S = 2.0  # at most this long reading events after a capture (they never stop)
AUTOFOCUS_QUIET_MS = 1000  # a Canon autofocus counts as settled after this long without events
AUTOFOCUS_WINDOW_S = 4.0  # and is released after at most this long
_GONE = frozenset({-7, -10, -31, -34, -35, -37, -51, -52, -105})  # I/O, timeout, USB, no model
_HELD = frozenset({-53, -60})  # USB claim or port lock failed: another program has the camera
_REFUSED = frozenset({-2, -6})  # bad parameters, not supported
_LENS_AT_END = -113  # GP_ERROR_CAMERA_ERROR: what a Nikon lens drive answers at the lens's end
_log = logging.getLogger("eyepi.cameras.gphoto2")


def library() -> ModuleType:
    """python-gphoto2, imported on first use; ``Unavailable`` with the install hint."""
    try:
        import gphoto2
    except (ImportError, OSError) as err:
        raise Unavailable(f"gphoto2 is not installed ({INSTALL_HINT})") from err
    module: ModuleType = gphoto2
    return module


def translate(err: Exception, port: str, doing: str) -> Unavailable:
    """The eyepi error for a ``GPhoto2Error`` raised while ``doing`` something on ``port``."""
    code = getattr(err, "code", 0)
    if code in _HELD:
        return Unavailable(
            f"the camera on {port} is held by another program ({err}); a desktop's "
            "gvfs-gphoto2-volume-monitor does this: unmount the camera or stop that service"
        )
    if code in _GONE:
        return Unavailable(f"{doing} on {port} failed ({err}): the camera seems disconnected")
    return CameraFault(f"{doing} on {port} failed: {err}")


class Gphoto2Camera:
    """One opened gphoto2 camera. Only its worker thread calls it (libgphoto2 is not
    thread-safe). Stills come at the camera's own size; every file a capture produces is kept."""

    def __init__(self, camera: Any, info: CameraInfo, release: Callable[[str], None]) -> None:
        self._camera = camera
        self._info = info
        self._release = release
        self._focus = ExposureControls().focus  # a DSLR has no absolute focus position
        self._closed = False
        config = self._call("reading settings", self._camera.get_config)
        self._capture_to_ram(config)
        self._support = cfg.focus_support(config)

    @property
    def info(self) -> CameraInfo:
        return self._info

    def capture_still(self, request: StillRequest) -> StillImage:
        """Capture, download every file of the capture and delete it from the camera."""
        unknown = sorted(set(request.formats) - set(self._info.formats))
        if unknown:
            raise InvalidInput("formats", f"unsupported: {', '.join(unknown)} (use jpg)")
        gp = library()
        first = self._call("capture", self._camera.capture, gp.GP_CAPTURE_IMAGE)
        more = self._camera_events(gp, EVENT_WAIT_MS, EVENT_WINDOW_S)
        names = [(first.folder, first.name), *more]
        files: dict[str, bytes] = {}
        for folder, name in names:
            files.setdefault(_extension(name), self._download(gp, folder, name))
        if "jpg" not in files:
            raise CameraFault(
                f"the camera saved only {', '.join(files)}: set its image quality to a "
                "JPEG or RAW + JPEG setting (the station keeps a JPEG as the latest view)"
            )
        width, height = _jpeg_size(files["jpg"])
        info = self._info
        metadata: dict[str, object] = {"backend": info.backend, "camera_id": info.camera_id}
        metadata |= {"model": info.model, "camera_files": [name for _, name in names]}
        return StillImage(files, width, height, metadata)

    def live_frame(self) -> Frame:
        """The camera's live view (capture_preview) as RGB."""
        if not self._info.live_view:
            raise Unavailable(f"camera {self._info.camera_id} has no live view")
        import cv2
        import numpy as np

        preview = self._call("live view", self._camera.capture_preview)
        data = np.frombuffer(bytes(memoryview(preview.get_data_and_size())), np.uint8)
        bgr = cv2.imdecode(data, cv2.IMREAD_COLOR)
        if bgr is None:
            raise CameraFault("the camera sent a live-view frame that is not an image")
        return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)

    def settings(self) -> list[CameraSetting]:
        """The curated settings this camera has, read from its config tree now."""
        config = self._call("reading settings", self._camera.get_config)
        return [cfg.to_setting(widget) for widget in cfg.curated_widgets(config)]

    def set_setting(self, name: str, value: str) -> CameraSetting:
        """Set one curated setting; returns it as the camera reports it afterwards."""
        config = self._call("reading settings", self._camera.get_config)
        widget = cfg.find(config, name)
        if widget is None:
            raise InvalidInput(name, "this camera has no such setting to change")
        cfg.set_from_text(widget, value)
        self._write(config, widget)
        after = cfg.find(self._call("reading settings", self._camera.get_config), name)
        if after is None:
            raise CameraFault(f"the camera no longer offers {name}")
        return cfg.to_setting(after)

    def controls(self) -> ExposureControls:
        """Shutter (s) and ISO as the camera is set now; focus as last set (0..1)."""
        return cfg.exposure(self.settings(), self._focus)

    def set_controls(self, controls: ExposureControls) -> None:
        """Set the camera's nearest shutter speed and ISO choices; focus is only kept."""
        check_controls(controls)
        config = self._call("reading settings", self._camera.get_config)
        self._set_nearest(config, "shutterspeed", controls.shutter_s, cfg.shutter_seconds)
        self._set_nearest(config, "iso", float(controls.iso), cfg.iso_number)
        self._focus = controls.focus

    def focus_support(self) -> FocusSupport:
        """Read from the config tree when the camera was opened (see ``cfg.focus_support``)."""
        return self._support

    def drive_focus(self, direction: FocusDirection, step: FocusStep) -> None:
        """One Near/Far step of the lens motor (the body moves it only in live view); a lens
        already at its end stays there."""
        config, (drive,) = self._focus_widgets("lens drive", self._support.drive, cfg.MF_DRIVE)
        try:
            self._act(config, drive, cfg.drive_value(drive, direction, step), "driving the lens")
        except CameraFault as err:
            if getattr(err.__cause__, "code", 0) != _LENS_AT_END:
                raise
            _log.info("%s: the lens is at its end", self._info.model)

    def autofocus(self) -> None:
        """Run the body's autofocus (``autofocusdrive`` 1). A Nikon answers once it settled,
        with an error when it found no focus (``CameraFault``); a Canon runs until its events
        fall quiet (at most ``AUTOFOCUS_WINDOW_S``), then its autofocus is released (0)."""
        config, (toggle,) = self._focus_widgets("autofocus", self._support.autofocus, cfg.AF_DRIVE)
        self._act(config, toggle, "1", "autofocus")
        if self._info.model.lower().startswith("canon"):
            self._camera_events(library(), AUTOFOCUS_QUIET_MS, AUTOFOCUS_WINDOW_S)
            self._act(config, toggle, "0", "releasing the autofocus")

    def set_live_zoom(self, level: int, centre: tuple[float, float]) -> None:
        """Canon's live-view zoom: ``eoszoom`` to ``level``, then (above 1) ``eoszoomposition``
        to the magnified area around ``centre``."""
        levels = self._support.live_zoom
        if levels and level not in levels:
            raise InvalidInput("level", f"choose one of {', '.join(map(str, levels))}")
        config, (zoom, position) = self._focus_widgets(
            "live-view zoom", bool(levels), cfg.ZOOM, cfg.ZOOM_POSITION
        )
        corner = cfg.zoom_position(level, centre, self._info.max_resolution)
        self._act(config, zoom, str(level), "zooming the live view")
        if level > 1:
            self._act(config, position, corner, "placing the live-view zoom")

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._release(self._info.port)
        close_quietly(self._camera)

    def _call(self, doing: str, fn: Callable[..., Any], *args: Any) -> Any:
        if self._closed:
            raise Unavailable(f"camera {self._info.camera_id} is closed")
        try:
            return fn(*args)
        except library().GPhoto2Error as err:
            raise translate(err, self._info.port, doing) from err

    def _write(self, config: Any, widget: cfg.Widget) -> None:
        name = widget.get_name()
        try:
            if hasattr(self._camera, "set_single_config"):
                self._call(f"setting {name}", self._camera.set_single_config, name, widget)
            else:
                self._call(f"setting {name}", self._camera.set_config, config)
        except CameraFault as err:
            code = getattr(err.__cause__, "code", 0)
            if code in _REFUSED:
                raise InvalidInput(name, f"the camera refused the value: {err}") from err
            raise

    def _focus_widgets(
        self, feature: str, offered: bool, *names: str
    ) -> tuple[Any, list[cfg.Widget]]:
        """The config tree and its widgets ``names``; ``Unavailable`` naming the model when the
        camera does not offer ``feature``."""
        refusal = f"the {self._info.model} offers no {feature} the station can use"
        if not offered:
            raise Unavailable(refusal)
        config = self._call("reading settings", self._camera.get_config)
        widgets = [widget for name in names if (widget := cfg.named(config, name)) is not None]
        if len(widgets) < len(names):
            raise Unavailable(f"{refusal} any more")
        return config, widgets

    def _act(self, config: Any, widget: cfg.Widget, value: str, doing: str) -> None:
        """Write ``value`` to a focus widget; a refusal is a ``CameraFault`` saying ``doing``."""
        try:
            cfg.set_from_text(widget, value)
            self._write(config, widget)
        except InvalidInput as err:
            raise CameraFault(f"the {self._info.model} refused {doing}: {err.reason}") from err

    def _set_nearest(
        self, config: Any, name: str, target: float, measure: Callable[[str], float | None]
    ) -> None:
        """Set the choice of ``name`` nearest ``target`` if the camera has that setting."""
        widget = cfg.find(config, name)
        if widget is None or cfg.to_setting(widget).read_only:
            return
        setting = cfg.to_setting(widget)
        choice = cfg.nearest_choice(setting.choices, target, measure)
        if choice is not None and choice != setting.value:
            cfg.set_from_text(widget, choice)
            self._write(config, widget)

    def _capture_to_ram(self, config: Any) -> None:
        """Captures go to the camera's RAM, never its card, where it offers that choice."""
        widget = cfg.find(config, "capturetarget")
        choices = () if widget is None else cfg.to_setting(widget).choices
        ram = next((choice for choice in choices if "ram" in choice.lower()), None)
        if widget is None or ram is None or ram == cfg.value_text(widget):
            return
        try:
            cfg.set_from_text(widget, ram)
            self._write(config, widget)
        except (CameraFault, InvalidInput) as err:  # the card may fill, but capture still works
            _log.warning("capture target not set to %s: %s", ram, err)

    def _camera_events(
        self, gp: ModuleType, quiet_ms: int, window_s: float
    ) -> list[tuple[str, str]]:
        """Read events until none came for ``quiet_ms`` or ``window_s`` passed; returns the
        (folder, name) of files added meanwhile (after a capture: the JPEG of RAW + JPEG)."""
        added = []
        deadline = time.monotonic() + window_s
        while time.monotonic() < deadline:
            kind, data = self._call("waiting for events", self._camera.wait_for_event, quiet_ms)
            if kind == gp.GP_EVENT_FILE_ADDED:
                added.append((data.folder, data.name))
            elif kind == gp.GP_EVENT_TIMEOUT:
                break
        return added

    def _download(self, gp: ModuleType, folder: str, name: str) -> bytes:
        """The file's bytes; then it is deleted from the camera (a failure there only logs)."""
        kind = gp.GP_FILE_TYPE_NORMAL
        camera_file = self._call(f"downloading {name}", self._camera.file_get, folder, name, kind)
        data = bytes(memoryview(camera_file.get_data_and_size()))
        try:
            self._call(f"deleting {name}", self._camera.file_delete, folder, name)
        except Unavailable as err:
            _log.warning("%s", err, extra={"event": "gphoto2_delete_failed"})
        return data


def close_quietly(camera: Any) -> None:
    """``camera.exit()``; a failure (the camera went away) is only logged."""
    try:
        camera.exit()
    except Exception as err:  # closing a camera that went away must not hide the first error
        _log.warning("closing the camera failed: %s", err, extra={"event": "gphoto2_exit_failed"})


def _extension(name: str) -> str:
    """The station's key for a camera file: .JPG and .jpeg as "jpg", others in lower case."""
    ext = name.rpartition(".")[2].lower() if "." in name else "bin"
    return "jpg" if ext in ("jpg", "jpeg") else ext


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) px of a JPEG; ``CameraFault`` when it does not decode."""
    import cv2
    import numpy as np

    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise CameraFault("the camera's JPEG does not decode")
    return int(image.shape[1]), int(image.shape[0])
