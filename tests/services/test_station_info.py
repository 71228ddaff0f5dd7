""" "This station": the addresses are the OS's own, the URLs are the endpoint's on each of them,
and the rest (hostname, version, uptimes, zone) is what the machine and the station say."""

import ipaddress
import json
import shutil
import socket
import subprocess
from importlib.metadata import version

import psutil
import pytest

from eyepi_gui.domain.reach import InterfaceAddress
from eyepi_gui.services.endpoint import RemoteEndpoint
from eyepi_gui.services.station_info import (
    ENDPOINT_OFF,
    ENDPOINT_STARTING,
    NO_NETWORK,
    StationInfo,
)
from tests.principals import ADMIN

FINGERPRINT = ":".join(f"{i:02X}" for i in range(32))


@pytest.fixture
def services(station):
    return station.services


def os_addresses():
    """(interface, address) of every non-loopback address, as ``ip -j addr`` lists them."""
    ip = shutil.which("ip")
    if ip is None:
        pytest.skip("iproute2's ip is not installed")
    links = json.loads(subprocess.run([ip, "-j", "addr"], capture_output=True, check=True).stdout)
    return {
        (link["ifname"], info["local"])
        for link in links
        for info in link.get("addr_info", [])
        if info["family"] in ("inet", "inet6")
        and not ipaddress.ip_address(info["local"]).is_loopback
    }


def test_the_addresses_are_the_ones_the_os_reports(services):
    about = services.station_info.about()
    shown = {(a.interface, a.address) for a in about.addresses}
    assert shown == os_addresses()
    from_psutil = {
        (name, item.address.split("%")[0])
        for name, items in psutil.net_if_addrs().items()
        for item in items
        if item.family in (socket.AF_INET, socket.AF_INET6)
        and not ipaddress.ip_address(item.address.split("%")[0]).is_loopback
    }
    assert shown == from_psutil
    assert about.hostname == socket.gethostname()


def test_link_local_addresses_come_last(services):
    about = services.station_info.about()
    flags = [a.link_local for a in about.addresses]
    assert flags == sorted(flags)


def test_a_wildcard_bind_gives_one_url_per_ipv4_address(services):
    services.endpoint.started("https://0.0.0.0:8443", FINGERPRINT)
    about = services.station_info.about()
    ipv4 = [a.address for a in about.addresses if a.family == "IPv4"]
    assert about.urls == tuple(f"https://{address}:8443" for address in ipv4)
    assert about.fingerprint == FINGERPRINT
    assert about.primary_url == (about.urls[0] if ipv4 else None)
    assert about.remote_note == (None if ipv4 else NO_NETWORK)


def test_the_version_is_the_installed_one(services):
    assert services.station_info.about().version == version("eyepi")
    assert services.station_info.version() == version("eyepi")


def test_station_uptime_counts_from_opening_and_the_zone_is_the_stations(services, clock):
    before = services.station_info.about()
    clock.set(clock.now() + 3600)
    after = services.station_info.about()
    assert after.station_uptime_s - before.station_uptime_s == pytest.approx(3600)
    assert after.now == clock.now()
    assert after.zone.startswith("Australia/Canberra (AE")


def test_the_endpoint_off_starting_or_failed_says_why_and_has_no_url(services):
    assert services.station_info.about().remote_note == ENDPOINT_STARTING  # enabled, not up yet
    services.config.update_station(ADMIN, {"remote": {"enabled": False}})
    assert services.station_info.about().remote_note == ENDPOINT_OFF
    services.endpoint.stopped("port 8080 is in use")
    about = services.station_info.about()
    assert (about.urls, about.remote_note, about.fingerprint) == ((), "port 8080 is in use", None)


class FixedAddresses:
    """The address port with set answers (for the URL rules, whatever this machine has)."""

    def __init__(self, addresses, route=None):
        self.addresses, self.route = addresses, route

    def hostname(self):
        return "field-7"

    def interface_addresses(self):
        return self.addresses

    def default_route_address(self):
        return self.route

    def booted_at(self):
        return 0.0


LAN = (
    InterfaceAddress("lo", "127.0.0.1", "IPv4"),
    InterfaceAddress("lo", "::1", "IPv6"),
    InterfaceAddress("docker0", "172.17.0.1", "IPv4"),
    InterfaceAddress("wlan0", "fe80::1", "IPv6"),
    InterfaceAddress("wlan0", "192.168.1.20", "IPv4"),
    InterfaceAddress("wlan0", "2001:db8::20", "IPv6"),
    InterfaceAddress("eth0", "169.254.7.7", "IPv4"),
)


def info_on(station, addresses, url, route=None):
    endpoint = RemoteEndpoint()
    endpoint.started(url, None)
    return StationInfo(
        FixedAddresses(addresses, route), endpoint, station.services.config, station.clock
    )


@pytest.mark.parametrize(
    ("bound", "urls"),
    [
        (
            "http://0.0.0.0:8080",
            ("http://192.168.1.20:8080", "http://172.17.0.1:8080", "http://169.254.7.7:8080"),
        ),
        ("https://[::]:8443", ("https://[2001:db8::20]:8443",)),
        ("http://192.168.1.20:8080", ("http://192.168.1.20:8080",)),
    ],
)
def test_urls_follow_the_bind_best_address_first(station, bound, urls):
    about = info_on(station, LAN, bound, route="192.168.1.20").about()
    assert about.urls == urls
    assert about.remote_note is None
    assert [a.address for a in about.addresses] == [
        "192.168.1.20",
        "172.17.0.1",
        "2001:db8::20",
        "169.254.7.7",
        "fe80::1",
    ]
    assert about.primary_address == "192.168.1.20"


def test_a_loopback_bind_says_only_this_machine_can_open_it(station):
    about = info_on(station, LAN, "http://127.0.0.1:8080").about()
    assert about.urls == ("http://127.0.0.1:8080",)
    assert "this machine only" in about.remote_note
