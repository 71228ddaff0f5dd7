"""Volumes (the data disk, USB sticks) and how long the data disk lasts at current schedules.

Sizes are bytes, rates bytes per day. Pure: the adapters list and measure, this module only
describes and reckons.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

KERNEL_NAME = re.compile(r"[a-z][a-z0-9]{0,31}")
"""A block device's kernel name the station will mount ("sdb1", "mmcblk1p1", "loop3"):
letters and digits only, so it is also a safe folder name and never an option."""


@dataclass(frozen=True)
class Volume:
    """One block device that can hold a filesystem (a partition, or a whole disk with no
    partition table), or the filesystem holding a folder. ``size`` is 0 for a card reader
    with no card; ``free`` is None unless mounted; ``fstype`` and ``label`` are None when no
    filesystem was found (or it could not be read). ``removable`` means the station may
    mount and eject it: a USB or removable drive that holds no system filesystem."""

    device: str
    name: str
    size: int
    fstype: str | None = None
    label: str | None = None
    mountpoint: str | None = None
    free: int | None = None
    removable: bool = False
    usb: bool = False
    read_only: bool = False
    model: str | None = None
    vendor: str | None = None

    @property
    def has_medium(self) -> bool:
        """False for an empty card reader (a drive of 0 bytes)."""
        return self.size > 0


@dataclass(frozen=True)
class CameraForecast:
    """One enabled camera's share of the data disk: slots per day from its schedule, the mean
    bytes of one slot's image files (None: none measured yet) and their product (0 for a
    camera that keeps only its latest image, which does not accumulate)."""

    camera_id: str
    captures_per_day: int
    bytes_per_capture: float | None
    keeps_all: bool = True

    @property
    def bytes_per_day(self) -> float | None:
        if not self.keeps_all:
            return 0.0
        if self.bytes_per_capture is None:
            return None if self.captures_per_day else 0.0
        return self.captures_per_day * self.bytes_per_capture


@dataclass(frozen=True)
class StorageForecast:
    """The data disk now (``free``, ``total``; ``floor`` must stay free) and when captures
    reach the floor: ``days_until_full`` None when nothing measured captures (no camera
    enabled, or none has taken an image yet), 0.0 at or below the floor."""

    free: int
    total: int
    floor: int
    cameras: tuple[CameraForecast, ...]
    days_until_full: float | None

    @property
    def bytes_per_day(self) -> float:
        """Bytes per day of every camera measured so far."""
        return sum(c.bytes_per_day or 0.0 for c in self.cameras)


def days_until_full(
    free_bytes: int, floor_bytes: int, per_camera_bytes_per_day: Mapping[str, float]
) -> float | None:
    """Days until ``free_bytes`` falls to ``floor_bytes`` at the cameras' summed rate; None
    when nothing adds bytes, 0.0 when already at or below the floor. Raises ValueError for
    a negative rate (a programming error)."""
    if any(rate < 0 for rate in per_camera_bytes_per_day.values()):
        raise ValueError("a camera cannot add a negative number of bytes per day")
    rate = sum(per_camera_bytes_per_day.values())
    if rate <= 0:
        return None
    return max(0.0, (free_bytes - floor_bytes) / rate)


def bytes_per_capture(files: Sequence[tuple[float, int]], complete: bool) -> float | None:
    """Mean bytes of one slot from ``files`` (slot time, bytes) of the newest image files,
    newest first (a slot saved in two formats has two). Unless ``complete`` (the list was cut
    at a limit), the oldest slot may have lost a file to the cut and is left out when others
    remain. None for no files."""
    slots: dict[float, int] = {}
    for slot, size in files:
        slots[slot] = slots.get(slot, 0) + size
    if not complete and len(slots) > 1:
        slots.pop(min(slots))
    return sum(slots.values()) / len(slots) if slots else None
