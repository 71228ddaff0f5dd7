"""NmcliNetwork against a real NetworkManager 1.42 in its own network namespace (root only):
addressing on a veth link, profiles across an NM restart, hostname, checkpoints (also after the
process that made one is SIGKILLed), NM stopped or hung, and Wi-Fi/hotspot profiles without a
Wi-Fi device."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.adapters.nm_profiles import HOTSPOT_UUID, ssid_label, wifi_profile
from eyepi_gui.domain.network import AddressMethod, DeviceKind, IPv4Config
from eyepi_gui.domain.network_rules import check_ipv4
from eyepi_gui.errors import Busy, CommandFailed, InvalidInput, NotFound
from tests.nm_backend import FIRST, add_wired, nmcli_network
from tests.waiting import eventually

pytestmark = pytest.mark.root
ROOT = Path(__file__).resolve().parents[2]
SECOND = IPv4Config(AddressMethod.STATIC, "10.9.0.7/24", "10.9.0.1", ())
DHCP = IPv4Config(AddressMethod.DHCP)


@pytest.fixture
def backend(network_manager):
    return nmcli_network(network_manager)


def profile(backend, uuid):
    return next(s for s in backend.saved() if s.uuid == uuid)


def test_fixture_is_ready_fast_and_isolated(network_manager):
    assert network_manager.ready_s < 2.0
    host_links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    assert "veth-a" not in host_links and "veth-b" not in host_links
    assert str(network_manager.socket).startswith("/tmp/eyepi-nm-")


def test_devices_list_the_veth(backend, network_manager):
    devices = {d.name: d for d in backend.devices()}
    veth = devices["veth-a"]
    assert veth.kind == DeviceKind.ETHERNET
    assert veth.state == "disconnected"
    assert veth.mac.lower() == network_manager.ip_addr()["address"]
    assert devices["lo"].kind == DeviceKind.LOOPBACK
    assert len(backend._runner.calls) == 1, "one nmcli call for every device"


def test_static_address_shows_on_the_link(backend, network_manager):
    uuid = add_wired(network_manager)
    backend.set_ipv4(uuid, SECOND)
    eventually(lambda: network_manager.ipv4() == ["10.9.0.7/24"])
    saved = profile(backend, uuid)
    assert (saved.ipv4.method, saved.ipv4.address, saved.device) == (
        AddressMethod.STATIC,
        "10.9.0.7/24",
        "veth-a",
    )
    veth = next(d for d in backend.devices() if d.name == "veth-a")
    assert veth.addresses[0] == "10.9.0.7/24" and veth.connection_uuid == uuid


def test_dhcp_static_switch(backend, network_manager):
    uuid = add_wired(network_manager)
    backend.set_ipv4(uuid, IPv4Config(AddressMethod.DHCP, dns=("1.1.1.1",)))
    eventually(lambda: network_manager.ipv4() == [])  # no DHCP server: no lease, and no static
    saved = profile(backend, uuid)
    assert (saved.ipv4.method, saved.ipv4.address, saved.ipv4.gateway) == (
        AddressMethod.DHCP,
        None,
        None,
    )
    assert saved.ipv4.dns == ("1.1.1.1",)
    backend.set_ipv4(uuid, FIRST)
    eventually(lambda: network_manager.ipv4() == [FIRST.address])
    assert profile(backend, uuid).ipv4 == FIRST


def test_profile_survives_a_network_manager_restart(backend, network_manager):
    uuid = add_wired(network_manager)
    backend.set_ipv4(uuid, SECOND)
    backend.set_priority(uuid, 7)
    network_manager.restart()
    saved = profile(backend, uuid)
    assert (saved.ipv4, saved.priority) == (SECOND, 7)
    assert any(uuid in p.read_text() for p in network_manager.keyfile_dir.iterdir())
    eventually(lambda: network_manager.ipv4() == ["10.9.0.7/24"])


def test_hostname_through_network_manager(backend, network_manager):
    host_name, host_file = socket.gethostname(), Path("/etc/hostname").read_bytes()
    backend.set_hostname("eyepi-field-9")
    assert (socket.gethostname(), Path("/etc/hostname").read_bytes()) == (host_name, host_file)
    assert backend.hostname() == "eyepi-field-9"
    assert network_manager.hostname_file() == "eyepi-field-9"
    nmcli = ["nmcli", "-t", "general", "hostname"]
    done = subprocess.run(nmcli, env=network_manager.env, capture_output=True, text=True)
    assert done.stdout.strip() == "eyepi-field-9", "nmcli reads what D-Bus reads"


def test_unconfirmed_checkpoint_rolls_back_in_time(backend, network_manager):
    uuid = add_wired(network_manager)
    started = time.monotonic()
    checkpoint = backend.checkpoint(["veth-a"], 3)
    backend.set_ipv4(uuid, SECOND)
    eventually(lambda: network_manager.ipv4() == ["10.9.0.7/24"])
    assert backend.checkpoints() == [checkpoint]
    eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=6)
    elapsed = time.monotonic() - started
    assert 2.5 <= elapsed <= 4.5, f"rolled back after {elapsed:.2f} s"
    assert profile(backend, uuid).ipv4 == IPv4Config(
        AddressMethod.STATIC, FIRST.address, FIRST.gateway
    )
    assert backend.checkpoints() == []


def test_confirmed_checkpoint_keeps_the_change(backend, network_manager):
    uuid = add_wired(network_manager)
    checkpoint = backend.checkpoint(["veth-a"], 2)
    backend.set_ipv4(uuid, SECOND)
    backend.confirm(checkpoint)
    assert backend.checkpoints() == []
    time.sleep(3)
    assert network_manager.ipv4() == ["10.9.0.7/24"]
    assert profile(backend, uuid).ipv4.address == "10.9.0.7/24"


def test_rollback_now(backend, network_manager):
    uuid = add_wired(network_manager)
    checkpoint = backend.checkpoint(["veth-a"], 60)
    backend.set_ipv4(uuid, SECOND)
    backend.rollback(checkpoint)
    eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=2)
    assert profile(backend, uuid).ipv4.address == FIRST.address
    with pytest.raises(NotFound):
        backend.confirm(checkpoint)


CHILD = """
import sys, time
from eyepi_gui.adapters.network_manager import NmcliNetwork
from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.adapters.runner import station_runner
address, uuid = sys.argv[1], sys.argv[2]
backend = NmcliNetwork(station_runner({"DBUS_SYSTEM_BUS_ADDRESS": address}), NmDbus(address))
backend.checkpoint(["veth-a"], 3)
backend.set_ipv4(uuid, IPv4Config(AddressMethod.STATIC, "10.9.0.7/24", "10.9.0.1"))
print("changed", flush=True)
time.sleep(60)
"""


def test_rollback_after_the_process_that_made_the_checkpoint_is_killed(backend, network_manager):
    uuid = add_wired(network_manager)
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, network_manager.bus_address, uuid],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "changed"
        eventually(lambda: network_manager.ipv4() == ["10.9.0.7/24"])
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=5) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=6)
    elapsed = time.monotonic() - started
    assert elapsed <= 4.5, f"rolled back after {elapsed:.2f} s"
    assert profile(backend, uuid).ipv4.address == FIRST.address


def test_checkpoint_of_an_unknown_device_is_not_found(backend):
    with pytest.raises(NotFound, match="wlan9"):
        backend.checkpoint(["wlan9"], 3)
    assert backend.checkpoints() == []


def test_network_manager_stopped_gives_a_clear_error_at_once(network_manager):
    backend = nmcli_network(network_manager, timeout_s=2.0)
    network_manager.stop()
    for call in (backend.devices, backend.saved, backend.hostname, backend.checkpoints):
        started = time.monotonic()
        with pytest.raises(CommandFailed, match="NetworkManager is not running"):
            call()
        assert time.monotonic() - started < 2.0


def test_network_manager_hung_gives_a_clear_error_within_the_timeout(network_manager):
    backend = nmcli_network(network_manager, timeout_s=1.0)
    network_manager.pause()
    try:
        for call in (backend.devices, backend.checkpoints):
            started = time.monotonic()
            with pytest.raises(CommandFailed, match=r"nmcli|NetworkManager"):
                call()
            assert time.monotonic() - started < 1.5
    finally:
        network_manager.resume()


def test_no_wifi_device_no_networks_and_join_fails_clearly(backend):
    assert backend.wifi_networks() == []
    before = backend.saved()
    with pytest.raises(CommandFailed, match="no Wi-Fi device"):
        backend.join_wifi(b"field:lab".hex(), "password123")
    assert backend.saved() == before, "nothing saved"


def test_wifi_profile_over_dbus_keeps_the_ssid_exact(backend, network_manager):
    bus = NmDbus(network_manager.bus_address)
    bus.add_connection(wifi_profile("caf\u00e9:--help".encode(), "s3cret-passphrase", hidden=True))
    (saved,) = [s for s in backend.saved() if s.kind == DeviceKind.WIFI]
    assert (saved.ssid, saved.name, saved.hotspot) == ("café:--help", "café:--help", False)
    assert not any("s3cret" in arg for call in backend._runner.calls for arg in call)
    stored = stored_settings(network_manager, saved.uuid)
    assert stored["802-11-wireless.hidden"] == "yes"
    assert stored["802-11-wireless-security.key-mgmt"] == "wpa-psk"
    assert stored["802-11-wireless-security.psk"] == "s3cret-passphrase"


def stored_settings(nm, uuid):
    """What NM saved for the profile, secrets included (nmcli --show-secrets, test only)."""
    argv = ["nmcli", "-t", "--show-secrets", "connection", "show", "uuid", uuid]
    done = subprocess.run(argv, env=nm.env, capture_output=True, text=True, check=True)
    return dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)


def test_hotspot_profile_is_saved_once_even_without_a_wifi_device(backend, network_manager):
    for passphrase in ("first-passphrase", "second-passphrase"):
        with pytest.raises(CommandFailed, match="no Wi-Fi device"):
            backend.start_hotspot("eyepi-7:--help", passphrase)
    hotspots = [s for s in backend.saved() if s.hotspot]
    assert len(hotspots) == 1
    hotspot = hotspots[0]
    assert (hotspot.uuid, hotspot.ssid, hotspot.name) == (
        HOTSPOT_UUID,
        "eyepi-7:--help",
        "eyepi-hotspot",
    )
    assert not hotspot.autoconnect and not hotspot.active
    stored = stored_settings(network_manager, HOTSPOT_UUID)
    assert stored["802-11-wireless.mode"] == "ap"
    assert stored["802-11-wireless.band"] == "bg"
    assert stored["ipv4.method"] == "shared"
    assert stored["802-11-wireless-security.psk"] == "second-passphrase"
    backend.stop_hotspot()  # not up: nothing to do, no error


def test_priority_and_forget(backend, network_manager):
    uuid = add_wired(network_manager)
    backend.set_priority(uuid, -5)
    assert profile(backend, uuid).priority == -5
    backend.forget(uuid)
    assert all(s.uuid != uuid for s in backend.saved())
    eventually(lambda: network_manager.ipv4() == [])
    with pytest.raises(NotFound):
        backend.forget(uuid)
    with pytest.raises(NotFound):
        backend.set_priority(uuid, 1)


def test_one_checkpoint_per_device_and_none_after_a_restart(backend, network_manager):
    add_wired(network_manager)
    checkpoint = backend.checkpoint(["veth-a"], 60)
    with pytest.raises(Busy):
        backend.checkpoint(["veth-a"], 60)
    network_manager.restart()
    assert backend.checkpoints() == [], "checkpoints live in NM's memory only"
    for call in (backend.confirm, backend.rollback):
        with pytest.raises(NotFound):
            call(checkpoint)


def test_activate_brings_a_saved_profile_up(backend, network_manager):
    uuid = add_wired(network_manager)
    subprocess.run(
        ["nmcli", "connection", "down", "uuid", uuid], env=network_manager.env, check=True
    )
    eventually(lambda: network_manager.ipv4() == [])
    assert not profile(backend, uuid).active
    backend.activate(uuid)
    eventually(lambda: network_manager.ipv4() == [FIRST.address])
    assert profile(backend, uuid).device == "veth-a"
    with pytest.raises(NotFound):
        backend.activate("00000000-0000-0000-0000-000000000000")


def test_rescan_without_a_wifi_device_is_empty(backend):
    assert backend.wifi_networks(rescan=True) == []
    assert any("--rescan" in call and "yes" in call for call in backend._runner.calls)


def test_activating_a_dhcp_profile_returns_before_any_lease(backend, network_manager):
    uuid = add_wired(network_manager)
    backend.set_ipv4(uuid, DHCP)
    started = time.monotonic()
    backend.activate(uuid)
    assert time.monotonic() - started < 2.0, "does not wait for a lease that never comes"
    veth = next(d for d in backend.devices() if d.name == "veth-a")
    assert veth.connection_uuid == uuid and veth.state.startswith("connecting")


def test_every_dns_list_the_rules_take_networkmanager_takes(backend, network_manager):
    """The rules take no DNS server NM's ``ipv4.dns`` refuses (it refused IPv6 ones, which
    the rules took: a 503 after the checkpoint instead of a 400 naming the field)."""
    uuid = add_wired(network_manager)
    for dns in (" 1.1.1.1,, 9.9.9.9 ,", "127.0.0.53", ["8.8.8.8", "", "1.0.0.1"]):
        config = check_ipv4("manual", "10.9.0.7", 24, "10.9.0.1", dns)
        backend.set_ipv4(uuid, config)
        assert profile(backend, uuid).ipv4.dns == config.dns
    for dns in ("2606:4700:4700::1111", "::ffff:1.2.3.4"):
        with pytest.raises(InvalidInput) as refused:
            check_ipv4("manual", "10.9.0.7", 24, "10.9.0.1", dns)
        assert refused.value.field == "ipv4.dns"
        with pytest.raises(CommandFailed, match="DNS server address is invalid"):
            backend.set_ipv4(uuid, IPv4Config(AddressMethod.STATIC, "10.9.0.7/24", None, (dns,)))


HOSTILE_NAMES = [
    b"a\nipv4.method:manual",  # read as a static profile
    b"b\nipv4.addresses:10.6.6.6/8",  # read as holding that address
    b"c\r\nd",  # the rest of the record read as another one: the profile lost
    b"e\n\nconnection.id:evil",
    b"f\n802-11-wireless.mode:ap",  # read as the station's hotspot
]


def test_a_line_break_in_a_name_or_ssid_passes_for_no_setting(backend, network_manager):
    """nmcli prints a line break inside a value as it is: a profile name or SSID from the
    air ("a\\nipv4.method:manual") made keys of its own in the records read."""
    uuid = add_wired(network_manager, name="w\nIP4.ADDRESS[9]:6.6.6.6/8")
    bus = NmDbus(network_manager.bus_address)
    for ssid in HOSTILE_NAMES:
        bus.add_connection(wifi_profile(ssid, None))
    saved = {s.ssid: s for s in backend.saved() if s.kind == DeviceKind.WIFI}
    assert set(saved) == {ssid.decode() for ssid in HOSTILE_NAMES}
    for ssid, wifi in saved.items():
        assert wifi.name == ssid_label(ssid.encode()) and not wifi.hotspot
        assert wifi.ipv4 == IPv4Config(AddressMethod.DHCP), ssid
    veth = next(d for d in backend.devices() if d.name == "veth-a")
    assert veth.connection == "w\nIP4.ADDRESS[9]:6.6.6.6/8" and veth.connection_uuid == uuid
    assert veth.addresses[0] == FIRST.address and "6.6.6.6/8" not in veth.addresses
    assert profile(backend, uuid).name == "w\nIP4.ADDRESS[9]:6.6.6.6/8"


@pytest.mark.parametrize("psk", ["short-7", "x" * 65, "g" * 64])
def test_networkmanager_refusing_a_password_does_not_repeat_it(network_manager, psk):
    """The rules refuse these first; should one reach NM, its error names the setting only."""
    with pytest.raises(CommandFailed) as refused:
        NmDbus(network_manager.bus_address).add_connection(wifi_profile(b"lab", psk))
    assert "psk" in str(refused.value) and psk not in str(refused.value)


def test_a_network_whose_ssid_holds_a_nul_or_a_line_break_is_saved(backend, network_manager):
    """Any bytes are an SSID on the air. Its NUL went into the profile's name, a D-Bus
    string, and the bus dropped the connection ("Connection reset by peer")."""
    ssid, bus = b"x\x00y\nz", NmDbus(network_manager.bus_address)
    bus.add_connection(wifi_profile(ssid, None))
    (saved,) = [s for s in backend.saved() if s.kind == DeviceKind.WIFI]
    assert saved.name == "x\ufffdy\ufffdz"
    assert bus.profile_texts([saved.uuid]) == {saved.uuid: ("x\ufffdy\ufffdz", ssid)}
