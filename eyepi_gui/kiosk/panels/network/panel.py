"""The Network tab: what the station's network is now, and changing it.

Everyone logged in sees the addresses, devices, networks in range and saved networks;
operators join, forget and order Wi-Fi networks; admins change addressing, the hostname and
the hotspot fallback. The service decides; the panel only hides what the person at the
screen may not use and says why. Every service call runs through the TaskRunner: the status
is read when the tab shows, every 5 s while it shows and on network events; a slow or
stopped NetworkManager never holds up the screen.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.events import (
    NetworkChanged,
    NetworkChangePending,
    NetworkChangeRolledBack,
    SettingsChanged,
)
from eyepi_gui.domain.network import DeviceKind, PendingChange, WifiNetwork
from eyepi_gui.domain.network_rules import whole_number
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.panels.network.forms import AddressingPage, JoinSheet
from eyepi_gui.kiosk.panels.network.station_net import WAIT_FIELD, HostnameSection, HotspotSection
from eyepi_gui.kiosk.panels.network.status import DeviceList, PendingBanner, StatusHeader
from eyepi_gui.kiosk.panels.network.view import NetworkView, fetch_view, fetch_wifi
from eyepi_gui.kiosk.panels.network.wifi import SavedSection, WifiSection, moved_priority
from eyepi_gui.kiosk.widgets.form_page import problems_of, show_message
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, size_by_current_page

REFRESH_MS = 5000
_REFRESH_EVENTS = (NetworkChanged, NetworkChangePending, NetworkChangeRolledBack, SettingsChanged)
_ACTIONS = (
    *("net-join", "net-forget", "net-priority", "net-address", "net-hostname"),
    *("net-hotspot", "net-pending", "net-rescan"),
)
"""Task keys of changes and scans: dropped when someone else comes to the screen."""
UNAVAILABLE = "NetworkManager cannot be reached, so the network cannot be shown or changed."
ACCESS_NOTES = {
    Permission.WIFI_JOIN: "Operators join Wi-Fi networks; admins also change addressing.",
    Permission.NETWORK_SETTINGS: "Admins change addressing, the hostname and the hotspot.",
}


class NetworkPanel(Panel):
    """See the module. ``view`` is what was last shown (None before the first refresh)."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        services, runner, bridge, session = context.parts()
        self.setObjectName("networkPanel")
        self._services, self._runner, self._session = services, runner, session
        self.view: NetworkView | None = None
        self._build()
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._connect()
        bridge.service_event.connect(self._on_event)
        session.changed.connect(self._session_changed)
        self._session_changed(session.principal)

    # ---- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.pending = PendingBanner()
        self.header, self.devices = StatusHeader(), DeviceList()
        self.wifi, self.saved = WifiSection(), SavedSection()
        self.hostname, self.hotspot = HostnameSection(), HotspotSection()
        self.access_note = plain_label("", wrap=True)
        self.message = plain_label("", "netMessage", wrap=True)
        self.join_sheet, self.addressing = JoinSheet(), AddressingPage()
        self.overview = self._overview()
        self.unavailable = self._unavailable()
        self.stack = QStackedWidget()
        for page in (self.overview, self.join_sheet, self.addressing, self.unavailable):
            self.stack.addWidget(page)
        size_by_current_page(self.stack)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.pending)
        column.addWidget(self.stack, 1)

    def _overview(self) -> QScrollArea:
        content = QWidget()
        content.setObjectName("netOverview")
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 8, 12, 12)
        column.setSpacing(8)
        sections: tuple[QWidget, ...] = (self.header, self.access_note, self.message)
        sections += (plain_label("Devices", "sectionTitle"), self.devices, self.wifi)
        for widget in (*sections, self.saved, self.hostname, self.hotspot):
            column.addWidget(widget)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("netScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        flick_to_scroll(scroll)
        return scroll

    def _unavailable(self) -> QWidget:
        page = QWidget()
        page.setObjectName("netUnavailable")
        self.problem = plain_label("", wrap=True)
        self.retry_button = QPushButton("Try again")
        self.retry_button.clicked.connect(self.refresh)
        column = QVBoxLayout(page)
        column.setContentsMargins(32, 24, 32, 24)
        column.addStretch(1)
        column.addWidget(plain_label(UNAVAILABLE, "emptyState", wrap=True))
        column.addWidget(self.problem)
        column.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addStretch(2)
        return page

    def _connect(self) -> None:
        self.pending.confirm_requested.connect(partial(self._resolve, "confirm"))
        self.pending.revert_requested.connect(partial(self._resolve, "revert"))
        self.pending.expired.connect(self.refresh)
        self.wifi.join_requested.connect(self.open_join)
        self.wifi.rescan_requested.connect(self.rescan)
        self.saved.move_requested.connect(self._move)
        self.saved.forget_requested.connect(self._forget)
        self.saved.addressing_requested.connect(self.open_addressing)
        self.join_sheet.submitted.connect(self._join)
        self.addressing.submitted.connect(self._set_addressing)
        for page in (self.join_sheet, self.addressing):
            page.cancelled.connect(self.show_overview)
        self.hostname.save_requested.connect(self._set_hostname)
        self.hotspot.save_requested.connect(self._set_hotspot)

    # ---- showing ---------------------------------------------------------------------------

    def shown(self) -> None:
        self.timer.start()
        self.refresh()

    def hidden(self) -> None:
        self.timer.stop()
        self.pending.timer.stop()  # started again by the next refresh

    def stop(self) -> None:
        self.timer.stop()
        self.pending.timer.stop()

    def refresh(self) -> None:
        """Read the status and the networks in range off the GUI thread."""
        principal = self._session.principal
        view = partial(fetch_view, self._services, principal)
        self._runner.refresh("net-status", view, self.show_view)
        if self.view is None or self.view.status.available:
            wifi = partial(fetch_wifi, self._services, principal, False)
            self._runner.refresh("net-wifi", wifi, self._show_wifi, self._wifi_failed)

    def show_view(self, view: NetworkView) -> None:
        if view.principal != self._session.principal:
            return  # read for someone who has left the screen since
        self.view = view
        status = view.status
        if not status.available:
            self._show_unavailable(status.problem)
            return
        if self.stack.currentWidget() is self.unavailable:
            self.stack.setCurrentWidget(self.overview)
        self.header.show_status(status)
        self.wifi.set_has_radio(any(d.kind is DeviceKind.WIFI for d in status.devices))
        self.devices.show_devices(status.devices)
        self.saved.show_saved(view.saved)
        self.hostname.show_hostname(status.hostname)
        self.hotspot.show_hotspot(view.hotspot, view.settings)
        self._show_pending(status.pending)

    def _show_unavailable(self, problem: str) -> None:
        self.problem.setText(f"It says: {problem}" if problem else "")
        self.pending.show_change(None, False)
        self.join_sheet.clear()
        self.stack.setCurrentWidget(self.unavailable)

    def _show_pending(self, change: PendingChange | None) -> None:
        self.pending.show_change(change, self._session.why_not(Permission.WIFI_JOIN) is None)

    def _show_wifi(self, result: tuple[Principal, list[WifiNetwork]]) -> None:
        principal, networks = result
        if principal == self._session.principal:
            self.wifi.set_scanning(False)
            show_message(self.wifi.message, "")
            self.wifi.show_networks(networks)

    def _wifi_failed(self, error: Exception) -> None:
        self.wifi.set_scanning(False)
        show_message(self.wifi.message, f"Not scanned: {self.context.say(error)}")

    def show_overview(self, message: str = "", role: str = "ok") -> None:
        self.join_sheet.clear()
        self.stack.setCurrentWidget(self.overview)
        self.show_message(message, role)

    def show_message(self, text: str, role: str = "ok") -> None:
        """A message at the top of the overview, scrolled into view."""
        show_message(self.message, text, role)
        if text:
            self.overview.ensureWidgetVisible(self.message)

    def _on_event(self, event: object) -> None:
        if isinstance(event, _REFRESH_EVENTS) and self.isVisible():
            self.refresh()

    def _session_changed(self, _principal: Principal) -> None:
        """Someone else is at the screen: drop what was typed and any task still running."""
        for key in _ACTIONS:
            self._runner.cancel(key)
        self.view = None
        self.show_overview()
        self.addressing.show_problems({})
        self.saved.show_message("")
        for label in (self.hostname.message, self.hotspot.message):
            show_message(label, "")
        self._apply_access()
        if self.isVisible():
            self.refresh()

    def _apply_access(self) -> None:
        """Show what the person at the screen may use; say plainly why the rest is not."""
        why = self._session.why_not
        may_join = why(Permission.WIFI_JOIN) is None
        may_admin = why(Permission.NETWORK_SETTINGS) is None
        self.wifi.set_may_join(may_join)
        self.saved.set_allowed(may_join, may_admin)
        self.hostname.setVisible(why(Permission.HOSTNAME) is None)
        self.hotspot.settings.setVisible(may_admin)
        missing = next((p for p in ACCESS_NOTES if why(p) is not None), None)
        show_message(self.access_note, ACCESS_NOTES[missing] if missing else "", "note")
        if self.view is not None:
            self._show_pending(self.view.status.pending)

    # ---- sheets ----------------------------------------------------------------------------

    def open_join(self, network: WifiNetwork | None) -> None:
        """The join sheet for ``network`` (None: a hidden network)."""
        self.show_message("")
        self.join_sheet.open_for(network)
        self.stack.setCurrentWidget(self.join_sheet)
        self.join_sheet.focus_first()

    def open_addressing(self, uuid: str) -> None:
        profile = self.saved.profile(uuid)
        if profile is not None:
            self.show_message("")
            self.addressing.open_for(profile)
            self.stack.setCurrentWidget(self.addressing)

    # ---- service calls ---------------------------------------------------------------------

    def rescan(self) -> None:
        self.wifi.set_scanning(True)
        work = partial(fetch_wifi, self._services, self._session.principal, True)
        self._runner.run("net-rescan", work, self._show_wifi, self._wifi_failed)

    def _join(self, ssid: str, ssid_hex: str | None, password: str, hidden: bool) -> None:
        self.join_sheet.set_busy(True)
        join = partial(self._services.network.join_wifi, self._session.principal)
        work = partial(join, ssid, password or None, hidden, ssid_hex=ssid_hex)
        self._runner.run(
            "net-join", work, partial(self._done, f"Joined {ssid}."), self._join_failed
        )

    def _join_failed(self, error: Exception) -> None:
        self.join_sheet.password_edit.clear()  # typed again: a password never waits in a field
        self.join_sheet.set_busy(False)
        self.join_sheet.show_problems(problems_of(error))

    def _set_addressing(
        self, uuid: str, method: str, address: str, prefix: int | None, gateway: str, dns: str
    ) -> None:
        self.addressing.set_busy(True)
        change = partial(self._services.network.set_addressing, self._session.principal, uuid)
        work = partial(change, method, address or None, prefix, gateway or None, dns or None)
        self._runner.run(
            "net-address", work, partial(self._done, "Addressing saved."), self._addr_failed
        )

    def _addr_failed(self, error: Exception) -> None:
        self.addressing.set_busy(False)
        self.addressing.show_problems(problems_of(error))

    def _done(self, text: str, result: object) -> None:
        waits = isinstance(result, PendingChange)
        self.show_overview(f"{text} It waits for confirmation." if waits else text)
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.show_message(" ".join(problems_of(error).values()), "error")
        self.refresh()

    def _forget(self, uuid: str) -> None:
        profile = self.saved.profile(uuid)
        work = partial(self._services.network.forget, self._session.principal, uuid)
        done = partial(self._saved_done, f"Forgot {profile.name if profile else 'it'}.")
        self._runner.run("net-forget", work, done, self._saved_failed)

    def _move(self, uuid: str, step: int) -> None:
        priority = moved_priority(self.saved.ordered, uuid, step)
        if priority is None:
            return
        network = self._services.network
        work = partial(network.set_priority, self._session.principal, uuid, priority)
        self._runner.run("net-priority", work, partial(self._saved_done, ""), self._saved_failed)

    def _saved_done(self, text: str, result: object) -> None:
        waits = " It waits for confirmation." if isinstance(result, PendingChange) else ""
        self.saved.show_message(f"{text}{waits}".strip())
        self.refresh()

    def _saved_failed(self, error: Exception) -> None:
        self.saved.show_message(" ".join(problems_of(error).values()), "error")
        self.refresh()

    def _set_hostname(self, name: str) -> None:
        work = partial(self._services.network.set_hostname, self._session.principal, name)
        self._runner.run("net-hostname", work, self._hostname_set, self._hostname_failed)

    def _hostname_set(self, name: object) -> None:
        show_message(self.hostname.message, f"Hostname set to {name}.", "ok")
        self.refresh()

    def _hostname_failed(self, error: Exception) -> None:
        show_message(self.hostname.message, " ".join(problems_of(error).values()))

    def _set_hotspot(self, fallback: bool, after_text: str) -> None:
        after_s = whole_number(after_text.strip())
        if after_s is None:
            show_message(self.hotspot.message, "A whole number of seconds, 60 to 3600.")
            return
        network = self._services.network
        work = partial(network.set_hotspot, self._session.principal, fallback, after_s)
        self._runner.run("net-hotspot", work, self._hotspot_set, self._hotspot_failed)

    def _hotspot_set(self, _settings: object) -> None:
        show_message(self.hotspot.message, "Hotspot settings saved.", "ok")
        self.refresh()

    def _hotspot_failed(self, error: Exception) -> None:
        problems = problems_of(error)
        show_message(self.hotspot.message, problems.get(WAIT_FIELD, " ".join(problems.values())))

    def _resolve(self, how: str, change_id: str) -> None:
        """Keep (``how`` "confirm") or undo ("revert") the change waiting."""
        network = self._services.network
        call = network.confirm if how == "confirm" else network.revert
        self.pending.set_busy(True)
        done = "Change kept." if how == "confirm" else "Change undone."
        self._runner.run(
            "net-pending",
            partial(call, self._session.principal, change_id),
            partial(self._resolved, done),
            self._resolve_failed,
        )

    def _resolved(self, text: str, _result: object) -> None:
        self.pending.set_busy(False)
        self.pending.show_change(None, False)
        self.show_message(text)
        self.refresh()

    def _resolve_failed(self, error: Exception) -> None:
        self.pending.set_busy(False)
        self._failed(error)
