"""A zip written into a generator: never built on disk, never whole in memory.

``zipfile`` writes to a sink that only collects what it is given; the generator hands that
on after every chunk. Images are stored (``ZIP_STORED``): JPEGs do not compress. The sink
cannot seek, so each entry ends with a data descriptor (sizes after the data), as streaming
zip writers do; every unzip tool reads it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import BinaryIO

from eyepi_gui.domain.browse import BrowseImage, zip_names
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.errors import NotFound

CHUNK = 64 * 1024
"""Bytes read per step: the most a streamed zip holds in memory besides its headers; under
the web server's high watermark, so its output buffer never spills to a temp file."""


class ZipSink:
    """Write-only, non-seekable: collects bytes until the generator takes them."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.parts = []

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def zip_stream(
    images: Sequence[BrowseImage],
    open_file: Callable[[int], tuple[CaptureRecord, BinaryIO]],
) -> Iterator[bytes]:
    """The zip of ``images`` in pieces of about ``CHUNK`` bytes. An image whose file went
    away since the listing is left out (the zip of a day still downloads)."""
    sink = ZipSink()
    names = zip_names(image.name for image in images)
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for image, name in zip(images, names, strict=True):
            try:
                _record, source = open_file(image.record_id)
            except NotFound:
                continue
            with source:
                info = zipfile.ZipInfo(name, _zip_time(image.taken_at))
                info.file_size = image.size
                with archive.open(info, "w", force_zip64=image.size > 2**31) as entry:
                    while chunk := source.read(CHUNK):
                        entry.write(chunk)
                        yield sink.take()
            yield sink.take()
    yield sink.take()


def _zip_time(epoch_s: float) -> tuple[int, int, int, int, int, int]:
    """A zip entry's local date and time (zip cannot hold a year before 1980)."""
    moment = datetime.fromtimestamp(max(epoch_s, 315_619_200.0))  # 1980-01-02
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
