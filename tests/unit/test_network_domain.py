"""The network domain helpers: the addresses the Network tab shows large (connected devices
only, no loopback or link-local, IPv4 first) and the hotspot's QR text."""

import dataclasses

from pydantic import BaseModel

from eyepi_gui.domain import network
from eyepi_gui.domain.network import DeviceKind, NetworkDevice, reachable
from remote import network_models


def device(name, state, *addresses, kind=DeviceKind.ETHERNET):
    return NetworkDevice(name, kind, state, addresses=addresses)


def test_only_what_a_browser_can_reach_ipv4_first():
    devices = [
        device("lo", "connected (externally)", "127.0.0.1/8", "::1/128", kind=DeviceKind.LOOPBACK),
        device("eth0", "connected", "2001:db8::5/64", "fe80::1/64", "192.168.1.50/24"),
        device("wlan0", "disconnected", "10.0.0.9/24", kind=DeviceKind.WIFI),
        device("usb0", "connected (externally)", "169.254.3.3/16", "172.16.0.2/24"),
        device("eth1", "connecting (getting IP configuration)", "10.1.1.1/24"),
        device("eth2", "connected", "not an address"),
    ]
    assert reachable(devices) == ("192.168.1.50", "172.16.0.2", "2001:db8::5")


def test_connected_externally_is_up_but_not_connected():
    external = device("usb0", "connected (externally)")
    assert external.up and not external.connected
    assert not device("eth1", "connecting (getting IP configuration)").up


SECRET_NAMES = ("password", "passphrase", "psk", "secret")


def secret_fields(module):
    """(class, field, shown in repr) of every dataclass and pydantic model in ``module``
    with a field named like a secret."""
    found = []
    for cls in vars(module).values():
        if not isinstance(cls, type) or cls.__module__ != module.__name__:
            continue
        if dataclasses.is_dataclass(cls):
            fields = {f.name: f.repr for f in dataclasses.fields(cls)}
        elif issubclass(cls, BaseModel):
            fields = {name: info.repr for name, info in cls.model_fields.items()}
        else:
            continue
        found += [(cls.__name__, n, r) for n, r in fields.items() if n in SECRET_NAMES]
    return found


def test_no_secret_is_in_the_repr_of_a_network_type():
    """A log line, a traceback or a debugger shows ``repr``: a Wi-Fi password or the
    hotspot's passphrase never appears in one."""
    found = secret_fields(network) + secret_fields(network_models)
    assert {(cls, name) for cls, name, _ in found} >= {
        ("HotspotInfo", "passphrase"),
        ("HotspotOut", "passphrase"),
        ("WifiJoinIn", "password"),
    }
    assert [(cls, name) for cls, name, shown in found if shown] == []
    info = network.HotspotInfo("eyepi-x", "abcd-efgh-jkmn", True, "wlan0")
    join = network_models.WifiJoinIn(ssid="lab", password="lab passphrase 1")
    assert "abcd-efgh-jkmn" not in repr(info) and "lab passphrase" not in repr(join)
