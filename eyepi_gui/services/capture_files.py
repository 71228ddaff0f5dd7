"""Turning a captured still into kept files: images, a JSON sidecar, index rows, latest view."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path, PurePosixPath

from eyepi_gui import __version__
from eyepi_gui.domain import naming
from eyepi_gui.domain.camera import CameraInfo, StillImage
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.roi import Roi
from eyepi_gui.errors import CameraFault, StorageError, Unavailable
from eyepi_gui.ports import CaptureIndex, ImageStore
from eyepi_gui.services.deferred_writes import DeferredWrites
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.settings import CameraSettings

_log = logging.getLogger("eyepi.captures")


@dataclass(frozen=True)
class FocusReading:
    """A capture's focus score over ``roi``, and the locked reference it was checked against."""

    score: float
    roi: Roi
    reference: float | None = None
    drifted: bool = False

    def as_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "roi": list(self.roi.as_tuple()),
            "reference": self.reference,
            "drifted": self.drifted,
        }


@dataclass(frozen=True)
class CaptureContext:
    """Who captured what, when: times in epoch seconds, ``tz`` for names and folders."""

    station: str
    info: CameraInfo
    settings: CameraSettings
    scheduled_at: float | None
    taken_at: float
    tz: tzinfo
    focus: FocusReading | None = None

    @property
    def test_shot(self) -> bool:
        return self.scheduled_at is None


ENCODED = ("jpg", "png")
"""Formats the station asks a camera for; any other file a camera produces is its own (RAW)."""


def kept_extensions(still: StillImage, formats: tuple[str, ...]) -> list[str]:
    """The asked-for formats, then every camera-native file (RAW) as it came.
    Raises ``CameraFault`` when the camera did not deliver an asked-for format."""
    missing = [ext for ext in formats if ext not in still.files]
    if missing:
        raise CameraFault(f"the camera delivered no {', '.join(missing)} file")
    return [*formats, *(ext for ext in still.files if ext not in ENCODED)]


class CaptureWriter:
    """Writes every file of a capture via temp + rename; the index row comes last, so the index
    never names a file that is not complete on disk. A capture is written whole or not at all,
    and only when it leaves the free-space floor free (see services.space). Once its files are
    complete a capture succeeds: a busy database only delays its rows (deferred writes), and
    a latest view that cannot be updated is a problem reported once (``latest_problem``),
    never a lost capture."""

    def __init__(
        self,
        images: ImageStore,
        index: CaptureIndex,
        space: FreeSpace,
        writes: DeferredWrites | None = None,
    ) -> None:
        self._images = images
        self._index = index
        self._space = space
        self._writes = writes or DeferredWrites()
        self._latest_problems: dict[str, str] = {}  # camera -> why latest/ is not updated
        self._lock = threading.Lock()

    def save(self, still: StillImage, ctx: CaptureContext) -> list[CaptureRecord]:
        camera_id, stem = ctx.info.camera_id, self._stem(ctx)
        when = datetime.fromtimestamp(ctx.scheduled_at or ctx.taken_at, ctx.tz)
        exts = kept_extensions(still, ctx.settings.formats)
        names = {ext: naming.image_path(camera_id, when, stem, ext) for ext in exts}
        files = {names[ext]: still.files[ext] for ext in exts}
        files[naming.image_path(camera_id, when, stem, "json")] = _sidecar(still, ctx, names)
        sizes = {"images": sum(map(len, files.values())), "latest": len(still.files["jpg"])}
        with self._space.reserve(camera_id, sizes):
            paths = self._write_all(files)
            self._update_latest(camera_id, still.files["jpg"])
        written = dict(zip(exts, paths[: len(exts)], strict=True))
        records = [self._record(ctx, path, still.files[ext]) for ext, path in written.items()]
        if ctx.settings.keep == "latest":
            self._drop_older(ctx.info.camera_id, keep={r.record_id for r in records})
        return records

    def latest_problem(self, camera_id: str) -> str | None:
        """Why the camera's latest view (latest/<camera>.jpg) was not updated by its last
        capture, or None."""
        with self._lock:
            return self._latest_problems.get(camera_id)

    def _write_all(self, files: dict[str, bytes]) -> list[Path]:
        """Write ``files`` (relative to images/); on a refused write (a full disk) remove
        what this capture wrote before it, then raise."""
        written: list[Path] = []
        try:
            for relative, data in files.items():
                written.append(self._images.write(relative, data))
        except StorageError:
            for path in written:
                with contextlib.suppress(StorageError):
                    self._images.remove(path)
            raise
        return written

    def _update_latest(self, camera_id: str, jpeg: bytes) -> None:
        """Replace the latest view; a failure is logged when it starts or changes and when
        it ends, not at every capture."""
        problem: str | None = None
        try:
            self._images.write_latest(camera_id, jpeg)
        except StorageError as err:
            problem = f"the latest view is not updated ({err}); captures are kept in images/"
        with self._lock:
            before = self._latest_problems.pop(camera_id, None)
            if problem:
                self._latest_problems[camera_id] = problem
        fields = {"camera_id": camera_id}
        if problem and problem != before:
            extra = {"event": "latest_view_failed", "fields": fields}
            _log.warning("%s: %s", camera_id, problem, extra=extra)
        elif before and not problem:
            extra = {"event": "latest_view_restored", "fields": fields}
            _log.info("%s: the latest view is updated again", camera_id, extra=extra)

    def _stem(self, ctx: CaptureContext) -> str:
        when = datetime.fromtimestamp(ctx.scheduled_at or ctx.taken_at, ctx.tz)
        stem = naming.render(
            ctx.settings.filename,
            name=ctx.settings.name,
            camera=ctx.info.camera_id,
            station=ctx.station,
            when=when,
        )
        stem = f"{stem}_test" if ctx.test_shot else stem
        first_ext = ctx.settings.formats[0]
        candidate, n = stem, 1
        while self._images.exists(
            naming.image_path(ctx.info.camera_id, when, candidate, first_ext)
        ):
            n += 1
            candidate = f"{stem}-{n}"
        return candidate

    def _record(self, ctx: CaptureContext, path: Path, data: bytes) -> CaptureRecord:
        record = CaptureRecord(
            ctx.info.camera_id,
            str(path),
            ctx.scheduled_at,
            ctx.taken_at,
            len(data),
            hashlib.sha256(data).hexdigest(),
            ctx.focus.score if ctx.focus else None,
        )
        # The files are complete: a busy database only delays the row (record_id None).
        record_id = self._writes.submit(f"index row {record!r}", partial(self._index.add, record))
        return replace(record, record_id=record_id)

    def _drop_older(self, camera_id: str, keep: set[int | None]) -> None:
        try:
            older = [r for r in self._index.kept(camera_id) if r.record_id not in keep]
        except (Unavailable, StorageError) as err:
            _log.warning("older images of %s stay until the next capture: %s", camera_id, err)
            return
        for record in older:
            path = Path(record.path)
            self._images.remove(path)
            self._images.remove(path.with_suffix(".json"))
        ids = [r.record_id for r in older if r.record_id is not None]
        if ids:
            removal = partial(self._index.mark_removed, ids)
            self._writes.submit(f"removal of index rows {ids} of {camera_id}", removal)


def _iso(ts: float | None, tz: tzinfo) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz).isoformat(timespec="milliseconds")


def _sidecar(still: StillImage, ctx: CaptureContext, names: dict[str, str]) -> bytes:
    files = [
        {
            "name": PurePosixPath(name).name,
            "format": ext,
            "size": len(still.files[ext]),
            "sha256": hashlib.sha256(still.files[ext]).hexdigest(),
        }
        for ext, name in names.items()
    ]
    doc = {
        "station": ctx.station,
        "camera_id": ctx.info.camera_id,
        "camera_name": ctx.settings.name,
        "backend": ctx.info.backend,
        "model": ctx.info.model,
        "test_shot": ctx.test_shot,
        "scheduled_at": _iso(ctx.scheduled_at, ctx.tz),
        "taken_at": _iso(ctx.taken_at, ctx.tz),
        "width": still.width,
        "height": still.height,
        "settings": ctx.settings.model_dump(mode="json"),
        "camera_metadata": still.metadata,
        "focus": ctx.focus.as_json() if ctx.focus else None,
        "files": files,
        "software": {"name": "eyepi", "version": __version__},
    }
    return json.dumps(doc, indent=2, default=str).encode()
