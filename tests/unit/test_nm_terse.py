"""nmcli terse output read into the network types: escaping, recorded real output (NM 1.42 in a
namespace) and hand-written Wi-Fi lists with hostile SSIDs."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyepi_gui.adapters import nm_terse
from eyepi_gui.adapters.network_manager import DEVICES_ARGS
from eyepi_gui.domain.network import AddressMethod, DeviceKind

DATA = Path(__file__).resolve().parents[1] / "data" / "nmcli"


def read(name):
    return (DATA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("a:b:c", ["a", "b", "c"]),
        (r"caf\:é:x", ["caf:é", "x"]),
        (r"back\\slash:x", ["back\\slash", "x"]),
        (r"ends\\:x", ["ends\\", "x"]),
        (r"\\\::x", ["\\:", "x"]),
        ("::", ["", "", ""]),
        ("", [""]),
        (r"odd\n", ["odd\\n"]),
        ("trailing\\", ["trailing\\"]),
    ],
)
def test_split_fields_honours_escapes(line, fields):
    assert nm_terse.split_fields(line) == fields


@given(st.lists(st.text(alphabet=st.characters(exclude_characters="\n\r")), min_size=1))
def test_escape_then_split_gives_the_fields_back(fields):
    line = ":".join(nm_terse.escape_field(field) for field in fields)
    assert nm_terse.split_fields(line) == fields


def test_table_skips_a_row_with_the_wrong_number_of_fields():
    rows = nm_terse.table("a:b\nonly-one\nc:d\n", ["X", "Y"])
    assert rows == [{"X": "a", "Y": "b"}, {"X": "c", "Y": "d"}]


def test_records_split_at_the_first_colon_and_blank_lines():
    found = nm_terse.records("A:1\nB:x:y\\z\n\nA:2\n")
    assert found == [{"A": "1", "B": "x:y\\z"}, {"A": "2"}]


def test_recorded_devices():
    devices = {d.name: d for d in nm_terse.parse_devices(read("device_show.txt"))}
    assert set(devices) == {"veth-a", "veth-b", "lo"}
    veth = devices["veth-a"]
    assert veth.kind == DeviceKind.ETHERNET
    assert veth.state == "connected"
    assert veth.connected
    assert veth.connection == "wired static"
    assert veth.connection_uuid and len(veth.connection_uuid) == 36
    assert veth.addresses[0] == "192.168.50.10/24"
    assert veth.addresses[1].startswith("fe80::")
    assert veth.gateway == "192.168.50.1"
    assert veth.dns == ("1.1.1.1", "9.9.9.9")
    assert len(veth.mac.split(":")) == 6
    assert devices["lo"].kind == DeviceKind.LOOPBACK
    assert devices["lo"].state == "connected (externally)"
    assert devices["lo"].addresses == ("127.0.0.1/8", "::1/128")
    assert devices["veth-b"].state == "unmanaged"
    assert devices["veth-b"].connection is None
    assert devices["veth-b"].gateway is None


def test_wifi_device_takes_ssid_and_signal_from_the_access_point_in_use():
    wlan, p2p = nm_terse.parse_devices(read("device_show_wifi.txt"))
    assert (wlan.kind, wlan.ssid, wlan.signal) == (DeviceKind.WIFI, "field:lab", 54)
    assert wlan.addresses == ("10.20.0.17/16", "fe80::dea6:32ff:fe01:203/64")
    assert (p2p.kind, p2p.ssid, p2p.signal, p2p.mac) == (DeviceKind.OTHER, None, None, "")


def test_recorded_profiles():
    active = nm_terse.profile_uuids(read("connection_list.txt"))
    assert len(active) == 4, "loopback is left out"
    saved = {s.name: s for s in nm_terse.parse_profiles(read("connection_details.txt"), active)}
    assert set(saved) == {"wired static", "wired dhcp", "café:x\\y", "eyepi-hotspot"}
    static = saved["wired static"]
    assert static.ipv4.method == AddressMethod.STATIC
    assert static.ipv4.address == "192.168.50.10/24"
    assert static.ipv4.gateway == "192.168.50.1"
    assert static.ipv4.dns == ("1.1.1.1", "9.9.9.9")
    assert (static.priority, static.autoconnect, static.device) == (5, True, "veth-a")
    assert static.kind == DeviceKind.ETHERNET and static.active
    dhcp = saved["wired dhcp"]
    assert dhcp.ipv4.method == AddressMethod.DHCP
    assert (dhcp.ipv4.address, dhcp.ipv4.gateway, dhcp.ipv4.dns) == (None, None, ())
    assert (dhcp.autoconnect, dhcp.device) == (False, None)
    wifi = saved["café:x\\y"]
    assert (wifi.kind, wifi.ssid, wifi.hotspot) == (DeviceKind.WIFI, "café:x\\y", False)
    hotspot = saved["eyepi-hotspot"]
    assert (hotspot.ssid, hotspot.hotspot, hotspot.autoconnect) == ("--help", True, False)


def wifi():
    return nm_terse.parse_wifi_list(read("wifi_list.txt"), frozenset({"back\\slash"}))


def test_wifi_list_one_entry_per_ssid_strongest_first_hidden_dropped():
    networks = wifi()
    signals = [n.signal for n in networks]
    assert signals == sorted(signals, reverse=True)
    assert len(networks) == len({n.ssid_hex for n in networks}) == 10
    assert all(n.ssid for n in networks), "hidden rows are dropped"


def test_wifi_list_keeps_hostile_ssids_exact():
    by_text = {n.ssid: n for n in wifi()}
    assert {"field:lab", "back\\slash", "say \"hi\" 'there'", "🌱 plants"} <= set(by_text)
    assert {"--help", "-a", "<script>alert(1)</script>", "x" * 32} <= set(by_text)
    assert "line\nIP4.ADDRESS[9]:6.6.6.6/8" in by_text  # a line break: listed, joinable
    bad = by_text["\ufffd\ufffdbad"]
    assert bytes.fromhex(bad.ssid_hex) == b"\xff\xfebad"
    assert bytes.fromhex(by_text["field:lab"].ssid_hex) == b"field:lab"


def test_wifi_list_strongest_access_point_and_in_use_from_any():
    lab = next(n for n in wifi() if n.ssid == "field:lab")
    assert (lab.signal, lab.bssid, lab.frequency_mhz) == (81, "AA:BB:CC:00:00:02", 5180)
    assert lab.in_use, "in use through its weaker access point"
    assert sum(n.in_use for n in wifi()) == 1


def test_wifi_list_security_and_known():
    by_text = {n.ssid: n for n in wifi()}
    assert by_text["\ufffd\ufffdbad"].open and by_text["-a"].open
    assert by_text["🌱 plants"].security == "WPA3"
    assert not by_text["field:lab"].open
    assert by_text["back\\slash"].known
    assert not by_text["field:lab"].known


@pytest.mark.parametrize(
    "row",
    [
        " :ZZ:50:WPA2:AA\\:BB:2412 MHz",  # not hex
        " :ABC:50:WPA2:AA\\:BB:2412 MHz",  # odd number of digits
        " :" + "41" * 33 + ":50:WPA2:AA\\:BB:2412 MHz",  # 33 bytes
        " :4142:50:WPA2",  # too few fields
    ],
)
def test_wifi_list_drops_unreadable_rows(row):
    assert nm_terse.parse_wifi_list(row + "\n") == []


def test_wifi_list_reads_odd_numbers_as_zero():
    (network,) = nm_terse.parse_wifi_list(" :78:--:WPA2:AA\\:BB:-- MHz\n")
    assert (network.signal, network.frequency_mhz) == (0, 0)


DEVICE_FIELDS = DEVICES_ARGS[1].split(",")
GENERAL = [f for f in DEVICE_FIELDS if f.startswith("GENERAL.")]


def wlan_record(ssid):
    """A disconnected Wi-Fi device hearing ``ssid``, as nmcli prints it (no escaping)."""
    return (
        "GENERAL.DEVICE:wlan0\nGENERAL.TYPE:wifi\nGENERAL.STATE:30 (disconnected)\n"
        "GENERAL.CONNECTION:\nGENERAL.CON-UUID:\nGENERAL.HWADDR:DC:A6:32:01:02:03\n"
        f"IP4.GATEWAY:\nAP[1].IN-USE:\nAP[1].SSID:{ssid}\nAP[1].SIGNAL:40\n"
    )


@pytest.mark.parametrize(
    "ssid",
    [
        "x\nGENERAL.STATE:100 (connected)",  # 31 bytes: the hotspot would never start
        "x\nIP4.ADDRESS[9]:6.6.6.6/8",  # shown large as the station's address
        "x\nAP[1].IN-USE:*",
        "x\nAP[9].IN-USE:*",
        "x\n\nGENERAL.DEVICE:eth9",  # a device of its own
        "x\nno colon",
        "x\n",
    ],
)
def test_a_line_break_in_a_value_is_told_from_keys(ssid):
    """Any SSID in range is printed in ``device show`` as it is: a line break in one
    must not pass for keys of the device (the adapter then reads without names)."""
    assert not nm_terse.line_broken(wlan_record("plain: name"), DEVICE_FIELDS, GENERAL)
    assert nm_terse.line_broken(wlan_record(ssid), DEVICE_FIELDS, GENERAL)
    assert not nm_terse.line_broken(read("device_show.txt"), DEVICE_FIELDS, GENERAL)
    assert not nm_terse.line_broken(read("device_show_wifi.txt"), DEVICE_FIELDS, GENERAL)
    fields = nm_terse.PROFILE_FIELDS
    assert not nm_terse.line_broken(read("connection_details.txt"), fields, fields[:9])


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\x1e", "\x0c", "\r"])
def test_only_a_line_feed_ends_a_line(separator):
    """nmcli ends lines with "\\n" alone; Python's splitlines also split a name at these."""
    name = f"a{separator}ipv4.method:manual"
    text = read("connection_details.txt").replace(
        "connection.id:wired static", f"connection.id:{name}"
    )
    fields = nm_terse.PROFILE_FIELDS
    assert not nm_terse.line_broken(text, fields, fields[:9])
    profiles = nm_terse.parse_profiles(text, nm_terse.profile_uuids(read("connection_list.txt")))
    (wired,) = [p for p in profiles if p.name == name]
    assert wired.ipv4.method is AddressMethod.STATIC  # its own, not the name's
    row = (
        nm_terse.escape_field(name) + ":11111111-1111-1111-1111-111111111111:802-3-ethernet:eth0\n"
    )
    assert nm_terse.profile_uuids(row) == {"11111111-1111-1111-1111-111111111111": "eth0"}
