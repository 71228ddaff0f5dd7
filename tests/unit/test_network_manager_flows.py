"""NmcliNetwork's paths that need a Wi-Fi device (this machine has none) and nmcli's exit codes,
through a replaying runner and a recording D-Bus stand-in. The same paths without a Wi-Fi
device run against the real NetworkManager in tests/adapters/test_network_manager.py."""

from pathlib import Path

import pytest

from eyepi_gui.adapters.network_manager import DEVICES_ARGS, PLAIN_DEVICES_ARGS, NmcliNetwork
from eyepi_gui.adapters.nm_profiles import HOTSPOT_UUID
from eyepi_gui.adapters.nm_terse import PROFILE_FIELDS
from eyepi_gui.errors import CommandFailed, NotFound
from eyepi_gui.ports import CommandResult

DATA = Path(__file__).resolve().parents[1] / "data" / "nmcli"


class ReplayRunner:
    """Answers nmcli by its first three or two command words (after -t -e yes -f ...); an
    answer is (exit code, stdout, stderr) or a function giving one."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def run(self, program, args, *, timeout_s=None):
        self.calls.append(list(args))
        words = list(args[3:])  # after -t -e yes
        if words[0] == "-f":
            words = words[2:]
        key = next(k for k in (" ".join(words[:3]), " ".join(words[:2])) if k in self.answers)
        answer = self.answers[key]
        code, out, err = answer() if callable(answer) else answer
        return CommandResult(program, code, out, err)


class RecordingBus:
    """The NmDbus calls NmcliNetwork makes, recorded; a Wi-Fi device at /dev/wifi."""

    def __init__(self, wifi="/dev/wifi"):
        self.wifi = wifi
        self.added = []
        self.updated = []
        self.activated = []
        self.existing = None

    def wifi_device(self):
        return self.wifi

    def add_and_activate(self, settings, device):
        self.added.append((settings, device))
        return "/profile/1"

    def add_connection(self, settings):
        self.added.append((settings, None))
        return "/profile/hotspot"

    def connection_path(self, uuid):
        return self.existing

    def update_connection(self, path, settings):
        self.updated.append((path, settings))

    def activate(self, profile, device):
        self.activated.append((profile, device))


def record(name, uuid, kind, **wifi):
    """A profile's record as nmcli prints it: every field asked for, in that order."""
    values = {
        "connection.id": name,
        "connection.uuid": uuid,
        "connection.type": kind,
        "connection.autoconnect": "yes",
        "connection.autoconnect-priority": "0",
        "ipv4.method": "auto",
        **{f"802-11-wireless.{key}": value for key, value in wifi.items()},
    }
    return "".join(
        f"{f}:{values.get(f, '')}\n" for f in PROFILE_FIELDS if f in values or "ipv4" in f
    )


def wifi_backend(ssid, mode="infrastructure"):
    """A backend whose nmcli lists the hand-written Wi-Fi networks and, as saved, the one
    profile the bus was last given (named ``ssid``)."""
    bus = RecordingBus()

    def profile_list():
        uuid = bus.added[-1][0]["connection"]["uuid"][1]
        return 0, f"{ssid.replace(':', chr(92) + ':')}:{uuid}:802-11-wireless:wlan0\n", ""

    def details():
        uuid = bus.added[-1][0]["connection"]["uuid"][1]
        return 0, record(ssid, uuid, "802-11-wireless", ssid=ssid, mode=mode), ""

    runner = ReplayRunner(
        {
            "device wifi": (0, (DATA / "wifi_list.txt").read_text(), ""),
            "connection show": profile_list,
            "connection show uuid": details,
        }
    )
    return NmcliNetwork(runner, bus), bus, runner


@pytest.mark.parametrize(
    ("ssid", "key_mgmt"),
    [("field:lab", "wpa-psk"), ("🌱 plants", "sae"), ("say \"hi\" 'there'", "wpa-psk")],
)
def test_join_sends_ssid_bytes_and_secret_over_dbus_only(ssid, key_mgmt):
    backend, bus, runner = wifi_backend(ssid)
    saved = backend.join_wifi(ssid.encode().hex(), "correct horse 9")
    settings, device = bus.added[0]
    assert device == "/dev/wifi"
    assert settings["802-11-wireless"]["ssid"] == ("ay", ssid.encode())
    assert settings["802-11-wireless-security"]["key-mgmt"] == ("s", key_mgmt)
    assert settings["802-11-wireless-security"]["psk"] == ("s", "correct horse 9")
    assert saved.ssid == ssid
    assert not any("correct horse" in arg for call in runner.calls for arg in call)


def test_join_open_and_hidden_network_has_no_security_section():
    backend, bus, _ = wifi_backend("-a")
    backend.join_wifi(b"-a".hex(), None, hidden=True)
    settings, _ = bus.added[0]
    assert "802-11-wireless-security" not in settings
    assert settings["802-11-wireless"]["hidden"] == ("b", True)


def test_hotspot_is_made_once_then_updated_and_brought_up_on_the_wifi_device():
    backend, bus, _ = wifi_backend("eyepi-7", "ap")
    first = backend.start_hotspot("eyepi-7", "first-passphrase")
    bus.existing = "/profile/hotspot"
    backend.start_hotspot("eyepi-7", "second-passphrase")
    assert len(bus.added) == 1 and len(bus.updated) == 1
    assert bus.updated[0][1]["802-11-wireless-security"]["psk"] == ("s", "second-passphrase")
    assert bus.activated == [("/profile/hotspot", "/dev/wifi")] * 2
    assert first.hotspot and first.uuid == HOTSPOT_UUID


@pytest.mark.parametrize(
    ("code", "stderr", "error", "text"),
    [
        (8, "Error: NetworkManager is not running.\n", CommandFailed, "is not running"),
        (10, "Error: unknown connection 'x'.\n", NotFound, "unknown connection 'x'."),
        (4, "Error: Connection activation failed: no device.\n", CommandFailed, "activation"),
        (3, "", CommandFailed, "exited 3"),
    ],
)
def test_nmcli_exit_codes_map_into_the_error_tree(code, stderr, error, text):
    runner = ReplayRunner({"device show": (code, "", stderr)})
    with pytest.raises(error, match=text) as caught:
        NmcliNetwork(runner, RecordingBus()).devices()
    assert "Error:" not in str(caught.value)
    if error is CommandFailed:
        assert caught.value.exit_code == code


def test_saved_reads_the_profiles_left_when_one_went_in_between():
    listing = "a:11111111-1111-1111-1111-111111111111:802-3-ethernet:\n"
    listing += "b:22222222-2222-2222-2222-222222222222:802-3-ethernet:\n"
    details = record("a", "11111111-1111-1111-1111-111111111111", "802-3-ethernet")
    gone = "Error: 22222222-2222-2222-2222-222222222222 - no such connection profile.\n"
    runner = ReplayRunner(
        {"connection show": (0, listing, ""), "connection show uuid": (10, details, gone)}
    )
    (saved,) = NmcliNetwork(runner, RecordingBus()).saved()
    assert saved.name == "a"


class FieldsRunner:
    """nmcli ``device show`` answered by the fields asked for."""

    def __init__(self, by_fields):
        self.by_fields, self.calls = by_fields, []

    def run(self, program, args, *, timeout_s=None):
        self.calls.append(list(args))
        return CommandResult(program, 0, self.by_fields[args[4]], "")


class NamingBus(RecordingBus):
    def profile_texts(self, uuids):
        return {uuid: ("lab\nnet", b"lab\nnet") for uuid in uuids}


def test_an_ssid_in_range_with_a_line_break_passes_for_no_key_of_the_device():
    """ "x\\nGENERAL.STATE:100 (connected)" heard from any access point read a disconnected
    device as connected (no hotspot fallback ever): read again without names, which come
    over D-Bus."""
    uuid = "0c9a4d7e-2b8f-4a5e-9d61-3f2c1b0a9e87"
    general = "GENERAL.DEVICE:wlan0\nGENERAL.TYPE:wifi\nGENERAL.STATE:30 (disconnected)\n"
    hostile = general + f"GENERAL.CONNECTION:lab\nGENERAL.CON-UUID:{uuid}\nGENERAL.HWADDR:\n"
    hostile += "AP[1].IN-USE:\nAP[1].SSID:x\nGENERAL.STATE:100 (connected)\nAP[1].SIGNAL:40\n"
    plain = general + f"GENERAL.CON-UUID:{uuid}\nGENERAL.HWADDR:\nAP[1].IN-USE:\nAP[1].SIGNAL:40\n"
    runner = FieldsRunner({DEVICES_ARGS[1]: hostile, PLAIN_DEVICES_ARGS[1]: plain})
    (wlan,) = NmcliNetwork(runner, NamingBus()).devices()
    assert wlan.state == "disconnected" and not wlan.up
    assert (wlan.connection, wlan.ssid, wlan.connection_uuid) == ("lab\nnet", "lab\nnet", uuid)
    assert len(runner.calls) == 2
