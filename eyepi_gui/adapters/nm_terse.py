"""nmcli's terse output (``nmcli -t -e yes``) read into the station's network types.

Two shapes: tables (``device wifi list``, ``connection show``), one row per line, fields split by
":" with ``\\:`` and ``\\\\`` escaping a colon and a backslash inside a value; and records
(``device show``, ``connection show <uuid>...``), one ``KEY:value`` per line, records apart by a
blank line, values NOT escaped (split at the first colon only). Run nmcli with a UTF-8 locale
(C.UTF-8): under plain C it prints "?" for every non-ASCII character.

Pure functions: no I/O; anything nmcli may leave out ("", "--") reads as missing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from eyepi_gui.domain.network import (
    AddressMethod,
    DeviceKind,
    IPv4Config,
    NetworkDevice,
    SavedNetwork,
    WifiNetwork,
)

_KINDS = {
    "ethernet": DeviceKind.ETHERNET,
    "802-3-ethernet": DeviceKind.ETHERNET,
    "wifi": DeviceKind.WIFI,
    "802-11-wireless": DeviceKind.WIFI,
    "loopback": DeviceKind.LOOPBACK,
}
# "IP4.ADDRESS[2]" (name "IP4.ADDRESS") and "AP[1].SIGNAL" (name "AP", field "SIGNAL")
_INDEXED = re.compile(r"(?P<name>[A-Z0-9.-]+)\[(?P<n>\d+)\](?:\.(?P<field>[A-Z0-9-]+))?")
_STATE = re.compile(r"\d+ \((?P<word>.*)\)")

Record = dict[str, str]


def lines(text: str) -> list[str]:
    """nmcli's lines: split at "\\n" only. ``str.splitlines`` also splits at "\\r", "\\x85",
    U+2028 and others, which nmcli prints inside a name as they are."""
    return text.removesuffix("\n").split("\n") if text else []


def split_fields(line: str) -> list[str]:
    """One terse table row as its fields: split at unescaped ":", ``\\:`` -> ":",
    ``\\\\`` -> "\\" (a backslash before anything else stays as it is)."""
    fields, current, chars = [], [], iter(line)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            current.append(following if following in (":", "\\") else char + following)
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields


def escape_field(value: str) -> str:
    """A value as nmcli writes it in a terse table (``-e yes``)."""
    return value.replace("\\", "\\\\").replace(":", "\\:")


def table(text: str, names: Iterable[str]) -> list[Record]:
    """Rows of a terse table, each as {field name: value}; lines with a different number of
    fields than ``names`` (never seen from nmcli) are skipped rather than misread."""
    keys = list(names)
    rows = (split_fields(line) for line in lines(text) if line)
    return [dict(zip(keys, row, strict=True)) for row in rows if len(row) == len(keys)]


def records(text: str) -> list[Record]:
    """Blank-line separated ``KEY:value`` records (``device show``, ``connection show ID``)."""
    found: list[Record] = []
    current: Record = {}
    for line in lines(text):
        key, colon, value = line.partition(":")
        if not colon:
            if current:
                found.append(current)
            current = {}
            continue
        current[key] = value
    if current:
        found.append(current)
    return found


def line_broken(text: str, fields: Sequence[str], always: Iterable[str] = ()) -> bool:
    """Whether a value in these records may hold a line break. nmcli prints one as it is,
    so an SSID or a profile name from the air ("x\\nGENERAL.STATE:100 (connected)") could
    pass for keys of its own. nmcli prints each record's keys in the order of ``fields``
    (``NAME``, ``NAME[n]``, ``SECTION[n].FIELD`` an access point at a time), each once, with
    every key of ``always``: anything else (a line that is no such key, a key out of that
    order or twice, a record short of a key of ``always``) can only be a line break."""
    wanted = set(always)
    for record in _record_lines(text):
        ranks = [_rank(key, fields) if colon else None for key, colon, _ in record]
        known = [rank for rank in ranks if rank is not None]
        if len(known) < len(ranks) or any(a >= b for a, b in itertools.pairwise(known)):
            return True
        if not wanted <= {key for key, _, _ in record}:
            return True
    return False


def _record_lines(text: str) -> list[list[tuple[str, str, str]]]:
    """The records' lines, each split at its first colon (key, colon, value)."""
    found: list[list[tuple[str, str, str]]] = [[]]
    for line in lines(text):
        if line:
            found[-1].append(line.partition(":"))
        elif found[-1]:
            found.append([])
    return [record for record in found if record]


def _rank(key: str, fields: Sequence[str]) -> tuple[int, int, int] | None:
    """Where nmcli prints ``key`` among ``fields`` (None: not one of them)."""
    match = _INDEXED.fullmatch(key)
    name, index, field = (key, 0, None) if match is None else match.group("name", "n", "field")
    full = f"{name}.{field}" if field else name
    if full not in fields:
        return None
    position = fields.index(full)
    if field:  # AP[n].FIELD: all fields of one access point, then the next one's
        first = min(i for i, f in enumerate(fields) if f.startswith(f"{name}."))
        return first, int(index), position
    return position, int(index), 0


def _missing(value: str | None) -> bool:
    return value is None or value.strip() in ("", "--")


def _text(value: str | None) -> str | None:
    return None if _missing(value) else value


def _indexed(record: Mapping[str, str], name: str) -> list[str]:
    """Values of ``NAME[1]``, ``NAME[2]``, ... in index order (IP4.ADDRESS[n] and the like)."""
    numbered = []
    for key, value in record.items():
        match = _INDEXED.fullmatch(key)
        if match and match["name"] == name and not match["field"]:
            numbered.append((int(match["n"]), value))
    return [value for _, value in sorted(numbered) if not _missing(value)]


def _access_points(record: Mapping[str, str]) -> dict[int, Record]:
    """``AP[n].FIELD`` entries of a Wi-Fi device grouped by n."""
    points: dict[int, Record] = {}
    for key, value in record.items():
        match = _INDEXED.fullmatch(key)
        if match and match["name"] == "AP":
            points.setdefault(int(match["n"]), {})[match["field"]] = value
    return points


def _state(value: str) -> str:
    """ "100 (connected)" -> "connected"; "100 (connected (externally))" -> its words."""
    match = _STATE.fullmatch(value.strip())
    return match["word"] if match else value.strip()


def parse_device(record: Mapping[str, str]) -> NetworkDevice:
    """One ``device show`` record as a NetworkDevice (the in-use access point gives a Wi-Fi
    device's SSID and signal)."""
    kind = _KINDS.get(record.get("GENERAL.TYPE", ""), DeviceKind.OTHER)
    in_use = next((ap for ap in _access_points(record).values() if ap.get("IN-USE") == "*"), {})
    signal = in_use.get("SIGNAL", "")
    return NetworkDevice(
        name=record.get("GENERAL.DEVICE", ""),
        kind=kind,
        state=_state(record.get("GENERAL.STATE", "")),
        connection=_text(record.get("GENERAL.CONNECTION")),
        connection_uuid=_text(record.get("GENERAL.CON-UUID")),
        addresses=(*_indexed(record, "IP4.ADDRESS"), *_indexed(record, "IP6.ADDRESS")),
        gateway=_text(record.get("IP4.GATEWAY")),
        dns=tuple(_indexed(record, "IP4.DNS")),
        mac=record.get("GENERAL.HWADDR", ""),
        ssid=_text(in_use.get("SSID")),
        signal=int(signal) if signal.isdigit() else None,
    )


def parse_devices(text: str) -> list[NetworkDevice]:
    """Every device of a ``device show`` run (all devices, one record each)."""
    return [parse_device(record) for record in records(text) if record.get("GENERAL.DEVICE")]


def _ssid_text(ssid_hex: str) -> str:
    return bytes.fromhex(ssid_hex).decode("utf-8", errors="replace")


def parse_wifi_list(text: str, known: frozenset[str] = frozenset()) -> list[WifiNetwork]:
    """``device wifi list`` rows (fields WIFI_FIELDS) as one WifiNetwork per SSID (its
    strongest access point), strongest first; hidden SSIDs and unreadable rows dropped.
    ``known`` are the SSIDs (text) of saved profiles."""
    best: dict[str, WifiNetwork] = {}
    in_use: set[str] = set()
    for row in table(text, WIFI_FIELDS):
        network = _wifi_row(row, known)
        if network is None:
            continue
        if network.in_use:
            in_use.add(network.ssid_hex)
        held = best.get(network.ssid_hex)
        if held is None or network.signal > held.signal:
            best[network.ssid_hex] = network
    networks = [_with_in_use(network, network.ssid_hex in in_use) for network in best.values()]
    return sorted(networks, key=lambda n: (-n.signal, n.ssid))


# No SSID as text: nmcli escapes ":" and "\\" in a table but not a line break, which splits
# the row; SSID-HEX gives the exact bytes and no field here holds free text.
WIFI_FIELDS = ("IN-USE", "SSID-HEX", "SIGNAL", "SECURITY", "BSSID", "FREQ")


def _wifi_row(row: Mapping[str, str], known: frozenset[str]) -> WifiNetwork | None:
    ssid_hex = row["SSID-HEX"].strip()
    if _missing(ssid_hex) or not re.fullmatch(r"(?:[0-9A-Fa-f]{2}){1,32}", ssid_hex):
        return None
    ssid = _ssid_text(ssid_hex)
    frequency = row["FREQ"].split(" ", 1)[0]
    return WifiNetwork(
        ssid=ssid,
        ssid_hex=ssid_hex.lower(),
        signal=int(row["SIGNAL"]) if row["SIGNAL"].isdigit() else 0,
        security="" if _missing(row["SECURITY"]) else row["SECURITY"].strip(),
        bssid=row["BSSID"],
        frequency_mhz=int(frequency) if frequency.isdigit() else 0,
        in_use=row["IN-USE"].strip() == "*",
        known=ssid in known,
    )


def _with_in_use(network: WifiNetwork, in_use: bool) -> WifiNetwork:
    return network if network.in_use == in_use else replace(network, in_use=in_use)


PROFILE_LIST_FIELDS = ("NAME", "UUID", "TYPE", "DEVICE")
PROFILE_FIELDS = (
    "connection.id",
    "connection.uuid",
    "connection.type",
    "connection.autoconnect",
    "connection.autoconnect-priority",
    "ipv4.method",
    "ipv4.addresses",
    "ipv4.gateway",
    "ipv4.dns",
    "802-11-wireless.ssid",
    "802-11-wireless.mode",
)


def profile_uuids(text: str) -> dict[str, str | None]:
    """Wi-Fi and Ethernet profiles of ``connection show`` (PROFILE_LIST_FIELDS) as
    {uuid: device it is active on, or None}; other kinds (loopback, bridges) left out."""
    rows = table(text, PROFILE_LIST_FIELDS)
    return {
        row["UUID"]: _text(row["DEVICE"])
        for row in rows
        if _KINDS.get(row["TYPE"]) in (DeviceKind.ETHERNET, DeviceKind.WIFI)
    }


def _split_list(value: str | None) -> tuple[str, ...]:
    if _missing(value):
        return ()
    assert value is not None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def parse_ipv4(record: Mapping[str, str]) -> IPv4Config:
    """A profile's ipv4.* settings; any method but "manual" (auto, shared) reads as DHCP."""
    manual = record.get("ipv4.method") == AddressMethod.STATIC.value
    addresses = _split_list(record.get("ipv4.addresses"))
    return IPv4Config(
        method=AddressMethod.STATIC if manual else AddressMethod.DHCP,
        address=addresses[0] if addresses else None,
        gateway=_text(record.get("ipv4.gateway")),
        dns=_split_list(record.get("ipv4.dns")),
    )


def parse_profile(record: Mapping[str, str], device: str | None = None) -> SavedNetwork:
    """One ``connection show UUID`` record (PROFILE_FIELDS) as a SavedNetwork."""
    priority = record.get("connection.autoconnect-priority", "0").strip()
    return SavedNetwork(
        uuid=record.get("connection.uuid", ""),
        name=record.get("connection.id", ""),
        kind=_KINDS.get(record.get("connection.type", ""), DeviceKind.OTHER),
        ipv4=parse_ipv4(record),
        ssid=_text(record.get("802-11-wireless.ssid")),
        priority=int(priority) if re.fullmatch(r"-?\d+", priority) else 0,
        autoconnect=record.get("connection.autoconnect", "yes") == "yes",
        device=device,
        hotspot=record.get("802-11-wireless.mode") == "ap",
    )


def parse_profiles(text: str, active: Mapping[str, str | None]) -> list[SavedNetwork]:
    """The records of ``connection show uuid A uuid B ...``; ``active`` maps uuid -> device
    (from ``profile_uuids``). Records of uuids not in ``active`` are left out."""
    found = (record for record in records(text) if record.get("connection.uuid") in active)
    return [parse_profile(r, active[r["connection.uuid"]]) for r in found]


def named(profile: SavedNetwork, name: str, ssid: bytes | None) -> SavedNetwork:
    """``profile`` with its name and SSID read elsewhere (exactly, over D-Bus)."""
    text = None if ssid is None else ssid.decode("utf-8", errors="replace")
    return replace(profile, name=name, ssid=text if profile.kind is DeviceKind.WIFI else None)


def with_names(device: NetworkDevice, name: str, ssid: bytes | None) -> NetworkDevice:
    """``device`` with its profile's name and SSID (a Wi-Fi device's SSID is its profile's)."""
    text = (
        None
        if ssid is None or device.kind is not DeviceKind.WIFI
        else ssid.decode("utf-8", errors="replace")
    )
    return replace(device, connection=name or None, ssid=text)
