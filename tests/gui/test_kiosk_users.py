"""The Users panel, driven through the real kiosk window on a real station."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.errors import LoginFailed
from eyepi_gui.kiosk.panels.users import UsersPanel, UsersSnapshot
from tests.gui.conftest import ADMIN_PASSWORD, KIOSK_ADMIN

LEFT = Qt.MouseButton.LeftButton
TOUCH_PX = 48
PASSWORD = "grey heron at dawn"
NEW_PASSWORD = "seven kestrels hover"
LAST_ADMIN = "The last admin cannot be removed, disabled or demoted; make another user admin first."


def open_users(window, qtbot, *names):
    """Show the Users tab and wait until its rows are exactly ``names``."""
    panel = window.show_tab("Users")
    assert panel is window.panel(UsersPanel)
    qtbot.waitUntil(lambda: sorted(panel.overview.user_list.rows) == sorted(names))
    return panel


@pytest.fixture
def panel(window, services, qtbot):
    """The Users tab of ada's window (an admin, 800x480), with ada and bob (a viewer)."""
    services.users.add_user(KIOSK_ADMIN, "bob", PASSWORD, Role.VIEWER)
    return open_users(window, qtbot, "ada", "bob")


def press(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    qtbot.mouseClick(button, LEFT)


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def roles_of(services):
    return {user.username: user.role for user in services.users.users(KIOSK_ADMIN)}


def open_manage(panel, qtbot, username):
    press(qtbot, panel.overview.user_list.rows[username].manage_button)
    assert panel.stack.currentWidget() is panel.manage_page
    assert panel.manage_page.title.text() == username
    return panel.manage_page


def shown(label: QLabel) -> str:
    return label.text() if label.isVisible() else ""


def test_the_users_panel_is_in_the_users_tab(window, panel):
    assert window.tabs.widget(window.tab_names().index("Users")).isAncestorOf(panel)


def test_rows_show_role_state_and_who_you_are(panel, services, qtbot):
    services.users.set_disabled(KIOSK_ADMIN, "bob", True)
    rows = panel.overview.user_list.rows
    qtbot.waitUntil(lambda: rows["bob"].facts.text().startswith("viewer · disabled · changed "))
    assert rows["ada"].facts.text().startswith("admin · you · changed ")
    assert rows["bob"].property("role") == "off"
    assert all(row.name.textFormat() == Qt.TextFormat.PlainText for row in rows.values())


def test_an_admin_adds_a_user(panel, services, qtbot):
    press(qtbot, panel.overview.add_button)
    page = panel.add_page
    assert panel.stack.currentWidget() is page
    type_into(qtbot, page.username_edit, "carol")
    type_into(qtbot, page.password_edit, PASSWORD)
    type_into(qtbot, page.confirm_edit, PASSWORD)
    press(qtbot, page.roles.buttons[Role.OPERATOR])
    press(qtbot, page.add_button)
    qtbot.waitUntil(lambda: "carol" in panel.overview.user_list.rows)
    assert panel.stack.currentWidget() is panel.overview
    assert shown(panel.overview.message) == "Added carol as operator."
    assert panel.overview.user_list.rows["carol"].facts.text().startswith("operator · changed ")
    assert roles_of(services) == {"ada": Role.ADMIN, "bob": Role.VIEWER, "carol": Role.OPERATOR}
    activity = panel.overview.activity
    qtbot.waitUntil(lambda: "user_add · carol · added as operator" in activity.shown_texts()[0])
    assert page.password_edit.text() == ""


@pytest.mark.parametrize(
    ("username", "password", "field", "reason"),
    [
        ("Bob", PASSWORD, "username", "Uppercase letter 'B' (usernames are lower case) not"),
        ("eve\u202e", PASSWORD, "username", "Invisible or control character U+202E not allowed"),
        ("carol", "ninechars", "password", "At least 10 characters (this one has 9)."),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    panel, services, qtbot, username, password, field, reason
):
    press(qtbot, panel.overview.add_button)
    page = panel.add_page
    page.username_edit.setFocus()
    page.username_edit.insert(username)  # keyClicks cannot type U+202E
    type_into(qtbot, page.password_edit, password)
    type_into(qtbot, page.confirm_edit, password)
    press(qtbot, page.add_button)
    assert shown(page.field_message(field)).startswith(reason)
    assert panel.stack.currentWidget() is page
    assert roles_of(services) == {"ada": Role.ADMIN, "bob": Role.VIEWER}


@pytest.mark.parametrize(
    ("username", "password", "field", "reason"),
    [
        ("bob", PASSWORD, "username", "Already exists."),
        ("carol", "1234567890", "password", "This is one of the most common passwords;"),
    ],
)
def test_service_refusals_show_next_to_their_field(
    panel, services, qtbot, username, password, field, reason
):
    press(qtbot, panel.overview.add_button)
    page = panel.add_page
    type_into(qtbot, page.username_edit, username)
    type_into(qtbot, page.password_edit, password)
    type_into(qtbot, page.confirm_edit, password)
    press(qtbot, page.add_button)
    qtbot.waitUntil(lambda: shown(page.field_message(field)).startswith(reason))
    assert page.add_button.isEnabled()
    assert roles_of(services) == {"ada": Role.ADMIN, "bob": Role.VIEWER}


def test_an_admin_changes_a_role_and_resets_a_password(panel, services, qtbot):
    page = open_manage(panel, qtbot, "bob")
    press(qtbot, page.roles.buttons[Role.OPERATOR])
    qtbot.waitUntil(lambda: shown(page.messages["role"]) == "Role set to operator.")
    assert roles_of(services)["bob"] is Role.OPERATOR
    qtbot.waitUntil(lambda: page.facts.text().startswith("operator · changed "))
    type_into(qtbot, page.password_edit, NEW_PASSWORD)
    type_into(qtbot, page.confirm_edit, NEW_PASSWORD)
    press(qtbot, page.reset_button)
    qtbot.waitUntil(lambda: shown(page.messages["reset"]).startswith("Password reset."))
    assert page.password_edit.text() == ""
    assert services.login.login(Origin.KIOSK, "bob", NEW_PASSWORD).role is Role.OPERATOR
    with pytest.raises(LoginFailed):
        services.login.login(Origin.REMOTE, "bob", PASSWORD, "10.0.0.7")


def test_a_reset_with_differing_passwords_changes_nothing(panel, services, qtbot):
    page = open_manage(panel, qtbot, "bob")
    type_into(qtbot, page.password_edit, NEW_PASSWORD)
    type_into(qtbot, page.confirm_edit, NEW_PASSWORD + "!")
    press(qtbot, page.reset_button)
    assert shown(page.messages["confirm"]) == "The two passwords differ."
    assert not panel._runner.is_running("user-reset")
    assert services.login.login(Origin.KIOSK, "bob", PASSWORD).username == "bob"


def test_removing_needs_the_confirm_step(panel, services, qtbot):
    page = open_manage(panel, qtbot, "bob")
    press(qtbot, page.remove_button)
    assert page.confirm_box.isVisible()
    assert "Remove bob?" in page.confirm_text.text()
    press(qtbot, page.keep_button)
    assert not page.confirm_box.isVisible()
    assert "bob" in roles_of(services)
    press(qtbot, page.remove_button)
    press(qtbot, page.confirm_remove_button)
    qtbot.waitUntil(lambda: "bob" not in panel.overview.user_list.rows)
    assert panel.stack.currentWidget() is panel.overview
    assert shown(panel.overview.message) == "Removed bob."
    assert roles_of(services) == {"ada": Role.ADMIN}


def test_the_last_admin_stays(window, panel, services, qtbot):
    page = open_manage(panel, qtbot, "ada")
    press(qtbot, page.roles.buttons[Role.VIEWER])
    qtbot.waitUntil(lambda: shown(page.messages["role"]) == LAST_ADMIN)
    assert page.roles.value() is Role.ADMIN
    press(qtbot, page.state_button)
    qtbot.waitUntil(lambda: shown(page.messages["state"]) == LAST_ADMIN)
    press(qtbot, page.remove_button)
    press(qtbot, page.confirm_remove_button)
    qtbot.waitUntil(lambda: shown(page.messages["remove"]) == LAST_ADMIN)
    assert not page.confirm_box.isVisible()
    ada = next(user for user in services.users.users(KIOSK_ADMIN) if user.username == "ada")
    assert (ada.role, ada.disabled) == (Role.ADMIN, False)
    assert not window.session.locked


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        (Role.VIEWER, "A viewer may not manage users; log in as an admin."),
        (Role.OPERATOR, "An operator may not manage users; log in as an admin."),
    ],
)
def test_others_see_everything_but_every_admin_control_is_off(
    services, make_window, qtbot, role, reason
):
    services.users.add_user(KIOSK_ADMIN, "vera", PASSWORD, role)
    window = make_window(services, as_user=Principal("vera", role, Origin.KIOSK))
    panel = open_users(window, qtbot, "ada", "vera")
    overview = panel.overview
    assert shown(overview.access_note) == reason
    assert not overview.add_button.isEnabled()
    assert not any(row.manage_button.isEnabled() for row in overview.user_list.rows.values())
    assert overview.password_button.isEnabled()
    page = panel.manage_page
    controls = [*page.roles.buttons.values(), page.state_button, page.reset_button]
    assert not any(button.isEnabled() for button in [*controls, page.confirm_remove_button])
    assert page.access_message.text() == reason
    qtbot.waitUntil(
        lambda: any("user_add · vera" in text for text in overview.activity.shown_texts())
    )


def test_locked_shows_no_accounts(services, make_window, qtbot):
    window = make_window(services)
    panel = open_users(window, qtbot, "ada")
    type_into(qtbot, panel.add_page.password_edit, "half typed")
    window.session.lock()
    assert panel.stack.currentWidget() is panel.locked_note
    assert panel.locked_note.text().startswith("Log in to see")
    assert panel.overview.user_list.rows == {}
    assert panel.overview.activity.shown_texts() == []
    assert panel.add_page.password_edit.text() == ""
    stale = UsersSnapshot(KIOSK_ADMIN, services.users.users(KIOSK_ADMIN), [], services.config.tz())
    panel.show_snapshot(stale)
    assert panel.overview.user_list.rows == {}


def test_changing_my_own_password(services, make_window, qtbot):
    services.users.add_user(KIOSK_ADMIN, "vera", PASSWORD, Role.VIEWER)
    window = make_window(services, as_user=Principal("vera", Role.VIEWER, Origin.KIOSK))
    panel = open_users(window, qtbot, "ada", "vera")
    press(qtbot, panel.overview.password_button)
    page = panel.password_page
    assert page.intro.text().startswith("Logged in as vera.")
    type_into(qtbot, page.current_edit, "not my password")
    type_into(qtbot, page.new_edit, NEW_PASSWORD)
    type_into(qtbot, page.confirm_edit, NEW_PASSWORD)
    press(qtbot, page.change_button)
    qtbot.waitUntil(
        lambda: shown(page.field_message("current")) == "That is not your current password."
    )
    assert page.current_edit.text() == ""
    type_into(qtbot, page.current_edit, PASSWORD)
    press(qtbot, page.change_button)
    qtbot.waitUntil(lambda: shown(page.message) == "Your password was changed.")
    assert page.new_edit.text() == ""
    assert services.login.login(Origin.KIOSK, "vera", NEW_PASSWORD).username == "vera"
    assert not window.session.locked


def test_activity_is_local_time_and_plain_text(panel, services, qtbot):
    with pytest.raises(LoginFailed):
        services.login.login(Origin.REMOTE, "<b>x</b>", ADMIN_PASSWORD, "10.0.0.9")
    activity = panel.overview.activity
    qtbot.waitUntil(lambda: "<b>x</b>" in activity.shown_texts()[0])
    entry = services.audit.recent(KIOSK_ADMIN, 1)[0]
    row = activity.rows[0]
    when = f"{datetime.fromtimestamp(entry.at, services.config.tz()):%Y-%m-%d %H:%M:%S}"
    assert row.head.text() == f"{when}   anonymous (remote 10.0.0.9)"
    assert row.body.text() == "FAILED · login_failed · '<b>x</b>' · wrong username or password"
    assert row.property("role") == "failed"
    assert {row.head.textFormat(), row.body.textFormat()} == {Qt.TextFormat.PlainText}


def test_touch_targets_at_800x480(panel, qtbot):
    for page in (panel.overview, panel.add_page, panel.password_page):
        panel.stack.setCurrentWidget(page)
        buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
        assert buttons
        assert all(b.height() >= TOUCH_PX and b.width() >= TOUCH_PX for b in buttons)
    assert all(row.height() >= TOUCH_PX for row in panel.overview.user_list.rows.values())
    panel.show_list()
    page = open_manage(panel, qtbot, "bob")
    page.remove_button.click()
    for button in page.findChildren(QPushButton):
        page.fields_scroll.ensureWidgetVisible(button)
        assert button.height() >= TOUCH_PX, button.objectName()
