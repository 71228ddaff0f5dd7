"""The kiosk's own on-screen keyboard, built from plain widgets (no QtVirtualKeyboard).

Each key sends a real key press and release, with its text, to the focused widget, so
validators, password echo and ``textEdited`` behave as with a hardware keyboard. A window calls
``attach_keyboard(window, automatic=keyboard_wanted())``; the keyboard then shows while a
writable text field of that window has focus and hides when focus moves elsewhere.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from types import MappingProxyType
from typing import cast

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.kiosk.widgets.reflow import is_narrow
from eyepi_gui.kiosk.widgets.text import set_role

KEY_HEIGHT_PX = 48
REVEAL_MARGIN_PX = 8
"""Room kept around a field scrolled into view above the keyboard (px)."""
SPACING_PX = 5
# Rows of key names: a single character types itself, a word is a special key.
LETTERS = (
    "q w e r t y u i o p back",
    "a s d f g h j k l enter",
    "shift z x c v b n m - .",
    "symbols @ space _ hide",
)
# The digits and all 32 printable ASCII symbols, so that any password can be typed.
SYMBOLS = (
    "1 2 3 4 5 6 7 8 9 0 - = back",
    "! @ # $ % ^ & * ( ) _ + enter",
    "[ ] { } ; : ' \" \\ | / ?",
    "letters , . ` ~ < > space hide",
)
# Portrait screens (under NARROW_PX wide): at most ten one-character keys a row, so that every
# key stays 44 px wide on a 480 px screen; the same keys as above.
NARROW_LETTERS = (
    "q w e r t y u i o p",
    "a s d f g h j k l -",
    "shift z x c v b n m back",
    "symbols @ . _ space enter hide",
)
NARROW_SYMBOLS = (
    "1 2 3 4 5 6 7 8 9 0",
    "! @ # $ % ^ & * ( )",
    "- = _ + [ ] { } ; :",
    "' \" \\ | / ? , . ` ~",
    "letters < > space back enter hide",
)
NARROW_SPACING_PX = 2
NARROW_SPACE_WIDTH = 4
LABELS = {
    "back": "⌫",
    "enter": "Enter",
    "shift": "Shift",
    "symbols": "?123",
    "letters": "ABC",
    "space": "Space",
    "hide": "Hide",
}
SPACE_WIDTH = 8
TEXT_FIELDS = (QLineEdit, QAbstractSpinBox, QPlainTextEdit)
OFF_VALUES = frozenset({"0", "false", "no", "off"})


class Shift(Enum):
    """Shift state; the value is the shift key's theme role."""

    OFF = "special"
    ONCE = "shifted"
    LOCKED = "locked"


def keyboard_wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the on-screen keyboard should follow focus: yes unless ``EYEPI_KEYBOARD`` is
    0 (or false/no/off), for stations with a hardware keyboard. The only reader of the variable."""
    return environ.get("EYEPI_KEYBOARD", "1").strip().lower() not in OFF_VALUES


def is_writable_text_field(widget: QWidget | None) -> bool:
    """A line edit, spin box or plain text edit that is not read-only."""
    return isinstance(widget, TEXT_FIELDS) and not widget.isReadOnly()


def reveal(field: QWidget) -> None:
    """Scroll every QScrollArea around ``field`` so that the whole field is in view, with a
    little room around it. (``ensureWidgetVisible`` would show only a line edit's cursor.)"""
    ancestor = field.parentWidget()
    while ancestor is not None:
        content = ancestor.widget() if isinstance(ancestor, QScrollArea) else None
        if isinstance(ancestor, QScrollArea) and content is not None:
            centre = field.mapTo(content, field.rect().center())
            room_x = min(field.width() // 2 + REVEAL_MARGIN_PX, ancestor.viewport().width() // 2)
            room_y = min(field.height() // 2 + REVEAL_MARGIN_PX, ancestor.viewport().height() // 2)
            ancestor.ensureVisible(centre.x(), centre.y(), room_x, room_y)
        ancestor = ancestor.parentWidget()


def _reveal_if_focused(field: QWidget) -> None:
    if field.hasFocus():
        reveal(field)


def key_label(name: str) -> str:
    return LABELS.get(name, name.replace("&", "&&"))  # a lone "&" is a mnemonic marker


def key_width(name: str, narrow: bool = False) -> int:
    """Relative width of a key in its row."""
    if name == "space":
        return NARROW_SPACE_WIDTH if narrow else SPACE_WIDTH
    return 2 if len(name) == 1 else 3


class TouchKeyboard(QWidget):
    """Rows of touch keys (a letters page and a digits + symbols page) that type into the
    focused widget; the buttons never take focus. Shift types one capital, a double tap locks.
    With ``set_enabled_automatic(True)`` it shows while a writable text field of its window has
    focus; Hide (or focus leaving text fields) hides it.

    Signals:
        visibility_changed(bool): the keyboard was shown (True) or hidden (False).
        about_to_show(): the keyboard is hidden and is going to show: room can be made for it
            before the window lays itself out (emitted before ``visibility_changed(True)``).
    """

    visibility_changed = Signal(bool)
    about_to_show = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("touchKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._automatic = False
        self._shift = Shift.OFF
        self._shift_tapped_at = 0.0
        self._specials = self._special_keys()
        # Keys get their parents before anything polishes them, so #touchKeyboard rules apply.
        self._stack = QStackedWidget(self)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(SPACING_PX, SPACING_PX, SPACING_PX, SPACING_PX)
        self._column.addWidget(self._stack)
        self._pages: list[dict[str, QPushButton]] = []  # built when first shown (start-up time)
        self._narrow = False
        self.hide()
        app = cast(QApplication, QApplication.instance())
        app.focusChanged.connect(self._on_focus_changed)

    def _special_keys(self) -> dict[str, Callable[[], None]]:
        return {
            "back": lambda: self._send(Qt.Key.Key_Backspace, ""),
            "enter": lambda: self._send(Qt.Key.Key_Return, "\r"),
            "space": lambda: self._send(Qt.Key.Key_Space, " "),
            "shift": self._tap_shift,
            "symbols": lambda: self._stack.setCurrentIndex(1),
            "letters": lambda: self._stack.setCurrentIndex(0),
            "hide": self.dismiss,
        }

    def _add_page(self, rows: tuple[str, ...]) -> dict[str, QPushButton]:
        page = QWidget(self._stack)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        spacing = NARROW_SPACING_PX if self._narrow else SPACING_PX
        column.setSpacing(spacing)
        keys: dict[str, QPushButton] = {}
        for row in rows:
            line = QHBoxLayout()
            line.setSpacing(spacing)
            for name in row.split():
                keys[name] = self._key(name, page)
                line.addWidget(keys[name], key_width(name, self._narrow))
            column.addLayout(line)
        self._stack.addWidget(page)
        return keys

    def _key(self, name: str, page: QWidget) -> QPushButton:
        button = QPushButton(key_label(name), page)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoDefault(False)
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(KEY_HEIGHT_PX)
        if len(name) > 1:
            button.setProperty("role", Shift.OFF.value)
        button.clicked.connect(lambda: self._press(name))
        return button

    def _ensure_keys(self) -> None:
        """Build the pages, or build them again when the window turned portrait or back."""
        narrow = is_narrow(self)
        if self._pages and narrow == self._narrow:
            return
        self._narrow = narrow
        side = 0 if narrow else SPACING_PX  # portrait: every pixel of width goes to the keys
        self._column.setContentsMargins(side, SPACING_PX, side, SPACING_PX)
        while (page := self._stack.widget(0)) is not None:
            self._stack.removeWidget(page)
            page.deleteLater()
        rows = (NARROW_LETTERS, NARROW_SYMBOLS) if narrow else (LETTERS, SYMBOLS)
        self._pages = [self._add_page(page_rows) for page_rows in rows]
        self._set_shift(self._shift)

    def setVisible(self, visible: bool) -> None:
        was_hidden = self.isHidden()
        if visible:
            self._ensure_keys()
            if was_hidden:
                self.about_to_show.emit()
        super().setVisible(visible)
        host = self.parentWidget()
        if not visible and host is not None and (layout := host.layout()) is not None:
            layout.invalidate()  # now, not on the next layout request: see the signal below
            layout.activate()
        if not visible and not was_hidden:
            # Only now is the keyboard out of the layout: a status bar shown back on this
            # signal must not be added while the keyboard still takes its rows (the window
            # would grow past the screen).
            self.visibility_changed.emit(False)

    def current_keys(self) -> Mapping[str, QPushButton]:
        """The key buttons of the page showing, by key name ("q", "!", "shift", "back", ...)."""
        self._ensure_keys()
        return MappingProxyType(self._pages[self._stack.currentIndex()])

    def set_enabled_automatic(self, enabled: bool) -> None:
        """Follow focus (show for writable text fields of this window), or stop and hide."""
        self._automatic = enabled
        if enabled:
            self._on_focus_changed(None, QApplication.focusWidget())
        else:
            self.hide()

    def dismiss(self) -> None:
        """Hide, and take focus off the field so that tapping it again shows the keyboard."""
        field = QApplication.focusWidget()
        if field is not None and self.window().isAncestorOf(field):
            field.clearFocus()
        self.hide()

    def _press(self, name: str) -> None:
        special = self._specials.get(name)
        if special is not None:
            special()
            return
        text = name.upper() if self._shift is not Shift.OFF else name
        self._send(ord(text.upper()), text)  # Qt key codes are the upper-case ASCII codes
        if self._shift is Shift.ONCE:
            self._set_shift(Shift.OFF)

    def _send(self, key: int, text: str) -> None:
        target = QApplication.focusWidget()
        if target is None:
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
            QApplication.sendEvent(target, event)

    def _tap_shift(self) -> None:
        now = time.monotonic()
        double_tap = now - self._shift_tapped_at < QApplication.doubleClickInterval() / 1000
        self._shift_tapped_at = now
        if self._shift is Shift.OFF:
            self._set_shift(Shift.ONCE)
        elif self._shift is Shift.ONCE and double_tap:
            self._set_shift(Shift.LOCKED)
        else:
            self._set_shift(Shift.OFF)

    def _set_shift(self, state: Shift) -> None:
        self._shift = state
        if not self._pages:
            return
        for name, button in self._pages[0].items():
            if name.isalpha() and len(name) == 1:
                button.setText(name if state is Shift.OFF else name.upper())
        set_role(self._pages[0]["shift"], state.value)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self._automatic or new is None:  # None: another application has focus
            return
        if is_writable_text_field(new) and self.window().isAncestorOf(new):
            self.show()  # lays out the parent at once, so reveal() sees the smaller view
            reveal(new)
            # Again once late layouts are done; dropped if the field is deleted first.
            QTimer.singleShot(0, new, partial(_reveal_if_focused, new))
        else:
            self.hide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.visibility_changed.emit(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible():
            self._ensure_keys()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._set_shift(Shift.OFF)
        self._stack.setCurrentIndex(0)


def attach_keyboard(window: QWidget, *, automatic: bool = True) -> TouchKeyboard:
    """Add a TouchKeyboard at the bottom of ``window``'s vertical layout (a QMainWindow's
    central widget's, so it sits above the status bar) and let it follow focus when
    ``automatic``. Raises TypeError when there is no QVBoxLayout to put it in."""
    host = window.centralWidget() if isinstance(window, QMainWindow) else window
    layout = host.layout() if host is not None else None
    if not isinstance(layout, QVBoxLayout):
        raise TypeError(f"{type(window).__name__} has no vertical layout for the keyboard")
    keyboard = TouchKeyboard(host)
    layout.addWidget(keyboard)
    keyboard.set_enabled_automatic(automatic)
    return keyboard
