"""The Station page's time-zone picker: a search line over the list of installed zones.

A zone is picked from the list, never typed, so a zone that does not exist cannot be chosen.
The list holds only zones station.toml accepts (``pickable_zones``, run off the GUI thread:
finding the installed zones reads the disk).
"""

from __future__ import annotations

import zoneinfo

from pydantic import ValidationError
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QStringListModel, Signal
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QVBoxLayout, QWidget

from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label
from eyepi_gui.settings import StationSettings

SYSTEM_ZONE = "System zone"
"""The list's first row: station.toml's "" (the operating system's own zone)."""
VISIBLE_ROWS = 4
ROW_PX = 48
_ROW_STYLE = f"QListView::item {{ min-height: {ROW_PX}px; padding: 0 12px; }}"


def pickable_zones() -> list[str]:
    """Every installed zone station.toml accepts, sorted (runs on a TaskRunner thread)."""
    return sorted(zone for zone in zoneinfo.available_timezones() if _accepted(zone))


def _accepted(zone: str) -> bool:
    try:
        StationSettings(timezone=zone)
    except ValidationError:
        return False
    return True


def matches(zone: str, search: str) -> bool:
    """Whether ``zone`` fits what was typed: every word, in any case, with "_" read as a space
    ("new york" finds "America/New_York")."""
    name = zone.replace("_", " ").casefold()
    return all(word in name for word in search.replace("_", " ").casefold().split())


def zone_text(zone: str) -> str:
    """A zone as the list shows it ("" is the system's own zone)."""
    return zone or SYSTEM_ZONE


class ZonePicker(QWidget):
    """The chosen zone, a search line and the zones that match it (about four 48 px rows).

    Signals:
        picked(zone: str): a person chose a row ("" for the system zone).
    """

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("zonePicker")
        self._zones: list[str] = []
        self._value = ""
        self.chosen = plain_label(zone_text(""), "zoneChosen", wrap=True)
        self.search = QLineEdit(placeholderText="Search, e.g. Berlin or new york")
        self.search.setClearButtonEnabled(True)
        self.model = QStringListModel(self)
        self.list = QListView()
        self.list.setObjectName("zoneList")
        self.list.setModel(self.model)
        self.list.setStyleSheet(_ROW_STYLE)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setFixedHeight(VISIBLE_ROWS * ROW_PX + 4)
        flick_to_scroll(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.chosen, self.search, self.list):
            layout.addWidget(widget)
        self.search.textChanged.connect(self._filter)
        self.list.clicked.connect(self._clicked)

    def set_zones(self, zones: list[str]) -> None:
        """The zones to offer (the system zone is always the first row)."""
        self._zones = ["", *zones]
        self._filter(self.search.text())

    def value(self) -> str:
        return self._value

    def set_value(self, zone: str) -> None:
        """Show ``zone`` as chosen (as loaded or saved; not a pick, so no signal)."""
        self._value = zone
        self.chosen.setText(f"Chosen: {zone_text(zone)}")
        self._select()

    def set_editable(self, editable: bool) -> None:
        self.search.setVisible(editable)
        self.list.setVisible(editable)

    def shown_zones(self) -> list[str]:
        """The rows on show now, as station.toml values ("" for the system zone)."""
        return [self._zone_at(row) for row in range(self.model.rowCount())]

    def pick(self, zone: str) -> bool:
        """Choose ``zone`` as a tap on its row would; False when it is not on show."""
        rows = self.shown_zones()
        if zone not in rows:
            return False
        self._clicked(self.model.index(rows.index(zone)))
        return True

    def _filter(self, search: str) -> None:
        self.model.setStringList(
            [zone_text(zone) for zone in self._zones if matches(zone_text(zone), search)]
        )
        self._select()

    def _select(self) -> None:
        rows = self.shown_zones()
        selection = self.list.selectionModel()
        if self._value in rows:
            index = self.model.index(rows.index(self._value))
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            selection.clearSelection()

    def _zone_at(self, row: int) -> str:
        text = str(self.model.data(self.model.index(row)))
        return "" if text == SYSTEM_ZONE else text

    def _clicked(self, index: QModelIndex) -> None:
        zone = self._zone_at(index.row())
        self.set_value(zone)
        self.picked.emit(zone)
