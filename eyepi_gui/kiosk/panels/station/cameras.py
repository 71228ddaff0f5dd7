"""The Station page's network cameras: one row per camera (Remove behind a confirm on the row)
and a form to add one by stream URL, with a write-only password and a stream test first.

The password is typed and sent, never shown: its field echoes dots, is emptied after every
save and when the session changes, and the rows show the URL the service gives back, which
holds no password.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.network_cameras import NetworkCameraView, StreamTest
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

FORM_FIELDS = ("camera_id", "url", "password")
STORED_HINT = "Kept by the station, never shown. The URL names the user: rtsp://user@host/stream"
_BREAK_AFTER = frozenset("/.?&=:@-_")
_ZERO_WIDTH_SPACE = "\u200b"


def breakable(url: str) -> str:
    """``url`` with a zero-width break chance after each separator, so a long URL wraps in a
    narrow label instead of widening the page."""
    return "".join(c + _ZERO_WIDTH_SPACE if c in _BREAK_AFTER else c for c in url)


def form_field(path: str) -> str | None:
    """The add form's field a service error names ("url", "network_cameras.cam-1.url")."""
    last = path.rpartition(".")[2]
    if last in FORM_FIELDS:
        return last
    return "camera_id" if path.startswith("network_cameras") else None


class NetworkCameraRow(QFrame):
    """One network camera: its id, URL (no password) and Remove, confirmed on the row.

    Signals:
        remove_requested(camera_id: str): removal confirmed.
    """

    remove_requested = Signal(str)

    def __init__(self, camera: NetworkCameraView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("netcamRow")
        self.camera_id = camera.camera_id
        self.name = plain_label(camera.camera_id, "userName")
        self.url = plain_label(breakable(camera.url), "userFacts", wrap=True)
        note = "password stored" if camera.has_password else "no password"
        self.facts = plain_label(note, "userFacts")
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._ask)
        self.confirm = self._confirm_box()
        text = QVBoxLayout()
        for label in (self.name, self.url, self.facts):
            text.addWidget(label)
        top = QHBoxLayout()
        top.addLayout(text, 1)
        top.addWidget(self.remove_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 6, 10, 6)
        column.addLayout(top)
        column.addWidget(self.confirm)

    def _confirm_box(self) -> QWidget:
        box = QWidget()
        self.keep_button = QPushButton("Keep")
        self.confirm_button = QPushButton("Remove camera")
        set_role(self.confirm_button, "primary")
        self.keep_button.clicked.connect(lambda: box.hide())
        self.confirm_button.clicked.connect(lambda: self.remove_requested.emit(self.camera_id))
        question = f"Remove {self.camera_id}? Its images stay on the station."
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(plain_label(question, wrap=True), 1)
        row.addWidget(self.keep_button)
        row.addWidget(self.confirm_button)
        box.hide()
        return box

    def _ask(self) -> None:
        self.confirm.show()

    def set_enabled(self, editable: bool, busy: bool) -> None:
        self.remove_button.setVisible(editable)
        if not editable:
            self.confirm.hide()
        for button in (self.remove_button, self.keep_button, self.confirm_button):
            button.setEnabled(not busy)


class NetworkCamerasSection(QWidget):
    """The network cameras and the add form; asks the panel for service calls by signal.
    ``label_px`` is the width of the form's label column (the page's other sections' too).

    Signals:
        test_requested(url: str, password: object): Test stream pressed (password str or None).
        add_requested(camera_id: str, url: str, password: object): Save camera pressed.
        remove_requested(camera_id: str): a row's removal confirmed.
    """

    test_requested = Signal(str, object)
    add_requested = Signal(str, str, object)
    remove_requested = Signal(str)

    def __init__(self, label_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkCameras")
        self._label_px = label_px
        self.rows: dict[str, NetworkCameraRow] = {}
        self._editable, self._busy = False, False
        self.list_message = plain_label("", wrap=True)
        self.empty = plain_label("No network cameras.", wrap=True)
        self.rows_box = QVBoxLayout()
        self.add_form = self._form()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(plain_label("Network cameras", "sectionTitle"))
        column.addWidget(self.list_message)
        column.addWidget(self.empty)
        column.addLayout(self.rows_box)
        column.addWidget(self.add_form)
        self.clear()

    def _form(self) -> QWidget:
        form = QWidget()
        self.id_edit = QLineEdit(placeholderText="e.g. gate-cam")
        self.url_edit = QLineEdit(placeholderText="rtsp://host/stream or http://host/video")
        self.password_edit = QLineEdit(placeholderText="Only if the stream asks for one")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.messages = {field: plain_label("", wrap=True) for field in FORM_FIELDS}
        self.form_message = plain_label("", wrap=True)
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, self._label_px)
        grid.addWidget(plain_label("Add a camera by its stream", "sectionTitle"), 0, 0, 1, 2)
        edits = (("camera_id", "Camera id", self.id_edit), ("url", "Stream URL", self.url_edit))
        for field, text, edit in (*edits, ("password", "Password", self.password_edit)):
            row = grid.rowCount()
            grid.addWidget(plain_label(text), row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(self.messages[field], row + 1, 1)
        hint = plain_label(STORED_HINT, wrap=True)
        set_role(hint, "hint")
        grid.addWidget(hint, grid.rowCount(), 1)
        grid.addWidget(self.form_message, grid.rowCount(), 0, 1, 2)
        grid.addLayout(self._buttons(), grid.rowCount(), 0, 1, 2)
        return form

    def _buttons(self) -> QHBoxLayout:
        self.test_button = QPushButton("Test stream")
        self.add_button = QPushButton("Save camera")
        set_role(self.add_button, "primary")
        self.test_button.clicked.connect(self._test)
        self.add_button.clicked.connect(self._add)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.test_button)
        row.addWidget(self.add_button)
        return row

    def _password(self) -> str | None:
        return self.password_edit.text() or None

    def _test(self) -> None:
        self.show_problems({})
        show_message(self.form_message, "Testing the stream…", "hint")
        self.test_requested.emit(self.url_edit.text().strip(), self._password())

    def _add(self) -> None:
        self.show_problems({})
        camera_id, url = self.id_edit.text().strip(), self.url_edit.text().strip()
        self.add_requested.emit(camera_id, url, self._password())

    def show_cameras(self, cameras: list[NetworkCameraView]) -> None:
        """One row per camera, in id order; rows of cameras gone are removed."""
        for camera_id in set(self.rows) - {camera.camera_id for camera in cameras}:
            self.rows.pop(camera_id).deleteLater()
        for camera in sorted(cameras, key=lambda c: c.camera_id):
            if camera.camera_id not in self.rows:
                self.rows[camera.camera_id] = self._row(camera)
        self.empty.setVisible(not self.rows)

    def _row(self, camera: NetworkCameraView) -> NetworkCameraRow:
        row = NetworkCameraRow(camera)
        row.remove_requested.connect(self.remove_requested)
        row.set_enabled(self._editable, self._busy)
        index = sorted([*self.rows, camera.camera_id]).index(camera.camera_id)
        self.rows_box.insertWidget(index, row)
        return row

    def show_test(self, result: StreamTest) -> None:
        if result.ok:
            text = f"Stream OK: {result.width}x{result.height} px. Save camera to add it."
            show_message(self.form_message, text, "ok")
        else:
            show_message(self.form_message, f"Stream test failed: {as_sentence(result.message)}")

    def show_added(self, camera: NetworkCameraView) -> None:
        """The camera was saved: empty the form (the password first) and say so."""
        self.clear()
        show_message(self.form_message, f"Saved {camera.camera_id}.", "ok")

    def show_removed(self, camera_id: str) -> None:
        show_message(self.list_message, f"Removed {camera_id}.", "ok")

    def show_list_message(self, text: str) -> None:
        show_message(self.list_message, text)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each reason under its field of the add form; the rest above its buttons."""
        by_field = {form_field(path): why for path, why in problems.items()}
        for field, label in self.messages.items():
            show_message(label, by_field.pop(field, ""))
        show_message(self.form_message, " ".join(by_field.values()))

    def clear(self) -> None:
        """Empty the form and every message; close every confirm."""
        for edit in (self.id_edit, self.url_edit, self.password_edit):
            edit.clear()
        self.show_problems({})
        show_message(self.list_message, "")
        for row in self.rows.values():
            row.confirm.hide()

    def set_editable(self, editable: bool) -> None:
        self._editable = editable
        self.add_form.setVisible(editable)
        self._enable()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    def _enable(self) -> None:
        for button in (self.test_button, self.add_button):
            button.setEnabled(not self._busy)
        for row in self.rows.values():
            row.set_enabled(self._editable, self._busy)
