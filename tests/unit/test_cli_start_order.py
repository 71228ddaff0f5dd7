"""`eyepi run --kiosk` paints first: the remote endpoint and the cameras start in the kiosk's
on_shown (after the first paint, off the GUI thread), not before the window exists."""

from __future__ import annotations

import gc

import pytest

from eyepi_gui import cli
from eyepi_gui.errors import AlreadyRunning
from eyepi_gui.start_gc import CollectionHold


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
        events.append(f"collector on: {gc.isenabled()}")
        on_shown()
        events.append(f"collector on: {gc.isenabled()}")
        events.append("cameras found" if services.cameras.cameras() else "no cameras")
        return 0

    monkeypatch.setattr(kiosk_app, "run_kiosk", run_kiosk)
    assert cli.main(["run", "--kiosk", "--home", str(tmp_path / "home")]) == 0
    assert events == [
        "kiosk shown",
        "collector on: False",  # held while the station opens and the kiosk is built
        "remote started",
        "collector on: True",  # given back once the window is painted
        "cameras found",
        "remote stopped",
    ]
    assert gc.isenabled()


@pytest.mark.parametrize("failure", [AlreadyRunning("taken"), RuntimeError("kiosk broke")])
def test_the_collector_is_given_back_however_the_run_ends(tmp_path, monkeypatch, failure):
    import eyepi_gui.kiosk.app as kiosk_app

    monkeypatch.setattr(cli, "kiosk_unavailable", lambda: None)

    def run_kiosk(services, on_shown, fullscreen):
        raise failure

    monkeypatch.setattr(kiosk_app, "run_kiosk", run_kiosk)
    with pytest.raises(type(failure)):
        cli._run(tmp_path / "home", kiosk=True, headless=False)
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        hold = CollectionHold.start()
        assert not hold.held
        hold.end()
        assert not gc.isenabled()  # the caller turned it off; it is theirs to turn on
    finally:
        gc.enable()


def test_ending_a_hold_twice_is_harmless():
    hold = CollectionHold.start()
    assert hold.held and not gc.isenabled()
    hold.end()
    hold.end()
    assert gc.isenabled() and not hold.held
