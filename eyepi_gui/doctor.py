"""``eyepi doctor``: what this machine offers the station, in plain lines."""

from __future__ import annotations

import sys
from pathlib import Path

from eyepi_gui import __version__


def report(home: Path, kiosk_problem: str | None) -> str:
    """A readable report; touches nothing, imports no camera library."""
    from eyepi_gui.adapters.cameras.probe import hardware_backends
    from eyepi_gui.adapters.disk import StatvfsProbe

    lines = [f"eyepi {__version__} on Python {sys.version.split()[0]}", "", "Camera backends:"]
    lines.append("  sim        available: two simulated cameras run when no hardware is found")
    for status in hardware_backends():
        state = "available" if status.available else "unavailable"
        lines.append(f"  {status.name:<10} {state}: {status.reason}")
    lines += [
        "",
        f"Kiosk: {'available' if kiosk_problem is None else 'unavailable: ' + kiosk_problem}",
    ]
    lines += [
        "",
        "Paths:",
        f"  home          {home}{'' if home.exists() else ' (not created yet)'}",
    ]
    for name in ("station.toml", "state.db", "images", "latest", "logs"):
        lines.append(f"  {name:<14}{home / name}")
    disk = StatvfsProbe()
    free, total = disk.free_bytes(home) / 2**30, disk.total_bytes(home) / 2**30
    lines += ["", f"Free space: {free:.1f} GiB of {total:.1f} GiB"]
    return "\n".join(lines)
