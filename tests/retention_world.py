"""Images of known ages for the retention tests: captures of the sim cameras taken at chosen
times (the station's fake clock), proofs written as a verified USB export would write them
(``ExportsDB``), and a disk whose free space follows the image files (``FilesDisk``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.exports_db import ExportsDB
from eyepi_gui.domain.export import ExportRecord
from eyepi_gui.domain.retention import DAY_S

MIB = 2**20


class FilesDisk:
    """A disk whose free space is ``total`` less the bytes of the files under ``images/``:
    deleting an image frees its bytes, as on a real disk. ``leave(n)`` sets ``total`` so
    that ``n`` bytes are free now."""

    def __init__(self, home: Path) -> None:
        self.images = home / "images"
        self.total = 64 * MIB

    def used(self) -> int:
        if not self.images.exists():
            return 0
        return sum(p.stat().st_size for p in self.images.rglob("*") if p.is_file())

    def leave(self, free: int) -> None:
        self.total = self.used() + free

    def free_bytes(self, path) -> int:
        return self.total - self.used()

    def total_bytes(self, path) -> int:
        return self.total

    def volume_of(self, path) -> int:
        return 1


def take(station, camera_id: str, days_ago: float, now: float):
    """A scheduled capture of ``camera_id`` taken ``days_ago`` before ``now``; its record.
    The clock is left at ``now``."""
    at = now - days_ago * DAY_S
    station.clock.set(at)
    (record,) = station.services.cameras.capture(camera_id, at).result(30)
    station.clock.set(now)
    assert record.record_id is not None
    return record


def prove(home: Path, records, label: str = "FIELD-7", sha256: str | None = None) -> int:
    """Record ``records`` as exported and verified on a stick (as an export job does, with
    the checksum it read back: the index's, unless ``sha256`` says otherwise); the export's id."""
    exports = ExportsDB(StateDB(home / "state.db"))
    export_id = exports.begin(
        ExportRecord(0, "job-1", 1.0, None, "tester", "/dev/sdz1", label, "ext4", "eyepi", 0, 0, "")
    )
    images = home / "images"
    files = [
        (r.record_id, Path(r.path).relative_to(images).as_posix(), sha256 or r.sha256, r.size)
        for r in records
    ]
    exports.verified(export_id, files)
    exports.finish(export_id, 2.0, "done")
    return export_id


def sha_of(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
