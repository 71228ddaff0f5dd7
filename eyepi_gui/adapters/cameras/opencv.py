"""The ``opencv`` backend: USB webcams through V4L2 and network cameras by stream URL.

USB webcams are found in sysfs (``v4l2``); network cameras (RTSP, HTTP MJPEG) come from
settings and are listed even when unreachable: they go offline at open or capture. A URL may
hold a password or a token, so only ``redact``-ed text leaves this module. ``file://`` URLs
(recordings, tests) come from the constructor only: station.toml accepts rtsp/http(s) alone.
cv2 is imported on first use, so a station without it still starts.

OpenCV holds one process-wide lock for the whole of an FFmpeg open, so a camera that accepts
and never answers held every other network camera's open up by its open timeout (at each of
its reconnects; reads take no such lock). FFmpeg built with threads (as distributions and
OpenCV's wheels build it) needs no such lock, and OpenCV 4.8 and later drop it when
``OPENCV_FFMPEG_IS_THREAD_SAFE`` is set (older versions ignore it): a backend with network
cameras sets it, unless the environment already says otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from eyepi_gui.adapters.cameras import v4l2
from eyepi_gui.adapters.cameras.opencv_camera import Capture, OpencvCamera, Source
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.network_cameras import redact, stream_host
from eyepi_gui.errors import InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import BackendStatus

STREAM_SCHEMES = ("rtsp", "rtsps", "http", "https")
PARALLEL_OPENS = "OPENCV_FFMPEG_IS_THREAD_SAFE"
MAX_STILL = (3840, 2160)  # px: stills are scaled to the request, never beyond 4K
StreamUrls = Callable[[], Mapping[str, str]]
"""The network cameras in force now (camera id -> URL to open, credentials included)."""
__all__ = ["OpencvBackend", "StreamUrls", "redact", "stream_host"]


class OpencvBackend:
    """USB webcams in sysfs under ``sysfs_root`` plus ``network_cameras`` (camera id -> URL
    to open), given as a mapping or as a function read at every scan and open (cameras
    added or removed while the station runs). ``sysfs_root`` None: network cameras only.
    A stream may stall ``open_timeout_s`` / ``read_timeout_s`` seconds before it is offline."""

    name = "opencv"

    def __init__(
        self,
        network_cameras: Mapping[str, str] | StreamUrls | None = None,
        *,
        sysfs_root: Path | None = v4l2.SYSFS_ROOT,
        open_timeout_s: float = 5.0,
        read_timeout_s: float = 5.0,
    ) -> None:
        self._urls = _url_source(network_cameras)
        self._built: dict[str, tuple[str, Source]] = {}
        if self._streams() or callable(network_cameras):  # a bad URL given is refused now
            # before any open: the station builds its backends before the cameras' threads
            os.environ.setdefault(PARALLEL_OPENS, "1")
        self._sysfs_root = sysfs_root
        self._timeouts_ms = [round(open_timeout_s * 1000), round(read_timeout_s * 1000)]

    def status(self) -> BackendStatus:
        try:
            import cv2
        except ImportError as err:
            return BackendStatus(self.name, False, f"cv2 cannot be imported ({err})")
        return BackendStatus(self.name, True, f"OpenCV {cv2.__version__}: USB webcams, streams")

    def discover(self) -> list[CameraInfo]:
        """USB webcams present now, then every configured network camera (OpenCV is not even
        imported when there is nothing to look for)."""
        sources = self._sources()
        return [s.info for s in sources.values()] if sources and self.status().available else []

    def open(self, camera_id: str) -> OpencvCamera:
        """``NotFound`` for an unknown id; ``Unavailable`` when it cannot be opened (a missing
        device at once, a stream within ``open_timeout_s``)."""
        source = self._sources().get(camera_id)
        if source is None:
            raise NotFound(f"camera {camera_id!r}")
        if not source.stream and not Path(source.target).exists():
            raise Unavailable(f"{source.shown} is gone (unplugged?)")
        capture = self._capture(source)
        if not capture.isOpened():
            capture.release()
            why = "unreachable, refused or too slow" if source.stream else "busy or no permission"
            raise Unavailable(f"cannot open {source.shown}: {why}")
        return OpencvCamera(source, capture)

    def _sources(self) -> dict[str, Source]:
        root = self._sysfs_root
        usb = {} if root is None else v4l2.camera_ids(v4l2.capture_devices(root))
        return {key: _usb(key, device) for key, device in usb.items()} | self._streams()

    def _streams(self) -> dict[str, Source]:
        """The network cameras in force, each built once per URL."""
        built = {}
        for key, url in self._urls().items():
            known = self._built.get(key)
            fresh = known is None or known[0] != url
            built[key] = (url, _stream(key, url)) if fresh or known is None else known
        self._built = built
        return {key: source for key, (_, source) in built.items()}

    def _capture(self, source: Source) -> Capture:
        import cv2

        if not source.stream:
            return cv2.VideoCapture(source.target, cv2.CAP_V4L2)
        timeouts = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, cv2.CAP_PROP_READ_TIMEOUT_MSEC]
        params = [n for pair in zip(timeouts, self._timeouts_ms, strict=True) for n in pair]
        return cv2.VideoCapture(source.target, cv2.CAP_FFMPEG, params)


def _url_source(given: Mapping[str, str] | StreamUrls | None) -> StreamUrls:
    if given is None or isinstance(given, Mapping):
        fixed = dict(given or {})
        return lambda: fixed
    return given


def _usb(camera_id: str, device: v4l2.UsbVideoDevice) -> Source:
    info = _info(camera_id, device.name, device.identity, device.dev_path)
    return Source(info, device.dev_path, device.dev_path, stream=False)


def _stream(camera_id: str, url: str) -> Source:
    """A network camera or a file:// recording; ``InvalidInput`` for any other URL."""
    scheme, shown = url.partition("://")[0].lower(), redact(url)
    if scheme == "file":
        path = unquote(urlsplit(url).path)
        info = _info(camera_id, "video file", f"video file {Path(path).name}", shown)
        return Source(info, path, shown, rewinds=True)
    if scheme not in STREAM_SCHEMES or not stream_host(url):
        raise InvalidInput(f"network_cameras.{camera_id}.url", "use an rtsp:// or http:// URL")
    model = f"network stream ({scheme.removesuffix('s').upper()})"
    return Source(_info(camera_id, model, f"stream at {stream_host(url)}", shown), url, shown)


def _info(camera_id: str, model: str, identity: str, port: str) -> CameraInfo:
    return CameraInfo(camera_id, OpencvBackend.name, model, MAX_STILL, identity, port)
