"""Kept image files as retention measures and deletes them: only regular files under
``images/``, never through a symbolic link, each capture's JSON sidecar with its last file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import StorageError

SIDECAR = ".json"


class KeptFiles:
    """The files under ``<home>/images``; messages name them relative to the home."""

    def __init__(self, home: Path) -> None:
        self._home = Path(os.path.abspath(home))
        self._images = Path(os.path.realpath(self._home / "images"))

    def size(self, path: str) -> int | None:
        """Bytes of the regular file at ``path`` (inside ``images/``); None when it is gone,
        outside ``images/`` or anything but a regular file."""
        inside = self._inside(path)
        if inside is None:
            return None
        try:
            info = inside.lstat()
        except OSError:
            return None
        return info.st_size if stat.S_ISREG(info.st_mode) else None

    def delete(self, path: str) -> None:
        """Delete the image file at ``path`` (gone already: nothing to do), and its
        capture's sidecar once no other file of the capture is left. Raises StorageError
        naming the file."""
        inside = self._inside(path)
        if inside is None:
            raise StorageError(f"refusing to delete {Path(path).name}: outside images/")
        try:
            inside.unlink()
        except FileNotFoundError:
            pass
        except OSError as err:
            shown = self._shown(inside)
            raise StorageError(f"could not delete {shown}: {error_reason(err)}") from err
        self._drop_lone_sidecar(inside)

    def _drop_lone_sidecar(self, image: Path) -> None:
        sidecar = image.with_suffix(SIDECAR)
        try:
            others = [p for p in image.parent.glob(f"{_glob_escape(image.stem)}.*") if p != sidecar]
            if not others:
                sidecar.unlink(missing_ok=True)
        except OSError:
            pass  # a sidecar left behind costs a few hundred bytes and no image

    def _inside(self, path: str) -> Path | None:
        """``path`` with its folder resolved, when it lies under ``images/`` (its last part
        is not followed: a symbolic link there is a link, not its target)."""
        given = Path(os.path.abspath(path))
        folder = Path(os.path.realpath(given.parent))
        if not folder.is_relative_to(self._images) or given.name in ("", ".", ".."):
            return None
        return folder / given.name

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(Path(os.path.realpath(self._home))).as_posix()
        except ValueError:
            return path.name


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
