"""Ports for captured images: the capture index, image files, thumbnails, activity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from eyepi_gui.domain.health import RunSpan
from eyepi_gui.domain.records import CaptureQuery, CaptureRecord

if TYPE_CHECKING:
    pass


class CaptureIndex(Protocol):
    """The SQLite index of every image the station kept. Every call raises
    ``Unavailable`` while another process holds the database, ``StorageError`` on a failure."""

    def add(self, record: CaptureRecord) -> int:
        """Index a complete file (a kept row per path at most); returns the row's id."""
        ...

    def count_between(self, camera_id: str, start: float, stop: float) -> int: ...

    def latest(self, camera_id: str) -> CaptureRecord | None: ...

    def kept(self, camera_id: str) -> list[CaptureRecord]: ...

    def mark_removed(self, record_ids: Iterable[int]) -> None: ...

    def by_id(self, record_id: int) -> CaptureRecord | None:
        """A kept image's record, or None (unknown, or removed by ``keep = "latest"``)."""
        ...

    def query(self, query: CaptureQuery) -> list[CaptureRecord]:
        """Kept images matching ``query``, newest first."""
        ...


class CaptureDays(Protocol):
    """The capture index read by day for the browser (same errors as ``CaptureIndex``)."""

    def hour_counts(self, camera_id: str) -> list[tuple[int, int]]:
        """(epoch hour, kept images taken in it) of the camera, any order."""
        ...

    def on_day(self, camera_id: str, start: float, stop: float, limit: int) -> list[CaptureRecord]:
        """Kept images of the camera taken in [start, stop), oldest first, at most ``limit``."""
        ...


class Thumbnails(Protocol):
    """Small JPEGs of kept images, made once and kept in a cache (the adapter holds the
    image maths and the files). Raises ``StorageError`` when the cache cannot be written and
    ``Unavailable`` when an image cannot be decoded."""

    def cached(self, key: str) -> bytes | None:
        """The thumbnail stored under ``key`` (a safe file name), or None."""
        ...

    def make(self, key: str, image: bytes, longest_px: int) -> bytes:
        """Scale ``image`` down to ``longest_px`` on its longer side, store it under ``key``
        (atomically) and return it."""
        ...

    def prune(self, record_ids: set[int]) -> int:
        """Delete every thumbnail of the captures ``record_ids``; returns how many."""
        ...


RunBeat = tuple[str, float, float]
"""(subject, started_at, seen_at): the run of ``subject`` that started at ``started_at``
(epoch s) was seen running at ``seen_at``."""


class ActivityLog(Protocol):
    """When the station and each camera ran (in state.db): one span per run, extended by
    heartbeats; after a crash a span ends at its last heartbeat. Every call raises
    ``Unavailable`` while another process holds the database, ``StorageError`` on a failure."""

    def record(self, beats: Sequence[RunBeat]) -> None:
        """Start or extend each beat's span to its ``seen_at`` (never shortening it), in one
        transaction. Waits only briefly: callers queue it (``services.deferred_writes``)."""
        ...

    def spans(self, since: float, until: float) -> dict[str, list[RunSpan]]:
        """Every subject's spans that overlap [since, until), in order of start."""
        ...


class CaptureTally(Protocol):
    """Counts from the capture index for the health chart, each in ONE query per camera.
    Raises ``Unavailable`` while another process holds the database."""

    def per_hour(self, camera_id: str, start: float, hours: int) -> tuple[list[int], float | None]:
        """Scheduled captures per hour of the ``hours`` hours from ``start`` (by the slot
        they were for), and when the camera's latest capture was taken, test shots too
        (None: never)."""
        ...


class ImageStore(Protocol):
    """Writes captured images under ``images/`` and ``latest/``, never half-written."""

    def write(self, relative: str, data: bytes) -> Path:
        """Write ``data`` to ``images/<relative>`` via a temp name and rename; returns the path."""
        ...

    def exists(self, relative: str) -> bool: ...

    def write_latest(self, camera_id: str, jpeg: bytes) -> Path: ...

    def latest_path(self, camera_id: str) -> Path | None:
        """``latest/<camera>.jpg`` when it is a regular file, else None."""
        ...

    def open_latest(self, camera_id: str) -> BinaryIO:
        """The latest image opened for reading, without blocking; NotFound when there is
        none, Unavailable when its name holds no readable regular file."""
        ...

    def open_kept(self, path: str) -> BinaryIO:
        """The kept image at ``path`` opened for reading, without blocking: NotFound when it
        is gone or lies outside ``images/``, Unavailable when it is no readable file."""
        ...

    def remove(self, path: Path) -> None: ...

    def sweep_partial(self) -> int:
        """Delete temp files left by an interrupted write; returns how many."""
        ...


class IndexedFolders(Protocol):
    """The capture index seen folder by folder, for reconciling it with the files on disk.
    Folders are ``images/<camera>/<date>`` as absolute path text without a trailing slash."""

    def in_folder(self, folder: str) -> dict[str, tuple[int, bool]]:
        """Kept rows of files directly in ``folder`` (paths from ``folder + "/"`` up to,
        not including, ``folder + "0"``): name -> (row id, marked missing)."""
        ...

    def between(
        self, low: str, high: str | None, after: tuple[str, int] | None, limit: int
    ) -> list[tuple[int, str]]:
        """Kept rows not marked missing with ``low <= path < high`` (``high`` None: no bound),
        after ``after`` (path, id) when given, by path, at most ``limit``: (row id, path)."""
        ...

    def add_found(self, records: Iterable[CaptureRecord]) -> int:
        """Index files found on disk (skipping any indexed meanwhile); returns how many."""
        ...

    def set_missing(self, record_ids: Iterable[int], missing: bool) -> None: ...


class ImageListing(Protocol):
    """The kept image files as they are on disk now (paths as absolute text)."""

    def folders(self) -> list[str]:
        """Every ``images/<camera>/<date>`` folder."""
        ...

    def files(self, folder: str) -> list[str]:
        """Names of the image files in ``folder``: no sidecars, no hidden or temp files."""
        ...

    def size_of(self, path: str) -> int | None:
        """Bytes of the file at ``path`` inside images/, or None when there is none."""
        ...

    def sidecar(self, image: str) -> bytes | None:
        """The JSON sidecar of the image file at ``image``, or None when it cannot be read."""
        ...


class CaptureSizes(Protocol):
    """Sizes of captured image files from the capture index. Raises ``Unavailable`` while
    another process holds the database."""

    def recent_sizes(self, camera_id: str, limit: int) -> list[tuple[float, int]]:
        """(slot, bytes) of the camera's newest ``limit`` scheduled image files (no test
        shots; files removed since count: their size was real), newest first."""
        ...
