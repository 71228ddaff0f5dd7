"""One row of the Logs tab: time, level (its colour and its word), camera and message on one
line, painted as plain text (a message is never read as markup) and elided at the right."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from eyepi_gui.domain.log_entries import LEVELS, LogEntry

ROW_PX = 44
"""A row's height: a touch target."""
GAP_PX = 10
CAMERA_PX = 90
"""The camera column: "sim-12" fits; longer names end in "…" (the details show them)."""
CAMERA_COLUMN_MIN_PX = 600
"""Narrower lists (a portrait screen) show the time of day only and no camera column, for
the message's sake (the details show both)."""
LEVEL_COLOURS = {
    "DEBUG": "#57606a",
    "INFO": "#0a58ca",
    "WARNING": "#9a6700",
    "ERROR": "#b42318",
    "CRITICAL": "#82071e",
}
LEVEL_WORDS = {"WARNING": "Warning", "CRITICAL": "Critical"}
NO_LEVEL = "—"
"""The level shown for a line that names none (a plain line)."""
ENTRY_ROLE = Qt.ItemDataRole.UserRole
"""A row's LogEntry."""
Index = QModelIndex | QPersistentModelIndex


def time_text(entry: LogEntry, tz: tzinfo, *, short: bool = False) -> str:
    """ "30 May 14:03:22" in the station's zone ("14:03:22" when ``short``); "" for an
    entry without a time."""
    if entry.time is None:
        return ""
    return datetime.fromtimestamp(entry.time, tz).strftime(_SHORT if short else _LONG)


_LONG, _SHORT = "%d %b %H:%M:%S", "%H:%M:%S"


def level_text(level: str) -> str:
    """The level as a word ("Error"); NO_LEVEL for none."""
    return LEVEL_WORDS.get(level, level.capitalize()) if level else NO_LEVEL


def one_line(text: str) -> str:
    """``text`` on one line (a multi-line message or traceback shows its lines joined)."""
    return " ⏎ ".join(part for part in text.splitlines() if part.strip()) or text.strip()


def row_text(entry: LogEntry, tz: tzinfo) -> str:
    """The row as one plain text: "05-30 14:03:22  Error  sim-1  message"."""
    parts = [
        time_text(entry, tz),
        level_text(entry.level),
        entry.camera or "",
        one_line(entry.message),
    ]
    return "  ".join(part for part in parts if part)


class LogRowDelegate(QStyledItemDelegate):
    """Paints a row in columns: time, level, camera, message (elided)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width(), ROW_PX)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, LogEntry):
            return
        painter.save()
        rect = option.rect
        selected = option.state & QStyle.StateFlag.State_Selected
        painter.fillRect(rect, QColor("#dbe9ff" if selected else "#ffffff"))
        painter.setPen(QColor("#d0d7de"))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        self._texts(painter, option, entry, index)
        painter.restore()

    def _texts(
        self, painter: QPainter, option: QStyleOptionViewItem, entry: LogEntry, index: Index
    ) -> None:
        model = index.model()
        tz = getattr(model, "tz", None)
        metrics = option.fontMetrics
        rect: QRect = option.rect.adjusted(8, 0, -8, 0)
        x, middle = rect.left(), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        wide = rect.width() >= CAMERA_COLUMN_MIN_PX  # narrower: time of day, no camera column
        time_px = metrics.horizontalAdvance("00 May 00:00:00" if wide else "00:00:00")
        painter.setPen(QColor("#57606a"))
        if tz is not None:
            when = time_text(entry, tz, short=not wide)
            painter.drawText(QRect(x, rect.top(), time_px, rect.height()), middle, when)
        x += time_px + GAP_PX
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        level_px = max(painter.fontMetrics().horizontalAdvance(level_text(n)) for n in LEVELS)
        painter.setPen(QColor(LEVEL_COLOURS.get(entry.level, "#57606a")))
        painter.drawText(
            QRect(x, rect.top(), level_px, rect.height()), middle, level_text(entry.level)
        )
        painter.setFont(option.font)
        x += level_px + GAP_PX
        painter.setPen(QColor("#0d1117"))
        if wide:  # the camera in a column of its own: messages line up
            camera = metrics.elidedText(entry.camera or "", Qt.TextElideMode.ElideRight, CAMERA_PX)
            painter.drawText(QRect(x, rect.top(), CAMERA_PX, rect.height()), middle, camera)
            x += CAMERA_PX + GAP_PX
        room = max(0, rect.right() - x)
        message = metrics.elidedText(one_line(entry.message), Qt.TextElideMode.ElideRight, room)
        painter.drawText(QRect(x, rect.top(), room, rect.height()), middle, message)
