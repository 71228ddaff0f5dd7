"""``eyepi doctor``: what this machine offers the station, in plain lines."""

from __future__ import annotations

import sys
from pathlib import Path

from eyepi_gui import __version__
from eyepi_gui import settings as cfg
from eyepi_gui.adapters.accounts_db import count_accounts_read_only
from eyepi_gui.adapters.cameras.probe import camera_backends
from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.disk import StatvfsProbe
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.sizes import mib, size_text
from eyepi_gui.errors import EyepiError, InvalidInput, StorageError
from eyepi_gui.ports import VolumeProbe
from eyepi_gui.settings import StationSettings
from eyepi_gui.settings.limits import fit_to_cameras
from eyepi_gui.station import SIM_CAMERAS

_PATHS = ("station.toml", "state.db", "images", "latest", "logs")


def report(home: Path, kiosk_problem: str | None) -> str:
    """A readable report. Reads, never writes. Looks for cameras (a camera another program,
    such as a running station, holds is reported as such)."""
    kiosk = "available" if kiosk_problem is None else f"unavailable: {kiosk_problem}"
    loaded = _station_loaded(home / "station.toml")
    settings = loaded.settings
    sections = [
        [f"eyepi {__version__} on Python {sys.version.split()[0]}"],
        ["Camera backends:", *_backends(loaded)],
        [f"Kiosk: {kiosk}"],
        [f"Settings: {_settings(home / 'station.toml')}"],
        [f"Users: {_users(home / 'state.db')}"],
        ["Paths:", *_paths(home)],
        _space(home, settings.free_space_floor_mib * 2**20),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections)


def _backends(loaded: cfg.Loaded) -> list[str]:
    lines: list[str] = []
    found: list[CameraInfo] = []
    for backend in camera_backends(lambda: loaded.settings):
        status = backend.status()
        state = "available" if status.available else "unavailable"
        lines.append(f"  {status.name:<10} {state}: {status.reason}")
        if status.available:
            try:
                cameras = list(backend.discover())
            except EyepiError as err:
                lines.append(f"    could not look for cameras: {err}")
                continue
            lines += _cameras(cameras, loaded) if cameras else ["    no camera found"]
            found += cameras
    lines.append("  sim        available: two simulated cameras run when no camera is found")
    if not found:
        lines += _cameras(SimBackend(count=SIM_CAMERAS).discover(), loaded)
    return lines


def _cameras(found: list[CameraInfo], loaded: cfg.Loaded) -> list[str]:
    return [line for info in found for line in _camera(info, loaded)]


def _camera(info: CameraInfo, loaded: cfg.Loaded) -> list[str]:
    """The camera, then each reason it would not run on its station.toml section as
    written, as the station shows it (the section fitted to what the camera delivers)."""
    running = fit_to_cameras(loaded.settings, {info.camera_id: info})
    sections = {cfg.dotted(kind, info.camera_id) for kind in ("cameras", "network_cameras")}
    problems = (*loaded.problems, *running.problems)
    said = [f"      station.toml: {p.text()}" for p in problems if p.section in sections]
    return [f"    {info.camera_id}: {info.model}, {info.identity}, at {info.port}", *said]


def _read_settings(path: Path) -> cfg.Loaded | None:
    """station.toml read section by section as the station reads it (bad parts from the
    last-known-good copy); None when missing."""
    store = AtomicTextFile(path)
    text = store.read()
    if text is None:
        return None
    good = cfg.read_last_good(store.read_last_good())
    return cfg.read_station(cfg.parse_toml(text), good or StationSettings())


def _station_loaded(path: Path) -> cfg.Loaded:
    try:
        loaded = _read_settings(path)
    except (InvalidInput, StorageError):
        return cfg.Loaded(StationSettings())
    return cfg.Loaded(StationSettings()) if loaded is None else loaded


def _settings(path: Path) -> str:
    try:
        loaded = _read_settings(path)
    except (InvalidInput, StorageError) as err:
        return f"station.toml is unusable ({err}); the station would start from last-known-good"
    if loaded is None:
        return "no station.toml yet: the station starts on defaults"
    if loaded.problems:
        said = "; ".join(problem.text() for problem in loaded.problems)
        return f"station.toml has problems, the rest of it is used: {said}"
    return f"station.toml is valid ({len(loaded.settings.cameras)} camera section(s))"


def _users(path: Path) -> str:
    count = count_accounts_read_only(path)
    if not count:
        return (
            "no accounts yet: the kiosk asks for the admin on its first-run screen; "
            "on a headless station run `eyepi user add --admin NAME`"
        )
    return f"{count} account(s); `eyepi user list` shows them"


def _paths(home: Path) -> list[str]:
    note = "" if home.exists() else " (not created yet)"
    return [f"  {'home':<14}{home}{note}", *(f"  {name:<14}{home / name}" for name in _PATHS)]


def _space(home: Path, floor: int) -> list[str]:
    """Free space where images go (the floor applies there), and the home's if another disk."""
    disk, images = StatvfsProbe(), home / "images"
    try:
        lines = [f"Free space for images: {_free(disk, images, floor)}"]
        if disk.volume_of(images) != disk.volume_of(home):
            lines.append(f"Free space on the home's own disk: {_free(disk, home, floor)}")
    except StorageError as err:
        return [f"Free space: unknown ({err})"]
    return lines


def _free(disk: VolumeProbe, path: Path, floor: int) -> str:
    free, total = disk.free_bytes(path), disk.total_bytes(path)
    text = f"{size_text(free)} of {size_text(total)}"
    if free < floor:
        text += f", below the free-space floor of {mib(floor)}: capture pauses"
    return text
