"""The Network tab's small pieces: moving a saved network up or down by priority, and names
too wide for a label broken between characters (nothing cut off)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from eyepi_gui.domain.network import AddressMethod, DeviceKind, IPv4Config, SavedNetwork
from eyepi_gui.kiosk.panels.network.station_net import wait_text
from eyepi_gui.kiosk.panels.network.text import NameLabel, break_word, fitted
from eyepi_gui.kiosk.panels.network.wifi import by_priority, moved_priority

DHCP = IPv4Config(AddressMethod.DHCP)


def profile(name: str, priority: int, kind: DeviceKind = DeviceKind.WIFI) -> SavedNetwork:
    return SavedNetwork(f"uuid-{name}", name, kind, DHCP, name, priority)


PROFILES = by_priority(
    [profile("a", 5), profile("b", 2), profile("c", 2), profile("wired", 9, DeviceKind.ETHERNET)]
)


def test_highest_priority_first_then_by_name():
    assert [p.name for p in PROFILES] == ["wired", "a", "b", "c"]


def test_moving_up_goes_one_past_the_network_above():
    assert moved_priority(PROFILES, "uuid-b", 1) == 6
    assert moved_priority(PROFILES, "uuid-c", 1) == 3  # b and c tie: c passes b


def test_moving_down_goes_one_below_the_network_under():
    assert moved_priority(PROFILES, "uuid-a", -1) == 1


def test_the_ends_and_other_kinds_do_not_move():
    assert moved_priority(PROFILES, "uuid-a", 1) is None
    assert moved_priority(PROFILES, "uuid-c", -1) is None
    assert moved_priority(PROFILES, "uuid-wired", 1) is None
    assert moved_priority(PROFILES, "uuid-gone", 1) is None


def test_priorities_stay_in_networkmanagers_range():
    top = by_priority([profile("x", 999), profile("y", 999)])
    assert moved_priority(top, "uuid-y", 1) == 999


def metrics(qapp) -> QFontMetrics:
    return QFontMetrics(QFont("DejaVu Sans", 12))


def test_a_word_too_wide_is_broken_into_lines_that_fit(qapp):
    m = metrics(qapp)
    word = "Greenhouse-north-field-station-5"
    width = m.horizontalAdvance(word) // 3
    lines = break_word(word, m, width).split("\n")
    assert len(lines) >= 3 and "".join(lines) == word
    assert all(m.horizontalAdvance(line) <= width for line in lines)


def test_words_that_fit_and_spaces_are_kept(qapp):
    m = metrics(qapp)
    assert fitted("Join  my net", m, 500) == "Join  my net"
    assert break_word("x", m, 1) == "x"  # one character a line at least


def test_a_name_label_keeps_the_full_text_and_shows_it_whole(qtbot):
    label = NameLabel("netRowTitle")
    qtbot.addWidget(label)
    label.resize(120, 200)
    label.set_full_text("<b>Greenhouse-north-field-station-5</b>")
    assert label.full_text() == "<b>Greenhouse-north-field-station-5</b>"
    assert label.text().replace("\n", "") == label.full_text()
    assert "\n" in label.text()


def test_the_hotspot_wait_in_words():
    assert [wait_text(s) for s in (300, 60, 90, 3600)] == ["5 min", "1 min", "90 s", "60 min"]
