"""NetworkManager profiles as D-Bus settings (``a{sa{sv}}``): a Wi-Fi network to join and the
station's own access point. Pure builders; nm_dbus sends them. SSIDs travel as bytes (``ay``),
so no SSID can ever be read as an option, and secrets never reach an argv.
"""

from __future__ import annotations

import unicodedata
import uuid as uuids
from typing import Any

Settings = dict[str, dict[str, tuple[str, Any]]]

HOTSPOT_NAME = "eyepi-hotspot"
# One fixed UUID: the station updates its own hotspot profile instead of piling up copies.
HOTSPOT_UUID = str(uuids.uuid5(uuids.NAMESPACE_DNS, "hotspot.eyepi.invalid"))
WIFI = "802-11-wireless"
SECURITY = "802-11-wireless-security"


def ssid_label(ssid: bytes) -> str:
    """The SSID as text for a profile's name: U+FFFD where it is not UTF-8 and for each
    control character. A D-Bus string cannot hold a NUL (the bus drops the connection of
    whoever sends one), and a line break in a name is one nmcli prints as it is; the SSID
    itself travels exact, as bytes."""
    text = ssid.decode("utf-8", errors="replace")
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)


def wifi_profile(
    ssid: bytes, password: str | None, *, hidden: bool = False, key_mgmt: str = "wpa-psk"
) -> Settings:
    """A profile joining ``ssid``: WPA-personal (``key_mgmt`` "wpa-psk" or "sae" for WPA3
    only) with ``password``, open without; DHCP; connects by itself from then on."""
    settings: Settings = {
        "connection": {
            "id": ("s", ssid_label(ssid)),
            "uuid": ("s", str(uuids.uuid4())),
            "type": ("s", WIFI),
            "autoconnect": ("b", True),
        },
        WIFI: {"ssid": ("ay", ssid), "mode": ("s", "infrastructure"), "hidden": ("b", hidden)},
        "ipv4": {"method": ("s", "auto")},
        "ipv6": {"method": ("s", "auto")},
    }
    if password is not None:
        settings[SECURITY] = {"key-mgmt": ("s", key_mgmt), "psk": ("s", password)}
    return settings


def hotspot_profile(ssid: bytes, passphrase: str) -> Settings:
    """The station's access point: WPA2-personal on 2.4 GHz, sharing its address by DHCP
    (``ipv4.method shared``); never started by NM on its own (the station decides)."""
    return {
        "connection": {
            "id": ("s", HOTSPOT_NAME),
            "uuid": ("s", HOTSPOT_UUID),
            "type": ("s", WIFI),
            "autoconnect": ("b", False),
        },
        WIFI: {"ssid": ("ay", ssid), "mode": ("s", "ap"), "band": ("s", "bg")},
        SECURITY: {"key-mgmt": ("s", "wpa-psk"), "psk": ("s", passphrase)},
        "ipv4": {"method": ("s", "shared")},
        "ipv6": {"method": ("s", "ignore")},
    }


def profile_uuid(settings: Settings) -> str:
    return str(settings["connection"]["uuid"][1])
