"""The network domain helpers: the addresses the Network tab shows large (connected devices
only, no loopback or link-local, IPv4 first) and the hotspot's QR text."""

from eyepi_gui.domain.network import DeviceKind, NetworkDevice, reachable


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
