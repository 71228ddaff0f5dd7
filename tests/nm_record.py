"""Records what nmcli prints for the adapter's read commands into tests/data/nmcli/, from a real
NetworkManager in a namespace (root): `python -m tests.nm_record`. The set-up is the one the
parser tests expect: a static Ethernet profile (up on veth-a), a DHCP one, a saved Wi-Fi
network whose SSID holds ":" and "\\" and the station's hotspot with the SSID "--help"."""

import subprocess
from pathlib import Path

from eyepi_gui.adapters import network_manager as nm
from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.adapters.nm_profiles import hotspot_profile, wifi_profile
from tests.nm_netns import running_network_manager

DATA = Path(__file__).parent / "data" / "nmcli"
STATIC = ("connection", "add", "type", "ethernet", "ifname", "veth-a", "con-name", "wired static")
STATIC += ("ipv4.method", "manual", "ipv4.addresses", "192.168.50.10/24")
STATIC += ("ipv4.gateway", "192.168.50.1", "ipv4.dns", "1.1.1.1,9.9.9.9")
STATIC += ("connection.autoconnect-priority", "5")
DHCP = ("connection", "add", "type", "ethernet", "ifname", "veth-a", "con-name", "wired dhcp")
DHCP += ("autoconnect", "no")


def nmcli(manager, *args):
    env = {**manager.env, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(["nmcli", *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def record(manager) -> None:
    nmcli(manager, *STATIC)
    nmcli(manager, *DHCP)
    bus = NmDbus(manager.bus_address)
    bus.add_connection(wifi_profile("café:x\\y".encode(), "not-recorded-1"))
    bus.add_connection(hotspot_profile(b"--help", "not-recorded-2"))
    nmcli(manager, "connection", "up", "wired static")
    outputs = {
        "device_show.txt": nm.DEVICES_ARGS,
        "connection_list.txt": nm.PROFILE_LIST_ARGS,
    }
    for name, args in outputs.items():
        (DATA / name).write_text(nmcli(manager, *nm.TERSE, *args))
    listing = (DATA / "connection_list.txt").read_text()
    chosen = [p for uuid in nm.nm_terse.profile_uuids(listing) for p in ("uuid", uuid)]
    (DATA / "connection_details.txt").write_text(
        nmcli(manager, *nm.TERSE, *nm.PROFILE_ARGS, *chosen)
    )


if __name__ == "__main__":
    with running_network_manager() as manager:
        record(manager)
