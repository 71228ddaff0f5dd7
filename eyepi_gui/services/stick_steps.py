"""The first and last steps of any job that writes to a stick (an export, an eject, a support
bundle): unmount after a sync and power off where the machine can, in the words the job's
result ends with; the best-effort unmount after a failure; and, before any of it, the
drive asked for checked to be a removable one plugged in."""

from __future__ import annotations

import logging

from eyepi_gui.domain.volumes import KERNEL_NAME, Volume
from eyepi_gui.errors import EyepiError, InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import VolumeInventory

_log = logging.getLogger("eyepi.export")


def removable(inventory: VolumeInventory, device: str) -> Volume:
    """The removable drive ``device`` as listed now. Raises InvalidInput ("device") for a
    name that is no drive's or a drive that is not removable, NotFound when not plugged in."""
    if not device.startswith("/dev/") or not KERNEL_NAME.fullmatch(device[5:]):
        raise InvalidInput("device", "name a drive as the station lists it (/dev/sdb1)")
    for volume in inventory.volumes():
        if volume.device == device:
            if not volume.removable:
                raise InvalidInput("device", f"{device} is not a removable drive")
            return volume
    raise NotFound(f"no drive {device} (was it pulled out?)")


def eject(inventory: VolumeInventory, device: str) -> str:
    """Unmount ``device`` (the inventory syncs first), then power it off where possible (not
    without udisks2: the drive is safe to pull once unmounted anyway). Returns the words
    "... safe to remove"; raises what the unmount raises."""
    inventory.unmount(device)
    try:
        inventory.power_off(device)
    except (Unavailable, NotFound) as err:
        return f"unmounted (not powered off: {err}), safe to remove"
    return "unmounted and powered off, safe to remove"


def unmount_after(inventory: VolumeInventory, device: str, err: BaseException) -> None:
    """Unmount after ``err`` ended the job (best effort, lazily when the stick is gone)."""
    try:
        inventory.unmount(device)
    except EyepiError as failed:
        _log.warning("unmount after %s failed: %s", type(err).__name__, failed)
