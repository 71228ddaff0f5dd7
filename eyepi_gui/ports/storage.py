"""Ports for volumes and removable drives: listing, mounting, export and retention."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from eyepi_gui.domain.records import CaptureRecord

if TYPE_CHECKING:
    from eyepi_gui.domain.export import ExportRecord, ExportSelection
    from eyepi_gui.domain.retention import DeletedImage, Proof, RetentionRun
    from eyepi_gui.domain.volumes import Volume


class VolumeProbe(Protocol):
    """Free space of the volume holding a path, in bytes. Raises ``StorageError``."""

    def free_bytes(self, path: Path) -> int: ...

    def total_bytes(self, path: Path) -> int: ...

    def volume_of(self, path: Path) -> int:
        """An id of the volume holding ``path``: equal ids mean one volume."""
        ...


class VolumeInventory(Protocol):
    """The machine's block volumes, and mounting the removable ones. A volume is named by
    its ``Volume.device`` as ``volumes`` lists it (never a path a user typed). Every call
    may block (bounded); ``volumes`` raises CommandFailed when lsblk cannot be run."""

    def volumes(self) -> list[Volume]:
        """Every volume now: partitions, and whole disks without partitions (empty card
        readers included, as 0 bytes), with free space where mounted."""
        ...

    def holding(self, path: Path) -> Volume:
        """The filesystem holding ``path`` (the data disk), never removable."""
        ...

    def mount(self, device: str) -> Path:
        """Mount the removable ``device`` (nosuid, nodev, noexec) in a folder of the
        station's own; returns it (the same folder when mounted there already). Raises
        InvalidInput("device") for a device not removable, without medium or filesystem,
        NotFound when not listed, Busy when mounted elsewhere, CommandFailed when mount
        fails."""
        ...

    def unmount(self, device: str) -> None:
        """Flush the device's writes and unmount it (lazily when it was pulled out); nothing
        when not mounted by the station. Raises Busy when a program keeps it open,
        CommandFailed when the writes could not be flushed (pulled before they were)."""
        ...

    def power_off(self, device: str) -> None:
        """Power the unmounted removable drive off. Raises Busy while mounted, Unavailable
        where it cannot (no udisks2): the drive is safe to pull once unmounted anyway."""
        ...


class StickWriter(Protocol):
    """A folder on a mounted stick that whole files are written to (a support bundle)."""

    def write(self, relative: str, chunks: Iterable[bytes], tick: Callable[[int], None]) -> None:
        """Write ``chunks`` as ``relative``: a temporary name, fsync, rename, folder fsync.
        ``tick`` gets each chunk's size. StorageError (StickGone when pulled) on failure."""

    def close(self) -> None: ...


class ExportTarget(Protocol):
    """The export folder on a mounted stick (``adapters.stick_files.StickFolder``). Paths
    are relative to it; nothing on the stick is followed (links, devices). OSError never
    leaves: StorageError (StickGone when the stick stopped answering)."""

    def manifest(self) -> dict[str, str]:
        """The stick's manifest: relative path -> SHA-256 of each verified file."""
        ...

    def copy(self, source: str, relative: str, tick: Callable[[int], None]) -> None:
        """Copy ``source`` to a temporary name for ``relative``; ``settle`` fsyncs it, then
        renames it. ``tick(bytes)`` after each chunk (may raise)."""
        ...

    def verify(self, relative: str, tick: Callable[[int], None]) -> str:
        """SHA-256 of ``relative`` read back from the stick, its cached pages dropped."""
        ...

    def remove(self, relative: str) -> None: ...

    def record(self, sha256: str, relative: str) -> None:
        """Add a verified file to the manifest (durable after ``sync``)."""
        ...

    def settle(self, relatives: Iterable[str]) -> None:
        """Give these copies their names: each fsynced, then renamed (may run on another
        thread than ``copy``, for other files)."""
        ...

    def sync_manifest(self) -> None:
        """Make the manifest's lines durable (fsync)."""
        ...

    def sync(self) -> None:
        """Make the manifest and everything settled durable on the stick."""
        ...

    def forget_cache(self) -> None:
        """Drop the device's cached pages so that the next reads reach the device."""
        ...

    def close(self) -> None: ...


ExportTargets = Callable[[Path, str], ExportTarget]
"""Opens the export folder on the stick mounted at a path, of a device: (mountpoint, device)."""


class ExportRecords(Protocol):
    """Exports in state.db and the capture index's exported flag (``adapters.exports_db``)."""

    def selected(
        self, selection: ExportSelection, since: float | None, until: float | None
    ) -> list[CaptureRecord]:
        """Kept captures of ``selection`` taken in [since, until), oldest first."""
        ...

    def begin(self, record: ExportRecord) -> int:
        """Record an export starting; returns its id."""
        ...

    def verified(self, export_id: int, files: Sequence[tuple[int, str, str, int]]) -> None:
        """(capture id, path on the stick, sha256, bytes) verified there: manifest rows and
        the captures' exported flag, in one transaction."""
        ...

    def finish(self, export_id: int, ended_at: float, outcome: str) -> None: ...

    def history(self, limit: int) -> list[ExportRecord]:
        """The last ``limit`` exports, newest first."""
        ...


class RetentionRecords(Protocol):
    """Retention in state.db (``adapters.retention_db``): candidates oldest first, their
    proofs, the deletion log and the last run. Raises ``Unavailable`` while busy."""

    def oldest(self, after: tuple[float, int] | None, limit: int) -> list[CaptureRecord]:
        """Kept captures, oldest first (time taken, id), after (taken_at, id) ``after``."""
        ...

    def proofs(self, capture_ids: Sequence[int]) -> dict[int, list[Proof]]:
        """The verified copies of each capture (absent: none)."""
        ...

    def record_deletion(self, image: DeletedImage) -> int:
        """Log the deletion and take the capture out of the index, at once; the log id."""
        ...

    def undo_deletion(self, entry_id: int, capture_id: int) -> None: ...

    def deleted(self, limit: int, before_id: int | None) -> list[DeletedImage]:
        """Logged deletions, newest first, older than log entry ``before_id``."""
        ...

    def last_run(self) -> RetentionRun | None: ...

    def set_last_run(self, run: RetentionRun) -> None: ...


class KeptImageFiles(Protocol):
    """Kept image files for retention (``adapters.kept_files``)."""

    def size(self, path: str) -> int | None:
        """Bytes of the regular file at ``path`` under images/, else None."""
        ...

    def delete(self, path: str) -> None:
        """Delete the file; StorageError naming it when it cannot go."""
        ...

    def drop_lone_sidecars(self, paths: Iterable[str]) -> int:
        """Delete the sidecars of deleted images no other file of the capture is left beside."""
        ...
