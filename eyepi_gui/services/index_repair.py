"""Reconciling the capture index with the image files, once per start, on its own thread.

An image file with no kept row (the station stopped between a capture's rename and its row,
its row was still queued, or state.db was made anew) is indexed from its capture's JSON sidecar;
a row whose file is gone is marked missing (and unmarked when the file is back). Folder by
folder, so memory stays small however many images there are; each folder's rows are read
before its files are listed, and a row is only ever written after its file, so a capture
running meanwhile is never marked missing (and ``add`` never indexes a file twice).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.ports import ImageListing, IndexedFolders
from eyepi_gui.services.deferred_writes import WAITING

_log = logging.getLogger("eyepi.state")
T = TypeVar("T")
BATCH = 1000
"""Rows checked per query outside the folders on disk."""
PATIENCE_S = 120.0
"""How long the repair waits for a busy database before it leaves the rest to the next start."""
RETRY_S = 1.0


@dataclass
class RepairReport:
    folders: int = 0
    files: int = 0
    indexed: int = 0
    missing: int = 0
    found_again: int = 0
    skipped: int = 0
    """Image files no readable sidecar lists with their size (an interrupted capture)."""
    seconds: float = 0.0

    def message(self) -> str:
        return (
            f"capture index checked against {self.files} image files in {self.folders} folders"
            f" in {self.seconds:.2f} s: {self.indexed} indexed from their sidecars, {self.missing}"
            f" marked missing, {self.found_again} found again, {self.skipped} without a sidecar"
        )


class IndexRepair:
    """``start`` runs ``run`` once on a background thread; ``stop`` ends it between folders."""

    def __init__(self, index: IndexedFolders, listing: ImageListing) -> None:
        self._index, self._listing = index, listing
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.report: RepairReport | None = None
        """The finished run's figures (None until it is done)."""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._background, name="index-repair", daemon=True)
        self._thread.start()

    def wait(self, timeout: float) -> RepairReport | None:
        """The report once the background run is done (None if it is not within ``timeout`` s)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.report

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self.wait(timeout)

    def _background(self) -> None:
        try:
            report = self.run()
        except WAITING as err:
            _log.warning("capture index not fully checked (%s); again at the next start", err)
            return
        except Exception:  # a background thread: say it in the log, never end the station
            _log.exception("capture index check failed", extra={"event": "index_repair_failed"})
            return
        level = logging.WARNING if report.indexed or report.missing else logging.INFO
        _log.log(level, report.message(), extra={"event": "index_repaired"})
        self.report = report

    def run(self) -> RepairReport:
        """Check every folder, then rows in folders that are gone. Raises ``Unavailable`` or
        ``StorageError`` when the database stays unusable for ``PATIENCE_S``."""
        started, report = time.monotonic(), RepairReport()
        folders = self._listing.folders()
        for folder in folders:
            if self._stop.is_set():
                return report
            self._patiently(partial(self._folder, folder, report))
        self._outside(folders, report)
        report.seconds = time.monotonic() - started
        return report

    def _patiently(self, step: Callable[[], T]) -> T:
        deadline = time.monotonic() + PATIENCE_S
        while True:
            try:
                return step()
            except WAITING:
                if time.monotonic() > deadline or self._stop.wait(RETRY_S):
                    raise

    def _folder(self, folder: str, report: RepairReport) -> None:
        rows = self._index.in_folder(folder)  # before the files: see the module docstring
        names = self._listing.files(folder)
        on_disk = set(names)
        gone = [rid for name, (rid, missing) in rows.items() if name not in on_disk and not missing]
        back = [rid for name, (rid, missing) in rows.items() if name in on_disk and missing]
        found = self._found(folder, [name for name in names if name not in rows], report)
        report.indexed += self._index.add_found(found) if found else 0
        self._index.set_missing(gone, True)
        self._index.set_missing(back, False)
        report.folders += 1
        report.files += len(names)
        report.missing += len(gone)
        report.found_again += len(back)

    def _found(self, folder: str, names: list[str], report: RepairReport) -> list[CaptureRecord]:
        sidecars: dict[str, bytes | None] = {}
        records = []
        for name in names:
            path, stem = f"{folder}/{name}", name.rsplit(".", 1)[0]
            if stem not in sidecars:
                sidecars[stem] = self._listing.sidecar(path)
            size, sidecar = self._listing.size_of(path), sidecars[stem]
            record = sidecar_record(sidecar, path, size) if sidecar and size is not None else None
            if record is None:
                report.skipped += 1
            else:
                records.append(record)
        return records

    def _outside(self, folders: list[str], report: RepairReport) -> None:
        """Mark rows whose file is gone among those in none of ``folders`` (a folder that
        was removed, rows from outside the home): the gaps between the folders' path ranges."""
        starts = sorted(folder + "/" for folder in folders)
        ends = [start[:-1] + "0" for start in starts]  # in_folder's upper bounds
        for low, high in zip(["", *ends], [*starts, None], strict=True):
            after: tuple[str, int] | None = None
            while not self._stop.is_set():
                rows = self._patiently(partial(self._index.between, low, high, after, BATCH))
                if not rows:
                    break
                gone = [rid for rid, path in rows if self._listing.size_of(path) is None]
                self._patiently(partial(self._index.set_missing, gone, True))
                report.missing += len(gone)
                after = (rows[-1][1], rows[-1][0])


def sidecar_record(sidecar: bytes, path: str, size: int) -> CaptureRecord | None:
    """The index row of the image file at ``path`` (``size`` bytes on disk) from its capture's
    JSON sidecar (see ``capture_files._sidecar``), or None when the sidecar cannot be read or
    does not list the file with that size."""
    try:
        doc = json.loads(sidecar)
        name = path.rsplit("/", 1)[-1]
        entry = next(f for f in doc["files"] if f["name"] == name)
        if entry["size"] != size:
            return None
        focus: dict[str, Any] = doc.get("focus") or {}
        score = focus.get("score")
        return CaptureRecord(
            camera_id=str(doc["camera_id"]),
            path=path,
            scheduled_at=_epoch(doc["scheduled_at"]),
            taken_at=float(datetime.fromisoformat(doc["taken_at"]).timestamp()),
            size=size,
            sha256=str(entry["sha256"]),
            focus_score=None if score is None else float(score),
        )
    except (ValueError, KeyError, TypeError, AttributeError, StopIteration):
        return None


def _epoch(text: str | None) -> float | None:
    return None if text is None else datetime.fromisoformat(text).timestamp()
