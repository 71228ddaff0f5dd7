"""The bundled list of common passwords that may not be set (resources/common-passwords.txt)."""

from __future__ import annotations

from eyepi_gui.errors import StorageError
from eyepi_gui.resources import resource_path

FILE_NAME = "common-passwords.txt"


def load_common_passwords() -> frozenset[str]:
    """Every listed password in lower case; '#' comment lines and blank lines are skipped."""
    path = resource_path(FILE_NAME)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise StorageError(f"could not read {path}: {err}") from err
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.lower() for line in lines if line and not line.startswith("#"))
