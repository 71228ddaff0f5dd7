"""Opening a stream URL once, to test it before it is saved as a network camera.

The open runs in a daemon thread and the caller waits at most ``timeout_s``: FFmpeg's own
timeouts bound the connection and the first read, but not every stall (a name lookup), so
a stream that hangs past the deadline is reported as such and left to end by itself. Only
the redacted URL ever appears in a message or the log.
"""

from __future__ import annotations

import logging
import threading

from eyepi_gui.domain.network_cameras import StreamTest, redact

_log = logging.getLogger("eyepi.cameras.opencv")
STAGE_SHARE = 0.45
"""Share of the whole timeout FFmpeg may spend on the open, and again on the first read."""


class OpencvStreamProbe:
    """Implements ``ports.StreamProbe`` with OpenCV's FFmpeg backend."""

    def test(self, url: str, timeout_s: float) -> StreamTest:
        result: list[StreamTest] = []
        thread = threading.Thread(
            target=lambda: result.append(_open_once(url, timeout_s * STAGE_SHARE)),
            name="stream-test",
            daemon=True,
        )
        thread.start()
        thread.join(timeout_s)
        if result:
            return result[0]
        return StreamTest(False, None, None, f"{redact(url)} gave no frame within {timeout_s:g} s")


def _open_once(url: str, stage_s: float) -> StreamTest:
    shown = redact(url)
    try:
        import cv2
    except ImportError as err:
        return StreamTest(False, None, None, f"OpenCV is not installed here ({err})")
    params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, round(stage_s * 1000)]
    params += [cv2.CAP_PROP_READ_TIMEOUT_MSEC, round(stage_s * 1000)]
    capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)
    try:
        if not capture.isOpened():
            return StreamTest(
                False,
                None,
                None,
                f"cannot open {shown}: unreachable, refused, "
                "a wrong password or not a video stream",
            )
        ok, frame = capture.read()
        if not ok or frame is None:
            return StreamTest(False, None, None, f"{shown} opened but sent no frame")
        height, width = frame.shape[:2]
        return StreamTest(True, int(width), int(height), f"{shown}: {width}x{height} px")
    except cv2.error:
        _log.warning("testing %s failed", shown, extra={"event": "stream_test_failed"})
        return StreamTest(False, None, None, f"{shown} could not be read")
    finally:
        capture.release()
