"""What kind of machine the station runs on and which camera hardware is plugged in, read from
the device tree and sysfs (``root`` is "/" unless a test gives its own tree). Implements
``MachineHardware``; never raises: what cannot be read counts as absent."""

from __future__ import annotations

from pathlib import Path

MODEL_FILES = ("proc/device-tree/model", "sys/firmware/devicetree/base/model")
"""Where the board's model name is (NUL-terminated): "Raspberry Pi 4 Model B Rev 1.4"."""
USB_INTERFACES = "sys/bus/usb/devices/*/bInterfaceClass"
STILL_IMAGE_CLASS = "06"
"""USB interface class of still-image devices (PTP): what gphoto2 drives."""
READ_MAX = 256


class SysfsHardware:
    def __init__(self, root: Path = Path("/")) -> None:
        self._root = root

    def board_model(self) -> str:
        """The device tree's model name, "" where there is none (a PC)."""
        for name in MODEL_FILES:
            text = _read(self._root / name)
            if text:
                return text.rstrip("\0").strip()
        return ""

    def raspberry_pi(self) -> bool:
        return self.board_model().startswith("Raspberry Pi")

    def still_camera_on_usb(self) -> bool:
        return any(
            _read(path).strip() == STILL_IMAGE_CLASS for path in self._root.glob(USB_INTERFACES)
        )


def _read(path: Path) -> str:
    try:
        with path.open("rb") as file:
            return file.read(READ_MAX).decode("utf-8", "replace")
    except OSError:
        return ""
