"""station_storage.station_drives picks udisks2 when its name has an owner on the system bus
(DBUS_SYSTEM_BUS_ADDRESS: a private bus here), else the lsblk+mount adapter."""

import subprocess
import sys

from eyepi_gui.adapters.mounts import RemovableVolumes
from eyepi_gui.adapters.udisks import UDisksVolumes
from eyepi_gui.station_storage import MOUNT_FOLDER, station_drives


def test_udisks2_on_the_bus_is_chosen(fake_udisks, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", fake_udisks.address)
    drives = station_drives(tmp_path)
    assert isinstance(drives, UDisksVolumes) and drives.address == fake_udisks.address


def test_a_bus_without_udisks2_gives_lsblk_and_mount(private_bus, monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", private_bus.address)
    assert isinstance(station_drives(tmp_path), RemovableVolumes)


def test_no_system_bus_gives_lsblk_and_mount(monkeypatch, tmp_path):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    drives = station_drives(tmp_path)
    assert isinstance(drives, RemovableVolumes)
    assert drives._root == tmp_path / MOUNT_FOLDER


def test_station_storage_imports_neither_adapter_until_used():
    code = (
        "import sys, eyepi_gui.station_storage; "
        "print(any(m.startswith(('eyepi_gui.adapters.udisks', 'jeepney')) for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
