"""The live score's last minute: bounded whatever the frame rate, a minute long, read after a
time, started afresh when the clock goes back or the region changes."""

import numpy as np

from eyepi_gui.domain.roi import Roi
from eyepi_gui.domain.score_trail import MIN_GAP_S, TRAIL_S, ScorePoint, ScoreTrail
from eyepi_gui.services.frame_hub import FrameHub


def test_thirty_frames_a_second_keep_at_most_four_points_a_second():
    trail = ScoreTrail()
    for n in range(30 * 10):  # ten seconds at 30 fps
        trail.add(1000 + n / 30, float(n))
    points = trail.since()
    assert 3 * 10 <= len(points) <= 4 * 10 + 1
    gaps = np.diff([p.at for p in points])
    assert gaps.min() >= MIN_GAP_S - 1e-9


def test_the_trail_reaches_back_one_minute_and_no_more():
    trail = ScoreTrail()
    for n in range(10 * 60 * 3):  # three minutes at 10 fps
        trail.add(n / 10, 1.0)
    points = trail.since()
    assert points[-1].at - points[0].at <= TRAIL_S
    assert points[0].at >= points[-1].at - TRAIL_S
    assert len(points) <= TRAIL_S / MIN_GAP_S + 1


def test_since_gives_only_newer_points_oldest_first():
    trail = ScoreTrail()
    for at in (10.0, 11.0, 12.0):
        trail.add(at, at * 2)
    assert trail.since(11.0) == [ScorePoint(12.0, 24.0)]
    assert [p.at for p in trail.since(None)] == [10.0, 11.0, 12.0]
    assert trail.since(12.0) == []


def test_a_clock_set_back_starts_afresh():
    trail = ScoreTrail()
    trail.add(100.0, 1.0)
    trail.add(101.0, 2.0)
    trail.add(50.0, 3.0)
    assert trail.since() == [ScorePoint(50.0, 3.0)]


def test_the_hub_keeps_the_trail_and_clears_it_for_a_new_region():
    hub = FrameHub("sim-1", now=iter(range(100, 200)).__next__, wake=lambda: None)
    image = np.random.default_rng(1).integers(0, 255, (48, 64, 3), dtype=np.uint8)
    for _ in range(3):
        hub.publish(image.copy())
    assert [p.at for p in hub.trail()] == [100, 101, 102]
    assert [p.at for p in hub.trail(101)] == [102]
    hub.set_roi(hub.roi)
    assert len(hub.trail()) == 3, "the same region keeps its trail"
    hub.set_roi(Roi(0, 0, 0.5, 0.5))
    assert hub.trail() == []
    hub.publish(image.copy())
    assert [p.at for p in hub.trail()] == [103]
