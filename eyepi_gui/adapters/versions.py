"""What the station runs on, by name and version, for a support bundle: eyepi, Python, the
Qt binding, libgphoto2 and its binding, OpenCV, the OS release and the kernel. A library
that is not installed says so; none is imported before it is asked about."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import platform
from pathlib import Path

from eyepi_gui import __version__

OS_RELEASE = Path("/etc/os-release")


def versions() -> list[tuple[str, str]]:
    """(what, version) pairs, one line's worth each."""
    return [
        ("eyepi", __version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("PySide6", _module_version("PySide6")),
        ("python-gphoto2", _package("gphoto2")),
        ("libgphoto2", _libgphoto2()),
        ("OpenCV", _module_version("cv2")),
        ("OS", _os_release()),
        ("kernel", f"{platform.system()} {platform.release()} {platform.machine()}"),
    ]


def _package(name: str) -> str:
    """The installed distribution's version, read from its metadata (not imported)."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _libgphoto2() -> str:
    if importlib.util.find_spec("gphoto2") is None:
        return "not installed (python-gphoto2 missing)"
    try:
        gphoto2 = importlib.import_module("gphoto2")
        return str(gphoto2.gp_library_version(gphoto2.GP_VERSION_SHORT)[0])
    except (ImportError, AttributeError, OSError) as err:
        return f"unknown ({err})"


def _module_version(name: str) -> str:
    """``name.__version__`` (its wheels are named otherwise: PySide6-Essentials, opencv-*)."""
    if importlib.util.find_spec(name) is None:
        return "not installed"
    try:
        return str(getattr(importlib.import_module(name), "__version__", "unknown"))
    except ImportError as err:
        return f"unusable ({err})"


def _os_release() -> str:
    """PRETTY_NAME from /etc/os-release, else what platform knows."""
    try:
        text = OS_RELEASE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.platform()
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "PRETTY_NAME":
            return value.strip().strip("\"'")
    return platform.platform()
