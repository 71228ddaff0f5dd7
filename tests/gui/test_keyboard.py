"""The on-screen keyboard (offscreen): taps type into the focused field with real key events,
it follows focus between text fields and never takes focus itself."""

from __future__ import annotations

import string

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.kiosk.widgets.keyboard import (
    KEY_HEIGHT_PX,
    TouchKeyboard,
    attach_keyboard,
    keyboard_wanted,
)
from tests.gui.type_on_keyboard import tap_text

LEFT = Qt.MouseButton.LeftButton
TOUCH_PX = 44


class LoginForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.station = QLineEdit("field-north")
        self.station.setReadOnly(True)
        self.count = QSpinBox()
        self.sign_in = QPushButton("Sign in")
        for widget in (self.username, self.password, self.station, self.count, self.sign_in):
            layout.addWidget(widget)
        layout.addStretch(1)


def show(qtbot, window: QWidget, width: int = 800, height: int = 480) -> None:
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)


@pytest.fixture
def form(qtbot, themed) -> LoginForm:
    form = LoginForm()
    form.keyboard = attach_keyboard(form)
    show(qtbot, form)
    return form


@pytest.fixture
def tap(qtbot):
    def tap_(button: QPushButton) -> None:
        qtbot.mouseClick(button, LEFT)

    return tap_


def focus(qtbot, field: QWidget) -> None:
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)


def keys(keyboard: TouchKeyboard, *names: str) -> list[QPushButton]:
    return [keyboard.current_keys()[name] for name in names]


def test_tapping_keys_types_into_the_focused_field(qtbot, form, tap):
    focus(qtbot, form.username)
    for button in keys(form.keyboard, "h", "i", "space", "j", "o"):
        tap(button)
    assert form.username.text() == "hi jo"
    assert QApplication.focusWidget() is form.username


def test_shift_gives_one_capital_then_lower_case(qtbot, form, tap):
    focus(qtbot, form.username)
    tap(form.keyboard.current_keys()["shift"])
    assert form.keyboard.current_keys()["a"].text() == "A"
    for button in keys(form.keyboard, "a", "b"):
        tap(button)
    assert form.username.text() == "Ab"
    assert form.keyboard.current_keys()["a"].text() == "a"


def test_double_tap_on_shift_locks_capitals_until_shift_again(qtbot, form, tap):
    focus(qtbot, form.username)
    shift = form.keyboard.current_keys()["shift"]
    tap(shift)
    tap(shift)
    for button in keys(form.keyboard, "a", "b", "shift", "c"):
        tap(button)
    assert form.username.text() == "ABc"


def test_symbols_page_types_symbols_and_letters_page_comes_back(qtbot, form, tap):
    focus(qtbot, form.username)
    tap(form.keyboard.current_keys()["symbols"])
    for button in keys(form.keyboard, "!", "@", "#", "letters"):
        tap(button)
    tap(form.keyboard.current_keys()["x"])
    assert form.username.text() == "!@#x"


def test_every_printable_ascii_character_can_be_typed(qtbot, form, tap):
    text = string.ascii_letters + string.digits + string.punctuation + " "
    focus(qtbot, form.password)
    tap_text(form.keyboard, text, tap)
    assert form.password.text() == text


def test_portrait_rows_type_every_printable_ascii_character(qtbot, themed, tap):
    form = LoginForm()
    form.keyboard = attach_keyboard(form)
    show(qtbot, form, 480, 800)
    text = string.ascii_letters + string.digits + string.punctuation + " "
    focus(qtbot, form.password)
    letters = form.keyboard.current_keys()
    assert letters["back"].y() > letters["q"].y()  # the portrait rows: "back" left the top row
    assert_touch_targets(form, form.keyboard, TOUCH_PX)
    tap_text(form.keyboard, text, tap)
    assert form.password.text() == text


def test_the_ampersand_key_shows_an_ampersand(qtbot, form, tap):
    tap(form.keyboard.current_keys()["symbols"])
    assert form.keyboard.current_keys()["&"].text().replace("&&", "&") == "&"


def test_backspace_deletes_the_character_before_the_cursor(qtbot, form, tap):
    focus(qtbot, form.username)
    for button in keys(form.keyboard, "a", "b", "c", "back"):
        tap(button)
    assert form.username.text() == "ab"


def test_a_password_field_receives_the_text_and_its_edit_signals(qtbot, form, tap):
    edits = []
    form.password.textEdited.connect(edits.append)
    focus(qtbot, form.password)
    tap_text(form.keyboard, "Tr0ub4dor&3", tap)
    assert form.password.text() == "Tr0ub4dor&3"
    assert form.password.echoMode() is QLineEdit.EchoMode.Password
    assert edits[-1] == "Tr0ub4dor&3"


def test_a_validator_rejects_keys_as_with_a_real_keyboard(qtbot, form, tap):
    form.username.setValidator(QIntValidator(0, 999))
    focus(qtbot, form.username)
    tap_text(form.keyboard, "1a2", tap)
    assert form.username.text() == "12"


def test_a_spin_box_shows_the_keyboard_and_takes_digits(qtbot, form, tap):
    form.count.setFocus(Qt.FocusReason.TabFocusReason)  # selects the "0"
    qtbot.waitUntil(form.keyboard.isVisible)
    tap_text(form.keyboard, "42", tap)
    assert form.count.value() == 42


def test_enter_triggers_return_pressed(qtbot, form, tap):
    focus(qtbot, form.password)
    tap_text(form.keyboard, "pw", tap)
    with qtbot.waitSignal(form.password.returnPressed, timeout=1000):
        tap(form.keyboard.current_keys()["enter"])


def test_shows_on_focus_in_a_text_field_and_hides_on_other_widgets(qtbot, form):
    focus(qtbot, form.sign_in)
    assert not form.keyboard.isVisible()
    with qtbot.waitSignal(form.keyboard.visibility_changed) as shown:
        focus(qtbot, form.username)
    assert shown.args == [True]
    assert form.keyboard.isVisible()
    focus(qtbot, form.sign_in)
    assert not form.keyboard.isVisible()


def test_never_shows_for_a_read_only_field(qtbot, form):
    focus(qtbot, form.station)
    assert not form.keyboard.isVisible()
    focus(qtbot, form.username)
    focus(qtbot, form.station)
    assert not form.keyboard.isVisible()


def test_key_buttons_never_take_focus(qtbot, form, tap):
    focus(qtbot, form.password)
    letters = list(form.keyboard.current_keys().values())
    for button in keys(form.keyboard, "shift", "a", "back", "symbols"):
        tap(button)
    symbols = list(form.keyboard.current_keys().values())
    for button in keys(form.keyboard, "1", "space", "letters"):
        tap(button)
    assert all(b.focusPolicy() is Qt.FocusPolicy.NoFocus for b in letters + symbols)
    assert QApplication.focusWidget() is form.password
    assert form.password.text() == "1 "


def test_hide_key_hides_and_tapping_the_field_shows_again(qtbot, form, tap):
    focus(qtbot, form.username)
    tap(form.keyboard.current_keys()["hide"])
    assert not form.keyboard.isVisible()
    assert not form.username.hasFocus()
    qtbot.mouseClick(form.username, LEFT)
    qtbot.waitUntil(form.keyboard.isVisible)


def assert_touch_targets(
    window: QWidget, keyboard: TouchKeyboard, width: int = KEY_HEIGHT_PX
) -> None:
    """Every key at least ``width`` px wide (the 44 px house minimum on portrait screens)."""
    for name, button in keyboard.current_keys().items():
        assert button.height() >= KEY_HEIGHT_PX, name
        assert button.width() >= width, name
        top_left = button.mapTo(window, button.rect().topLeft())
        assert window.rect().contains(button.rect().translated(top_left)), name


@pytest.mark.parametrize(("width", "height"), [(800, 480), (1280, 800)])
def test_every_key_is_a_touch_target_inside_the_window(qtbot, themed, tap, width, height):
    form = LoginForm()
    keyboard = attach_keyboard(form)
    show(qtbot, form, width, height)
    focus(qtbot, form.username)
    assert_touch_targets(form, keyboard)
    tap(keyboard.current_keys()["symbols"])
    assert_touch_targets(form, keyboard)


def test_automatic_off_never_shows_and_turning_it_on_follows_focus(qtbot, themed):
    form = LoginForm()
    keyboard = attach_keyboard(form, automatic=False)
    show(qtbot, form)
    focus(qtbot, form.username)
    assert not keyboard.isVisible()
    keyboard.set_enabled_automatic(True)
    assert keyboard.isVisible()
    keyboard.set_enabled_automatic(False)
    assert not keyboard.isVisible()


def test_the_focused_field_stays_in_view_inside_a_scroll_area(qtbot, themed):
    window = QWidget()
    fields = QWidget()
    column = QVBoxLayout(fields)
    edits = [QLineEdit(f"field {n}") for n in range(6)]
    for edit in edits:
        column.addWidget(edit)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(fields)
    QVBoxLayout(window).addWidget(area)
    keyboard = attach_keyboard(window)
    show(qtbot, window, 800, 480)
    focus(qtbot, edits[-1])
    assert keyboard.isVisible()
    top_left = edits[-1].mapTo(area.viewport(), edits[-1].rect().topLeft())
    assert area.viewport().rect().contains(edits[-1].rect().translated(top_left))
    assert area.verticalScrollBar().value() > 0


def test_a_main_window_gets_the_keyboard_in_its_central_widget(qtbot, themed):
    window = QMainWindow()
    central = QWidget()
    QVBoxLayout(central).addWidget(QLineEdit())
    window.setCentralWidget(central)
    keyboard = attach_keyboard(window)
    assert keyboard.parentWidget() is central
    with pytest.raises(TypeError):
        attach_keyboard(QMainWindow())


def test_a_deleted_keyboard_ignores_later_focus_changes(qtbot, themed):
    gone = LoginForm()
    attach_keyboard(gone)
    with qtbot.waitSignal(gone.destroyed, timeout=1000):
        gone.deleteLater()
    form = LoginForm()
    show(qtbot, form)
    focus(qtbot, form.username)
    assert form.username.hasFocus()


@pytest.mark.parametrize(
    ("environ", "wanted"),
    [
        ({}, True),
        ({"EYEPI_KEYBOARD": "1"}, True),
        ({"EYEPI_KEYBOARD": "0"}, False),
        ({"EYEPI_KEYBOARD": " Off "}, False),
    ],
)
def test_eyepi_keyboard_0_turns_the_automatic_keyboard_off(environ, wanted):
    assert keyboard_wanted(environ) is wanted
