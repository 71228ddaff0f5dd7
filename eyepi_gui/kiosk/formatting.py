"""How the kiosk words station facts. Pure functions: no Qt, no clock reads, no I/O."""

from __future__ import annotations

from datetime import datetime, tzinfo

from eyepi_gui.domain.camera import CameraState
from eyepi_gui.services.overview import CameraOverview, StationHealth

_STATE_WORDS = {
    CameraState.IDLE: "Ready",
    CameraState.CAPTURING: "Capturing",
    CameraState.ERROR: "Error",
    CameraState.OFFLINE: "Offline",
}


def next_capture_text(enabled: bool, next_capture: float | None, tz: tzinfo, now: float) -> str:
    """The next slot in local time: "14:05:00" today, "Tue 05:00:00" on another day."""
    if not enabled:
        return "disabled"
    if next_capture is None:
        return "not scheduled yet"
    when, today = datetime.fromtimestamp(next_capture, tz), datetime.fromtimestamp(now, tz)
    return f"{when:%H:%M:%S}" if when.date() == today.date() else f"{when:%a %H:%M:%S}"


def camera_next_text(camera: CameraOverview, tz: tzinfo, now: float) -> str:
    return next_capture_text(camera.settings.enabled, camera.next_capture, tz, now)


def counts_text(camera: CameraOverview) -> str:
    """Today's slots: expected so far, taken, and planned for the whole day."""
    planned = f"planned {camera.planned_today}"
    if camera.actual_today is None:  # state.db held by another process
        return f"{camera.expected_so_far} expected / ? taken ({planned}; database busy)"
    return f"{camera.expected_so_far} expected / {camera.actual_today} taken ({planned})"


def state_text(state: CameraState, detail: str) -> str:
    word = _STATE_WORDS.get(state, str(state).capitalize())
    return f"{word}: {detail}" if detail else word


def source_text(camera: CameraOverview) -> str:
    """Backend, model, the identity the station knows it by, and where it is attached."""
    info = camera.info
    parts = [info.backend, info.model, info.identity, info.port]
    return " · ".join(part for part in parts if part)


def bytes_text(count: int) -> str:
    """A size for people: "950 MB", "12.3 GB", "1.2 TB" (decimal units, like disk labels)."""
    size = float(count)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            break
        size /= 1000
    return f"{size:.1f} {unit}" if unit in ("GB", "TB") and size < 100 else f"{size:.0f} {unit}"


def free_text(health: StationHealth) -> str:
    return f"{bytes_text(health.free_bytes)} free"


def health_text(health: StationHealth) -> str:
    """Capture health for the status bar: "2/2 cameras OK", "capture paused: disk low"."""
    if health.capture_paused:
        return "capture paused: disk low"
    if health.cameras_total == 0:
        return "no cameras"
    return f"{health.cameras_ok}/{health.cameras_total} cameras OK"


def health_ok(health: StationHealth) -> bool:
    return not health.capture_paused and health.cameras_ok == health.cameras_total


def banner_messages(health: StationHealth) -> list[str]:
    """Problems that need a person: a paused capture, settings not used as written, a
    database made anew or not taking records."""
    messages = []
    if health.capture_paused:
        why = health.storage_problem or f"only {bytes_text(health.free_bytes)} free"
        messages.append(f"Capture is paused: {why}. Free some space or export images to resume.")
    if health.settings_problem:
        messages.append(health.settings_problem)
    if health.database_problem:
        messages.append(health.database_problem)
    return messages


def clock_text(now: float, tz: tzinfo | None) -> str:
    return f"{datetime.fromtimestamp(now, tz):%d %b %H:%M:%S}"


def as_sentence(text: str) -> str:
    """An error message as a sentence for the screen."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def focus_text(camera: CameraOverview) -> tuple[str, str]:
    """The focus line of a camera card and its role ("error" on drift); ("", "") when
    focus is not locked."""
    lock, check = camera.settings.focus_lock, camera.focus_check
    if lock is None:
        return "", ""
    if check is None:
        return f"locked at score {lock.reference:.1f}; no capture checked yet", ""
    share = check.score / check.reference
    if check.drifted:
        return (
            f"drifted: the last capture scored {check.score:.1f}, {share:.0%} of the locked "
            f"{check.reference:.1f}. Refocus on the Focus tab.",
            "error",
        )
    return f"OK: {check.score:.1f} ({share:.0%} of the locked {check.reference:.1f})", "ok"
