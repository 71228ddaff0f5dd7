"""What a USB export copies and whether the stick can hold it (pure: the adapters copy).

A selection is cameras and a date range (local days, both ends included), or everything not
yet exported. The plan puts each capture at ``eyepi/<camera>/<day>/<file>`` on the stick (the
same relative path it has under ``images/``); the pre-flight refuses, before anything is
written, what the stick's filesystem cannot hold (a file over FAT32's 4 GiB limit, a name it
forbids) or a stick without room for what is still to copy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from eyepi_gui.domain.access import Permission
from eyepi_gui.domain.jobs import JobKind
from eyepi_gui.domain.sizes import mib
from eyepi_gui.errors import InvalidInput, StorageError

EXPORT_JOB = JobKind("export", Permission.EXPORT, exclusive=True)
"""Operators and admins export; one export per stick at a time."""

EXPORT_FOLDER = "eyepi"
"""The folder on the stick that holds every export (one per stick, resumed and added to)."""
MANIFEST = "MANIFEST.sha256"
"""The checksum manifest inside EXPORT_FOLDER: ``<sha256>  <path>`` lines (``sha256sum -c``
reads it), one per verified file, path relative to EXPORT_FOLDER."""
MAX_DAYS = 3660
"""The longest date range one export takes (ten years): a typo's year 20205 is refused."""
FAT_FILE_MAX = 2**32 - 1
"""The largest file FAT32 (vfat) holds."""
SPARE_BYTES = 1 << 20
"""Room left free on the stick beyond the files (the manifest, directory entries)."""
_FAT_FORBIDDEN = re.compile(r'[\x00-\x1f"*/:<>?\\|\x7f]')
_NAME_MAX = {"vfat": 255, "exfat": 255}
"""Longest name in characters (FAT and exFAT count UTF-16 units; ext4 counts bytes)."""
_BYTES_MAX = 255
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ExportSelection:
    """Which captures to export: ``cameras`` (empty: every camera) taken on the local days
    ``first_day`` .. ``last_day``, or (``not_exported``) every capture not exported yet."""

    cameras: tuple[str, ...] = ()
    first_day: date | None = None
    last_day: date | None = None
    not_exported: bool = False

    def span(self, tz: tzinfo) -> tuple[float | None, float | None]:
        """The selection's [since, until) in epoch seconds (None: open)."""
        since = until = None
        if self.first_day is not None:
            since = datetime.combine(self.first_day, time(), tz).timestamp()
        if self.last_day is not None:
            end = self.last_day + timedelta(days=1)
            until = datetime.combine(end, time(), tz).timestamp()
        return since, until


def selection(
    cameras: Iterable[str],
    first_day: str | date | None,
    last_day: str | date | None,
    not_exported: bool,
    known_cameras: Iterable[str],
) -> ExportSelection:
    """A checked selection. Raises InvalidInput naming the field: ``cameras`` (unknown or
    repeated ids), ``first_day``/``last_day`` (not a YYYY-MM-DD date, last before first, a
    range over MAX_DAYS, a range without both ends), or ``not_exported`` (with days or none)."""
    known = set(known_cameras)
    ids = tuple(cameras)
    unknown = [c for c in ids if c not in known]
    if unknown:
        shown = ", ".join(repr(c[:40]) for c in unknown[:3])
        raise InvalidInput("cameras", f"no camera {shown} on this station")
    if len(set(ids)) != len(ids):
        raise InvalidInput("cameras", "a camera is named twice")
    first, last = _day("first_day", first_day), _day("last_day", last_day)
    if not_exported:
        if first or last:
            raise InvalidInput("not_exported", "give either days or not_exported, not both")
        return ExportSelection(ids, not_exported=True)
    if first is None or last is None:
        field = "first_day" if first is None else "last_day"
        raise InvalidInput(field, "give the first and last day, or choose not_exported")
    if last < first:
        raise InvalidInput("last_day", f"{last} is before the first day {first}")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput("last_day", f"at most {MAX_DAYS} days in one export")
    return ExportSelection(ids, first, last)


def _day(field: str, value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise InvalidInput(field, "a day as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise InvalidInput(field, f"{value} is no day of the calendar") from err


@dataclass(frozen=True)
class ExportItem:
    """One capture to put on the stick: its index row, file on the data disk, path relative
    to EXPORT_FOLDER, size and SHA-256 as indexed."""

    record_id: int
    source: str
    relative: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ExportPlan:
    """What one export does: ``items`` to copy (in order), ``done`` those the stick's
    manifest already lists as verified with the same checksum (skipped: a resumed export)."""

    items: tuple[ExportItem, ...]
    done: tuple[ExportItem, ...]

    @property
    def bytes_to_copy(self) -> int:
        return sum(item.size for item in self.items)


def plan(items: Sequence[ExportItem], manifest: Mapping[str, str]) -> ExportPlan:
    """Split ``items`` into those to copy and those the stick's ``manifest`` (relative path
    -> sha256) holds already with the index's checksum."""
    done = tuple(i for i in items if manifest.get(i.relative) == i.sha256)
    return ExportPlan(tuple(i for i in items if manifest.get(i.relative) != i.sha256), done)


def preflight(plan_: ExportPlan, fstype: str, free: int) -> None:
    """Refuse a plan the stick cannot take, before writing anything: StorageError naming the
    first file over the filesystem's size limit or with a name it cannot hold, or saying
    how much room is missing."""
    for item in plan_.items:
        if fstype == "vfat" and item.size > FAT_FILE_MAX:
            raise StorageError(
                f"{item.relative} is {item.size} bytes: a FAT32 stick holds files up to 4 GiB"
                " (format it as exFAT or ext4)"
            )
        for part in item.relative.split("/"):
            problem = name_problem(part, fstype)
            if problem:
                raise StorageError(f"{item.relative}: {problem}")
    needed = plan_.bytes_to_copy + SPARE_BYTES
    if needed > free:
        raise StorageError(
            f"the stick has {mib(free)} free, the export needs {mib(needed, up=True)}:"
            " use a larger stick or export fewer days"
        )


def name_problem(name: str, fstype: str) -> str | None:
    """Why ``name`` (one path part) cannot be a file name on ``fstype``; None when it can.
    FAT and exFAT forbid control characters and ``"*/:<>?\\|``, and names ending in a dot
    or a space; every filesystem forbids "", ".", ".." and "/"; ext4 and others count 255
    bytes, FAT and exFAT 255 UTF-16 units."""
    if name in ("", ".", "..") or "/" in name or "\x00" in name:
        return f"{name!r} cannot be a file name"
    if fstype in _NAME_MAX:
        if _FAT_FORBIDDEN.search(name):
            return f'{fstype} cannot hold the name {name!r} (control or "*/:<>?\\| characters)'
        if name.endswith((".", " ")):
            return f"{fstype} cannot hold a name ending in a dot or space ({name!r})"
        if len(name.encode("utf-16-le")) // 2 > _NAME_MAX[fstype]:
            return f"{name[:20]!r}... is longer than {fstype} allows"
    elif len(name.encode("utf-8", "surrogateescape")) > _BYTES_MAX:
        return f"{name[:20]!r}... is longer than 255 bytes"
    return None


def manifest_line(sha256: str, relative: str) -> str:
    """One manifest line (``sha256sum`` text mode); no newline in a relative path."""
    if "\n" in relative or "\\" in relative:
        raise ValueError("a manifest path holds no line break or backslash")
    return f"{sha256}  {relative}\n"


def parse_manifest(text: str) -> dict[str, str]:
    """Relative path -> sha256 from a manifest's text; lines not of the form, and a last
    line without its newline (cut short when the stick was pulled), are ignored; a later
    line for a path wins."""
    entries: dict[str, str] = {}
    for line in text.split("\n")[:-1]:
        digest, sep, path = line.partition("  ")
        if sep and _SHA256.fullmatch(digest) and path and not path.startswith("/"):
            entries[path] = digest
    return entries


@dataclass(frozen=True)
class ExportRecord:
    """One export as state.db keeps it: when, by whom, to which stick (device, label,
    filesystem) and folder on it, how many files and bytes were verified there, and how it
    ended ("running", "done", "failed: ...", "cancelled: ...")."""

    export_id: int
    job_id: str
    started_at: float
    ended_at: float | None
    by: str
    device: str
    label: str | None
    fstype: str | None
    folder: str
    files: int
    bytes: int
    outcome: str
