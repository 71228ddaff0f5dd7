"""Kept image files as retention measures and deletes them: only regular files under
``images/``, never through a symbolic link; a capture's JSON sidecar goes with its last file."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
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
        """Delete the image file at ``path`` (gone already: nothing to do). Raises
        StorageError naming the file."""
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

    def drop_lone_sidecars(self, paths: Iterable[str]) -> int:
        """Delete the sidecar (``<stem>.json``) of each deleted image in ``paths`` that no
        other file of its capture is left beside; one look at each folder. Returns how many
        went; one that cannot go costs a few hundred bytes and no image."""
        stems: dict[Path, set[str]] = {}
        for path in paths:
            if (inside := self._inside(path)) is not None:
                stems.setdefault(inside.parent, set()).add(inside.stem)
        gone = 0
        for folder, deleted in stems.items():
            try:
                names = [entry.name for entry in os.scandir(folder)]
            except OSError:
                continue
            left = {name.rpartition(".")[0] for name in names if not name.endswith(SIDECAR)}
            for stem in deleted - left:
                with contextlib.suppress(OSError):
                    (folder / f"{stem}{SIDECAR}").unlink()
                    gone += 1
        return gone

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
