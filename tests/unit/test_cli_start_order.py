"""`eyepi run --kiosk` paints first: the remote endpoint and the cameras start in the kiosk's
on_shown (after the first paint, off the GUI thread), not before the window exists."""

from __future__ import annotations

from eyepi_gui import cli


class RecordingRunner:
    events: list[str] = []

    def __init__(self, services, home) -> None:
        pass

    def start(self) -> None:
        self.events.append("remote started")

    def stop(self) -> None:
        self.events.append("remote stopped")


def test_the_kiosk_is_shown_before_the_endpoint_and_cameras_start(tmp_path, monkeypatch):
    import eyepi_gui.kiosk.app as kiosk_app
    import eyepi_gui.remote_runner as remote_runner

    events = RecordingRunner.events = []
    monkeypatch.setattr(remote_runner, "RemoteRunner", RecordingRunner)
    monkeypatch.setattr(cli, "kiosk_unavailable", lambda: None)

    def run_kiosk(services, on_shown, fullscreen):
        events.append("kiosk shown")
        on_shown()
        events.append("cameras found" if services.cameras.cameras() else "no cameras")
        return 0

    monkeypatch.setattr(kiosk_app, "run_kiosk", run_kiosk)
    assert cli.main(["run", "--kiosk", "--home", str(tmp_path / "home")]) == 0
    assert events == ["kiosk shown", "remote started", "cameras found", "remote stopped"]
