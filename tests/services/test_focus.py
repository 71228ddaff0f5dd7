"""Focus service: the live view's frame hub, the score over the lens range, lock and drift."""

import json
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.sim import FOCUS_STEPS, best_focus
from eyepi_gui.domain.camera import (
    FocusDirection,
    FocusStep,
)
from eyepi_gui.domain.events import FocusChecked
from eyepi_gui.domain.roi import Roi
from eyepi_gui.errors import InvalidInput
from eyepi_gui.station import Station
from tests.fakes import PictureBackend
from tests.principals import ADMIN

FINE = FOCUS_STEPS[FocusStep.FINE]


@pytest.fixture
def services(station):
    services = station.services
    services.config.update_station(ADMIN, {"preview": {"max_fps": 30}})
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "1280x720"})
    services.inventory.start()
    return services


def lens(services, camera_id="sim-1"):
    return services.cameras.run(camera_id, lambda device: device.controls().focus)


def score_after_move(services, watch, move):
    """Move the lens, then the score of the first frame grabbed after the move."""
    move()
    seen = services.focus.latest("sim-1")
    frame = watch.next(seen.seq if seen else 0, timeout=5)
    assert frame is not None, watch.problem
    return frame.score


def drive(services, direction, step, times=1):
    for _ in range(times):
        services.focus.drive(ADMIN, "sim-1", direction, step)


def test_frames_flow_only_while_someone_watches(services):
    assert services.focus.latest("sim-1") is None
    time.sleep(0.2)
    assert services.focus.latest("sim-1") is None, "no viewer, yet frames were grabbed"
    with services.focus.watch("sim-1") as watch:
        first = watch.next(0, timeout=5)
        second = watch.next(first.seq, timeout=5)
    assert second.seq > first.seq and second.grabbed > first.grabbed
    assert first.image.shape == (720, 1280, 3) and not first.image.flags.writeable
    stopped_at = services.focus.latest("sim-1").seq
    time.sleep(0.2)
    assert services.focus.latest("sim-1").seq <= stopped_at + 1


def test_two_viewers_share_the_same_frame_objects(services):
    with services.focus.watch("sim-1") as one, services.focus.watch("sim-1") as two:
        frame = one.next(0, timeout=5)
        assert two.next(frame.seq - 1, timeout=5) is frame


def test_the_frame_rate_is_capped_by_the_settings(services):
    services.config.update_station(ADMIN, {"preview": {"max_fps": 5}})
    with services.focus.watch("sim-1") as watch:
        first = watch.next(0, timeout=5)
        time.sleep(1.0)
        last = services.focus.latest("sim-1")
    assert last.seq - first.seq <= 6, "5 fps cap exceeded"


def test_score_peaks_at_the_hidden_best_focus_within_one_fine_step(services):
    drive(services, FocusDirection.NEAR, FocusStep.COARSE, times=6)
    assert lens(services) == 0.0
    scores = {}
    with services.focus.watch("sim-1") as watch:
        while lens(services) < 1.0:
            position = lens(services)
            scores[position] = score_after_move(services, watch, lambda: None)
            drive(services, FocusDirection.FAR, FocusStep.FINE)
    sharpest = max(scores, key=scores.__getitem__)
    assert abs(sharpest - best_focus(0, "sim-1")) <= FINE + 1e-9
    assert scores[sharpest] > 5 * scores[0.0]


def test_peaking_is_computed_only_when_a_viewer_asks(services):
    with services.focus.watch("sim-1") as plain:
        frame = plain.next(0, timeout=5)
        assert frame.peaking is None
        plain.peaking = True
        frame = plain.next(frame.seq, timeout=5)
        frame = plain.next(frame.seq, timeout=5)
    assert frame.peaking is not None and frame.peaking.shape == (720, 1280)
    assert 0 < np.count_nonzero(frame.peaking) < frame.peaking.size * 0.2


def test_the_region_moves_the_score(services):
    flat_sky = Roi(0.0, 0.0, 0.05, 0.05)
    with services.focus.watch("sim-1") as watch:
        centre = watch.next(0, timeout=5)
        services.focus.set_roi(ADMIN, "sim-1", flat_sky)
        frame = watch.next(centre.seq, timeout=5)
        frame = watch.next(frame.seq, timeout=5)
    assert frame.roi == flat_sky and centre.roi == Roi()
    assert frame.score != centre.score


@pytest.mark.parametrize(
    "roi", [Roi(0.9, 0.1, 0.2, 0.2), Roi(-0.1, 0, 0.5, 0.5), Roi(0, 0, 0, 0.5)]
)
def test_a_region_outside_the_frame_is_refused(services, roi):
    with pytest.raises(InvalidInput) as refused:
        services.focus.set_roi(ADMIN, "sim-1", roi)
    assert refused.value.field == "roi"
    assert services.focus.roi("sim-1") == Roi()


def test_autofocus_lands_within_one_fine_step(services):
    drive(services, FocusDirection.FAR, FocusStep.COARSE, times=3)
    services.focus.autofocus(ADMIN, "sim-1")
    assert abs(lens(services) - best_focus(0, "sim-1")) <= FINE


def test_sim_supports_drive_and_autofocus(services):
    support = services.focus.support("sim-1")
    assert support.drive and support.autofocus and support.live_zoom == ()


def test_lock_then_defocus_raises_drift_on_the_next_capture(services, station):
    events = []
    services.bus.subscribe(events.append)
    services.focus.autofocus(ADMIN, "sim-1")
    lock = services.focus.lock(ADMIN, "sim-1")
    saved = services.config.camera("sim-1").focus_lock
    assert saved == lock and lock.reference > 0 and lock.roi == Roi().as_tuple()
    assert "focus_lock" in (station.home / "station.toml").read_text()

    services.cameras.capture("sim-1", None).result(30)
    assert services.overview.camera("sim-1").focus_check.drifted is False

    drive(services, FocusDirection.FAR, FocusStep.COARSE)
    records = services.cameras.capture("sim-1", None).result(30)
    check = services.overview.camera("sim-1").focus_check
    assert check.drifted and check.score < lock.reference * lock.drift_fraction
    drifts = [e for e in events if isinstance(e, FocusChecked) and e.drifted]
    assert len(drifts) == 1 and "focus drift on sim-1" in drifts[0].message()
    sidecar = json.loads(Path(records[0].path).with_suffix(".json").read_text())
    assert sidecar["focus"]["drifted"] is True
    assert sidecar["focus"]["score"] == records[0].focus_score == check.score
    assert services.cameras.focus_check("sim-1") == check


def test_unlock_clears_the_warning(services):
    services.focus.lock(ADMIN, "sim-1")
    drive(services, FocusDirection.FAR, FocusStep.COARSE)
    services.cameras.capture("sim-1", None).result(30)
    assert services.overview.camera("sim-1").focus_check.drifted
    services.focus.unlock(ADMIN, "sim-1")
    assert services.config.camera("sim-1").focus_lock is None
    assert services.overview.camera("sim-1").focus_check is None


@pytest.mark.parametrize("fraction", [0.0, 1.5, float("nan")])
def test_a_bad_drift_fraction_is_refused_before_any_shot(services, station, fraction):
    with pytest.raises(InvalidInput) as refused:
        services.focus.lock(ADMIN, "sim-1", drift_fraction=fraction)
    assert refused.value.field == "cameras.sim-1.focus_lock.drift_fraction"
    assert services.config.camera("sim-1").focus_lock is None
    assert not list((station.home / "images").rglob("*.jpg"))


def test_capture_goes_before_the_next_live_frame(services):
    calls = []
    with services.focus.watch("sim-1") as watch:
        watch.next(0, timeout=5)
        services.cameras.run("sim-1", lambda device: _record_calls(device, calls))
        services.cameras.capture("sim-1", None).result(30)
        seen = services.focus.latest("sim-1").seq
        assert watch.next(seen, timeout=5) is not None
    assert calls[0] == "capture_still", calls


def _record_calls(device, calls):
    """Wrap the device's live_frame and capture_still to note their order."""
    for name in ("live_frame", "capture_still"):
        original = getattr(device, name)

        def traced(*args, _original=original, _name=name):
            calls.append(_name)
            return _original(*args)

        setattr(device, name, traced)


def test_the_live_score_and_the_sidecar_score_agree_for_the_same_frame(tmp_path, clock):
    picture = np.zeros((480, 640, 3), np.uint8)
    cv2.putText(picture, "eyepi", (120, 280), cv2.FONT_HERSHEY_SIMPLEX, 3, (200, 220, 90), 5)
    station = Station(
        tmp_path / "home", clock=clock, fallback=PictureBackend(picture), log_to_console=False
    )
    services = station.open()
    services.config.update_camera(ADMIN, "pic-1", {"resolution": "640x480", "formats": ["png"]})
    services.inventory.start()
    try:
        with services.focus.watch("pic-1") as watch:
            live = watch.next(0, timeout=5)
        record = services.cameras.capture("pic-1", None).result(30)[0]
    finally:
        station.stop()
    sidecar = json.loads(Path(record.path).with_suffix(".json").read_text())
    assert live.score > 0
    assert sidecar["focus"]["score"] == record.focus_score == live.score


def test_a_camera_without_live_view_says_so(tmp_path, clock):
    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=PictureBackend(np.zeros((48, 64, 3), np.uint8), live_view=False),
        log_to_console=False,
    )
    services = station.open()
    services.inventory.start()
    try:
        with services.focus.watch("pic-1") as watch:
            assert watch.next(0, timeout=0.5) is None
            assert "has no live view" in watch.problem
    finally:
        station.stop()


def test_a_closed_watch_returns_at_once(services):
    watch = services.focus.watch("sim-1")
    watch.close()
    started = time.monotonic()
    assert watch.next(0, timeout=5) is None
    assert time.monotonic() - started < 1
