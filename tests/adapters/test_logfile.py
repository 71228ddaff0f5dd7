"""Structured log: one JSON line per event, rotating, under <home>/logs."""

import json
import logging

from eyepi_gui.adapters import logfile
from eyepi_gui.domain.events import CaptureGap, SettingsChanged
from eyepi_gui.services.events import EventBus


def test_every_event_is_one_json_line(tmp_path):
    path = logfile.configure(tmp_path, console_level=logging.CRITICAL)
    bus = EventBus()
    bus.publish(CaptureGap("sim-1", 1.0, 2.0, 3, "asleep"))
    bus.publish(SettingsChanged("cameras.sim-1", ("interval_s",)))
    logging.getLogger("eyepi").handlers[0].flush()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [e["event"] for e in lines] == ["capture_gap", "settings_changed"]
    assert lines[0]["level"] == "WARNING" and lines[0]["fields"]["missed"] == 3
    assert lines[1]["fields"]["changed"] == ["interval_s"]
    assert lines[0]["ts"].endswith("+00:00")


def test_log_rotates_instead_of_growing(tmp_path):
    path = logfile.configure(tmp_path, console_level=logging.CRITICAL, max_bytes=2000)
    log = logging.getLogger("eyepi.test")
    for i in range(200):
        log.info("line %d with some padding to fill the file", i)
    assert path.stat().st_size <= 2000
    assert (path.parent / "eyepi.jsonl.1").exists()


def test_a_failing_subscriber_never_stops_the_others(tmp_path):
    logfile.configure(tmp_path, console_level=logging.CRITICAL)
    bus, seen = EventBus(), []
    bus.subscribe(lambda e: 1 / 0)
    bus.subscribe(seen.append)
    bus.publish(CaptureGap("c", 0, 0, 1, "x"))
    assert len(seen) == 1


def test_control_characters_in_messages_stay_on_one_line(tmp_path):
    path = logfile.configure(tmp_path, console_level=logging.CRITICAL)
    logging.getLogger("eyepi.test").warning("name with\nnewline and \x1b[31m escape")
    logging.getLogger("eyepi").handlers[0].flush()
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and "newline" in json.loads(lines[0])["msg"]
