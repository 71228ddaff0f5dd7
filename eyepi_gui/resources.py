"""Find the ``resources/`` and ``ui/`` folders: inside the installed wheel, else the checkout."""

from __future__ import annotations

from pathlib import Path

import eyepi_gui

_PACKAGE_DIR = Path(eyepi_gui.__file__).parent


def _data_path(folder: str, parts: tuple[str, ...]) -> Path:
    """``folder`` inside the package (wheel install) or at the repository root (editable)."""
    packaged = _PACKAGE_DIR / folder
    base = packaged if packaged.is_dir() else _PACKAGE_DIR.parent / folder
    return base.joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """A path under ``resources/`` (icons, fonts, the demo scene of the simulated camera)."""
    return _data_path("resources", parts)


def ui_path(*parts: str) -> Path:
    """A path under ``ui/`` (Qt Designer forms and the touch theme)."""
    return _data_path("ui", parts)
