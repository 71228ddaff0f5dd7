"""The kept images as a service: listed by camera and time, fetched by id (never by path)."""

from __future__ import annotations

from typing import BinaryIO

from eyepi_gui.domain.records import QUERY_MAX, CaptureQuery, CaptureRecord
from eyepi_gui.errors import InvalidInput, NotFound
from eyepi_gui.ports import CaptureIndex, ImageStore
from eyepi_gui.services.access import reads

SQLITE_MAX_INT = 2**63 - 1


class CaptureLibrary:
    def __init__(self, index: CaptureIndex, images: ImageStore) -> None:
        self._index, self._images = index, images

    @reads
    def find(self, query: CaptureQuery) -> list[CaptureRecord]:
        """Kept images matching ``query``, newest first. Raises ``InvalidInput`` naming the
        field for a limit out of 1-500 or an empty time range."""
        if not 1 <= query.limit <= QUERY_MAX:
            raise InvalidInput("limit", f"give 1 to {QUERY_MAX}")
        if query.since is not None and query.until is not None and query.until <= query.since:
            raise InvalidInput("until", "must be later than since")
        return self._index.query(query)

    @reads
    def record(self, record_id: int) -> CaptureRecord:
        in_range = 0 < record_id <= SQLITE_MAX_INT  # an id beyond SQLite's range is unknown
        record = self._index.by_id(record_id) if in_range else None
        if record is None:
            raise NotFound(f"no kept image {record_id}")
        return record

    @reads
    def open_file(self, record_id: int) -> tuple[CaptureRecord, BinaryIO]:
        """A kept image's record and its file opened for reading (the caller closes it).
        Raises ``NotFound`` when the file is gone or lies outside the image folder (the index
        is never trusted with paths), ``Unavailable`` when it is no readable file."""
        record = self.record(record_id)
        try:
            return record, self._images.open_kept(record.path)
        except NotFound as err:
            raise NotFound(f"the file of image {record_id} is no longer on this station") from err
